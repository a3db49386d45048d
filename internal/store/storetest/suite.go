package storetest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/blob"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/sqldb"
)

// Fixture is a service on a fresh store with two tenants and users.
type Fixture struct {
	DB    *sqldb.DB
	Svc   *records.Service
	Blobs *blob.Local
	Clock *Clock
	// TFM: anna (admin, registratur), bernd (sachbearbeitung); TSK: carla (registratur)
	Anna, Bernd, Carla records.Principal
}

// Clock is a settable test clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// NewFixture builds a Fixture on a store from open.
func NewFixture(t testing.TB, open Opener) *Fixture {
	t.Helper()
	ctx := context.Background()
	db := open(t)
	bs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	clock := &Clock{t: time.Date(2026, 3, 15, 9, 30, 0, 123456789, time.UTC)}
	svc := records.NewService(db, bs, records.Options{Now: clock.Now, MaxUpload: 1 << 20})
	f := &Fixture{DB: db, Svc: svc, Blobs: bs, Clock: clock}
	mustOK(t, func() error { _, err := svc.CreateTenant(ctx, "TFM", "Thüringer Finanzministerium"); return err }())
	mustOK(t, func() error { _, err := svc.CreateTenant(ctx, "TSK", "Thüringer Staatskanzlei"); return err }())
	f.Anna = f.user(t, "TFM", "anna", access.RoleAdmin, access.RoleRegistratur)
	f.Bernd = f.user(t, "TFM", "bernd", access.RoleSachbearbeitung)
	f.Carla = f.user(t, "TSK", "carla", access.RoleRegistratur)
	return f
}

