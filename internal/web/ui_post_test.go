package web_test

// Plain-HTTP tests of the Posteingang and search pages (no browser): the
// pages without JavaScript, the search-as-you-type fragment, assignment in
// its three forms, upload, CSRF, the same 404 for foreign and unknown
// items, search with facets, paging, direct jump, malformed queries and
// saved searches. The browser walks the same pages in
// ui_browser_post_test.go.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"aktenwerk/internal/records"
)

// signInAs signs a user without a second factor in (anna, carla).
func (c *uiClient) signInAs(tenant, login string) {
	t := c.e.t
	t.Helper()
	p := c.post("/anmelden", url.Values{"tenant": {tenant}, "login": {login}, "passwort": {uiPW}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign-in %s: %d %s", login, p.status, p.body)
	}
	c.get("/")
	if c.csrf == "" {
		t.Fatal("no CSRF token")
	}
}

// hx requests a fragment as htmx does.
func (c *uiClient) hx(path string) page {
	c.e.t.Helper()
	req, err := http.NewRequest("GET", c.e.srv.URL+path, nil)
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("HX-Request", "true")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header, string(b)}
}

// postItem files an item into TFM's Posteingang from the watch folder, with
// its recognised text.
func (e *uiEnv) postItem(tenant, name, content, text string) records.PostItem {
	e.t.Helper()
	ctx := context.Background()
	sys, err := e.f.Svc.SystemPrincipal(ctx, tenant)
	if err != nil {
		e.t.Fatal(err)
	}
	c, err := e.f.Svc.StoreContent(ctx, sys, strings.NewReader(content), name)
	if err != nil {
		e.t.Fatal(err)
	}
	it, _, err := e.f.Svc.ReceivePost(ctx, sys, records.PostIn{Quelle: records.QuelleOrdner, SourceRef: name + "|" + c.SHA256, Content: c})
	if err != nil {
		e.t.Fatal(err)
	}
	if text != "" {
		if err := e.f.Svc.SetPostRecognition(ctx, it.ID, records.PostRecognition{Status: records.TextErkannt, Text: text}); err != nil {
			e.t.Fatal(err)
		}
	}
	return it
}

func (e *uiEnv) index() {
	e.t.Helper()
	if _, err := e.f.Svc.IndexPending(context.Background(), 0); err != nil {
		e.t.Fatal(err)
	}
}

var csrfFieldRE = regexp.MustCompile(`name="csrf" value="[^"]*"`)

func stripCSRF(s string) string { return csrfFieldRE.ReplaceAllString(s, "") }

