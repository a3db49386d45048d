package records

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
)

// Administration through the API: an admin (access.ManageUsers) manages
// the units, users and tokens of its own tenant. Every change is audited
// with the admin as actor.

// UserInfo is a user with its memberships.
type UserInfo struct {
	User
	Einheiten []Membership `json:"einheiten"`
}

// ListUnitsAs lists p's tenant's units (every signed-in user may see the
// organisation chart).
func (s *Service) ListUnitsAs(ctx context.Context, p Principal) ([]Unit, error) {
	var out []Unit
	err := s.store.Read(ctx, func(tx Tx) (err error) { out, err = tx.ListUnits(ctx, p.TenantID); return })
	return out, err
}

// ListUsersAs lists the accounts of p's tenant.
func (s *Service) ListUsersAs(ctx context.Context, p Principal) ([]UserInfo, error) {
	if err := need(p, access.ManageUsers); err != nil {
		return nil, err
	}
	var out []UserInfo
	err := s.store.Read(ctx, func(tx Tx) error {
		users, err := tx.ListUsers(ctx, p.TenantID)
		if err != nil {
			return err
		}
		for _, u := range users {
			ms, err := tx.ListMemberships(ctx, p.TenantID, u.ID)
			if err != nil {
				return err
			}
			out = append(out, UserInfo{User: u, Einheiten: nonNil(ms)})
		}
		return nil
	})
	return out, err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// GetUserAs returns one account of p's tenant; users may read their own.
func (s *Service) GetUserAs(ctx context.Context, p Principal, login string) (UserInfo, error) {
	var out UserInfo
	err := s.store.Read(ctx, func(tx Tx) error {
		u, err := tx.UserByLogin(ctx, p.TenantID, login)
		if err != nil {
			return notFound(err, "Benutzer "+login)
		}
		if u.ID != p.UserID {
			if err := need(p, access.ManageUsers); err != nil {
				return err
			}
		}
		ms, err := tx.ListMemberships(ctx, p.TenantID, u.ID)
		out = UserInfo{User: u, Einheiten: nonNil(ms)}
		return err
	})
	return out, err
}

// CreateUserAs adds an account to p's tenant.
func (s *Service) CreateUserAs(ctx context.Context, p Principal, in NewUser) (UserInfo, error) {
	if err := need(p, access.ManageUsers); err != nil {
		return UserInfo{}, err
	}
	var out UserInfo
	err := s.store.Write(ctx, func(tx Tx) error {
		t, err := tx.TenantByID(ctx, p.TenantID)
		if err != nil {
			return err
		}
		u, err := s.createUser(ctx, tx, t, p, in)
		if err != nil {
			return err
		}
		ms, err := tx.ListMemberships(ctx, t.ID, u.ID)
		out = UserInfo{User: u, Einheiten: nonNil(ms)}
		return err
	})
	return out, err
}

// UserPatch changes an account; nil fields stay.
type UserPatch struct {
	Name      *string
	Roles     *[]access.Role
	Active    *bool
	Einheiten *[]Membership // replaces all memberships
}

// UpdateUserAs changes name, roles, active flag or units of an account of
// p's tenant. Permission changes are audited with before and after.
func (s *Service) UpdateUserAs(ctx context.Context, p Principal, login string, patch UserPatch) (UserInfo, error) {
	if err := need(p, access.ManageUsers); err != nil {
		return UserInfo{}, err
	}
	if err := checkUserPatch(patch); err != nil {
		return UserInfo{}, err
	}
	var out UserInfo
	err := s.store.Write(ctx, func(tx Tx) error {
		t, err := tx.TenantByID(ctx, p.TenantID)
		if err != nil {
			return err
		}
		u, err := tx.UserByLogin(ctx, t.ID, login)
		if err != nil {
			return notFound(err, "Benutzer "+login)
		}
		if u.ID == p.ActorID() && patch.Active != nil && !*patch.Active {
			return apperr.Invalid("aktiv", "Sie können sich nicht selbst deaktivieren")
		}
		if u, err = s.applyUserPatch(ctx, tx, t, p, u, patch); err != nil {
			return err
		}
		ms, err := tx.ListMemberships(ctx, t.ID, u.ID)
		out = UserInfo{User: u, Einheiten: nonNil(ms)}
		return err
	})
	return out, err
}

// UpdateUserTx applies patch to u inside tx, on behalf of actor, audited
// like UpdateUserAs (before and after). It checks no permission: callers
// that own the transaction (sign-in provisioning) decide themselves.
func (s *Service) UpdateUserTx(ctx context.Context, tx Tx, t Tenant, actor Principal, u User, patch UserPatch) (User, error) {
	if err := checkUserPatch(patch); err != nil {
		return User{}, err
	}
	return s.applyUserPatch(ctx, tx, t, actor, u, patch)
}

func checkUserPatch(patch UserPatch) error {
	var v apperr.Validation
	if patch.Name != nil && strings.TrimSpace(*patch.Name) == "" {
		v.Add("name", "darf nicht leer sein")
	}
	if patch.Roles != nil {
		if len(*patch.Roles) == 0 {
			v.Add("rollen", "mindestens eine Rolle")
		}
		for _, r := range *patch.Roles {
			if _, ok := access.ParseRole(string(r)); !ok {
				v.Add("rollen", "unbekannte Rolle "+string(r))
			}
		}
	}
	return v.Err()
}

// applyUserPatch stores a checked patch of u and audits it.
func (s *Service) applyUserPatch(ctx context.Context, tx Tx, t Tenant, p Principal, u User, patch UserPatch) (User, error) {
	c := audit.Changes{}
	if patch.Name != nil {
		changed(c, "name", u.Name, strings.TrimSpace(*patch.Name))
		u.Name = strings.TrimSpace(*patch.Name)
	}
	if patch.Roles != nil && !slices.Equal(u.Roles, *patch.Roles) {
		c["rollen"] = audit.Change{Before: u.Roles, After: *patch.Roles}
		u.Roles = *patch.Roles
	}
	if patch.Active != nil {
		changed(c, "aktiv", u.Active, *patch.Active)
		u.Active = *patch.Active
	}
	if len(c) > 0 {
		if err := tx.UpdateUser(ctx, u); err != nil {
			return User{}, err
		}
		if err := s.audit(ctx, tx, p, "user.update", "user", u.ID, c); err != nil {
			return User{}, err
		}
	}
	if patch.Einheiten != nil {
		old, err := tx.ListMemberships(ctx, t.ID, u.ID)
		if err != nil {
			return User{}, err
		}
		for _, m := range old {
			if err := tx.RemoveMembership(ctx, u.ID, m.UnitID); err != nil {
				return User{}, err
			}
		}
		for _, m := range *patch.Einheiten {
			if err := s.addMembership(ctx, tx, t, p, u, m.Kennung, m.Position); err != nil {
				return User{}, err
			}
		}
		if err := s.audit(ctx, tx, p, "user.units", "user", u.ID, audit.Changes{"einheiten": {Before: old, After: *patch.Einheiten}}); err != nil {
			return User{}, err
		}
	}
	return u, nil
}

// ---------------------------------------------------------------------------
// Tokens

// tokenSubject resolves whose tokens p manages: its own (login "" or its
// own login), or — with ManageUsers — any account of its tenant.
func tokenSubject(ctx context.Context, tx Tx, p Principal, login string) (User, error) {
	if p.Deputy != nil {
		return User{}, apperr.Forbidden("Tokens verwaltet nur ihre Inhaberin oder ihr Inhaber selbst, nicht in Vertretung")
	}
	if login == "" || login == p.Login && p.Deputy == nil {
		u, err := tx.UserByID(ctx, p.TenantID, p.UserID)
		return u, notFound(err, "Benutzer")
	}
	if err := need(p, access.ManageUsers); err != nil {
		return User{}, err
	}
	u, err := tx.UserByLogin(ctx, p.TenantID, login)
	return u, notFound(err, "Benutzer "+login)
}

// CreateTokenAs issues a token for p itself or (admins) for an account of
// p's tenant, e.g. a Dienstkonto. A token never gets more scopes than the
// token that creates it.
func (s *Service) CreateTokenAs(ctx context.Context, p Principal, login, name string, exp *time.Time, scopes []access.Scope) (string, Token, error) {
	if p.Deputy != nil {
		return "", Token{}, apperr.Forbidden("In Vertretung können keine Tokens erzeugt werden")
	}
	var v apperr.Validation
	name = checkText(&v, "name", name, true, 200)
	if exp != nil && !exp.After(s.timestamp()) {
		v.Add("laeuft_ab_am", "muss in der Zukunft liegen")
	}
	for _, sc := range scopes {
		if _, ok := access.ParseScope(string(sc)); !ok {
			v.Add("scopes", "unbekannter Bereich "+string(sc)+" (read, write, admin, audit)")
		} else if p.Scopes != nil && !slices.Contains(p.Scopes, sc) {
			v.Add("scopes", "Bereich "+string(sc)+" übersteigt das verwendete Token")
		}
	}
	if len(scopes) == 0 && p.Scopes != nil {
		// "no scopes" means "all" — but never more than the creating token
		scopes = p.Scopes
	}
	if err := v.Err(); err != nil {
		return "", Token{}, err
	}
	var plain string
	var tok Token
	err := s.store.Write(ctx, func(tx Tx) error {
		u, err := tokenSubject(ctx, tx, p, login)
		if err != nil {
			return err
		}
		plain, tok, err = s.issueToken(ctx, tx, p, u, name, exp, scopes)
		return err
	})
	return plain, tok, err
}

// ListTokensAs lists the tokens of p or (admins) of another account.
func (s *Service) ListTokensAs(ctx context.Context, p Principal, login string) ([]Token, error) {
	var out []Token
	err := s.store.Read(ctx, func(tx Tx) error {
		u, err := tokenSubject(ctx, tx, p, login)
		if err != nil {
			return err
		}
		out, err = tx.ListTokens(ctx, p.TenantID, u.ID)
		return err
	})
	return nonNil(out), err
}

// RevokeTokenAs revokes a token of p or (admins) any token of p's tenant.
// Another user's token is 404 for non-admins.
func (s *Service) RevokeTokenAs(ctx context.Context, p Principal, id string) error {
	if p.Deputy != nil {
		return apperr.Forbidden("Tokens verwaltet nur ihre Inhaberin oder ihr Inhaber selbst, nicht in Vertretung")
	}
	if p.Scopes != nil && !slices.Contains(p.Scopes, access.ScopeAdmin) {
		// a leaked read-only token must not be able to switch off the
		// owner's other tokens
		return apperr.Forbidden("Zum Widerrufen von Tokens ist der Bereich admin nötig")
	}
	return s.store.Write(ctx, func(tx Tx) error {
		own, err := tx.ListTokens(ctx, p.TenantID, p.UserID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(own, func(k Token) bool { return k.ID == id }) && !access.Can(p, access.ManageUsers) {
			return apperr.NotFound("Token")
		}
		k, err := tx.RevokeToken(ctx, p.TenantID, id, s.timestamp())
		if errors.Is(err, ErrNoRows) {
			return apperr.NotFound("Token")
		}
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "token.revoke", "user", k.UserID, map[string]any{"token_id": k.ID, "name": k.Name})
	})
}
