package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"

	"github.com/pquerna/otp/totp"
)

// Defects found by a user walk through the pages (fixed together; each
// test fails without its fix).

// TestUINavPosteingang: the main navigation offers "Posteingang" exactly
// to those whose Posteingang pages do not answer 403.
func TestUINavPosteingang(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		bernd := e.client() // Sachbearbeitung
		bernd.signIn()
		p := bernd.get("/")
		wantPage(t, p, 200, `aria-label="Hauptnavigation"`)
		if strings.Contains(p.body, `href="/posteingang"`) {
			t.Error("Sachbearbeitung sees the Posteingang in the navigation")
		}
		wantPage(t, bernd.get("/posteingang"), 403)

		anna := e.client() // admin
		anna.signInAs("TFM", "anna")
		wantPage(t, anna.get("/"), 200, `<li><a href="/posteingang">Posteingang</a></li>`)
		wantPage(t, anna.get("/posteingang"), 200)
	})
}

// TestUIPostUploadBestaetigung: after an upload into the Posteingang the
// page names where the files went, and says so when the uploader does not
// see that Posteingang (an admin without unit filing into a unit), so that
// the items do not seem to vanish.
func TestUIPostUploadBestaetigung(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		for _, u := range []records.NewUnit{{Kennung: "Z1", Name: "Zentrale Dienste", Typ: "abteilung"}, {Kennung: "Z2", Name: "Haushalt", Typ: "abteilung"}} {
			if _, err := e.f.Svc.CreateUnitAs(ctx, e.f.Anna, u); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.f.Svc.CreateUser(ctx, "TFM", "rita", "Rita Registratur", []access.Role{access.RoleRegistratur},
			records.Membership{Kennung: "Z1", Position: "registratur"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.web.Auth().SetPassword(ctx, "TFM", "rita", uiPW); err != nil {
			t.Fatal(err)
		}
		upload := func(c *uiClient, einheit string, names ...string) string {
			t.Helper()
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf", c.csrf)
			mw.WriteField("einheit", einheit)
			for _, n := range names {
				fw, _ := mw.CreateFormFile("file", n)
				fw.Write([]byte("Inhalt von " + n))
			}
			mw.Close()
			p := c.do("POST", "/posteingang", &buf, mw.FormDataContentType())
			if p.status != http.StatusSeeOther {
				t.Fatalf("upload into %q: %d %s", einheit, p.status, p.body)
			}
			return p.header.Get("Location")
		}
		meldung := func(p page) string {
			m := regexp.MustCompile(`<p class="meldung" role="status">([^<]*)</p>`).FindStringSubmatch(p.body)
			if m == nil {
				t.Fatalf("no confirmation on the page: %s", p.body)
			}
			return html.UnescapeString(m[1])
		}

		anna := e.client() // admin without unit: sees only the tenant's Posteingang
		anna.signInAs("TFM", "anna")
		anna.get("/posteingang")
		loc := upload(anna, "Z2", "a.txt", "b.txt")
		p := anna.get(loc)
		wantPage(t, p, 200)
		if got, want := meldung(p), "2 Dateien wurden in den Posteingang von Z2 – Haushalt gelegt. Sie selbst sehen diese Eingänge nicht in Ihrem Posteingang: Sie gehören der Einheit Z2, deren Registratur sie bearbeitet."; got != want {
			t.Errorf("confirmation:\n got %q\nwant %q", got, want)
		}
		if !strings.Contains(p.body, "Keine offenen Eingänge") {
			t.Error("anna sees Z2's items after all; the test's premise is gone")
		}
		loc = upload(anna, "", "c.txt")
		if got, want := meldung(anna.get(loc)), "1 Datei wurde in den Posteingang der Poststelle (ganzer Mandant) gelegt."; got != want {
			t.Errorf("confirmation: %q, want %q", got, want)
		}

		rita := e.client() // Registratur of Z1: sees what she files into Z1
		rita.signInAs("TFM", "rita")
		rita.get("/posteingang")
		loc = upload(rita, "Z1", "d.txt")
		if got, want := meldung(rita.get(loc)), "1 Datei wurde in den Posteingang von Z1 – Zentrale Dienste gelegt."; got != want {
			t.Errorf("confirmation: %q, want %q", got, want)
		}
		// the address carries only a count and a unit on offer: anything
		// else falls back to the fixed text, nothing is echoed
		wantPage(t, rita.get("/posteingang?meldung=eingang-hochgeladen&anzahl=3&einheit=%3Cb%3E"), 200, "<p class=\"meldung\" role=\"status\">Die Dateien sind im Posteingang.</p>")
	})
}

// TestUIProfilTOTPLanding: the answers of the TOTP confirmation land where
// they matter: the form posts to an address with the fragment
// #totp-bestaetigung, which is the box of the recovery codes after a
// correct code (its heading focusable and marked for the script's focus)
// and the form with its error after a wrong one.
func TestUIProfilTOTPLanding(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		anna := e.client()
		anna.signInAs("TFM", "anna")
		anna.get("/profil")
		p := anna.post("/profil/totp", url.Values{"csrf": {anna.csrf}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("begin: %d %s", p.status, p.body)
		}
		p = anna.get("/profil")
		wantPage(t, p, 200, `action="/profil/totp/bestaetigung#totp-bestaetigung"`, `<div id="totp-bestaetigung">`)
		m := regexp.MustCompile(`id="totp-schluessel">([A-Z2-7]+)<`).FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no key on the page: %s", p.body)
		}
		p = anna.post("/profil/totp/bestaetigung", url.Values{"csrf": {anna.csrf}, "code": {"000000"}})
		wantPage(t, p, 422, `<div id="totp-bestaetigung" tabindex="-1" data-fokus>`, `id="totp-code-code-fehler"`)
		code, err := totp.GenerateCode(m[1], e.f.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		p = anna.post("/profil/totp/bestaetigung", url.Values{"csrf": {anna.csrf}, "code": {code}})
		wantPage(t, p, 200, `<h3 id="totp-bestaetigung" tabindex="-1" data-fokus>Ihre Wiederherstellungscodes`)
		if n := strings.Count(p.body, `id="totp-bestaetigung"`); n != 1 {
			t.Errorf("%d elements with the id totp-bestaetigung", n)
		}
		if strings.Count(p.body, "data-fokus") != 1 {
			t.Error("more than one place marked for the focus")
		}
	})
}

