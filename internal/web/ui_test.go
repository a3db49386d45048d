package web_test

// Tests of the clerk's web application over plain HTTP (no browser): the
// pages a browser without JavaScript sees, the security headers, the
// sign-in with password and TOTP by form, CSRF, the multi-file upload, the
// preview, and the same 404 page for unknown and foreign objects. The
// browser tests (ui_browser_test.go) drive the same server with Chromium.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/auth"
	"aktenwerk/internal/auth/oidc"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/web"
)

const uiPW = "Lange-Passwort-Phrase-2026"

// uiEnv is a real server with sample records: TFM has an Aktenplan
// 1 › 12 › 121 (and 2 › 21), an Akte under 121 with a Vorgang; bernd
// (Sachbearbeitung, TFM) has a password and TOTP; TSK has an Akte of its
// own.
type uiEnv struct {
	t          *testing.T
	f          *storetest.Fixture
	srv        *httptest.Server
	web        *web.Server
	totpSecret string
	plan       map[string]string // Kennzeichen → id
	akte       records.Akte
	vorgang    records.Vorgang
	fremdeAkte records.Akte // TSK
}

func newUIEnv(t *testing.T, b storetest.Backend) *uiEnv {
	t.Helper()
	ctx := context.Background()
	f := storetest.NewFixture(t, b.Open)
	srv := web.New(f.Svc, slog.New(slog.NewTextHandler(io.Discard, nil)),
		web.Options{InsecureCookie: true, Auth: auth.Options{Argon2: auth.TestParams}})
	e := &uiEnv{t: t, f: f, web: srv, plan: map[string]string{}}
	e.srv = httptest.NewServer(srv)
	t.Cleanup(e.srv.Close)
	for _, login := range []string{"anna", "bernd"} {
		if _, err := srv.Auth().SetPassword(ctx, "TFM", login, uiPW); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.Auth().SetPassword(ctx, "TSK", "carla", uiPW); err != nil {
		t.Fatal(err)
	}
	en, err := srv.Auth().BeginTOTP(ctx, f.Bernd)
	if err != nil {
		t.Fatal(err)
	}
	e.totpSecret = en.Secret
	if _, err := srv.Auth().ConfirmTOTP(ctx, f.Bernd, e.code()); err != nil {
		t.Fatal(err)
	}
	f.Clock.Advance(30 * time.Second) // the confirming code is used up
	parent := func(k string) *string {
		if k == "" {
			return nil
		}
		id := e.plan[k]
		return &id
	}
	for _, p := range []struct{ k, parent, titel string }{
		{"1", "", "Organisation"}, {"12", "1", "Personal"}, {"121", "12", "Ausbildung"}, {"122", "12", "Fortbildung"},
		{"2", "", "Haushalt"}, {"21", "2", "Haushaltsplan"},
	} {
		pos, err := f.Svc.CreateAktenplan(ctx, f.Anna, records.NewAktenplan{ParentID: parent(p.parent), Kennzeichen: p.k, Titel: p.titel})
		if err != nil {
			t.Fatal(err)
		}
		e.plan[p.k] = pos.ID
	}
	if e.akte, err = f.Svc.CreateAkte(ctx, f.Bernd, records.NewAkte{AktenplanID: e.plan["121"], Titel: "Ausbildungsplätze 2026",
		Beschreibung: "Vergabe der Ausbildungsplätze im Finanzministerium"}); err != nil {
		t.Fatal(err)
	}
	if e.vorgang, err = f.Svc.CreateVorgang(ctx, f.Bernd, e.akte.ID, "Antrag Müller auf Zulassung", nil); err != nil {
		t.Fatal(err)
	}
	tskPlan, err := f.Svc.CreateAktenplan(ctx, f.Carla, records.NewAktenplan{Kennzeichen: "9", Titel: "Kabinett"})
	if err != nil {
		t.Fatal(err)
	}
	if e.fremdeAkte, err = f.Svc.CreateAkte(ctx, f.Carla, records.NewAkte{AktenplanID: tskPlan.ID, Titel: "Kabinettssitzung"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// code is bernd's current TOTP code (the server's clock is the fixture's).
func (e *uiEnv) code() string {
	c, err := totp.GenerateCode(e.totpSecret, e.f.Clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// uiClient is a browser without JavaScript: a cookie jar, no redirects
// followed automatically unless asked.
type uiClient struct {
	e    *uiEnv
	c    *http.Client
	csrf string
}

func (e *uiEnv) client() *uiClient {
	jar, _ := cookiejar.New(nil)
	return &uiClient{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status int
	header http.Header
	body   string
}

func (c *uiClient) do(method, path string, body io.Reader, ctype string) page {
	c.e.t.Helper()
	req, err := http.NewRequest(method, c.e.srv.URL+path, body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	// what a browser sends with a same-origin form
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := page{res.StatusCode, res.Header, string(b)}
	if m := csrfRE.FindStringSubmatch(p.body); m != nil {
		c.csrf = m[1]
	}
	return p
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *uiClient) get(path string) page { return c.do("GET", path, nil, "") }

func (c *uiClient) post(path string, form url.Values) page {
	return c.do("POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// signIn signs bernd in with password and TOTP through the two forms.
func (c *uiClient) signIn() {
	t := c.e.t
	t.Helper()
	p := c.post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"bernd"}, "passwort": {uiPW}})
	if p.status != 200 || !strings.Contains(p.body, `name="totp"`) {
		t.Fatalf("step 1: %d %s", p.status, p.body)
	}
	p = c.post("/anmelden", url.Values{"schritt": {"totp"}, "tenant": {"TFM"}, "login": {"bernd"}, "anmeldung": {pendingToken(t, p)}, "totp": {c.e.code()}, "ziel": {"/"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
		t.Fatalf("step 2: %d %v %s", p.status, p.header, p.body)
	}
	c.get("/") // picks up the CSRF token
	if c.csrf == "" {
		t.Fatal("no CSRF token on the start page")
	}
}

// pendingToken is the token of the pending sign-in a TOTP step page
// carries (and nothing else of the first step: the password stays out).
func pendingToken(t testing.TB, p page) string {
	t.Helper()
	m := regexp.MustCompile(`name="anmeldung" value="([A-Za-z0-9_-]{43})"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no pending sign-in token on the page: %d %s", p.status, p.body)
	}
	if strings.Contains(p.body, uiPW) || strings.Contains(p.body, `name="passwort"`) {
		t.Fatalf("the TOTP step page carries the password: %s", p.body)
	}
	return m[1]
}

func wantPage(t *testing.T, p page, status int, contains ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d: %s", p.status, status, p.body)
	}
	for _, c := range contains {
		if !strings.Contains(p.body, c) {
			t.Fatalf("page (status %d) lacks %q:\n%s", p.status, c, p.body)
		}
	}
}

func forUIBackends(t *testing.T, fn func(*testing.T, *uiEnv)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, newUIEnv(t, b)) })
	}
}

func TestUISecurityHeaders(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		c := e.client()
		for _, path := range []string{"/anmelden", "/", "/gibt-es-nicht"} {
			p := c.get(path)
			csp := p.header.Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
				"form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("%s: CSP %q lacks %q", path, csp, d)
				}
			}
			if strings.Contains(csp, "unsafe") {
				t.Errorf("%s: CSP allows unsafe sources: %q", path, csp)
			}
			if p.header.Get("X-Content-Type-Options") != "nosniff" || p.header.Get("Referrer-Policy") != "same-origin" {
				t.Errorf("%s: headers %v", path, p.header)
			}
		}
		// no inline script or style in any page
		c.signIn()
		for _, path := range []string{"/", "/aktenplan", "/akten/" + e.akte.ID, "/vorgaenge/" + e.vorgang.ID} {
			p := c.get(path)
			wantPage(t, p, 200)
			if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<style|\sstyle=|\son[a-z]+=`).MatchString(p.body) {
				t.Errorf("%s: inline script or style:\n%s", path, p.body)
			}
		}
	})
}

func TestUIAssets(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		c := e.client()
		p := c.get("/anmelden")
		m := regexp.MustCompile(`/assets/app\.css\?v=([0-9a-f]{12})`).FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no versioned CSS link: %s", p.body)
		}
		for _, a := range []struct{ path, ctype string }{
			{"/assets/app.css", "text/css; charset=utf-8"}, {"/assets/app.js", "text/javascript; charset=utf-8"},
			{"/assets/vendor/htmx/htmx.min.js", "text/javascript; charset=utf-8"}, {"/assets/vendor/htmx/LICENSE", "text/plain; charset=utf-8"},
		} {
			r := c.get(a.path)
			if r.status != 200 || r.header.Get("Content-Type") != a.ctype || r.header.Get("Cache-Control") != "no-cache" {
				t.Errorf("%s: %d %v", a.path, r.status, r.header)
			}
		}
		r := c.get("/assets/app.css?v=" + m[1])
		if r.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("versioned asset: %v", r.header)
		}
		if r := c.get("/assets/../server.go"); r.status == 200 {
			t.Errorf("path outside assets: %d", r.status)
		}
		if r := c.get("/assets/fehlt.css"); r.status != 404 {
			t.Errorf("missing asset: %d", r.status)
		}
		if !strings.Contains(p.body, `<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false`) &&
			!strings.Contains(p.body, `"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false`) {
			t.Errorf("htmx config missing:\n%s", p.body)
		}
	})
}

func TestUISignIn(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		c := e.client()
		// without a session every page leads to the sign-in, keeping the target
		p := c.get("/akten/" + e.akte.ID)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/anmelden?ziel="+url.QueryEscape("/akten/"+e.akte.ID) {
			t.Fatalf("redirect: %d %v", p.status, p.header)
		}
		wantPage(t, c.get("/anmelden"), 200, `<label for="tenant">`, `autocomplete="current-password"`)
		if strings.Contains(c.get("/anmelden").body, "Landes-Login") {
			t.Error("OIDC button without OIDC configured")
		}
		// wrong password: error tied to the field
		p = c.post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"anna"}, "passwort": {"falsch-falsch-falsch"}})
		wantPage(t, p, 401, `role="alert"`, `aria-describedby="passwort-fehler"`, `id="passwort-fehler"`, `aria-invalid="true"`)
		// empty fields: each named
		p = c.post("/anmelden", url.Values{"tenant": {""}, "login": {""}, "passwort": {""}})
		wantPage(t, p, 422, `id="tenant-fehler"`, `id="login-fehler"`, `aria-describedby="tenant-fehler"`)
		// anna has no TOTP: straight in, to the page she wanted
		p = c.post("/anmelden", url.Values{"tenant": {"tfm"}, "login": {"anna"}, "passwort": {uiPW}, "ziel": {"/akten/" + e.akte.ID}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/akten/"+e.akte.ID {
			t.Fatalf("anna: %d %v %s", p.status, p.header, p.body)
		}
		wantPage(t, c.get("/akten/"+e.akte.ID), 200, e.akte.Aktenzeichen, "Ausbildungsplätze 2026")
		// a foreign target is not followed
		c2 := e.client()
		p = c2.post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"anna"}, "passwort": {uiPW}, "ziel": {"//evil.example/x"}})
		if p.header.Get("Location") != "/" {
			t.Fatalf("open redirect: %v", p.header)
		}
		// bernd: password, then TOTP; a wrong code is refused at the field
		c3 := e.client()
		p = c3.post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"bernd"}, "passwort": {uiPW}})
		wantPage(t, p, 200, `name="totp"`, `autocomplete="one-time-code"`, `name="schritt" value="totp"`)
		if !strings.Contains(p.header.Get("Cache-Control"), "no-store") {
			t.Errorf("TOTP step cacheable: %v", p.header)
		}
		pending := pendingToken(t, p)
		p = c3.post("/anmelden", url.Values{"schritt": {"totp"}, "tenant": {"TFM"}, "login": {"bernd"}, "anmeldung": {pending}, "totp": {"000000"}})
		if e.code() == "000000" {
			t.Skip("the current code happens to be 000000")
		}
		wantPage(t, p, 401, `aria-describedby="totp-fehler"`, `name="totp"`)
		if pendingToken(t, p) != pending {
			t.Error("the token changed after a wrong code")
		}
		c3.signIn()
		wantPage(t, c3.get("/"), 200, "bernd", "Thüringer Finanzministerium", "Abmelden")
		// sign-out needs the CSRF token, then ends the session
		wantPage(t, c3.post("/abmelden", url.Values{}), 403, "Anfrage abgelehnt")
		p = c3.post("/abmelden", url.Values{"csrf": {c3.csrf}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/anmelden?abgemeldet=1" {
			t.Fatalf("logout: %d %v", p.status, p.header)
		}
		if p := c3.get("/"); p.status != http.StatusSeeOther {
			t.Fatalf("after logout: %d", p.status)
		}
		// API tokens do not open UI pages
		req, _ := http.NewRequest("GET", e.srv.URL+"/", nil)
		tok, _, _ := e.f.Svc.CreateToken(context.Background(), "TFM", "anna", "ui", 0)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("token on UI: %d", res.StatusCode)
		}
	})
}

