package web_test

// Plain-HTTP tests of the profile (ui_profil.go) and administration pages
// (ui_admin*.go), on SQLite and PostgreSQL: every page and form, the
// permission (a non-admin gets 403, another tenant's object the 404 page),
// forms without the CSRF token refused, bad input answered with a German
// message at the field and nothing changed.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/web"
)

// adminEnv is uiEnv with a job queue, and dora (Sachbearbeitung, TFM, a
// password, no second factor) for the profile.
type adminEnv struct {
	*uiEnv
	jobs *jobs.Store
	dora records.Principal
}

func newAdminEnv(t *testing.T, b storetest.Backend) *adminEnv {
	t.Helper()
	e := &adminEnv{uiEnv: newUIEnv(t, b)}
	ctx := context.Background()
	q, err := jobs.New(e.f.DB, jobs.Options{Now: e.f.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	e.jobs = q
	// the same records and sign-in state, now with the queue
	e.web = web.New(e.f.Svc, slog.New(slog.NewTextHandler(io.Discard, nil)),
		web.Options{InsecureCookie: true, Auth: auth.Options{Argon2: auth.TestParams}, Jobs: q})
	e.srv.Close()
	e.srv = httptest.NewServer(e.web)
	t.Cleanup(e.srv.Close)
	if _, err := e.f.Svc.CreateUser(ctx, "TFM", "dora", "Dora Demir", []access.Role{access.RoleSachbearbeitung}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.web.Auth().SetPassword(ctx, "TFM", "dora", uiPW); err != nil {
		t.Fatal(err)
	}
	if e.dora, err = e.f.Svc.UserPrincipal(ctx, "TFM", "dora"); err != nil {
		t.Fatal(err)
	}
	return e
}

func forAdminBackends(t *testing.T, fn func(*testing.T, *adminEnv)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, newAdminEnv(t, b)) })
	}
}

// signInAs signs a user without a second factor in by the form.
func (c *uiClient) vwSignIn(tenant, login, pw string) {
	t := c.e.t
	t.Helper()
	p := c.post("/anmelden", url.Values{"tenant": {tenant}, "login": {login}, "passwort": {pw}, "ziel": {"/"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign-in of %s: %d %s", login, p.status, p.body)
	}
	c.get("/")
	if c.csrf == "" {
		t.Fatalf("%s: no CSRF token", login)
	}
}

// postCSRF posts a form with the session's CSRF token.
func (c *uiClient) vwPost(path string, form url.Values) page {
	f := url.Values{"csrf": {c.csrf}}
	for k, v := range form {
		f[k] = v
	}
	return c.post(path, f)
}

// wantRedirect checks a 303 to a location starting with prefix.
func vwRedirect(t *testing.T, p page, prefix string) {
	t.Helper()
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), prefix) {
		t.Fatalf("want 303 to %s, got %d %q:\n%s", prefix, p.status, p.header.Get("Location"), p.body)
	}
}

// wantFieldError checks that a field's input is tied to its error message.
func vwFieldError(t *testing.T, p page, id, text string) {
	t.Helper()
	in := regexp.MustCompile(`<(?:input|select)[^>]*\sid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(p.body)
	if in == "" {
		t.Fatalf("no input #%s:\n%s", id, p.body)
	}
	if !strings.Contains(in, `aria-invalid="true"`) || !regexp.MustCompile(`aria-describedby="[^"]*\b`+regexp.QuoteMeta(id)+`-fehler\b`).MatchString(in) {
		t.Errorf("input #%s not tied to its error: %s", id, in)
	}
	m := regexp.MustCompile(`<p class="feldfehler" id="` + regexp.QuoteMeta(id) + `-fehler">([^<]*)</p>`).FindStringSubmatch(p.body)
	if m == nil || !strings.Contains(m[1], text) {
		t.Errorf("error of #%s: %v, want %q", id, m, text)
	}
}

var vwInlineRE = regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|<style|\sstyle=|\son[a-z]+=`)

func vwNoInline(t *testing.T, path string, p page) {
	t.Helper()
	if vwInlineRE.MatchString(p.body) {
		t.Errorf("%s: inline script or style", path)
	}
}

