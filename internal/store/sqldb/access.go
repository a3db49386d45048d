package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

// jsonList encodes ids for the dialect's JSONList subquery.
func jsonList(ids []string) string {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// nullID stores "" as NULL (optional foreign keys).
func nullID(id string) any {
	if id == "" {
		return nil
	}
	return id
}

func scopesString(sc []access.Scope) string {
	if sc == nil {
		sc = access.AllScopes
	}
	parts := make([]string, len(sc))
	for i, s := range sc {
		parts[i] = string(s)
	}
	return strings.Join(parts, ",")
}

func parseScopes(s string) []access.Scope {
	out := []access.Scope{}
	for _, p := range strings.Split(s, ",") {
		if sc, ok := access.ParseScope(p); ok {
			out = append(out, sc)
		}
	}
	return out
}

// --- users and units -------------------------------------------------------------

func (t *tx) ListUsers(ctx context.Context, tenantID string) ([]records.User, error) {
	rows, err := t.query(ctx, `SELECT `+userCols+` FROM users WHERE tenant_id = ? ORDER BY login`, tenantID)
	return scanAll(rows, err, func(r *sql.Rows) (records.User, error) { return scanUser(r) })
}

func (t *tx) UpdateUser(ctx context.Context, u records.User) error {
	return affected(t.exec(ctx, `UPDATE users SET name = ?, roles = ?, active = ? WHERE tenant_id = ? AND id = ?`,
		u.Name, rolesString(u.Roles), u.Active, u.TenantID, u.ID))
}

func (t *tx) RemoveMembership(ctx context.Context, userID, unitID string) error {
	return affected(t.exec(ctx, `DELETE FROM user_units WHERE user_id = ? AND unit_id = ?`, userID, unitID))
}

func (t *tx) UnitByID(ctx context.Context, tenantID, id string) (records.Unit, error) {
	u, err := scanUnit(t.row(ctx, `SELECT `+unitCols+` FROM org_units WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return u, one(err)
}

// --- grants ------------------------------------------------------------------------

const grantSelect = `g.id, g.tenant_id, g.akte_id, g.grantee_tenant_id, g.grantee_unit_id, g.grantee_user_id, g.level,
	g.expires_at, g.created_by, g.created_at, g.revoked_at, n.code, o.kennung, u.login
	FROM grants g JOIN tenants n ON n.id = g.grantee_tenant_id
	LEFT JOIN org_units o ON o.id = g.grantee_unit_id LEFT JOIN users u ON u.id = g.grantee_user_id`

func scanGrant(r interface{ Scan(...any) error }) (records.Grant, error) {
	var g records.Grant
	var unitID, userID, kennung, login sql.NullString
	var exp, rev sql.NullTime
	err := r.Scan(&g.ID, &g.TenantID, &g.AkteID, &g.GranteeTenantID, &unitID, &userID, &g.Level,
		&exp, &g.CreatedBy, &g.CreatedAt, &rev, &g.Tenant, &kennung, &login)
	g.GranteeUnitID, g.GranteeUserID = unitID.String, userID.String
	g.Unit, g.User = strPtr(kennung), strPtr(login)
	g.ExpiresAt, g.RevokedAt, g.CreatedAt = timePtr(exp), timePtr(rev), g.CreatedAt.UTC()
	return g, err
}

func (t *tx) InsertGrant(ctx context.Context, g records.Grant) error {
	return t.regrant(ctx, g.AkteID, func() error { return t.insertGrant(ctx, g) })
}

func (t *tx) insertGrant(ctx context.Context, g records.Grant) error {
	_, err := t.exec(ctx, `INSERT INTO grants (id, tenant_id, akte_id, grantee_tenant_id, grantee_unit_id, grantee_user_id, level, expires_at, created_by, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?)`,
		g.ID, g.TenantID, g.AkteID, g.GranteeTenantID, nullID(g.GranteeUnitID), nullID(g.GranteeUserID), g.Level,
		nullTime(g.ExpiresAt), g.CreatedBy, g.CreatedAt.UTC())
	return err
}

func (t *tx) ListGrants(ctx context.Context, akteID string) ([]records.Grant, error) {
	rows, err := t.query(ctx, `SELECT `+grantSelect+` WHERE g.akte_id = ? ORDER BY g.id`, akteID)
	return scanAll(rows, err, func(r *sql.Rows) (records.Grant, error) { return scanGrant(r) })
}

func (t *tx) RevokeGrant(ctx context.Context, akteID, id string, at time.Time) error {
	return t.regrant(ctx, akteID, func() error { return t.revokeGrant(ctx, akteID, id, at) })
}

func (t *tx) revokeGrant(ctx context.Context, akteID, id string, at time.Time) error {
	return affected(t.exec(ctx, `UPDATE grants SET revoked_at = ? WHERE akte_id = ? AND id = ? AND revoked_at IS NULL`, at.UTC(), akteID, id))
}

// --- restrictions ------------------------------------------------------------------

func (t *tx) SetRestrictionUsers(ctx context.Context, objectID string, userIDs []string) error {
	if _, err := t.exec(ctx, `DELETE FROM restriction_users WHERE object_id = ?`, objectID); err != nil {
		return err
	}
	for _, u := range userIDs {
		if _, err := t.exec(ctx, `INSERT INTO restriction_users (object_id, user_id) VALUES (?,?)`, objectID, u); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) RestrictionUsers(ctx context.Context, objectID string) ([]records.User, error) {
	rows, err := t.query(ctx, `SELECT `+prefixed("u.", userCols)+` FROM restriction_users r JOIN users u ON u.id = r.user_id
		WHERE r.object_id = ? ORDER BY u.login`, objectID)
	return scanAll(rows, err, func(r *sql.Rows) (records.User, error) { return scanUser(r) })
}

func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// --- Vertretungen ------------------------------------------------------------------

const vertretungSelect = `v.id, v.tenant_id, v.vertretene_id, v.vertreter_id, a.login, b.login, v.von, v.bis, v.created_by, v.created_at, v.revoked_at
	FROM vertretungen v JOIN users a ON a.id = v.vertretene_id JOIN users b ON b.id = v.vertreter_id`

func scanVertretung(r interface{ Scan(...any) error }) (records.Vertretung, error) {
	var v records.Vertretung
	var rev sql.NullTime
	err := r.Scan(&v.ID, &v.TenantID, &v.VertreteneID, &v.VertreterID, &v.Vertretene, &v.Vertreter, &v.Von, &v.Bis, &v.CreatedBy, &v.CreatedAt, &rev)
	v.Von, v.Bis, v.CreatedAt, v.RevokedAt = v.Von.UTC(), v.Bis.UTC(), v.CreatedAt.UTC(), timePtr(rev)
	return v, err
}

func (t *tx) InsertVertretung(ctx context.Context, v records.Vertretung) error {
	_, err := t.exec(ctx, `INSERT INTO vertretungen (id, tenant_id, vertretene_id, vertreter_id, von, bis, created_by, created_at) VALUES (?,?,?,?,?,?,?,?)`,
		v.ID, v.TenantID, v.VertreteneID, v.VertreterID, v.Von.UTC(), v.Bis.UTC(), v.CreatedBy, v.CreatedAt.UTC())
	return err
}

func (t *tx) GetVertretung(ctx context.Context, tenantID, id string) (records.Vertretung, error) {
	v, err := scanVertretung(t.row(ctx, `SELECT `+vertretungSelect+` WHERE v.tenant_id = ? AND v.id = ?`, tenantID, id))
	return v, one(err)
}

// ListVertretungen lists a tenant's Vertretungen; with userID only those in
// which the user is vertretene or vertreter.
func (t *tx) ListVertretungen(ctx context.Context, tenantID, userID string) ([]records.Vertretung, error) {
	rows, err := t.query(ctx, `SELECT `+vertretungSelect+` WHERE v.tenant_id = ? AND (? = '' OR v.vertretene_id = ? OR v.vertreter_id = ?) ORDER BY v.von, v.id`,
		tenantID, userID, userID, userID)
	return scanAll(rows, err, func(r *sql.Rows) (records.Vertretung, error) { return scanVertretung(r) })
}

// OverlappingVertretung finds a live Vertretung of vertretene whose period
// overlaps [von, bis).
func (t *tx) OverlappingVertretung(ctx context.Context, vertreteneID string, von, bis time.Time) (records.Vertretung, error) {
	v, err := scanVertretung(t.row(ctx, `SELECT `+vertretungSelect+` WHERE v.vertretene_id = ? AND v.revoked_at IS NULL AND v.von < ? AND v.bis > ?
		ORDER BY v.von LIMIT 1`, vertreteneID, bis.UTC(), von.UTC()))
	return v, one(err)
}

// ActiveVertretung finds the Vertretung in force at now in which vertreter
// acts for vertretene.
func (t *tx) ActiveVertretung(ctx context.Context, vertreteneID, vertreterID string, now time.Time) (records.Vertretung, error) {
	v, err := scanVertretung(t.row(ctx, `SELECT `+vertretungSelect+` WHERE v.vertretene_id = ? AND v.vertreter_id = ? AND v.revoked_at IS NULL
		AND v.von <= ? AND v.bis > ? LIMIT 1`, vertreteneID, vertreterID, now.UTC(), now.UTC()))
	return v, one(err)
}

func (t *tx) EndVertretung(ctx context.Context, tenantID, id string, at time.Time) error {
	return affected(t.exec(ctx, `UPDATE vertretungen SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL`, at.UTC(), tenantID, id))
}

// LookupAktenzeichenAll finds the objects of every tenant an Aktenzeichen
// names (callers check visibility of each).
func (t *tx) LookupAktenzeichenAll(ctx context.Context, az string) ([]records.AzRef, error) {
	rows, err := t.query(ctx, `SELECT tenant_id, object_type, object_id FROM aktenzeichen WHERE aktenzeichen = ? ORDER BY tenant_id`, az)
	return scanAll(rows, err, func(r *sql.Rows) (records.AzRef, error) {
		var ref records.AzRef
		err := r.Scan(&ref.TenantID, &ref.ObjectType, &ref.ObjectID)
		return ref, err
	})
}