func (f *Fixture) user(t testing.TB, tenant, login string, roles ...access.Role) records.Principal {
	t.Helper()
	ctx := context.Background()
	if _, err := f.Svc.CreateUser(ctx, tenant, login, strings.ToUpper(login[:1])+login[1:], roles); err != nil {
		t.Fatal(err)
	}
	tok, _, err := f.Svc.CreateToken(ctx, tenant, login, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Svc.Authenticate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKind(t testing.TB, err error, k apperr.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error of kind %d, got nil", k)
	}
	if got := apperr.KindOf(err); got != k {
		t.Fatalf("want error kind %d, got %d: %v", k, got, err)
	}
}

func wantField(t testing.TB, err error, field string) {
	t.Helper()
	wantKind(t, err, apperr.KindInvalid)
	e, _ := apperr.As(err)
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v does not name field %q", err, field)
}

// Chain links all pending audit entries (the server's chainer does this
// shortly after each commit).
func (f *Fixture) Chain(t testing.TB) {
	t.Helper()
	_, err := f.Svc.ChainAllPending(context.Background())
	mustOK(t, err)
}

// Plan creates an Aktenplan position.
func (f *Fixture) Plan(t testing.TB, p records.Principal, kz, titel string) records.AktenplanEintrag {
	t.Helper()
	e, err := f.Svc.CreateAktenplan(context.Background(), p, records.NewAktenplan{Kennzeichen: kz, Titel: titel})
	mustOK(t, err)
	return e
}

// Akte creates an Akte.
func (f *Fixture) Akte(t testing.TB, p records.Principal, planID, titel string) records.Akte {
	t.Helper()
	a, err := f.Svc.CreateAkte(context.Background(), p, records.NewAkte{AktenplanID: planID, Titel: titel})
	mustOK(t, err)
	return a
}

// Vorgang creates a Vorgang.
func (f *Fixture) Vorgang(t testing.TB, p records.Principal, akteID, betreff string) records.Vorgang {
	t.Helper()
	v, err := f.Svc.CreateVorgang(context.Background(), p, akteID, betreff, nil)
	mustOK(t, err)
	return v
}

// Dokument creates a Dokument with content.
func (f *Fixture) Dokument(t testing.TB, p records.Principal, vorgangID, betreff, name string, content []byte) (records.Dokument, records.Version) {
	t.Helper()
	ctx := context.Background()
	c, err := f.Svc.StoreContent(ctx, p, bytes.NewReader(content), name)
	mustOK(t, err)
	d, v, err := f.Svc.CreateDokument(ctx, p, vorgangID, records.NewDokument{Betreff: betreff, Typ: "Eingang"}, c)
	mustOK(t, err)
	return d, v
}

// Case is one behaviour of the conformance suite.
type Case struct {
	Name string
	Fn   func(*testing.T, *Fixture)
}

// moreCases are behaviours of further areas (access, sign-in, audit query),
// registered in init by their files in this package.
var moreCases []Case

// Run runs the whole conformance suite against a backend.
func Run(t *testing.T, open Opener) {
	tests := []Case{
		{"TenantsUsersTokens", testTenantsUsersTokens},
		{"TenantPatterns", testTenantPatterns},
		{"UnitsAndDeactivation", testUnitsAndDeactivation},
		{"Aktenplan", testAktenplan},
		{"AktenzeichenAndIsolation", testAktenzeichenAndIsolation},
		{"ConcurrentAktenzeichen", testConcurrentAktenzeichen},
		{"DokumentVersions", testDokumentVersions},
		{"ZdA", testZdA},
		{"MoveAndRefile", testMoveAndRefile},
		{"Pagination", testPagination},
		{"Validation", testValidation},
		{"AuditChain", testAuditChain},
		{"AuditTamper", testAuditTamper},
		{"AuditConcurrentChaining", testAuditConcurrentChaining},
		{"Fsck", testFsck},
	}
	for _, tc := range append(tests, moreCases...) {
		t.Run(tc.Name, func(t *testing.T) {
			tc.Fn(t, NewFixture(t, open))
		})
	}
}

func testTenantsUsersTokens(t *testing.T, f *Fixture) {
	ctx := context.Background()
	_, err := f.Svc.CreateTenant(ctx, "TFM", "nochmal")
	wantKind(t, err, apperr.KindConflict)
	_, err = f.Svc.CreateTenant(ctx, "tfm", "")
	wantField(t, err, "code")
	_, err = f.Svc.CreateUser(ctx, "TFM", "anna", "Anna Zwei", nil)
	wantKind(t, err, apperr.KindConflict)
	// the same login in another tenant is a different user
	_, err = f.Svc.CreateUser(ctx, "TSK", "anna", "Anna Staatskanzlei", nil)
	mustOK(t, err)
	_, err = f.Svc.CreateUser(ctx, "TFM", "xaver", "Xaver", []access.Role{"hausmeister"})
	wantField(t, err, "role")
	_, err = f.Svc.CreateUser(ctx, "NOPE", "xaver", "Xaver", nil)
	wantKind(t, err, apperr.KindNotFound)

	if f.Anna.TenantCode != "TFM" || f.Anna.Login != "anna" || !access.Can(f.Anna, access.ManageUsers) {
		t.Fatalf("principal %+v", f.Anna)
	}
	_, err = f.Svc.Authenticate(ctx, "awk_doesnotexist")
	wantKind(t, err, apperr.KindUnauthorized)
	tok, _, err := f.Svc.CreateToken(ctx, "TFM", "bernd", "kurz", time.Hour)
	mustOK(t, err)
	_, err = f.Svc.Authenticate(ctx, tok)
	mustOK(t, err)
	f.Clock.Advance(2 * time.Hour)
	_, err = f.Svc.Authenticate(ctx, tok)
	wantKind(t, err, apperr.KindUnauthorized)
	// tokens are stored hashed
	var n int
	mustOK(t, f.DB.Writer().QueryRow(sqlRebind(f.DB, `SELECT COUNT(*) FROM api_tokens WHERE hash = ?`), tok).Scan(&n))
	if n != 0 {
		t.Fatal("token stored in plain text")
	}
	mustOK(t, f.DB.Writer().QueryRow(sqlRebind(f.DB, `SELECT COUNT(*) FROM api_tokens WHERE hash = ?`), records.HashToken(tok)).Scan(&n))
	if n != 1 {
		t.Fatal("token hash not stored")
	}
}

func testTenantPatterns(t *testing.T, f *Fixture) {
	ctx := context.Background()
	_, err := f.Svc.CreateTenantWith(ctx, records.NewTenant{Code: "KOM", Name: "Stadt", AzPattern: "{tenant}-{kennzeichen}"})
	wantField(t, err, "aktenzeichen_muster")
	_, err = f.Svc.CreateTenantWith(ctx, records.NewTenant{Code: "KOM", Name: "Stadt", VorgangPattern: "{akte}-{farbe}-{serial}"})
	wantField(t, err, "vorgang_muster")
	ten, err := f.Svc.CreateTenantWith(ctx, records.NewTenant{Code: "KOM", Name: "Stadt Musterhausen",
		AzPattern: "{kennzeichen}/{serial:5}/{year}", VorgangPattern: "{akte}.{serial:2}"})
	mustOK(t, err)
	if ten.AzPattern != "{kennzeichen}/{serial:5}/{year}" {
		t.Fatal(ten.AzPattern)
	}
	kom := f.user(t, "KOM", "doris", access.RoleRegistratur)
	pos := f.Plan(t, kom, "61", "Bauordnung")
	a := f.Akte(t, kom, pos.ID, "Bauantrag")
	v := f.Vorgang(t, kom, a.ID, "Nachforderung")
	if a.Aktenzeichen != "61/00001/2026" || v.Aktenzeichen != "61/00001/2026.01" {
		t.Fatalf("custom patterns: %s %s", a.Aktenzeichen, v.Aktenzeichen)
	}
	// a changed pattern applies to new Akten; issued ones stay
	np := "{tenant}-{kennzeichen}-{serial:3}"
	_, err = f.Svc.UpdateTenant(ctx, "KOM", records.TenantPatch{AzPattern: &np})
	mustOK(t, err)
	a2 := f.Akte(t, kom, pos.ID, "Zweiter Bauantrag")
	if a2.Aktenzeichen != "KOM-61-001" {
		t.Fatal(a2.Aktenzeichen)
	}
	got, err := f.Svc.GetAkte(ctx, kom, a.ID)
	mustOK(t, err)
	if got.Aktenzeichen != "61/00001/2026" {
		t.Fatal("issued Aktenzeichen changed")
	}
	bad := "{tenant}"
	_, err = f.Svc.UpdateTenant(ctx, "KOM", records.TenantPatch{AzPattern: &bad})
	wantField(t, err, "aktenzeichen_muster")
}

func testUnitsAndDeactivation(t *testing.T, f *Fixture) {
	ctx := context.Background()
	z, err := f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z", Name: "Zentralabteilung", Typ: "abteilung"})
	mustOK(t, err)
	z1, err := f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z1", Name: "Referat Personal", Typ: "referat", Parent: "Z"})
	mustOK(t, err)
	if z1.ParentID == nil || *z1.ParentID != z.ID {
		t.Fatalf("parent %+v", z1)
	}
	_, err = f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z", Name: "doppelt", Typ: "abteilung"})
	wantKind(t, err, apperr.KindConflict)
	_, err = f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z2", Name: "x", Typ: "abteilung", Parent: "NIX"})
	wantField(t, err, "parent")
	_, err = f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z 3", Name: "", Typ: "kantine"})
	wantField(t, err, "kennung")
	wantField(t, err, "typ")
	// a unit of another tenant is not a parent here
	_, err = f.Svc.CreateUnit(ctx, "TSK", records.NewUnit{Kennung: "S", Name: "Staatskanzlei S", Typ: "abteilung"})
	mustOK(t, err)
	_, err = f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z4", Name: "x", Typ: "referat", Parent: "S"})
	wantField(t, err, "parent")
	mustOK(t, f.Svc.AssignUnit(ctx, "TFM", "bernd", "Z1", "sachbearbeitung"))
	mustOK(t, f.Svc.AssignUnit(ctx, "TFM", "bernd", "Z", "registratur"))
	wantKind(t, f.Svc.AssignUnit(ctx, "TFM", "bernd", "Z1", "sachbearbeitung"), apperr.KindConflict)
	wantField(t, f.Svc.AssignUnit(ctx, "TFM", "bernd", "S", "sachbearbeitung"), "unit")
	wantField(t, f.Svc.AssignUnit(ctx, "TFM", "bernd", "Z", "kaiser"), "position")
	ms, err := f.Svc.Memberships(ctx, "TFM", "bernd")
	mustOK(t, err)
	if len(ms) != 2 || ms[0].Kennung != "Z" || ms[0].Position != "registratur" || ms[1].Kennung != "Z1" {
		t.Fatalf("memberships %+v", ms)
	}
	us, err := f.Svc.ListUnits(ctx, "TFM")
	mustOK(t, err)
	if len(us) != 2 {
		t.Fatalf("units %+v", us)
	}
	// deactivation: tokens stop working at once, reactivation restores them
	tok, _, err := f.Svc.CreateToken(ctx, "TFM", "bernd", "t", 0)
	mustOK(t, err)
	mustOK(t, f.Svc.SetUserActive(ctx, "TFM", "bernd", false))
	_, err = f.Svc.Authenticate(ctx, tok)
	wantKind(t, err, apperr.KindUnauthorized)
	_, _, err = f.Svc.CreateToken(ctx, "TFM", "bernd", "t2", 0)
	wantKind(t, err, apperr.KindConflict)
	mustOK(t, f.Svc.SetUserActive(ctx, "TFM", "bernd", true))
	_, err = f.Svc.Authenticate(ctx, tok)
	mustOK(t, err)
	// revocation: listed without secrets, effective at once, only once, only in its tenant
	toks, err := f.Svc.ListTokens(ctx, "TFM", "bernd")
	mustOK(t, err)
	if len(toks) != 2 || toks[1].Name != "t" || toks[1].RevokedAt != nil {
		t.Fatalf("tokens %+v", toks)
	}
	wantKind(t, f.Svc.RevokeToken(ctx, "TSK", toks[1].ID), apperr.KindNotFound)
	mustOK(t, f.Svc.RevokeToken(ctx, "TFM", toks[1].ID))
	_, err = f.Svc.Authenticate(ctx, tok)
	wantKind(t, err, apperr.KindUnauthorized)
	wantKind(t, f.Svc.RevokeToken(ctx, "TFM", toks[1].ID), apperr.KindNotFound)
	toks, err = f.Svc.ListTokens(ctx, "TFM", "bernd")
	mustOK(t, err)
	if toks[1].RevokedAt == nil || toks[0].RevokedAt != nil {
		t.Fatalf("after revoke %+v", toks)
	}
	f.Chain(t)
	rep, err := f.Svc.VerifyAudit(ctx)
	mustOK(t, err)
	if len(rep.Breaks) != 0 {
		t.Fatal(rep.Breaks)
	}
}

func sqlRebind(db *sqldb.DB, q string) string {
	if db.Backend() != "postgres" {
		return q
	}
	n := 0
	var b strings.Builder
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func testAktenplan(t *testing.T, f *Fixture) {
	ctx := context.Background()
	root := f.Plan(t, f.Anna, "1", "Organisation")
	ten := 10
	child, err := f.Svc.CreateAktenplan(ctx, f.Anna, records.NewAktenplan{ParentID: &root.ID, Kennzeichen: "12", Titel: "Personal", Aufbewahrung: &ten, Archiv: records.ArchivBewerten})
	mustOK(t, err)
	if child.ParentID == nil || *child.ParentID != root.ID || *child.Aufbewahrung != 10 {
		t.Fatalf("child %+v", child)
	}
	// duplicate Kennzeichen
	_, err = f.Svc.CreateAktenplan(ctx, f.Anna, records.NewAktenplan{Kennzeichen: "12", Titel: "x"})
	wantKind(t, err, apperr.KindConflict)
	// same Kennzeichen in another tenant is fine
	f.Plan(t, f.Carla, "12", "Personal TSK")
	// a parent of another tenant is not found
	tskRoot := f.Plan(t, f.Carla, "1", "Organisation TSK")
	_, err = f.Svc.CreateAktenplan(ctx, f.Anna, records.NewAktenplan{ParentID: &tskRoot.ID, Kennzeichen: "19", Titel: "x"})
	wantField(t, err, "parent_id")
	// Sachbearbeitung may not manage the Aktenplan
	_, err = f.Svc.CreateAktenplan(ctx, f.Bernd, records.NewAktenplan{Kennzeichen: "2", Titel: "x"})
	wantKind(t, err, apperr.KindForbidden)
	// rename is audited with before/after
	neu := "Personalangelegenheiten"
	got, err := f.Svc.UpdateAktenplan(ctx, f.Anna, child.ID, records.AktenplanPatch{Titel: &neu})
	mustOK(t, err)
	if got.Titel != neu {
		t.Fatal(got.Titel)
	}
	hist, err := f.Svc.History(ctx, f.Anna, "aktenplan", child.ID, records.Page{})
	mustOK(t, err)
	if len(hist) != 2 || hist[1].Action != "aktenplan.update" || !strings.Contains(string(hist[1].Changes), `"before":"Personal"`) {
		t.Fatalf("history %+v", hist)
	}
	// an Akte hangs on it: delete refused, close prevents new Akten
	f.Akte(t, f.Bernd, child.ID, "Ausbildung 2026")
	wantKind(t, f.Svc.DeleteAktenplan(ctx, f.Anna, child.ID), apperr.KindConflict)
	wantKind(t, f.Svc.DeleteAktenplan(ctx, f.Anna, root.ID), apperr.KindConflict)
	yes := true
	_, err = f.Svc.UpdateAktenplan(ctx, f.Anna, child.ID, records.AktenplanPatch{Geschlossen: &yes})
	mustOK(t, err)
	_, err = f.Svc.CreateAkte(ctx, f.Bernd, records.NewAkte{AktenplanID: child.ID, Titel: "zu spät"})
	wantKind(t, err, apperr.KindConflict)
	// an empty position can be deleted
	leer := f.Plan(t, f.Anna, "9", "Leer")
	mustOK(t, f.Svc.DeleteAktenplan(ctx, f.Anna, leer.ID))
	_, err = f.Svc.GetAktenplan(ctx, f.Anna, leer.ID)
	wantKind(t, err, apperr.KindNotFound)
	list, err := f.Svc.ListAktenplan(ctx, f.Anna)
	mustOK(t, err)
	if len(list) != 2 || list[0].Kennzeichen != "1" || list[1].Kennzeichen != "12" {
		t.Fatalf("list %+v", list)
	}
}

func testAktenzeichenAndIsolation(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a1 := f.Akte(t, f.Bernd, pos.ID, "Ausbildungsplätze 2026")
	a2 := f.Akte(t, f.Bernd, pos.ID, "Praktika")
	if a1.Aktenzeichen != "TFM-121-2026/0001" || a2.Aktenzeichen != "TFM-121-2026/0002" {
		t.Fatalf("aktenzeichen %s %s", a1.Aktenzeichen, a2.Aktenzeichen)
	}
	v1 := f.Vorgang(t, f.Bernd, a1.ID, "Antrag Müller")
	v2 := f.Vorgang(t, f.Bernd, a1.ID, "Antrag Schulz")
	if v1.Aktenzeichen != "TFM-121-2026/0001-001" || v2.Aktenzeichen != "TFM-121-2026/0001-002" {
		t.Fatalf("vorgang az %s %s", v1.Aktenzeichen, v2.Aktenzeichen)
	}
	// the next year starts a new serial
	f.Clock.Advance(365 * 24 * time.Hour)
	a3 := f.Akte(t, f.Bernd, pos.ID, "Ausbildungsplätze 2027")
	if a3.Aktenzeichen != "TFM-121-2027/0001" {
		t.Fatal(a3.Aktenzeichen)
	}
	// metadata round trip with types
	meta := records.Metadata{"foerdersumme": 12000.5, "eilig": true, "antragsteller": "Müller", "leer": nil}
	a4, err := f.Svc.CreateAkte(ctx, f.Bernd, records.NewAkte{AktenplanID: pos.ID, Titel: "Mit Metadaten", Metadaten: meta})
	mustOK(t, err)
	got, err := f.Svc.GetAkte(ctx, f.Bernd, a4.ID)
	mustOK(t, err)
	if got.Metadaten["foerdersumme"] != 12000.5 || got.Metadaten["eilig"] != true || got.Metadaten["antragsteller"] != "Müller" {
		t.Fatalf("metadaten %#v", got.Metadaten)
	}
	if !got.CreatedAt.Equal(a4.CreatedAt) {
		t.Fatalf("created_at %v != %v", got.CreatedAt, a4.CreatedAt)
	}
	// another tenant sees nothing: not found, never forbidden
	_, err = f.Svc.GetAkte(ctx, f.Carla, a1.ID)
	wantKind(t, err, apperr.KindNotFound)
	_, err = f.Svc.GetVorgang(ctx, f.Carla, v1.ID)
	wantKind(t, err, apperr.KindNotFound)
	_, err = f.Svc.CreateVorgang(ctx, f.Carla, a1.ID, "eingeschleust", nil)
	wantKind(t, err, apperr.KindNotFound)
	_, err = f.Svc.CreateAkte(ctx, f.Carla, records.NewAkte{AktenplanID: pos.ID, Titel: "fremd"})
	wantField(t, err, "aktenplan_id")
	_, err = f.Svc.CloseAkte(ctx, f.Carla, a1.ID)
	wantKind(t, err, apperr.KindNotFound)
	_, err = f.Svc.History(ctx, f.Carla, "akte", a1.ID, records.Page{})
	wantKind(t, err, apperr.KindNotFound)
	_, _, err = f.Svc.Lookup(ctx, f.Carla, a1.Aktenzeichen)
	wantKind(t, err, apperr.KindNotFound)
	list, err := f.Svc.ListAkten(ctx, f.Carla, records.AkteFilter{}, records.Page{})
	mustOK(t, err)
	if len(list) != 0 {
		t.Fatalf("TSK sees %d TFM Akten", len(list))
	}
	typ, id, err := f.Svc.Lookup(ctx, f.Anna, v2.Aktenzeichen)
	mustOK(t, err)
	if typ != "vorgang" || id != v2.ID {
		t.Fatal(typ, id)
	}
}

func testConcurrentAktenzeichen(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	const n = 24
	var wg sync.WaitGroup
	azs := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := f.Svc.CreateAkte(ctx, f.Bernd, records.NewAkte{AktenplanID: pos.ID, Titel: fmt.Sprintf("Akte %d", i)})
			azs[i], errs[i] = a.Aktenzeichen, err
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		mustOK(t, errs[i])
		if seen[azs[i]] {
			t.Fatalf("aktenzeichen %s issued twice", azs[i])
		}
		seen[azs[i]] = true
	}
	for i := 1; i <= n; i++ {
		if az := fmt.Sprintf("TFM-121-2026/%04d", i); !seen[az] {
			t.Fatalf("gap: %s missing", az)
		}
	}
	f.Chain(t)
	rep, err := f.Svc.VerifyAudit(ctx)
	mustOK(t, err)
	if len(rep.Breaks) != 0 || rep.Pending != 0 {
		t.Fatal(rep.Breaks, rep.Pending)
	}
}

func readAll(t testing.TB, f blob.File) []byte {
	t.Helper()
	defer f.Close()
	b, err := io.ReadAll(f)
	mustOK(t, err)
	return b
}

func testDokumentVersions(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a := f.Akte(t, f.Bernd, pos.ID, "Akte")
	v := f.Vorgang(t, f.Bernd, a.ID, "Vorgang")
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	d, v1, err := func() (records.Dokument, records.Version, error) {
		c, err := f.Svc.StoreContent(ctx, f.Bernd, bytes.NewReader(pdf), "C:\\Users\\bernd\\Bescheid_Müller.pdf")
		if err != nil {
			return records.Dokument{}, records.Version{}, err
		}
		dd := "2026-03-01"
		return f.Svc.CreateDokument(ctx, f.Bernd, v.ID, records.NewDokument{Betreff: "Bescheid", Typ: "Bescheid", Absender: "TFM", Empfaenger: "Herr Müller", Dokumentdatum: &dd}, c)
	}()
	mustOK(t, err)
	if v1.Nummer != 1 || v1.MimeType != "application/pdf" || v1.Dateiname != "Bescheid_Müller.pdf" || v1.Size != int64(len(pdf)) || len(v1.SHA256) != 64 {
		t.Fatalf("version %+v", v1)
	}
	if d.Dokumentdatum == nil || *d.Dokumentdatum != "2026-03-01" {
		t.Fatalf("dokumentdatum %v", d.Dokumentdatum)
	}
	// MIME type comes from the content, not from the name
	c2, err := f.Svc.StoreContent(ctx, f.Bernd, strings.NewReader("Vermerk: Rücksprache gehalten.\n"), "vermerk.pdf")
	mustOK(t, err)
	if !strings.HasPrefix(c2.MimeType, "text/plain") {
		t.Fatalf("mime %s", c2.MimeType)
	}
	v2, err := f.Svc.AddVersion(ctx, f.Bernd, d.ID, c2)
	mustOK(t, err)
	if v2.Nummer != 2 {
		t.Fatal(v2.Nummer)
	}
	vers, err := f.Svc.ListVersionen(ctx, f.Bernd, d.ID)
	mustOK(t, err)
	if len(vers) != 2 || vers[0].SHA256 != v1.SHA256 || vers[1].SHA256 != v2.SHA256 {
		t.Fatalf("versions %+v", vers)
	}
	// latest and any version can be read back
	got, file, err := f.Svc.OpenVersion(ctx, f.Bernd, d.ID, 0)
	mustOK(t, err)
	if got.Nummer != 2 || string(readAll(t, file)) != "Vermerk: Rücksprache gehalten.\n" {
		t.Fatal("latest version content")
	}
	_, file, err = f.Svc.OpenVersion(ctx, f.Bernd, d.ID, 1)
	mustOK(t, err)
	if !bytes.Equal(readAll(t, file), pdf) {
		t.Fatal("version 1 content")
	}
	_, _, err = f.Svc.OpenVersion(ctx, f.Bernd, d.ID, 3)
	wantKind(t, err, apperr.KindNotFound)
	_, _, err = f.Svc.OpenVersion(ctx, f.Carla, d.ID, 1)
	wantKind(t, err, apperr.KindNotFound)
	// downloads are audited
	hist, err := f.Svc.History(ctx, f.Bernd, "dokument", d.ID, records.Page{})
	mustOK(t, err)
	downloads := 0
	for _, e := range hist {
		if e.Action == "dokument.download" {
			downloads++
		}
	}
	if downloads != 2 {
		t.Fatalf("%d download entries, want 2", downloads)
	}
	// only the newest version can be marked final; afterwards no new versions
	_, err = f.Svc.MarkFinal(ctx, f.Bernd, d.ID, 1)
	wantKind(t, err, apperr.KindConflict)
	fv, err := f.Svc.MarkFinal(ctx, f.Bernd, d.ID, 2)
	mustOK(t, err)
	if !fv.Final {
		t.Fatal("not final")
	}
	_, err = f.Svc.AddVersion(ctx, f.Bernd, d.ID, c2)
	wantKind(t, err, apperr.KindConflict)
	// concurrent versions on another document get distinct numbers
	d2, _ := f.Dokument(t, f.Bernd, v.ID, "Parallel", "a.txt", []byte("eins"))
	var wg sync.WaitGroup
	nums := make([]int, 6)
	errs := make([]error, 6)
	for i := range nums {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := f.Svc.StoreContent(ctx, f.Bernd, strings.NewReader(fmt.Sprintf("Inhalt %d", i)), "b.txt")
			if err != nil {
				errs[i] = err
				return
			}
			ver, err := f.Svc.AddVersion(ctx, f.Bernd, d2.ID, c)
			nums[i], errs[i] = ver.Nummer, err
		}()
	}
	wg.Wait()
	seen := map[int]bool{}
	for i := range nums {
		mustOK(t, errs[i])
		if seen[nums[i]] {
			t.Fatalf("version number %d twice", nums[i])
		}
		seen[nums[i]] = true
	}
	dd2, err := f.Svc.GetDokument(ctx, f.Bernd, d2.ID)
	mustOK(t, err)
	if dd2.Versionen != 7 {
		t.Fatalf("versionen %d", dd2.Versionen)
	}
	// empty, too large and executable uploads are refused
	_, err = f.Svc.StoreContent(ctx, f.Bernd, strings.NewReader(""), "leer.txt")
	wantField(t, err, "file")
	_, err = f.Svc.StoreContent(ctx, f.Bernd, bytes.NewReader(make([]byte, (1<<20)+1)), "gross.bin")
	wantKind(t, err, apperr.KindTooLarge)
	elf := append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, make([]byte, 64)...)
	elf[16] = 2 // ET_EXEC
	_, err = f.Svc.StoreContent(ctx, f.Bernd, bytes.NewReader(elf), "rechnung.pdf")
	wantKind(t, err, apperr.KindUnsupportedType)
}

