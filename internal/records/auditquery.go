package records

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
)

// AuditQuery selects entries of the caller's own audit log (Prüfprotokoll).
// Empty fields do not filter. From and To are inclusive.
type AuditQuery struct {
	User                         string // login of the acting user
	ObjectID, ObjectType, Action string
	From, To                     *time.Time
	Page                         Page
}

// AuditFilter is an AuditQuery as the store sees it: the user resolved to
// its id, times in UTC.
type AuditFilter struct {
	ActorID                      string
	ObjectID, ObjectType, Action string
	From, To                     *time.Time // inclusive
	// BeforeID, if set, bounds the result to ids below it (exclusive), so
	// that an export sees the log as it stood when it started.
	BeforeID string
	// ExcludeAction, if set, leaves out the entries of this action (the
	// history of a Dokument without its reads).
	ExcludeAction string
}

// AuditQueryTx is the storage a Tx must offer for audit queries. It is a
// separate interface (reached by type assertion from Tx) so that the core Tx
// interface stays as it is for stores that do not offer queries.
type AuditQueryTx interface {
	// QueryAudit lists a tenant's entries (chained or not) matching f, in id
	// order, after p.After, at most p.Limit.
	QueryAudit(ctx context.Context, tenantID string, f AuditFilter, p Page) ([]audit.Entry, error)
}

// Audit actions written by queries and exports of the audit log itself:
// reading the log is a data-protection-relevant act and is recorded too.
const (
	ActionAuditQuery  = "protokoll.abfrage"
	ActionAuditExport = "protokoll.export"
	// ObjectTypeAuditLog is the object type of those entries; the object id
	// is the tenant's id (the log that was read).
	ObjectTypeAuditLog = "protokoll"
)

// auditExportBatch is the number of entries an export reads per transaction.
const auditExportBatch = 1000

func auditQueryTx(tx Tx) (AuditQueryTx, error) {
	aq, ok := tx.(AuditQueryTx)
	if !ok {
		return nil, fmt.Errorf("records: store transaction %T cannot query the audit log", tx)
	}
	return aq, nil
}

var auditTokenRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,200}$`)

// filter validates q and resolves it to a storage filter inside tx. Field
// names of errors are the names of the API parameters.
func (q AuditQuery) filter(ctx context.Context, tx Tx, p Principal) (AuditFilter, error) {
	var v apperr.Validation
	f := AuditFilter{
		ObjectID:   strings.TrimSpace(q.ObjectID),
		ObjectType: strings.TrimSpace(q.ObjectType),
		Action:     strings.TrimSpace(q.Action),
	}
	for _, c := range []struct{ field, val string }{{"objekt", f.ObjectID}, {"objekt_typ", f.ObjectType}, {"aktion", f.Action}} {
		if c.val != "" && !auditTokenRE.MatchString(c.val) {
			v.Add(c.field, "höchstens 200 Zeichen: Buchstaben, Ziffern und . _ : -")
		}
	}
	if login := strings.TrimSpace(q.User); login != "" {
		if err := f.resolveActor(ctx, tx, p, login, &v); err != nil {
			return f, err
		}
	}
	if q.From != nil {
		t := q.From.UTC().Truncate(time.Microsecond)
		f.From = &t
	}
	if q.To != nil {
		t := q.To.UTC().Truncate(time.Microsecond)
		f.To = &t
	}
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		v.Add("bis", "liegt vor „von“")
	}
	return f, v.Err()
}

// noActor matches no entry (ids are UUIDs).
const noActor = "-"

// resolveActor sets f.ActorID for the login of the user filter. A login of
// the caller's tenant that does not exist is a validation error. A user of
// another tenant, written "login@CODE" as in the actor column, is someone
// who worked on an Akte shared with the caller's tenant; those entries are
// in this tenant's log. An unknown foreign user or tenant simply finds
// nothing: an error would tell whether another tenant has such a user.
func (f *AuditFilter) resolveActor(ctx context.Context, tx Tx, p Principal, login string, v *apperr.Validation) error {
	name, code, foreign := strings.Cut(login, "@")
	if foreign && code != p.TenantCode {
		f.ActorID = noActor
		t, err := tx.TenantByCode(ctx, code)
		if errors.Is(err, ErrNoRows) || (err == nil && t.ID == p.TenantID) {
			return nil
		}
		if err != nil {
			return err
		}
		u, err := tx.UserByLogin(ctx, t.ID, name)
		if errors.Is(err, ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		f.ActorID = u.ID
		return nil
	}
	u, err := tx.UserByLogin(ctx, p.TenantID, name)
	switch {
	case errors.Is(err, ErrNoRows):
		v.Add("benutzer", fmt.Sprintf("Benutzer %q gibt es in diesem Mandanten nicht", name))
	case err != nil:
		return err
	default:
		f.ActorID = u.ID
	}
	return nil
}

// changes is what the audit entry of a query or export records about it.
func (f AuditFilter) changes(q AuditQuery) map[string]any {
	c := map[string]any{}
	set := func(k, v string) {
		if v != "" {
			c[k] = v
		}
	}
	set("benutzer", strings.TrimSpace(q.User))
	set("objekt", f.ObjectID)
	set("objekt_typ", f.ObjectType)
	set("aktion", f.Action)
	if f.From != nil {
		c["von"] = f.From.Format(time.RFC3339Nano)
	}
	if f.To != nil {
		c["bis"] = f.To.Format(time.RFC3339Nano)
	}
	return map[string]any{"filter": c}
}

// QueryAudit returns one page of the caller's tenant's audit log matching q,
// oldest first (id order). It needs the permission to read the audit log
// (roles audit and admin). The query is itself recorded in the log
// (protokoll.abfrage, with the filter and the number of entries returned);
// if that record cannot be written, no entries are returned.
func (s *Service) QueryAudit(ctx context.Context, p Principal, q AuditQuery) ([]audit.Entry, error) {
	if err := need(p, access.ReadAudit); err != nil {
		return nil, err
	}
	q.Page = clampPage(q.Page)
	var f AuditFilter
	var out []audit.Entry
	// Read first, in a read transaction (no write lock while filtering),
	// then record the query: so the query never finds its own record, and
	// invalid input records nothing.
	err := s.store.Read(ctx, func(tx Tx) error {
		aq, err := auditQueryTx(tx)
		if err != nil {
			return err
		}
		if f, err = q.filter(ctx, tx, p); err != nil {
			return err
		}
		out, err = aq.QueryAudit(ctx, p.TenantID, f, q.Page)
		return err
	})
	if err != nil {
		return nil, err
	}
	c := f.changes(q)
	if q.Page.After != "" {
		c["nach"] = q.Page.After
	}
	c["limit"] = q.Page.Limit
	c["treffer"] = len(out)
	if err := s.store.Write(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, p, ActionAuditQuery, ObjectTypeAuditLog, p.TenantID, c)
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// ExportAudit streams every entry of the caller's tenant's audit log that
// matches q to fn, in id order; q.Page is ignored. It needs the same
// permission as QueryAudit. Before the first entry is handed out, the export
// is recorded in the log (protokoll.export, with the filter).
//
// The export sees the log as it stood when it started: entries written
// afterwards (its own record among them) are not part of it, so an export
// always ends even while the log keeps growing.
//
// Entries are read in batches of 1000, each in its own short read
// transaction, and fn is called outside any transaction. One long read
// transaction would pin a snapshot for as long as the receiver takes to
// consume the export (a slow download): on SQLite that keeps the WAL from
// being checkpointed and holds one of the few reader connections, on
// PostgreSQL it holds back vacuum for the whole database. Separate
// transactions are safe here because the log is append-only (rows are never
// changed or deleted, see the triggers of migration 00001) and the keyset
// (id) plus the upper bound make every batch continue exactly where the
// previous one stopped. The only state that can differ between batches is
// chaining: an entry read before the chainer linked it has seq 0 and empty
// hashes in the export.
func (s *Service) ExportAudit(ctx context.Context, p Principal, q AuditQuery, fn func(audit.Entry) error) error {
	if err := need(p, access.ReadAudit); err != nil {
		return err
	}
	var f AuditFilter
	if err := s.store.Read(ctx, func(tx Tx) error {
		if _, err := auditQueryTx(tx); err != nil {
			return err
		}
		var err error
		f, err = q.filter(ctx, tx, p)
		return err
	}); err != nil {
		return err
	}
	// UUIDv7 ids grow monotonically within this process: every entry
	// committed before this point has a smaller id, the export's own record
	// (written next) a larger one.
	f.BeforeID = newID()
	if err := s.store.Write(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, p, ActionAuditExport, ObjectTypeAuditLog, p.TenantID, f.changes(q))
	}); err != nil {
		return err
	}
	pg := Page{Limit: auditExportBatch}
	for {
		var batch []audit.Entry
		err := s.store.Read(ctx, func(tx Tx) error {
			aq, err := auditQueryTx(tx)
			if err != nil {
				return err
			}
			batch, err = aq.QueryAudit(ctx, p.TenantID, f, pg)
			return err
		})
		if err != nil {
			return err
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < pg.Limit {
			return nil
		}
		pg.After = batch[len(batch)-1].ID
	}
}

// ExportTenantAudit is ExportAudit for the platform operator (CLI): it
// reads the log of the tenant with the given code as the system principal;
// the export is recorded in that tenant's log with the actor "system".
func (s *Service) ExportTenantAudit(ctx context.Context, tenantCode string, q AuditQuery, fn func(audit.Entry) error) error {
	var t Tenant
	if err := s.store.Read(ctx, func(tx Tx) (err error) { t, err = tenantByCode(ctx, tx, tenantCode); return }); err != nil {
		return err
	}
	return s.ExportAudit(ctx, system(t), q, fn)
}

// ParseAuditTime reads a bound of an audit query: a point in time in RFC
// 3339 (2026-03-15T09:30:00+01:00, also with fractions of a second), or a
// calendar date (2026-03-15) in Europe/Berlin, which stands for the start of
// that day, or, when end is true, for its end (the last microsecond before
// the next day starts; bounds are inclusive and times are stored to the
// microsecond). The result is in UTC.
func ParseAuditTime(s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if dateRE.MatchString(s) {
		d, err := time.ParseInLocation("2006-01-02", s, berlin)
		if err != nil {
			return time.Time{}, errors.New("ungültiges Datum (JJJJ-MM-TT)")
		}
		if end {
			d = d.AddDate(0, 0, 1).Add(-time.Microsecond)
		}
		return d.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errors.New("Datum (JJJJ-MM-TT, Europe/Berlin) oder Zeitpunkt nach RFC 3339 (z. B. 2026-03-15T09:30:00+01:00) erwartet")
	}
	return t.UTC(), nil
}
