package records

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
)

// NewGrant names a grantee: a whole tenant (Unit and User empty), a unit
// of that tenant, or a user of that tenant. Tenant "" means p's tenant.
type NewGrant struct {
	Tenant    string
	Unit      string
	User      string
	Level     string
	ExpiresAt *time.Time
}

// ListGrants lists an Akte's grants (those in force and the ended ones);
// anyone who sees the Akte may see with whom it is shared.
func (s *Service) ListGrants(ctx context.Context, p Principal, akteID string) ([]Grant, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return nil, err
	}
	var out []Grant
	err := s.store.Read(ctx, func(tx Tx) error {
		if _, _, err := s.akteFor(ctx, tx, p, akteID, access.ReadMetadata); err != nil {
			return err
		}
		var err error
		out, err = tx.ListGrants(ctx, akteID)
		return err
	})
	return nonNil(out), err
}

// resolveGrantee checks a grantee and fills its ids.
func (s *Service) resolveGrantee(ctx context.Context, tx Tx, p Principal, in NewGrant, g *Grant) error {
	var v apperr.Validation
	code := strings.TrimSpace(in.Tenant)
	if code == "" {
		code = p.TenantCode
	}
	t, err := tx.TenantByCode(ctx, code)
	if errors.Is(err, ErrNoRows) {
		v.Add("tenant", "Mandant "+code+" gibt es nicht")
		return v.Err()
	}
	if err != nil {
		return err
	}
	g.GranteeTenantID, g.Tenant = t.ID, t.Code
	if in.Unit != "" && in.User != "" {
		v.Add("unit", "entweder Einheit oder Benutzer angeben, nicht beides")
		return v.Err()
	}
	if in.Unit != "" {
		u, err := tx.UnitByKennung(ctx, t.ID, in.Unit)
		if errors.Is(err, ErrNoRows) {
			v.Add("unit", "Organisationseinheit "+in.Unit+" gibt es in "+t.Code+" nicht")
			return v.Err()
		}
		if err != nil {
			return err
		}
		g.GranteeUnitID, g.Unit = u.ID, &u.Kennung
	}
	if in.User != "" {
		u, err := tx.UserByLogin(ctx, t.ID, in.User)
		if errors.Is(err, ErrNoRows) || err == nil && !u.Active {
			v.Add("user", "Benutzer "+in.User+" gibt es in "+t.Code+" nicht (oder deaktiviert)")
			return v.Err()
		}
		if err != nil {
			return err
		}
		g.GranteeUserID, g.User = u.ID, &u.Login
	}
	return nil
}

// Grant shares an Akte (Freigabe/Beteiligung). Only who owns the Akte
// (its unit, or the whole tenant) may share it, with the right to edit.
func (s *Service) Grant(ctx context.Context, p Principal, akteID string, in NewGrant) (Grant, error) {
	if err := need(p, access.ManageGrants); err != nil {
		return Grant{}, err
	}
	var v apperr.Validation
	if in.Level != GrantRead && in.Level != GrantWrite {
		v.Add("level", "read oder write")
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(s.timestamp()) {
		v.Add("laeuft_ab_am", "muss in der Zukunft liegen")
	}
	if err := v.Err(); err != nil {
		return Grant{}, err
	}
	var g Grant
	err := s.store.Write(ctx, func(tx Tx) error {
		a, _, err := s.akteFor(ctx, tx, p, akteID, access.ManageGrants)
		if err != nil {
			return err
		}
		g = Grant{ID: newID(), TenantID: a.TenantID, AkteID: a.ID, Level: in.Level, ExpiresAt: in.ExpiresAt,
			CreatedBy: p.Actor(), CreatedAt: s.timestamp()}
		if g.ExpiresAt != nil {
			e := g.ExpiresAt.UTC().Truncate(time.Microsecond)
			g.ExpiresAt = &e
		}
		if err := s.resolveGrantee(ctx, tx, p, in, &g); err != nil {
			return err
		}
		existing, err := tx.ListGrants(ctx, a.ID)
		if err != nil {
			return err
		}
		now := s.timestamp()
		if slices.ContainsFunc(existing, func(x Grant) bool {
			return x.Active(now) && x.GranteeTenantID == g.GranteeTenantID && x.GranteeUnitID == g.GranteeUnitID && x.GranteeUserID == g.GranteeUserID
		}) {
			return apperr.Conflict("Für diesen Empfänger besteht bereits eine Freigabe; zuerst widerrufen")
		}
		if err := tx.InsertGrant(ctx, g); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "freigabe.erteilt", "akte", a.ID, map[string]any{
			"freigabe_id": g.ID, "tenant": g.Tenant, "unit": g.Unit, "user": g.User, "level": g.Level, "laeuft_ab_am": g.ExpiresAt})
	})
	return g, err
}

