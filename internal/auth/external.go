package auth

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Single sign-on: a person the Land's identity provider vouches for (OIDC,
// internal/auth/oidc) signs in to the account bound to that identity. The
// account is found, bound or created here (provisioning), and the session is
// opened exactly as for a password sign-in (openSession), in the same
// transaction: a refused sign-in leaves nothing behind but its audit entry.

// ExternalIdentity is a person as a verified identity provider describes
// them.
type ExternalIdentity struct {
	Issuer  string // identifier of the identity provider
	Subject string // stable id of the person at the issuer ("sub")
	// Tenant is the tenant code as claimed; matched case-insensitively.
	Tenant string
	Login  string // normalised login (lower case)
	Name   string
	Email  string
	// Roles are the provider's roles mapped to ours; empty when the
	// provider sent none that are mapped.
	Roles []access.Role
	// Units are the Kennungen of org units as claimed; unknown ones are
	// ignored.
	Units []string
}

// ExternalID is the users.external_id of an identity: "<issuer>|<subject>".
func ExternalID(issuer, subject string) string { return issuer + "|" + subject }

// Provisioning says what single sign-on may do to accounts. The zero value
// does neither; serve turns both on unless configured otherwise.
type Provisioning struct {
	// AutoProvision creates an account (kind person) at the first sign-in
	// of an identity that matches none, with the mapped roles
	// (sachbearbeitung when there are none) and memberships in the claimed
	// units that exist.
	AutoProvision bool
	// SyncRoles replaces an existing account's roles with the mapped
	// roles at every sign-in in which the provider sends any.
	SyncRoles bool
}

// ExternalLoginRequest is one single sign-on.
type ExternalLoginRequest struct {
	Identity     ExternalIdentity
	Provisioning Provisioning
	Method       string // sessions.method; MethodOIDC when empty
	Address      string // client address (audit trail)
	UserAgent    string
	// Presented is the secret of a session cookie the browser sent along;
	// that session ends (session fixation), as with Login.
	Presented string
}

// ProvisioningActor is the audit actor of what single sign-on does to
// accounts: creating, binding, changing roles. It acts as a system
// principal of the tenant.
const ProvisioningActor = "oidc"

// ExternalUnitPosition is the position of the memberships created from the
// units claim.
const ExternalUnitPosition = "sachbearbeitung"

// maxExternalUnits bounds how many claimed units are looked at.
const maxExternalUnits = 100

// refusal is why a single sign-on is refused: the audited reason and the
// German answer.
type refusal struct{ reason, message string }

const msgSSO = "Anmeldung mit Landes-Login nicht möglich: "

// errRefused rolls the provisioning transaction back after a refusal.
var errRefused = errors.New("auth: single sign-on refused")

// errRetry marks a conflict with a parallel first sign-in of the same
// person; the next attempt finds the account the other one bound.
var errRetry = errors.New("auth: parallel single sign-on, retry")

type extOutcome struct {
	started      Started
	refused      *refusal
	created      bool
	bound        bool
	rolesChanged bool
	roles        []access.Role // of the account after the sign-in
	ignoredUnits []string
}

