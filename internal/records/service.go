package records

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin for Aktenzeichen years, without relying on the host

	"github.com/google/uuid"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
	"aktenwerk/internal/blob"
)

// DefaultMaxUpload is the default upload limit (512 MiB).
const DefaultMaxUpload int64 = 512 << 20

// Service enforces the rules of the records domain.
type Service struct {
	chainer   chainer
	store     Store
	blobs     blob.Store
	maxUpload int64
	now       func() time.Time
	// onVersion is called after a new version was committed (text
	// extraction enqueues its job there); see SetOnVersion.
	onVersion func(ctx context.Context, v Version)
	// onPost is called after a Posteingang item was filed (SetOnPost).
	onPost func(ctx context.Context, it PostItem)
}

// Options configure a Service.
type Options struct {
	MaxUpload int64            // bytes; <= 0 means DefaultMaxUpload
	Now       func() time.Time // for tests; nil means time.Now
}

// NewService wires a service.
func NewService(st Store, bs blob.Store, o Options) *Service {
	s := &Service{store: st, blobs: bs, maxUpload: o.MaxUpload, now: o.Now}
	if s.maxUpload <= 0 {
		s.maxUpload = DefaultMaxUpload
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Store returns the underlying store (for tools such as fsck and audit verify).
func (s *Service) Store() Store { return s.store }

// Blobs returns the blob store.
func (s *Service) Blobs() blob.Store { return s.blobs }

// MaxUpload returns the upload limit in bytes.
func (s *Service) MaxUpload() int64 { return s.maxUpload }

// timestamp returns now in UTC at microsecond precision, which both backends
// store exactly (so audit hashes recompute identically after a round trip).
func (s *Service) timestamp() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// notFound maps a missing row to a NotFound domain error naming what.
func notFound(err error, what string) error {
	if errors.Is(err, ErrNoRows) {
		return apperr.NotFound(what)
	}
	return err
}

func (s *Service) audit(ctx context.Context, tx Tx, p Principal, action, objType, objID string, changes any) error {
	return s.auditIn(ctx, tx, p.TenantID, p, action, objType, objID, changes)
}

// auditIn writes an entry into tenantID's chain: the tenant of the object
// changed or read, which differs from p's tenant when p works on an Akte
// shared with it (the actor then carries its tenant: "carla@TSK").
func (s *Service) auditIn(ctx context.Context, tx Tx, tenantID string, p Principal, action, objType, objID string, changes any) error {
	var raw json.RawMessage
	if changes != nil {
		b, err := json.Marshal(changes)
		if err != nil {
			return fmt.Errorf("audit changes: %w", err)
		}
		raw = b
	}
	actor := p.Actor()
	if tenantID != p.TenantID && p.TenantCode != "" {
		actor += "@" + p.TenantCode
	}
	err := tx.AppendAudit(ctx, audit.Entry{
		ID: newID(), TenantID: tenantID, At: s.timestamp(), ActorID: p.ActorID(), Actor: actor,
		OnBehalfOf: p.OnBehalfOf(), Action: action, ObjectType: objType, ObjectID: objID, Changes: raw,
	})
	if err == nil {
		s.chainer.mark(tenantID)
	}
	return err
}

// Audit writes an audit entry in tx for a change made by p in p's tenant.
// Other packages (sign-in, audit queries) use it so that every entry goes
// through the same chainer.
func (s *Service) Audit(ctx context.Context, tx Tx, p Principal, action, objType, objID string, changes any) error {
	return s.audit(ctx, tx, p, action, objType, objID, changes)
}

// AuditEvent writes one entry in its own transaction, for actions on
// things outside the records (the administration of background jobs).
func (s *Service) AuditEvent(ctx context.Context, p Principal, action, objType, objID string, changes any) error {
	return s.store.Write(ctx, func(tx Tx) error { return s.audit(ctx, tx, p, action, objType, objID, changes) })
}

// Now returns the service clock in UTC (microsecond precision).
func (s *Service) Now() time.Time { return s.timestamp() }

func need(p Principal, a access.Action) error {
	if !access.Can(p, a) {
		return apperr.Forbidden("Keine Berechtigung: %s", a.Label())
	}
	return nil
}

// ---------------------------------------------------------------------------
// Tenants, users, tokens (administration; callers are the CLI and bootstrap)

var (
	codeRE  = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,15}$`)
	loginRE = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,63}$`)
)

