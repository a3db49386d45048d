package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Administration beyond creating things: renaming and moving units,
// changing an Aktenplan position's Kennzeichen or parent, and the
// installation-wide operator (Betrieb) who lists and creates tenants.

func init() {
	moreCases = append(moreCases,
		Case{"UnitRenameMove", testUnitRenameMove},
		Case{"UnitMoveConcurrent", testUnitMoveConcurrent},
		Case{"AktenplanRelocate", testAktenplanRelocate},
		Case{"AktenplanRelocateWhileFiling", testAktenplanRelocateWhileFiling},
		Case{"OperatorTenants", testOperatorTenants},
	)
}

func vwUnit(t *testing.T, f *Fixture, p records.Principal, kennung string) records.Unit {
	t.Helper()
	units, err := f.Svc.ListUnitsAs(context.Background(), p)
	mustOK(t, err)
	for _, u := range units {
		if u.Kennung == kennung {
			return u
		}
	}
	t.Fatalf("unit %s not listed", kennung)
	return records.Unit{}
}

func vwParent(t *testing.T, f *Fixture, kennung string) string {
	t.Helper()
	u := vwUnit(t, f, f.Anna, kennung)
	if u.ParentID == nil {
		return ""
	}
	units, err := f.Svc.ListUnitsAs(context.Background(), f.Anna)
	mustOK(t, err)
	for _, x := range units {
		if x.ID == *u.ParentID {
			return x.Kennung
		}
	}
	t.Fatalf("parent of %s is not a unit of the tenant", kennung)
	return ""
}

