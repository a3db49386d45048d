package records

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
)

// Organisationseinheiten and user administration (operator actions through
// the CLI). They live beside users here until the access issue moves
// tenants, units and users into internal/access.

var kennungRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

// NewUnit is the input for a new Organisationseinheit.
type NewUnit struct {
	Kennung, Name, Typ string
	Parent             string // Kennung of the parent unit, "" for a top-level unit
}

// CreateUnit adds an Organisationseinheit to a tenant (operator action).
func (s *Service) CreateUnit(ctx context.Context, tenantCode string, in NewUnit) (Unit, error) {
	var u Unit
	err := s.store.Write(ctx, func(tx Tx) error {
		t, err := tenantByCode(ctx, tx, tenantCode)
		if err != nil {
			return err
		}
		u, err = s.createUnit(ctx, tx, t, system(t), in)
		return err
	})
	return u, err
}

// CreateUnitAs adds an Organisationseinheit to p's tenant (admin action).
func (s *Service) CreateUnitAs(ctx context.Context, p Principal, in NewUnit) (Unit, error) {
	if err := need(p, access.ManageUsers); err != nil {
		return Unit{}, err
	}
	var u Unit
	err := s.store.Write(ctx, func(tx Tx) error {
		t, err := tx.TenantByID(ctx, p.TenantID)
		if err != nil {
			return err
		}
		u, err = s.createUnit(ctx, tx, t, p, in)
		return err
	})
	return u, err
}

func (s *Service) createUnit(ctx context.Context, tx Tx, t Tenant, actor Principal, in NewUnit) (Unit, error) {
	var v apperr.Validation
	in.Kennung, in.Name, in.Parent = strings.TrimSpace(in.Kennung), strings.TrimSpace(in.Name), strings.TrimSpace(in.Parent)
	if !kennungRE.MatchString(in.Kennung) {
		v.Add("kennung", "1–32 Zeichen: Buchstaben, Ziffern, . _ - (z. B. Z1 oder 12)")
	}
	if in.Name == "" {
		v.Add("name", "darf nicht leer sein")
	}
	if !slices.Contains(UnitTypes, in.Typ) {
		v.Add("typ", "einer von: "+strings.Join(UnitTypes, ", "))
	}
	if err := v.Err(); err != nil {
		return Unit{}, err
	}
	u := Unit{ID: newID(), TenantID: t.ID, Kennung: in.Kennung, Name: in.Name, Typ: in.Typ, CreatedAt: s.timestamp()}
	if in.Parent != "" {
		parent, err := tx.UnitByKennung(ctx, t.ID, in.Parent)
		if errors.Is(err, ErrNoRows) {
			return Unit{}, apperr.Invalid("parent", "Organisationseinheit "+in.Parent+" gibt es in "+t.Code+" nicht")
		}
		if err != nil {
			return Unit{}, err
		}
		u.ParentID = &parent.ID
	}
	if err := tx.InsertUnit(ctx, u); err != nil {
		if errors.Is(err, ErrDuplicate) {
			return Unit{}, apperr.Conflict("Organisationseinheit %s existiert in %s bereits", in.Kennung, t.Code)
		}
		return Unit{}, err
	}
	return u, s.audit(ctx, tx, actor, "unit.create", "unit", u.ID, map[string]any{"kennung": u.Kennung, "name": u.Name, "typ": u.Typ, "parent": in.Parent})
}

// ListUnits lists a tenant's units ordered by Kennung.
func (s *Service) ListUnits(ctx context.Context, tenantCode string) ([]Unit, error) {
	var out []Unit
	err := s.store.Read(ctx, func(tx Tx) error {
		t, err := tenantByCode(ctx, tx, tenantCode)
		if err != nil {
			return err
		}
		out, err = tx.ListUnits(ctx, t.ID)
		return err
	})
	return out, err
}