func testZdA(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a := f.Akte(t, f.Bernd, pos.ID, "Akte")
	v1 := f.Vorgang(t, f.Bernd, a.ID, "Eins")
	v2 := f.Vorgang(t, f.Bernd, a.ID, "Zwei")
	d, _ := f.Dokument(t, f.Bernd, v1.ID, "Brief", "brief.txt", []byte("Sehr geehrte Damen und Herren"))
	closed, err := f.Svc.CloseVorgang(ctx, f.Bernd, v1.ID)
	mustOK(t, err)
	if closed.Status != records.StatusZdA || closed.ClosedAt == nil {
		t.Fatalf("%+v", closed)
	}
	// everything inside is read-only
	c, err := f.Svc.StoreContent(ctx, f.Bernd, strings.NewReader("neu"), "neu.txt")
	mustOK(t, err)
	_, _, err = f.Svc.CreateDokument(ctx, f.Bernd, v1.ID, records.NewDokument{Betreff: "zu spät"}, c)
	wantKind(t, err, apperr.KindConflict)
	_, err = f.Svc.AddVersion(ctx, f.Bernd, d.ID, c)
	wantKind(t, err, apperr.KindConflict)
	b := "neu"
	_, err = f.Svc.UpdateDokument(ctx, f.Bernd, d.ID, records.DokumentPatch{Betreff: &b})
	wantKind(t, err, apperr.KindConflict)
	_, err = f.Svc.UpdateVorgang(ctx, f.Bernd, v1.ID, records.VorgangPatch{Betreff: &b})
	wantKind(t, err, apperr.KindConflict)
	wantKind(t, f.Svc.CheckVorgangWritable(ctx, f.Bernd, v1.ID), apperr.KindConflict)
	// reading still works
	_, file, err := f.Svc.OpenVersion(ctx, f.Bernd, d.ID, 0)
	mustOK(t, err)
	file.Close()
	// reopening needs the right role and is audited
	_, err = f.Svc.ReopenVorgang(ctx, f.Bernd, v1.ID)
	wantKind(t, err, apperr.KindForbidden)
	_, err = f.Svc.ReopenVorgang(ctx, f.Anna, v1.ID)
	mustOK(t, err)
	_, err = f.Svc.UpdateVorgang(ctx, f.Bernd, v1.ID, records.VorgangPatch{Betreff: &b})
	mustOK(t, err)
	// closing the Akte closes its open Vorgänge
	ca, err := f.Svc.CloseAkte(ctx, f.Bernd, a.ID)
	mustOK(t, err)
	if ca.Status != records.StatusZdA {
		t.Fatal(ca.Status)
	}
	for _, id := range []string{v1.ID, v2.ID} {
		got, err := f.Svc.GetVorgang(ctx, f.Bernd, id)
		mustOK(t, err)
		if got.Status != records.StatusZdA {
			t.Fatalf("vorgang %s still %s", got.Aktenzeichen, got.Status)
		}
	}
	_, err = f.Svc.CreateVorgang(ctx, f.Bernd, a.ID, "neu", nil)
	wantKind(t, err, apperr.KindConflict)
	_, err = f.Svc.CloseAkte(ctx, f.Bernd, a.ID)
	wantKind(t, err, apperr.KindConflict)
	// a Vorgang cannot be reopened inside a closed Akte
	_, err = f.Svc.ReopenVorgang(ctx, f.Anna, v2.ID)
	wantKind(t, err, apperr.KindConflict)
	_, err = f.Svc.ReopenAkte(ctx, f.Bernd, a.ID)
	wantKind(t, err, apperr.KindForbidden)
	ra, err := f.Svc.ReopenAkte(ctx, f.Anna, a.ID)
	mustOK(t, err)
	if ra.Status != records.StatusOffen || ra.ClosedAt != nil {
		t.Fatalf("%+v", ra)
	}
	hist, err := f.Svc.History(ctx, f.Anna, "akte", a.ID, records.Page{})
	mustOK(t, err)
	var actions []string
	for _, e := range hist {
		actions = append(actions, e.Action+"/"+e.Actor)
	}
	if strings.Join(actions, " ") != "akte.create/bernd akte.zda/bernd akte.reopen/anna" {
		t.Fatalf("history %v", actions)
	}
}