// TestUIDokumentVerlaufAbrufe: every view of a text Dokument's page reads
// its content (audited); the history shows the changes and sums the reads
// up in one line, and ?verlauf=alle lists them.
func TestUIDokumentVerlaufAbrufe(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		c, err := e.f.Svc.StoreContent(ctx, e.f.Bernd, strings.NewReader("Vermerk zum Antrag"), "vermerk.txt")
		if err != nil {
			t.Fatal(err)
		}
		d, _, err := e.f.Svc.CreateDokument(ctx, e.f.Bernd, e.vorgang.ID, records.NewDokument{Betreff: "Vermerk"}, c)
		if err != nil {
			t.Fatal(err)
		}
		bernd := e.client()
		bernd.signIn()
		var p page
		for range 3 {
			p = bernd.get("/dokumente/" + d.ID)
			wantPage(t, p, 200, "Vermerk zum Antrag")
		}
		verlauf := func(p page) string {
			i := strings.Index(p.body, `<h2 id="h-verlauf">`)
			if i < 0 {
				t.Fatalf("no history: %s", p.body)
			}
			return p.body[i:]
		}
		v := verlauf(p)
		if strings.Contains(v, "Inhalt abgerufen") {
			t.Errorf("the reads are listed by default:\n%s", v)
		}
		for _, want := range []string{"Dokument angelegt", "3 Abrufe des Inhalts, zuletzt am ", " durch bernd.",
			`<a href="/dokumente/` + d.ID + `?verlauf=alle#h-verlauf">Abrufe einzeln zeigen</a>`} {
			if !strings.Contains(v, want) {
				t.Errorf("history lacks %q:\n%s", want, v)
			}
		}
		v = verlauf(bernd.get("/dokumente/" + d.ID + "?verlauf=alle"))
		if n := strings.Count(v, "Inhalt abgerufen"); n != 4 {
			t.Errorf("%d reads listed with ?verlauf=alle, want 4:\n%s", n, v)
		}
		if !strings.Contains(v, "Nur Änderungen zeigen") || !strings.Contains(v, "Dokument angelegt") {
			t.Errorf("history with the reads:\n%s", v)
		}
		// Akte and Vorgang keep their whole history, without the line
		v = verlauf(bernd.get("/vorgaenge/" + e.vorgang.ID))
		if strings.Contains(v, "Abrufe") || !strings.Contains(v, "Vorgang angelegt") {
			t.Errorf("Vorgang history:\n%s", v)
		}
	})
}

