package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"

	"aktenwerk/internal/records"
)

// Saved searches (migration 00012): every statement names tenant and user,
// so that one user's id never reaches another's row.

const savedCols = `id, tenant_id, user_id, name, query, filter, created_at`

func scanSaved(r interface{ Scan(...any) error }) (records.SavedSearch, error) {
	var s records.SavedSearch
	var filter string
	if err := r.Scan(&s.ID, &s.TenantID, &s.UserID, &s.Name, &s.Query, &filter, &s.CreatedAt); err != nil {
		return s, err
	}
	s.CreatedAt = s.CreatedAt.UTC()
	if err := json.Unmarshal([]byte(filter), &s.Filter); err != nil {
		return s, err
	}
	return s, nil
}

func (t *tx) InsertSavedSearch(ctx context.Context, s records.SavedSearch) error {
	f, err := json.Marshal(s.Filter)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO saved_searches (`+savedCols+`) VALUES (?,?,?,?,?,?,?)`,
		s.ID, s.TenantID, s.UserID, s.Name, s.Query, string(f), s.CreatedAt.UTC())
	return err
}

func (t *tx) ListSavedSearches(ctx context.Context, tenantID, userID string, limit int) ([]records.SavedSearch, error) {
	rows, err := t.query(ctx, `SELECT `+savedCols+` FROM saved_searches WHERE tenant_id = ? AND user_id = ? ORDER BY id LIMIT `+strconv.Itoa(limit),
		tenantID, userID)
	return scanAll(rows, err, func(r *sql.Rows) (records.SavedSearch, error) { return scanSaved(r) })
}

func (t *tx) GetSavedSearch(ctx context.Context, tenantID, userID, id string) (records.SavedSearch, error) {
	s, err := scanSaved(t.row(ctx, `SELECT `+savedCols+` FROM saved_searches WHERE tenant_id = ? AND user_id = ? AND id = ?`, tenantID, userID, id))
	return s, one(err)
}

func (t *tx) DeleteSavedSearch(ctx context.Context, tenantID, userID, id string) error {
	return affected(t.exec(ctx, `DELETE FROM saved_searches WHERE tenant_id = ? AND user_id = ? AND id = ?`, tenantID, userID, id))
}

func (t *tx) CountSavedSearches(ctx context.Context, tenantID, userID string) (int, error) {
	var n int
	err := t.row(ctx, `SELECT COUNT(*) FROM saved_searches WHERE tenant_id = ? AND user_id = ?`, tenantID, userID).Scan(&n)
	return n, err
}
