package storetest

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
	"aktenwerk/internal/records"
)

// Need-to-know on every backend: owning units, grants (also across
// tenants), VS-NfD restrictions, Vertretung, token scopes and deactivation.
// Principals are built the real way (users with memberships, tokens,
// Authenticate), so Units are computed by the records code.

func init() {
	moreCases = append(moreCases,
		Case{"NeedToKnowUnits", testNeedToKnowUnits},
		Case{"NeedToKnowGrants", testNeedToKnowGrants},
		Case{"NeedToKnowRestrictions", testNeedToKnowRestrictions},
		Case{"NeedToKnowVertretung", testNeedToKnowVertretung},
		Case{"TokenScopes", testTokenScopes},
		Case{"UserDeactivationAPI", testUserDeactivationAPI},
	)
}

// --- helpers ----------------------------------------------------------------

var ntkKindNames = map[apperr.Kind]string{
	apperr.KindInternal: "Internal", apperr.KindNotFound: "NotFound", apperr.KindInvalid: "Invalid",
	apperr.KindConflict: "Conflict", apperr.KindForbidden: "Forbidden", apperr.KindUnauthorized: "Unauthorized",
	apperr.KindTooLarge: "TooLarge", apperr.KindUnsupportedType: "UnsupportedType",
}

// ntkWant reports (without stopping the test) unless err is of kind k.
func ntkWant(t *testing.T, what string, err error, k apperr.Kind) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: want %s, got no error", what, ntkKindNames[k])
		return
	}
	if got := apperr.KindOf(err); got != k {
		t.Errorf("%s: want %s, got %s: %v", what, ntkKindNames[k], ntkKindNames[got], err)
	}
}

// ntkField reports unless err is Invalid and names field.
func ntkField(t *testing.T, what string, err error, field string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: want Invalid %q, got no error", what, field)
		return
	}
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid {
		t.Errorf("%s: want Invalid %q, got %v", what, field, err)
		return
	}
	for _, fe := range e.Fields {
		if fe.Field == field {
			return
		}
	}
	t.Errorf("%s: error %v does not name field %q (fields %+v)", what, err, field, e.Fields)
}

// ntkOK reports an unexpected error without stopping the test.
func ntkOK(t *testing.T, what string, err error) bool {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return false
	}
	return true
}

func ntkMember(kennung, position string) records.Membership {
	return records.Membership{Kennung: kennung, Position: position}
}

// ntkUnits creates TFM's Abteilung Z with the Referate Z1 and Z2 below.
func ntkUnits(t *testing.T, f *Fixture) (z, z1, z2 records.Unit) {
	t.Helper()
	ctx := context.Background()
	var err error
	z, err = f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z", Name: "Zentralabteilung", Typ: "abteilung"})
	mustOK(t, err)
	z1, err = f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z1", Name: "Referat Personal", Typ: "referat", Parent: "Z"})
	mustOK(t, err)
	z2, err = f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z2", Name: "Referat Haushalt", Typ: "referat", Parent: "Z"})
	mustOK(t, err)
	return z, z1, z2
}

// ntkAuth issues a token for an existing user and authenticates with it.
func ntkAuth(t *testing.T, f *Fixture, tenant, login string, scopes ...access.Scope) records.Principal {
	t.Helper()
	ctx := context.Background()
	tok, _, err := f.Svc.CreateToken(ctx, tenant, login, "test", 0, scopes...)
	mustOK(t, err)
	p, err := f.Svc.Authenticate(ctx, tok)
	mustOK(t, err)
	return p
}

// ntkUser creates a user with memberships and returns its authenticated
// principal.
func ntkUser(t *testing.T, f *Fixture, tenant, login string, roles []access.Role, units ...records.Membership) records.Principal {
	t.Helper()
	_, err := f.Svc.CreateUser(context.Background(), tenant, login, strings.ToUpper(login[:1])+login[1:], roles, units...)
	mustOK(t, err)
	return ntkAuth(t, f, tenant, login)
}

// ntkAkten returns the ids of the Akten p finds in ListAkten.
func ntkAkten(t *testing.T, f *Fixture, p records.Principal, flt records.AkteFilter) map[string]bool {
	t.Helper()
	list, err := f.Svc.ListAkten(context.Background(), p, flt, records.Page{Limit: 500})
	mustOK(t, err)
	out := map[string]bool{}
	for _, a := range list {
		if out[a.ID] {
			t.Errorf("ListAkten of %s returns Akte %s twice", p.Login, a.Aktenzeichen)
		}
		out[a.ID] = true
	}
	return out
}

// ntkListed checks whether p finds Akte id in ListAkten.
func ntkListed(t *testing.T, f *Fixture, p records.Principal, id string, want bool) {
	t.Helper()
	if got := ntkAkten(t, f, p, records.AkteFilter{})[id]; got != want {
		t.Errorf("ListAkten of %s@%s: Akte %s listed=%v, want %v", p.Login, p.TenantCode, id, got, want)
	}
}

func ntkVorgangIDs(t *testing.T, f *Fixture, p records.Principal, akteID string) map[string]bool {
	t.Helper()
	vs, err := f.Svc.ListVorgaenge(context.Background(), p, akteID, records.Page{Limit: 500})
	mustOK(t, err)
	out := map[string]bool{}
	for _, v := range vs {
		out[v.ID] = true
	}
	return out
}

func ntkDokumentIDs(t *testing.T, f *Fixture, p records.Principal, vorgangID string) map[string]bool {
	t.Helper()
	ds, err := f.Svc.ListDokumente(context.Background(), p, vorgangID, records.Page{Limit: 500})
	mustOK(t, err)
	out := map[string]bool{}
	for _, d := range ds {
		out[d.ID] = true
	}
	return out
}

// ntkDownload opens the latest version of a Dokument and returns its content.
func ntkDownload(f *Fixture, p records.Principal, dokumentID string) (string, error) {
	_, file, err := f.Svc.OpenVersion(context.Background(), p, dokumentID, 0)
	if err != nil {
		return "", err
	}
	defer file.Close()
	b, err := io.ReadAll(file)
	return string(b), err
}

