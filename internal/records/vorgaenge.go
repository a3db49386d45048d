package records

import (
	"context"
	"errors"
	"slices"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
)

// VorgangPatch changes a Vorgang; nil fields stay as they are.
type VorgangPatch struct {
	Betreff   *string
	Metadaten *Metadata
}

func (s *Service) nextVorgangAz(ctx context.Context, tx Tx, tenantID string, a Akte, vorgangID string) (string, error) {
	t, err := tx.TenantByID(ctx, tenantID)
	if err != nil {
		return "", err
	}
	vars := map[string]string{"akte": a.Aktenzeichen, "tenant": t.Code, "year": akteVars(t, "", s.now())["year"]}
	serial, err := tx.NextSerial(ctx, tenantID, renderScope(t.VorgangPattern, vars))
	if err != nil {
		return "", err
	}
	az := renderSerial(t.VorgangPattern, vars, serial)
	if err := tx.RegisterAktenzeichen(ctx, tenantID, az, "vorgang", vorgangID); err != nil {
		if errors.Is(err, ErrDuplicate) {
			return "", apperr.Conflict("Aktenzeichen %s wurde bereits vergeben", az)
		}
		return "", err
	}
	return az, nil
}

// renumberVorgaenge gives every Vorgang of a the Aktenzeichen derived from
// a's (new) Aktenzeichen, keeping the old ones in the history.
func (s *Service) renumberVorgaenge(ctx context.Context, tx Tx, p Principal, a Akte, now time.Time, reason string) error {
	var all []Vorgang
	pg := Page{Limit: 500}
	for {
		vs, err := tx.ListVorgaenge(ctx, a.TenantID, a.ID, AllViewers, pg)
		if err != nil {
			return err
		}
		all = append(all, vs...)
		if len(vs) < pg.Limit {
			break
		}
		pg.After = vs[len(vs)-1].ID
	}
	for _, v := range all {
		newAz, err := s.nextVorgangAz(ctx, tx, p.TenantID, a, v.ID)
		if err != nil {
			return err
		}
		if err := tx.InsertAzHistory(ctx, AzHistory{TenantID: p.TenantID, ObjectType: "vorgang", ObjectID: v.ID, Aktenzeichen: v.Aktenzeichen, Until: now, Reason: reason}); err != nil {
			return err
		}
		old := v.Aktenzeichen
		v.Aktenzeichen, v.UpdatedAt = newAz, now
		if err := tx.UpdateVorgang(ctx, v); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, p, "vorgang.renumber", "vorgang", v.ID, audit.Changes{"aktenzeichen": {Before: old, After: newAz}}); err != nil {
			return err
		}
	}
	return nil
}

// CreateVorgang opens a Vorgang in an open Akte.
func (s *Service) CreateVorgang(ctx context.Context, p Principal, akteID, betreff string, meta Metadata) (Vorgang, error) {
	if err := need(p, access.Create); err != nil {
		return Vorgang{}, err
	}
	var v apperr.Validation
	betreff = checkText(&v, "betreff", betreff, true, maxTitle)
	checkMetadata(&v, "metadaten", meta)
	if err := v.Err(); err != nil {
		return Vorgang{}, err
	}
	var vg Vorgang
	err := s.store.Write(ctx, func(tx Tx) (err error) {
		vg, err = s.createVorgangIn(ctx, tx, p, akteID, betreff, meta)
		return err
	})
	return vg, err
}

// createVorgangIn creates a Vorgang with validated fields in tx.
func (s *Service) createVorgangIn(ctx context.Context, tx Tx, p Principal, akteID, betreff string, meta Metadata) (Vorgang, error) {
	now := s.timestamp()
	vg := Vorgang{ID: newID(), AkteID: akteID, Betreff: betreff, Status: StatusOffen,
		Metadaten: meta, CreatedBy: p.Actor(), CreatedAt: now, UpdatedAt: now}
	a, _, err := s.akteFor(ctx, tx, p, akteID, access.Create)
	if err != nil {
		return vg, err
	}
	if err := writableAkte(a); err != nil {
		return vg, err
	}
	vg.TenantID = a.TenantID
	if vg.Aktenzeichen, err = s.nextVorgangAz(ctx, tx, a.TenantID, a, vg.ID); err != nil {
		return vg, err
	}
	if err := tx.InsertVorgang(ctx, vg); err != nil {
		return vg, err
	}
	return vg, s.auditIn(ctx, tx, a.TenantID, p, "vorgang.create", "vorgang", vg.ID, map[string]any{
		"aktenzeichen": vg.Aktenzeichen, "betreff": vg.Betreff, "akte_id": a.ID})
}

