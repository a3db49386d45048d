package records

import (
	"context"
	"slices"
	"sync"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
)

// Need-to-know. An Akte is visible to the users of its owning unit and of
// every unit above it (Principal.Units holds a user's units and all units
// below them), to the whole tenant when it has no owning unit, and to the
// grantees of its active grants (users, units, whole tenants, also of other
// tenants). Vorgänge and Dokumente inherit the Akte's visibility; a
// restricted one (VS-NfD, Personalsache) is visible only to its
// Berechtigte. Whatever a principal may not see does not exist for it: the
// answer is 404, exactly as for an id that was never issued.

// level computes what p may do with Akte a.
func (s *Service) level(ctx context.Context, tx Tx, p Principal, a Akte) (access.Level, error) {
	if p.System {
		return access.LevelOwner, nil
	}
	if a.TenantID == p.TenantID && (a.OwnerUnitID == "" || slices.Contains(p.Units, a.OwnerUnitID)) {
		return access.LevelOwner, nil
	}
	grants, err := tx.ListGrants(ctx, a.ID)
	if err != nil {
		return access.LevelNone, err
	}
	now := s.timestamp()
	lvl := access.LevelNone
	for _, g := range grants {
		if !g.Active(now) || g.GranteeTenantID != p.TenantID {
			continue
		}
		whole := g.GranteeUnitID == "" && g.GranteeUserID == ""
		if whole || g.GranteeUserID == p.UserID || (g.GranteeUnitID != "" && slices.Contains(p.Units, g.GranteeUnitID)) {
			l := access.LevelRead
			if g.Level == GrantWrite {
				l = access.LevelWrite
			}
			lvl = max(lvl, l)
		}
	}
	return lvl, nil
}

// forbidden explains a refusal on a visible object.
func forbidden(lvl access.Level, a access.Action) error {
	if lvl == access.LevelRead || lvl == access.LevelWrite {
		return apperr.Forbidden("Keine Berechtigung: %s (nur %s über eine Freigabe)", a.Label(), map[access.Level]string{
			access.LevelRead: "Lesezugriff", access.LevelWrite: "Mitarbeit"}[lvl])
	}
	return apperr.Forbidden("Keine Berechtigung: %s", a.Label())
}

// akteFor loads an Akte for action a: NotFound when p may not see it,
// Forbidden when p sees it but its level does not allow a.
func (s *Service) akteFor(ctx context.Context, tx Tx, p Principal, id string, a access.Action) (Akte, access.Level, error) {
	ak, err := tx.FindAkte(ctx, id)
	if err != nil {
		return Akte{}, 0, notFound(err, "Akte")
	}
	lvl, err := s.level(ctx, tx, p, ak)
	if err != nil {
		return Akte{}, 0, err
	}
	if lvl == access.LevelNone {
		noteDenied(ctx, ak.TenantID, "akte", ak.ID)
		return Akte{}, 0, apperr.NotFound("Akte")
	}
	if !access.Allows(lvl, a) {
		return Akte{}, 0, forbidden(lvl, a)
	}
	return ak, lvl, nil
}