// AssignUnit puts a user into a unit with a position.
func (s *Service) AssignUnit(ctx context.Context, tenantCode, login, kennung, position string) error {
	return s.store.Write(ctx, func(tx Tx) error {
		t, u, err := tenantUser(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		return s.addMembership(ctx, tx, t, system(t), u, kennung, position)
	})
}

func (s *Service) addMembership(ctx context.Context, tx Tx, t Tenant, actor Principal, u User, kennung, position string) error {
	if !slices.Contains(Positions, position) {
		return apperr.Invalid("position", "eine von: "+strings.Join(Positions, ", "))
	}
	unit, err := tx.UnitByKennung(ctx, t.ID, kennung)
	if errors.Is(err, ErrNoRows) {
		return apperr.Invalid("unit", "Organisationseinheit "+kennung+" gibt es in "+t.Code+" nicht")
	}
	if err != nil {
		return err
	}
	if err := tx.AddMembership(ctx, u.ID, unit.ID, position); err != nil {
		if errors.Is(err, ErrDuplicate) {
			return apperr.Conflict("%s gehört bereits zu %s", u.Login, kennung)
		}
		return err
	}
	return s.audit(ctx, tx, actor, "user.unit", "user", u.ID, map[string]any{"unit": kennung, "position": position})
}

// Memberships lists a user's units.
func (s *Service) Memberships(ctx context.Context, tenantCode, login string) ([]Membership, error) {
	var out []Membership
	err := s.store.Read(ctx, func(tx Tx) error {
		t, u, err := tenantUser(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		out, err = tx.ListMemberships(ctx, t.ID, u.ID)
		return err
	})
	return out, err
}

// SetUserActive deactivates (or reactivates) a user. Users are never
// deleted, so their audit entries stay meaningful; a deactivated user's
// tokens stop working at once.
func (s *Service) SetUserActive(ctx context.Context, tenantCode, login string, active bool) error {
	return s.store.Write(ctx, func(tx Tx) error {
		t, u, err := tenantUser(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		if u.Active == active {
			return nil
		}
		if err := tx.SetUserActive(ctx, t.ID, u.ID, active); err != nil {
			return err
		}
		return s.audit(ctx, tx, system(t), "user.active", "user", u.ID, map[string]any{"aktiv": map[string]bool{"before": u.Active, "after": active}})
	})
}

// ListTokens lists a user's API tokens (never their secrets).
func (s *Service) ListTokens(ctx context.Context, tenantCode, login string) ([]Token, error) {
	var out []Token
	err := s.store.Read(ctx, func(tx Tx) error {
		t, u, err := tenantUser(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		out, err = tx.ListTokens(ctx, t.ID, u.ID)
		return err
	})
	return out, err
}

// RevokeToken revokes a token of a tenant; it stops working with the next
// request on every node (tokens are looked up in the database each time).
func (s *Service) RevokeToken(ctx context.Context, tenantCode, id string) error {
	return s.store.Write(ctx, func(tx Tx) error {
		t, err := tenantByCode(ctx, tx, tenantCode)
		if err != nil {
			return err
		}
		k, err := tx.RevokeToken(ctx, t.ID, id, s.timestamp())
		if err != nil {
			return notFound(err, "Token "+id+" (oder bereits widerrufen)")
		}
		return s.audit(ctx, tx, system(t), "token.revoke", "user", k.UserID, map[string]any{"token_id": k.ID, "name": k.Name})
	})
}

// tenantByCode loads a tenant by its code inside tx (NotFound naming it).
func tenantByCode(ctx context.Context, tx Tx, code string) (Tenant, error) {
	t, err := tx.TenantByCode(ctx, code)
	return t, notFound(err, "Mandant "+code)
}

// tenantUser loads a tenant and one of its users inside tx.
func tenantUser(ctx context.Context, tx Tx, code, login string) (Tenant, User, error) {
	t, err := tenantByCode(ctx, tx, code)
	if err != nil {
		return Tenant{}, User{}, err
	}
	u, err := tx.UserByLogin(ctx, t.ID, login)
	return t, u, notFound(err, "Benutzer "+login)
}

// system is the principal of operator actions on a tenant (CLI, bootstrap).
func system(t Tenant) Principal {
	return Principal{TenantID: t.ID, TenantCode: t.Code, System: true}
}

// SystemPrincipal is the principal of a tenant's automatic intake (watch
// folder, mailbox): it files post for the tenant, audited as "system".
func (s *Service) SystemPrincipal(ctx context.Context, tenantCode string) (Principal, error) {
	var p Principal
	err := s.store.Read(ctx, func(tx Tx) error {
		t, err := tenantByCode(ctx, tx, tenantCode)
		p = system(t)
		return err
	})
	return p, err
}

// UnitPatch renames a unit or moves it under another parent; nil fields
// stay as they are.
type UnitPatch struct {
	Name *string
	// Parent is the Kennung of the new parent unit; "" moves the unit to
	// the top level.
	Parent *string
}

// UpdateUnitAs renames or moves a unit of p's tenant (admin action). A
// unit can only move under a unit of the same tenant that is neither
// itself nor below it. Access follows at once: the units below a user's
// units are computed from the tree on every request, and the search index
// stores owner unit ids only, so nothing is reindexed.
func (s *Service) UpdateUnitAs(ctx context.Context, p Principal, kennung string, patch UnitPatch) (Unit, error) {
	if err := need(p, access.ManageUsers); err != nil {
		return Unit{}, err
	}
	var v apperr.Validation
	if patch.Name != nil {
		n := strings.TrimSpace(*patch.Name)
		if n == "" {
			v.Add("name", "darf nicht leer sein")
		} else if len([]rune(n)) > maxTitle {
			v.Add("name", "höchstens "+strconv.Itoa(maxTitle)+" Zeichen")
		}
		patch.Name = &n
	}
	if patch.Parent != nil {
		k := strings.TrimSpace(*patch.Parent)
		patch.Parent = &k
	}
	if err := v.Err(); err != nil {
		return Unit{}, err
	}
	var u Unit
	err := s.store.Write(ctx, func(tx Tx) error {
		if err := tx.LockTenant(ctx, p.TenantID); err != nil {
			return err
		}
		t, err := tx.TenantByID(ctx, p.TenantID)
		if err != nil {
			return err
		}
		if u, err = tx.UnitByKennung(ctx, t.ID, kennung); err != nil {
			return notFound(err, "Organisationseinheit "+kennung)
		}
		c := audit.Changes{}
		if patch.Name != nil {
			changed(c, "name", u.Name, *patch.Name)
			u.Name = *patch.Name
		}
		if patch.Parent != nil {
			units, err := tx.ListUnits(ctx, t.ID)
			if err != nil {
				return err
			}
			byID := map[string]Unit{}
			for _, x := range units {
				byID[x.ID] = x
			}
			before := ""
			if u.ParentID != nil {
				before = byID[*u.ParentID].Kennung
			}
			var newParent *string
			if *patch.Parent != "" {
				parent, err := tx.UnitByKennung(ctx, t.ID, *patch.Parent)
				if errors.Is(err, ErrNoRows) {
					return apperr.Invalid("parent", "Organisationseinheit "+*patch.Parent+" gibt es in "+t.Code+" nicht")
				}
				if err != nil {
					return err
				}
				// walk up from the new parent: meeting the unit itself
				// means it would sit below itself
				for at, steps := parent, 0; ; steps++ {
					if at.ID == u.ID {
						if parent.ID == u.ID {
							return apperr.Invalid("parent", "eine Organisationseinheit kann nicht unter sich selbst stehen")
						}
						return apperr.Invalid("parent", parent.Kennung+" liegt unterhalb von "+u.Kennung+"; eine Einheit kann nicht unter eine ihrer eigenen Untereinheiten verschoben werden")
					}
					if at.ParentID == nil || steps > len(units) {
						break
					}
					at = byID[*at.ParentID]
				}
				newParent = &parent.ID
			}
			changed(c, "parent", before, *patch.Parent)
			u.ParentID = newParent
		}
		if len(c) == 0 {
			return nil
		}
		if err := tx.UpdateUnit(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "unit.update", "unit", u.ID, c)
	})
	return u, err
}