// GetVorgang returns a Vorgang of the caller's tenant.
func (s *Service) GetVorgang(ctx context.Context, p Principal, id string) (Vorgang, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return Vorgang{}, err
	}
	var v Vorgang
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		if v, _, _, err = s.vorgangFor(ctx, tx, p, id, access.ReadMetadata); err != nil {
			return err
		}
		v.Berechtigte, err = s.berechtigte(ctx, tx, v.ID, v.Beschraenkung)
		return err
	})
	return v, err
}

// berechtigte lists the logins who may see a restricted object.
func (s *Service) berechtigte(ctx context.Context, tx Tx, id string, restriction *string) ([]string, error) {
	if restriction == nil {
		return nil, nil
	}
	users, err := tx.RestrictionUsers(ctx, id)
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.Login
	}
	return out, err
}

// ListVorgaenge lists the Vorgänge of an Akte.
func (s *Service) ListVorgaenge(ctx context.Context, p Principal, akteID string, pg Page) ([]Vorgang, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return nil, err
	}
	var out []Vorgang
	err := s.store.Read(ctx, func(tx Tx) error {
		a, _, err := s.akteFor(ctx, tx, p, akteID, access.ReadMetadata)
		if err != nil {
			return err
		}
		out, err = tx.ListVorgaenge(ctx, a.TenantID, akteID, viewerID(p), clampPage(pg))
		return err
	})
	return out, err
}

// writableVorgang loads a Vorgang and its Akte for action act and fails
// unless both are open.
func (s *Service) writableVorgang(ctx context.Context, tx Tx, p Principal, id string, act access.Action) (Vorgang, Akte, error) {
	v, a, _, err := s.vorgangFor(ctx, tx, p, id, act)
	if err != nil {
		return Vorgang{}, Akte{}, err
	}
	if err := writableIn(v, a); err != nil {
		return Vorgang{}, Akte{}, err
	}
	return v, a, nil
}

// writableIn fails unless both the Vorgang and its Akte are open.
func writableIn(v Vorgang, a Akte) error {
	if err := writableAkte(a); err != nil {
		return err
	}
	if v.Status == StatusZdA {
		return apperr.Conflict("Vorgang %s ist z.d.A. verfügt und schreibgeschützt", v.Aktenzeichen)
	}
	return nil
}

// UpdateVorgang changes Betreff or metadata of an open Vorgang.
func (s *Service) UpdateVorgang(ctx context.Context, p Principal, id string, patch VorgangPatch) (Vorgang, error) {
	if err := need(p, access.Edit); err != nil {
		return Vorgang{}, err
	}
	var val apperr.Validation
	if patch.Betreff != nil {
		b := checkText(&val, "betreff", *patch.Betreff, true, maxTitle)
		patch.Betreff = &b
	}
	if patch.Metadaten != nil {
		checkMetadata(&val, "metadaten", *patch.Metadaten)
	}
	if err := val.Err(); err != nil {
		return Vorgang{}, err
	}
	var v Vorgang
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		if v, _, err = s.writableVorgang(ctx, tx, p, id, access.Edit); err != nil {
			return err
		}
		c := audit.Changes{}
		if patch.Betreff != nil {
			changed(c, "betreff", v.Betreff, *patch.Betreff)
			v.Betreff = *patch.Betreff
		}
		if patch.Metadaten != nil && !metaEqual(v.Metadaten, *patch.Metadaten) {
			c["metadaten"] = audit.Change{Before: v.Metadaten, After: *patch.Metadaten}
			v.Metadaten = *patch.Metadaten
		}
		if len(c) == 0 {
			return nil
		}
		v.UpdatedAt = s.timestamp()
		if err := tx.UpdateVorgang(ctx, v); err != nil {
			return err
		}
		return s.auditIn(ctx, tx, v.TenantID, p, "vorgang.update", "vorgang", v.ID, c)
	})
	return v, err
}

// CloseVorgang verfügt a Vorgang z.d.A.
func (s *Service) CloseVorgang(ctx context.Context, p Principal, id string) (Vorgang, error) {
	if err := need(p, access.Close); err != nil {
		return Vorgang{}, err
	}
	var v Vorgang
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		if v, _, err = s.writableVorgang(ctx, tx, p, id, access.Close); err != nil {
			return err
		}
		now := s.timestamp()
		v.Status, v.ClosedAt, v.UpdatedAt = StatusZdA, &now, now
		if err := tx.UpdateVorgang(ctx, v); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "vorgang.zda", "vorgang", v.ID, audit.Changes{"status": {Before: StatusOffen, After: StatusZdA}})
	})
	return v, err
}

