package records

import (
	"context"
	"errors"
	"slices"
	"strings"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
)

// NewAkte is the input for a new Akte.
type NewAkte struct {
	AktenplanID  string
	Titel        string
	Beschreibung string
	Metadaten    Metadata
	// Einheit is the Kennung of the owning unit; empty: the creator's unit
	// when it belongs to exactly one, the whole tenant when it belongs to
	// none.
	Einheit string
}

// AktePatch changes an Akte; nil fields stay as they are.
type AktePatch struct {
	Titel        *string
	Beschreibung *string
	Metadaten    *Metadata
	// Einheit hands the Akte over to another unit (Kennung; "" = the whole
	// tenant). It needs the right to re-file.
	Einheit *string
}

// ownerUnit resolves the owning unit of a new Akte.
func (s *Service) ownerUnit(ctx context.Context, tx Tx, p Principal, kennung string) (Unit, error) {
	if kennung != "" {
		u, err := tx.UnitByKennung(ctx, p.TenantID, kennung)
		if errors.Is(err, ErrNoRows) {
			return Unit{}, apperr.Invalid("einheit", "Organisationseinheit "+kennung+" gibt es nicht")
		}
		if err != nil {
			return Unit{}, err
		}
		if !p.System && !slices.Contains(p.Units, u.ID) {
			return Unit{}, apperr.Invalid("einheit", "Sie gehören weder "+kennung+" noch einer Einheit darüber an")
		}
		return u, nil
	}
	if p.System {
		return Unit{}, nil
	}
	ms, err := tx.ListMemberships(ctx, p.TenantID, p.UserID)
	if err != nil {
		return Unit{}, err
	}
	switch len(ms) {
	case 0:
		return Unit{}, nil
	case 1:
		return tx.UnitByID(ctx, p.TenantID, ms[0].UnitID)
	}
	return Unit{}, apperr.Invalid("einheit", "Sie gehören mehreren Organisationseinheiten an: federführende Einheit angeben")
}

func (s *Service) nextAktenzeichen(ctx context.Context, tx Tx, tenantID, kennzeichen, objType, objID string) (string, error) {
	t, err := tx.TenantByID(ctx, tenantID)
	if err != nil {
		return "", err
	}
	vars := akteVars(t, kennzeichen, s.now())
	serial, err := tx.NextSerial(ctx, tenantID, renderScope(t.AzPattern, vars))
	if err != nil {
		return "", err
	}
	az := renderSerial(t.AzPattern, vars, serial)
	if err := tx.RegisterAktenzeichen(ctx, tenantID, az, objType, objID); err != nil {
		if errors.Is(err, ErrDuplicate) {
			return "", apperr.Conflict("Aktenzeichen %s wurde bereits vergeben (Muster des Mandanten prüfen)", az)
		}
		return "", err
	}
	return az, nil
}

// CreateAkte opens a new Akte under an open Aktenplan position.
func (s *Service) CreateAkte(ctx context.Context, p Principal, in NewAkte) (Akte, error) {
	if err := need(p, access.Create); err != nil {
		return Akte{}, err
	}
	var v apperr.Validation
	if in.AktenplanID == "" {
		v.Add("aktenplan_id", "darf nicht leer sein")
	}
	titel := checkText(&v, "titel", in.Titel, true, maxTitle)
	beschr := checkText(&v, "beschreibung", in.Beschreibung, false, maxText)
	checkMetadata(&v, "metadaten", in.Metadaten)
	if err := v.Err(); err != nil {
		return Akte{}, err
	}
	var a Akte
	err := s.store.Write(ctx, func(tx Tx) (err error) {
		a, err = s.createAkteIn(ctx, tx, p, in, titel, beschr)
		return err
	})
	return a, err
}

// createAkteIn creates an Akte with validated fields in tx.
func (s *Service) createAkteIn(ctx context.Context, tx Tx, p Principal, in NewAkte, titel, beschr string) (Akte, error) {
	now := s.timestamp()
	a := Akte{ID: newID(), TenantID: p.TenantID, AktenplanID: in.AktenplanID, Titel: titel, Beschreibung: beschr,
		Status: StatusOffen, Metadaten: in.Metadaten, CreatedBy: p.Actor(), CreatedAt: now, UpdatedAt: now}
	pos, err := tx.GetAktenplanForFiling(ctx, p.TenantID, in.AktenplanID)
	if errors.Is(err, ErrNoRows) {
		return a, apperr.Invalid("aktenplan_id", "Aktenplanposition nicht gefunden")
	}
	if err != nil {
		return a, err
	}
	if pos.Geschlossen {
		return a, apperr.Conflict("Aktenplanposition %s ist für neue Akten geschlossen", pos.Kennzeichen)
	}
	owner, err := s.ownerUnit(ctx, tx, p, in.Einheit)
	if err != nil {
		return a, err
	}
	if owner.ID != "" {
		a.OwnerUnitID, a.Einheit = owner.ID, &owner.Kennung
	}
	a.Aktenzeichen, err = s.nextAktenzeichen(ctx, tx, p.TenantID, pos.Kennzeichen, "akte", a.ID)
	if err != nil {
		return a, err
	}
	if err := tx.InsertAkte(ctx, a); err != nil {
		return a, err
	}
	return a, s.audit(ctx, tx, p, "akte.create", "akte", a.ID, map[string]any{
		"aktenzeichen": a.Aktenzeichen, "titel": a.Titel, "aktenplan": pos.Kennzeichen, "einheit": a.Einheit})
}