func TestUIPosteingang(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		brief := e.postItem("TFM", "scan-0001.txt", "Schreiben von Herrn Müller\nzum Az. "+e.vorgang.Aktenzeichen+"\n",
			"Schreiben von Herrn Müller zum Az. "+e.vorgang.Aktenzeichen+" und zur Akte "+e.akte.Aktenzeichen)
		fremd := e.postItem("TSK", "kabinett.txt", "Kabinettsvorlage", "")
		// a Vorgang of TSK whose Betreff would match: never offered to TFM
		tskVg, err := e.f.Svc.CreateVorgang(ctx, e.f.Carla, e.fremdeAkte.ID, "Antrag der Staatskanzlei", nil)
		if err != nil {
			t.Fatal(err)
		}
		e.index()

		// bernd (Sachbearbeitung) may not manage the Posteingang
		bernd := e.client()
		bernd.signIn()
		wantPage(t, bernd.get("/posteingang"), 403, "Keine Berechtigung")
		wantPage(t, bernd.get("/posteingang/"+brief.ID), 403, "Keine Berechtigung")

		anna := e.client()
		anna.signInAs("TFM", "anna")
		p := anna.get("/posteingang")
		wantPage(t, p, 200, "Offene Eingänge", `href="/posteingang/`+brief.ID+`"`, "scan-0001.txt", "Ordner (Scan)", "15.03.2026",
			"Text erkannt", `aria-current="page">Offen`, `enctype="multipart/form-data"`)
		if strings.Contains(p.body, fremd.ID) {
			t.Error("TSK item in TFM's list")
		}
		// the item page: preview, recognised text, suggestions, the forms
		p = anna.get("/posteingang/" + brief.ID)
		wantPage(t, p, 200, `<pre class="vorschau-text"`, "Schreiben von Herrn Müller", "Erkannter Text",
			"Vorschläge", e.vorgang.Aktenzeichen, "Diesem Vorgang zuordnen", "Neuen Vorgang in dieser Akte anlegen",
			`hx-get="/posteingang/`+brief.ID+`/vorgangssuche"`, `id="z-suche"`, `for="z-suche"`, `role="status"`,
			`id="na-position"`, "121 Ausbildung", `id="nv-akte"`, `href="/api/v1/posteingang/`+brief.ID+`/inhalt"`)
		if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<style|\sstyle=|\son[a-z]+=`).MatchString(p.body) {
			t.Errorf("inline script or style:\n%s", p.body)
		}
		// another tenant's item: exactly the page of an unknown id
		foreign := anna.get("/posteingang/" + fremd.ID)
		unknown := anna.get("/posteingang/0190c0de-0000-7000-8000-000000000000")
		wantPage(t, foreign, 404, "Seite nicht gefunden")
		wantPage(t, unknown, 404, "Seite nicht gefunden")
		if stripCSRF(foreign.body) != stripCSRF(unknown.body) {
			t.Errorf("foreign and unknown item differ:\n%s\n---\n%s", foreign.body, unknown.body)
		}
		for _, path := range []string{"/vorschau", "/vorgangssuche?suche=Antrag"} {
			wantPage(t, anna.hx("/posteingang/"+fremd.ID+path), 404, "Seite nicht gefunden")
		}
		wantPage(t, anna.post("/posteingang/"+fremd.ID+"/zuordnung", url.Values{"csrf": {anna.csrf}, "art": {"vorgang"}, "vorgang_id": {e.vorgang.ID}}), 404)

		// search-as-you-type: an HTML fragment of the open Vorgänge anna may see
		p = anna.hx("/posteingang/" + brief.ID + "/vorgangssuche?suche=" + url.QueryEscape("Antr"))
		wantPage(t, p, 200, `type="radio" name="vorgang_id"`, `value="`+e.vorgang.ID+`"`, e.vorgang.Aktenzeichen, `hx-swap-oob="innerHTML"`, "1 offener Vorgang gefunden.")
		if strings.Contains(p.body, tskVg.ID) || strings.Contains(p.body, "<html") {
			t.Errorf("fragment: %s", p.body)
		}
		// by Aktenzeichen, while it is being typed
		p = anna.hx("/posteingang/" + brief.ID + "/vorgangssuche?suche=" + url.QueryEscape(e.akte.Aktenzeichen[:8]))
		wantPage(t, p, 200, `value="`+e.vorgang.ID+`"`)
		wantPage(t, anna.hx("/posteingang/"+brief.ID+"/vorgangssuche?suche=A"), 200, "mindestens zwei Zeichen")
		wantPage(t, anna.hx("/posteingang/"+brief.ID+"/vorgangssuche?suche="+url.QueryEscape(`"(*)" OR`)), 200, "offene")
		// without htmx: the item page with the same search, as a plain form
		p = anna.get("/posteingang/" + brief.ID + "/vorgangssuche?suche=Antrag")
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/posteingang/"+brief.ID+"?suche=Antrag#zuordnen" {
			t.Fatalf("no-JS redirect: %d %v", p.status, p.header)
		}
		wantPage(t, anna.get("/posteingang/"+brief.ID+"?suche=Antrag"), 200, `value="`+e.vorgang.ID+`"`, `value="Antrag"`)

		// assignment: CSRF, a missing choice tied to the field, then done
		form := url.Values{"art": {"vorgang"}, "vorgang_id": {e.vorgang.ID}}
		wantPage(t, anna.post("/posteingang/"+brief.ID+"/zuordnung", form), 403, "Anfrage abgelehnt")
		p = anna.post("/posteingang/"+brief.ID+"/zuordnung", url.Values{"csrf": {anna.csrf}, "art": {"vorgang"}, "suche": {"Antrag"}})
		wantPage(t, p, 422, `id="z-suche-fehler"`, `aria-describedby="z-suche-fehler z-suche-hilfe"`, `aria-invalid="true"`, `value="`+e.vorgang.ID+`"`)
		// a Vorgang of another tenant: refused like an unknown one, at the form
		p = anna.post("/posteingang/"+brief.ID+"/zuordnung", url.Values{"csrf": {anna.csrf}, "art": {"vorgang"}, "vorgang_id": {tskVg.ID}})
		wantPage(t, p, 422, "Dieser Vorgang wurde nicht gefunden.")
		form.Set("csrf", anna.csrf)
		p = anna.post("/posteingang/"+brief.ID+"/zuordnung", form)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/vorgaenge/"+e.vorgang.ID+"?meldung=zugeordnet" {
			t.Fatalf("assign: %d %v %s", p.status, p.header, p.body)
		}
		wantPage(t, anna.get("/vorgaenge/"+e.vorgang.ID+"?meldung=zugeordnet"), 200, "Der Eingang ist zugeordnet", "scan-0001.txt", "Scan")
		p = anna.get("/posteingang/" + brief.ID)
		wantPage(t, p, 200, "Zugeordnet am 15.03.2026 von anna", `href="/vorgaenge/`+e.vorgang.ID+`"`)
		if strings.Contains(p.body, `id="zuordnen"`) {
			t.Error("assignment forms on an assigned item")
		}
		wantPage(t, anna.post("/posteingang/"+brief.ID+"/zuordnung", form), 409, "bereits zugeordnet")
		wantPage(t, anna.get("/posteingang?status=zugeordnet"), 200, brief.ID, `aria-current="page">Zugeordnet`)
		if strings.Contains(anna.get("/posteingang").body, brief.ID) {
			t.Error("assigned item still listed as open")
		}

		// a new Vorgang in an Akte given by its Aktenzeichen
		zwei := e.postItem("TFM", "scan-0002.txt", "Zweites Schreiben", "")
		nv := url.Values{"csrf": {anna.csrf}, "art": {"neuer-vorgang"}, "akte_az": {"TFM-999-2026/0001"}}
		wantPage(t, anna.post("/posteingang/"+zwei.ID+"/zuordnung", nv), 422, `id="nv-akte-fehler"`, "Keine Akte mit diesem Aktenzeichen")
		nv.Set("akte_az", e.fremdeAkte.Aktenzeichen)
		wantPage(t, anna.post("/posteingang/"+zwei.ID+"/zuordnung", nv), 422, `id="nv-akte-fehler"`, "Keine Akte mit diesem Aktenzeichen")
		nv.Set("akte_az", e.vorgang.Aktenzeichen)
		wantPage(t, anna.post("/posteingang/"+zwei.ID+"/zuordnung", nv), 422, "nicht einer Akte")
		nv.Set("akte_az", e.akte.Aktenzeichen)
		nv.Set("vorgang_betreff", "Zweites Schreiben Müller")
		p = anna.post("/posteingang/"+zwei.ID+"/zuordnung", nv)
		if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "?meldung=zugeordnet") {
			t.Fatalf("new Vorgang: %d %v %s", p.status, p.header, p.body)
		}
		wantPage(t, anna.get(p.header.Get("Location")), 200, "Zweites Schreiben Müller", e.akte.Aktenzeichen+"-002")

		// a new Akte with a Vorgang
		drei := e.postItem("TFM", "scan-0003.txt", "Drittes Schreiben", "")
		na := url.Values{"csrf": {anna.csrf}, "art": {"neue-akte"}, "aktenplan_id": {e.plan["122"]}, "akte_titel": {" "}}
		wantPage(t, anna.post("/posteingang/"+drei.ID+"/zuordnung", na), 422, `id="na-titel-fehler"`, `aria-describedby="na-titel-fehler"`,
			`<option value="`+e.plan["122"]+`" selected>`)
		na.Set("akte_titel", "Fortbildung Müller")
		p = anna.post("/posteingang/"+drei.ID+"/zuordnung", na)
		if p.status != http.StatusSeeOther {
			t.Fatalf("new Akte: %d %s", p.status, p.body)
		}
		wantPage(t, anna.get(p.header.Get("Location")), 200, "TFM-122-2026/0001-001", "Fortbildung Müller", "scan-0003.txt")

		// upload into the Posteingang: refused without CSRF, then two files
		files := map[string][]byte{"Antrag.pdf": samplePDF("Antrag"), "Notiz.txt": []byte("Notiz")}
		body, ct := uploadForm(t, "", files, []string{"Antrag.pdf", "Notiz.txt"})
		wantPage(t, anna.do("POST", "/posteingang", body, ct), 403)
		if l, _ := e.f.Svc.ListPost(ctx, e.f.Anna, records.PostFilter{}, records.Page{Limit: 10}); len(l) != 0 {
			t.Fatalf("stored without CSRF: %d open", len(l))
		}
		body, ct = uploadForm(t, anna.csrf, files, []string{"Antrag.pdf", "Notiz.txt"})
		p = anna.do("POST", "/posteingang", body, ct)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/posteingang?anzahl=2&einheit=&meldung=eingang-hochgeladen" {
			t.Fatalf("upload: %d %v %s", p.status, p.header, p.body)
		}
		l, err := e.f.Svc.ListPost(ctx, e.f.Anna, records.PostFilter{}, records.Page{Limit: 10})
		if err != nil || len(l) != 2 || l[0].Quelle != records.QuelleUpload {
			t.Fatalf("uploaded: %+v %v", l, err)
		}
		wantPage(t, anna.get(p.header.Get("Location")), 200, "2 Dateien wurden in den Posteingang der Poststelle (ganzer Mandant) gelegt.", "Antrag.pdf", "Notiz.txt", "Upload")
		var pdf records.PostItem
		for _, it := range l {
			if it.Dateiname == "Antrag.pdf" {
				pdf = it
			}
		}
		p = anna.get("/posteingang/" + pdf.ID)
		wantPage(t, p, 200, `<iframe class="vorschau-pdf" src="/posteingang/`+pdf.ID+`/vorschau"`)
		if !strings.Contains(p.header.Get("Content-Security-Policy"), "frame-src 'self'") {
			t.Errorf("PDF item CSP: %s", p.header.Get("Content-Security-Policy"))
		}
		pv := anna.get("/posteingang/" + pdf.ID + "/vorschau")
		if pv.status != 200 || pv.header.Get("Content-Type") != "application/pdf" || pv.header.Get("X-Frame-Options") != "SAMEORIGIN" ||
			!strings.Contains(pv.header.Get("Content-Security-Policy"), "frame-ancestors 'self'") || !strings.HasPrefix(pv.header.Get("Content-Disposition"), "inline") {
			t.Fatalf("preview: %d %v", pv.status, pv.header)
		}
		wantPage(t, anna.get("/posteingang/"+drei.ID+"/vorschau"), 415, "Keine Vorschau")
		// the script's variant: plain text
		body, ct = uploadForm(t, anna.csrf, map[string][]byte{"x.txt": []byte("x")}, []string{"x.txt"})
		req, _ := http.NewRequest("POST", e.srv.URL+"/posteingang", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("X-Requested-With", "XMLHttpRequest")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := anna.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 201 || !strings.Contains(string(msg), "1 Eingang") {
			t.Fatalf("script upload: %d %s", res.StatusCode, msg)
		}
		// bernd may not upload either
		body, ct = uploadForm(t, bernd.csrf, files, []string{"Notiz.txt"})
		wantPage(t, bernd.do("POST", "/posteingang", body, ct), 403, "Keine Berechtigung")

		// carla (TSK) gets 404 for TFM's items everywhere
		carla := e.client()
		carla.signInAs("TSK", "carla")
		wantPage(t, carla.get("/posteingang"), 200, "kabinett.txt")
		for _, path := range []string{"/posteingang/" + brief.ID, "/posteingang/" + pdf.ID + "/vorschau"} {
			wantPage(t, carla.get(path), 404, "Seite nicht gefunden")
		}
		wantPage(t, carla.post("/posteingang/"+zwei.ID+"/zuordnung", url.Values{"csrf": {carla.csrf}, "art": {"vorgang"}, "vorgang_id": {tskVg.ID}}), 404)
	})
}

// TestUIPosteingangPaging: 50 items per page, newest first, the status
// filter kept.
func TestUIPosteingangPaging(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		for i := range 52 {
			e.postItem("TFM", fmt.Sprintf("scan-%03d.txt", i), fmt.Sprintf("Schreiben %d", i), "")
		}
		anna := e.client()
		anna.signInAs("TFM", "anna")
		p := anna.get("/posteingang?status=alle")
		wantPage(t, p, 200, "Eingänge 1–50", "scan-051.txt", "Nächste Seite")
		if strings.Contains(p.body, "scan-000.txt") {
			t.Error("oldest item on the first page")
		}
		next := regexp.MustCompile(`href="(/posteingang\?[^"]+)" rel="next"`).FindStringSubmatch(p.body)
		if next == nil || !strings.Contains(next[1], "status=alle") {
			t.Fatalf("next link: %v", next)
		}
		p = anna.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		wantPage(t, p, 200, "Eingänge 51–52", "scan-000.txt", "scan-001.txt", `href="/posteingang?status=alle">Erste Seite`)
	})
}