func testUnitRenameMove(t *testing.T, f *Fixture) {
	ctx := context.Background()
	z, z1, z2 := ntkUnits(t, f)
	_, err := f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z11", Name: "Sachgebiet Ausbildung", Typ: "sachgebiet", Parent: "Z1"})
	mustOK(t, err)
	_, err = f.Svc.CreateUnit(ctx, "TSK", records.NewUnit{Kennung: "S", Name: "Staatskanzlei Abteilung 1", Typ: "abteilung"})
	mustOK(t, err)
	// Z2's member sees Z2 (and nothing of Z1); the Akte belongs to Z11
	zeno := ntkUser(t, f, "TFM", "zeno", []access.Role{access.RoleLeitung}, ntkMember("Z2", "referatsleitung"))
	zora := ntkUser(t, f, "TFM", "zora", nil, ntkMember("Z1", "sachbearbeitung"))
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	z11 := vwUnit(t, f, f.Anna, "Z11")
	akte, err := f.Svc.CreateAkte(ctx, zora, records.NewAkte{AktenplanID: pos.ID, Titel: "Ausbildungsplan Verwaltungsinspektoren", Einheit: "Z11"})
	mustOK(t, err)
	if akte.OwnerUnitID != z11.ID {
		t.Fatalf("Akte owned by %q, want Z11", akte.OwnerUnitID)
	}
	srIndex(t, f)
	find := func(p records.Principal) bool {
		t.Helper()
		ids, _ := srFind(t, f, p, records.SearchRequest{Query: "Verwaltungsinspektoren"})
		return slices.Contains(ids, akte.ID)
	}
	if !find(zora) || find(zeno) {
		t.Fatalf("before the move: zora finds %v, zeno finds %v", find(zora), find(zeno))
	}
	ntkListed(t, f, zeno, akte.ID, false)

	// refused: not an administrator, unknown unit, another tenant's unit,
	// unknown parent, another tenant's parent, itself, a descendant, empty name
	_, err = f.Svc.UpdateUnitAs(ctx, f.Bernd, "Z1", records.UnitPatch{Name: ntkPtr("x")})
	ntkWant(t, "bernd renames", err, apperr.KindForbidden)
	_, err = f.Svc.UpdateUnitAs(ctx, zeno, "Z1", records.UnitPatch{Name: ntkPtr("x")})
	ntkWant(t, "leitung renames", err, apperr.KindForbidden)
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "NIX", records.UnitPatch{Name: ntkPtr("x")})
	ntkWant(t, "unknown unit", err, apperr.KindNotFound)
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "S", records.UnitPatch{Name: ntkPtr("x")})
	ntkWant(t, "TSK's unit through TFM's admin", err, apperr.KindNotFound)
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z11", records.UnitPatch{Parent: ntkPtr("NIX")})
	ntkField(t, "unknown parent", err, "parent")
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z11", records.UnitPatch{Parent: ntkPtr("S")})
	ntkField(t, "parent of another tenant", err, "parent")
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z1", records.UnitPatch{Parent: ntkPtr("Z1")})
	ntkField(t, "under itself", err, "parent")
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z", records.UnitPatch{Parent: ntkPtr("Z11")})
	ntkField(t, "under its grandchild", err, "parent")
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z1", records.UnitPatch{Parent: ntkPtr("Z11"), Name: ntkPtr("Neu")})
	ntkField(t, "under its child", err, "parent")
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z1", records.UnitPatch{Name: ntkPtr("  ")})
	ntkField(t, "empty name", err, "name")
	if got := vwUnit(t, f, f.Anna, "Z1"); got.Name != z1.Name || vwParent(t, f, "Z1") != "Z" {
		t.Fatalf("a refused change changed Z1: %+v", got)
	}
	if n := len(ntkAuditOf(t, f, z1.TenantID, z1.ID, "unit.update")); n != 0 {
		t.Fatalf("%d audit entries of refused changes", n)
	}

	// rename
	u, err := f.Svc.UpdateUnitAs(ctx, f.Anna, "Z1", records.UnitPatch{Name: ntkPtr(" Referat Personal und Ausbildung ")})
	mustOK(t, err)
	if u.Name != "Referat Personal und Ausbildung" || vwUnit(t, f, f.Anna, "Z1").Name != u.Name {
		t.Fatalf("renamed: %+v", u)
	}
	es := ntkAuditOf(t, f, z1.TenantID, z1.ID, "unit.update")
	if len(es) != 1 || es[0].Actor != "anna" || !strings.Contains(string(es[0].Changes), `"Referat Personal"`) {
		t.Fatalf("audit of the rename: %+v", es)
	}
	// the same name again changes nothing and writes nothing
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z1", records.UnitPatch{Name: ntkPtr("Referat Personal und Ausbildung")})
	mustOK(t, err)
	if n := len(ntkAuditOf(t, f, z1.TenantID, z1.ID, "unit.update")); n != 1 {
		t.Fatalf("an unchanged name was audited (%d entries)", n)
	}

	// move Z11 (with its Akte) from Z1 to Z2: access follows at once, for
	// lists, reads and search, without reindexing
	_, rowsBefore, err := f.Svc.SearchStats(ctx)
	mustOK(t, err)
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z11", records.UnitPatch{Parent: ntkPtr("Z2")})
	mustOK(t, err)
	if got := vwParent(t, f, "Z11"); got != "Z2" {
		t.Fatalf("Z11 under %q, want Z2", got)
	}
	_, pending, err := f.Svc.SearchStats(ctx)
	mustOK(t, err)
	if pending != rowsBefore || pending != 0 {
		t.Errorf("the move marked %d objects for reindexing", pending)
	}
	zeno = ntkAuth(t, f, "TFM", "zeno")
	zora = ntkAuth(t, f, "TFM", "zora")
	if !slices.Contains(zeno.Units, z11.ID) || slices.Contains(zora.Units, z11.ID) {
		t.Fatalf("units after the move: zeno %v, zora %v", zeno.Units, zora.Units)
	}
	ntkListed(t, f, zeno, akte.ID, true)
	ntkListed(t, f, zora, akte.ID, false)
	_, err = f.Svc.GetAkte(ctx, zora, akte.ID)
	ntkWant(t, "zora reads the Akte moved away", err, apperr.KindNotFound)
	_, err = f.Svc.GetAkte(ctx, zeno, akte.ID)
	ntkOK(t, "zeno reads the Akte moved below Z2", err)
	if !find(zeno) || find(zora) {
		t.Errorf("search after the move: zeno finds %v (want true), zora finds %v (want false)", find(zeno), find(zora))
	}
	es = ntkAuditOf(t, f, z11.TenantID, z11.ID, "unit.update")
	if len(es) != 1 || !strings.Contains(string(es[0].Changes), `"parent"`) || !strings.Contains(string(es[0].Changes), `"Z2"`) {
		t.Fatalf("audit of the move: %+v", es)
	}

	// to the top level and back
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z2", records.UnitPatch{Parent: ntkPtr("")})
	mustOK(t, err)
	if got := vwParent(t, f, "Z2"); got != "" {
		t.Fatalf("Z2 under %q, want top level", got)
	}
	zach := ntkUser(t, f, "TFM", "zach", []access.Role{access.RoleLeitung}, ntkMember("Z", "abteilungsleitung"))
	ntkListed(t, f, zach, akte.ID, false)
	_, err = f.Svc.UpdateUnitAs(ctx, f.Anna, "Z2", records.UnitPatch{Parent: ntkPtr(z.Kennung)})
	mustOK(t, err)
	zach = ntkAuth(t, f, "TFM", "zach")
	ntkListed(t, f, zach, akte.ID, true)
	_ = z2
}

