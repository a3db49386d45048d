package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Saved searches on every backend: kept per user and tenant, listed in the
// order saved, never visible to or deletable by anyone else (the same 404
// as an unknown id), names unique per user, validated, bounded.

func init() {
	moreCases = append(moreCases, Case{"SavedSearches", testSavedSearches})
}

func testSavedSearches(t *testing.T, f *Fixture) {
	ctx := context.Background()
	plan := f.Plan(t, f.Anna, "1", "Organisation")

	// bernd saves two searches
	a, err := f.Svc.SaveSearch(ctx, f.Bernd, records.NewSavedSearch{Name: "  Anträge   offen ", Query: "Antrag",
		Filter: records.SavedSearchFilter{ObjectType: records.ObjVorgang, Status: records.StatusOffen}})
	mustOK(t, err)
	if a.Name != "Anträge offen" || a.Query != "Antrag" || a.Filter.ObjectType != "vorgang" || a.UserID != f.Bernd.UserID {
		t.Fatalf("saved %+v", a)
	}
	f.Clock.Advance(time.Second)
	b, err := f.Svc.SaveSearch(ctx, f.Bernd, records.NewSavedSearch{Name: "Bescheide 2026",
		Filter: records.SavedSearchFilter{Typ: "Bescheid", Jahr: 2026, AktenplanID: plan.ID}})
	mustOK(t, err)

	list, err := f.Svc.ListSavedSearches(ctx, f.Bernd)
	mustOK(t, err)
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Fatalf("bernd's list %+v", list)
	}
	got := list[1]
	if got.Name != "Bescheide 2026" || got.Query != "" || got.Filter != (records.SavedSearchFilter{Typ: "Bescheid", Jahr: 2026, AktenplanID: plan.ID}) ||
		!got.CreatedAt.Equal(b.CreatedAt) {
		t.Errorf("round trip: %+v, want %+v", got, b)
	}
	one, err := f.Svc.GetSavedSearch(ctx, f.Bernd, a.ID)
	mustOK(t, err)
	if one.Name != a.Name || one.Filter != a.Filter {
		t.Errorf("get: %+v", one)
	}

	// nobody else sees them: anna (same tenant, admin), carla (other tenant)
	for _, p := range []records.Principal{f.Anna, f.Carla} {
		l, err := f.Svc.ListSavedSearches(ctx, p)
		mustOK(t, err)
		if len(l) != 0 {
			t.Errorf("%s sees %+v", p.Login, l)
		}
		_, err = f.Svc.GetSavedSearch(ctx, p, a.ID)
		wantKind(t, err, apperr.KindNotFound)
		wantKind(t, f.Svc.DeleteSavedSearch(ctx, p, a.ID), apperr.KindNotFound)
	}
	// the store itself keeps tenants and users apart
	mustOK(t, f.DB.Read(ctx, func(tx records.Tx) error {
		if _, err := tx.GetSavedSearch(ctx, f.Carla.TenantID, f.Bernd.UserID, a.ID); err != records.ErrNoRows {
			t.Errorf("other tenant: %v", err)
		}
		if _, err := tx.GetSavedSearch(ctx, f.Anna.TenantID, f.Anna.UserID, a.ID); err != records.ErrNoRows {
			t.Errorf("other user: %v", err)
		}
		return nil
	}))
	// unknown and malformed ids: the same 404
	_, err = f.Svc.GetSavedSearch(ctx, f.Bernd, "0190c0de-0000-7000-8000-000000000000")
	wantKind(t, err, apperr.KindNotFound)
	_, err = f.Svc.GetSavedSearch(ctx, f.Bernd, "x' OR 1=1")
	wantKind(t, err, apperr.KindNotFound)

	// anna may use the same name; bernd may not twice
	_, err = f.Svc.SaveSearch(ctx, f.Anna, records.NewSavedSearch{Name: "Anträge offen", Query: "Antrag"})
	mustOK(t, err)
	_, err = f.Svc.SaveSearch(ctx, f.Bernd, records.NewSavedSearch{Name: "Anträge offen", Query: "anderes"})
	wantKind(t, err, apperr.KindConflict)
	if e, _ := apperr.As(err); len(e.Fields) != 1 || e.Fields[0].Field != "name" {
		t.Errorf("duplicate name not tied to the field: %v", err)
	}

	// validation
	for _, c := range []struct {
		in    records.NewSavedSearch
		field string
	}{
		{records.NewSavedSearch{Name: " ", Query: "x"}, "name"},
		{records.NewSavedSearch{Name: "leer"}, "q"},
		{records.NewSavedSearch{Name: "o", Query: "x", Filter: records.SavedSearchFilter{ObjectType: "aktenplan"}}, "objekt"},
		{records.NewSavedSearch{Name: "s", Query: "x", Filter: records.SavedSearchFilter{Status: "geschlossen"}}, "status"},
		{records.NewSavedSearch{Name: "j", Query: "x", Filter: records.SavedSearchFilter{Jahr: 26}}, "jahr"},
		{records.NewSavedSearch{Name: "a", Query: "x", Filter: records.SavedSearchFilter{AktenplanID: "1.2"}}, "aktenplan"},
		{records.NewSavedSearch{Name: "c", Query: "x\x00y"}, "q"},
	} {
		_, err := f.Svc.SaveSearch(ctx, f.Bernd, c.in)
		wantField(t, err, c.field)
	}

	// who may not search has none; a system principal has no user
	audit := ntkUser(t, f, "TFM", "pruefer", []access.Role{access.RoleAudit})
	_, err = f.Svc.ListSavedSearches(ctx, audit)
	wantKind(t, err, apperr.KindForbidden)
	_, err = f.Svc.SaveSearch(ctx, audit, records.NewSavedSearch{Name: "x", Query: "x"})
	wantKind(t, err, apperr.KindForbidden)
	sys, err := f.Svc.SystemPrincipal(ctx, "TFM")
	mustOK(t, err)
	_, err = f.Svc.SaveSearch(ctx, sys, records.NewSavedSearch{Name: "x", Query: "x"})
	wantKind(t, err, apperr.KindForbidden)

	// a deputy keeps its own: bernd acting for anna sees bernd's, not anna's
	dep := f.Anna
	dep.Deputy = &access.Deputy{UserID: f.Bernd.UserID, Login: f.Bernd.Login}
	l, err := f.Svc.ListSavedSearches(ctx, dep)
	mustOK(t, err)
	if len(l) != 2 || l[0].ID != a.ID {
		t.Errorf("deputy sees %+v", l)
	}

	// delete
	mustOK(t, f.Svc.DeleteSavedSearch(ctx, f.Bernd, a.ID))
	wantKind(t, f.Svc.DeleteSavedSearch(ctx, f.Bernd, a.ID), apperr.KindNotFound)
	list, err = f.Svc.ListSavedSearches(ctx, f.Bernd)
	mustOK(t, err)
	if len(list) != 1 || list[0].ID != b.ID {
		t.Fatalf("after delete: %+v", list)
	}

	// bounded per user
	for i := len(list); i < records.MaxSavedSearches; i++ {
		_, err := f.Svc.SaveSearch(ctx, f.Bernd, records.NewSavedSearch{Name: fmt.Sprintf("Suche %02d", i), Query: "x"})
		mustOK(t, err)
	}
	_, err = f.Svc.SaveSearch(ctx, f.Bernd, records.NewSavedSearch{Name: "eine zu viel", Query: "x"})
	wantKind(t, err, apperr.KindConflict)
	list, err = f.Svc.ListSavedSearches(ctx, f.Bernd)
	mustOK(t, err)
	if len(list) != records.MaxSavedSearches {
		t.Errorf("%d listed, want %d", len(list), records.MaxSavedSearches)
	}
}