func TestUISuche(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		c, err := e.f.Svc.StoreContent(ctx, e.f.Bernd, bytes.NewReader([]byte("Bescheid")), "bescheid.txt")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.f.Svc.CreateDokument(ctx, e.f.Bernd, e.vorgang.ID, records.NewDokument{Betreff: "Bescheid über den Antrag <b>Müller</b>", Typ: "Bescheid"}, c); err != nil {
			t.Fatal(err)
		}
		tskVg, err := e.f.Svc.CreateVorgang(ctx, e.f.Carla, e.fremdeAkte.ID, "Antrag der Staatskanzlei", nil)
		if err != nil {
			t.Fatal(err)
		}
		e.index()

		bernd := e.client()
		bernd.signIn()
		wantPage(t, bernd.get("/suche"), 200, "Wonach suchen Sie?", `<label for="q">`, "Gespeicherte Suchen")
		p := bernd.get("/suche?q=Antrag")
		wantPage(t, p, 200, "2 Treffer", `href="/vorgaenge/`+e.vorgang.ID+`"`, `<mark>Antrag</mark>`, "Bescheid über den <mark>Antrag</mark> &lt;b&gt;Müller",
			"Ergebnis eingrenzen", `href="/suche?objekt=vorgang&amp;q=Antrag"`, "Vorgänge", "Dokumente", `href="/suche?q=Antrag&amp;typ=Bescheid"`,
			"Diese Suche speichern", `value="Antrag"`)
		if strings.Contains(p.body, tskVg.ID) || strings.Contains(p.body, "Staatskanzlei") {
			t.Error("another tenant's Vorgang found")
		}
		if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<style|\sstyle=|\son[a-z]+=|<b>`).MatchString(p.body) {
			t.Errorf("inline script/style or unescaped markup:\n%s", p.body)
		}
		// a facet: filter kept in links and the form, removable
		p = bernd.get("/suche?q=Antrag&objekt=vorgang")
		wantPage(t, p, 200, "1 Treffer", "Art: Vorgänge", `href="/suche?q=Antrag"`, `<input type="hidden" name="objekt" value="vorgang">`, `aria-current="true"`)
		if strings.Contains(p.body, "Bescheid über") {
			t.Error("filter not applied")
		}
		// the exact Aktenzeichen jumps to the object
		p = bernd.get("/suche?q=" + url.QueryEscape(e.vorgang.Aktenzeichen))
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/vorgaenge/"+e.vorgang.ID {
			t.Fatalf("direct: %d %v", p.status, p.header)
		}
		// … not another tenant's
		wantPage(t, bernd.get("/suche?q="+url.QueryEscape(e.fremdeAkte.Aktenzeichen)), 200, "Keine Treffer")
		// a malformed query: 422, the message tied to the field
		p = bernd.get("/suche?q=" + url.QueryEscape("(Antrag"))
		wantPage(t, p, 422, `id="q-fehler"`, `aria-describedby="q-fehler q-hilfe"`, `aria-invalid="true"`, "Die Suchanfrage ist fehlerhaft", "Klammer")
		wantPage(t, bernd.get("/suche?q=Antrag&jahr=26"), 422, "Das Jahr im Filter ist ungültig")
		wantPage(t, bernd.get("/suche?q=Antrag&weiter=!!"), 400)
		wantPage(t, bernd.get("/suche?q=Antrag&weiter=eDE"), 400)
		// a user who may not read contents (audit role) gets the 403 page
		// (covered by the API; the page uses the same service call)

		// paging with the cursor
		for i := range 23 {
			if _, err := e.f.Svc.CreateVorgang(ctx, e.f.Bernd, e.akte.ID, fmt.Sprintf("Widerspruch Nr. %d", i), nil); err != nil {
				t.Fatal(err)
			}
		}
		e.index()
		p = bernd.get("/suche?q=Widerspruch")
		wantPage(t, p, 200, "23 Treffer", "Weitere Treffer")
		if n := strings.Count(p.body, `class="treffer"`); n != 20 {
			t.Fatalf("%d hits on the first page", n)
		}
		next := regexp.MustCompile(`href="(/suche\?[^"]*weiter=[^"]+)" rel="next"`).FindStringSubmatch(p.body)
		if next == nil {
			t.Fatal("no next link")
		}
		p = bernd.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		wantPage(t, p, 200, "Treffer 21–23", `start="21"`, `href="/suche?q=Widerspruch">Zum Anfang`)
		if n := strings.Count(p.body, `class="treffer"`); n != 3 {
			t.Fatalf("%d hits on the second page", n)
		}

		// saved searches: CSRF, save, list, duplicate, nobody else sees them, delete
		save := url.Values{"name": {"Meine Anträge"}, "q": {"Antrag"}, "objekt": {"vorgang"}}
		wantPage(t, bernd.post("/suche/gespeichert", save), 403, "Anfrage abgelehnt")
		save.Set("csrf", bernd.csrf)
		p = bernd.post("/suche/gespeichert", save)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/suche?meldung=suche-gespeichert&objekt=vorgang&q=Antrag" {
			t.Fatalf("save: %d %v %s", p.status, p.header, p.body)
		}
		p = bernd.get("/suche")
		wantPage(t, p, 200, `href="/suche?objekt=vorgang&amp;q=Antrag">Meine Anträge</a>`, "„Antrag“ · Art: Vorgänge", "Löschen")
		wantPage(t, bernd.post("/suche/gespeichert", save), 409, `id="gs-name-fehler"`, "gibt es schon", `aria-invalid="true"`)
		save.Set("name", "")
		wantPage(t, bernd.post("/suche/gespeichert", save), 422, `id="gs-name-fehler"`, "Name: darf nicht leer sein")
		list, err := e.f.Svc.ListSavedSearches(ctx, e.f.Bernd)
		if err != nil || len(list) != 1 {
			t.Fatalf("saved: %+v %v", list, err)
		}
		anna := e.client()
		anna.signInAs("TFM", "anna")
		if p := anna.get("/suche"); strings.Contains(p.body, "Meine Anträge") {
			t.Error("anna sees bernd's saved search")
		}
		wantPage(t, anna.post("/suche/gespeichert/"+list[0].ID+"/loeschen", url.Values{"csrf": {anna.csrf}}), 404, "Seite nicht gefunden")
		wantPage(t, bernd.post("/suche/gespeichert/"+list[0].ID+"/loeschen", url.Values{}), 403)
		p = bernd.post("/suche/gespeichert/"+list[0].ID+"/loeschen", url.Values{"csrf": {bernd.csrf}, "zurueck": {"q=Antrag&x=1"}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/suche?meldung=suche-geloescht&q=Antrag" {
			t.Fatalf("delete: %d %v", p.status, p.header)
		}
		wantPage(t, bernd.get("/suche?meldung=suche-geloescht&q=Antrag"), 200, "Die gespeicherte Suche ist gelöscht.")
		if l, _ := e.f.Svc.ListSavedSearches(ctx, e.f.Bernd); len(l) != 0 {
			t.Errorf("not deleted: %+v", l)
		}
	})
}