func TestUIPagesAndNotFound(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		c := e.client()
		c.signIn()
		// start page: nothing opened yet → the most recently changed Akten
		wantPage(t, c.get("/"), 200, "Zuletzt geänderte Akten", e.akte.Aktenzeichen, "Aufgaben und Wiedervorlagen", `action="/suche"`)
		wantPage(t, c.get("/aktenplan"), 200, `data-baum`, "<details", "Organisation", "Ausbildung")
		p := c.get("/aktenplan/" + e.plan["121"])
		wantPage(t, p, 200, e.akte.Aktenzeichen, `aria-current="page"`, "<details open>")
		wantPage(t, c.get("/akten/"+e.akte.ID), 200, "Vorgänge", e.vorgang.Aktenzeichen, "Freigaben", "Verlauf", "Akte angelegt")
		// opened → the start page lists it as recently used
		wantPage(t, c.get("/"), 200, "Zuletzt geöffnete Akten", e.akte.Aktenzeichen)
		wantPage(t, c.get("/vorgaenge/"+e.vorgang.ID), 200, "Dokumente", "Dateien hochladen", `type="file"`, "multiple", "z.d.A. verfügen")
		// unknown ids and objects of another tenant: the same page
		unknown := c.get("/akten/0190c0de-0000-7000-8000-000000000000")
		foreign := c.get("/akten/" + e.fremdeAkte.ID)
		wantPage(t, unknown, 404, "Seite nicht gefunden")
		wantPage(t, foreign, 404, "Seite nicht gefunden")
		strip := func(s string) string { return regexp.MustCompile(`name="csrf" value="[^"]*"`).ReplaceAllString(s, "") }
		if strip(unknown.body) != strip(foreign.body) {
			t.Errorf("foreign and unknown Akte differ:\n%s\n---\n%s", unknown.body, foreign.body)
		}
		wantPage(t, c.get("/vorgaenge/kein-uuid"), 404, "Seite nicht gefunden")
		wantPage(t, c.get("/dokumente/"+e.fremdeAkte.ID), 404, "Seite nicht gefunden")
		wantPage(t, c.get("/gibt/es/nicht"), 404, "Seite nicht gefunden")
		// Posteingang (Sachbearbeitung may not manage it) and search: ui_post_test.go
		wantPage(t, c.get("/posteingang"), 403, "Keine Berechtigung")
		wantPage(t, c.get("/suche?q=Antrag"), 200, `value="Antrag"`)
		// bad page cursor
		wantPage(t, c.get("/akten/"+e.akte.ID+"?nach=x"), 400)
	})
}