// Two administrators move two units under each other at the same time:
// one move wins, the other is refused, and the tree has no cycle.
func testUnitMoveConcurrent(t *testing.T, f *Fixture) {
	ctx := context.Background()
	for round := 0; round < 5; round++ {
		a, b := "A"+string(rune('0'+round)), "B"+string(rune('0'+round))
		for _, k := range []string{a, b} {
			_, err := f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: k, Name: "Einheit " + k, Typ: "referat"})
			mustOK(t, err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, mv := range [][2]string{{a, b}, {b, a}} {
			wg.Add(1)
			go func(i int, unit, parent string) {
				defer wg.Done()
				<-start
				_, errs[i] = f.Svc.UpdateUnitAs(ctx, f.Anna, unit, records.UnitPatch{Parent: &parent})
			}(i, mv[0], mv[1])
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if apperr.KindOf(err) != apperr.KindInvalid {
				t.Fatalf("round %d: unexpected error %v", round, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d moves succeeded (%v), want exactly 1", round, ok, errs)
		}
		pa, pb := vwParent(t, f, a), vwParent(t, f, b)
		if (pa == b) == (pb == a) {
			t.Fatalf("round %d: %s under %q, %s under %q", round, a, pa, b, pb)
		}
	}
}

func testAktenplanRelocate(t *testing.T, f *Fixture) {
	ctx := context.Background()
	p1 := f.Plan(t, f.Anna, "1", "Organisation")
	p12, err := f.Svc.CreateAktenplan(ctx, f.Anna, records.NewAktenplan{ParentID: &p1.ID, Kennzeichen: "12", Titel: "Personal"})
	mustOK(t, err)
	p121, err := f.Svc.CreateAktenplan(ctx, f.Anna, records.NewAktenplan{ParentID: &p12.ID, Kennzeichen: "121", Titel: "Ausbildung"})
	mustOK(t, err)
	p2 := f.Plan(t, f.Anna, "2", "Haushalt")
	closed := f.Plan(t, f.Anna, "9", "Alt")
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, closed.ID, records.AktenplanPatch{Geschlossen: ntkPtr(true)})
	mustOK(t, err)
	tsk := f.Plan(t, f.Carla, "1", "Organisation der Staatskanzlei")
	kz := func(s string) records.AktenplanPatch { return records.AktenplanPatch{Kennzeichen: &s} }
	parent := func(id *string) records.AktenplanPatch { return records.AktenplanPatch{ParentID: &id} }
	unchanged := func(what string) {
		t.Helper()
		for _, want := range []records.AktenplanEintrag{p1, p12, p121, p2} {
			got, err := f.Svc.GetAktenplan(ctx, f.Anna, want.ID)
			mustOK(t, err)
			if got.Kennzeichen != want.Kennzeichen || ntkEinheitOf(got.ParentID) != ntkEinheitOf(want.ParentID) {
				t.Fatalf("%s changed %s: %+v", what, want.Kennzeichen, got)
			}
		}
	}

	// refused: no right, bad Kennzeichen, duplicate, unknown or foreign
	// parent, itself, below itself, closed parent
	_, err = f.Svc.UpdateAktenplan(ctx, f.Bernd, p12.ID, kz("13"))
	ntkWant(t, "bernd changes the Kennzeichen", err, apperr.KindForbidden)
	_, err = f.Svc.UpdateAktenplan(ctx, f.Carla, p12.ID, kz("13"))
	ntkWant(t, "TSK changes TFM's position", err, apperr.KindNotFound)
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p12.ID, kz("1 2"))
	ntkField(t, "bad Kennzeichen", err, "kennzeichen")
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p12.ID, kz("121"))
	ntkWant(t, "duplicate Kennzeichen", err, apperr.KindConflict)
	vwFieldOf(t, "duplicate Kennzeichen", err, "kennzeichen")
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p12.ID, parent(ntkPtr("0190aaaa-0000-7000-8000-000000000000")))
	ntkField(t, "unknown parent", err, "parent_id")
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p12.ID, parent(&tsk.ID))
	ntkField(t, "TSK's position as parent", err, "parent_id")
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p12.ID, parent(&p12.ID))
	ntkField(t, "under itself", err, "parent_id")
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p1.ID, parent(&p121.ID))
	ntkField(t, "under its grandchild", err, "parent_id")
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p12.ID, parent(&closed.ID))
	ntkWant(t, "under a closed position", err, apperr.KindConflict)
	unchanged("a refused change")

	// allowed while nothing is filed: new Kennzeichen, new parent, top level
	e, err := f.Svc.UpdateAktenplan(ctx, f.Anna, p12.ID, records.AktenplanPatch{Kennzeichen: ntkPtr("22"), ParentID: ntkPtr(&p2.ID)})
	mustOK(t, err)
	if e.Kennzeichen != "22" || e.ParentID == nil || *e.ParentID != p2.ID {
		t.Fatalf("after the change: %+v", e)
	}
	got, err := f.Svc.GetAktenplan(ctx, f.Anna, p12.ID)
	mustOK(t, err)
	if got.Kennzeichen != "22" || ntkEinheitOf(got.ParentID) != p2.ID || got.Titel != "Personal" {
		t.Fatalf("stored: %+v", got)
	}
	es := ntkAuditOf(t, f, p12.TenantID, p12.ID, "aktenplan.update")
	if len(es) != 1 || es[0].Actor != "anna" {
		t.Fatalf("audit: %+v", es)
	}
	var ch map[string]struct{ Before, After any }
	mustOK(t, json.Unmarshal(es[0].Changes, &ch))
	if ch["kennzeichen"].Before != "12" || ch["kennzeichen"].After != "22" || ch["parent"].Before != "1" || ch["parent"].After != "2" {
		t.Fatalf("audit changes %s", es[0].Changes)
	}
	// the old Kennzeichen is free again
	_ = f.Plan(t, f.Anna, "12", "Personal (neu)")
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p121.ID, parent(nil))
	mustOK(t, err)
	got, _ = f.Svc.GetAktenplan(ctx, f.Anna, p121.ID)
	if got.ParentID != nil {
		t.Fatalf("121 not at the top level: %+v", got)
	}
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p121.ID, parent(&p12.ID))
	mustOK(t, err)

	// an Akte below (in 121, under 22 under 2) freezes 121, 22 and 2,
	// but neither 1 nor the title and retention of the frozen ones
	akte := f.Akte(t, f.Anna, p121.ID, "Ausbildung 2026")
	if !strings.Contains(akte.Aktenzeichen, "121") {
		t.Fatalf("Aktenzeichen %s", akte.Aktenzeichen)
	}
	for _, c := range []struct {
		what, id, field string
		patch           records.AktenplanPatch
	}{
		{"Kennzeichen of the Akte's position", p121.ID, "kennzeichen", kz("123")},
		{"parent of the Akte's position", p121.ID, "parent_id", parent(&p1.ID)},
		{"Kennzeichen above the Akte", p12.ID, "kennzeichen", kz("23")},
		{"moving the position above the Akte", p12.ID, "parent_id", parent(nil)},
		{"Kennzeichen two levels above", p2.ID, "kennzeichen", kz("3")},
	} {
		_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, c.id, c.patch)
		ntkWant(t, c.what, err, apperr.KindConflict)
		vwFieldOf(t, c.what, err, c.field)
		if e, ok := apperr.As(err); ok && !strings.Contains(e.Message, "1 Akte ist") {
			t.Errorf("%s: message %q does not count the Akte", c.what, e.Message)
		}
	}
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p121.ID, records.AktenplanPatch{Titel: ntkPtr("Aus- und Fortbildung"), Kennzeichen: ntkPtr("121")})
	ntkOK(t, "title with the same Kennzeichen", err)
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, p1.ID, kz("01"))
	ntkOK(t, "Kennzeichen of a position without Akten below", err)
	a2, err := f.Svc.GetAkte(ctx, f.Anna, akte.ID)
	mustOK(t, err)
	if a2.Aktenzeichen != akte.Aktenzeichen {
		t.Fatalf("Aktenzeichen changed: %s → %s", akte.Aktenzeichen, a2.Aktenzeichen)
	}
}

func ntkEinheitOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// vwFieldOf reports unless err is a domain error naming field.
func vwFieldOf(t *testing.T, what string, err error, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Errorf("%s: %v is no domain error", what, err)
		return
	}
	for _, fe := range e.Fields {
		if fe.Field == field {
			return
		}
	}
	t.Errorf("%s: %v does not name field %q", what, err, field)
}

func testOperatorTenants(t *testing.T, f *Fixture) {
	ctx := context.Background()
	// anna is TFM's admin but not the installation's operator
	_, err := f.Svc.ListTenantsAs(ctx, f.Anna)
	ntkWant(t, "a tenant admin lists tenants", err, apperr.KindForbidden)
	_, err = f.Svc.CreateTenantAs(ctx, f.Anna, records.NewTenant{Code: "TMX", Name: "Ministerium X"})
	ntkWant(t, "a tenant admin creates a tenant", err, apperr.KindForbidden)
	_, err = f.Svc.CreateTenantAs(ctx, f.Anna, records.NewTenant{Code: "x", Name: ""})
	ntkWant(t, "a tenant admin with bad input", err, apperr.KindForbidden)
	if ok, err := f.Svc.IsOperator(ctx, f.Anna); err != nil || ok {
		t.Fatalf("IsOperator(anna) = %v %v", ok, err)
	}
	// the mark is set by the operator's CLI (SetOperator), audited
	mustOK(t, f.Svc.SetOperator(ctx, "TFM", "anna", true))
	mustOK(t, f.Svc.SetOperator(ctx, "TFM", "anna", true)) // twice: no change
	if es := ntkAuditOf(t, f, f.Anna.TenantID, f.Anna.UserID, "betrieb.gesetzt"); len(es) != 1 || es[0].Actor != "system" {
		t.Fatalf("audit of the mark: %+v", es)
	}
	if ok, err := f.Svc.IsOperator(ctx, f.Anna); err != nil || !ok {
		t.Fatalf("IsOperator(anna) after the mark = %v %v", ok, err)
	}
	_, err = f.Svc.CreateUserAs(ctx, f.Anna, records.NewUser{Login: "scanner", Name: "Scanner", Kind: records.KindService})
	mustOK(t, err)
	ntkField(t, "operator mark for a Dienstkonto", f.Svc.SetOperator(ctx, "TFM", "scanner", true), "login")
	ntkWant(t, "operator mark in an unknown tenant", f.Svc.SetOperator(ctx, "XXX", "anna", true), apperr.KindNotFound)
	list, err := f.Svc.ListTenantsAs(ctx, f.Anna)
	mustOK(t, err)
	var codes []string
	for _, x := range list {
		codes = append(codes, x.Code)
	}
	if !slices.Contains(codes, "TFM") || !slices.Contains(codes, "TSK") {
		t.Fatalf("tenants %v", codes)
	}
	// not in Vertretung, not with a token without the admin scope, not
	// for someone marked but without the admin role
	deputy := f.Anna
	deputy.Deputy = &access.Deputy{UserID: f.Bernd.UserID, Login: "bernd"}
	_, err = f.Svc.ListTenantsAs(ctx, deputy)
	ntkWant(t, "in Vertretung", err, apperr.KindForbidden)
	readOnly := ntkAuth(t, f, "TFM", "anna", access.ScopeRead, access.ScopeWrite)
	_, err = f.Svc.ListTenantsAs(ctx, readOnly)
	ntkWant(t, "token without admin scope", err, apperr.KindForbidden)
	mustOK(t, f.Svc.SetOperator(ctx, "TFM", "bernd", true))
	_, err = f.Svc.ListTenantsAs(ctx, f.Bernd)
	ntkWant(t, "marked Sachbearbeitung", err, apperr.KindForbidden)

	// bad input: at the fields, nothing created
	_, err = f.Svc.CreateTenantAs(ctx, f.Anna, records.NewTenant{Code: "tmx", Name: " ", AzPattern: "{tenant}-ohne-Nummer"})
	ntkField(t, "bad code", err, "code")
	ntkField(t, "empty name", err, "name")
	ntkField(t, "pattern without serial", err, "aktenzeichen_muster")
	_, err = f.Svc.CreateTenantAs(ctx, f.Anna, records.NewTenant{Code: "TSK", Name: "Noch eine Staatskanzlei"})
	ntkWant(t, "duplicate code", err, apperr.KindConflict)
	vwFieldOf(t, "duplicate code", err, "code")
	after, err := f.Svc.ListTenantsAs(ctx, f.Anna)
	mustOK(t, err)
	if len(after) != len(list) {
		t.Fatalf("refused creations added tenants: %d → %d", len(list), len(after))
	}

	tmx, err := f.Svc.CreateTenantAs(ctx, f.Anna, records.NewTenant{Code: "TMX", Name: " Ministerium X "})
	mustOK(t, err)
	if tmx.Name != "Ministerium X" || tmx.AzPattern != records.DefaultAzPattern {
		t.Fatalf("created %+v", tmx)
	}
	// audited in the new tenant's chain (actor with its tenant) and in the operator's
	if es := ntkAuditOf(t, f, tmx.ID, tmx.ID, "tenant.create"); len(es) != 1 || es[0].Actor != "anna@TFM" || es[0].ActorID != f.Anna.UserID {
		t.Fatalf("audit in the new tenant: %+v", es)
	}
	if es := ntkAuditOf(t, f, f.Anna.TenantID, tmx.ID, "tenant.create"); len(es) != 1 || es[0].Actor != "anna" {
		t.Fatalf("audit in the operator's tenant: %+v", es)
	}
	// the new tenant is empty and its own: TFM's admin has no part in it
	if _, err := f.Svc.CreateUnitAs(ctx, f.Anna, records.NewUnit{Kennung: "X1", Name: "X", Typ: "referat"}); err != nil {
		t.Fatal(err)
	}
	if units, err := f.Svc.ListUnits(ctx, "TMX"); err != nil || len(units) != 0 {
		t.Fatalf("units of the new tenant: %v %v", units, err)
	}
	// withdrawn: refused again
	mustOK(t, f.Svc.SetOperator(ctx, "TFM", "anna", false))
	_, err = f.Svc.ListTenantsAs(ctx, f.Anna)
	ntkWant(t, "after withdrawal", err, apperr.KindForbidden)
	f.Chain(t)
}