func TestUIProfil(t *testing.T) {
	forAdminBackends(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		c := e.client()
		if p := c.get("/profil"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/anmelden?ziel=%2Fprofil") {
			t.Fatalf("without a session: %d %v", p.status, p.header)
		}
		c.vwSignIn("TFM", "dora", uiPW)
		p := c.get("/profil")
		wantPage(t, p, 200, "Ihr Konto", "Dora Demir", "Sachbearbeitung", "nicht eingerichtet", `href="/profil" aria-current="page"`)
		vwNoInline(t, "/profil", p)
		if strings.Contains(p.body, `href="/verwaltung"`) {
			t.Error("Verwaltung offered to Sachbearbeitung")
		}

		// --- second factor: begin (CSRF first), confirm, recovery codes once ---
		wantPage(t, c.post("/profil/totp", url.Values{}), 403, "Anfrage abgelehnt")
		if sf, _ := e.web.Auth().SecondFactorOf(ctx, e.dora); sf.Pending != nil || sf.Enabled {
			t.Fatal("enrolment begun without CSRF token")
		}
		vwRedirect(t, c.vwPost("/profil/totp", nil), "/profil?meldung=totp-begonnen")
		p = c.get("/profil?meldung=totp-begonnen")
		wantPage(t, p, 200, "Die Einrichtung hat begonnen", `src="data:image/png;base64,`, "otpauth://totp/", `id="totp-code-code"`)
		secret := regexp.MustCompile(`id="totp-schluessel">([A-Z2-7]+)<`).FindStringSubmatch(p.body)
		if secret == nil {
			t.Fatalf("no secret shown:\n%s", p.body)
		}
		p = c.vwPost("/profil/totp/bestaetigung", url.Values{"code": {"000000"}})
		wantPage(t, p, 422, "Bitte die markierten Felder prüfen")
		vwFieldError(t, p, "totp-code-code", "Code stimmt nicht")
		if sf, _ := e.web.Auth().SecondFactorOf(ctx, e.dora); sf.Enabled {
			t.Fatal("enabled by a wrong code")
		}
		code, _ := totp.GenerateCode(secret[1], e.f.Clock.Now())
		p = c.vwPost("/profil/totp/bestaetigung", url.Values{"code": {code}})
		wantPage(t, p, 200, "Wiederherstellungscodes – nur jetzt sichtbar", "eingerichtet")
		codes := regexp.MustCompile(`<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>`).FindAllStringSubmatch(p.body, -1)
		if len(codes) != auth.RecoveryCodes {
			t.Fatalf("%d recovery codes shown", len(codes))
		}
		p = c.get("/profil")
		wantPage(t, p, 200, "Unbenutzte Wiederherstellungscodes: 10")
		if strings.Contains(p.body, codes[0][1]) || strings.Contains(p.body, secret[1]) {
			t.Error("codes or secret shown again")
		}
		// sign out and in again with the code
		vwRedirect(t, c.vwPost("/abmelden", nil), "/anmelden")
		e.f.Clock.Advance(30 * time.Second)
		c2 := e.client()
		p = c2.post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"dora"}, "passwort": {uiPW}})
		wantPage(t, p, 200, `name="totp"`)
		code, _ = totp.GenerateCode(secret[1], e.f.Clock.Now())
		vwRedirect(t, c2.post("/anmelden", url.Values{"schritt": {"totp"}, "tenant": {"TFM"}, "login": {"dora"}, "anmeldung": {pendingToken(t, p)}, "totp": {code}, "ziel": {"/profil"}}), "/profil")
		c = c2
		c.get("/profil")
		// remove: empty and wrong codes at the field, then a recovery code
		p = c.vwPost("/profil/totp/entfernen", url.Values{"code": {""}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "totp-aus-code", "Bitte den aktuellen Code")
		p = c.vwPost("/profil/totp/entfernen", url.Values{"code": {"123456"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "totp-aus-code", "Code stimmt nicht")
		vwRedirect(t, c.vwPost("/profil/totp/entfernen", url.Values{"code": {codes[3][1]}}), "/profil?meldung=totp-entfernt")
		if sf, _ := e.web.Auth().SecondFactorOf(ctx, e.dora); sf.Enabled || sf.Pending != nil {
			t.Fatal("second factor still there")
		}

		// --- API tokens ---
		before, _ := e.f.Svc.ListTokensAs(ctx, e.dora, "")
		p = c.vwPost("/profil/tokens", url.Values{"name": {" "}, "laeuft_ab_am": {"31.02.2026"}})
		wantPage(t, p, 422, "Bitte die markierten Felder prüfen")
		vwFieldError(t, p, "tok-name", "Darf nicht leer sein")
		vwFieldError(t, p, "tok-laeuft-ab-am", "Bitte ein Datum angeben")
		p = c.vwPost("/profil/tokens", url.Values{"name": {"Skript"}, "laeuft_ab_am": {"01.01.2020"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "tok-laeuft-ab-am", "Muss in der Zukunft liegen")
		if !strings.Contains(p.body, `value="Skript"`) {
			t.Error("the refused form lost its values")
		}
		wantPage(t, c.post("/profil/tokens", url.Values{"name": {"ohne CSRF"}}), 403)
		if after, _ := e.f.Svc.ListTokensAs(ctx, e.dora, ""); len(after) != len(before) {
			t.Fatalf("tokens made by refused forms: %d → %d", len(before), len(after))
		}
		p = c.vwPost("/profil/tokens", url.Values{"name": {"Fachverfahren"}, "laeuft_ab_am": {"2026-12-31"}, "scopes": {"read"}})
		wantPage(t, p, 200, "Neues Token „Fachverfahren“ – nur jetzt sichtbar", "Lesen", "01.01.2027, 00:00")
		secretTok := regexp.MustCompile(`id="neues-token">(awk_[^<]+)<`).FindStringSubmatch(p.body)
		if secretTok == nil {
			t.Fatalf("token not shown:\n%s", p.body)
		}
		api := func(tok string) int {
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/ich", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		if st := api(secretTok[1]); st != 200 {
			t.Fatalf("new token: %d", st)
		}
		if p = c.get("/profil"); strings.Contains(p.body, secretTok[1]) {
			t.Error("token secret shown again")
		}
		toks, _ := e.f.Svc.ListTokensAs(ctx, e.dora, "")
		var id string
		for _, k := range toks {
			if k.Name == "Fachverfahren" {
				id = k.ID
			}
		}
		wantPage(t, c.post("/profil/tokens/"+id+"/widerruf", url.Values{}), 403)
		if st := api(secretTok[1]); st != 200 {
			t.Fatalf("revoked without CSRF: %d", st)
		}
		carlaToks, _ := e.f.Svc.ListTokensAs(ctx, e.f.Carla, "")
		wantPage(t, c.vwPost("/profil/tokens/"+carlaToks[0].ID+"/widerruf", nil), 404, "Seite nicht gefunden")
		annaToks, _ := e.f.Svc.ListTokensAs(ctx, e.f.Anna, "")
		wantPage(t, c.vwPost("/profil/tokens/"+annaToks[0].ID+"/widerruf", nil), 404, "Seite nicht gefunden")
		vwRedirect(t, c.vwPost("/profil/tokens/"+id+"/widerruf", nil), "/profil?meldung=token-widerrufen")
		if st := api(secretTok[1]); st != 401 {
			t.Fatalf("revoked token: %d", st)
		}
		wantPage(t, c.get("/profil"), 200, "widerrufen am 15.03.2026")

		// --- Vertretung ---
		p = c.vwPost("/profil/vertretungen", url.Values{"vertreter": {""}, "von": {"gestern"}, "bis": {""}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "vt-vertreter", "Bitte den Anmeldenamen")
		vwFieldError(t, p, "vt-von", "Bitte ein Datum angeben")
		vwFieldError(t, p, "vt-bis", "Bitte ein Datum angeben")
		p = c.vwPost("/profil/vertretungen", url.Values{"vertreter": {"niemand"}, "von": {"2026-03-16"}, "bis": {"2026-03-20"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "vt-vertreter", "Benutzer niemand gibt es nicht")
		p = c.vwPost("/profil/vertretungen", url.Values{"vertreter": {"bernd"}, "von": {"2026-03-20"}, "bis": {"2026-03-16"}})
		vwFieldError(t, p, "vt-bis", "Das Ende liegt vor dem Beginn")
		p = c.vwPost("/profil/vertretungen", url.Values{"vertreter": {"bernd"}, "von": {"01.03.2026"}, "bis": {"10.03.2026"}})
		vwFieldError(t, p, "vt-bis", "Liegt in der Vergangenheit")
		wantPage(t, c.post("/profil/vertretungen", url.Values{"vertreter": {"bernd"}, "von": {"2026-03-16"}, "bis": {"2026-03-20"}}), 403)
		if vs, _ := e.f.Svc.ListVertretungen(ctx, e.dora); len(vs) != 0 {
			t.Fatalf("Vertretungen made by refused forms: %v", vs)
		}
		vwRedirect(t, c.vwPost("/profil/vertretungen", url.Values{"vertreter": {"bernd"}, "von": {"16.03.2026"}, "bis": {"2026-03-20"}}), "/profil?meldung=vertretung-angelegt")
		p = c.get("/profil")
		wantPage(t, p, 200, "Sie werden vertreten von <strong>bernd</strong>", "16.03.2026, 00:00", "20.03.2026", "geplant")
		// the period overlaps: a conflict for the whole form
		p = c.vwPost("/profil/vertretungen", url.Values{"vertreter": {"anna"}, "von": {"2026-03-18"}, "bis": {"2026-03-25"}})
		wantPage(t, p, 409, "wird in diesem Zeitraum bereits von bernd vertreten")
		vs, _ := e.f.Svc.ListVertretungen(ctx, e.dora)
		if len(vs) != 1 || !vs[0].Von.Equal(time.Date(2026, 3, 15, 23, 0, 0, 0, time.UTC)) || !vs[0].Bis.Equal(time.Date(2026, 3, 20, 23, 0, 0, 0, time.UTC)) {
			t.Fatalf("Vertretung: %+v", vs)
		}
		// bernd sees it as Vertreter
		cb := e.client()
		cb.signIn()
		wantPage(t, cb.get("/profil"), 200, "Sie vertreten <strong>dora</strong>")
		// another tenant's Vertretung is 404
		if _, err := e.f.Svc.CreateUser(ctx, "TSK", "tim", "Tim", nil); err != nil {
			t.Fatal(err)
		}
		foreign, err := e.f.Svc.CreateVertretung(ctx, e.f.Carla, records.NewVertretung{Vertretene: "carla", Vertreter: "tim",
			Von: e.f.Clock.Now(), Bis: e.f.Clock.Now().Add(48 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		wantPage(t, c.vwPost("/profil/vertretungen/"+foreign.ID+"/ende", nil), 404, "Seite nicht gefunden")
		wantPage(t, c.post("/profil/vertretungen/"+vs[0].ID+"/ende", url.Values{}), 403)
		vwRedirect(t, c.vwPost("/profil/vertretungen/"+vs[0].ID+"/ende", nil), "/profil?meldung=vertretung-beendet")
		wantPage(t, c.get("/profil"), 200, "beendet am 15.03.2026")
		wantPage(t, c.vwPost("/profil/vertretungen/"+vs[0].ID+"/ende", nil), 409, "bereits beendet")

		// --- password: wrong, mismatch, then changed (every session ends) ---
		p = c.vwPost("/profil/passwort", url.Values{"bisher": {"falsch-falsch-falsch"}, "neu": {"Neue-Passwort-Phrase-2026"}, "neu2": {"Neue-Passwort-Phrase-2026"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "pw-bisher", "Ist nicht das aktuelle Passwort")
		if strings.Contains(p.body, "Neue-Passwort-Phrase-2026") || strings.Contains(p.body, "falsch-falsch-falsch") {
			t.Error("a password echoed into the page")
		}
		p = c.vwPost("/profil/passwort", url.Values{"bisher": {uiPW}, "neu": {"Neue-Passwort-Phrase-2026"}, "neu2": {"Andere"}})
		vwFieldError(t, p, "pw-neu2", "Die Wiederholung stimmt nicht")
		p = c.vwPost("/profil/passwort", url.Values{"bisher": {uiPW}, "neu": {"kurz"}, "neu2": {"kurz"}})
		vwFieldError(t, p, "pw-neu", "Mindestens 12 Zeichen")
		p = c.vwPost("/profil/passwort", url.Values{"bisher": {uiPW}, "neu": {"Neue-Passwort-Phrase-2026"}, "neu2": {"Neue-Passwort-Phrase-2026"}})
		wantPage(t, p, 200, "Passwort geändert", "alle Ihre Sitzungen beendet")
		if p := c.get("/profil"); p.status != http.StatusSeeOther {
			t.Fatalf("session after the password change: %d", p.status)
		}
		c3 := e.client()
		c3.vwSignIn("TFM", "dora", "Neue-Passwort-Phrase-2026")

		// --- sign out everywhere ---
		vwRedirect(t, c3.vwPost("/profil/abmelden-ueberall", nil), "/anmelden?abgemeldet=1")
		if p := c3.get("/profil"); p.status != http.StatusSeeOther {
			t.Fatalf("session after signing out everywhere: %d", p.status)
		}
	})
}

// adminPaths are the GET pages of the administration.
func adminPaths(e *adminEnv) []string {
	return []string{"/verwaltung", "/verwaltung/mandant", "/verwaltung/einheiten", "/verwaltung/benutzer", "/verwaltung/benutzer/bernd",
		"/verwaltung/aktenplan", "/verwaltung/aktenplan/" + e.plan["1"], "/verwaltung/auftraege", "/verwaltung/system"}
}

func TestUIVerwaltungZugriff(t *testing.T) {
	forAdminBackends(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		// the admin sees every page, no inline script or style
		anna := e.client()
		anna.vwSignIn("TFM", "anna", uiPW)
		start := anna.get("/")
		wantPage(t, start, 200, `<a href="/verwaltung">Verwaltung</a>`)
		for _, path := range adminPaths(e) {
			p := anna.get(path)
			wantPage(t, p, 200, `aria-label="Bereiche der Verwaltung"`, `<a href="/verwaltung" aria-current="page">Verwaltung</a>`)
			vwNoInline(t, path, p)
		}
		// Sachbearbeitung: no entry in the navigation, 403 everywhere
		bernd := e.client()
		bernd.signIn()
		if strings.Contains(bernd.get("/").body, `href="/verwaltung"`) {
			t.Error("Verwaltung offered to Sachbearbeitung")
		}
		for _, path := range adminPaths(e) {
			wantPage(t, bernd.get(path), 403, "Keine Berechtigung")
		}
		dead := e.deadJob(t, "TFM")
		posts := []struct {
			path string
			form url.Values
		}{
			{"/verwaltung/einheiten", url.Values{"kennung": {"X"}, "name": {"X"}, "typ": {"referat"}}},
			{"/verwaltung/benutzer", url.Values{"login": {"xaver"}, "name": {"X"}, "rollen": {"admin"}}},
			{"/verwaltung/benutzer/bernd", url.Values{"name": {"Bernd"}, "rollen": {"admin"}}},
			{"/verwaltung/benutzer/bernd/aktiv", url.Values{"aktiv": {"0"}}},
			{"/verwaltung/benutzer/anna/passwort", nil},
			{"/verwaltung/aktenplan", url.Values{"kennzeichen": {"7"}, "titel": {"X"}}},
			{"/verwaltung/aktenplan/" + e.plan["21"] + "/schliessen", nil},
			{"/verwaltung/aktenplan/" + e.plan["21"] + "/loeschen", nil},
			{"/verwaltung/auftraege/" + dead + "/verwerfen", nil},
			{"/verwaltung/system/werkzeuge", nil},
		}
		for _, ps := range posts {
			wantPage(t, bernd.vwPost(ps.path, ps.form), 403, "Keine Berechtigung")
		}
		if u, _ := e.f.Svc.GetUserAs(ctx, e.f.Anna, "bernd"); !u.Active || len(u.Roles) != 1 || u.Roles[0] != access.RoleSachbearbeitung {
			t.Fatalf("bernd changed by himself: %+v", u)
		}
		if _, err := e.f.Svc.GetUserAs(ctx, e.f.Anna, "xaver"); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("xaver: %v", err)
		}
		if pos, _ := e.f.Svc.GetAktenplan(ctx, e.f.Anna, e.plan["21"]); pos.Geschlossen {
			t.Fatal("position closed by Sachbearbeitung")
		}
		if j, err := e.jobs.Get(ctx, dead); err != nil || j.State != jobs.Dead {
			t.Fatalf("job discarded by Sachbearbeitung: %v %v", j.State, err)
		}
		// the refusals are in the audit trail
		denied, err := e.f.Svc.QueryAudit(ctx, e.f.Anna, records.AuditQuery{User: "bernd", Action: "zugriff.verweigert", Page: records.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, d := range denied {
			seen[d.ObjectID] = true
		}
		for _, want := range []string{"GET /verwaltung/benutzer", "POST /verwaltung/system/werkzeuge"} {
			if !seen[want] {
				t.Errorf("refusal %q not audited (have %v)", want, seen)
			}
		}
		// Registratur (carla, TSK): the Aktenplan only
		carla := e.client()
		carla.vwSignIn("TSK", "carla", uiPW)
		wantPage(t, carla.get("/"), 200, `<a href="/verwaltung">Verwaltung</a>`)
		p := carla.get("/verwaltung")
		wantPage(t, p, 200, `href="/verwaltung/aktenplan"`)
		if strings.Contains(p.body, `href="/verwaltung/benutzer"`) {
			t.Error("users offered to the Registratur")
		}
		wantPage(t, carla.get("/verwaltung/aktenplan"), 200, "Kabinett")
		for _, path := range []string{"/verwaltung/benutzer", "/verwaltung/einheiten", "/verwaltung/auftraege", "/verwaltung/system", "/verwaltung/mandant"} {
			wantPage(t, carla.get(path), 403, "Keine Berechtigung")
		}
		// another tenant's objects: the same 404 page as unknown ones
		tskPlan := e.fremdeAkte.AktenplanID
		foreignJob := e.deadJob(t, "TSK")
		carlaToks, _ := e.f.Svc.ListTokensAs(ctx, e.f.Carla, "")
		unknown := anna.get("/verwaltung/aktenplan/0190c0de-0000-7000-8000-000000000000")
		wantPage(t, unknown, 404, "Seite nicht gefunden")
		for _, x := range []struct {
			method, path string
		}{
			{"GET", "/verwaltung/benutzer/carla"},
			{"GET", "/verwaltung/aktenplan/" + tskPlan},
			{"GET", "/verwaltung/benutzer/niemand"},
			{"POST", "/verwaltung/benutzer/carla"},
			{"POST", "/verwaltung/benutzer/carla/aktiv"},
			{"POST", "/verwaltung/benutzer/carla/passwort"},
			{"POST", "/verwaltung/benutzer/carla/einheiten"},
			{"POST", "/verwaltung/benutzer/carla/tokens"},
			{"POST", "/verwaltung/benutzer/anna/tokens/" + carlaToks[0].ID + "/widerruf"},
			{"POST", "/verwaltung/aktenplan/" + tskPlan},
			{"POST", "/verwaltung/aktenplan/" + tskPlan + "/schliessen"},
			{"POST", "/verwaltung/aktenplan/" + tskPlan + "/loeschen"},
			{"POST", "/verwaltung/auftraege/" + foreignJob + "/wiederholung"},
			{"POST", "/verwaltung/auftraege/" + foreignJob + "/verwerfen"},
			{"POST", "/verwaltung/auftraege/kein-auftrag/verwerfen"},
		} {
			var p page
			if x.method == "GET" {
				p = anna.get(x.path)
			} else {
				p = anna.vwPost(x.path, url.Values{"name": {"Carla"}, "rollen": {"admin"}, "aktiv": {"0"}, "titel": {"X"}, "einheit": {"Z"}})
			}
			wantPage(t, p, 404, "Seite nicht gefunden")
			if vwMain(p.body) != vwMain(unknown.body) {
				t.Errorf("%s %s: 404 page differs from an unknown object's", x.method, x.path)
			}
		}
		if u, _ := e.f.Svc.GetUserAs(ctx, e.f.Carla, "carla"); !u.Active || u.Roles[0] != access.RoleRegistratur {
			t.Fatalf("carla changed by another tenant's admin: %+v", u)
		}
		if j, err := e.jobs.Get(ctx, foreignJob); err != nil || j.State != jobs.Dead {
			t.Fatalf("foreign job touched: %v %v", j.State, err)
		}
		if toks, _ := e.f.Svc.ListTokensAs(ctx, e.f.Carla, ""); toks[0].RevokedAt != nil {
			t.Fatal("foreign token revoked")
		}
		// forms without the CSRF token are refused for the admin too
		for _, ps := range posts {
			wantPage(t, anna.post(ps.path, ps.form), 403, "Anfrage abgelehnt")
		}
		if _, err := e.f.Svc.GetUserAs(ctx, e.f.Anna, "xaver"); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("xaver created without CSRF: %v", err)
		}
	})
}

var vwMainRE = regexp.MustCompile(`(?s)<main[^>]*>.*</main>`)

func vwMain(body string) string { return vwMainRE.FindString(body) }

// deadJob makes a dead letter of a tenant: a job whose handler fails for
// good.
func (e *adminEnv) deadJob(t *testing.T, tenant string) string {
	t.Helper()
	ctx := context.Background()
	tn, err := e.f.Svc.TenantByCode(ctx, tenant)
	if err != nil {
		t.Fatal(err)
	}
	r := e.jobs.NewRunner(jobs.RunnerOptions{PollInterval: 10 * time.Millisecond})
	if err := r.Handle("test.werkzeug", func(context.Context, *jobs.Job) error {
		return jobs.Permanent(errors.New("Werkzeug fehlt: tesseract"))
	}, jobs.KindOptions{}); err != nil {
		t.Fatal(err)
	}
	id, err := e.jobs.Enqueue(ctx, "test.werkzeug", map[string]string{"dokument": "d-" + tenant}, jobs.Tenant(tn.ID))
	if err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { r.Run(rctx); close(done) }()
	defer func() { stop(); <-done }()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if j, err := e.jobs.Get(ctx, id); err == nil && j.State == jobs.Dead {
			return id
		}
		if time.Now().After(deadline) {
			t.Fatal("the job never failed")
		}
	}
}

func TestUIVerwaltungBenutzer(t *testing.T) {
	forAdminBackends(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		c := e.client()
		c.vwSignIn("TFM", "anna", uiPW)
		wantPage(t, c.get("/verwaltung/mandant"), 200, "Thüringer Finanzministerium", "aktenwerk user betrieb")

		// --- units ---
		p := c.vwPost("/verwaltung/einheiten", url.Values{"kennung": {"Z 1"}, "name": {""}, "typ": {"referat"}})
		wantPage(t, p, 422, "Bitte die markierten Felder prüfen")
		vwFieldError(t, p, "eh-kennung", "„Z 1“ ist als Kennung nicht möglich")
		vwFieldError(t, p, "eh-name", "Darf nicht leer sein")
		vwRedirect(t, c.vwPost("/verwaltung/einheiten", url.Values{"kennung": {"Z"}, "name": {"Zentralabteilung"}, "typ": {"abteilung"}}), "/verwaltung/einheiten?meldung=einheit-angelegt")
		vwRedirect(t, c.vwPost("/verwaltung/einheiten", url.Values{"kennung": {"Z1"}, "name": {"Personal"}, "typ": {"referat"}, "parent": {"Z"}}), "/verwaltung/einheiten")
		p = c.vwPost("/verwaltung/einheiten", url.Values{"kennung": {"Z1"}, "name": {"Doppelt"}, "typ": {"referat"}})
		wantPage(t, p, 409, "Organisationseinheit Z1 existiert in TFM bereits")
		p = c.get("/verwaltung/einheiten")
		wantPage(t, p, 200, `<span class="kennung">Z</span> Zentralabteilung`, `<span class="kennung">Z1</span> Personal`, `href="/verwaltung/einheiten/Z1"`, "Umbenennen und verschieben")
		if units, _ := e.f.Svc.ListUnitsAs(ctx, e.f.Anna); len(units) != 2 {
			t.Fatalf("units: %v", units)
		}

		// --- new account: refused, then made with a first password ---
		p = c.vwPost("/verwaltung/benutzer", url.Values{"login": {"Erik M"}, "name": {"Erik Meier"}, "typ": {"person"}, "rollen": {"leitung"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "neu-login", "„Erik M“ ist als Anmeldename nicht möglich")
		p = c.vwPost("/verwaltung/benutzer", url.Values{"login": {"erik"}, "name": {"Erik Meier"}, "typ": {"person"}})
		wantPage(t, p, 422)
		if !strings.Contains(p.body, `id="neu-rollen-fehler">Bitte mindestens eine Rolle wählen.`) || !strings.Contains(p.body, `aria-describedby="neu-rollen-hinweis neu-rollen-fehler"`) {
			t.Errorf("role error not tied to the group:\n%s", p.body)
		}
		p = c.vwPost("/verwaltung/benutzer", url.Values{"login": {"erik"}, "name": {"Erik Meier"}, "typ": {"person"}, "rollen": {"sachbearbeitung"}, "einheit": {"GIBTS"}, "position": {"sachbearbeitung"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "neu-einheit", "Organisationseinheit GIBTS gibt es in TFM nicht")
		if _, err := e.f.Svc.GetUserAs(ctx, e.f.Anna, "erik"); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("erik made by refused forms: %v", err)
		}
		p = c.vwPost("/verwaltung/benutzer", url.Values{"login": {"erik"}, "name": {"Erik Meier"}, "typ": {"person"}, "rollen": {"sachbearbeitung", "leitung"}, "einheit": {"Z1"}, "position": {"referatsleitung"}})
		wantPage(t, p, 200, "Das Konto erik ist angelegt", "Anfangspasswort – nur jetzt sichtbar", "Referatsleitung")
		pw := regexp.MustCompile(`id="neues-passwort">([^<]+)<`).FindStringSubmatch(p.body)
		if pw == nil {
			t.Fatalf("no first password:\n%s", p.body)
		}
		erik := e.client()
		erik.vwSignIn("TFM", "erik", pw[1])
		wantPage(t, c.get("/verwaltung/benutzer"), 200, `href="/verwaltung/benutzer/erik"`, "Erik Meier", "Z1 (Referatsleitung)")
		wantPage(t, c.get("/verwaltung/benutzer?q=meier"), 200, "1 von 4 Konten")
		p = c.vwPost("/verwaltung/benutzer", url.Values{"login": {"erik"}, "name": {"Noch einer"}, "typ": {"person"}, "rollen": {"audit"}})
		wantPage(t, p, 409, "Benutzer erik existiert in TFM bereits")
		// a Dienstkonto: no password
		p = c.vwPost("/verwaltung/benutzer", url.Values{"login": {"fachverfahren"}, "name": {"Fachverfahren Beihilfe"}, "typ": {"dienstkonto"}, "rollen": {"sachbearbeitung"}})
		wantPage(t, p, 200, "Das Konto fachverfahren ist angelegt")
		if strings.Contains(p.body, "neues-passwort") {
			t.Error("a Dienstkonto got a password")
		}

		// --- name and roles ---
		p = c.vwPost("/verwaltung/benutzer/erik", url.Values{"name": {""}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "stamm-name", "Darf nicht leer sein")
		if !strings.Contains(p.body, `id="stamm-rollen-fehler">Mindestens eine Rolle`) {
			t.Errorf("no role error:\n%s", p.body)
		}
		vwRedirect(t, c.vwPost("/verwaltung/benutzer/erik", url.Values{"name": {"Erik Meier-Lange"}, "rollen": {"registratur"}}), "/verwaltung/benutzer/erik?meldung=benutzer-gespeichert")
		u, _ := e.f.Svc.GetUserAs(ctx, e.f.Anna, "erik")
		if u.Name != "Erik Meier-Lange" || len(u.Roles) != 1 || u.Roles[0] != access.RoleRegistratur {
			t.Fatalf("erik: %+v", u)
		}
		// --- units of the account ---
		p = c.vwPost("/verwaltung/benutzer/erik/einheiten", url.Values{"einheit": {"Z1"}, "position": {"sachbearbeitung"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "mitglied-einheit", "gehört dieser Einheit bereits an")
		vwRedirect(t, c.vwPost("/verwaltung/benutzer/erik/einheiten", url.Values{"einheit": {"Z"}, "position": {"admin"}}), "/verwaltung/benutzer/erik?meldung=einheiten-gespeichert")
		vwRedirect(t, c.vwPost("/verwaltung/benutzer/erik/einheiten/entfernen", url.Values{"kennung": {"Z1"}}), "/verwaltung/benutzer/erik")
		if u, _ = e.f.Svc.GetUserAs(ctx, e.f.Anna, "erik"); len(u.Einheiten) != 1 || u.Einheiten[0].Kennung != "Z" || u.Einheiten[0].Position != "admin" {
			t.Fatalf("erik's units: %+v", u.Einheiten)
		}
		// --- password reset: a new one, the old sessions end ---
		p = c.vwPost("/verwaltung/benutzer/erik/passwort", nil)
		wantPage(t, p, 200, "Neues Passwort – nur jetzt sichtbar")
		pw2 := regexp.MustCompile(`id="neues-passwort">([^<]+)<`).FindStringSubmatch(p.body)
		if pw2 == nil || pw2[1] == pw[1] {
			t.Fatalf("new password: %v", pw2)
		}
		if p := erik.get("/"); p.status != http.StatusSeeOther {
			t.Errorf("erik's session after the reset: %d", p.status)
		}
		e.client().vwSignIn("TFM", "erik", pw2[1])
		wantPage(t, c.vwPost("/verwaltung/benutzer/anna/passwort", nil), 409, "Ihr eigenes Passwort ändern Sie im Profil")
		wantPage(t, c.vwPost("/verwaltung/benutzer/fachverfahren/passwort", nil), 409, "Dienstkonten melden sich nur mit API-Token an")
		// --- tokens of an account ---
		p = c.vwPost("/verwaltung/benutzer/fachverfahren/tokens", url.Values{"name": {""}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "tok-name", "Darf nicht leer sein")
		p = c.vwPost("/verwaltung/benutzer/fachverfahren/tokens", url.Values{"name": {"Beihilfe produktiv"}, "scopes": {"read", "write"}})
		wantPage(t, p, 200, "Neues Token „Beihilfe produktiv“")
		toks, _ := e.f.Svc.ListTokensAs(ctx, e.f.Anna, "fachverfahren")
		if len(toks) != 1 {
			t.Fatalf("tokens: %v", toks)
		}
		wantPage(t, c.vwPost("/verwaltung/benutzer/erik/tokens/"+toks[0].ID+"/widerruf", nil), 404) // not erik's
		vwRedirect(t, c.vwPost("/verwaltung/benutzer/fachverfahren/tokens/"+toks[0].ID+"/widerruf", nil), "/verwaltung/benutzer/fachverfahren?meldung=benutzer-token-weg")
		// --- deactivate: not oneself; erik can no longer sign in ---
		p = c.vwPost("/verwaltung/benutzer/anna/aktiv", url.Values{"aktiv": {"0"}})
		wantPage(t, p, 422, "Sie können sich nicht selbst deaktivieren.")
		vwRedirect(t, c.vwPost("/verwaltung/benutzer/erik/aktiv", url.Values{"aktiv": {"0"}}), "/verwaltung/benutzer/erik?meldung=benutzer-deaktiviert")
		wantPage(t, c.get("/verwaltung/benutzer/erik?meldung=benutzer-deaktiviert"), 200, "deaktiviert", "Konto wieder aktivieren")
		if p := e.client().post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"erik"}, "passwort": {pw2[1]}}); p.status != http.StatusUnauthorized {
			t.Errorf("deactivated erik signs in: %d", p.status)
		}
		vwRedirect(t, c.vwPost("/verwaltung/benutzer/erik/aktiv", url.Values{"aktiv": {"1"}}), "/verwaltung/benutzer/erik?meldung=benutzer-aktiviert")
	})
}

func TestUIVerwaltungAktenplan(t *testing.T) {
	forAdminBackends(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		c := e.client()
		c.vwSignIn("TFM", "anna", uiPW)
		count := func() int {
			l, _ := e.f.Svc.ListAktenplan(ctx, e.f.Anna)
			return len(l)
		}
		n := count()
		p := c.get("/verwaltung/aktenplan")
		wantPage(t, p, 200, `<td class="tiefe-2"><a href="/verwaltung/aktenplan/`+e.plan["121"]+`"><span class="kz">121</span> Ausbildung</a>`)
		p = c.vwPost("/verwaltung/aktenplan", url.Values{"kennzeichen": {"3 x"}, "titel": {"Bauwesen"}, "aufbewahrungsfrist_jahre": {"zehn"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "ap-aufbewahrungsfrist-jahre", "Bitte eine ganze Zahl")
		p = c.vwPost("/verwaltung/aktenplan", url.Values{"kennzeichen": {"3 x"}, "titel": {""}, "aufbewahrungsfrist_jahre": {"300"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "ap-kennzeichen", "„3 x“ ist als Kennzeichen nicht möglich")
		vwFieldError(t, p, "ap-titel", "Darf nicht leer sein")
		vwFieldError(t, p, "ap-aufbewahrungsfrist-jahre", "0 bis 200 Jahre")
		p = c.vwPost("/verwaltung/aktenplan", url.Values{"kennzeichen": {"12"}, "titel": {"Doppelt"}})
		wantPage(t, p, 409, "Kennzeichen 12 ist im Aktenplan bereits vergeben")
		if count() != n {
			t.Fatal("positions made by refused forms")
		}
		p = c.vwPost("/verwaltung/aktenplan", url.Values{"parent_id": {""}, "kennzeichen": {"3"}, "titel": {"Bauwesen"}, "aufbewahrungsfrist_jahre": {"10"}, "archiventscheidung": {"bewerten"}})
		vwRedirect(t, p, "/verwaltung/aktenplan/")
		id := strings.TrimPrefix(strings.Split(p.header.Get("Location"), "?")[0], "/verwaltung/aktenplan/")
		wantPage(t, c.get(p.header.Get("Location")), 200, "Die Aktenplanposition ist angelegt", `value="Bauwesen"`, `<option value="bewerten" selected>`)
		vwRedirect(t, c.vwPost("/verwaltung/aktenplan", url.Values{"parent_id": {id}, "kennzeichen": {"31"}, "titel": {"Hochbau"}}), "/verwaltung/aktenplan/")
		// edit
		p = c.vwPost("/verwaltung/aktenplan/"+id, url.Values{"titel": {""}, "aufbewahrungsfrist_jahre": {"10"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "pos-titel", "Darf nicht leer sein")
		vwRedirect(t, c.vwPost("/verwaltung/aktenplan/"+id, url.Values{"titel": {"Bau und Verkehr"}, "aufbewahrungsfrist_jahre": {""}, "archiventscheidung": {"archivieren"}}), "/verwaltung/aktenplan/"+id+"?meldung=position-gespeichert")
		pos, _ := e.f.Svc.GetAktenplan(ctx, e.f.Anna, id)
		if pos.Titel != "Bau und Verkehr" || pos.Aufbewahrung != nil || pos.Archiv != "archivieren" {
			t.Fatalf("position: %+v", pos)
		}
		// close: no new children, not offered as a parent
		vwRedirect(t, c.vwPost("/verwaltung/aktenplan/"+id+"/schliessen", nil), "/verwaltung/aktenplan/"+id+"?meldung=position-geschlossen")
		p = c.get("/verwaltung/aktenplan")
		if strings.Contains(p.body, `<option value="`+id+`"`) {
			t.Error("a closed position offered as parent")
		}
		p = c.vwPost("/verwaltung/aktenplan", url.Values{"parent_id": {id}, "kennzeichen": {"32"}, "titel": {"Tiefbau"}})
		wantPage(t, p, 409, "Übergeordnete Position 3 ist geschlossen")
		vwRedirect(t, c.vwPost("/verwaltung/aktenplan/"+id+"/oeffnen", nil), "/verwaltung/aktenplan/"+id+"?meldung=position-geoeffnet")
		// delete: refused while something hangs on it
		p = c.vwPost("/verwaltung/aktenplan/"+id+"/loeschen", nil)
		wantPage(t, p, 409, "Position 3 kann nicht gelöscht werden: 1 Unterposition und 0 Akten")
		p = c.vwPost("/verwaltung/aktenplan/"+e.plan["121"]+"/loeschen", nil)
		wantPage(t, p, 409, "0 Unterpositionen und 1 Akte hängen")
		list, _ := e.f.Svc.ListAktenplan(ctx, e.f.Anna)
		for _, x := range list {
			if x.Kennzeichen == "31" {
				vwRedirect(t, c.vwPost("/verwaltung/aktenplan/"+x.ID+"/loeschen", nil), "/verwaltung/aktenplan?meldung=position-geloescht")
			}
		}
		vwRedirect(t, c.vwPost("/verwaltung/aktenplan/"+id+"/loeschen", nil), "/verwaltung/aktenplan?meldung=position-geloescht")
		if count() != n {
			t.Fatalf("positions: %d, want %d", count(), n)
		}
		wantPage(t, c.get("/verwaltung/aktenplan/"+id), 404)
	})
}

func TestUIVerwaltungAuftraegeUndSystem(t *testing.T) {
	forAdminBackends(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		c := e.client()
		c.vwSignIn("TFM", "anna", uiPW)
		wantPage(t, c.get("/verwaltung/auftraege"), 200, "Keine offenen Aufträge", "Keine gescheiterten Aufträge")
		mine, other := e.deadJob(t, "TFM"), e.deadJob(t, "TSK")
		p := c.get("/verwaltung/auftraege")
		wantPage(t, p, 200, "test.werkzeug", "Werkzeug fehlt: tesseract", `{&#34;dokument&#34;:&#34;d-TFM&#34;}`, "/verwaltung/auftraege/"+mine+"/wiederholung")
		if strings.Contains(p.body, other) || strings.Contains(p.body, "d-TSK") {
			t.Error("another tenant's job listed")
		}
		wantPage(t, c.get("/verwaltung/auftraege?nach=x"), 400)
		wantPage(t, c.post("/verwaltung/auftraege/"+mine+"/verwerfen", url.Values{}), 403, "Anfrage abgelehnt")
		// retry: queued again (no runner here), then a conflict
		vwRedirect(t, c.vwPost("/verwaltung/auftraege/"+mine+"/wiederholung", nil), "/verwaltung/auftraege?meldung=auftrag-wiederholt")
		if j, _ := e.jobs.Get(ctx, mine); j.State != jobs.Queued {
			t.Fatalf("retried job: %s", j.State)
		}
		wantPage(t, c.vwPost("/verwaltung/auftraege/"+mine+"/verwerfen", nil), 409, "ist nicht fehlgeschlagen")
		again := e.deadJob(t, "TFM")
		vwRedirect(t, c.vwPost("/verwaltung/auftraege/"+again+"/verwerfen", nil), "/verwaltung/auftraege?meldung=auftrag-verworfen")
		if _, err := e.jobs.Get(ctx, again); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("discarded job: %v", err)
		}
		// the actions are audited with the admin as actor
		e.f.Chain(t)
		es, err := e.f.Svc.History(ctx, e.f.Anna, "auftrag", again, records.Page{Limit: 10})
		if err == nil && (len(es) != 1 || es[0].Action != "auftrag.verworfen" || es[0].Actor != "anna") {
			t.Errorf("audit of the discard: %+v", es)
		}

		// system status
		p = c.get("/verwaltung/system")
		backend := map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[e.f.Svc.Store().Backend()]
		wantPage(t, p, 200, web.Version, backend, "erreichbar", "Ordner im Dateisystem", "pdftotext", "tesseract", "ocrmypdf", "soffice", "qpdf",
			"Zeilen im Index", "Hintergrundaufträge</dt><dd>eingerichtet")
		vwRedirect(t, c.vwPost("/verwaltung/system/werkzeuge", nil), "/verwaltung/system?meldung=werkzeuge-geprueft")

		// a server without a job queue says so
		plain := web.New(e.f.Svc, slog.New(slog.NewTextHandler(io.Discard, nil)),
			web.Options{InsecureCookie: true, Auth: auth.Options{Argon2: auth.TestParams}})
		srv := httptest.NewServer(plain)
		defer srv.Close()
		pc := &uiClient{e: &uiEnv{t: t, f: e.f, srv: srv, web: plain}, c: c.c}
		wantPage(t, pc.get("/verwaltung/auftraege"), 200, "Nicht verfügbar", "nicht eingerichtet")
		wantPage(t, pc.get("/verwaltung/system"), 200, `<span class="nicht-verfuegbar">nicht verfügbar</span>`)
		wantPage(t, pc.get("/verwaltung"), 200, "in diesem Server nicht verfügbar")
		wantPage(t, pc.vwPost("/verwaltung/auftraege/"+other+"/wiederholung", nil), 503, "Nicht verfügbar")
	})
}