// NewTenant is the input for a new Mandant; empty patterns take the defaults.
type NewTenant struct {
	Code, Name                string
	AzPattern, VorgangPattern string
}

// Placeholders allowed in the two patterns ({serial} is always required).
var (
	AzPlaceholders      = []string{"tenant", "kennzeichen", "year"}
	VorgangPlaceholders = []string{"akte", "tenant", "year"}
)

func checkPatterns(v *apperr.Validation, az, vorgang string) {
	if err := ValidatePattern(az, AzPlaceholders...); err != nil {
		v.Add("aktenzeichen_muster", err.Error())
	}
	if err := ValidatePattern(vorgang, VorgangPlaceholders...); err != nil {
		v.Add("vorgang_muster", err.Error())
	}
}

// CreateTenant adds a Mandant with the default Aktenzeichen patterns.
func (s *Service) CreateTenant(ctx context.Context, code, name string) (Tenant, error) {
	return s.CreateTenantWith(ctx, NewTenant{Code: code, Name: name})
}

// CreateTenantWith adds a Mandant with its own Aktenzeichen patterns
// (operator action: CLI, bootstrap).
func (s *Service) CreateTenantWith(ctx context.Context, in NewTenant) (Tenant, error) {
	t, err := s.newTenant(in)
	if err != nil {
		return Tenant{}, err
	}
	err = s.store.Write(ctx, func(tx Tx) error { return s.insertTenant(ctx, tx, t, system(t)) })
	return t, err
}

// newTenant validates the input of a new Mandant.
func (s *Service) newTenant(in NewTenant) (Tenant, error) {
	var v apperr.Validation
	code := strings.TrimSpace(in.Code)
	name := strings.TrimSpace(in.Name)
	if !codeRE.MatchString(code) {
		v.Add("code", "2–16 Großbuchstaben/Ziffern, beginnend mit einem Buchstaben (z. B. TFM)")
	}
	if name == "" {
		v.Add("name", "darf nicht leer sein")
	} else if len([]rune(name)) > maxTitle {
		v.Add("name", fmt.Sprintf("höchstens %d Zeichen", maxTitle))
	}
	if in.AzPattern == "" {
		in.AzPattern = DefaultAzPattern
	}
	if in.VorgangPattern == "" {
		in.VorgangPattern = DefaultVorgangPattern
	}
	checkPatterns(&v, in.AzPattern, in.VorgangPattern)
	if err := v.Err(); err != nil {
		return Tenant{}, err
	}
	return Tenant{ID: newID(), Code: code, Name: name, AzPattern: in.AzPattern, VorgangPattern: in.VorgangPattern, CreatedAt: s.timestamp()}, nil
}

// insertTenant stores a new Mandant and starts its audit chain with the
// entry of its creation by actor.
func (s *Service) insertTenant(ctx context.Context, tx Tx, t Tenant, actor Principal) error {
	if err := tx.InsertTenant(ctx, t); err != nil {
		if errors.Is(err, ErrDuplicate) {
			return &apperr.Error{Kind: apperr.KindConflict, Message: fmt.Sprintf("Mandant %s existiert bereits", t.Code),
				Fields: []apperr.FieldError{{Field: "code", Message: "ist bereits vergeben"}}}
		}
		return err
	}
	return s.auditIn(ctx, tx, t.ID, actor, "tenant.create", "tenant", t.ID, map[string]any{
		"code": t.Code, "name": t.Name, "aktenzeichen_muster": t.AzPattern, "vorgang_muster": t.VorgangPattern})
}

// TenantPatch changes a tenant's name or patterns; nil fields stay.
type TenantPatch struct {
	Name, AzPattern, VorgangPattern *string
}