func testMoveAndRefile(t *testing.T, f *Fixture) {
	ctx := context.Background()
	p121 := f.Plan(t, f.Anna, "121", "Ausbildung")
	p122 := f.Plan(t, f.Anna, "122", "Fortbildung")
	a1 := f.Akte(t, f.Bernd, p121.ID, "Eins")
	a2 := f.Akte(t, f.Bernd, p121.ID, "Zwei")
	v := f.Vorgang(t, f.Bernd, a1.ID, "Wandert")
	old := v.Aktenzeichen
	_, err := f.Svc.MoveVorgang(ctx, f.Bernd, v.ID, a2.ID)
	wantKind(t, err, apperr.KindForbidden)
	moved, err := f.Svc.MoveVorgang(ctx, f.Anna, v.ID, a2.ID)
	mustOK(t, err)
	if moved.AkteID != a2.ID || moved.Aktenzeichen != a2.Aktenzeichen+"-001" {
		t.Fatalf("moved %+v", moved)
	}
	hist, err := f.Svc.AktenzeichenHistory(ctx, f.Anna, "vorgang", v.ID)
	mustOK(t, err)
	if len(hist) != 1 || hist[0].Aktenzeichen != old {
		t.Fatalf("az history %+v", hist)
	}
	// the old Aktenzeichen still resolves and is never issued again
	typ, id, err := f.Svc.Lookup(ctx, f.Anna, old)
	mustOK(t, err)
	if typ != "vorgang" || id != v.ID {
		t.Fatal("old az lookup")
	}
	nv := f.Vorgang(t, f.Bernd, a1.ID, "Neu in Eins")
	if nv.Aktenzeichen == old {
		t.Fatal("aktenzeichen reused")
	}
	// into another tenant's Akte: not found
	tskPos := f.Plan(t, f.Carla, "1", "TSK")
	tskAkte := f.Akte(t, f.Carla, tskPos.ID, "TSK Akte")
	_, err = f.Svc.MoveVorgang(ctx, f.Anna, nv.ID, tskAkte.ID)
	wantField(t, err, "akte_id")
	// re-filing: new Aktenzeichen for the Akte and its Vorgänge
	ref, err := f.Svc.RefileAkte(ctx, f.Anna, a2.ID, p122.ID)
	mustOK(t, err)
	if ref.Aktenzeichen != "TFM-122-2026/0001" || ref.AktenplanID != p122.ID {
		t.Fatalf("refiled %+v", ref)
	}
	mv, err := f.Svc.GetVorgang(ctx, f.Anna, v.ID)
	mustOK(t, err)
	if mv.Aktenzeichen != "TFM-122-2026/0001-001" {
		t.Fatal(mv.Aktenzeichen)
	}
	hist, err = f.Svc.AktenzeichenHistory(ctx, f.Anna, "vorgang", v.ID)
	mustOK(t, err)
	if len(hist) != 2 {
		t.Fatalf("vorgang az history %+v", hist)
	}
	ah, err := f.Svc.AktenzeichenHistory(ctx, f.Anna, "akte", a2.ID)
	mustOK(t, err)
	if len(ah) != 1 || ah[0].Aktenzeichen != a2.Aktenzeichen {
		t.Fatalf("akte az history %+v", ah)
	}
	a3 := f.Akte(t, f.Bernd, p121.ID, "Drei")
	if a3.Aktenzeichen != "TFM-121-2026/0003" {
		t.Fatalf("serial after refile: %s", a3.Aktenzeichen)
	}
}