// uploadForm builds the form the Vorgang page sends without JavaScript.
func uploadForm(t *testing.T, csrf string, files map[string][]byte, order []string) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	mw.WriteField("typ", "Eingang")
	for _, name := range order {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(files[name])
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestUIUploadAndDokument(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		c := e.client()
		c.signIn()
		c.get("/vorgaenge/" + e.vorgang.ID)
		files := map[string][]byte{"Antrag_Müller.pdf": samplePDF("Antrag auf Zulassung"), "Vermerk.txt": []byte("Vermerk: Unterlagen vollständig.\n")}
		order := []string{"Antrag_Müller.pdf", "Vermerk.txt"}
		// without the CSRF field: refused before anything is stored
		body, ct := uploadForm(t, "", files, order)
		wantPage(t, c.do("POST", "/vorgaenge/"+e.vorgang.ID+"/dokumente", body, ct), 403)
		if l, _ := e.f.Svc.ListDokumente(context.Background(), e.f.Bernd, e.vorgang.ID, records.Page{}); len(l) != 0 {
			t.Fatalf("stored without CSRF: %v", l)
		}
		body, ct = uploadForm(t, c.csrf, files, order)
		p := c.do("POST", "/vorgaenge/"+e.vorgang.ID+"/dokumente", body, ct)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/vorgaenge/"+e.vorgang.ID+"?meldung=hochgeladen" {
			t.Fatalf("upload: %d %v %s", p.status, p.header, p.body)
		}
		p = c.get("/vorgaenge/" + e.vorgang.ID + "?meldung=hochgeladen")
		wantPage(t, p, 200, "Die Dateien wurden hochgeladen.", "Antrag Müller", "Vermerk")
		docs, err := e.f.Svc.ListDokumente(context.Background(), e.f.Bernd, e.vorgang.ID, records.Page{})
		if err != nil || len(docs) != 2 {
			t.Fatalf("documents: %v %v", docs, err)
		}
		var pdf, txt records.Dokument
		for _, d := range docs {
			if d.Betreff == "Antrag Müller" {
				pdf = d
			} else {
				txt = d
			}
		}
		if pdf.Typ != "Eingang" || txt.Betreff != "Vermerk" {
			t.Fatalf("metadata: %+v %+v", pdf, txt)
		}
		// the XHR variant of the script: one file, plain-text answers
		body, ct = uploadForm(t, c.csrf, map[string][]byte{"leer.txt": {}}, []string{"leer.txt"})
		req, _ := http.NewRequest("POST", e.srv.URL+"/vorgaenge/"+e.vorgang.ID+"/dokumente", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("X-Requested-With", "XMLHttpRequest")
		res, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 422 || !strings.Contains(string(msg), "leer") {
			t.Fatalf("empty file via script: %d %s", res.StatusCode, msg)
		}
		// Dokument page: PDF preview framed, text preview inline
		p = c.get("/dokumente/" + pdf.ID)
		wantPage(t, p, 200, `<iframe class="vorschau-pdf" src="/dokumente/`+pdf.ID+`/vorschau?version=1"`, "Versionen", "Herunterladen", "Texterkennung")
		if !strings.Contains(p.header.Get("Content-Security-Policy"), "frame-src 'self'") {
			t.Errorf("PDF page CSP: %s", p.header.Get("Content-Security-Policy"))
		}
		pv := c.get("/dokumente/" + pdf.ID + "/vorschau?version=1")
		if pv.status != 200 || pv.header.Get("Content-Type") != "application/pdf" || pv.header.Get("X-Frame-Options") != "SAMEORIGIN" ||
			!strings.Contains(pv.header.Get("Content-Security-Policy"), "frame-ancestors 'self'") || !strings.HasPrefix(pv.header.Get("Content-Disposition"), "inline") {
			t.Fatalf("preview: %d %v", pv.status, pv.header)
		}
		p = c.get("/dokumente/" + txt.ID)
		wantPage(t, p, 200, `<pre class="vorschau-text"`, "Unterlagen vollständig")
		if strings.Contains(p.header.Get("Content-Security-Policy"), "frame-src") {
			t.Errorf("text page allows frames")
		}
		wantPage(t, c.get("/dokumente/"+txt.ID+"/vorschau"), 415, "Keine Vorschau")
		// metadata edit: a bad date is tied to its field, nothing changes
		form := url.Values{"csrf": {c.csrf}, "betreff": {"Antrag Müller"}, "typ": {"Eingang"}, "absender": {"Max Müller"},
			"empfaenger": {""}, "dokumentdatum": {"31.02.2026"}, "eingangsdatum": {""}}
		p = c.post("/dokumente/"+pdf.ID, form)
		wantPage(t, p, 422, `id="dokumentdatum-fehler"`, `aria-describedby="dokumentdatum-fehler dokumentdatum-hinweis"`, `value="Max Müller"`, "31.02.2026 ist kein Kalendertag")
		form.Set("dokumentdatum", "2026-11-23")
		p = c.post("/dokumente/"+pdf.ID, form)
		if p.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", p.status, p.body)
		}
		wantPage(t, c.get("/vorgaenge/"+e.vorgang.ID), 200, "23.11.2026", "Max Müller")
		// without CSRF: refused
		form.Del("csrf")
		wantPage(t, c.post("/dokumente/"+pdf.ID, form), 403)
		// z.d.A. and Wiederaufnahme (sachbearbeitung may close; reopening is
		// for whom the rules allow it)
		p = c.post("/vorgaenge/"+e.vorgang.ID+"/zda", url.Values{"csrf": {c.csrf}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("zda: %d %s", p.status, p.body)
		}
		p = c.get("/vorgaenge/" + e.vorgang.ID + "?meldung=zda")
		wantPage(t, p, 200, "z.d.A. verfügt", "z.d.A.")
		if strings.Contains(p.body, "Dateien hochladen") {
			t.Error("upload offered in a closed Vorgang")
		}
		wantPage(t, c.post("/vorgaenge/"+e.vorgang.ID+"/zda", url.Values{"csrf": {c.csrf}}), 409, "fehler-box")
		anna := e.client()
		if p := anna.post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"anna"}, "passwort": {uiPW}}); p.status != http.StatusSeeOther {
			t.Fatalf("anna: %d", p.status)
		}
		p = anna.get("/vorgaenge/" + e.vorgang.ID)
		wantPage(t, p, 200, "Wiederaufnehmen")
		p = anna.post("/vorgaenge/"+e.vorgang.ID+"/wiederaufnahme", url.Values{"csrf": {anna.csrf}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("reopen: %d %s", p.status, p.body)
		}
		// carla (TSK) gets the 404 page for all of it
		carla := e.client()
		if p := carla.post("/anmelden", url.Values{"tenant": {"TSK"}, "login": {"carla"}, "passwort": {uiPW}}); p.status != http.StatusSeeOther {
			t.Fatalf("carla: %d", p.status)
		}
		for _, path := range []string{"/akten/" + e.akte.ID, "/vorgaenge/" + e.vorgang.ID, "/dokumente/" + pdf.ID, "/dokumente/" + pdf.ID + "/vorschau"} {
			wantPage(t, carla.get(path), 404, "Seite nicht gefunden")
		}
		carla.get("/")
		body, ct = uploadForm(t, carla.csrf, files, order)
		wantPage(t, carla.do("POST", "/vorgaenge/"+e.vorgang.ID+"/dokumente", body, ct), 404, "Seite nicht gefunden")
	})
}