// ReopenVorgang takes a closed Vorgang up again; its Akte must be open.
func (s *Service) ReopenVorgang(ctx context.Context, p Principal, id string) (Vorgang, error) {
	var v Vorgang
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		var a Akte
		var lvl access.Level
		if v, a, lvl, err = s.vorgangFor(ctx, tx, p, id, access.ReadMetadata); err != nil {
			return err
		}
		if err := need(p, access.Reopen); err != nil {
			return err
		}
		if !access.Allows(lvl, access.Reopen) {
			return forbidden(lvl, access.Reopen)
		}
		if a.Status == StatusZdA {
			return apperr.Conflict("Akte %s ist z.d.A. verfügt; zuerst die Akte wieder aufnehmen", a.Aktenzeichen)
		}
		if v.Status != StatusZdA {
			return apperr.Conflict("Vorgang %s ist nicht geschlossen", v.Aktenzeichen)
		}
		now := s.timestamp()
		v.Status, v.ClosedAt, v.UpdatedAt = StatusOffen, nil, now
		if err := tx.UpdateVorgang(ctx, v); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "vorgang.reopen", "vorgang", v.ID, audit.Changes{"status": {Before: StatusZdA, After: StatusOffen}})
	})
	return v, err
}

// MoveVorgang moves an open Vorgang into another open Akte; it gets a new
// Aktenzeichen there and keeps the old one in its history.
func (s *Service) MoveVorgang(ctx context.Context, p Principal, id, akteID string) (Vorgang, error) {
	if err := need(p, access.Refile); err != nil {
		return Vorgang{}, err
	}
	if akteID == "" {
		return Vorgang{}, apperr.Invalid("akte_id", "darf nicht leer sein")
	}
	var v Vorgang
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		var from Akte
		if v, from, err = s.writableVorgang(ctx, tx, p, id, access.Refile); err != nil {
			return err
		}
		if from.ID == akteID {
			return apperr.Invalid("akte_id", "Vorgang liegt bereits in dieser Akte")
		}
		to, _, err := s.akteFor(ctx, tx, p, akteID, access.Refile)
		if e, ok := apperr.As(err); ok && e.Kind == apperr.KindNotFound || err == nil && to.TenantID != from.TenantID {
			return apperr.Invalid("akte_id", "Akte nicht gefunden")
		}
		if err != nil {
			return err
		}
		if err := writableAkte(to); err != nil {
			return err
		}
		now := s.timestamp()
		newAz, err := s.nextVorgangAz(ctx, tx, p.TenantID, to, v.ID)
		if err != nil {
			return err
		}
		if err := tx.InsertAzHistory(ctx, AzHistory{TenantID: p.TenantID, ObjectType: "vorgang", ObjectID: v.ID, Aktenzeichen: v.Aktenzeichen, Until: now, Reason: "verschoben nach " + to.Aktenzeichen}); err != nil {
			return err
		}
		oldAz := v.Aktenzeichen
		v.Aktenzeichen, v.AkteID, v.UpdatedAt = newAz, to.ID, now
		if err := tx.UpdateVorgang(ctx, v); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "vorgang.move", "vorgang", v.ID, audit.Changes{
			"aktenzeichen": {Before: oldAz, After: newAz}, "akte_id": {Before: from.ID, After: to.ID}})
	})
	return v, err
}

// AktenzeichenHistory lists the former Aktenzeichen of an Akte or Vorgang.
func (s *Service) AktenzeichenHistory(ctx context.Context, p Principal, objectType, id string) ([]AzHistory, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return nil, err
	}
	var out []AzHistory
	err := s.store.Read(ctx, func(tx Tx) error {
		tenant, err := s.visible(ctx, tx, p, objectType, id)
		if err != nil {
			return err
		}
		out, err = tx.ListAzHistory(ctx, tenant, id)
		return err
	})
	return out, err
}

// visible fails with 404 unless p may see the object, and returns the
// object's tenant.
func (s *Service) visible(ctx context.Context, tx Tx, p Principal, objectType, id string) (string, error) {
	switch objectType {
	case "akte":
		a, _, err := s.akteFor(ctx, tx, p, id, access.ReadMetadata)
		return a.TenantID, err
	case "vorgang":
		v, _, _, err := s.vorgangFor(ctx, tx, p, id, access.ReadMetadata)
		return v.TenantID, err
	case "dokument":
		d, _, _, _, err := s.dokumentFor(ctx, tx, p, id, access.ReadMetadata)
		return d.TenantID, err
	case "aktenplan":
		_, err := tx.GetAktenplan(ctx, p.TenantID, id)
		return p.TenantID, notFound(err, "Aktenplanposition")
	}
	return "", apperr.NotFound("Objekt")
}