func testPagination(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a := f.Akte(t, f.Bernd, pos.ID, "Akte")
	v := f.Vorgang(t, f.Bernd, a.ID, "Viele")
	want := map[string]bool{}
	for i := range 23 {
		d, _ := f.Dokument(t, f.Bernd, v.ID, fmt.Sprintf("Dok %d", i), "d.txt", []byte(fmt.Sprintf("Inhalt %d", i)))
		want[d.ID] = true
	}
	got := map[string]bool{}
	pg := records.Page{Limit: 5}
	pages := 0
	for {
		ds, err := f.Svc.ListDokumente(ctx, f.Bernd, v.ID, pg)
		mustOK(t, err)
		pages++
		for _, d := range ds {
			if got[d.ID] {
				t.Fatalf("dokument %s twice", d.ID)
			}
			got[d.ID] = true
		}
		if len(ds) < pg.Limit {
			break
		}
		pg.After = ds[len(ds)-1].ID
	}
	if len(got) != len(want) || pages != 5 {
		t.Fatalf("got %d of %d in %d pages", len(got), len(want), pages)
	}
	_, err := f.Svc.ListDokumente(ctx, f.Carla, v.ID, records.Page{})
	wantKind(t, err, apperr.KindNotFound)
}

func testValidation(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	_, err := f.Svc.CreateAkte(ctx, f.Bernd, records.NewAkte{AktenplanID: pos.ID, Titel: "   "})
	wantField(t, err, "titel")
	a := f.Akte(t, f.Bernd, pos.ID, "Akte")
	_, err = f.Svc.CreateVorgang(ctx, f.Bernd, a.ID, "", nil)
	wantField(t, err, "betreff")
	_, err = f.Svc.CreateVorgang(ctx, f.Bernd, a.ID, "ok", records.Metadata{"Bad Key": 1})
	wantField(t, err, "metadaten.Bad Key")
	_, err = f.Svc.CreateVorgang(ctx, f.Bernd, a.ID, "ok", records.Metadata{"liste": []any{1, 2}})
	wantField(t, err, "metadaten.liste")
	v := f.Vorgang(t, f.Bernd, a.ID, "ok")
	c, err := f.Svc.StoreContent(ctx, f.Bernd, strings.NewReader("x"), "x.txt")
	mustOK(t, err)
	bad := "2026-13-45"
	_, _, err = f.Svc.CreateDokument(ctx, f.Bernd, v.ID, records.NewDokument{Betreff: "x", Typ: "Liebesbrief", Dokumentdatum: &bad}, c)
	wantField(t, err, "typ")
	wantField(t, err, "dokumentdatum")
	// nothing was created by the failed calls
	ds, err := f.Svc.ListDokumente(ctx, f.Bernd, v.ID, records.Page{})
	mustOK(t, err)
	vs, err := f.Svc.ListVorgaenge(ctx, f.Bernd, a.ID, records.Page{})
	mustOK(t, err)
	if len(ds) != 0 || len(vs) != 1 {
		t.Fatalf("failed calls left %d Dokumente, %d Vorgänge", len(ds), len(vs))
	}
}