// UpdateTenant changes name or Aktenzeichen patterns (operator action).
// Aktenzeichen already issued stay as they are and are never reused.
func (s *Service) UpdateTenant(ctx context.Context, code string, patch TenantPatch) (Tenant, error) {
	var t Tenant
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		if t, err = tx.TenantByCode(ctx, code); err != nil {
			return notFound(err, "Mandant "+code)
		}
		c := audit.Changes{}
		var v apperr.Validation
		if patch.Name != nil {
			n := strings.TrimSpace(*patch.Name)
			if n == "" {
				v.Add("name", "darf nicht leer sein")
			}
			changed(c, "name", t.Name, n)
			t.Name = n
		}
		if patch.AzPattern != nil {
			changed(c, "aktenzeichen_muster", t.AzPattern, *patch.AzPattern)
			t.AzPattern = *patch.AzPattern
		}
		if patch.VorgangPattern != nil {
			changed(c, "vorgang_muster", t.VorgangPattern, *patch.VorgangPattern)
			t.VorgangPattern = *patch.VorgangPattern
		}
		checkPatterns(&v, t.AzPattern, t.VorgangPattern)
		if err := v.Err(); err != nil {
			return err
		}
		if len(c) == 0 {
			return nil
		}
		if err := tx.UpdateTenant(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, system(t), "tenant.update", "tenant", t.ID, c)
	})
	return t, err
}

// ListTenants returns all tenants (operator view).
func (s *Service) ListTenants(ctx context.Context) ([]Tenant, error) {
	var out []Tenant
	err := s.store.Read(ctx, func(tx Tx) (err error) { out, err = tx.ListTenants(ctx); return })
	return out, err
}

// TenantByCode finds a tenant.
func (s *Service) TenantByCode(ctx context.Context, code string) (Tenant, error) {
	var t Tenant
	err := s.store.Read(ctx, func(tx Tx) (err error) { t, err = tx.TenantByCode(ctx, code); return })
	return t, notFound(err, "Mandant "+code)
}

// NewUser is the input for a new account.
type NewUser struct {
	Login, Name string
	Roles       []access.Role
	Kind        string // KindPerson (default) or KindService
	Einheiten   []Membership
}

// CreateUser adds a user to a tenant (operator action). Without roles the
// user does Sachbearbeitung. Memberships (Kennung and Position) put the
// user into units in the same transaction: an unknown unit leaves nothing
// behind.
func (s *Service) CreateUser(ctx context.Context, tenantCode, login, name string, roles []access.Role, units ...Membership) (User, error) {
	var u User
	err := s.store.Write(ctx, func(tx Tx) error {
		t, err := tenantByCode(ctx, tx, tenantCode)
		if err != nil {
			return err
		}
		u, err = s.createUser(ctx, tx, t, system(t), NewUser{Login: login, Name: name, Roles: roles, Einheiten: units})
		return err
	})
	return u, err
}

// CreateServiceAccount adds a Dienstkonto (operator action).
func (s *Service) CreateServiceAccount(ctx context.Context, tenantCode string, in NewUser) (User, error) {
	var u User
	err := s.store.Write(ctx, func(tx Tx) error {
		t, err := tenantByCode(ctx, tx, tenantCode)
		if err != nil {
			return err
		}
		in.Kind = KindService
		u, err = s.createUser(ctx, tx, t, system(t), in)
		return err
	})
	return u, err
}

// CreateUserTx adds a user to t inside tx, on behalf of actor, validated and
// audited like CreateUser (memberships included). It checks no permission:
// callers that own the transaction (sign-in provisioning) decide themselves.
func (s *Service) CreateUserTx(ctx context.Context, tx Tx, t Tenant, actor Principal, in NewUser) (User, error) {
	return s.createUser(ctx, tx, t, actor, in)
}