// ntkHistory returns the entries of an object's history with the action.
func ntkHistory(t *testing.T, f *Fixture, p records.Principal, objType, id, action string) []audit.Entry {
	t.Helper()
	hist, err := f.Svc.History(context.Background(), p, objType, id, records.Page{Limit: 500})
	mustOK(t, err)
	var out []audit.Entry
	for _, e := range hist {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// ntkInvisible checks that an Akte with a Vorgang and a Dokument does not
// exist for p on any read path: 404 everywhere, absent from lists.
func ntkInvisible(t *testing.T, f *Fixture, p records.Principal, a records.Akte, v records.Vorgang, d records.Dokument) {
	t.Helper()
	ctx := context.Background()
	who := p.Login + "@" + p.TenantCode
	_, err := f.Svc.GetAkte(ctx, p, a.ID)
	ntkWant(t, who+" GetAkte", err, apperr.KindNotFound)
	_, err = f.Svc.AkteLevel(ctx, p, a.ID)
	ntkWant(t, who+" AkteLevel", err, apperr.KindNotFound)
	_, err = f.Svc.ListVorgaenge(ctx, p, a.ID, records.Page{})
	ntkWant(t, who+" ListVorgaenge", err, apperr.KindNotFound)
	_, err = f.Svc.GetVorgang(ctx, p, v.ID)
	ntkWant(t, who+" GetVorgang", err, apperr.KindNotFound)
	_, err = f.Svc.ListDokumente(ctx, p, v.ID, records.Page{})
	ntkWant(t, who+" ListDokumente", err, apperr.KindNotFound)
	_, err = f.Svc.GetDokument(ctx, p, d.ID)
	ntkWant(t, who+" GetDokument", err, apperr.KindNotFound)
	_, err = f.Svc.ListVersionen(ctx, p, d.ID)
	ntkWant(t, who+" ListVersionen", err, apperr.KindNotFound)
	_, err = ntkDownload(f, p, d.ID)
	ntkWant(t, who+" OpenVersion", err, apperr.KindNotFound)
	for _, o := range []struct{ typ, id string }{{"akte", a.ID}, {"vorgang", v.ID}, {"dokument", d.ID}} {
		_, err = f.Svc.History(ctx, p, o.typ, o.id, records.Page{})
		ntkWant(t, who+" History "+o.typ, err, apperr.KindNotFound)
	}
	_, err = f.Svc.AktenzeichenHistory(ctx, p, "akte", a.ID)
	ntkWant(t, who+" AktenzeichenHistory", err, apperr.KindNotFound)
	_, err = f.Svc.ListGrants(ctx, p, a.ID)
	ntkWant(t, who+" ListGrants", err, apperr.KindNotFound)
	for _, az := range []string{a.Aktenzeichen, v.Aktenzeichen} {
		_, _, err = f.Svc.Lookup(ctx, p, az)
		ntkWant(t, who+" Lookup "+az, err, apperr.KindNotFound)
	}
	ntkListed(t, f, p, a.ID, false)
}

// ntkEntries formats audit entries for failure messages.
func ntkEntries(es []audit.Entry) string {
	parts := []string{}
	for _, e := range es {
		parts = append(parts, fmt.Sprintf("{%s actor=%q actor_id=%s for=%q tenant=%s changes=%s}", e.Action, e.Actor, e.ActorID, e.OnBehalfOf, e.TenantID, e.Changes))
	}
	return fmt.Sprintf("%d entries %v", len(es), parts)
}

func ntkPtr[T any](v T) *T { return &v }

// ntkAuditOf reads the audit entries of an object with the action straight
// from the store (History serves Akten, Vorgänge and Dokumente only).
func ntkAuditOf(t *testing.T, f *Fixture, tenantID, objectID, action string) []audit.Entry {
	t.Helper()
	rows, err := f.DB.Writer().Query(sqlRebind(f.DB, `SELECT tenant_id, actor_id, actor, on_behalf_of, changes FROM audit_log
		WHERE tenant_id = ? AND object_id = ? AND action = ? ORDER BY id`), tenantID, objectID, action)
	mustOK(t, err)
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var changes string
		mustOK(t, rows.Scan(&e.TenantID, &e.ActorID, &e.Actor, &e.OnBehalfOf, &changes))
		e.Action, e.ObjectID, e.Changes = action, objectID, []byte(changes)
		out = append(out, e)
	}
	mustOK(t, rows.Err())
	return out
}

func ntkSorted(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func ntkEinheit(a records.Akte) string {
	if a.Einheit == nil {
		return "<tenant>"
	}
	return *a.Einheit
}

// --- 1. owning units -------------------------------------------------------------

func testNeedToKnowUnits(t *testing.T, f *Fixture) {
	ctx := context.Background()
	z, z1, z2 := ntkUnits(t, f)
	zora := ntkUser(t, f, "TFM", "zora", nil, ntkMember("Z1", "sachbearbeitung"))
	zeno := ntkUser(t, f, "TFM", "zeno", nil, ntkMember("Z2", "sachbearbeitung"))
	zach := ntkUser(t, f, "TFM", "zach", []access.Role{access.RoleLeitung}, ntkMember("Z", "abteilungsleitung"))
	mia := ntkUser(t, f, "TFM", "mia", nil, ntkMember("Z1", "sachbearbeitung"), ntkMember("Z2", "sachbearbeitung"))
	rita := ntkUser(t, f, "TFM", "rita", []access.Role{access.RoleRegistratur}, ntkMember("Z", "registratur"))

	// Units: own units and every unit below them, computed on Authenticate
	if got, want := ntkSorted(zora.Units), []string{z1.ID}; !slices.Equal(got, want) {
		t.Errorf("zora units %v, want %v", got, want)
	}
	if got, want := ntkSorted(zach.Units), ntkSorted([]string{z.ID, z1.ID, z2.ID}); !slices.Equal(got, want) {
		t.Errorf("zach units %v, want %v", got, want)
	}
	if got, want := ntkSorted(mia.Units), ntkSorted([]string{z1.ID, z2.ID}); !slices.Equal(got, want) {
		t.Errorf("mia units %v, want %v", got, want)
	}
	if len(f.Bernd.Units) != 0 {
		t.Errorf("bernd (no unit) has units %v", f.Bernd.Units)
	}

	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a := f.Akte(t, zora, pos.ID, "Personalakte Z1")
	if a.Einheit == nil || *a.Einheit != "Z1" || a.OwnerUnitID != z1.ID {
		t.Fatalf("Akte of a Z1 user: einheit %s owner %q, want Z1 %q", ntkEinheit(a), a.OwnerUnitID, z1.ID)
	}
	got, err := f.Svc.GetAkte(ctx, zora, a.ID)
	mustOK(t, err)
	if ntkEinheit(got) != "Z1" {
		t.Errorf("stored einheit %s, want Z1", ntkEinheit(got))
	}
	v := f.Vorgang(t, zora, a.ID, "Beurteilung")
	d, _ := f.Dokument(t, zora, v.ID, "Beurteilungsbogen", "b.txt", []byte("vertraulich"))

	// Z2 does not see a Z1 Akte: 404 on every path, never in lists
	ntkInvisible(t, f, zeno, a, v, d)
	if ntkAkten(t, f, zeno, records.AkteFilter{EinheitID: z1.ID})[a.ID] {
		t.Error("zeno finds the Z1 Akte when filtering by Z1")
	}
	_, err = f.Svc.CreateVorgang(ctx, zeno, a.ID, "eingeschleust", nil)
	ntkWant(t, "zeno CreateVorgang in Z1 Akte", err, apperr.KindNotFound)
	_, err = f.Svc.UpdateAkte(ctx, zeno, a.ID, records.AktePatch{Titel: ntkPtr("x")})
	ntkWant(t, "zeno UpdateAkte on Z1 Akte", err, apperr.KindNotFound)
	// the fixture's users without unit and other tenants do not see it either
	ntkInvisible(t, f, f.Bernd, a, v, d)
	ntkInvisible(t, f, f.Carla, a, v, d)

	// Z1 itself and the Abteilung above see it
	ntkListed(t, f, zora, a.ID, true)
	for _, p := range []records.Principal{zach, rita, mia} {
		_, err = f.Svc.GetAkte(ctx, p, a.ID)
		ntkOK(t, p.Login+" GetAkte", err)
		lvl, err := f.Svc.AkteLevel(ctx, p, a.ID)
		if ntkOK(t, p.Login+" AkteLevel", err) && lvl != access.LevelOwner {
			t.Errorf("%s level %s, want owner", p.Login, lvl)
		}
		ntkListed(t, f, p, a.ID, true)
		_, err = f.Svc.GetVorgang(ctx, p, v.ID)
		ntkOK(t, p.Login+" GetVorgang", err)
		if c, err := ntkDownload(f, p, d.ID); ntkOK(t, p.Login+" OpenVersion", err) && c != "vertraulich" {
			t.Errorf("%s downloads %q", p.Login, c)
		}
	}
	typ, id, err := f.Svc.Lookup(ctx, zach, v.Aktenzeichen)
	if ntkOK(t, "zach Lookup", err) && (typ != "vorgang" || id != v.ID) {
		t.Errorf("zach Lookup %s: %s %s", v.Aktenzeichen, typ, id)
	}
	if !ntkAkten(t, f, zach, records.AkteFilter{EinheitID: z1.ID})[a.ID] {
		t.Error("zach does not find the Z1 Akte filtering by Z1")
	}

	// choosing the owning unit
	before := len(ntkAkten(t, f, rita, records.AkteFilter{}))
	_, err = f.Svc.CreateAkte(ctx, mia, records.NewAkte{AktenplanID: pos.ID, Titel: "Zwei Einheiten"})
	ntkField(t, "two units, no einheit", err, "einheit")
	_, err = f.Svc.CreateAkte(ctx, zora, records.NewAkte{AktenplanID: pos.ID, Titel: "fremde Einheit", Einheit: "Z2"})
	ntkField(t, "zora names Z2", err, "einheit")
	_, err = f.Svc.CreateAkte(ctx, zora, records.NewAkte{AktenplanID: pos.ID, Titel: "Einheit darüber", Einheit: "Z"})
	ntkField(t, "zora names the unit above her", err, "einheit")
	_, err = f.Svc.CreateAkte(ctx, zora, records.NewAkte{AktenplanID: pos.ID, Titel: "unbekannt", Einheit: "QQ"})
	ntkField(t, "unknown einheit", err, "einheit")
	_, err = f.Svc.CreateAkte(ctx, f.Bernd, records.NewAkte{AktenplanID: pos.ID, Titel: "ohne Einheit", Einheit: "Z1"})
	ntkField(t, "bernd (no unit) names Z1", err, "einheit")
	if after := len(ntkAkten(t, f, rita, records.AkteFilter{})); after != before {
		t.Errorf("refused CreateAkte calls left Akten: %d -> %d", before, after)
	}
	m2, err := f.Svc.CreateAkte(ctx, mia, records.NewAkte{AktenplanID: pos.ID, Titel: "Haushalt", Einheit: "Z2"})
	mustOK(t, err)
	if ntkEinheit(m2) != "Z2" || m2.OwnerUnitID != z2.ID {
		t.Errorf("mia's Akte einheit %s", ntkEinheit(m2))
	}
	_, err = f.Svc.GetAkte(ctx, zeno, m2.ID)
	ntkOK(t, "zeno sees Z2 Akte", err)
	_, err = f.Svc.GetAkte(ctx, zora, m2.ID)
	ntkWant(t, "zora GetAkte of Z2 Akte", err, apperr.KindNotFound)
	below, err := f.Svc.CreateAkte(ctx, zach, records.NewAkte{AktenplanID: pos.ID, Titel: "Für Z1", Einheit: "Z1"})
	mustOK(t, err)
	if ntkEinheit(below) != "Z1" {
		t.Errorf("zach names Z1 (below): einheit %s", ntkEinheit(below))
	}
	_, err = f.Svc.GetAkte(ctx, zora, below.ID)
	ntkOK(t, "zora sees Akte zach filed for Z1", err)
	top, err := f.Svc.CreateAkte(ctx, zach, records.NewAkte{AktenplanID: pos.ID, Titel: "Abteilung"})
	mustOK(t, err)
	if ntkEinheit(top) != "Z" {
		t.Errorf("zach's default einheit %s, want Z", ntkEinheit(top))
	}
	_, err = f.Svc.GetAkte(ctx, zora, top.ID)
	ntkWant(t, "zora GetAkte of Abteilung Z Akte", err, apperr.KindNotFound)

	// an Akte without owning unit is the whole tenant's
	ab := f.Akte(t, f.Bernd, pos.ID, "Für alle")
	if ab.Einheit != nil || ab.OwnerUnitID != "" {
		t.Errorf("Akte of a user without unit: einheit %s", ntkEinheit(ab))
	}
	for _, p := range []records.Principal{zora, zeno, zach, mia, rita, f.Anna, f.Bernd} {
		_, err = f.Svc.GetAkte(ctx, p, ab.ID)
		ntkOK(t, p.Login+" GetAkte of tenant-wide Akte", err)
		ntkListed(t, f, p, ab.ID, true)
	}
	_, err = f.Svc.GetAkte(ctx, f.Carla, ab.ID)
	ntkWant(t, "carla GetAkte of tenant-wide TFM Akte", err, apperr.KindNotFound)
	ntkListed(t, f, f.Carla, ab.ID, false)
	zenoList := ntkAkten(t, f, zeno, records.AkteFilter{})
	if len(zenoList) != 2 || !zenoList[ab.ID] || !zenoList[m2.ID] {
		t.Errorf("zeno's list %v, want exactly %s and %s", zenoList, ab.ID, m2.ID)
	}

	// hand-over (Abgabe) to another unit needs the right to re-file
	z2k := "Z2"
	_, err = f.Svc.UpdateAkte(ctx, zora, a.ID, records.AktePatch{Einheit: &z2k})
	ntkWant(t, "sachbearbeitung hands over", err, apperr.KindForbidden)
	bad := "QQ"
	_, err = f.Svc.UpdateAkte(ctx, rita, a.ID, records.AktePatch{Einheit: &bad})
	ntkField(t, "hand-over to unknown unit", err, "einheit")
	moved, err := f.Svc.UpdateAkte(ctx, rita, a.ID, records.AktePatch{Einheit: &z2k})
	mustOK(t, err)
	if ntkEinheit(moved) != "Z2" || moved.OwnerUnitID != z2.ID {
		t.Errorf("after hand-over einheit %s", ntkEinheit(moved))
	}
	_, err = f.Svc.GetAkte(ctx, zeno, a.ID)
	ntkOK(t, "zeno GetAkte after hand-over", err)
	_, err = f.Svc.GetVorgang(ctx, zeno, v.ID)
	ntkOK(t, "zeno GetVorgang after hand-over", err)
	ntkListed(t, f, zeno, a.ID, true)
	if !ntkAkten(t, f, zeno, records.AkteFilter{EinheitID: z2.ID})[a.ID] {
		t.Error("handed-over Akte missing when filtering by Z2")
	}
	ntkInvisible(t, f, zora, a, v, d)
	if e := ntkHistory(t, f, rita, "akte", a.ID, "akte.update"); len(e) != 1 || !strings.Contains(string(e[0].Changes), `"einheit"`) || e[0].Actor != "rita" {
		t.Errorf("hand-over audit %s", ntkEntries(e))
	}
	// hand-over to the whole tenant
	whole := ""
	moved, err = f.Svc.UpdateAkte(ctx, rita, a.ID, records.AktePatch{Einheit: &whole})
	mustOK(t, err)
	if moved.Einheit != nil || moved.OwnerUnitID != "" {
		t.Errorf("hand-over to tenant: einheit %s", ntkEinheit(moved))
	}
	for _, p := range []records.Principal{zora, f.Bernd, f.Anna} {
		_, err = f.Svc.GetAkte(ctx, p, a.ID)
		ntkOK(t, p.Login+" GetAkte after hand-over to tenant", err)
	}

	// memberships changed through the admin API apply to the next request
	// (Units are computed on each Authenticate); a bad unit changes nothing
	zoraTok, _, err := f.Svc.CreateToken(ctx, "TFM", "zora", "weiter", 0)
	mustOK(t, err)
	_, err = f.Svc.UpdateUserAs(ctx, f.Anna, "zora", records.UserPatch{Einheiten: &[]records.Membership{ntkMember("Z2", "sachbearbeitung"), ntkMember("QQ", "sachbearbeitung")}})
	ntkField(t, "membership in unknown unit", err, "unit")
	ms, err := f.Svc.Memberships(ctx, "TFM", "zora")
	mustOK(t, err)
	if len(ms) != 1 || ms[0].Kennung != "Z1" {
		t.Errorf("refused membership change left %+v", ms)
	}
	_, err = f.Svc.UpdateUserAs(ctx, f.Anna, "zora", records.UserPatch{Einheiten: &[]records.Membership{ntkMember("Z2", "sachbearbeitung")}})
	mustOK(t, err)
	zora2, err := f.Svc.Authenticate(ctx, zoraTok)
	mustOK(t, err)
	if !slices.Equal(zora2.Units, []string{z2.ID}) {
		t.Errorf("zora's units after moving to Z2: %v", zora2.Units)
	}
	_, err = f.Svc.GetAkte(ctx, zora2, m2.ID)
	ntkOK(t, "zora (now Z2) GetAkte of Z2 Akte", err)
	_, err = f.Svc.GetAkte(ctx, zora2, below.ID)
	ntkWant(t, "zora (now Z2) GetAkte of Z1 Akte", err, apperr.KindNotFound)
	ntkListed(t, f, zora2, below.ID, false)
	ntkListed(t, f, zora2, m2.ID, true)
}

// --- 2. grants --------------------------------------------------------------------

func testNeedToKnowGrants(t *testing.T, f *Fixture) {
	ctx := context.Background()
	ntkUnits(t, f)
	zora := ntkUser(t, f, "TFM", "zora", nil, ntkMember("Z1", "sachbearbeitung"))
	zeno := ntkUser(t, f, "TFM", "zeno", nil, ntkMember("Z2", "sachbearbeitung"))
	for _, u := range []records.NewUnit{
		{Kennung: "S", Name: "Abteilung S", Typ: "abteilung"},
		{Kennung: "S1", Name: "Referat S1", Typ: "referat", Parent: "S"},
		{Kennung: "S2", Name: "Referat S2", Typ: "referat", Parent: "S"},
	} {
		_, err := f.Svc.CreateUnit(ctx, "TSK", u)
		mustOK(t, err)
	}
	sven := ntkUser(t, f, "TSK", "sven", nil, ntkMember("S1", "sachbearbeitung"))
	sina := ntkUser(t, f, "TSK", "sina", nil, ntkMember("S2", "sachbearbeitung"))
	saskia := ntkUser(t, f, "TSK", "saskia", []access.Role{access.RoleLeitung}, ntkMember("S", "abteilungsleitung"))
	carla := f.Carla

	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	pos2 := f.Plan(t, f.Anna, "122", "Fortbildung")
	a := f.Akte(t, zora, pos.ID, "Beteiligung Staatskanzlei")
	v := f.Vorgang(t, zora, a.ID, "Stellungnahme")
	d, _ := f.Dokument(t, zora, v.ID, "Entwurf", "e.txt", []byte("Entwurf Stellungnahme"))
	ntkInvisible(t, f, carla, a, v, d)

	// read grant to the whole tenant TSK
	g, err := f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TSK", Level: "read"})
	mustOK(t, err)
	if g.Tenant != "TSK" || g.Unit != nil || g.User != nil || g.Level != records.GrantRead || g.RevokedAt != nil || g.AkteID != a.ID || g.CreatedBy != "zora" {
		t.Errorf("grant %+v", g)
	}
	gs, err := f.Svc.ListGrants(ctx, zora, a.ID)
	mustOK(t, err)
	if len(gs) != 1 || gs[0].ID != g.ID || gs[0].Tenant != "TSK" || gs[0].Level != "read" {
		t.Errorf("ListGrants %+v", gs)
	}
	for _, p := range []records.Principal{carla, sven, sina, saskia} {
		ntkListed(t, f, p, a.ID, true)
		_, err = f.Svc.GetAkte(ctx, p, a.ID)
		ntkOK(t, p.Login+" GetAkte with read grant", err)
	}
	lvl, err := f.Svc.AkteLevel(ctx, carla, a.ID)
	if ntkOK(t, "carla AkteLevel", err) && lvl != access.LevelRead {
		t.Errorf("carla level %s, want read", lvl)
	}
	if !ntkVorgangIDs(t, f, carla, a.ID)[v.ID] {
		t.Error("carla does not list the Vorgang")
	}
	_, err = f.Svc.GetVorgang(ctx, carla, v.ID)
	ntkOK(t, "carla GetVorgang", err)
	_, err = f.Svc.GetDokument(ctx, carla, d.ID)
	ntkOK(t, "carla GetDokument", err)
	if c, err := ntkDownload(f, carla, d.ID); ntkOK(t, "carla OpenVersion", err) && c != "Entwurf Stellungnahme" {
		t.Errorf("carla downloads %q", c)
	}
	if typ, id, err := f.Svc.Lookup(ctx, carla, a.Aktenzeichen); ntkOK(t, "carla Lookup", err) && (typ != "akte" || id != a.ID) {
		t.Errorf("carla Lookup: %s %s", typ, id)
	}
	_, err = f.Svc.ListGrants(ctx, carla, a.ID)
	ntkOK(t, "carla ListGrants", err)
	_, err = f.Svc.UpdateAkte(ctx, carla, a.ID, records.AktePatch{Titel: ntkPtr("geändert")})
	ntkWant(t, "read grant UpdateAkte", err, apperr.KindForbidden)
	_, err = f.Svc.CreateVorgang(ctx, carla, a.ID, "neu", nil)
	ntkWant(t, "read grant CreateVorgang", err, apperr.KindForbidden)
	_, err = f.Svc.UpdateVorgang(ctx, carla, v.ID, records.VorgangPatch{Betreff: ntkPtr("geändert")})
	ntkWant(t, "read grant UpdateVorgang", err, apperr.KindForbidden)
	c, err := f.Svc.StoreContent(ctx, carla, strings.NewReader("Antwort"), "a.txt")
	mustOK(t, err)
	_, _, err = f.Svc.CreateDokument(ctx, carla, v.ID, records.NewDokument{Betreff: "Antwort", Typ: "Eingang"}, c)
	ntkWant(t, "read grant CreateDokument", err, apperr.KindForbidden)
	_, err = f.Svc.CloseAkte(ctx, carla, a.ID)
	ntkWant(t, "read grant CloseAkte", err, apperr.KindForbidden)
	if e := ntkHistory(t, f, zora, "dokument", d.ID, "dokument.download"); len(e) != 1 || e[0].Actor != "carla@TSK" || e[0].ActorID != carla.UserID || e[0].TenantID != a.TenantID {
		t.Errorf("carla's download audit %s", ntkEntries(e))
	}
	// a duplicate active grant for the same grantee is refused
	_, err = f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TSK", Level: "write"})
	ntkWant(t, "duplicate grant", err, apperr.KindConflict)

	// revoke by match, then carla sees nothing again
	n, err := f.Svc.RevokeGrant(ctx, zora, a.ID, "", &records.NewGrant{Tenant: "TSK"})
	mustOK(t, err)
	if n != 1 {
		t.Errorf("revoked %d grants, want 1", n)
	}
	ntkInvisible(t, f, carla, a, v, d)
	gs, err = f.Svc.ListGrants(ctx, zora, a.ID)
	mustOK(t, err)
	if len(gs) != 1 || gs[0].RevokedAt == nil {
		t.Errorf("revoked grant not listed as ended: %+v", gs)
	}
	_, err = f.Svc.RevokeGrant(ctx, zora, a.ID, "", &records.NewGrant{Tenant: "TSK"})
	ntkWant(t, "revoke without active grant", err, apperr.KindNotFound)

	// write grant: add Vorgänge and Dokumente, but not close, re-file or share
	gw, err := f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TSK", Level: "write"})
	mustOK(t, err)
	lvl, err = f.Svc.AkteLevel(ctx, carla, a.ID)
	if ntkOK(t, "carla AkteLevel", err) && lvl != access.LevelWrite {
		t.Errorf("carla level %s, want write", lvl)
	}
	cv, err := f.Svc.CreateVorgang(ctx, carla, a.ID, "Mitzeichnung TSK", nil)
	mustOK(t, err)
	if cv.TenantID != a.TenantID || !strings.HasPrefix(cv.Aktenzeichen, a.Aktenzeichen) {
		t.Errorf("carla's Vorgang in TFM's Akte: tenant %s az %s", cv.TenantID, cv.Aktenzeichen)
	}
	cd, _ := f.Dokument(t, carla, cv.ID, "Mitzeichnung", "m.txt", []byte("mitgezeichnet"))
	f.Dokument(t, carla, v.ID, "Ergänzung", "e2.txt", []byte("Ergänzung TSK"))
	_, err = f.Svc.UpdateVorgang(ctx, carla, v.ID, records.VorgangPatch{Betreff: ntkPtr("Stellungnahme (ergänzt)")})
	ntkOK(t, "write grant UpdateVorgang", err)
	_, err = f.Svc.CloseAkte(ctx, carla, a.ID)
	ntkWant(t, "write grant CloseAkte", err, apperr.KindForbidden)
	_, err = f.Svc.CloseVorgang(ctx, carla, cv.ID)
	ntkWant(t, "write grant CloseVorgang", err, apperr.KindForbidden)
	_, err = f.Svc.RefileAkte(ctx, carla, a.ID, pos2.ID)
	ntkWant(t, "write grant RefileAkte", err, apperr.KindForbidden)
	a4 := f.Akte(t, zora, pos.ID, "Ziel")
	_, err = f.Svc.MoveVorgang(ctx, carla, cv.ID, a4.ID)
	ntkWant(t, "write grant MoveVorgang", err, apperr.KindForbidden)
	_, err = f.Svc.UpdateAkte(ctx, carla, a.ID, records.AktePatch{Einheit: ntkPtr("")})
	ntkWant(t, "write grant hands over", err, apperr.KindForbidden)
	_, err = f.Svc.Grant(ctx, carla, a.ID, records.NewGrant{Tenant: "TSK", User: "sina", Level: "read"})
	ntkWant(t, "write grant shares further", err, apperr.KindForbidden)
	_, err = f.Svc.RevokeGrant(ctx, carla, a.ID, gw.ID, nil)
	ntkWant(t, "write grant revokes", err, apperr.KindForbidden)
	_, err = f.Svc.Restrict(ctx, carla, "vorgang", cv.ID, "vs-nfd", nil)
	ntkWant(t, "write grant restricts", err, apperr.KindForbidden)
	got, err := f.Svc.GetAkte(ctx, zora, a.ID)
	mustOK(t, err)
	if got.Status != records.StatusOffen || got.AktenplanID != pos.ID || got.Aktenzeichen != a.Aktenzeichen {
		t.Errorf("refused calls changed the Akte: %+v", got)
	}
	// carla's actions are audited in TFM's chain as carla@TSK
	for _, o := range []struct{ typ, id, action string }{{"vorgang", cv.ID, "vorgang.create"}, {"dokument", cd.ID, "dokument.create"}, {"vorgang", v.ID, "vorgang.update"}} {
		e := ntkHistory(t, f, zora, o.typ, o.id, o.action)
		if len(e) != 1 || e[0].Actor != "carla@TSK" || e[0].ActorID != carla.UserID || e[0].TenantID != a.TenantID || e[0].OnBehalfOf != "" {
			t.Errorf("%s audit %s", o.action, ntkEntries(e))
		}
	}
	var inTSK int
	mustOK(t, f.DB.Writer().QueryRow(sqlRebind(f.DB, `SELECT COUNT(*) FROM audit_log WHERE tenant_id = ? AND object_id IN (?, ?)`),
		carla.TenantID, cv.ID, cd.ID).Scan(&inTSK))
	if inTSK != 0 {
		t.Errorf("%d entries about TFM objects in TSK's chain", inTSK)
	}
	f.Chain(t)
	rep, err := f.Svc.VerifyAudit(ctx)
	mustOK(t, err)
	if len(rep.Breaks) != 0 {
		t.Errorf("audit breaks %+v", rep.Breaks)
	}

	// revoke by id
	n, err = f.Svc.RevokeGrant(ctx, zora, a.ID, gw.ID, nil)
	mustOK(t, err)
	if n != 1 {
		t.Errorf("revoked %d by id", n)
	}
	ntkInvisible(t, f, carla, a, v, d)
	_, err = f.Svc.GetVorgang(ctx, carla, cv.ID)
	ntkWant(t, "carla GetVorgang of her own Vorgang after revoke", err, apperr.KindNotFound)
	_, err = f.Svc.RevokeGrant(ctx, zora, a.ID, gw.ID, nil)
	ntkWant(t, "revoke by id twice", err, apperr.KindNotFound)

	// a unit of another tenant: its members and those of the units above
	a2 := f.Akte(t, zora, pos.ID, "Für Referat S1")
	gu, err := f.Svc.Grant(ctx, zora, a2.ID, records.NewGrant{Tenant: "TSK", Unit: "S1", Level: "read"})
	mustOK(t, err)
	if gu.Unit == nil || *gu.Unit != "S1" || gu.Tenant != "TSK" || gu.User != nil {
		t.Errorf("unit grant %+v", gu)
	}
	for p, want := range map[*records.Principal]bool{&sven: true, &saskia: true, &sina: false, &carla: false, &zeno: false} {
		_, err = f.Svc.GetAkte(ctx, *p, a2.ID)
		if want {
			ntkOK(t, p.Login+" GetAkte with S1 grant", err)
		} else {
			ntkWant(t, p.Login+" GetAkte with S1 grant", err, apperr.KindNotFound)
		}
		ntkListed(t, f, *p, a2.ID, want)
	}
	// a single user of another tenant
	a3 := f.Akte(t, zora, pos.ID, "Für Sina")
	gs1, err := f.Svc.Grant(ctx, zora, a3.ID, records.NewGrant{Tenant: "TSK", User: "sina", Level: "read"})
	mustOK(t, err)
	if gs1.User == nil || *gs1.User != "sina" || gs1.Unit != nil {
		t.Errorf("user grant %+v", gs1)
	}
	for p, want := range map[*records.Principal]bool{&sina: true, &sven: false, &saskia: false, &carla: false} {
		_, err = f.Svc.GetAkte(ctx, *p, a3.ID)
		if want {
			ntkOK(t, p.Login+" GetAkte with user grant", err)
		} else {
			ntkWant(t, p.Login+" GetAkte with user grant to sina", err, apperr.KindNotFound)
		}
		ntkListed(t, f, *p, a3.ID, want)
	}
	// a user and a unit of the own tenant (Tenant "" = own)
	gz, err := f.Svc.Grant(ctx, zora, a3.ID, records.NewGrant{User: "zeno", Level: "write"})
	mustOK(t, err)
	if gz.Tenant != "TFM" {
		t.Errorf("own-tenant grant tenant %q", gz.Tenant)
	}
	zv, err := f.Svc.CreateVorgang(ctx, zeno, a3.ID, "Zuarbeit Z2", nil)
	if ntkOK(t, "zeno CreateVorgang with write grant", err) {
		if e := ntkHistory(t, f, zora, "vorgang", zv.ID, "vorgang.create"); len(e) != 1 || e[0].Actor != "zeno" {
			t.Errorf("own-tenant grantee audit %s", ntkEntries(e))
		}
	}
	_, err = f.Svc.Grant(ctx, zora, a2.ID, records.NewGrant{Unit: "Z2", Level: "read"})
	mustOK(t, err)
	_, err = f.Svc.GetAkte(ctx, zeno, a2.ID)
	ntkOK(t, "zeno GetAkte with Z2 grant", err)
	ntkListed(t, f, zeno, a2.ID, true)

	// unknown grantees are refused and nothing is stored
	gs, err = f.Svc.ListGrants(ctx, zora, a.ID)
	mustOK(t, err)
	n0 := len(gs)
	past := f.Svc.Now().Add(-time.Minute)
	for _, tc := range []struct {
		in    records.NewGrant
		field string
	}{
		{records.NewGrant{Tenant: "NOPE", Level: "read"}, "tenant"},
		{records.NewGrant{Tenant: "TSK", Unit: "Z1", Level: "read"}, "unit"},
		{records.NewGrant{Tenant: "TSK", Unit: "QQ", Level: "read"}, "unit"},
		{records.NewGrant{Tenant: "TSK", User: "bernd", Level: "read"}, "user"},
		{records.NewGrant{Tenant: "TSK", Unit: "S1", User: "sven", Level: "read"}, "unit"},
		{records.NewGrant{Tenant: "TSK", Level: "admin"}, "level"},
		{records.NewGrant{Tenant: "TSK", Level: "read", ExpiresAt: &past}, "laeuft_ab_am"},
	} {
		_, err = f.Svc.Grant(ctx, zora, a.ID, tc.in)
		ntkField(t, fmt.Sprintf("grant %+v", tc.in), err, tc.field)
	}
	gs, err = f.Svc.ListGrants(ctx, zora, a.ID)
	mustOK(t, err)
	if len(gs) != n0 {
		t.Errorf("refused grants stored: %d -> %d", n0, len(gs))
	}
	_, err = f.Svc.RevokeGrant(ctx, zora, a.ID, "", &records.NewGrant{Tenant: "NOPE"})
	ntkField(t, "revoke match unknown tenant", err, "tenant")
	// who cannot see the Akte cannot share it
	_, err = f.Svc.Grant(ctx, zeno, a.ID, records.NewGrant{Tenant: "TSK", Level: "read"})
	ntkWant(t, "zeno shares a Z1 Akte", err, apperr.KindNotFound)
	_, err = f.Svc.Grant(ctx, f.Bernd, a.ID, records.NewGrant{Tenant: "TSK", Level: "read"})
	ntkWant(t, "bernd shares a Z1 Akte", err, apperr.KindNotFound)
	_, err = f.Svc.Grant(ctx, f.Carla, a.ID, records.NewGrant{Tenant: "TSK", Level: "read"})
	ntkWant(t, "carla shares TFM's Akte without grant", err, apperr.KindNotFound)

	// an expiring grant ends by itself
	exp := f.Svc.Now().Add(time.Hour)
	ge, err := f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TSK", Level: "read", ExpiresAt: &exp})
	mustOK(t, err)
	if ge.ExpiresAt == nil || !ge.ExpiresAt.Equal(exp.Truncate(time.Microsecond)) {
		t.Errorf("expires_at %v, want %v", ge.ExpiresAt, exp)
	}
	_, err = f.Svc.GetAkte(ctx, carla, a.ID)
	ntkOK(t, "carla GetAkte before expiry", err)
	ntkListed(t, f, carla, a.ID, true)
	f.Clock.Advance(2 * time.Hour)
	ntkInvisible(t, f, carla, a, v, d)
	gs, err = f.Svc.ListGrants(ctx, zora, a.ID)
	mustOK(t, err)
	if !slices.ContainsFunc(gs, func(x records.Grant) bool { return x.ID == ge.ID && x.ExpiresAt != nil }) {
		t.Errorf("expired grant not listed: %+v", gs)
	}
	// an expired grant is no longer in force: granting again is no conflict
	gw2, err := f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TSK", Level: "write"})
	mustOK(t, err)

	// grants never make a restricted Vorgang or Dokument visible
	vr := f.Vorgang(t, zora, a.ID, "VS-NfD Sache")
	dr, _ := f.Dokument(t, zora, vr.ID, "Geheim", "g.txt", []byte("nur für den Dienstgebrauch"))
	who, err := f.Svc.Restrict(ctx, zora, "vorgang", vr.ID, "vs-nfd", nil)
	mustOK(t, err)
	if !slices.Equal(who, []string{"zora"}) {
		t.Errorf("berechtigte %v", who)
	}
	_, err = f.Svc.GetVorgang(ctx, carla, vr.ID)
	ntkWant(t, "carla GetVorgang restricted", err, apperr.KindNotFound)
	if vs := ntkVorgangIDs(t, f, carla, a.ID); vs[vr.ID] || !vs[v.ID] {
		t.Errorf("carla's Vorgang list %v: restricted listed or open one missing", vs)
	}
	_, err = f.Svc.GetDokument(ctx, carla, dr.ID)
	ntkWant(t, "carla GetDokument in restricted Vorgang", err, apperr.KindNotFound)
	_, err = ntkDownload(f, carla, dr.ID)
	ntkWant(t, "carla OpenVersion in restricted Vorgang", err, apperr.KindNotFound)
	_, err = f.Svc.History(ctx, carla, "vorgang", vr.ID, records.Page{})
	ntkWant(t, "carla History restricted", err, apperr.KindNotFound)
	_, _, err = f.Svc.Lookup(ctx, carla, vr.Aktenzeichen)
	ntkWant(t, "carla Lookup restricted", err, apperr.KindNotFound)
	c, err = f.Svc.StoreContent(ctx, carla, strings.NewReader("hinein"), "h.txt")
	mustOK(t, err)
	_, _, err = f.Svc.CreateDokument(ctx, carla, vr.ID, records.NewDokument{Betreff: "hinein", Typ: "Eingang"}, c)
	ntkWant(t, "carla CreateDokument in restricted Vorgang", err, apperr.KindNotFound)
	_, err = f.Svc.Restrict(ctx, zora, "vorgang", vr.ID, "vs-nfd", []string{"carla"})
	ntkField(t, "restrict to a user of another tenant", err, "berechtigte")
	if got, err := f.Svc.GetVorgang(ctx, zora, vr.ID); ntkOK(t, "zora GetVorgang", err) && !slices.Equal(got.Berechtigte, []string{"zora"}) {
		t.Errorf("berechtigte after refused change %v", got.Berechtigte)
	}
	// a user grant to carla herself does not help either
	_, err = f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TSK", User: "carla", Level: "write"})
	mustOK(t, err)
	_, err = f.Svc.GetVorgang(ctx, carla, vr.ID)
	ntkWant(t, "carla GetVorgang restricted with user grant", err, apperr.KindNotFound)
	// a restricted Dokument in an open Vorgang
	_, err = f.Svc.Restrict(ctx, zora, "dokument", d.ID, "personal", nil)
	mustOK(t, err)
	_, err = f.Svc.GetDokument(ctx, carla, d.ID)
	ntkWant(t, "carla GetDokument restricted", err, apperr.KindNotFound)
	if ntkDokumentIDs(t, f, carla, v.ID)[d.ID] {
		t.Error("carla lists the restricted Dokument")
	}
	_, err = f.Svc.RevokeGrant(ctx, zora, a.ID, gw2.ID, nil)
	mustOK(t, err)
}

// --- 3. restrictions ------------------------------------------------------------

func testNeedToKnowRestrictions(t *testing.T, f *Fixture) {
	ctx := context.Background()
	ntkUnits(t, f)
	mustOK(t, f.Svc.AssignUnit(ctx, "TFM", "bernd", "Z1", "sachbearbeitung"))
	bernd := ntkAuth(t, f, "TFM", "bernd")
	zora := ntkUser(t, f, "TFM", "zora", nil, ntkMember("Z1", "sachbearbeitung"))
	ulla := ntkUser(t, f, "TFM", "ulla", nil, ntkMember("Z1", "sachbearbeitung"))
	zach := ntkUser(t, f, "TFM", "zach", []access.Role{access.RoleLeitung}, ntkMember("Z", "abteilungsleitung"))

	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a := f.Akte(t, zora, pos.ID, "Personal Z1")
	v := f.Vorgang(t, zora, a.ID, "Disziplinarsache")
	v2 := f.Vorgang(t, zora, a.ID, "Urlaubsantrag")
	d, _ := f.Dokument(t, zora, v.ID, "Anhörung", "a.txt", []byte("Anhörung"))
	d2, _ := f.Dokument(t, zora, v2.ID, "Attest", "att.txt", []byte("Attest"))
	d3, _ := f.Dokument(t, zora, v2.ID, "Antrag", "ant.txt", []byte("Antrag"))
	for _, p := range []records.Principal{bernd, ulla, zach} {
		_, err := f.Svc.GetVorgang(ctx, p, v.ID)
		mustOK(t, err)
	}

	got, err := f.Svc.Restrict(ctx, zora, "vorgang", v.ID, "vs-nfd", []string{"bernd"})
	mustOK(t, err)
	if !slices.Equal(got, []string{"bernd", "zora"}) {
		t.Errorf("berechtigte %v, want [bernd zora] (the restricting user added)", got)
	}
	// others of the same unit (and of the unit above) no longer see it
	for _, p := range []records.Principal{ulla, zach} {
		_, err = f.Svc.GetVorgang(ctx, p, v.ID)
		ntkWant(t, p.Login+" GetVorgang restricted", err, apperr.KindNotFound)
		vs := ntkVorgangIDs(t, f, p, a.ID)
		if vs[v.ID] || !vs[v2.ID] {
			t.Errorf("%s lists %v: restricted listed or unrestricted missing", p.Login, vs)
		}
		_, err = f.Svc.ListDokumente(ctx, p, v.ID, records.Page{})
		ntkWant(t, p.Login+" ListDokumente of restricted", err, apperr.KindNotFound)
		_, err = f.Svc.GetDokument(ctx, p, d.ID)
		ntkWant(t, p.Login+" GetDokument in restricted", err, apperr.KindNotFound)
		_, err = ntkDownload(f, p, d.ID)
		ntkWant(t, p.Login+" OpenVersion in restricted", err, apperr.KindNotFound)
		_, err = f.Svc.History(ctx, p, "vorgang", v.ID, records.Page{})
		ntkWant(t, p.Login+" History restricted", err, apperr.KindNotFound)
		_, _, err = f.Svc.Lookup(ctx, p, v.Aktenzeichen)
		ntkWant(t, p.Login+" Lookup restricted", err, apperr.KindNotFound)
		_, err = f.Svc.UpdateVorgang(ctx, p, v.ID, records.VorgangPatch{Betreff: ntkPtr("x")})
		ntkWant(t, p.Login+" UpdateVorgang restricted", err, apperr.KindNotFound)
		ntkWant(t, p.Login+" CheckVorgangWritable restricted", f.Svc.CheckVorgangWritable(ctx, p, v.ID), apperr.KindNotFound)
		_, err = f.Svc.Restrict(ctx, p, "vorgang", v.ID, "", nil)
		ntkWant(t, p.Login+" lifts a restriction it cannot see", err, apperr.KindNotFound)
		// the Akte itself stays visible
		_, err = f.Svc.GetAkte(ctx, p, a.ID)
		ntkOK(t, p.Login+" GetAkte", err)
	}
	// the Berechtigte see it, with the list of Berechtigte
	for _, p := range []records.Principal{bernd, zora} {
		gv, err := f.Svc.GetVorgang(ctx, p, v.ID)
		if ntkOK(t, p.Login+" GetVorgang restricted", err) {
			if gv.Beschraenkung == nil || *gv.Beschraenkung != "vs-nfd" || !slices.Equal(gv.Berechtigte, []string{"bernd", "zora"}) {
				t.Errorf("%s sees beschraenkung %v berechtigte %v", p.Login, gv.Beschraenkung, gv.Berechtigte)
			}
		}
		if !ntkVorgangIDs(t, f, p, a.ID)[v.ID] {
			t.Errorf("%s does not list the restricted Vorgang", p.Login)
		}
		if c, err := ntkDownload(f, p, d.ID); ntkOK(t, p.Login+" OpenVersion", err) && c != "Anhörung" {
			t.Errorf("%s downloads %q", p.Login, c)
		}
	}
	if e := ntkHistory(t, f, zora, "vorgang", v.ID, "vorgang.beschraenkung"); len(e) != 1 || e[0].Actor != "zora" {
		t.Errorf("restriction audit %s", ntkEntries(e))
	}
	// invalid changes change nothing
	_, err = f.Svc.Restrict(ctx, zora, "vorgang", v.ID, "vs-nfd", []string{"bernd", "niemand"})
	ntkField(t, "unknown login", err, "berechtigte")
	_, err = f.Svc.Restrict(ctx, zora, "vorgang", v2.ID, "vs-nfd", []string{"niemand"})
	ntkField(t, "unknown login on unrestricted", err, "berechtigte")
	_, err = f.Svc.Restrict(ctx, zora, "vorgang", v2.ID, "streng-geheim", nil)
	ntkField(t, "unknown restriction", err, "beschraenkung")
	_, err = f.Svc.Restrict(ctx, f.Carla, "vorgang", v2.ID, "vs-nfd", nil)
	ntkWant(t, "other tenant restricts", err, apperr.KindNotFound)
	if gv, err := f.Svc.GetVorgang(ctx, zora, v.ID); ntkOK(t, "zora GetVorgang", err) && !slices.Equal(gv.Berechtigte, []string{"bernd", "zora"}) {
		t.Errorf("berechtigte after refused change %v", gv.Berechtigte)
	}
	if gv, err := f.Svc.GetVorgang(ctx, ulla, v2.ID); ntkOK(t, "ulla GetVorgang v2", err) && (gv.Beschraenkung != nil || len(gv.Berechtigte) != 0) {
		t.Errorf("refused restriction applied: %v %v", gv.Beschraenkung, gv.Berechtigte)
	}
	// lifting restores visibility
	got, err = f.Svc.Restrict(ctx, bernd, "vorgang", v.ID, "", nil)
	mustOK(t, err)
	if len(got) != 0 {
		t.Errorf("lifted restriction names %v", got)
	}
	if gv, err := f.Svc.GetVorgang(ctx, ulla, v.ID); ntkOK(t, "ulla GetVorgang after lifting", err) && (gv.Beschraenkung != nil || len(gv.Berechtigte) != 0) {
		t.Errorf("after lifting: %v %v", gv.Beschraenkung, gv.Berechtigte)
	}
	if !ntkVorgangIDs(t, f, ulla, a.ID)[v.ID] {
		t.Error("ulla does not list the Vorgang after lifting")
	}
	_, err = f.Svc.GetDokument(ctx, zach, d.ID)
	ntkOK(t, "zach GetDokument after lifting", err)

	// the same for a Dokument
	got, err = f.Svc.Restrict(ctx, zora, "dokument", d2.ID, "personal", []string{"ulla"})
	mustOK(t, err)
	if !slices.Equal(got, []string{"ulla", "zora"}) {
		t.Errorf("dokument berechtigte %v", got)
	}
	for _, p := range []records.Principal{bernd, zach} {
		_, err = f.Svc.GetDokument(ctx, p, d2.ID)
		ntkWant(t, p.Login+" GetDokument restricted", err, apperr.KindNotFound)
		_, err = ntkDownload(f, p, d2.ID)
		ntkWant(t, p.Login+" OpenVersion restricted", err, apperr.KindNotFound)
		_, err = f.Svc.ListVersionen(ctx, p, d2.ID)
		ntkWant(t, p.Login+" ListVersionen restricted", err, apperr.KindNotFound)
		_, err = f.Svc.History(ctx, p, "dokument", d2.ID, records.Page{})
		ntkWant(t, p.Login+" History restricted Dokument", err, apperr.KindNotFound)
		if ds := ntkDokumentIDs(t, f, p, v2.ID); ds[d2.ID] || !ds[d3.ID] {
			t.Errorf("%s lists %v: restricted listed or open one missing", p.Login, ds)
		}
		_, err = f.Svc.GetVorgang(ctx, p, v2.ID)
		ntkOK(t, p.Login+" GetVorgang of the Vorgang", err)
	}
	gd, err := f.Svc.GetDokument(ctx, ulla, d2.ID)
	if ntkOK(t, "ulla GetDokument restricted", err) {
		if gd.Beschraenkung == nil || *gd.Beschraenkung != "personal" || !slices.Equal(gd.Berechtigte, []string{"ulla", "zora"}) {
			t.Errorf("ulla sees %v %v", gd.Beschraenkung, gd.Berechtigte)
		}
	}
	if !ntkDokumentIDs(t, f, ulla, v2.ID)[d2.ID] {
		t.Error("ulla does not list the restricted Dokument")
	}
	_, err = f.Svc.Restrict(ctx, zora, "dokument", d2.ID, "personal", []string{"niemand"})
	ntkField(t, "dokument unknown login", err, "berechtigte")
	_, err = f.Svc.Restrict(ctx, zora, "dokument", d3.ID, "vs-nfd", []string{"ulla", "niemand"})
	ntkField(t, "dokument unknown login on unrestricted", err, "berechtigte")
	if gd, err := f.Svc.GetDokument(ctx, zora, d2.ID); ntkOK(t, "zora GetDokument", err) && !slices.Equal(gd.Berechtigte, []string{"ulla", "zora"}) {
		t.Errorf("dokument berechtigte after refused change %v", gd.Berechtigte)
	}
	if gd, err := f.Svc.GetDokument(ctx, bernd, d3.ID); ntkOK(t, "bernd GetDokument d3", err) && gd.Beschraenkung != nil {
		t.Errorf("refused dokument restriction applied: %v", *gd.Beschraenkung)
	}
	_, err = f.Svc.Restrict(ctx, zora, "dokument", d2.ID, "", nil)
	mustOK(t, err)
	_, err = f.Svc.GetDokument(ctx, bernd, d2.ID)
	ntkOK(t, "bernd GetDokument after lifting", err)
	if !ntkDokumentIDs(t, f, bernd, v2.ID)[d2.ID] {
		t.Error("bernd does not list the Dokument after lifting")
	}
	_, err = f.Svc.Restrict(ctx, zora, "akte", a.ID, "vs-nfd", nil)
	ntkWant(t, "restrict an unknown object type", err, apperr.KindNotFound)
}

// --- 4. Vertretung --------------------------------------------------------------

func testNeedToKnowVertretung(t *testing.T, f *Fixture) {
	ctx := context.Background()
	_, z1, _ := ntkUnits(t, f)
	mustOK(t, f.Svc.AssignUnit(ctx, "TFM", "anna", "Z1", "registratur"))
	anna := ntkAuth(t, f, "TFM", "anna")
	bernd := f.Bernd // no unit
	zora := ntkUser(t, f, "TFM", "zora", nil, ntkMember("Z2", "sachbearbeitung"))
	zeno := ntkUser(t, f, "TFM", "zeno", nil, ntkMember("Z2", "sachbearbeitung"))

	pos := f.Plan(t, anna, "121", "Ausbildung")
	a := f.Akte(t, anna, pos.ID, "Nur Z1")
	if ntkEinheit(a) != "Z1" {
		t.Fatalf("anna's Akte einheit %s", ntkEinheit(a))
	}
	_, err := f.Svc.GetAkte(ctx, bernd, a.ID)
	ntkWant(t, "bernd GetAkte before Vertretung", err, apperr.KindNotFound)
	_, err = f.Svc.ActAs(ctx, bernd, "anna")
	ntkWant(t, "ActAs without Vertretung", err, apperr.KindForbidden)

	now := f.Svc.Now()
	vt, err := f.Svc.CreateVertretung(ctx, anna, records.NewVertretung{Vertretene: "anna", Vertreter: "bernd", Von: now.Add(-time.Hour), Bis: now.Add(time.Hour)})
	mustOK(t, err)
	if vt.Vertretene != "anna" || vt.Vertreter != "bernd" || vt.VertreteneID != anna.UserID || vt.VertreterID != bernd.UserID || vt.RevokedAt != nil {
		t.Errorf("vertretung %+v", vt)
	}

	p, err := f.Svc.ActAs(ctx, bernd, "anna")
	mustOK(t, err)
	if p.UserID != anna.UserID || p.Login != "anna" || p.TenantID != anna.TenantID || p.Deputy == nil ||
		p.Deputy.UserID != bernd.UserID || p.Deputy.Login != "bernd" {
		t.Fatalf("ActAs principal %+v deputy %+v", p, p.Deputy)
	}
	if !slices.Contains(p.Units, z1.ID) || !slices.Equal(ntkSorted(p.Units), ntkSorted(anna.Units)) {
		t.Errorf("acting principal units %v, want anna's %v", p.Units, anna.Units)
	}
	if !slices.Equal(p.Roles, anna.Roles) || !slices.Equal(p.Scopes, bernd.Scopes) {
		t.Errorf("acting principal roles %v scopes %v", p.Roles, p.Scopes)
	}
	if p.Actor() != "bernd" || p.ActorID() != bernd.UserID || p.OnBehalfOf() != "anna" {
		t.Errorf("actor %s %s for %s", p.Actor(), p.ActorID(), p.OnBehalfOf())
	}
	// i.V.: anna's Akte, audited as bernd for anna
	v, err := f.Svc.CreateVorgang(ctx, p, a.ID, "i.V. angelegt", nil)
	mustOK(t, err)
	if v.CreatedBy != "bernd" {
		t.Errorf("created_by %q, want bernd", v.CreatedBy)
	}
	if e := ntkHistory(t, f, anna, "vorgang", v.ID, "vorgang.create"); len(e) != 1 || e[0].ActorID != bernd.UserID || e[0].Actor != "bernd" || e[0].OnBehalfOf != "anna" {
		t.Errorf("i.V. audit %s", ntkEntries(e))
	}
	_, err = f.Svc.UpdateAkte(ctx, p, a.ID, records.AktePatch{Titel: ntkPtr("Nur Z1 (i.V. geändert)")})
	mustOK(t, err)
	if e := ntkHistory(t, f, anna, "akte", a.ID, "akte.update"); len(e) != 1 || e[0].ActorID != bernd.UserID || e[0].Actor != "bernd" || e[0].OnBehalfOf != "anna" {
		t.Errorf("i.V. update audit %s", ntkEntries(e))
	}
	// i.V. means anna's restrictions, too
	vr := f.Vorgang(t, anna, a.ID, "Nur für anna")
	_, err = f.Svc.Restrict(ctx, anna, "vorgang", vr.ID, "vs-nfd", nil)
	mustOK(t, err)
	_, err = f.Svc.GetVorgang(ctx, p, vr.ID)
	ntkOK(t, "bernd i.V. GetVorgang restricted to anna", err)
	if !ntkVorgangIDs(t, f, p, a.ID)[vr.ID] {
		t.Error("bernd i.V. does not list anna's restricted Vorgang")
	}
	// bernd himself still does not see anna's Akte
	_, err = f.Svc.GetAkte(ctx, bernd, a.ID)
	ntkWant(t, "bernd GetAkte as himself", err, apperr.KindNotFound)
	// no chains, no new Vertretungen or tokens while acting i.V.
	_, err = f.Svc.ActAs(ctx, p, "anna")
	ntkWant(t, "chained ActAs", err, apperr.KindForbidden)
	_, err = f.Svc.CreateVertretung(ctx, p, records.NewVertretung{Vertretene: "anna", Vertreter: "zora", Von: now.Add(2 * time.Hour), Bis: now.Add(3 * time.Hour)})
	ntkWant(t, "CreateVertretung i.V.", err, apperr.KindForbidden)
	_, _, err = f.Svc.CreateTokenAs(ctx, p, "", "i.V.", nil, nil)
	ntkWant(t, "CreateTokenAs i.V.", err, apperr.KindForbidden)
	// the direction matters, and so does the person
	_, err = f.Svc.ActAs(ctx, anna, "bernd")
	ntkWant(t, "anna ActAs bernd", err, apperr.KindForbidden)
	_, err = f.Svc.ActAs(ctx, zora, "anna")
	ntkWant(t, "zora ActAs anna", err, apperr.KindForbidden)
	_, err = f.Svc.ActAs(ctx, f.Carla, "anna")
	ntkWant(t, "other tenant ActAs anna", err, apperr.KindForbidden)
	// a read-only token stays read-only i.V.
	bRead := ntkAuth(t, f, "TFM", "bernd", access.ScopeRead)
	pr, err := f.Svc.ActAs(ctx, bRead, "anna")
	mustOK(t, err)
	if !slices.Equal(pr.Scopes, []access.Scope{access.ScopeRead}) {
		t.Errorf("i.V. with read token: scopes %v", pr.Scopes)
	}
	_, err = f.Svc.GetAkte(ctx, pr, a.ID)
	ntkOK(t, "read-only i.V. GetAkte", err)
	_, err = f.Svc.CreateVorgang(ctx, pr, a.ID, "nicht erlaubt", nil)
	ntkWant(t, "read-only i.V. CreateVorgang", err, apperr.KindForbidden)

	// periods
	_, err = f.Svc.CreateVertretung(ctx, anna, records.NewVertretung{Vertretene: "anna", Vertreter: "zora", Von: now.Add(30 * time.Minute), Bis: now.Add(3 * time.Hour)})
	ntkWant(t, "overlapping Vertretung", err, apperr.KindConflict)
	_, err = f.Svc.CreateVertretung(ctx, anna, records.NewVertretung{Vertretene: "anna", Vertreter: "zora", Von: now.Add(3 * time.Hour), Bis: now.Add(2 * time.Hour)})
	ntkField(t, "bis before von", err, "bis")
	_, err = f.Svc.CreateVertretung(ctx, anna, records.NewVertretung{Vertretene: "anna", Vertreter: "zora", Von: now.Add(2 * time.Hour), Bis: now.Add(2 * time.Hour)})
	ntkField(t, "bis equals von", err, "bis")
	_, err = f.Svc.CreateVertretung(ctx, anna, records.NewVertretung{Vertretene: "anna", Vertreter: "anna", Von: now, Bis: now.Add(time.Hour)})
	ntkField(t, "self", err, "vertreter")
	_, err = f.Svc.CreateVertretung(ctx, anna, records.NewVertretung{Vertretene: "anna", Vertreter: "niemand", Von: now.Add(5 * time.Hour), Bis: now.Add(6 * time.Hour)})
	ntkField(t, "unknown vertreter", err, "vertreter")
	// a non-admin cannot set a Vertretung for someone else
	_, err = f.Svc.CreateVertretung(ctx, bernd, records.NewVertretung{Vertretene: "anna", Vertreter: "zora", Von: now.Add(5 * time.Hour), Bis: now.Add(6 * time.Hour)})
	ntkWant(t, "non-admin for someone else", err, apperr.KindForbidden)
	_, err = f.Svc.CreateVertretung(ctx, zora, records.NewVertretung{Vertretene: "zeno", Vertreter: "bernd", Von: now.Add(5 * time.Hour), Bis: now.Add(6 * time.Hour)})
	ntkWant(t, "non-admin for a colleague", err, apperr.KindForbidden)
	// the next period starts where the first ends ([von, bis) do not overlap)
	vt2, err := f.Svc.CreateVertretung(ctx, anna, records.NewVertretung{Vertretene: "anna", Vertreter: "zora", Von: now.Add(time.Hour), Bis: now.Add(3 * time.Hour)})
	mustOK(t, err)
	_, err = f.Svc.ActAs(ctx, zora, "anna")
	ntkWant(t, "ActAs before the period", err, apperr.KindForbidden)
	vs, err := f.Svc.ListVertretungen(ctx, anna)
	mustOK(t, err)
	if len(vs) != 2 {
		t.Errorf("anna (admin) lists %d Vertretungen", len(vs))
	}
	vs, err = f.Svc.ListVertretungen(ctx, zeno)
	mustOK(t, err)
	if len(vs) != 0 {
		t.Errorf("zeno lists %d Vertretungen he is not part of", len(vs))
	}

	// outside the period
	f.Clock.Advance(2 * time.Hour)
	_, err = f.Svc.ActAs(ctx, bernd, "anna")
	ntkWant(t, "ActAs after the period", err, apperr.KindForbidden)
	pz, err := f.Svc.ActAs(ctx, zora, "anna")
	mustOK(t, err)
	if pz.Deputy == nil || pz.Deputy.Login != "zora" {
		t.Errorf("second Vertretung deputy %+v", pz.Deputy)
	}
	_, err = f.Svc.GetAkte(ctx, pz, a.ID)
	ntkOK(t, "zora i.V. GetAkte", err)

	// ending: only those involved (or admins), at once, once
	ntkWant(t, "EndVertretung by an outsider", f.Svc.EndVertretung(ctx, zeno, vt2.ID), apperr.KindNotFound)
	ntkWant(t, "EndVertretung from another tenant", f.Svc.EndVertretung(ctx, f.Carla, vt2.ID), apperr.KindNotFound)
	mustOK(t, f.Svc.EndVertretung(ctx, anna, vt2.ID))
	_, err = f.Svc.ActAs(ctx, zora, "anna")
	ntkWant(t, "ActAs after EndVertretung", err, apperr.KindForbidden)
	ntkWant(t, "EndVertretung twice", f.Svc.EndVertretung(ctx, anna, vt2.ID), apperr.KindConflict)
	if e := ntkAuditOf(t, f, anna.TenantID, anna.UserID, "vertretung.end"); len(e) != 1 || e[0].Actor != "anna" {
		t.Errorf("vertretung.end audit %s", ntkEntries(e))
	}
	// an ended period no longer blocks a new one
	now = f.Svc.Now()
	_, err = f.Svc.CreateVertretung(ctx, anna, records.NewVertretung{Vertretene: "anna", Vertreter: "zeno", Von: now, Bis: now.Add(time.Hour)})
	ntkOK(t, "Vertretung after the ended one", err)
	_, err = f.Svc.ActAs(ctx, zeno, "anna")
	ntkOK(t, "zeno ActAs anna", err)
	// a user sets his own deputy
	_, err = f.Svc.CreateVertretung(ctx, zora, records.NewVertretung{Vertretene: "zora", Vertreter: "zeno", Von: now, Bis: now.Add(time.Hour)})
	ntkOK(t, "zora sets her own deputy", err)
}

// --- 5. token scopes ------------------------------------------------------------

func testTokenScopes(t *testing.T, f *Fixture) {
	ctx := context.Background()
	ntkUnits(t, f)
	zora := ntkUser(t, f, "TFM", "zora", nil, ntkMember("Z1", "sachbearbeitung"))
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a := f.Akte(t, f.Bernd, pos.ID, "Akte")
	v := f.Vorgang(t, f.Bernd, a.ID, "Vorgang")
	d, _ := f.Dokument(t, f.Bernd, v.ID, "Dok", "d.txt", []byte("lesbar"))

	// tokens without scopes have all of them
	if !slices.Equal(f.Bernd.Scopes, access.AllScopes) || !access.Can(f.Bernd, access.Create) {
		t.Errorf("full token scopes %v", f.Bernd.Scopes)
	}
	plain, tok, err := f.Svc.CreateToken(ctx, "TFM", "bernd", "nur lesen", 0, access.ScopeRead)
	mustOK(t, err)
	if !slices.Equal(tok.Scopes, []access.Scope{access.ScopeRead}) {
		t.Errorf("token scopes %v", tok.Scopes)
	}
	pr, err := f.Svc.Authenticate(ctx, plain)
	mustOK(t, err)
	if !slices.Equal(pr.Scopes, []access.Scope{access.ScopeRead}) || pr.UserID != f.Bernd.UserID {
		t.Fatalf("read token principal scopes %v", pr.Scopes)
	}
	if access.Can(pr, access.Create) || access.Can(pr, access.Edit) || !access.Can(pr, access.ReadMetadata) || !access.Can(pr, access.ReadContent) {
		t.Errorf("Can with read scope: create %v edit %v read %v", access.Can(pr, access.Create), access.Can(pr, access.Edit), access.Can(pr, access.ReadMetadata))
	}
	_, err = f.Svc.GetAkte(ctx, pr, a.ID)
	ntkOK(t, "read token GetAkte", err)
	if c, err := ntkDownload(f, pr, d.ID); ntkOK(t, "read token OpenVersion", err) && c != "lesbar" {
		t.Errorf("read token downloads %q", c)
	}
	ntkListed(t, f, pr, a.ID, true)
	_, err = f.Svc.CreateAkte(ctx, pr, records.NewAkte{AktenplanID: pos.ID, Titel: "mit Lesetoken"})
	ntkWant(t, "read token CreateAkte", err, apperr.KindForbidden)
	_, err = f.Svc.CreateVorgang(ctx, pr, a.ID, "mit Lesetoken", nil)
	ntkWant(t, "read token CreateVorgang", err, apperr.KindForbidden)
	_, err = f.Svc.UpdateAkte(ctx, pr, a.ID, records.AktePatch{Titel: ntkPtr("mit Lesetoken")})
	ntkWant(t, "read token UpdateAkte", err, apperr.KindForbidden)
	_, err = f.Svc.StoreContent(ctx, pr, strings.NewReader("x"), "x.txt")
	ntkWant(t, "read token StoreContent", err, apperr.KindForbidden)
	_, err = f.Svc.CloseAkte(ctx, pr, a.ID)
	ntkWant(t, "read token CloseAkte", err, apperr.KindForbidden)
	_, err = f.Svc.Grant(ctx, pr, a.ID, records.NewGrant{Tenant: "TSK", Level: "read"})
	ntkWant(t, "read token Grant", err, apperr.KindForbidden)
	if got, err := f.Svc.GetAkte(ctx, f.Bernd, a.ID); ntkOK(t, "GetAkte", err) && got.Titel != "Akte" {
		t.Errorf("read token changed the title to %q", got.Titel)
	}

	// a token never gets more scopes than the one that creates it
	_, _, err = f.Svc.CreateTokenAs(ctx, pr, "", "mehr", nil, []access.Scope{access.ScopeWrite})
	ntkField(t, "read token asks for write", err, "scopes")
	_, _, err = f.Svc.CreateTokenAs(ctx, pr, "", "mehr", nil, []access.Scope{access.ScopeRead, access.ScopeAudit})
	ntkField(t, "read token asks for audit", err, "scopes")
	_, _, err = f.Svc.CreateTokenAs(ctx, f.Bernd, "", "falsch", nil, []access.Scope{"alles"})
	ntkField(t, "unknown scope", err, "scopes")
	// an empty list (JSON "scopes": []) must not mean "all scopes" either
	empty, _, err := f.Svc.CreateTokenAs(ctx, pr, "", "leer", nil, []access.Scope{})
	if err != nil {
		ntkField(t, "read token asks for empty scopes", err, "scopes")
	} else if p2, err := f.Svc.Authenticate(ctx, empty); ntkOK(t, "token with empty scopes", err) && !slices.Equal(p2.Scopes, []access.Scope{access.ScopeRead}) {
		t.Errorf("read token created a token with scopes %v via an empty scope list (escalation)", p2.Scopes)
	}
	inherit, _, err := f.Svc.CreateTokenAs(ctx, pr, "", "geerbt", nil, nil)
	mustOK(t, err)
	if p2, err := f.Svc.Authenticate(ctx, inherit); ntkOK(t, "inherited token", err) && !slices.Equal(p2.Scopes, []access.Scope{access.ScopeRead}) {
		t.Errorf("token created by a read token has scopes %v", p2.Scopes)
	}
	ww, _, err := f.Svc.CreateTokenAs(ctx, f.Bernd, "", "schreiben", nil, []access.Scope{access.ScopeRead, access.ScopeWrite})
	mustOK(t, err)
	if pw, err := f.Svc.Authenticate(ctx, ww); ntkOK(t, "read+write token", err) {
		if access.Can(pw, access.ManageUsers) || !access.Can(pw, access.Create) {
			t.Errorf("read+write token scopes %v", pw.Scopes)
		}
		_, err = f.Svc.CreateVorgang(ctx, pw, a.ID, "mit Schreibtoken", nil)
		ntkOK(t, "read+write token CreateVorgang", err)
	}
	// an admin's read-only token cannot administrate
	annaRead := ntkAuth(t, f, "TFM", "anna", access.ScopeRead)
	_, err = f.Svc.UpdateUserAs(ctx, annaRead, "bernd", records.UserPatch{Name: ntkPtr("Bernd B.")})
	ntkWant(t, "admin read token UpdateUserAs", err, apperr.KindForbidden)
	_, _, err = f.Svc.CreateTokenAs(ctx, annaRead, "bernd", "für bernd", nil, nil)
	ntkWant(t, "admin read token CreateTokenAs for another", err, apperr.KindForbidden)

	// revocation: 404 for other non-admins, works for the owner
	plain2, tok2, err := f.Svc.CreateToken(ctx, "TFM", "bernd", "zum Widerrufen", 0)
	mustOK(t, err)
	ntkWant(t, "zora revokes bernd's token", f.Svc.RevokeTokenAs(ctx, zora, tok2.ID), apperr.KindNotFound)
	ntkWant(t, "carla revokes bernd's token", f.Svc.RevokeTokenAs(ctx, f.Carla, tok2.ID), apperr.KindNotFound)
	_, err = f.Svc.Authenticate(ctx, plain2)
	ntkOK(t, "token after refused revocations", err)
	mustOK(t, f.Svc.RevokeTokenAs(ctx, f.Bernd, tok2.ID))
	_, err = f.Svc.Authenticate(ctx, plain2)
	ntkWant(t, "revoked token", err, apperr.KindUnauthorized)
	ntkWant(t, "revoke twice", f.Svc.RevokeTokenAs(ctx, f.Bernd, tok2.ID), apperr.KindNotFound)
	// an admin of the tenant may revoke it; an admin of another tenant may not
	tina := ntkUser(t, f, "TSK", "tina", []access.Role{access.RoleAdmin})
	ntkWant(t, "admin of another tenant revokes", f.Svc.RevokeTokenAs(ctx, tina, tok.ID), apperr.KindNotFound)
	_, err = f.Svc.Authenticate(ctx, plain)
	ntkOK(t, "token after other tenant's revocation", err)
	mustOK(t, f.Svc.RevokeTokenAs(ctx, f.Anna, tok.ID))
	_, err = f.Svc.Authenticate(ctx, plain)
	ntkWant(t, "token revoked by admin", err, apperr.KindUnauthorized)
	// tokens of others are listed only for admins
	_, err = f.Svc.ListTokensAs(ctx, zora, "bernd")
	ntkWant(t, "zora lists bernd's tokens", err, apperr.KindForbidden)
	toks, err := f.Svc.ListTokensAs(ctx, f.Anna, "bernd")
	mustOK(t, err)
	revoked := 0
	for _, k := range toks {
		if k.RevokedAt != nil {
			revoked++
		}
	}
	if revoked != 2 {
		t.Errorf("%d of bernd's tokens revoked, want 2", revoked)
	}
}

// --- 6. deactivation through the admin API --------------------------------------

func testUserDeactivationAPI(t *testing.T, f *Fixture) {
	ctx := context.Background()
	plain, _, err := f.Svc.CreateToken(ctx, "TFM", "bernd", "t", 0)
	mustOK(t, err)
	_, err = f.Svc.Authenticate(ctx, plain)
	mustOK(t, err)
	off, on := false, true
	_, err = f.Svc.UpdateUserAs(ctx, f.Bernd, "anna", records.UserPatch{Active: &off})
	ntkWant(t, "non-admin deactivates", err, apperr.KindForbidden)
	_, err = f.Svc.UpdateUserAs(ctx, f.Anna, "anna", records.UserPatch{Active: &off})
	ntkField(t, "admin deactivates herself", err, "aktiv")
	tina := ntkUser(t, f, "TSK", "tina", []access.Role{access.RoleAdmin})
	_, err = f.Svc.UpdateUserAs(ctx, tina, "bernd", records.UserPatch{Active: &off})
	ntkWant(t, "admin of another tenant deactivates", err, apperr.KindNotFound)
	_, err = f.Svc.Authenticate(ctx, plain)
	ntkOK(t, "token after refused deactivations", err)

	u, err := f.Svc.UpdateUserAs(ctx, f.Anna, "bernd", records.UserPatch{Active: &off})
	mustOK(t, err)
	if u.Active {
		t.Error("UpdateUserAs returned an active user")
	}
	_, err = f.Svc.Authenticate(ctx, plain)
	ntkWant(t, "token of deactivated user", err, apperr.KindUnauthorized)
	_, err = f.Svc.PrincipalFor(ctx, f.Bernd.TenantID, f.Bernd.UserID)
	ntkWant(t, "session of deactivated user", err, apperr.KindUnauthorized)
	_, _, err = f.Svc.CreateTokenAs(ctx, f.Anna, "bernd", "neu", nil, nil)
	ntkWant(t, "token for deactivated user", err, apperr.KindConflict)
	// a deactivated user can be named neither as grantee, Berechtigter nor deputy
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a := f.Akte(t, f.Anna, pos.ID, "Akte")
	v := f.Vorgang(t, f.Anna, a.ID, "Vorgang")
	_, err = f.Svc.Grant(ctx, f.Anna, a.ID, records.NewGrant{User: "bernd", Level: "read"})
	ntkField(t, "grant to deactivated user", err, "user")
	_, err = f.Svc.Restrict(ctx, f.Anna, "vorgang", v.ID, "vs-nfd", []string{"bernd"})
	ntkField(t, "restrict to deactivated user", err, "berechtigte")
	now := f.Svc.Now()
	_, err = f.Svc.CreateVertretung(ctx, f.Anna, records.NewVertretung{Vertretene: "anna", Vertreter: "bernd", Von: now, Bis: now.Add(time.Hour)})
	ntkField(t, "deactivated deputy", err, "vertreter")
	if e := ntkAuditOf(t, f, f.Anna.TenantID, f.Bernd.UserID, "user.update"); len(e) != 1 || e[0].Actor != "anna" || !strings.Contains(string(e[0].Changes), `"aktiv"`) {
		t.Errorf("deactivation audit %s", ntkEntries(e))
	}

	// reactivation restores the token
	u, err = f.Svc.UpdateUserAs(ctx, f.Anna, "bernd", records.UserPatch{Active: &on})
	mustOK(t, err)
	if !u.Active {
		t.Error("UpdateUserAs returned an inactive user")
	}
	p, err := f.Svc.Authenticate(ctx, plain)
	if ntkOK(t, "token after reactivation", err) && p.UserID != f.Bernd.UserID {
		t.Errorf("token resolves to %s", p.Login)
	}
}