// GetAkte returns an Akte of the caller's tenant.
func (s *Service) GetAkte(ctx context.Context, p Principal, id string) (Akte, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return Akte{}, err
	}
	var a Akte
	err := s.store.Read(ctx, func(tx Tx) (err error) { a, _, err = s.akteFor(ctx, tx, p, id, access.ReadMetadata); return })
	return a, err
}

// AkteLevel tells what p may do with an Akte ("read", "write", "owner"),
// for clients that show or hide actions.
func (s *Service) AkteLevel(ctx context.Context, p Principal, id string) (access.Level, error) {
	var lvl access.Level
	err := s.store.Read(ctx, func(tx Tx) (err error) { _, lvl, err = s.akteFor(ctx, tx, p, id, access.ReadMetadata); return })
	return lvl, err
}

// ListAkten lists Akten page by page.
func (s *Service) ListAkten(ctx context.Context, p Principal, f AkteFilter, pg Page) ([]Akte, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return nil, err
	}
	if f.Status != "" && f.Status != StatusOffen && f.Status != StatusZdA {
		return nil, apperr.Invalid("status", "offen oder zda")
	}
	var out []Akte
	err := s.store.Read(ctx, func(tx Tx) (err error) { out, err = tx.ListAkten(ctx, s.viewer(p), f, clampPage(pg)); return })
	return out, err
}

func writableAkte(a Akte) error {
	if a.Status == StatusZdA {
		return apperr.Conflict("Akte %s ist z.d.A. verfügt und schreibgeschützt", a.Aktenzeichen)
	}
	return nil
}

// UpdateAkte changes title, description or metadata of an open Akte.
func (s *Service) UpdateAkte(ctx context.Context, p Principal, id string, patch AktePatch) (Akte, error) {
	if err := need(p, access.Edit); err != nil {
		return Akte{}, err
	}
	var v apperr.Validation
	if patch.Titel != nil {
		t := checkText(&v, "titel", *patch.Titel, true, maxTitle)
		patch.Titel = &t
	}
	if patch.Beschreibung != nil {
		b := checkText(&v, "beschreibung", *patch.Beschreibung, false, maxText)
		patch.Beschreibung = &b
	}
	if patch.Metadaten != nil {
		checkMetadata(&v, "metadaten", *patch.Metadaten)
	}
	if err := v.Err(); err != nil {
		return Akte{}, err
	}
	var a Akte
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		var lvl access.Level
		if a, lvl, err = s.akteFor(ctx, tx, p, id, access.Edit); err != nil {
			return err
		}
		if err := writableAkte(a); err != nil {
			return err
		}
		c := audit.Changes{}
		if patch.Titel != nil {
			changed(c, "titel", a.Titel, *patch.Titel)
			a.Titel = *patch.Titel
		}
		if patch.Beschreibung != nil {
			changed(c, "beschreibung", a.Beschreibung, *patch.Beschreibung)
			a.Beschreibung = *patch.Beschreibung
		}
		if patch.Metadaten != nil && !metaEqual(a.Metadaten, *patch.Metadaten) {
			c["metadaten"] = audit.Change{Before: a.Metadaten, After: *patch.Metadaten}
			a.Metadaten = *patch.Metadaten
		}
		if patch.Einheit != nil && *patch.Einheit != strOf(a.Einheit) {
			if !access.Allows(lvl, access.Refile) || !access.Can(p, access.Refile) {
				return forbidden(lvl, access.Refile)
			}
			var owner Unit
			if k := strings.TrimSpace(*patch.Einheit); k != "" {
				if owner, err = tx.UnitByKennung(ctx, a.TenantID, k); errors.Is(err, ErrNoRows) {
					return apperr.Invalid("einheit", "Organisationseinheit "+k+" gibt es nicht")
				} else if err != nil {
					return err
				}
			}
			changed(c, "einheit", strOf(a.Einheit), owner.Kennung)
			a.OwnerUnitID, a.Einheit = owner.ID, nil
			if owner.ID != "" {
				a.Einheit = &owner.Kennung
			}
		}
		if len(c) == 0 {
			return nil
		}
		a.UpdatedAt = s.timestamp()
		if err := tx.UpdateAkte(ctx, a); err != nil {
			return err
		}
		return s.auditIn(ctx, tx, a.TenantID, p, "akte.update", "akte", a.ID, c)
	})
	return a, err
}