// RevokeGrant ends one grant (by id), or every grant in force for the
// grantee named in `match` when id is "".
func (s *Service) RevokeGrant(ctx context.Context, p Principal, akteID, id string, match *NewGrant) (int, error) {
	if err := need(p, access.ManageGrants); err != nil {
		return 0, err
	}
	n := 0
	err := s.store.Write(ctx, func(tx Tx) error {
		a, _, err := s.akteFor(ctx, tx, p, akteID, access.ManageGrants)
		if err != nil {
			return err
		}
		grants, err := tx.ListGrants(ctx, a.ID)
		if err != nil {
			return err
		}
		var want Grant
		if match != nil {
			if err := s.resolveGrantee(ctx, tx, p, *match, &want); err != nil {
				return err
			}
		}
		now := s.timestamp()
		for _, g := range grants {
			if !g.Active(now) {
				continue
			}
			if id != "" && g.ID != id {
				continue
			}
			if match != nil && (g.GranteeTenantID != want.GranteeTenantID || g.GranteeUnitID != want.GranteeUnitID || g.GranteeUserID != want.GranteeUserID) {
				continue
			}
			if err := tx.RevokeGrant(ctx, a.ID, g.ID, now); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, p, "freigabe.widerrufen", "akte", a.ID, map[string]any{
				"freigabe_id": g.ID, "tenant": g.Tenant, "unit": g.Unit, "user": g.User, "level": g.Level}); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return apperr.NotFound("Freigabe")
		}
		return nil
	})
	return n, err
}

// ---------------------------------------------------------------------------
// Restrictions (VS-NfD, Personalsache)

// Restrict marks a Vorgang or Dokument as restricted to named users of its
// tenant (restriction "" lifts it). The caller must own the Akte and is
// always among the Berechtigte, so nobody locks themselves out by mistake.
func (s *Service) Restrict(ctx context.Context, p Principal, objectType, id, restriction string, logins []string) ([]string, error) {
	if err := need(p, access.ManageGrants); err != nil {
		return nil, err
	}
	restriction = strings.TrimSpace(restriction)
	if restriction != "" && !slices.Contains(Restrictions, restriction) {
		return nil, apperr.Invalid("beschraenkung", "vs-nfd, personal oder null")
	}
	var out []string
	err := s.store.Write(ctx, func(tx Tx) error {
		var tenantID, objID string
		var current *string
		switch objectType {
		case "vorgang":
			v, _, _, err := s.vorgangFor(ctx, tx, p, id, access.ManageGrants)
			if err != nil {
				return err
			}
			tenantID, objID, current = v.TenantID, v.ID, v.Beschraenkung
			if restriction == "" {
				v.Beschraenkung = nil
			} else {
				v.Beschraenkung = &restriction
			}
			v.UpdatedAt = s.timestamp()
			if err := tx.UpdateVorgang(ctx, v); err != nil {
				return err
			}
		case "dokument":
			d, _, _, _, err := s.dokumentFor(ctx, tx, p, id, access.ManageGrants)
			if err != nil {
				return err
			}
			tenantID, objID, current = d.TenantID, d.ID, d.Beschraenkung
			if restriction == "" {
				d.Beschraenkung = nil
			} else {
				d.Beschraenkung = &restriction
			}
			d.UpdatedAt = s.timestamp()
			if err := tx.UpdateDokument(ctx, d); err != nil {
				return err
			}
		default:
			return apperr.NotFound("Objekt")
		}
		var ids []string
		if restriction != "" {
			if !slices.Contains(logins, p.Login) && !p.System {
				logins = append(logins, p.Login)
			}
			slices.Sort(logins)
			logins = slices.Compact(logins)
			var v apperr.Validation
			for _, l := range logins {
				u, err := tx.UserByLogin(ctx, tenantID, l)
				if errors.Is(err, ErrNoRows) || err == nil && !u.Active {
					v.Add("berechtigte", "Benutzer "+l+" gibt es nicht (oder deaktiviert)")
					continue
				}
				if err != nil {
					return err
				}
				ids = append(ids, u.ID)
				out = append(out, u.Login)
			}
			if err := v.Err(); err != nil {
				return err
			}
		}
		if err := tx.SetRestrictionUsers(ctx, objID, ids); err != nil {
			return err
		}
		return s.auditIn(ctx, tx, tenantID, p, objectType+".beschraenkung", objectType, objID, map[string]any{
			"vorher": current, "beschraenkung": restriction, "berechtigte": out})
	})
	return nonNil(out), err
}
