package records

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
)

// Saved searches: a user keeps a query with its filters under a name and
// runs it again from the search page. They belong to the person at the
// keyboard (Principal.ActorID: a deputy keeps its own, not the absent
// colleague's) within the tenant, and nobody else ever sees or deletes
// them: another user's id answers 404 like an unknown one. They are
// preferences, not records, so they are not in the audit trail. Running a
// saved search is an ordinary Search, with the caller's access at that
// moment.

// MaxSavedSearches bounds the saved searches of one user.
const MaxSavedSearches = 50

// SavedSearchFilter are the filters of a saved search (those of
// SearchRequest; empty = any).
type SavedSearchFilter struct {
	ObjectType  string `json:"objekt,omitempty"`
	AktenplanID string `json:"aktenplan,omitempty"`
	Typ         string `json:"typ,omitempty"`
	Status      string `json:"status,omitempty"`
	Jahr        int    `json:"jahr,omitempty"`
}

// SavedSearch is one saved search of a user.
type SavedSearch struct {
	ID        string            `json:"id"`
	TenantID  string            `json:"-"`
	UserID    string            `json:"-"`
	Name      string            `json:"name"`
	Query     string            `json:"q"`
	Filter    SavedSearchFilter `json:"filter"`
	CreatedAt time.Time         `json:"erstellt_am"`
}

// NewSavedSearch is what a user saves.
type NewSavedSearch struct {
	Name   string
	Query  string
	Filter SavedSearchFilter
}

var savedIDRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// savedSearchOwner is the user a saved search of p belongs to.
func savedSearchOwner(p Principal) (string, error) {
	if err := need(p, access.ReadContent); err != nil {
		return "", err
	}
	if p.ActorID() == "" {
		return "", apperr.Forbidden("Gespeicherte Suchen gibt es nur für angemeldete Benutzer")
	}
	return p.ActorID(), nil
}

// ValidateSavedSearch checks a search to be saved and returns it cleaned.
func ValidateSavedSearch(in NewSavedSearch) (NewSavedSearch, error) {
	var v apperr.Validation
	in.Name = checkText(&v, "name", strings.Join(strings.Fields(in.Name), " "), true, 200)
	in.Query = strings.TrimSpace(in.Query)
	if utf8.RuneCountInString(in.Query) > 1000 {
		v.Add("q", "höchstens 1000 Zeichen")
	} else if !utf8.ValidString(in.Query) || strings.ContainsFunc(in.Query, func(r rune) bool { return r < 0x20 && r != '\t' }) {
		v.Add("q", "enthält Steuerzeichen")
	}
	f := in.Filter
	switch f.ObjectType {
	case "", ObjAkte, ObjVorgang, ObjDokument:
	default:
		v.Add("objekt", "akte, vorgang oder dokument")
	}
	switch f.Status {
	case "", StatusOffen, StatusZdA:
	default:
		v.Add("status", "offen oder zda")
	}
	if f.AktenplanID != "" && !savedIDRE.MatchString(f.AktenplanID) {
		v.Add("aktenplan", "unbekannte Aktenplanposition")
	}
	if f.Jahr != 0 && (f.Jahr < 1000 || f.Jahr > 9999) {
		v.Add("jahr", "vierstellige Jahreszahl")
	}
	in.Filter.Typ = checkText(&v, "typ", f.Typ, false, 100)
	if in.Query == "" && f == (SavedSearchFilter{}) {
		v.Add("q", "Suchbegriff oder Filter angeben")
	}
	return in, v.Err()
}

// SaveSearch keeps a search of p under a name; the same name twice is a
// conflict.
func (s *Service) SaveSearch(ctx context.Context, p Principal, in NewSavedSearch) (SavedSearch, error) {
	owner, err := savedSearchOwner(p)
	if err != nil {
		return SavedSearch{}, err
	}
	if in, err = ValidateSavedSearch(in); err != nil {
		return SavedSearch{}, err
	}
	ss := SavedSearch{ID: newID(), TenantID: p.TenantID, UserID: owner, Name: in.Name, Query: in.Query, Filter: in.Filter,
		CreatedAt: s.timestamp()}
	err = s.store.Write(ctx, func(tx Tx) error {
		n, err := tx.CountSavedSearches(ctx, p.TenantID, owner)
		if err != nil {
			return err
		}
		if n >= MaxSavedSearches {
			return apperr.Conflict("Höchstens %d gespeicherte Suchen; bitte zuerst eine löschen", MaxSavedSearches)
		}
		if err := tx.InsertSavedSearch(ctx, ss); err != nil {
			if errors.Is(err, ErrDuplicate) {
				return &apperr.Error{Kind: apperr.KindConflict, Message: "Eine gespeicherte Suche mit diesem Namen gibt es schon",
					Fields: []apperr.FieldError{{Field: "name", Message: "Eine gespeicherte Suche mit diesem Namen gibt es schon."}}}
			}
			return err
		}
		return nil
	})
	if err != nil {
		return SavedSearch{}, err
	}
	return ss, nil
}

// ListSavedSearches lists p's saved searches in the order they were saved.
func (s *Service) ListSavedSearches(ctx context.Context, p Principal) ([]SavedSearch, error) {
	owner, err := savedSearchOwner(p)
	if err != nil {
		return nil, err
	}
	var out []SavedSearch
	err = s.store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.ListSavedSearches(ctx, p.TenantID, owner, MaxSavedSearches)
		return err
	})
	return out, err
}

// GetSavedSearch returns one of p's saved searches; any other id is 404.
func (s *Service) GetSavedSearch(ctx context.Context, p Principal, id string) (SavedSearch, error) {
	owner, err := savedSearchOwner(p)
	if err != nil {
		return SavedSearch{}, err
	}
	if !savedIDRE.MatchString(id) {
		return SavedSearch{}, apperr.NotFound("Gespeicherte Suche")
	}
	var ss SavedSearch
	err = s.store.Read(ctx, func(tx Tx) (err error) {
		ss, err = tx.GetSavedSearch(ctx, p.TenantID, owner, id)
		return notFound(err, "Gespeicherte Suche")
	})
	return ss, err
}

// DeleteSavedSearch deletes one of p's saved searches; any other id is 404.
func (s *Service) DeleteSavedSearch(ctx context.Context, p Principal, id string) error {
	owner, err := savedSearchOwner(p)
	if err != nil {
		return err
	}
	if !savedIDRE.MatchString(id) {
		return apperr.NotFound("Gespeicherte Suche")
	}
	return s.store.Write(ctx, func(tx Tx) error {
		return notFound(tx.DeleteSavedSearch(ctx, p.TenantID, owner, id), "Gespeicherte Suche")
	})
}
