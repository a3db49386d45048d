package records

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
)

// NewAktenplan is the input for a new Aktenplan position.
type NewAktenplan struct {
	ParentID     *string
	Kennzeichen  string
	Titel        string
	Aufbewahrung *int
	Archiv       string
}

// AktenplanPatch changes a position; nil fields stay as they are.
type AktenplanPatch struct {
	Titel        *string
	Aufbewahrung **int
	Archiv       *string
	Geschlossen  *bool
	// Kennzeichen and ParentID (nil: unchanged; *ParentID nil: top level)
	// change the position's place in the Aktenplan. The Aktenzeichen of
	// Akten are stable in registry practice, so this is allowed only while
	// no Akte is filed under the position or below it.
	Kennzeichen *string
	ParentID    **string
}

var kennzeichenRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.]{0,31}$`)

func checkArchiv(v *apperr.Validation, a string) {
	switch a {
	case "", ArchivArchivieren, ArchivBewerten, ArchivVernichten:
	default:
		v.Add("archiventscheidung", "archivieren, bewerten oder vernichten")
	}
}

func checkAufbewahrung(v *apperr.Validation, y *int) {
	if y != nil && (*y < 0 || *y > 200) {
		v.Add("aufbewahrungsfrist_jahre", "0 bis 200 Jahre")
	}
}

// CreateAktenplan adds a position to the caller's Aktenplan.
func (s *Service) CreateAktenplan(ctx context.Context, p Principal, in NewAktenplan) (AktenplanEintrag, error) {
	if err := need(p, access.ManageAktenplan); err != nil {
		return AktenplanEintrag{}, err
	}
	var v apperr.Validation
	if !kennzeichenRE.MatchString(in.Kennzeichen) {
		v.Add("kennzeichen", "1–32 Zeichen: Ziffern, Buchstaben und Punkte (z. B. 121 oder 1.2.1)")
	}
	titel := checkText(&v, "titel", in.Titel, true, maxTitle)
	checkAufbewahrung(&v, in.Aufbewahrung)
	checkArchiv(&v, in.Archiv)
	if err := v.Err(); err != nil {
		return AktenplanEintrag{}, err
	}
	now := s.timestamp()
	e := AktenplanEintrag{ID: newID(), TenantID: p.TenantID, ParentID: in.ParentID, Kennzeichen: in.Kennzeichen,
		Titel: titel, Aufbewahrung: in.Aufbewahrung, Archiv: in.Archiv, CreatedAt: now, UpdatedAt: now}
	err := s.store.Write(ctx, func(tx Tx) error {
		if in.ParentID != nil {
			parent, err := tx.GetAktenplan(ctx, p.TenantID, *in.ParentID)
			if errors.Is(err, ErrNoRows) {
				return apperr.Invalid("parent_id", "Aktenplanposition nicht gefunden")
			}
			if err != nil {
				return err
			}
			if parent.Geschlossen {
				return apperr.Conflict("Übergeordnete Position %s ist geschlossen", parent.Kennzeichen)
			}
		}
		if err := tx.InsertAktenplan(ctx, e); err != nil {
			if errors.Is(err, ErrDuplicate) {
				return apperr.Conflict("Kennzeichen %s ist im Aktenplan bereits vergeben", e.Kennzeichen)
			}
			return err
		}
		return s.audit(ctx, tx, p, "aktenplan.create", "aktenplan", e.ID, map[string]any{
			"kennzeichen": e.Kennzeichen, "titel": e.Titel, "parent_id": e.ParentID})
	})
	return e, err
}

// GetAktenplan returns one position.
func (s *Service) GetAktenplan(ctx context.Context, p Principal, id string) (AktenplanEintrag, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return AktenplanEintrag{}, err
	}
	var e AktenplanEintrag
	err := s.store.Read(ctx, func(tx Tx) (err error) { e, err = tx.GetAktenplan(ctx, p.TenantID, id); return })
	return e, notFound(err, "Aktenplanposition")
}

// ListAktenplan returns the caller's whole Aktenplan ordered by Kennzeichen.
func (s *Service) ListAktenplan(ctx context.Context, p Principal) ([]AktenplanEintrag, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return nil, err
	}
	var out []AktenplanEintrag
	err := s.store.Read(ctx, func(tx Tx) (err error) { out, err = tx.ListAktenplan(ctx, p.TenantID); return })
	return out, err
}

// UpdateAktenplan renames, changes retention or closes/reopens a position.
func (s *Service) UpdateAktenplan(ctx context.Context, p Principal, id string, patch AktenplanPatch) (AktenplanEintrag, error) {
	if err := need(p, access.ManageAktenplan); err != nil {
		return AktenplanEintrag{}, err
	}
	var v apperr.Validation
	if patch.Titel != nil {
		t := checkText(&v, "titel", *patch.Titel, true, maxTitle)
		patch.Titel = &t
	}
	if patch.Aufbewahrung != nil {
		checkAufbewahrung(&v, *patch.Aufbewahrung)
	}
	if patch.Archiv != nil {
		checkArchiv(&v, *patch.Archiv)
	}
	if patch.Kennzeichen != nil {
		k := strings.TrimSpace(*patch.Kennzeichen)
		if !kennzeichenRE.MatchString(k) {
			v.Add("kennzeichen", "1–32 Zeichen: Ziffern, Buchstaben und Punkte (z. B. 121 oder 1.2.1)")
		}
		patch.Kennzeichen = &k
	}
	if err := v.Err(); err != nil {
		return AktenplanEintrag{}, err
	}
	var e AktenplanEintrag
	err := s.store.Write(ctx, func(tx Tx) error {
		if patch.Kennzeichen != nil || patch.ParentID != nil {
			// the tree's shape (no cycles), then the position against
			// Akten being filed under it while it is counted and changed
			if err := tx.LockTenant(ctx, p.TenantID); err != nil {
				return err
			}
			if err := tx.LockAktenplan(ctx, p.TenantID, id); err != nil {
				return err
			}
		}
		var err error
		e, err = tx.GetAktenplan(ctx, p.TenantID, id)
		if err != nil {
			return notFound(err, "Aktenplanposition")
		}
		c := audit.Changes{}
		if err := s.relocateAktenplan(ctx, tx, &e, patch, c); err != nil {
			return err
		}
		if patch.Titel != nil {
			changed(c, "titel", e.Titel, *patch.Titel)
			e.Titel = *patch.Titel
		}
		if patch.Aufbewahrung != nil {
			changed(c, "aufbewahrungsfrist_jahre", intStr(e.Aufbewahrung), intStr(*patch.Aufbewahrung))
			e.Aufbewahrung = *patch.Aufbewahrung
		}
		if patch.Archiv != nil {
			changed(c, "archiventscheidung", e.Archiv, *patch.Archiv)
			e.Archiv = *patch.Archiv
		}
		if patch.Geschlossen != nil {
			changed(c, "geschlossen", e.Geschlossen, *patch.Geschlossen)
			e.Geschlossen = *patch.Geschlossen
		}
		if len(c) == 0 {
			return nil
		}
		e.UpdatedAt = s.timestamp()
		if err := tx.UpdateAktenplan(ctx, e); err != nil {
			if errors.Is(err, ErrDuplicate) {
				return kennzeichenTaken(e.Kennzeichen)
			}
			return err
		}
		return s.audit(ctx, tx, p, "aktenplan.update", "aktenplan", e.ID, c)
	})
	return e, err
}

func intStr(p *int) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(*p)
}

// DeleteAktenplan removes a position that has neither children nor Akten
// (never silently: otherwise 409 names what still hangs on it).
func (s *Service) DeleteAktenplan(ctx context.Context, p Principal, id string) error {
	if err := need(p, access.ManageAktenplan); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx Tx) error {
		e, err := tx.GetAktenplan(ctx, p.TenantID, id)
		if err != nil {
			return notFound(err, "Aktenplanposition")
		}
		children, akten, err := tx.AktenplanUsage(ctx, p.TenantID, id)
		if err != nil {
			return err
		}
		if children > 0 || akten > 0 {
			return apperr.Conflict("Position %s kann nicht gelöscht werden: %s und %s hängen daran (stattdessen schließen)", e.Kennzeichen,
				zahlwort(children, "Unterposition", "Unterpositionen"), zahlwort(akten, "Akte", "Akten"))
		}
		if err := tx.DeleteAktenplan(ctx, p.TenantID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "aktenplan.delete", "aktenplan", e.ID, map[string]any{"kennzeichen": e.Kennzeichen, "titel": e.Titel})
	})
}

// kennzeichenTaken is the conflict of a Kennzeichen in use, tied to the field.
func kennzeichenTaken(k string) error {
	return &apperr.Error{Kind: apperr.KindConflict, Message: fmt.Sprintf("Kennzeichen %s ist im Aktenplan bereits vergeben", k),
		Fields: []apperr.FieldError{{Field: "kennzeichen", Message: "ist im Aktenplan bereits vergeben"}}}
}

// relocateAktenplan applies a change of Kennzeichen or parent to e (inside
// the write transaction, after LockTenant): the new parent must be an open
// position of the tenant outside e's subtree, the Kennzeichen unused, and
// no Akte may be filed under e or any position below it.
func (s *Service) relocateAktenplan(ctx context.Context, tx Tx, e *AktenplanEintrag, patch AktenplanPatch, c audit.Changes) error {
	kennzeichen := patch.Kennzeichen != nil && *patch.Kennzeichen != e.Kennzeichen
	parent := patch.ParentID != nil && strOf(*patch.ParentID) != strOf(e.ParentID)
	if !kennzeichen && !parent {
		return nil
	}
	list, err := tx.ListAktenplan(ctx, e.TenantID)
	if err != nil {
		return err
	}
	byID := map[string]AktenplanEintrag{}
	children := map[string][]string{}
	for _, x := range list {
		byID[x.ID] = x
		if x.ParentID != nil {
			children[*x.ParentID] = append(children[*x.ParentID], x.ID)
		}
	}
	field := "kennzeichen"
	if !kennzeichen {
		field = "parent_id"
	}
	if kennzeichen {
		for _, x := range list {
			if x.ID != e.ID && x.Kennzeichen == *patch.Kennzeichen {
				return kennzeichenTaken(x.Kennzeichen)
			}
		}
	}
	// the subtree: e and every position below it
	subtree := map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		if subtree[id] {
			return
		}
		subtree[id] = true
		for _, k := range children[id] {
			walk(k)
		}
	}
	walk(e.ID)
	if parent && *patch.ParentID != nil {
		np, ok := byID[**patch.ParentID]
		switch {
		case !ok:
			return apperr.Invalid("parent_id", "Aktenplanposition nicht gefunden")
		case np.ID == e.ID:
			return apperr.Invalid("parent_id", "eine Position kann nicht unter sich selbst stehen")
		case subtree[np.ID]:
			return apperr.Invalid("parent_id", np.Kennzeichen+" liegt unterhalb von "+e.Kennzeichen+"; eine Position kann nicht unter eine ihrer eigenen Unterpositionen verschoben werden")
		case np.Geschlossen:
			return &apperr.Error{Kind: apperr.KindConflict, Message: fmt.Sprintf("Übergeordnete Position %s ist geschlossen", np.Kennzeichen),
				Fields: []apperr.FieldError{{Field: "parent_id", Message: "Position " + np.Kennzeichen + " ist geschlossen"}}}
		}
	}
	akten := 0
	for id := range subtree {
		_, n, err := tx.AktenplanUsage(ctx, e.TenantID, id)
		if err != nil {
			return err
		}
		akten += n
	}
	if akten > 0 {
		what := "Kennzeichen"
		if !kennzeichen {
			what = "Die übergeordnete Position"
		} else if parent {
			what = "Kennzeichen und übergeordnete Position"
		}
		sind := zahlwort(akten, "Akte ist", "Akten sind")
		return &apperr.Error{Kind: apperr.KindConflict,
			Message: fmt.Sprintf("%s von %s können nicht mehr geändert werden: %s unter dieser Position oder ihren Unterpositionen abgelegt, und Aktenzeichen bleiben stabil (Akten stattdessen umprotokollieren)", what, e.Kennzeichen, sind),
			Fields:  []apperr.FieldError{{Field: field, Message: fmt.Sprintf("nicht mehr änderbar: %s hier oder darunter abgelegt", sind)}}}
	}
	if kennzeichen {
		changed(c, "kennzeichen", e.Kennzeichen, *patch.Kennzeichen)
		e.Kennzeichen = *patch.Kennzeichen
	}
	if parent {
		before, after := "", ""
		if e.ParentID != nil {
			before = byID[*e.ParentID].Kennzeichen
		}
		if *patch.ParentID != nil {
			after = byID[**patch.ParentID].Kennzeichen
		}
		changed(c, "parent", before, after)
		e.ParentID = *patch.ParentID
	}
	return nil
}

// zahlwort writes a count with the singular or plural words: "1 Akte",
// "2 Akten", "0 Akten".
func zahlwort(n int, eins, mehr string) string {
	if n == 1 {
		return "1 " + eins
	}
	return fmt.Sprintf("%d %s", n, mehr)
}
