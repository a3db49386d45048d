package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/audit"
	"aktenwerk/internal/records"
)

// --- tenants, users, tokens -----------------------------------------------------

const tenantCols = `id, code, name, az_pattern, vorgang_pattern, created_at`

func scanTenant(r interface{ Scan(...any) error }) (records.Tenant, error) {
	var t records.Tenant
	err := r.Scan(&t.ID, &t.Code, &t.Name, &t.AzPattern, &t.VorgangPattern, &t.CreatedAt)
	t.CreatedAt = t.CreatedAt.UTC()
	return t, err
}

func (t *tx) InsertTenant(ctx context.Context, x records.Tenant) error {
	if _, err := t.exec(ctx, `INSERT INTO tenants (`+tenantCols+`) VALUES (?,?,?,?,?,?)`,
		x.ID, x.Code, x.Name, x.AzPattern, x.VorgangPattern, x.CreatedAt.UTC()); err != nil {
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?, 0, '')`, x.ID)
	return err
}

func (t *tx) UpdateTenant(ctx context.Context, x records.Tenant) error {
	return affected(t.exec(ctx, `UPDATE tenants SET name = ?, az_pattern = ?, vorgang_pattern = ? WHERE id = ?`,
		x.Name, x.AzPattern, x.VorgangPattern, x.ID))
}

func (t *tx) TenantByCode(ctx context.Context, code string) (records.Tenant, error) {
	x, err := scanTenant(t.row(ctx, `SELECT `+tenantCols+` FROM tenants WHERE code = ?`, code))
	return x, one(err)
}

func (t *tx) TenantByID(ctx context.Context, id string) (records.Tenant, error) {
	x, err := scanTenant(t.row(ctx, `SELECT `+tenantCols+` FROM tenants WHERE id = ?`, id))
	return x, one(err)
}

func (t *tx) ListTenants(ctx context.Context) ([]records.Tenant, error) {
	rows, err := t.query(ctx, `SELECT `+tenantCols+` FROM tenants ORDER BY code`)
	return scanAll(rows, err, func(r *sql.Rows) (records.Tenant, error) { return scanTenant(r) })
}

func rolesString(rs []access.Role) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, ",")
}

func parseRoles(s string) []access.Role {
	var out []access.Role
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, access.Role(p))
		}
	}
	return out
}

const userCols = `id, tenant_id, login, name, roles, active, created_at, kind`

func scanUser(r interface{ Scan(...any) error }) (records.User, error) {
	var u records.User
	var roles string
	err := r.Scan(&u.ID, &u.TenantID, &u.Login, &u.Name, &roles, &u.Active, &u.CreatedAt, &u.Kind)
	u.Roles = parseRoles(roles)
	u.CreatedAt = u.CreatedAt.UTC()
	return u, err
}

func (t *tx) InsertUser(ctx context.Context, u records.User) error {
	if u.Kind == "" {
		u.Kind = records.KindPerson
	}
	_, err := t.exec(ctx, `INSERT INTO users (`+userCols+`) VALUES (?,?,?,?,?,?,?,?)`,
		u.ID, u.TenantID, u.Login, u.Name, rolesString(u.Roles), u.Active, u.CreatedAt.UTC(), u.Kind)
	return err
}

func (t *tx) UserByLogin(ctx context.Context, tenantID, login string) (records.User, error) {
	u, err := scanUser(t.row(ctx, `SELECT `+userCols+` FROM users WHERE tenant_id = ? AND login = ?`, tenantID, login))
	return u, one(err)
}

func (t *tx) UserByID(ctx context.Context, tenantID, id string) (records.User, error) {
	u, err := scanUser(t.row(ctx, `SELECT `+userCols+` FROM users WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return u, one(err)
}

func (t *tx) SetUserActive(ctx context.Context, tenantID, userID string, active bool) error {
	return affected(t.exec(ctx, `UPDATE users SET active = ? WHERE tenant_id = ? AND id = ?`, active, tenantID, userID))
}

const unitCols = `id, tenant_id, parent_id, kennung, name, typ, created_at`

func scanUnit(r interface{ Scan(...any) error }) (records.Unit, error) {
	var u records.Unit
	var parent sql.NullString
	err := r.Scan(&u.ID, &u.TenantID, &parent, &u.Kennung, &u.Name, &u.Typ, &u.CreatedAt)
	u.ParentID, u.CreatedAt = strPtr(parent), u.CreatedAt.UTC()
	return u, err
}

func (t *tx) InsertUnit(ctx context.Context, u records.Unit) error {
	_, err := t.exec(ctx, `INSERT INTO org_units (`+unitCols+`) VALUES (?,?,?,?,?,?,?)`,
		u.ID, u.TenantID, nullStr(u.ParentID), u.Kennung, u.Name, u.Typ, u.CreatedAt.UTC())
	return err
}

func (t *tx) IsOperator(ctx context.Context, userID string) (bool, error) {
	var n int
	err := t.row(ctx, `SELECT COUNT(*) FROM betrieb WHERE user_id = ?`, userID).Scan(&n)
	return n > 0, err
}

