package records

import (
	"context"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
)

// Betrieb: the installation-wide operator. Roles (access.Role) are roles
// inside one tenant, and a tenant's administrator manages the roles of its
// own accounts, so no role may reach beyond the tenant: a Ressort's admin
// must neither see nor create other Mandanten. Whoever runs the
// installation is marked separately (table betrieb, migration 00016),
// only by the operator's CLI (`aktenwerk user betrieb`) and for the first
// administrator on the first start. The mark works together with the
// admin role of the account's own tenant (access.ManageUsers: not in
// Vertretung, not with a token lacking the admin scope), so taking the
// role away disables it too.

// errNoOperator refuses tenant administration to everyone else.
var errNoOperator = apperr.Forbidden("Keine Berechtigung: Mandanten verwalten (nur der Betrieb der Installation)")

// SetOperator grants (on) or withdraws the operator mark of a person's
// account (operator action, CLI). Audited in the account's tenant.
func (s *Service) SetOperator(ctx context.Context, tenantCode, login string, on bool) error {
	return s.store.Write(ctx, func(tx Tx) error {
		t, u, err := tenantUser(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		if on && u.Kind == KindService {
			return apperr.Invalid("login", "ein Dienstkonto kann nicht Betrieb sein")
		}
		was, err := tx.IsOperator(ctx, u.ID)
		if err != nil || was == on {
			return err
		}
		if err := tx.SetOperator(ctx, u.ID, on, s.timestamp()); err != nil {
			return err
		}
		return s.audit(ctx, tx, system(t), "betrieb.gesetzt", "user", u.ID, map[string]any{"login": u.Login, "betrieb": on})
	})
}

// IsOperator reports whether p may administer the installation's tenants:
// an administrator of its tenant (access.ManageUsers) with the operator
// mark. For the navigation; the tenant calls check it themselves.
func (s *Service) IsOperator(ctx context.Context, p Principal) (bool, error) {
	var ok bool
	err := s.store.Read(ctx, func(tx Tx) error {
		err := needOperator(ctx, tx, p)
		ok = err == nil
		if apperr.KindOf(err) == apperr.KindForbidden {
			return nil
		}
		return err
	})
	return ok, err
}

func needOperator(ctx context.Context, tx Tx, p Principal) error {
	if !access.Can(p, access.ManageUsers) {
		return errNoOperator
	}
	if p.System {
		return nil
	}
	ok, err := tx.IsOperator(ctx, p.UserID)
	if err != nil {
		return err
	}
	if !ok {
		return errNoOperator
	}
	return nil
}

// ListTenantsAs lists every tenant of the installation (operator only).
func (s *Service) ListTenantsAs(ctx context.Context, p Principal) ([]Tenant, error) {
	var out []Tenant
	err := s.store.Read(ctx, func(tx Tx) error {
		if err := needOperator(ctx, tx, p); err != nil {
			return err
		}
		var err error
		out, err = tx.ListTenants(ctx)
		return err
	})
	return out, err
}

// CreateTenantAs adds a Mandant (operator only). The creation is audited
// in the new tenant's chain (actor "admin@LV") and in the operator's own.
func (s *Service) CreateTenantAs(ctx context.Context, p Principal, in NewTenant) (Tenant, error) {
	t, err := s.newTenant(in)
	if err != nil {
		// refuse the unauthorised before naming bad fields
		if ok, oerr := s.IsOperator(ctx, p); oerr != nil || !ok {
			if oerr != nil {
				return Tenant{}, oerr
			}
			return Tenant{}, errNoOperator
		}
		return Tenant{}, err
	}
	err = s.store.Write(ctx, func(tx Tx) error {
		if err := needOperator(ctx, tx, p); err != nil {
			return err
		}
		if err := s.insertTenant(ctx, tx, t, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "tenant.create", "tenant", t.ID, map[string]any{"code": t.Code, "name": t.Name})
	})
	return t, err
}