// History lists the audit entries of one object, oldest first.
func (s *Service) History(ctx context.Context, p Principal, objectType, id string, pg Page) ([]audit.Entry, error) {
	return s.historyOf(ctx, p, objectType, id, func(tx Tx, tenant string) ([]audit.Entry, error) {
		return tx.ListAudit(ctx, tenant, id, clampPage(pg))
	})
}

// historyOf lists audit entries of an object the caller may see (the
// object's tenant passed to list).
func (s *Service) historyOf(ctx context.Context, p Principal, objectType, id string, list func(tx Tx, tenant string) ([]audit.Entry, error)) ([]audit.Entry, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return nil, err
	}
	var out []audit.Entry
	err := s.store.Read(ctx, func(tx Tx) error {
		tenant, err := s.visible(ctx, tx, p, objectType, id)
		if err != nil {
			return err
		}
		out, err = list(tx, tenant)
		return err
	})
	return out, err
}

// ActionRead is the audit action of a read of a Dokument's content
// (download, preview, the searchable copy).
const ActionRead = "dokument.download"

// HistoryChanges is History without the reads of content (ActionRead):
// what was done to the object, not who looked at it.
func (s *Service) HistoryChanges(ctx context.Context, p Principal, objectType, id string, pg Page) ([]audit.Entry, error) {
	return s.historyOf(ctx, p, objectType, id, func(tx Tx, tenant string) ([]audit.Entry, error) {
		aq, err := auditQueryTx(tx)
		if err != nil {
			return nil, err
		}
		return aq.QueryAudit(ctx, tenant, AuditFilter{ObjectID: id, ExcludeAction: ActionRead}, clampPage(pg))
	})
}

// ReadSummary sums up the reads of an object's content in its history.
type ReadSummary struct {
	Count int
	More  bool         // there are more than Count (counting stopped)
	Last  *audit.Entry // the newest read
}

// maxReadsCounted bounds the reads HistoryReads counts.
const maxReadsCounted = 10000

// HistoryReads counts the reads of content (ActionRead) in an object's
// history, at most maxReadsCounted, and returns the newest one.
func (s *Service) HistoryReads(ctx context.Context, p Principal, objectType, id string) (ReadSummary, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return ReadSummary{}, err
	}
	var sum ReadSummary
	err := s.store.Read(ctx, func(tx Tx) error {
		tenant, err := s.visible(ctx, tx, p, objectType, id)
		if err != nil {
			return err
		}
		aq, err := auditQueryTx(tx)
		if err != nil {
			return err
		}
		pg := Page{Limit: 1000}
		for sum.Count < maxReadsCounted {
			es, err := aq.QueryAudit(ctx, tenant, AuditFilter{ObjectID: id, Action: ActionRead}, pg)
			if err != nil {
				return err
			}
			if len(es) == 0 {
				return nil
			}
			sum.Count += len(es)
			last := es[len(es)-1]
			sum.Last = &last
			if len(es) < pg.Limit {
				return nil
			}
			pg.After = last.ID
		}
		es, err := aq.QueryAudit(ctx, tenant, AuditFilter{ObjectID: id, Action: ActionRead}, Page{After: pg.After, Limit: 1})
		if sum.More = len(es) > 0; sum.More {
			sum.Last = nil // not the newest: counting stopped
		}
		return err
	})
	return sum, err
}

// Lookup resolves a current or former Aktenzeichen to an object p may see:
// first in p's tenant, then among objects other tenants shared with p.
func (s *Service) Lookup(ctx context.Context, p Principal, az string) (objectType, id string, err error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return "", "", err
	}
	err = s.store.Read(ctx, func(tx Tx) error {
		objectType, id, err = s.lookup(ctx, tx, p, az)
		return err
	})
	return objectType, id, err
}

// lookup is Lookup inside a transaction.
func (s *Service) lookup(ctx context.Context, tx Tx, p Principal, az string) (objectType, id string, err error) {
	refs, err := tx.LookupAktenzeichenAll(ctx, az)
	if err != nil {
		return "", "", err
	}
	// own tenant first
	slices.SortStableFunc(refs, func(a, b AzRef) int {
		return cmpBool(a.TenantID != p.TenantID, b.TenantID != p.TenantID)
	})
	for _, r := range refs {
		if _, err := s.visible(ctx, tx, p, r.ObjectType, r.ObjectID); err == nil {
			return r.ObjectType, r.ObjectID, nil
		} else if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindNotFound {
			return "", "", err
		}
	}
	return "", "", apperr.NotFound("Aktenzeichen")
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