func testAuditChain(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a := f.Akte(t, f.Bernd, pos.ID, "Akte")
	v := f.Vorgang(t, f.Bernd, a.ID, "Vorgang")
	f.Dokument(t, f.Bernd, v.ID, "Dok", "d.txt", []byte("Inhalt"))
	// written with the change, not yet chained
	rep, err := f.Svc.VerifyAudit(ctx)
	mustOK(t, err)
	if rep.Pending < 10 || rep.OldestPending.IsZero() {
		t.Fatalf("pending %+v", rep)
	}
	hist, err := f.Svc.History(ctx, f.Bernd, "akte", a.ID, records.Page{})
	mustOK(t, err)
	if len(hist) != 1 || hist[0].Seq != 0 || hist[0].Hash != "" {
		t.Fatalf("unchained history %+v", hist)
	}
	n, err := f.Svc.ChainAllPending(ctx)
	mustOK(t, err)
	if n != rep.Pending {
		t.Fatalf("chained %d of %d", n, rep.Pending)
	}
	rep, err = f.Svc.VerifyAudit(ctx)
	mustOK(t, err)
	if rep.Tenants != 2 || len(rep.Breaks) != 0 || rep.Entries < 10 || rep.Pending != 0 {
		t.Fatalf("report %+v", rep)
	}
	hist, err = f.Svc.History(ctx, f.Bernd, "akte", a.ID, records.Page{})
	mustOK(t, err)
	if len(hist) != 1 || hist[0].Actor != "bernd" || hist[0].ActorID != f.Bernd.UserID || len(hist[0].Hash) != 64 || hist[0].Seq == 0 {
		t.Fatalf("history %+v", hist)
	}
	// chaining again finds nothing
	if n, err := f.Svc.ChainAllPending(ctx); err != nil || n != 0 {
		t.Fatal(n, err)
	}
	// the application cannot change or delete audit rows, nor re-chain them
	if _, err := f.DB.Writer().Exec(`UPDATE audit_log SET actor = 'mallory'`); err == nil {
		t.Fatal("audit_log update allowed")
	}
	if _, err := f.DB.Writer().Exec(`UPDATE audit_log SET hash = 'x'`); err == nil {
		t.Fatal("audit_log re-chaining allowed")
	}
	// an unchained entry may be chained, but not altered
	f.Akte(t, f.Bernd, pos.ID, "Noch eine")
	if _, err := f.DB.Writer().Exec(`UPDATE audit_log SET actor = 'mallory' WHERE seq IS NULL`); err == nil {
		t.Fatal("unchained audit_log entry altered")
	}
	if _, err := f.DB.Writer().Exec(`DELETE FROM audit_log`); err == nil {
		t.Fatal("audit_log delete allowed")
	}
}