// An Akte filed while its position gets a new Kennzeichen: either the
// change is refused (the Akte was there first) or the Akte carries the new
// Kennzeichen in its Aktenzeichen, never the old one under a renamed
// position.
func testAktenplanRelocateWhileFiling(t *testing.T, f *Fixture) {
	ctx := context.Background()
	for round := 0; round < 8; round++ {
		old := fmt.Sprintf("7%d", round)
		neu := fmt.Sprintf("8%d", round)
		pos := f.Plan(t, f.Anna, old, "Runde")
		var wg sync.WaitGroup
		var akte records.Akte
		var errAkte, errMove error
		start := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			akte, errAkte = f.Svc.CreateAkte(ctx, f.Anna, records.NewAkte{AktenplanID: pos.ID, Titel: "Gleichzeitig"})
		}()
		go func() {
			defer wg.Done()
			<-start
			_, errMove = f.Svc.UpdateAktenplan(ctx, f.Anna, pos.ID, records.AktenplanPatch{Kennzeichen: &neu})
		}()
		close(start)
		wg.Wait()
		mustOK(t, errAkte)
		got, err := f.Svc.GetAktenplan(ctx, f.Anna, pos.ID)
		mustOK(t, err)
		switch {
		case errMove == nil:
			if got.Kennzeichen != neu || !strings.Contains(akte.Aktenzeichen, "-"+neu+"-") {
				t.Fatalf("round %d: position %s, Akte %s filed with the old Kennzeichen", round, got.Kennzeichen, akte.Aktenzeichen)
			}
		case apperr.KindOf(errMove) == apperr.KindConflict:
			if got.Kennzeichen != old || !strings.Contains(akte.Aktenzeichen, "-"+old+"-") {
				t.Fatalf("round %d: refused change, but position %s and Akte %s", round, got.Kennzeichen, akte.Aktenzeichen)
			}
		default:
			t.Fatalf("round %d: %v", round, errMove)
		}
	}
}