func (t *tx) SetOperator(ctx context.Context, userID string, on bool, at time.Time) error {
	if !on {
		_, err := t.exec(ctx, `DELETE FROM betrieb WHERE user_id = ?`, userID)
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO betrieb (user_id, granted_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING`, userID, at.UTC())
	return err
}

func (t *tx) UpdateUnit(ctx context.Context, u records.Unit) error {
	return affected(t.exec(ctx, `UPDATE org_units SET name = ?, parent_id = ? WHERE tenant_id = ? AND id = ?`,
		u.Name, nullStr(u.ParentID), u.TenantID, u.ID))
}

// LockTenant takes the tenant's row lock on PostgreSQL (read committed:
// what the transaction reads after it is what the previous holder
// committed). FOR NO KEY UPDATE: it serialises the structural changes,
// but not the inserts of the tenant's rows, whose foreign keys take FOR
// KEY SHARE on the tenant (FOR UPDATE would stall every write of the
// tenant and deadlock with an Akte being filed). SQLite write
// transactions are serialised already.
func (t *tx) LockTenant(ctx context.Context, tenantID string) error {
	if !t.pg() {
		return nil
	}
	_, err := t.exec(ctx, `SELECT 1 FROM tenants WHERE id = ? FOR NO KEY UPDATE`, tenantID)
	return err
}

func (t *tx) UnitByKennung(ctx context.Context, tenantID, kennung string) (records.Unit, error) {
	u, err := scanUnit(t.row(ctx, `SELECT `+unitCols+` FROM org_units WHERE tenant_id = ? AND kennung = ?`, tenantID, kennung))
	return u, one(err)
}

func (t *tx) ListUnits(ctx context.Context, tenantID string) ([]records.Unit, error) {
	rows, err := t.query(ctx, `SELECT `+unitCols+` FROM org_units WHERE tenant_id = ? ORDER BY kennung`, tenantID)
	return scanAll(rows, err, func(r *sql.Rows) (records.Unit, error) { return scanUnit(r) })
}

func (t *tx) AddMembership(ctx context.Context, userID, unitID, position string) error {
	_, err := t.exec(ctx, `INSERT INTO user_units (user_id, unit_id, position) VALUES (?,?,?)`, userID, unitID, position)
	return err
}

func (t *tx) ListMemberships(ctx context.Context, tenantID, userID string) ([]records.Membership, error) {
	rows, err := t.query(ctx, `SELECT m.unit_id, u.kennung, m.position FROM user_units m JOIN org_units u ON u.id = m.unit_id
		WHERE m.user_id = ? AND u.tenant_id = ? ORDER BY u.kennung`, userID, tenantID)
	return scanAll(rows, err, func(r *sql.Rows) (records.Membership, error) {
		var m records.Membership
		err := r.Scan(&m.UnitID, &m.Kennung, &m.Position)
		return m, err
	})
}

func (t *tx) InsertToken(ctx context.Context, x records.Token, hash string) error {
	_, err := t.exec(ctx, `INSERT INTO api_tokens (id, tenant_id, user_id, hash, name, created_at, expires_at, scopes) VALUES (?,?,?,?,?,?,?,?)`,
		x.ID, x.TenantID, x.UserID, hash, x.Name, x.CreatedAt.UTC(), nullTime(x.ExpiresAt), scopesString(x.Scopes))
	return err
}

const tokenCols = `id, tenant_id, user_id, name, created_at, expires_at, revoked_at, scopes`

func scanToken(r interface{ Scan(...any) error }) (records.Token, error) {
	var k records.Token
	var exp, rev sql.NullTime
	var scopes string
	err := r.Scan(&k.ID, &k.TenantID, &k.UserID, &k.Name, &k.CreatedAt, &exp, &rev, &scopes)
	k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.Scopes = k.CreatedAt.UTC(), timePtr(exp), timePtr(rev), parseScopes(scopes)
	return k, err
}

func (t *tx) ListTokens(ctx context.Context, tenantID, userID string) ([]records.Token, error) {
	rows, err := t.query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE tenant_id = ? AND user_id = ? ORDER BY id`, tenantID, userID)
	return scanAll(rows, err, func(r *sql.Rows) (records.Token, error) { return scanToken(r) })
}

func (t *tx) RevokeToken(ctx context.Context, tenantID, id string, at time.Time) (records.Token, error) {
	k, err := scanToken(t.row(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL RETURNING `+tokenCols,
		at.UTC(), tenantID, id))
	return k, one(err)
}

func (t *tx) TokenOwner(ctx context.Context, hash string, now time.Time) (records.TokenOwner, error) {
	// One statement: this runs on every API request. One row per
	// membership of the user (one row with NULL when it has none).
	rows, err := t.query(ctx, `SELECT k.expires_at, k.revoked_at, k.scopes,
			n.id, n.code, n.name, n.az_pattern, n.vorgang_pattern, n.created_at,
			u.id, u.tenant_id, u.login, u.name, u.roles, u.active, u.created_at, u.kind, m.unit_id
		FROM api_tokens k JOIN users u ON u.id = k.user_id AND u.tenant_id = k.tenant_id JOIN tenants n ON n.id = k.tenant_id
		LEFT JOIN user_units m ON m.user_id = u.id
		WHERE k.hash = ?`, hash)
	if err != nil {
		return records.TokenOwner{}, err
	}
	defer rows.Close()
	var o records.TokenOwner
	found := false
	for rows.Next() {
		var roles, scopes string
		var expires, revoked sql.NullTime
		var unit sql.NullString
		ten, u := &o.Tenant, &o.User
		if err := rows.Scan(&expires, &revoked, &scopes, &ten.ID, &ten.Code, &ten.Name, &ten.AzPattern, &ten.VorgangPattern, &ten.CreatedAt,
			&u.ID, &u.TenantID, &u.Login, &u.Name, &roles, &u.Active, &u.CreatedAt, &u.Kind, &unit); err != nil {
			return records.TokenOwner{}, err
		}
		if revoked.Valid || (expires.Valid && !now.Before(expires.Time)) || !u.Active {
			return records.TokenOwner{}, records.ErrNoRows
		}
		ten.CreatedAt, u.CreatedAt = ten.CreatedAt.UTC(), u.CreatedAt.UTC()
		u.Roles, o.Scopes = parseRoles(roles), parseScopes(scopes)
		if unit.Valid {
			o.UnitIDs = append(o.UnitIDs, unit.String)
		}
		found = true
	}
	if err := rows.Err(); err != nil {
		return records.TokenOwner{}, err
	}
	if !found {
		return records.TokenOwner{}, records.ErrNoRows
	}
	return o, nil
}

// --- Aktenplan ----------------------------------------------------------------

const planCols = `id, tenant_id, parent_id, kennzeichen, titel, aufbewahrung, archiv, geschlossen, created_at, updated_at`

func scanPlan(r interface{ Scan(...any) error }) (records.AktenplanEintrag, error) {
	var e records.AktenplanEintrag
	var parent sql.NullString
	var aufb sql.NullInt64
	err := r.Scan(&e.ID, &e.TenantID, &parent, &e.Kennzeichen, &e.Titel, &aufb, &e.Archiv, &e.Geschlossen, &e.CreatedAt, &e.UpdatedAt)
	e.ParentID = strPtr(parent)
	if aufb.Valid {
		y := int(aufb.Int64)
		e.Aufbewahrung = &y
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e, err
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func (t *tx) InsertAktenplan(ctx context.Context, e records.AktenplanEintrag) error {
	_, err := t.exec(ctx, `INSERT INTO aktenplan (`+planCols+`) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		e.ID, e.TenantID, nullStr(e.ParentID), e.Kennzeichen, e.Titel, nullInt(e.Aufbewahrung), e.Archiv, e.Geschlossen, e.CreatedAt.UTC(), e.UpdatedAt.UTC())
	return err
}

func (t *tx) GetAktenplan(ctx context.Context, tenantID, id string) (records.AktenplanEintrag, error) {
	e, err := scanPlan(t.row(ctx, `SELECT `+planCols+` FROM aktenplan WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return e, one(err)
}

func (t *tx) AktenplanEntries(ctx context.Context, tenantID string, ids []string) (map[string]records.AktenplanEintrag, error) {
	return findByIDs(ctx, t, `SELECT `+planCols+` FROM aktenplan WHERE tenant_id = ? AND id IN (`+t.db.dialect.JSONList+`)`, ids,
		func(r *sql.Rows) (string, records.AktenplanEintrag, error) {
			e, err := scanPlan(r)
			return e.ID, e, err
		}, tenantID)
}

func (t *tx) GetAktenplanForFiling(ctx context.Context, tenantID, id string) (records.AktenplanEintrag, error) {
	lock := ""
	if t.pg() {
		lock = " FOR KEY SHARE"
	}
	e, err := scanPlan(t.row(ctx, `SELECT `+planCols+` FROM aktenplan WHERE tenant_id = ? AND id = ?`+lock, tenantID, id))
	return e, one(err)
}

func (t *tx) LockAktenplan(ctx context.Context, tenantID, id string) error {
	if !t.pg() {
		return nil
	}
	_, err := t.exec(ctx, `SELECT 1 FROM aktenplan WHERE tenant_id = ? AND id = ? FOR UPDATE`, tenantID, id)
	return err
}

func (t *tx) UpdateAktenplan(ctx context.Context, e records.AktenplanEintrag) error {
	return affected(t.exec(ctx, `UPDATE aktenplan SET kennzeichen = ?, parent_id = ?, titel = ?, aufbewahrung = ?, archiv = ?, geschlossen = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		e.Kennzeichen, nullStr(e.ParentID), e.Titel, nullInt(e.Aufbewahrung), e.Archiv, e.Geschlossen, e.UpdatedAt.UTC(), e.TenantID, e.ID))
}

func (t *tx) DeleteAktenplan(ctx context.Context, tenantID, id string) error {
	return affected(t.exec(ctx, `DELETE FROM aktenplan WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

func (t *tx) ListAktenplan(ctx context.Context, tenantID string) ([]records.AktenplanEintrag, error) {
	rows, err := t.query(ctx, `SELECT `+planCols+` FROM aktenplan WHERE tenant_id = ? ORDER BY kennzeichen`, tenantID)
	return scanAll(rows, err, func(r *sql.Rows) (records.AktenplanEintrag, error) { return scanPlan(r) })
}

func (t *tx) AktenplanUsage(ctx context.Context, tenantID, id string) (children, akten int, err error) {
	if err = t.row(ctx, `SELECT COUNT(*) FROM aktenplan WHERE tenant_id = ? AND parent_id = ?`, tenantID, id).Scan(&children); err != nil {
		return
	}
	err = t.row(ctx, `SELECT COUNT(*) FROM akten WHERE tenant_id = ? AND aktenplan_id = ?`, tenantID, id).Scan(&akten)
	return
}

// --- Aktenzeichen -----------------------------------------------------------------

func (t *tx) NextSerial(ctx context.Context, tenantID, scope string) (int64, error) {
	var v int64
	err := t.row(ctx, `INSERT INTO counters (tenant_id, scope, value) VALUES (?, ?, 1)
		ON CONFLICT (tenant_id, scope) DO UPDATE SET value = counters.value + 1 RETURNING value`, tenantID, scope).Scan(&v)
	return v, err
}

func (t *tx) RegisterAktenzeichen(ctx context.Context, tenantID, az, objectType, objectID string) error {
	_, err := t.exec(ctx, `INSERT INTO aktenzeichen (tenant_id, aktenzeichen, object_type, object_id) VALUES (?,?,?,?)`,
		tenantID, az, objectType, objectID)
	return err
}

func (t *tx) LookupAktenzeichen(ctx context.Context, tenantID, az string) (string, string, error) {
	var typ, id string
	err := t.row(ctx, `SELECT object_type, object_id FROM aktenzeichen WHERE tenant_id = ? AND aktenzeichen = ?`, tenantID, az).Scan(&typ, &id)
	return typ, id, one(err)
}

func (t *tx) InsertAzHistory(ctx context.Context, h records.AzHistory) error {
	_, err := t.exec(ctx, `INSERT INTO aktenzeichen_historie (tenant_id, object_type, object_id, aktenzeichen, until, reason) VALUES (?,?,?,?,?,?)`,
		h.TenantID, h.ObjectType, h.ObjectID, h.Aktenzeichen, h.Until.UTC(), h.Reason)
	return err
}

func (t *tx) ListAzHistory(ctx context.Context, tenantID, objectID string) ([]records.AzHistory, error) {
	rows, err := t.query(ctx, `SELECT tenant_id, object_type, object_id, aktenzeichen, until, reason FROM aktenzeichen_historie
		WHERE tenant_id = ? AND object_id = ? ORDER BY until, aktenzeichen`, tenantID, objectID)
	return scanAll(rows, err, func(r *sql.Rows) (records.AzHistory, error) {
		var h records.AzHistory
		err := r.Scan(&h.TenantID, &h.ObjectType, &h.ObjectID, &h.Aktenzeichen, &h.Until, &h.Reason)
		h.Until = h.Until.UTC()
		return h, err
	})
}

// --- Akten -----------------------------------------------------------------------

func metaJSON(m records.Metadata) (string, error) {
	if m == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]any(m))
	return string(b), err
}

func parseMeta(s string) (records.Metadata, error) {
	m := records.Metadata{}
	if s == "" {
		return m, nil
	}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("metadaten: %w", err)
	}
	return m, nil
}

const akteCols = `id, tenant_id, aktenplan_id, aktenzeichen, titel, beschreibung, status, metadaten, created_by, created_at, updated_at, closed_at, owner_unit_id`

// akteSelect adds the owning unit's Kennung to akteCols.
const akteSelect = akteCols + `, (SELECT o.kennung FROM org_units o WHERE o.id = owner_unit_id)`

func scanAkte(r interface{ Scan(...any) error }) (records.Akte, error) {
	var a records.Akte
	var meta string
	var closed sql.NullTime
	var owner, kennung sql.NullString
	if err := r.Scan(&a.ID, &a.TenantID, &a.AktenplanID, &a.Aktenzeichen, &a.Titel, &a.Beschreibung, &a.Status, &meta, &a.CreatedBy, &a.CreatedAt, &a.UpdatedAt, &closed, &owner, &kennung); err != nil {
		return a, err
	}
	a.OwnerUnitID, a.Einheit = owner.String, strPtr(kennung)
	a.CreatedAt, a.UpdatedAt, a.ClosedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC(), timePtr(closed)
	var err error
	a.Metadaten, err = parseMeta(meta)
	return a, err
}

func (t *tx) InsertAkte(ctx context.Context, a records.Akte) error {
	meta, err := metaJSON(a.Metadaten)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO akten (`+akteCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		a.ID, a.TenantID, a.AktenplanID, a.Aktenzeichen, a.Titel, a.Beschreibung, a.Status, meta, a.CreatedBy, a.CreatedAt.UTC(), a.UpdatedAt.UTC(), nullTime(a.ClosedAt), nullID(a.OwnerUnitID))
	if err != nil {
		return err
	}
	return t.MarkSearch(ctx, records.SearchPending{ObjectID: a.ID, ObjectType: records.ObjAkte, TenantID: a.TenantID})
}

func (t *tx) GetAkte(ctx context.Context, tenantID, id string) (records.Akte, error) {
	a, err := scanAkte(t.row(ctx, `SELECT `+akteSelect+` FROM akten WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return a, one(err)
}

func (t *tx) FindAkte(ctx context.Context, id string) (records.Akte, error) {
	a, err := scanAkte(t.row(ctx, `SELECT `+akteSelect+` FROM akten WHERE id = ?`, id))
	return a, one(err)
}

func (t *tx) FindAkten(ctx context.Context, ids []string) (map[string]records.Akte, error) {
	return findByIDs(ctx, t, `SELECT `+akteSelect+` FROM akten WHERE id IN (`+t.db.dialect.JSONList+`)`, ids,
		func(r *sql.Rows) (string, records.Akte, error) {
			a, err := scanAkte(r)
			return a.ID, a, err
		})
}

func (t *tx) FindVorgaenge(ctx context.Context, ids []string) (map[string]records.Vorgang, error) {
	return findByIDs(ctx, t, `SELECT `+vorgangCols+` FROM vorgaenge WHERE id IN (`+t.db.dialect.JSONList+`)`, ids,
		func(r *sql.Rows) (string, records.Vorgang, error) {
			v, err := scanVorgang(r)
			return v.ID, v, err
		})
}

// findByIDs runs query with the parameters before and then ids as a JSON
// list, and maps its rows by the id scan returns. No ids: no statement.
func findByIDs[T any](ctx context.Context, t *tx, query string, ids []string, scan func(*sql.Rows) (string, T, error), before ...any) (map[string]T, error) {
	out := make(map[string]T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := t.query(ctx, query, append(before, jsonList(ids))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		id, x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out[id] = x
	}
	return out, rows.Err()
}

func (t *tx) UpdateAkte(ctx context.Context, a records.Akte) error {
	meta, err := metaJSON(a.Metadaten)
	if err != nil {
		return err
	}
	if err := affected(t.exec(ctx, `UPDATE akten SET aktenplan_id = ?, aktenzeichen = ?, titel = ?, beschreibung = ?, status = ?, metadaten = ?, updated_at = ?, closed_at = ?, owner_unit_id = ?
		WHERE tenant_id = ? AND id = ?`,
		a.AktenplanID, a.Aktenzeichen, a.Titel, a.Beschreibung, a.Status, meta, a.UpdatedAt.UTC(), nullTime(a.ClosedAt), nullID(a.OwnerUnitID), a.TenantID, a.ID)); err != nil {
		return err
	}
	return t.touchAkte(ctx, a)
}

// ListAkten lists the Akten a viewer may see: its tenant's Akten of its
// units (or of the whole tenant) and Akten shared with it by grants, also
// from other tenants. The two parts are separate ordered, limited queries
// merged by id, so that each can use its index.
func (t *tx) ListAkten(ctx context.Context, v records.Viewer, f records.AkteFilter, p records.Page) ([]records.Akte, error) {
	units := jsonList(v.Units)
	inUnits := `(owner_unit_id IS NULL OR owner_unit_id IN (` + t.db.dialect.JSONList + `))`
	var filter string
	var fargs []any
	if f.AktenplanID != "" {
		// Aktenplan positions belong to one tenant: filtering by a position
		// shows Akten of that tenant only.
		filter += ` AND aktenplan_id = ?`
		fargs = append(fargs, f.AktenplanID)
	}
	if f.Status != "" {
		filter += ` AND status = ?`
		fargs = append(fargs, f.Status)
	}
	if f.EinheitID != "" {
		filter += ` AND owner_unit_id = ?`
		fargs = append(fargs, f.EinheitID)
	}
	limit := ` ORDER BY id LIMIT ` + limitOf(p)
	own := `SELECT ` + akteSelect + ` FROM akten WHERE tenant_id = ? AND id > ?` + filter
	args := append([]any{v.TenantID, p.After}, fargs...)
	if v.All {
		rows, err := t.query(ctx, own+limit, args...)
		return scanAll(rows, err, func(r *sql.Rows) (records.Akte, error) { return scanAkte(r) })
	}
	own += ` AND ` + inUnits
	args = append(args, units)
	grantee := `g.grantee_tenant_id = ? AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?)
		AND ((g.grantee_unit_id IS NULL AND g.grantee_user_id IS NULL) OR g.grantee_user_id = ? OR g.grantee_unit_id IN (` + t.db.dialect.JSONList + `))`
	var granted string
	if filter == "" {
		// Without list filters the page of granted Akten is taken from the
		// grants index directly (grants_grantee: tenant, akte_id), so a
		// deep page costs the same as the first. Dropping the Akten the
		// caller sees anyway after the inner limit cannot shorten the
		// merged page: those are in the own part.
		granted = `SELECT ` + akteSelect + ` FROM akten WHERE id IN (SELECT DISTINCT g.akte_id FROM grants g
			WHERE g.akte_id > ? AND ` + grantee + ` ORDER BY g.akte_id LIMIT ` + limitOf(p) + `)
			AND NOT (tenant_id = ? AND ` + inUnits + `)`
		args = append(args, p.After, v.TenantID, v.Now.UTC(), v.UserID, units, v.TenantID, units)
	} else {
		granted = `SELECT ` + akteSelect + ` FROM akten WHERE id > ?` + filter + ` AND id IN (SELECT g.akte_id FROM grants g
			WHERE g.akte_id > ? AND ` + grantee + `) AND NOT (tenant_id = ? AND ` + inUnits + `)`
		args = append(args, p.After)
		args = append(args, fargs...)
		args = append(args, p.After, v.TenantID, v.Now.UTC(), v.UserID, units, v.TenantID, units)
	}
	q := `SELECT * FROM (` + own + limit + `) o UNION ALL SELECT * FROM (` + granted + limit + `) g ORDER BY 1 LIMIT ` + limitOf(p)
	rows, err := t.query(ctx, q, args...)
	return scanAll(rows, err, func(r *sql.Rows) (records.Akte, error) { return scanAkte(r) })
}

// --- Vorgänge ------------------------------------------------------------------

const vorgangCols = `id, tenant_id, akte_id, aktenzeichen, betreff, status, metadaten, created_by, created_at, updated_at, closed_at, restriction`

func scanVorgang(r interface{ Scan(...any) error }) (records.Vorgang, error) {
	var v records.Vorgang
	var meta string
	var closed sql.NullTime
	var restr sql.NullString
	if err := r.Scan(&v.ID, &v.TenantID, &v.AkteID, &v.Aktenzeichen, &v.Betreff, &v.Status, &meta, &v.CreatedBy, &v.CreatedAt, &v.UpdatedAt, &closed, &restr); err != nil {
		return v, err
	}
	v.Beschraenkung = strPtr(restr)
	v.CreatedAt, v.UpdatedAt, v.ClosedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC(), timePtr(closed)
	var err error
	v.Metadaten, err = parseMeta(meta)
	return v, err
}

func (t *tx) InsertVorgang(ctx context.Context, v records.Vorgang) error {
	meta, err := metaJSON(v.Metadaten)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO vorgaenge (`+vorgangCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		v.ID, v.TenantID, v.AkteID, v.Aktenzeichen, v.Betreff, v.Status, meta, v.CreatedBy, v.CreatedAt.UTC(), v.UpdatedAt.UTC(), nullTime(v.ClosedAt), nullStr(v.Beschraenkung))
	if err != nil {
		return err
	}
	return t.MarkSearch(ctx, records.SearchPending{ObjectID: v.ID, ObjectType: records.ObjVorgang, TenantID: v.TenantID})
}

func (t *tx) GetVorgang(ctx context.Context, tenantID, id string) (records.Vorgang, error) {
	v, err := scanVorgang(t.row(ctx, `SELECT `+vorgangCols+` FROM vorgaenge WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return v, one(err)
}

func (t *tx) FindVorgang(ctx context.Context, id string) (records.Vorgang, error) {
	v, err := scanVorgang(t.row(ctx, `SELECT `+vorgangCols+` FROM vorgaenge WHERE id = ?`, id))
	return v, one(err)
}

func (t *tx) UpdateVorgang(ctx context.Context, v records.Vorgang) error {
	meta, err := metaJSON(v.Metadaten)
	if err != nil {
		return err
	}
	if err := affected(t.exec(ctx, `UPDATE vorgaenge SET akte_id = ?, aktenzeichen = ?, betreff = ?, status = ?, metadaten = ?, updated_at = ?, closed_at = ?, restriction = ?
		WHERE tenant_id = ? AND id = ?`,
		v.AkteID, v.Aktenzeichen, v.Betreff, v.Status, meta, v.UpdatedAt.UTC(), nullTime(v.ClosedAt), nullStr(v.Beschraenkung), v.TenantID, v.ID)); err != nil {
		return err
	}
	return t.touchVorgang(ctx, v)
}

func (t *tx) ListVorgaenge(ctx context.Context, tenantID, akteID, viewerID string, p records.Page) ([]records.Vorgang, error) {
	rows, err := t.query(ctx, `SELECT `+vorgangCols+` FROM vorgaenge WHERE akte_id = ? AND tenant_id = ? AND id > ?
		AND (restriction IS NULL OR ? = '*' OR EXISTS (SELECT 1 FROM restriction_users r WHERE r.object_id = vorgaenge.id AND r.user_id = ?))
		ORDER BY id LIMIT `+limitOf(p),
		akteID, tenantID, p.After, viewerID, viewerID)
	return scanAll(rows, err, func(r *sql.Rows) (records.Vorgang, error) { return scanVorgang(r) })
}

// --- Dokumente and Versionen -----------------------------------------------------

const dokCols = `id, tenant_id, vorgang_id, betreff, typ, absender, empfaenger, dokumentdatum, eingangsdatum, versionen, final, created_by, created_at, updated_at, restriction`

// dokSelect adds the text recognition state (dokument_texte) and whether
// the newest version has a thumbnail to dokCols.
const dokSelect = dokCols + `, (SELECT x.status FROM dokument_texte x WHERE x.dokument_id = dokumente.id),
	(SELECT x.grund FROM dokument_texte x WHERE x.dokument_id = dokumente.id), (SELECT x.methode FROM dokument_texte x WHERE x.dokument_id = dokumente.id),
	(SELECT COUNT(*) FROM versionen v WHERE v.dokument_id = dokumente.id AND v.nummer = dokumente.versionen AND v.miniatur_sha256 IS NOT NULL)`

func scanDokument(r interface{ Scan(...any) error }) (records.Dokument, error) {
	var d records.Dokument
	var dd, ed, restr, ts, tg, tm sql.NullString
	var mini int
	err := r.Scan(&d.ID, &d.TenantID, &d.VorgangID, &d.Betreff, &d.Typ, &d.Absender, &d.Empfaenger, &dd, &ed, &d.Versionen, &d.Final, &d.CreatedBy, &d.CreatedAt, &d.UpdatedAt, &restr, &ts, &tg, &tm, &mini)
	d.Miniatur = mini > 0
	d.Dokumentdatum, d.Eingangsdatum, d.Beschraenkung = strPtr(dd), strPtr(ed), strPtr(restr)
	if ts.Valid {
		d.Texterkennung = &records.TextStatus{Status: ts.String, Grund: tg.String, Methode: tm.String}
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, err
}

func (t *tx) InsertDokument(ctx context.Context, d records.Dokument) error {
	_, err := t.exec(ctx, `INSERT INTO dokumente (`+dokCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		d.ID, d.TenantID, d.VorgangID, d.Betreff, d.Typ, d.Absender, d.Empfaenger, nullStr(d.Dokumentdatum), nullStr(d.Eingangsdatum),
		d.Versionen, d.Final, d.CreatedBy, d.CreatedAt.UTC(), d.UpdatedAt.UTC(), nullStr(d.Beschraenkung))
	if err != nil {
		return err
	}
	return t.MarkSearch(ctx, records.SearchPending{ObjectID: d.ID, ObjectType: records.ObjDokument, TenantID: d.TenantID})
}

func (t *tx) GetDokument(ctx context.Context, tenantID, id string) (records.Dokument, error) {
	d, err := scanDokument(t.row(ctx, `SELECT `+dokSelect+` FROM dokumente WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return d, one(err)
}

func (t *tx) FindDokument(ctx context.Context, id string) (records.Dokument, error) {
	d, err := scanDokument(t.row(ctx, `SELECT `+dokSelect+` FROM dokumente WHERE id = ?`, id))
	return d, one(err)
}

func (t *tx) UpdateDokument(ctx context.Context, d records.Dokument) error {
	if err := affected(t.exec(ctx, `UPDATE dokumente SET betreff = ?, typ = ?, absender = ?, empfaenger = ?, dokumentdatum = ?, eingangsdatum = ?,
		versionen = ?, final = ?, updated_at = ?, restriction = ? WHERE tenant_id = ? AND id = ?`,
		d.Betreff, d.Typ, d.Absender, d.Empfaenger, nullStr(d.Dokumentdatum), nullStr(d.Eingangsdatum), d.Versionen, d.Final, d.UpdatedAt.UTC(), nullStr(d.Beschraenkung), d.TenantID, d.ID)); err != nil {
		return err
	}
	return t.touchDokument(ctx, d)
}

func (t *tx) ListDokumente(ctx context.Context, tenantID, vorgangID, viewerID string, p records.Page) ([]records.Dokument, error) {
	rows, err := t.query(ctx, `SELECT `+dokSelect+` FROM dokumente WHERE vorgang_id = ? AND tenant_id = ? AND id > ?
		AND (restriction IS NULL OR ? = '*' OR EXISTS (SELECT 1 FROM restriction_users r WHERE r.object_id = dokumente.id AND r.user_id = ?))
		ORDER BY id LIMIT `+limitOf(p),
		vorgangID, tenantID, p.After, viewerID, viewerID)
	return scanAll(rows, err, func(r *sql.Rows) (records.Dokument, error) { return scanDokument(r) })
}

const versionCols = `dokument_id, tenant_id, nummer, sha256, size, mime_type, dateiname, author, created_at, final`

func scanVersion(r interface{ Scan(...any) error }) (records.Version, error) {
	var v records.Version
	err := r.Scan(&v.DokumentID, &v.TenantID, &v.Nummer, &v.SHA256, &v.Size, &v.MimeType, &v.Dateiname, &v.Author, &v.CreatedAt, &v.Final)
	v.CreatedAt = v.CreatedAt.UTC()
	return v, err
}

func (t *tx) NextVersion(ctx context.Context, tenantID, dokumentID string, now time.Time) (int, error) {
	var n int
	err := t.row(ctx, `UPDATE dokumente SET versionen = versionen + 1, updated_at = ? WHERE tenant_id = ? AND id = ? AND final = ? RETURNING versionen`,
		now.UTC(), tenantID, dokumentID, false).Scan(&n)
	return n, one(err)
}

func (t *tx) InsertVersion(ctx context.Context, v records.Version) error {
	_, err := t.exec(ctx, `INSERT INTO versionen (`+versionCols+`) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		v.DokumentID, v.TenantID, v.Nummer, v.SHA256, v.Size, v.MimeType, v.Dateiname, v.Author, v.CreatedAt.UTC(), v.Final)
	return err
}

func (t *tx) GetVersion(ctx context.Context, tenantID, dokumentID string, nummer int) (records.Version, error) {
	v, err := scanVersion(t.row(ctx, `SELECT `+versionCols+` FROM versionen WHERE dokument_id = ? AND tenant_id = ? AND nummer = ?`, dokumentID, tenantID, nummer))
	return v, one(err)
}

func (t *tx) ListVersionen(ctx context.Context, tenantID, dokumentID string) ([]records.Version, error) {
	rows, err := t.query(ctx, `SELECT `+versionCols+` FROM versionen WHERE dokument_id = ? AND tenant_id = ? ORDER BY nummer`, dokumentID, tenantID)
	return scanAll(rows, err, func(r *sql.Rows) (records.Version, error) { return scanVersion(r) })
}

func (t *tx) MarkVersionFinal(ctx context.Context, tenantID, dokumentID string, nummer int) error {
	return affected(t.exec(ctx, `UPDATE versionen SET final = ? WHERE dokument_id = ? AND tenant_id = ? AND nummer = ?`, true, dokumentID, tenantID, nummer))
}

func (t *tx) SetMiniatur(ctx context.Context, tenantID, dokumentID string, nummer int, sha string) error {
	var v any
	if sha != "" {
		v = sha
	}
	status := records.MiniaturErstellt
	if sha == "" {
		status = records.MiniaturAusstehend
	}
	return affected(t.exec(ctx, `UPDATE versionen SET miniatur_sha256 = ?, miniatur_status = ? WHERE dokument_id = ? AND tenant_id = ? AND nummer = ?`,
		v, status, dokumentID, tenantID, nummer))
}

func (t *tx) SetMiniaturStatus(ctx context.Context, tenantID, dokumentID string, nummer int, status string) error {
	if status == records.MiniaturEingereiht {
		// only from ausstehend: a job that finished meanwhile keeps its state
		_, err := t.exec(ctx, `UPDATE versionen SET miniatur_status = ? WHERE dokument_id = ? AND tenant_id = ? AND nummer = ? AND miniatur_status = ?`,
			status, dokumentID, tenantID, nummer, records.MiniaturAusstehend)
		return err
	}
	return affected(t.exec(ctx, `UPDATE versionen SET miniatur_status = ? WHERE dokument_id = ? AND tenant_id = ? AND nummer = ?`,
		status, dokumentID, tenantID, nummer))
}

func (t *tx) MiniaturenAusstehend(ctx context.Context, before time.Time, limit int) ([]records.Version, error) {
	rows, err := t.query(ctx, `SELECT `+versionCols+` FROM versionen WHERE miniatur_status = 'ausstehend' AND created_at < ?
		ORDER BY created_at, dokument_id, nummer LIMIT `+strconv.Itoa(limit), before.UTC())
	return scanAll(rows, err, func(r *sql.Rows) (records.Version, error) { return scanVersion(r) })
}

func (t *tx) Miniatur(ctx context.Context, tenantID, dokumentID string, nummer int) (string, error) {
	var sha sql.NullString
	err := t.row(ctx, `SELECT miniatur_sha256 FROM versionen WHERE dokument_id = ? AND tenant_id = ? AND nummer = ?`,
		dokumentID, tenantID, nummer).Scan(&sha)
	return sha.String, one(err)
}

func (t *tx) BlobReferenced(ctx context.Context, sha string) (bool, error) {
	var n int
	// versions and their thumbnails, the searchable PDF/A copies made by
	// text recognition and the Posteingang's originals, thumbnails and mail
	// attachments
	err := t.row(ctx, `SELECT (SELECT COUNT(*) FROM versionen WHERE sha256 = ?) + (SELECT COUNT(*) FROM versionen WHERE miniatur_sha256 = ?)
		+ (SELECT COUNT(*) FROM dokument_texte WHERE pdfa_sha256 = ?)
		+ (SELECT COUNT(*) FROM posteingang WHERE sha256 = ?) + (SELECT COUNT(*) FROM posteingang WHERE miniatur_sha256 = ?)
		+ (SELECT COUNT(*) FROM posteingang_anhaenge WHERE sha256 = ?)`, sha, sha, sha, sha, sha, sha).Scan(&n)
	return n > 0, err
}

func (t *tx) WalkBlobRefs(ctx context.Context, fn func(string) error) error {
	rows, err := t.query(ctx, `SELECT sha256 FROM versionen UNION SELECT miniatur_sha256 FROM versionen WHERE miniatur_sha256 IS NOT NULL
		UNION SELECT pdfa_sha256 FROM dokument_texte WHERE pdfa_sha256 IS NOT NULL
		UNION SELECT sha256 FROM posteingang UNION SELECT miniatur_sha256 FROM posteingang WHERE miniatur_sha256 IS NOT NULL
		UNION SELECT sha256 FROM posteingang_anhaenge ORDER BY 1`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// --- audit -----------------------------------------------------------------------

const auditCols = `id, tenant_id, seq, at, actor_id, actor, on_behalf_of, action, object_type, object_id, changes, prev_hash, hash`

func (t *tx) AppendAudit(ctx context.Context, e audit.Entry) error {
	// No lock, no chain position: concurrent writers of a tenant do not
	// wait for each other; the chainer links the entry after commit.
	_, err := t.exec(ctx, `INSERT INTO audit_log (`+auditCols+`) VALUES (?,?,NULL,?,?,?,?,?,?,?,?,'','')`,
		e.ID, e.TenantID, e.At.UTC(), e.ActorID, e.Actor, e.OnBehalfOf, e.Action, e.ObjectType, e.ObjectID, string(e.Changes))
	return err
}

func scanAudit(r interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	var seq sql.NullInt64
	var changes string
	err := r.Scan(&e.ID, &e.TenantID, &seq, &e.At, &e.ActorID, &e.Actor, &e.OnBehalfOf, &e.Action, &e.ObjectType, &e.ObjectID, &changes, &e.PrevHash, &e.Hash)
	e.Seq = seq.Int64
	e.At = e.At.UTC()
	if changes != "" {
		e.Changes = []byte(changes)
	}
	return e, err
}

func (t *tx) LockAuditHead(ctx context.Context, tenantID string) (audit.Head, error) {
	// A no-op update takes the row lock on PostgreSQL (SQLite has one writer).
	h := audit.Head{TenantID: tenantID}
	err := t.row(ctx, `UPDATE audit_heads SET seq = seq WHERE tenant_id = ? RETURNING seq, hash`, tenantID).Scan(&h.Seq, &h.Hash)
	return h, one(err)
}

func (t *tx) SetAuditHead(ctx context.Context, h audit.Head) error {
	return affected(t.exec(ctx, `UPDATE audit_heads SET seq = ?, hash = ? WHERE tenant_id = ?`, h.Seq, h.Hash, h.TenantID))
}

func (t *tx) PendingAudit(ctx context.Context, tenantID string, limit int) ([]audit.Entry, error) {
	rows, err := t.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE tenant_id = ? AND seq IS NULL ORDER BY id LIMIT `+fmt.Sprint(limit), tenantID)
	return scanAll(rows, err, func(r *sql.Rows) (audit.Entry, error) { return scanAudit(r) })
}

func (t *tx) ChainAuditEntry(ctx context.Context, e audit.Entry) error {
	return affected(t.exec(ctx, `UPDATE audit_log SET seq = ?, prev_hash = ?, hash = ? WHERE id = ? AND tenant_id = ? AND seq IS NULL`,
		e.Seq, e.PrevHash, e.Hash, e.ID, e.TenantID))
}

func (t *tx) PendingAuditTenants(ctx context.Context) ([]records.PendingAudit, error) {
	rows, err := t.query(ctx, `SELECT tenant_id, COUNT(*), MIN(at) FROM audit_log WHERE seq IS NULL GROUP BY tenant_id ORDER BY tenant_id`)
	return scanAll(rows, err, func(r *sql.Rows) (records.PendingAudit, error) {
		var p records.PendingAudit
		var oldest any
		if err := r.Scan(&p.TenantID, &p.Count, &oldest); err != nil {
			return p, err
		}
		// MIN() loses the column type on SQLite: parse its text form there.
		switch v := oldest.(type) {
		case time.Time:
			p.Oldest = v.UTC()
		case string:
			for _, layout := range []string{"2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano} {
				if ts, err := time.Parse(layout, v); err == nil {
					p.Oldest = ts.UTC()
					break
				}
			}
		}
		return p, nil
	})
}

func (t *tx) ListAudit(ctx context.Context, tenantID, objectID string, p records.Page) ([]audit.Entry, error) {
	rows, err := t.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE tenant_id = ? AND object_id = ? AND id > ? ORDER BY id LIMIT `+limitOf(p),
		tenantID, objectID, p.After)
	return scanAll(rows, err, func(r *sql.Rows) (audit.Entry, error) { return scanAudit(r) })
}

func (t *tx) AuditHeads(ctx context.Context) ([]audit.Head, error) {
	rows, err := t.query(ctx, `SELECT tenant_id, seq, hash FROM audit_heads ORDER BY tenant_id`)
	return scanAll(rows, err, func(r *sql.Rows) (audit.Head, error) {
		var h audit.Head
		err := r.Scan(&h.TenantID, &h.Seq, &h.Hash)
		return h, err
	})
}

func (t *tx) WalkAudit(ctx context.Context, tenantID string, fn func(audit.Entry) error) error {
	rows, err := t.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE tenant_id = ? AND seq IS NOT NULL ORDER BY seq`, tenantID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
