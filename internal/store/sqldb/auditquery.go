package sqldb

import (
	"context"
	"database/sql"
	"strings"

	"aktenwerk/internal/audit"
	"aktenwerk/internal/records"
)

var _ records.AuditQueryTx = (*tx)(nil)

// QueryAudit implements records.AuditQueryTx: keyset pagination by id over
// the tenant's entries, narrowed by the optional filters. Only the filters
// that are set become part of the statement, so that each combination gets a
// plan that can use its index (migration 00005: (tenant_id, id),
// (tenant_id, actor_id, id), (tenant_id, action, id), (tenant_id, at); the
// object filter uses (tenant_id, object_id, id) of 00001). There are at most
// 2^8 statement texts, each prepared once.
//
// Times are compared as stored. On PostgreSQL that is timestamptz; on SQLite
// the driver writes a time.Time as its String() form, and since every
// audit time is written and compared in UTC, that text sorts like the time
// it stands for ("2026-03-15 09:30:00 +0000 UTC" before
// "2026-03-15 09:30:00.5 +0000 UTC"), so the same SQL works on both.
func (t *tx) QueryAudit(ctx context.Context, tenantID string, f records.AuditFilter, p records.Page) ([]audit.Entry, error) {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	var b strings.Builder
	b.WriteString(`SELECT ` + auditCols + ` FROM audit_log WHERE tenant_id = ?`)
	args := []any{tenantID}
	eq := func(col, v string) {
		if v != "" {
			b.WriteString(` AND ` + col + ` = ?`)
			args = append(args, v)
		}
	}
	eq("actor_id", f.ActorID)
	eq("object_id", f.ObjectID)
	eq("object_type", f.ObjectType)
	eq("action", f.Action)
	if f.ExcludeAction != "" {
		b.WriteString(` AND action <> ?`)
		args = append(args, f.ExcludeAction)
	}
	if f.From != nil {
		b.WriteString(` AND at >= ?`)
		args = append(args, f.From.UTC())
	}
	if f.To != nil {
		b.WriteString(` AND at <= ?`)
		args = append(args, f.To.UTC())
	}
	if f.BeforeID != "" {
		b.WriteString(` AND id < ?`)
		args = append(args, f.BeforeID)
	}
	// The limit is a parameter, not part of the text: the number of
	// distinct statements (and of prepared statements per pool) stays at most 256.
	b.WriteString(` AND id > ? ORDER BY id LIMIT ?`)
	args = append(args, p.After, p.Limit)
	rows, err := t.query(ctx, b.String(), args...)
	return scanAll(rows, err, func(r *sql.Rows) (audit.Entry, error) { return scanAudit(r) })
}