// TestUIKosmetik: counts with the right noun, the Kennzeichen hint of a new
// position, field errors that say what is wrong, the Typ facet without the
// kinds of objects, the upload limit in MiB everywhere.
func TestUIKosmetik(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		anna := e.client()
		anna.vwSignIn("TFM", "anna", uiPW)
		if _, err := e.f.Svc.CreateUnitAs(ctx, e.f.Anna, records.NewUnit{Kennung: "Z", Name: "Zentral", Typ: "abteilung"}); err != nil {
			t.Fatal(err)
		}
		p := anna.get("/verwaltung")
		wantPage(t, p, 200, "<p>1 Einheit:", "<p>6 Positionen:")
		if strings.Contains(p.body, "1 Einheiten") {
			t.Error("1 Einheiten")
		}
		p = anna.get("/verwaltung/aktenplan")
		wantPage(t, p, 200, "Später änderbar, solange unter der Position keine Akte abgelegt ist.")
		if strings.Contains(p.body, "nicht änderbar") {
			t.Error("the hint still says the Kennzeichen cannot be changed")
		}
		// empty fields: the error says what is missing, not the rule again
		p = anna.vwPost("/verwaltung/einheiten", url.Values{"kennung": {""}, "name": {"Neu"}, "typ": {"referat"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "eh-kennung", "Bitte eine Kennung angeben.")
		p = anna.vwPost("/verwaltung/benutzer", url.Values{"login": {""}, "name": {"Erik Meier"}, "typ": {"person"}, "rollen": {"leitung"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "neu-login", "Bitte einen Anmeldenamen angeben.")
		p = anna.vwPost("/verwaltung/aktenplan", url.Values{"kennzeichen": {""}, "titel": {"Bauwesen"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "ap-kennzeichen", "Bitte ein Kennzeichen angeben.")
		// one unit for the upload limit: MiB on the system page and the forms
		limit := fmt.Sprintf("%d MiB", e.f.Svc.MaxUpload()>>20)
		wantPage(t, anna.get("/verwaltung/system"), 200, "<dd>"+limit+" je Datei</dd>")
		wantPage(t, anna.get("/vorgaenge/"+e.vorgang.ID), 200, "je höchstens "+limit+")")

		// the Typ facet lists types of Dokumente only; Art covers the kinds
		c, err := e.f.Svc.StoreContent(ctx, e.f.Bernd, strings.NewReader("Antrag auf Zulassung"), "antrag.txt")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.f.Svc.CreateDokument(ctx, e.f.Bernd, e.vorgang.ID, records.NewDokument{Betreff: "Antrag Müller", Typ: "Antrag"}, c); err != nil {
			t.Fatal(err)
		}
		e.index()
		p = anna.get("/suche?q=Antrag")
		wantPage(t, p, 200, "typ=Antrag", "objekt="+records.ObjVorgang)
		if strings.Contains(p.body, "typ=Vorgang") || strings.Contains(p.body, "typ=Akte") {
			t.Errorf("the Typ facet lists kinds of objects:\n%s", p.body)
		}
	})
}