// unrestricted reports whether p may see an object with this restriction.
func (s *Service) unrestricted(ctx context.Context, tx Tx, p Principal, objectID string, restriction *string) (bool, error) {
	if restriction == nil || p.System {
		return true, nil
	}
	users, err := tx.RestrictionUsers(ctx, objectID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(users, func(u User) bool { return u.ID == p.UserID }), nil
}

// vorgangFor loads a Vorgang with its Akte for action a (see akteFor).
func (s *Service) vorgangFor(ctx context.Context, tx Tx, p Principal, id string, a access.Action) (Vorgang, Akte, access.Level, error) {
	v, err := tx.FindVorgang(ctx, id)
	if err != nil {
		return Vorgang{}, Akte{}, 0, notFound(err, "Vorgang")
	}
	ak, lvl, err := s.akteFor(ctx, tx, p, v.AkteID, access.ReadMetadata)
	if err == nil {
		var ok bool
		if ok, err = s.unrestricted(ctx, tx, p, v.ID, v.Beschraenkung); err == nil && !ok {
			noteDenied(ctx, v.TenantID, "vorgang", v.ID)
			err = apperr.NotFound("Vorgang")
		}
	}
	if e, ok := apperr.As(err); ok && e.Kind == apperr.KindNotFound {
		return Vorgang{}, Akte{}, 0, apperr.NotFound("Vorgang")
	}
	if err != nil {
		return Vorgang{}, Akte{}, 0, err
	}
	if !access.Allows(lvl, a) {
		return Vorgang{}, Akte{}, 0, forbidden(lvl, a)
	}
	return v, ak, lvl, nil
}

// dokumentFor loads a Dokument with its Vorgang and Akte for action a.
func (s *Service) dokumentFor(ctx context.Context, tx Tx, p Principal, id string, a access.Action) (Dokument, Vorgang, Akte, access.Level, error) {
	d, err := tx.FindDokument(ctx, id)
	if err != nil {
		return Dokument{}, Vorgang{}, Akte{}, 0, notFound(err, "Dokument")
	}
	v, ak, lvl, err := s.vorgangFor(ctx, tx, p, d.VorgangID, access.ReadMetadata)
	if err == nil {
		var ok bool
		if ok, err = s.unrestricted(ctx, tx, p, d.ID, d.Beschraenkung); err == nil && !ok {
			noteDenied(ctx, d.TenantID, "dokument", d.ID)
			err = apperr.NotFound("Dokument")
		}
	}
	if e, ok := apperr.As(err); ok && e.Kind == apperr.KindNotFound {
		return Dokument{}, Vorgang{}, Akte{}, 0, apperr.NotFound("Dokument")
	}
	if err != nil {
		return Dokument{}, Vorgang{}, Akte{}, 0, err
	}
	if !access.Allows(lvl, a) {
		return Dokument{}, Vorgang{}, Akte{}, 0, forbidden(lvl, a)
	}
	return d, v, ak, lvl, nil
}

// viewer is the list-query view of p.
func (s *Service) viewer(p Principal) Viewer {
	return Viewer{TenantID: p.TenantID, UserID: p.UserID, Units: p.Units, Now: s.timestamp(), All: p.System}
}

// viewerID is the user whose restrictions apply to lists.
func viewerID(p Principal) string {
	if p.System {
		return AllViewers
	}
	return p.UserID
}

// ---------------------------------------------------------------------------
// Denied access attempts are audited. The checks run inside read (or
// rolled-back write) transactions, so they are collected on the request's
// context and written afterwards by RecordDenials.

// Denial is one refused access attempt.
type Denial struct {
	TenantID   string // the object's tenant (whose audit chain records it)
	ObjectType string
	ObjectID   string
	Reason     string
}

type denialLog struct {
	mu   sync.Mutex
	list []Denial
}

type denialKey struct{}

// WithDenials returns a context that collects denied access attempts.
func WithDenials(ctx context.Context) context.Context {
	return context.WithValue(ctx, denialKey{}, &denialLog{})
}

// NoteDenial adds a denial to the context's collection (if any).
func NoteDenial(ctx context.Context, d Denial) {
	if l, ok := ctx.Value(denialKey{}).(*denialLog); ok {
		l.mu.Lock()
		if len(l.list) < 20 {
			l.list = append(l.list, d)
		}
		l.mu.Unlock()
	}
}

func noteDenied(ctx context.Context, tenantID, objType, id string) {
	NoteDenial(ctx, Denial{TenantID: tenantID, ObjectType: objType, ObjectID: id, Reason: "nicht sichtbar"})
}

// RecordDenials writes the collected denials of a request to the audit log
// as "zugriff.verweigert" entries of p.
func (s *Service) RecordDenials(ctx context.Context, p Principal, route string) error {
	l, ok := ctx.Value(denialKey{}).(*denialLog)
	if !ok {
		return nil
	}
	l.mu.Lock()
	list := slices.Clone(l.list)
	l.mu.Unlock()
	if len(list) == 0 {
		return nil
	}
	return s.store.Write(ctx, func(tx Tx) error {
		for _, d := range list {
			tenant := d.TenantID
			if tenant == "" {
				tenant = p.TenantID
			}
			if err := s.auditIn(ctx, tx, tenant, p, "zugriff.verweigert", d.ObjectType, d.ObjectID,
				map[string]any{"grund": d.Reason, "anfrage": route}); err != nil {
				return err
			}
		}
		return nil
	})
}