// Writers and several chainers (as on several nodes) at once: every entry
// ends up in the chain exactly once, without gaps.
func testAuditConcurrentChaining(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	stop := make(chan struct{})
	var chainers sync.WaitGroup
	for range 3 {
		chainers.Add(1)
		go func() {
			defer chainers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := f.Svc.ChainAllPending(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var writers sync.WaitGroup
	for w := range 4 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := range 8 {
				if _, err := f.Svc.CreateAkte(ctx, f.Bernd, records.NewAkte{AktenplanID: pos.ID, Titel: fmt.Sprintf("W%d-%d", w, i)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	writers.Wait()
	close(stop)
	chainers.Wait()
	f.Chain(t)
	rep, err := f.Svc.VerifyAudit(ctx)
	mustOK(t, err)
	if len(rep.Breaks) != 0 || rep.Pending != 0 {
		t.Fatalf("%+v", rep)
	}
	var n int
	mustOK(t, f.DB.Writer().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'akte.create'`).Scan(&n))
	if n != 32 {
		t.Fatalf("%d akte.create entries, want 32", n)
	}
}

// disableAuditGuard removes the append-only triggers, as an attacker with
// database access could.
func disableAuditGuard(t *testing.T, db *sqldb.DB) {
	t.Helper()
	var err error
	if db.Backend() == "postgres" {
		_, err = db.Writer().Exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`)
	} else {
		_, err = db.Writer().Exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;`)
	}
	mustOK(t, err)
}

func testAuditTamper(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	for i := range 5 {
		f.Akte(t, f.Bernd, pos.ID, fmt.Sprintf("Akte %d", i))
	}
	f.Chain(t)
	disableAuditGuard(t, f.DB)
	tfm, err := f.Svc.TenantByCode(ctx, "TFM")
	mustOK(t, err)
	exec := func(q string, args ...any) {
		t.Helper()
		_, err := f.DB.Writer().Exec(sqlRebind(f.DB, q), args...)
		mustOK(t, err)
	}
	check := func(wantSeq int64, wantReason string) {
		t.Helper()
		rep, err := f.Svc.VerifyAudit(ctx)
		mustOK(t, err)
		if len(rep.Breaks) != 1 || rep.Breaks[0].TenantID != tfm.ID || rep.Breaks[0].Seq != wantSeq || !strings.Contains(rep.Breaks[0].Reason, wantReason) {
			t.Fatalf("want break at %d (%s), got %+v", wantSeq, wantReason, rep.Breaks)
		}
	}
	var head int64
	mustOK(t, f.DB.Writer().QueryRow(sqlRebind(f.DB, `SELECT seq FROM audit_heads WHERE tenant_id = ?`), tfm.ID).Scan(&head))

	// altered
	var origActor string
	mustOK(t, f.DB.Writer().QueryRow(sqlRebind(f.DB, `SELECT actor FROM audit_log WHERE tenant_id = ? AND seq = 5`), tfm.ID).Scan(&origActor))
	exec(`UPDATE audit_log SET actor = 'mallory' WHERE tenant_id = ? AND seq = 5`, tfm.ID)
	check(5, "altered")
	exec(`UPDATE audit_log SET actor = ? WHERE tenant_id = ? AND seq = 5`, origActor, tfm.ID)
	rep, err := f.Svc.VerifyAudit(ctx)
	mustOK(t, err)
	if len(rep.Breaks) != 0 {
		t.Fatalf("restored chain still broken: %+v", rep.Breaks)
	}
	// reordered: swap two entries' contents (seq stays in place)
	exec(`UPDATE audit_log SET seq = -1 WHERE tenant_id = ? AND seq = 6`, tfm.ID)
	exec(`UPDATE audit_log SET seq = 6 WHERE tenant_id = ? AND seq = 7`, tfm.ID)
	exec(`UPDATE audit_log SET seq = 7 WHERE tenant_id = ? AND seq = -1`, tfm.ID)
	check(6, "")
	exec(`UPDATE audit_log SET seq = -1 WHERE tenant_id = ? AND seq = 6`, tfm.ID)
	exec(`UPDATE audit_log SET seq = 6 WHERE tenant_id = ? AND seq = 7`, tfm.ID)
	exec(`UPDATE audit_log SET seq = 7 WHERE tenant_id = ? AND seq = -1`, tfm.ID)
	// removed in the middle
	exec(`DELETE FROM audit_log WHERE tenant_id = ? AND seq = 4`, tfm.ID)
	check(4, "removed")
	// removed at the end of another tenant's chain: only the head tells
	tsk, err := f.Svc.TenantByCode(ctx, "TSK")
	mustOK(t, err)
	var last int64
	mustOK(t, f.DB.Writer().QueryRow(sqlRebind(f.DB, `SELECT MAX(seq) FROM audit_log WHERE tenant_id = ?`), tsk.ID).Scan(&last))
	exec(`DELETE FROM audit_log WHERE tenant_id = ? AND seq = ?`, tsk.ID, last)
	rep, err = f.Svc.VerifyAudit(ctx)
	mustOK(t, err)
	found := false
	for _, b := range rep.Breaks {
		if b.TenantID == tsk.ID && b.Seq == last && strings.Contains(b.Reason, "end") {
			found = true
		}
	}
	if !found || len(rep.Breaks) != 2 {
		t.Fatalf("tail removal not found: %+v", rep.Breaks)
	}
}

func testFsck(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	a := f.Akte(t, f.Bernd, pos.ID, "Akte")
	v := f.Vorgang(t, f.Bernd, a.ID, "Vorgang")
	_, kept := f.Dokument(t, f.Bernd, v.ID, "Bleibt", "a.txt", []byte("bleibt"))
	_, gone := f.Dokument(t, f.Bernd, v.ID, "Verschwindet", "b.txt", []byte("verschwindet"))
	// an upload whose row never got committed leaves an orphan blob
	orphan, err := f.Blobs.Put(ctx, strings.NewReader("verwaist"), 0)
	mustOK(t, err)
	mustOK(t, f.Blobs.Delete(ctx, gone.SHA256))
	rep, err := f.Svc.Fsck(ctx, records.FsckOptions{VerifyContent: true})
	mustOK(t, err)
	if len(rep.Missing) != 1 || rep.Missing[0] != gone.SHA256 {
		t.Fatalf("missing %v", rep.Missing)
	}
	if len(rep.Orphans) != 1 || rep.Orphans[0].SHA256 != orphan.SHA256 || len(rep.Corrupt) != 0 {
		t.Fatalf("orphans %v corrupt %v", rep.Orphans, rep.Corrupt)
	}
	// a young orphan may be an upload in flight: repair leaves it
	rep, err = f.Svc.Fsck(ctx, records.FsckOptions{Repair: true, Grace: time.Hour})
	mustOK(t, err)
	if rep.Removed != 0 {
		t.Fatalf("removed %d young orphans", rep.Removed)
	}
	rep, err = f.Svc.Fsck(ctx, records.FsckOptions{Repair: true, Grace: time.Nanosecond})
	mustOK(t, err)
	if rep.Removed != 1 {
		t.Fatalf("removed %d", rep.Removed)
	}
	if _, err := f.Blobs.Stat(ctx, orphan.SHA256); err != blob.ErrNotFound {
		t.Fatal("orphan still there")
	}
	if _, err := f.Blobs.Stat(ctx, kept.SHA256); err != nil {
		t.Fatal("referenced blob removed")
	}
}