// TestUIPaging: lists are pages of 50 with a link to the next.
func TestUIPaging(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		for i := range 53 {
			c, err := e.f.Svc.StoreContent(ctx, e.f.Bernd, strings.NewReader(fmt.Sprintf("Text %d", i)), "t.txt")
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := e.f.Svc.CreateDokument(ctx, e.f.Bernd, e.vorgang.ID, records.NewDokument{Betreff: fmt.Sprintf("Dokument %02d", i)}, c); err != nil {
				t.Fatal(err)
			}
		}
		c := e.client()
		c.signIn()
		p := c.get("/vorgaenge/" + e.vorgang.ID)
		wantPage(t, p, 200, "Dokumente 1–50", "Nächste Seite", `hx-select="#dokumente"`)
		if n := strings.Count(p.body, `href="/dokumente/`); n != 50 {
			t.Fatalf("%d documents on the first page", n)
		}
		next := regexp.MustCompile(`href="(/vorgaenge/[^"]+)" rel="next"`).FindStringSubmatch(p.body)
		if next == nil {
			t.Fatal("no next link")
		}
		p = c.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		wantPage(t, p, 200, "Dokumente 51–53", "Erste Seite")
		if n := strings.Count(p.body, `href="/dokumente/`); n != 3 {
			t.Fatalf("%d documents on the second page", n)
		}
	})
}