// CloseAkte verfügt z.d.A.: the Akte and all its open Vorgänge become
// read-only, in one transaction.
func (s *Service) CloseAkte(ctx context.Context, p Principal, id string) (Akte, error) {
	if err := need(p, access.Close); err != nil {
		return Akte{}, err
	}
	var a Akte
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		if a, _, err = s.akteFor(ctx, tx, p, id, access.Close); err != nil {
			return err
		}
		if a.Status == StatusZdA {
			return apperr.Conflict("Akte %s ist bereits z.d.A. verfügt", a.Aktenzeichen)
		}
		now := s.timestamp()
		pg := Page{Limit: 500}
		for {
			vs, err := tx.ListVorgaenge(ctx, a.TenantID, a.ID, AllViewers, pg)
			if err != nil {
				return err
			}
			for _, v := range vs {
				if v.Status == StatusZdA {
					continue
				}
				v.Status, v.ClosedAt, v.UpdatedAt = StatusZdA, &now, now
				if err := tx.UpdateVorgang(ctx, v); err != nil {
					return err
				}
				if err := s.audit(ctx, tx, p, "vorgang.zda", "vorgang", v.ID, audit.Changes{
					"status": {Before: StatusOffen, After: StatusZdA}, "grund": {After: "mit Akte " + a.Aktenzeichen}}); err != nil {
					return err
				}
			}
			if len(vs) < pg.Limit {
				break
			}
			pg.After = vs[len(vs)-1].ID
		}
		a.Status, a.ClosedAt, a.UpdatedAt = StatusZdA, &now, now
		if err := tx.UpdateAkte(ctx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "akte.zda", "akte", a.ID, audit.Changes{"status": {Before: StatusOffen, After: StatusZdA}})
	})
	return a, err
}

// ReopenAkte takes a closed Akte up again (Wiederaufnahme). Its Vorgänge
// stay closed until reopened one by one.
func (s *Service) ReopenAkte(ctx context.Context, p Principal, id string) (Akte, error) {
	var a Akte
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		var lvl access.Level
		if a, lvl, err = s.akteFor(ctx, tx, p, id, access.ReadMetadata); err != nil {
			return err
		}
		if err := need(p, access.Reopen); err != nil {
			return err
		}
		if !access.Allows(lvl, access.Reopen) {
			return forbidden(lvl, access.Reopen)
		}
		if a.Status != StatusZdA {
			return apperr.Conflict("Akte %s ist nicht geschlossen", a.Aktenzeichen)
		}
		now := s.timestamp()
		a.Status, a.ClosedAt, a.UpdatedAt = StatusOffen, nil, now
		if err := tx.UpdateAkte(ctx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "akte.reopen", "akte", a.ID, audit.Changes{"status": {Before: StatusZdA, After: StatusOffen}})
	})
	return a, err
}

// RefileAkte moves an Akte to another Aktenplan position (Umprotokollierung):
// it gets a new Aktenzeichen, its Vorgänge follow, and the old Aktenzeichen
// stay in the history and are never reused.
func (s *Service) RefileAkte(ctx context.Context, p Principal, id, aktenplanID string) (Akte, error) {
	if aktenplanID == "" {
		return Akte{}, apperr.Invalid("aktenplan_id", "darf nicht leer sein")
	}
	var a Akte
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		var lvl access.Level
		if a, lvl, err = s.akteFor(ctx, tx, p, id, access.ReadMetadata); err != nil {
			return err
		}
		if err := need(p, access.Refile); err != nil {
			return err
		}
		if !access.Allows(lvl, access.Refile) {
			return forbidden(lvl, access.Refile)
		}
		if err := writableAkte(a); err != nil {
			return err
		}
		if a.AktenplanID == aktenplanID {
			return apperr.Invalid("aktenplan_id", "Akte steht bereits unter dieser Position")
		}
		pos, err := tx.GetAktenplanForFiling(ctx, p.TenantID, aktenplanID)
		if errors.Is(err, ErrNoRows) {
			return apperr.Invalid("aktenplan_id", "Aktenplanposition nicht gefunden")
		}
		if err != nil {
			return err
		}
		if pos.Geschlossen {
			return apperr.Conflict("Aktenplanposition %s ist für neue Akten geschlossen", pos.Kennzeichen)
		}
		now := s.timestamp()
		oldAz, oldPos := a.Aktenzeichen, a.AktenplanID
		newAz, err := s.nextAktenzeichen(ctx, tx, p.TenantID, pos.Kennzeichen, "akte", a.ID)
		if err != nil {
			return err
		}
		if err := tx.InsertAzHistory(ctx, AzHistory{TenantID: p.TenantID, ObjectType: "akte", ObjectID: a.ID, Aktenzeichen: oldAz, Until: now, Reason: "umprotokolliert nach " + pos.Kennzeichen}); err != nil {
			return err
		}
		a.Aktenzeichen, a.AktenplanID, a.UpdatedAt = newAz, aktenplanID, now
		if err := tx.UpdateAkte(ctx, a); err != nil {
			return err
		}
		if err := s.renumberVorgaenge(ctx, tx, p, a, now, "Akte umprotokolliert"); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "akte.refile", "akte", a.ID, audit.Changes{
			"aktenzeichen": {Before: oldAz, After: newAz}, "aktenplan_id": {Before: oldPos, After: aktenplanID}})
	})
	return a, err
}
