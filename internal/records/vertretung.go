package records

import (
	"context"
	"errors"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
)

// Vertretung: a user names a deputy for a period (or an admin does). In
// that period the deputy may act for the absent user — with the absent
// user's roles, units and restrictions — by saying so on each request
// (API header X-Vertretung: <login>); every action is then audited with
// the deputy as actor and "i.V. für" the absent user.

// NewVertretung is the input for a Vertretung.
type NewVertretung struct {
	Vertretene, Vertreter string
	Von, Bis              time.Time
}

// CreateVertretung records a Vertretung. Users set their own; admins
// anyone's in their tenant. Periods of one vertretene must not overlap.
func (s *Service) CreateVertretung(ctx context.Context, p Principal, in NewVertretung) (Vertretung, error) {
	var v apperr.Validation
	if in.Vertretene == "" {
		v.Add("vertretene", "darf nicht leer sein")
	}
	if in.Vertreter == "" {
		v.Add("vertreter", "darf nicht leer sein")
	}
	if in.Vertretene != "" && in.Vertretene == in.Vertreter {
		v.Add("vertreter", "niemand vertritt sich selbst")
	}
	if in.Von.IsZero() {
		v.Add("von", "Zeitpunkt angeben (RFC 3339)")
	}
	if in.Bis.IsZero() {
		v.Add("bis", "Zeitpunkt angeben (RFC 3339)")
	} else if !in.Bis.After(in.Von) {
		v.Add("bis", "muss nach von liegen")
	} else if !in.Bis.After(s.timestamp()) {
		v.Add("bis", "liegt in der Vergangenheit")
	}
	if err := v.Err(); err != nil {
		return Vertretung{}, err
	}
	if p.Deputy != nil {
		return Vertretung{}, apperr.Forbidden("In Vertretung kann keine weitere Vertretung eingerichtet werden")
	}
	var out Vertretung
	err := s.store.Write(ctx, func(tx Tx) error {
		a, err := tx.UserByLogin(ctx, p.TenantID, in.Vertretene)
		if errors.Is(err, ErrNoRows) {
			return apperr.Invalid("vertretene", "Benutzer "+in.Vertretene+" gibt es nicht")
		} else if err != nil {
			return err
		}
		if a.ID != p.UserID {
			if err := need(p, access.ManageUsers); err != nil {
				return apperr.Forbidden("Nur die vertretene Person selbst oder die Administration kann eine Vertretung einrichten")
			}
		}
		b, err := tx.UserByLogin(ctx, p.TenantID, in.Vertreter)
		if errors.Is(err, ErrNoRows) || err == nil && (!b.Active || b.Kind == KindService) {
			return apperr.Invalid("vertreter", "Benutzer "+in.Vertreter+" gibt es nicht (oder deaktiviert oder Dienstkonto)")
		} else if err != nil {
			return err
		}
		von, bis := in.Von.UTC().Truncate(time.Microsecond), in.Bis.UTC().Truncate(time.Microsecond)
		if o, err := tx.OverlappingVertretung(ctx, a.ID, von, bis); err == nil {
			return apperr.Conflict("%s wird in diesem Zeitraum bereits von %s vertreten (%s bis %s)", a.Login, o.Vertreter,
				o.Von.In(berlin).Format("02.01.2006 15:04"), o.Bis.In(berlin).Format("02.01.2006 15:04"))
		} else if !errors.Is(err, ErrNoRows) {
			return err
		}
		out = Vertretung{ID: newID(), TenantID: p.TenantID, VertreteneID: a.ID, VertreterID: b.ID, Vertretene: a.Login,
			Vertreter: b.Login, Von: von, Bis: bis, CreatedBy: p.Actor(), CreatedAt: s.timestamp()}
		if err := tx.InsertVertretung(ctx, out); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "vertretung.create", "user", a.ID, map[string]any{
			"vertretung_id": out.ID, "vertretene": a.Login, "vertreter": b.Login, "von": von, "bis": bis})
	})
	return out, err
}

// ListVertretungen lists the Vertretungen p is part of (admins: all of the
// tenant).
func (s *Service) ListVertretungen(ctx context.Context, p Principal) ([]Vertretung, error) {
	var out []Vertretung
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		who := p.UserID
		if access.Can(p, access.ManageUsers) {
			who = ""
		}
		out, err = tx.ListVertretungen(ctx, p.TenantID, who)
		return err
	})
	return nonNil(out), err
}

// EndVertretung ends a Vertretung early (the vertretene, the vertreter or
// an admin).
func (s *Service) EndVertretung(ctx context.Context, p Principal, id string) error {
	return s.store.Write(ctx, func(tx Tx) error {
		v, err := tx.GetVertretung(ctx, p.TenantID, id)
		if err != nil {
			return notFound(err, "Vertretung")
		}
		if v.VertreteneID != p.ActorID() && v.VertreterID != p.ActorID() && !access.Can(p, access.ManageUsers) {
			return apperr.NotFound("Vertretung")
		}
		if v.RevokedAt != nil {
			return apperr.Conflict("Vertretung ist bereits beendet")
		}
		if err := tx.EndVertretung(ctx, p.TenantID, id, s.timestamp()); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "vertretung.end", "user", v.VertreteneID, map[string]any{"vertretung_id": v.ID, "vertreter": v.Vertreter})
	})
}

// ActAs turns p into the principal of the user it deputises for, if a
// Vertretung is in force now; the result keeps p as Deputy (the actor) and
// p's token scopes.
func (s *Service) ActAs(ctx context.Context, p Principal, login string) (Principal, error) {
	if p.Deputy != nil || p.System {
		return Principal{}, apperr.Forbidden("Vertretung kann nicht verkettet werden")
	}
	var out Principal
	err := s.store.Read(ctx, func(tx Tx) error {
		t, err := tx.TenantByID(ctx, p.TenantID)
		if err != nil {
			return err
		}
		a, err := tx.UserByLogin(ctx, p.TenantID, login)
		if err == nil && a.Active {
			if _, err = tx.ActiveVertretung(ctx, a.ID, p.UserID, s.timestamp()); err == nil {
				out, err = s.principal(ctx, tx, t, a)
				out.Deputy = &access.Deputy{UserID: p.UserID, Login: p.Login}
				out.Scopes = p.Scopes
				return err
			}
		}
		if err == nil || errors.Is(err, ErrNoRows) {
			NoteDenial(ctx, Denial{TenantID: p.TenantID, ObjectType: "vertretung", ObjectID: login, Reason: "keine gültige Vertretung"})
			return apperr.Forbidden("Keine gültige Vertretung für %s zum jetzigen Zeitpunkt", login)
		}
		return err
	})
	return out, err
}