// samplePDF is a small valid one-page PDF showing text.
func samplePDF(text string) []byte {
	var b bytes.Buffer
	offs := []int{}
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	stream := fmt.Sprintf("BT /F1 24 Tf 72 760 Td (%s) Tj ET", text)
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// TestUISignInOIDCButton: "Anmelden mit Landes-Login" appears when single
// sign-on is configured (here with a provider that cannot be reached: the
// button is there, the route then answers 503).
func TestUISignInOIDCButton(t *testing.T) {
	f := storetest.NewFixture(t, storetest.OpenSQLite)
	srv := httptest.NewServer(web.New(f.Svc, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{InsecureCookie: true,
		OIDC: &web.OIDCOptions{Config: oidc.Config{Issuer: "http://127.0.0.1:1/idp", ClientID: "aktenwerk", ClientSecret: "geheim-geheim-geheim-geheim-geheim",
			RedirectURL: "http://127.0.0.1/api/v1/anmeldung/oidc/rueckkehr"}, DiscoveryTimeout: time.Second}}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/anmelden?ziel=%2Fakten%2Fx")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	wantPage(t, page{res.StatusCode, res.Header, string(b)}, 200, "Anmelden mit Landes-Login", `href="/api/v1/anmeldung/oidc?ziel=%2Fakten%2Fx"`)
}
