package sqldb

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// Recently opened Akten (migration 00014): every statement names tenant
// and user.

func (t *tx) NoteRecentAkte(ctx context.Context, tenantID, userID, akteID string, at time.Time, keep int) error {
	// seq: the user's next number; two parallel notes may get the same one,
	// which only leaves their order open.
	if _, err := t.exec(ctx, `INSERT INTO recent_akten (tenant_id, user_id, akte_id, opened_at, seq)
		VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM recent_akten WHERE tenant_id = ? AND user_id = ?))
		ON CONFLICT (user_id, akte_id) DO UPDATE SET opened_at = excluded.opened_at, seq = excluded.seq, tenant_id = excluded.tenant_id`,
		tenantID, userID, akteID, at.UTC(), tenantID, userID); err != nil {
		return err
	}
	_, err := t.exec(ctx, `DELETE FROM recent_akten WHERE tenant_id = ? AND user_id = ? AND akte_id NOT IN (
		SELECT akte_id FROM recent_akten WHERE tenant_id = ? AND user_id = ? ORDER BY seq DESC LIMIT `+strconv.Itoa(keep)+`)`,
		tenantID, userID, tenantID, userID)
	return err
}

func (t *tx) RecentAkten(ctx context.Context, tenantID, userID string, limit int) ([]string, error) {
	rows, err := t.query(ctx, `SELECT akte_id FROM recent_akten WHERE tenant_id = ? AND user_id = ? ORDER BY seq DESC LIMIT `+strconv.Itoa(limit),
		tenantID, userID)
	return scanAll(rows, err, func(r *sql.Rows) (id string, err error) { err = r.Scan(&id); return })
}
