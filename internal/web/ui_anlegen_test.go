package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

// Creating Akten, Vorgänge and versions from the pages (ui_anlegen.go),
// over plain HTTP on both backends.

// newUser creates a person in tenant with a password (no second factor).
func (e *uiEnv) newUser(tenant, login string, roles []access.Role, units ...records.Membership) {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.f.Svc.CreateUser(ctx, tenant, login, strings.ToUpper(login[:1])+login[1:], roles, units...); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.web.Auth().SetPassword(ctx, tenant, login, uiPW); err != nil {
		e.t.Fatal(err)
	}
}

// aktenUnder lists every Akte under a position, as the system sees them.
func (e *uiEnv) aktenUnder(tenant, posID string) []records.Akte {
	e.t.Helper()
	sys, err := e.f.Svc.SystemPrincipal(context.Background(), tenant)
	if err != nil {
		e.t.Fatal(err)
	}
	l, err := e.f.Svc.ListAkten(context.Background(), sys, records.AkteFilter{AktenplanID: posID}, records.Page{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

func (e *uiEnv) vorgaengeIn(akteID string) []records.Vorgang {
	e.t.Helper()
	sys, err := e.f.Svc.SystemPrincipal(context.Background(), "TFM")
	if err != nil {
		e.t.Fatal(err)
	}
	l, err := e.f.Svc.ListVorgaenge(context.Background(), sys, akteID, records.Page{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

func wantRedirect(t *testing.T, p page, re string) string {
	t.Helper()
	loc := p.header.Get("Location")
	m := regexp.MustCompile(re).FindStringSubmatch(loc)
	if p.status != http.StatusSeeOther || m == nil {
		t.Fatalf("want 303 to %s: %d %q\n%s", re, p.status, loc, p.body)
	}
	if len(m) > 1 {
		return m[1]
	}
	return ""
}

const uuidPat = `([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`

// TestUIAkteAnlegen: the form "Neue Akte" on a position's page, for whom
// POST /api/v1/akten would allow it: field errors, unit choice, closed
// position, missing right, another tenant's position, CSRF.
func TestUIAkteAnlegen(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		pos := e.plan["122"]
		path := "/aktenplan/" + pos
		c := e.client()
		c.signIn() // bernd: Sachbearbeitung, no unit
		p := c.get(path)
		wantPage(t, p, 200, `<h3 id="h-neue-akte">Neue Akte</h3>`, `action="/aktenplan/`+pos+`/akten"`, `id="na-titel"`, `id="na-beschreibung"`,
			"Federführung: ganzer Mandant")
		if strings.Contains(p.body, `id="na-einheit"`) {
			t.Error("unit choice for a user without unit")
		}
		// empty Titel: at the field, nothing created
		p = c.post(path+"/akten", url.Values{"csrf": {c.csrf}, "titel": {"  "}, "beschreibung": {"bleibt stehen"}})
		wantPage(t, p, 422, `id="na-titel-fehler"`, `aria-describedby="na-titel-fehler"`, `aria-invalid="true"`, "Bitte die markierten Felder prüfen.",
			">bleibt stehen</textarea>")
		if n := len(e.aktenUnder("TFM", pos)); n != 0 {
			t.Fatalf("%d Akten after a refused form", n)
		}
		// without the CSRF token: refused
		wantPage(t, c.post(path+"/akten", url.Values{"titel": {"Fortbildung 2027"}}), 403, "Anfrage abgelehnt")
		if n := len(e.aktenUnder("TFM", pos)); n != 0 {
			t.Fatalf("%d Akten without CSRF", n)
		}
		// created: to the new Akte, which shows its Aktenzeichen
		p = c.post(path+"/akten", url.Values{"csrf": {c.csrf}, "titel": {"Fortbildung 2027"}, "beschreibung": {"Seminare der Steuerverwaltung"}})
		id := wantRedirect(t, p, `^/akten/`+uuidPat+`\?meldung=akte-angelegt$`)
		akten := e.aktenUnder("TFM", pos)
		if len(akten) != 1 || akten[0].ID != id || akten[0].Titel != "Fortbildung 2027" || akten[0].Beschreibung != "Seminare der Steuerverwaltung" ||
			akten[0].Einheit != nil || akten[0].CreatedBy != "bernd" {
			t.Fatalf("created: %+v", akten)
		}
		if !strings.HasPrefix(akten[0].Aktenzeichen, "TFM-122-") {
			t.Errorf("Aktenzeichen %q", akten[0].Aktenzeichen)
		}
		wantPage(t, c.get("/akten/"+id+"?meldung=akte-angelegt"), 200, "Die Akte ist angelegt.",
			`<h1><span class="az">`+akten[0].Aktenzeichen+`</span>`, "Fortbildung 2027", "ganzer Mandant")

		// units: sabine belongs to Z1 (with Z11 below it), not to Z2
		for _, u := range []records.NewUnit{{Kennung: "Z1", Name: "Zentrale Dienste", Typ: "abteilung"},
			{Kennung: "Z11", Name: "Personal", Typ: "referat", Parent: "Z1"}, {Kennung: "Z2", Name: "Haushalt", Typ: "abteilung"}} {
			if _, err := e.f.Svc.CreateUnitAs(ctx, e.f.Anna, u); err != nil {
				t.Fatal(err)
			}
		}
		e.newUser("TFM", "sabine", []access.Role{access.RoleSachbearbeitung}, records.Membership{Kennung: "Z1", Position: "sachbearbeitung"})
		sabine := e.client()
		sabine.signInAs("TFM", "sabine")
		p = sabine.get(path)
		wantPage(t, p, 200, `<select id="na-einheit" name="einheit" aria-describedby="na-einheit-hinweis">`,
			`<option value="Z1" selected>Z1 – Zentrale Dienste</option>`, `<option value="Z11">Z11 – Personal</option>`)
		if strings.Contains(p.body, `value="Z2"`) {
			t.Error("a unit the user does not belong to is offered")
		}
		// a tampered choice: the service's refusal at the select
		p = sabine.post(path+"/akten", url.Values{"csrf": {sabine.csrf}, "titel": {"Haushalt 2027"}, "einheit": {"Z2"}})
		wantPage(t, p, 422, `id="na-einheit-fehler"`, `aria-describedby="na-einheit-hinweis na-einheit-fehler" aria-invalid="true"`,
			"Sie gehören weder Z2 noch einer Einheit darüber an", `value="Haushalt 2027"`)
		if n := len(e.aktenUnder("TFM", pos)); n != 1 {
			t.Fatalf("%d Akten after a refused unit", n)
		}
		p = sabine.post(path+"/akten", url.Values{"csrf": {sabine.csrf}, "titel": {"Personalentwicklung"}, "einheit": {"Z11"}})
		id = wantRedirect(t, p, `^/akten/`+uuidPat+`\?`)
		p = sabine.get("/akten/" + id)
		wantPage(t, p, 200, "Personalentwicklung", "<dd>Z11</dd>")
		// bernd (no unit) does not see an Akte of Z11
		wantPage(t, c.get("/akten/"+id), 404, "Seite nicht gefunden")

		// a closed position: no form; a posted one is refused, nothing created
		if _, err := e.f.Svc.UpdateAktenplan(ctx, e.f.Anna, pos, records.AktenplanPatch{Geschlossen: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		p = c.get(path)
		wantPage(t, p, 200, "Diese Position ist geschlossen")
		if strings.Contains(p.body, `action="/aktenplan/`+pos+`/akten"`) {
			t.Error("form offered at a closed position")
		}
		p = c.post(path+"/akten", url.Values{"csrf": {c.csrf}, "titel": {"Zu spät"}})
		wantPage(t, p, 409, `role="alert"`, "für neue Akten geschlossen")
		if n := len(e.aktenUnder("TFM", pos)); n != 2 {
			t.Fatalf("%d Akten after posting to a closed position", n)
		}

		// a role without the right to create: no form, 403
		e.newUser("TFM", "rolf", []access.Role{access.RoleAudit})
		rolf := e.client()
		rolf.signInAs("TFM", "rolf")
		p = rolf.get("/aktenplan/" + e.plan["121"])
		wantPage(t, p, 200, e.akte.Aktenzeichen)
		if strings.Contains(p.body, "Neue Akte") {
			t.Error("form offered to a role that may not create Akten")
		}
		wantPage(t, rolf.post("/aktenplan/"+e.plan["121"]+"/akten", url.Values{"csrf": {rolf.csrf}, "titel": {"Prüfung"}}), 403, "Keine Berechtigung")
		if n := len(e.aktenUnder("TFM", e.plan["121"])); n != 1 {
			t.Fatalf("%d Akten under 121 after a refusal", n)
		}

		// another tenant's position: the same 404 page as an unknown one
		carla := e.client()
		carla.signInAs("TSK", "carla")
		foreign := carla.post("/aktenplan/"+e.plan["121"]+"/akten", url.Values{"csrf": {carla.csrf}, "titel": {"Fremd"}})
		unknown := carla.post("/aktenplan/0190c0de-0000-7000-8000-000000000000/akten", url.Values{"csrf": {carla.csrf}, "titel": {"Fremd"}})
		wantPage(t, foreign, 404, "Seite nicht gefunden")
		wantPage(t, unknown, 404, "Seite nicht gefunden")
		if stripCSRF(foreign.body) != stripCSRF(unknown.body) {
			t.Errorf("foreign and unknown position differ:\n%s\n---\n%s", foreign.body, unknown.body)
		}
		if n := len(e.aktenUnder("TFM", e.plan["121"])); n != 1 {
			t.Fatalf("another tenant created an Akte: %d", n)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestUIVorgangAnlegen: the form "Neuer Vorgang" on an Akte's page, for
// whom POST /api/v1/akten/{id}/vorgaenge would allow it.
func TestUIVorgangAnlegen(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		path := "/akten/" + e.akte.ID
		c := e.client()
		c.signIn()
		wantPage(t, c.get(path), 200, `<h2 id="h-neuer-vorgang">Neuer Vorgang</h2>`, `action="/akten/`+e.akte.ID+`/vorgaenge"`, `id="nv-betreff"`,
			`aria-describedby="nv-betreff-hinweis"`)
		// empty Betreff: at the field, nothing created
		p := c.post(path+"/vorgaenge", url.Values{"csrf": {c.csrf}, "betreff": {""}})
		wantPage(t, p, 422, `id="nv-betreff-fehler"`, `aria-describedby="nv-betreff-hinweis nv-betreff-fehler" aria-invalid="true"`)
		if n := len(e.vorgaengeIn(e.akte.ID)); n != 1 {
			t.Fatalf("%d Vorgänge after a refused form", n)
		}
		wantPage(t, c.post(path+"/vorgaenge", url.Values{"betreff": {"Ohne Token"}}), 403, "Anfrage abgelehnt")
		if n := len(e.vorgaengeIn(e.akte.ID)); n != 1 {
			t.Fatalf("%d Vorgänge without CSRF", n)
		}
		p = c.post(path+"/vorgaenge", url.Values{"csrf": {c.csrf}, "betreff": {"Widerspruch Schulz"}})
		id := wantRedirect(t, p, `^/vorgaenge/`+uuidPat+`\?meldung=vorgang-angelegt$`)
		var neu records.Vorgang
		for _, v := range e.vorgaengeIn(e.akte.ID) {
			if v.ID == id {
				neu = v
			}
		}
		if neu.Betreff != "Widerspruch Schulz" || !strings.HasPrefix(neu.Aktenzeichen, e.akte.Aktenzeichen) {
			t.Fatalf("created: %+v", neu)
		}
		wantPage(t, c.get("/vorgaenge/"+id+"?meldung=vorgang-angelegt"), 200, "Der Vorgang ist angelegt.", neu.Aktenzeichen, "Widerspruch Schulz", "Dateien hochladen")

		// a closed Akte: no form; a posted one is refused with the message
		leer, err := e.f.Svc.CreateAkte(ctx, e.f.Bernd, records.NewAkte{AktenplanID: e.plan["21"], Titel: "Haushalt 2025"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.f.Svc.CloseAkte(ctx, e.f.Anna, leer.ID); err != nil {
			t.Fatal(err)
		}
		p = c.get("/akten/" + leer.ID)
		wantPage(t, p, 200, "Haushalt 2025")
		if strings.Contains(p.body, "Neuer Vorgang") {
			t.Error("form offered in a closed Akte")
		}
		p = c.post("/akten/"+leer.ID+"/vorgaenge", url.Values{"csrf": {c.csrf}, "betreff": {"Nachzügler"}})
		wantPage(t, p, 409, `role="alert"`, "z.d.A. verfügt und schreibgeschützt")
		if strings.Contains(p.body, `id="nv-betreff"`) {
			t.Error("the refusal of a closed Akte shows the form")
		}
		if n := len(e.vorgaengeIn(leer.ID)); n != 0 {
			t.Fatalf("%d Vorgänge in a closed Akte", n)
		}

		// a role without the right: no form, 403; a read grant: the same
		e.newUser("TFM", "rolf", []access.Role{access.RoleAudit})
		rolf := e.client()
		rolf.signInAs("TFM", "rolf")
		p = rolf.get(path)
		wantPage(t, p, 200, e.akte.Aktenzeichen)
		if strings.Contains(p.body, "Neuer Vorgang") {
			t.Error("form offered to a role that may not create")
		}
		wantPage(t, rolf.post(path+"/vorgaenge", url.Values{"csrf": {rolf.csrf}, "betreff": {"Prüfung"}}), 403, "Keine Berechtigung")

		if _, err := e.f.Svc.CreateUnitAs(ctx, e.f.Anna, records.NewUnit{Kennung: "Z9", Name: "Recht", Typ: "referat"}); err != nil {
			t.Fatal(err)
		}
		e.newUser("TFM", "lena", []access.Role{access.RoleSachbearbeitung}, records.Membership{Kennung: "Z9", Position: "sachbearbeitung"})
		lena, err := e.f.Svc.UserPrincipal(ctx, "TFM", "lena")
		if err != nil {
			t.Fatal(err)
		}
		// an Akte of Z9, shown to bernd by a read grant
		z9, err := e.f.Svc.CreateAkte(ctx, lena, records.NewAkte{AktenplanID: e.plan["21"], Titel: "Rechtsgutachten"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.f.Svc.Grant(ctx, lena, z9.ID, records.NewGrant{Tenant: "TFM", User: "bernd", Level: records.GrantRead}); err != nil {
			t.Fatal(err)
		}
		p = c.get("/akten/" + z9.ID)
		wantPage(t, p, 200, "Rechtsgutachten")
		if strings.Contains(p.body, "Neuer Vorgang") {
			t.Error("form offered with a read grant")
		}
		wantPage(t, c.post("/akten/"+z9.ID+"/vorgaenge", url.Values{"csrf": {c.csrf}, "betreff": {"Mitlesen"}}), 403, "Keine Berechtigung")
		if n := len(e.vorgaengeIn(z9.ID)); n != 0 {
			t.Fatalf("%d Vorgänge after refusals", n)
		}

		// another tenant's Akte: the same 404 page as an unknown one
		carla := e.client()
		carla.signInAs("TSK", "carla")
		foreign := carla.post(path+"/vorgaenge", url.Values{"csrf": {carla.csrf}, "betreff": {"Fremd"}})
		unknown := carla.post("/akten/0190c0de-0000-7000-8000-000000000000/vorgaenge", url.Values{"csrf": {carla.csrf}, "betreff": {"Fremd"}})
		wantPage(t, foreign, 404, "Seite nicht gefunden")
		if stripCSRF(foreign.body) != stripCSRF(unknown.body) {
			t.Errorf("foreign and unknown Akte differ:\n%s\n---\n%s", foreign.body, unknown.body)
		}
		if n := len(e.vorgaengeIn(e.akte.ID)); n != 2 {
			t.Fatalf("%d Vorgänge at the end", n)
		}
	})
}

// versionForm builds the form of the Dokument page: the CSRF field, then
// the files.
func versionForm(t *testing.T, csrf string, files ...string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	for i := 0; i < len(files); i += 2 {
		fw, err := mw.CreateFormFile("file", files[i])
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(files[i+1]))
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// TestUIVersionHochladen: a new version from the Dokument page, as POST
// /api/v1/dokumente/{id}/versionen allows it.
func TestUIVersionHochladen(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		content, err := e.f.Svc.StoreContent(ctx, e.f.Bernd, strings.NewReader("Entwurf 1\n"), "Bescheid.txt")
		if err != nil {
			t.Fatal(err)
		}
		d, _, err := e.f.Svc.CreateDokument(ctx, e.f.Bernd, e.vorgang.ID, records.NewDokument{Betreff: "Bescheid Müller", Typ: "Bescheid"}, content)
		if err != nil {
			t.Fatal(err)
		}
		versions := func() []records.Version {
			t.Helper()
			vs, err := e.f.Svc.ListVersionen(ctx, e.f.Anna, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return vs
		}
		path := "/dokumente/" + d.ID
		c := e.client()
		c.signIn()
		wantPage(t, c.get(path), 200, `<h3 id="h-neue-version" class="karte-unterkopf">Neue Version</h3>`, `action="/dokumente/`+d.ID+`/versionen" enctype="multipart/form-data"`,
			`<input id="version-datei" name="file" type="file" required aria-describedby="version-datei-hilfe">`, "höchstens 1 MiB")
		post := func(cl *uiClient, p, csrf string, files ...string) page {
			body, ct := versionForm(t, csrf, files...)
			return cl.do("POST", p, body, ct)
		}
		// without the CSRF token: refused before anything is stored
		wantPage(t, post(c, path+"/versionen", "", "Bescheid_v2.txt", "Entwurf 2\n"), 403, "Anfrage abgelehnt")
		// no file, an empty file, two files: at the field, nothing added
		for _, bad := range []struct {
			files []string
			msg   string
		}{
			{nil, "Bitte eine Datei auswählen."},
			{[]string{"leer.txt", ""}, "leer"},
			{[]string{"a.txt", "A\n", "b.txt", "B\n"}, "Bitte nur eine Datei wählen."},
		} {
			p := post(c, path+"/versionen", c.csrf, bad.files...)
			wantPage(t, p, 422, `id="version-datei-fehler"`, `aria-invalid="true" aria-describedby="version-datei-fehler version-datei-hilfe"`, bad.msg)
			if n := len(versions()); n != 1 {
				t.Fatalf("%v: %d versions", bad.files, n)
			}
		}
		// too large: the Vorgang upload's limit (1 MiB in the fixture)
		p := post(c, path+"/versionen", c.csrf, "gross.txt", strings.Repeat("x", 1<<20+1))
		wantPage(t, p, 413, `id="version-datei-fehler"`, "Die Datei ist zu groß: höchstens 1 MiB.")
		if n := len(versions()); n != 1 {
			t.Fatalf("too large: %d versions", n)
		}
		// accepted: the list shows it as the newest
		p = post(c, path+"/versionen", c.csrf, "Bescheid_v2.txt", "Entwurf 2: geändert\n")
		wantRedirect(t, p, `^/dokumente/`+d.ID+`\?meldung=version-hochgeladen#h-versionen$`)
		vs := versions()
		if len(vs) != 2 {
			t.Fatalf("%d versions", len(vs))
		}
		p = c.get(path + "?meldung=version-hochgeladen")
		wantPage(t, p, 200, "Die neue Version ist gespeichert.", "Bescheid_v2.txt", "Entwurf 2: geändert")
		if strings.Index(p.body, "Bescheid_v2.txt") > strings.Index(p.body, "<td>Bescheid.txt</td>") {
			t.Error("the new version is not listed first")
		}

		// a role without the right: no form, 403, nothing added
		e.newUser("TFM", "rolf", []access.Role{access.RoleAudit})
		rolf := e.client()
		rolf.signInAs("TFM", "rolf")
		p = rolf.get(path)
		wantPage(t, p, 200, "Bescheid Müller")
		if strings.Contains(p.body, `id="version-datei"`) || strings.Contains(p.body, "h-neue-version") {
			t.Error("form offered to a role that may not edit")
		}
		wantPage(t, post(rolf, path+"/versionen", rolf.csrf, "x.txt", "x\n"), 403, "Keine Berechtigung", "keine neue Version")
		// another tenant's Dokument: the same 404 page as an unknown one
		carla := e.client()
		carla.signInAs("TSK", "carla")
		foreign := post(carla, path+"/versionen", carla.csrf, "x.txt", "x\n")
		unknown := post(carla, "/dokumente/0190c0de-0000-7000-8000-000000000000/versionen", carla.csrf, "x.txt", "x\n")
		wantPage(t, foreign, 404, "Seite nicht gefunden")
		if stripCSRF(foreign.body) != stripCSRF(unknown.body) {
			t.Errorf("foreign and unknown Dokument differ:\n%s\n---\n%s", foreign.body, unknown.body)
		}
		if n := len(versions()); n != 2 {
			t.Fatalf("%d versions after refusals", n)
		}
		// the Vorgang z.d.A.: no form, refused with the message
		if _, err := e.f.Svc.CloseVorgang(ctx, e.f.Bernd, e.vorgang.ID); err != nil {
			t.Fatal(err)
		}
		p = c.get(path)
		if strings.Contains(p.body, `id="version-datei"`) {
			t.Error("form offered in a closed Vorgang")
		}
		p = post(c, path+"/versionen", c.csrf, "Bescheid_v3.txt", "Entwurf 3\n")
		wantPage(t, p, 409, `role="alert"`, "z.d.A. verfügt und schreibgeschützt")
		if n := len(versions()); n != 2 {
			t.Fatalf("%d versions after z.d.A.", n)
		}
	})
}