// ExternalLogin signs in a person verified by an identity provider:
//
//   - the tenant is the claimed tenant code (any case); unknown → refused;
//   - the account is the one bound to the identity (ExternalID) — in
//     another tenant → refused; else the account with the claimed login in
//     the tenant, which is then bound to the identity unless it is bound to
//     another one already (→ refused); else, with AutoProvision, a new
//     account;
//   - deactivated accounts and Dienstkonten are refused;
//   - with SyncRoles, the roles of an existing account become the mapped
//     roles, if the provider sent any.
//
// Creating, binding and role changes are audited with ProvisioningActor as
// the actor, the sign-in like a password sign-in (method MethodOIDC). A
// refusal is an apperr KindUnauthorized with a German reason, audited as
// "anmeldung.fehlgeschlagen" when the tenant is known; nothing else is
// written then. Single sign-on is neither throttled nor stopped by a
// password lockout: the identity provider authenticated the person.
func (s *Service) ExternalLogin(ctx context.Context, in ExternalLoginRequest) (Started, error) {
	id := in.Identity
	in.Method = cmp.Or(in.Method, MethodOIDC)
	a := attempt{
		tenantCode: strings.ToUpper(strings.TrimSpace(id.Tenant)),
		login:      strings.ToLower(strings.TrimSpace(id.Login)),
		address:    in.Address,
		failAction: "anmeldung.fehlgeschlagen",
	}
	extID := ExternalID(id.Issuer, id.Subject)
	if id.Issuer == "" || id.Subject == "" || len(extID) > 1024 || !utf8.ValidString(extID) || strings.ContainsRune(extID, 0) ||
		!loginRE.MatchString(a.login) {
		return Started{}, apperr.Unauthorized(msgSSO + "Die Angaben des Identitätsanbieters sind unvollständig oder ungültig.")
	}
	var o extOutcome
	var err error
	for try := 0; ; try++ {
		err = s.write(ctx, func(tx Tx) error {
			// the store may run this more than once (serialization retries)
			a.tenant, a.user = nil, nil
			var err error
			if o, err = s.externalLoginTx(ctx, tx, in, &a, extID); err == nil && o.refused != nil {
				return errRefused
			}
			return err
		})
		if errors.Is(err, errRetry) && try == 0 {
			continue
		}
		break
	}
	switch {
	case errors.Is(err, errRefused):
		return Started{}, s.refuseExternal(ctx, a, in, *o.refused)
	case err != nil:
		return Started{}, err
	}
	log := s.o.Log.With("tenant", o.started.TenantCode, "login", o.started.Login)
	if o.created {
		log.Info("oidc: konto angelegt", "rollen", roleNames(o.roles), "issuer", id.Issuer)
	} else if o.bound {
		log.Info("oidc: konto mit landes-login verknüpft", "issuer", id.Issuer)
	}
	if o.rolesChanged {
		log.Info("oidc: rollen abgeglichen", "rollen", roleNames(o.roles))
	}
	if len(o.ignoredUnits) > 0 {
		log.Warn("oidc: unbekannte organisationseinheiten ignoriert", "einheiten", strings.Join(o.ignoredUnits, ","))
	}
	return o.started, nil
}

// The rules for logins and tenant codes (as in records).
var (
	loginRE      = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,63}$`)
	tenantCodeRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,15}$`)
)