func (s *Service) createUser(ctx context.Context, tx Tx, t Tenant, actor Principal, in NewUser) (User, error) {
	var v apperr.Validation
	login := strings.TrimSpace(in.Login)
	name := strings.TrimSpace(in.Name)
	if !loginRE.MatchString(login) {
		v.Add("login", "2–64 Zeichen: Kleinbuchstaben, Ziffern, . _ -, beginnend mit einem Buchstaben")
	}
	if name == "" {
		v.Add("name", "darf nicht leer sein")
	}
	roles := in.Roles
	if len(roles) == 0 {
		roles = []access.Role{access.RoleSachbearbeitung}
	}
	for _, r := range roles {
		if _, ok := access.ParseRole(string(r)); !ok {
			v.Add("role", fmt.Sprintf("unbekannte Rolle %q (bekannt: admin, registratur, sachbearbeitung, leitung, audit)", r))
		}
	}
	kind := in.Kind
	if kind == "" {
		kind = KindPerson
	}
	if kind != KindPerson && kind != KindService {
		v.Add("typ", "person oder dienstkonto")
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	u := User{ID: newID(), TenantID: t.ID, Login: login, Name: name, Roles: roles, Active: true, CreatedAt: s.timestamp(), Kind: kind}
	if err := tx.InsertUser(ctx, u); err != nil {
		if errors.Is(err, ErrDuplicate) {
			return User{}, apperr.Conflict("Benutzer %s existiert in %s bereits", login, t.Code)
		}
		return User{}, err
	}
	if err := s.audit(ctx, tx, actor, "user.create", "user", u.ID, map[string]any{"login": login, "name": name, "rollen": roles, "typ": kind}); err != nil {
		return User{}, err
	}
	for _, m := range in.Einheiten {
		if err := s.addMembership(ctx, tx, t, actor, u, m.Kennung, m.Position); err != nil {
			return User{}, err
		}
	}
	return u, nil
}

// TokenPrefix starts every API token, so that leaked tokens are easy to
// recognise by secret scanners.
const TokenPrefix = "awk_"

// HashToken returns the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues an API token for a user and returns its plain text,
// which is shown once and never stored.
func (s *Service) CreateToken(ctx context.Context, tenantCode, login, name string, ttl time.Duration, scopes ...access.Scope) (string, Token, error) {
	var plain string
	var tok Token
	err := s.store.Write(ctx, func(tx Tx) error {
		t, u, err := tenantUser(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		var exp *time.Time
		if ttl > 0 {
			e := s.timestamp().Add(ttl)
			exp = &e
		}
		plain, tok, err = s.issueToken(ctx, tx, system(t), u, name, exp, scopes)
		return err
	})
	if err != nil {
		return "", Token{}, err
	}
	return plain, tok, nil
}

// issueToken creates a token for u inside tx; nil scopes mean all.
func (s *Service) issueToken(ctx context.Context, tx Tx, actor Principal, u User, name string, exp *time.Time, scopes []access.Scope) (string, Token, error) {
	if !u.Active {
		return "", Token{}, apperr.Conflict("Benutzer %s ist deaktiviert", u.Login)
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", Token{}, err
	}
	plain := TokenPrefix + base64.RawURLEncoding.EncodeToString(buf)
	if len(scopes) == 0 {
		scopes = access.AllScopes
	}
	tok := Token{ID: newID(), TenantID: u.TenantID, UserID: u.ID, Name: name, CreatedAt: s.timestamp(), ExpiresAt: exp, Scopes: scopes}
	if err := tx.InsertToken(ctx, tok, HashToken(plain)); err != nil {
		return "", Token{}, err
	}
	return plain, tok, s.audit(ctx, tx, actor, "token.create", "user", u.ID, map[string]any{"token_id": tok.ID, "name": name, "scopes": scopes, "laeuft_ab_am": exp})
}

// Authenticate resolves a bearer token to a principal.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 200 {
		return Principal{}, apperr.Unauthorized("Ungültiges Token")
	}
	var p Principal
	err := s.store.Read(ctx, func(tx Tx) error {
		o, err := tx.TokenOwner(ctx, HashToken(token), s.timestamp())
		if err != nil {
			return err
		}
		p, err = s.principalWith(ctx, tx, o.Tenant, o.User, o.UnitIDs)
		p.Scopes = o.Scopes
		return err
	})
	if errors.Is(err, ErrNoRows) {
		return Principal{}, apperr.Unauthorized("Ungültiges oder abgelaufenes Token")
	}
	return p, err
}

// principal builds what the access checks need to know about a user: its
// roles and the units whose Akten it sees (its own and all below them).
func (s *Service) principal(ctx context.Context, tx Tx, t Tenant, u User) (Principal, error) {
	ms, err := tx.ListMemberships(ctx, t.ID, u.ID)
	if err != nil {
		return Principal{}, err
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.UnitID
	}
	return s.principalWith(ctx, tx, t, u, ids)
}