// externalLoginTx finds, binds or creates the account and opens the session
// in tx. A refusal is returned in the outcome (the caller rolls back); a
// conflict with a parallel first sign-in is errRetry.
func (s *Service) externalLoginTx(ctx context.Context, tx Tx, in ExternalLoginRequest, a *attempt, extID string) (extOutcome, error) {
	var o extOutcome
	id := in.Identity
	refuse := func(reason, msg string, args ...any) (extOutcome, error) {
		o.refused = &refusal{reason, msgSSO + fmt.Sprintf(msg, args...)}
		return o, nil
	}
	unknown := func() (extOutcome, error) {
		return refuse("unbekannter_mandant", "Mandant „%s“ ist unbekannt.", strings.ToValidUTF8(truncate(a.tenantCode, 32), "?"))
	}
	if !tenantCodeRE.MatchString(a.tenantCode) {
		return unknown() // not even a tenant code: no need to ask the database
	}
	t, err := tx.TenantByCode(ctx, a.tenantCode)
	if isNoRows(err) {
		return unknown()
	}
	if err != nil {
		return o, err
	}
	a.tenant = &t
	actor := records.Principal{TenantID: t.ID, TenantCode: t.Code, Login: ProvisioningActor, System: true}
	bindAudit := func(u records.User) error {
		return s.svc.Audit(ctx, tx, actor, "user.extern_verknuepft", "user", u.ID, map[string]any{
			"login": u.Login, "issuer": id.Issuer, "subject": id.Subject})
	}
	checkAccount := func(u records.User) *refusal {
		switch {
		case u.Kind == records.KindService:
			return &refusal{"dienstkonto", msgSSO + fmt.Sprintf("„%s“ ist ein Dienstkonto; Dienstkonten melden sich nur mit API-Token an.", u.Login)}
		case !u.Active:
			return &refusal{"deaktiviert", msgSSO + "Ihr Konto ist deaktiviert."}
		}
		return nil
	}

	u, err := tx.UserByExternalID(ctx, extID)
	switch {
	case err == nil && u.TenantID != t.ID:
		return refuse("anderer_mandant", "Ihr Landes-Login gehört zu einem Konto eines anderen Mandanten als %s.", t.Code)
	case err == nil:
		a.user = &u
		if r := checkAccount(u); r != nil {
			o.refused = r
			return o, nil
		}
	case !isNoRows(err):
		return o, err
	default:
		u, err = tx.UserByLogin(ctx, t.ID, a.login)
		switch {
		case err == nil:
			a.user = &u
			if r := checkAccount(u); r != nil {
				o.refused = r
				return o, nil
			}
			switch err := tx.BindExternalID(ctx, t.ID, u.ID, extID); {
			case isNoRows(err):
				// Bound already. By a parallel sign-in of the same person
				// (its commit is visible to this statement), or to another
				// identity.
				b, err := tx.UserByExternalID(ctx, extID)
				if err != nil && !isNoRows(err) {
					return o, err
				}
				if err != nil || b.ID != u.ID {
					return refuse("anders_verknuepft", "Das Konto „%s“ ist bereits mit einem anderen Landes-Login verknüpft.", u.Login)
				}
			case errors.Is(err, records.ErrDuplicate):
				return o, errRetry
			case err != nil:
				return o, err
			default:
				if err := bindAudit(u); err != nil {
					return o, err
				}
				o.bound = true
			}
		case !isNoRows(err):
			return o, err
		case !in.Provisioning.AutoProvision:
			return refuse("unbekanntes_konto", "Für Sie ist im Mandanten %s kein Konto eingerichtet. Bitte wenden Sie sich an die Benutzerverwaltung.", t.Code)
		default:
			var ms []records.Membership
			for i, k := range id.Units {
				if i == maxExternalUnits {
					o.ignoredUnits = append(o.ignoredUnits, fmt.Sprintf("(%d weitere)", len(id.Units)-i))
					break
				}
				if len(k) > 64 || strings.ContainsRune(k, 0) {
					o.ignoredUnits = append(o.ignoredUnits, strings.ToValidUTF8(truncate(k, 64), "?"))
					continue
				}
				unit, err := tx.UnitByKennung(ctx, t.ID, k)
				if isNoRows(err) {
					o.ignoredUnits = append(o.ignoredUnits, truncate(k, 64))
					continue
				}
				if err != nil {
					return o, err
				}
				if !slices.ContainsFunc(ms, func(m records.Membership) bool { return m.Kennung == unit.Kennung }) {
					ms = append(ms, records.Membership{Kennung: unit.Kennung, Position: ExternalUnitPosition})
				}
			}
			name := strings.TrimSpace(strings.Map(func(r rune) rune {
				if unicode.IsControl(r) {
					return -1
				}
				return r
			}, strings.ToValidUTF8(id.Name, "")))
			if name == "" {
				name = a.login
			}
			u, err = s.svc.CreateUserTx(ctx, tx, t, actor, records.NewUser{Login: a.login, Name: truncate(name, 200),
				Roles: id.Roles, Kind: records.KindPerson, Einheiten: ms})
			if apperr.KindOf(err) == apperr.KindConflict {
				return o, errRetry // created by a parallel sign-in
			}
			if err != nil {
				return o, err
			}
			switch err := tx.BindExternalID(ctx, t.ID, u.ID, extID); {
			case errors.Is(err, records.ErrDuplicate):
				return o, errRetry
			case err != nil:
				return o, err
			}
			if err := bindAudit(u); err != nil {
				return o, err
			}
			a.user = &u
			o.created = true
		}
	}

	if !o.created && in.Provisioning.SyncRoles && len(id.Roles) > 0 && !sameRoles(u.Roles, id.Roles) {
		roles := slices.Clone(id.Roles)
		if u, err = s.svc.UpdateUserTx(ctx, tx, t, actor, u, records.UserPatch{Roles: &roles}); err != nil {
			return o, err
		}
		o.rolesChanged = true
	}

	secret, sess := s.newSession(t, u, in.Method, in.Address, in.UserAgent, s.now())
	if err := s.openSession(ctx, tx, t, u, sess, in.Presented, map[string]any{
		"methode": in.Method, "adresse": a.address, "issuer": id.Issuer}); err != nil {
		return o, err
	}
	o.started = Started{Secret: secret, Session: sess, TenantCode: t.Code, Login: u.Login}
	o.roles = u.Roles
	return o, nil
}

// refuseExternal audits a refused single sign-on (when the tenant is known)
// and returns the answer.
func (s *Service) refuseExternal(ctx context.Context, a attempt, in ExternalLoginRequest, r refusal) error {
	s.o.Log.Info("anmeldung mit landes-login abgewiesen", "grund", r.reason, "tenant", truncate(a.tenantCode, 32),
		"login", truncate(a.login, 64), "adresse", a.address, "issuer", in.Identity.Issuer)
	if a.tenant != nil {
		err := s.write(ctx, func(tx Tx) error {
			return s.auditFailure(ctx, tx, a, r.reason, map[string]any{
				"methode": in.Method, "issuer": in.Identity.Issuer, "subject": in.Identity.Subject})
		})
		if err != nil {
			return err
		}
	}
	return apperr.Unauthorized(r.message)
}

func sameRoles(a, b []access.Role) bool {
	has := func(rs []access.Role, r access.Role) bool { return slices.Contains(rs, r) }
	for _, r := range a {
		if !has(b, r) {
			return false
		}
	}
	for _, r := range b {
		if !has(a, r) {
			return false
		}
	}
	return true
}

func roleNames(rs []access.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