// principalWith builds the principal from the user's direct unit ids; the
// unit tree is read only for users that belong to a unit.
func (s *Service) principalWith(ctx context.Context, tx Tx, t Tenant, u User, unitIDs []string) (Principal, error) {
	p := Principal{TenantID: t.ID, TenantCode: t.Code, UserID: u.ID, Login: u.Login, Roles: u.Roles}
	if len(unitIDs) == 0 {
		return p, nil
	}
	units, err := tx.ListUnits(ctx, t.ID)
	if err != nil {
		return p, err
	}
	children := map[string][]string{}
	for _, un := range units {
		if un.ParentID != nil {
			children[*un.ParentID] = append(children[*un.ParentID], un.ID)
		}
	}
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		p.Units = append(p.Units, id)
		for _, c := range children[id] {
			walk(c)
		}
	}
	for _, id := range unitIDs {
		walk(id)
	}
	return p, nil
}

// PrincipalFor builds the principal of an active user (for sign-in
// sessions): roles, and the units and grants that decide what the user sees.
func (s *Service) PrincipalFor(ctx context.Context, tenantID, userID string) (Principal, error) {
	var p Principal
	err := s.store.Read(ctx, func(tx Tx) error {
		t, err := tx.TenantByID(ctx, tenantID)
		if err != nil {
			return err
		}
		u, err := tx.UserByID(ctx, tenantID, userID)
		if err != nil {
			return err
		}
		if !u.Active {
			return ErrNoRows
		}
		p, err = s.principal(ctx, tx, t, u)
		return err
	})
	if errors.Is(err, ErrNoRows) {
		return Principal{}, apperr.Unauthorized("Sitzung ungültig")
	}
	return p, err
}

// UserPrincipal builds the principal of an active user named by tenant
// code and login (CLI commands that act as a user, e.g. search).
func (s *Service) UserPrincipal(ctx context.Context, tenantCode, login string) (Principal, error) {
	var p Principal
	err := s.store.Read(ctx, func(tx Tx) error {
		t, u, err := tenantUser(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		if !u.Active {
			return apperr.Forbidden("Benutzer %s ist deaktiviert", login)
		}
		p, err = s.principal(ctx, tx, t, u)
		return err
	})
	return p, err
}

// ---------------------------------------------------------------------------
// Validation helpers

const (
	maxTitle = 500
	maxText  = 20000
)

func checkText(v *apperr.Validation, field, val string, required bool, max int) string {
	val = strings.TrimSpace(val)
	switch {
	case required && val == "":
		v.Add(field, "darf nicht leer sein")
	case len([]rune(val)) > max:
		v.Add(field, fmt.Sprintf("höchstens %d Zeichen", max))
	case strings.ContainsFunc(val, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' && r != '\r' }):
		v.Add(field, "enthält Steuerzeichen")
	}
	return val
}

var metaKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

func checkMetadata(v *apperr.Validation, field string, m Metadata) {
	if len(m) > 100 {
		v.Add(field, "höchstens 100 Einträge")
		return
	}
	for k, val := range m {
		if !metaKeyRE.MatchString(k) {
			v.Add(field+"."+k, "Schlüssel: Kleinbuchstaben, Ziffern und _, beginnend mit einem Buchstaben")
			continue
		}
		switch x := val.(type) {
		case nil, bool:
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				v.Add(field+"."+k, "ungültige Zahl")
			}
		case json.Number:
		case string:
			if len(x) > 4000 {
				v.Add(field+"."+k, "Text höchstens 4000 Zeichen")
			}
		default:
			v.Add(field+"."+k, "nur Text, Zahl, Wahrheitswert oder null erlaubt")
		}
	}
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func checkDate(v *apperr.Validation, field string, d *string) *string {
	if d == nil || strings.TrimSpace(*d) == "" {
		return nil
	}
	val := strings.TrimSpace(*d)
	if _, err := time.Parse("2006-01-02", val); err != nil || !dateRE.MatchString(val) {
		v.Add(field, "Datum im Format JJJJ-MM-TT erwartet")
		return nil
	}
	return &val
}

// changed records before/after of a field if it differs.
func changed[T comparable](c audit.Changes, field string, before, after T) {
	if before != after {
		c[field] = audit.Change{Before: before, After: after}
	}
}

func metaEqual(a, b Metadata) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// clampPage bounds a page: default 50, at most 500 items.
func clampPage(p Page) Page {
	switch {
	case p.Limit <= 0:
		p.Limit = 50
	case p.Limit > 500:
		p.Limit = 500
	}
	return p
}
