package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/auth"
	"aktenwerk/internal/auth/oidc"
	"aktenwerk/internal/auth/oidc/oidctest"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/web"
)

// "Anmelden mit Landes-Login" through the real server and a real OpenID
// provider (oidctest: zitadel's example OP on another loopback port), the
// way a browser does it: cookie jar, redirects, the OP's login form.

const (
	ssoClientID = "aktenwerk"
	ssoSecret   = "aktenwerk-sso-test-secret-0123456789"
)

// ssoUsers are the persons at the OP. Roles come Keycloak-style in
// realm_access.roles.
var ssoUsers = []oidctest.User{
	{ID: "u-maria", Username: "Maria.Muster", FirstName: "Maria", LastName: "Muster", Email: "maria.muster@tfm.example",
		Claims: map[string]any{"tenant": "tfm", "units": []string{"Z1", "Z9"},
			"realm_access": map[string]any{"roles": []string{"AW-Leitung", "offline_access"}}}},
	{ID: "u-bernd", Username: "bernd", FirstName: "Bernd", LastName: "Beispiel",
		Claims: map[string]any{"tenant": "TFM", "realm_access": map[string]any{"roles": []string{"AW-Registratur"}}}},
	{ID: "u-tom", Username: "tom", FirstName: "Tom", LastName: "Fremd", Claims: map[string]any{"tenant": "TXX"}},
	{ID: "u-odd", Username: "odd", FirstName: "Otto", LastName: "Odd", Claims: map[string]any{"tenant": 17}},
	{ID: "u-dora", Username: "dora", FirstName: "Dora", LastName: "Deaktiviert", Claims: map[string]any{"tenant": "TFM"}},
	{ID: "u-scan", Username: "poststelle.scan", FirstName: "Scan", LastName: "Straße", Claims: map[string]any{"tenant": "TFM"}},
	{ID: "u-anna", Username: "anna", FirstName: "Anna", LastName: "Andere", Claims: map[string]any{"tenant": "TFM"}},
}

var ssoRoleMap = map[string][]string{
	"AW-Admins":      {"admin"},
	"AW-Registratur": {"registratur"},
	"AW-SB":          {"sachbearbeitung"},
	"AW-Leitung":     {"leitung", "sachbearbeitung"},
}

type ssoEnv struct {
	t    *testing.T
	f    *storetest.Fixture
	op   *oidctest.OP
	base string // http://127.0.0.1:port of Aktenwerk
	host string
	log  *syncBuffer
	// handed out during the test; in neither the log nor the audit trail
	secrets []string
}

type ssoSetup struct {
	down bool // the OP is down when the server starts
	mod  func(*web.OIDCOptions)
}

// newSSOEnv starts the OP and a server configured for it, on a fixture with
// TFM (anna, bernd, units Z1 and Z2, deactivated dora, the Dienstkonto
// poststelle.scan) and TSK (carla). anna is bound to another identity.
func newSSOEnv(t *testing.T, b storetest.Backend, s ssoSetup) *ssoEnv {
	t.Helper()
	ctx := context.Background()
	f := storetest.NewFixture(t, b.Open)
	for _, k := range []string{"Z1", "Z2"} {
		if _, err := f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: k, Name: "Referat " + k, Typ: "referat"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.Svc.CreateUser(ctx, "TFM", "dora", "Dora", nil); err != nil {
		t.Fatal(err)
	}
	if err := f.Svc.SetUserActive(ctx, "TFM", "dora", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.CreateServiceAccount(ctx, "TFM", records.NewUser{Login: "poststelle.scan", Name: "Scanstraße"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.DB.Writer().Exec(`UPDATE users SET external_id = 'https://idp.alt.example|anna-alt' WHERE id = '` + f.Anna.UserID + `'`); err != nil {
		t.Fatal(err)
	}

	srv := httptest.NewUnstartedServer(nil)
	e := &ssoEnv{t: t, f: f, host: srv.Listener.Addr().String(), log: &syncBuffer{}}
	e.base = "http://" + e.host
	e.op = oidctest.Start(t, oidctest.Options{Users: ssoUsers, Clients: []oidctest.Client{
		{ID: ssoClientID, Secret: ssoSecret, RedirectURIs: []string{e.base + web.OIDCCallbackPath}}}})
	e.op.SetDown(s.down)
	o := &web.OIDCOptions{Config: oidc.Config{
		Issuer: e.op.Issuer, ClientID: ssoClientID, ClientSecret: ssoSecret, RedirectURL: e.base + web.OIDCCallbackPath,
		ClaimRoles: "realm_access.roles", RoleMap: ssoRoleMap,
	}}
	if s.mod != nil {
		s.mod(o)
	}
	log := slog.New(slog.NewTextHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv.Config.Handler = web.New(f.Svc, log, web.Options{InsecureCookie: true, Auth: auth.Options{Argon2: auth.TestParams}, OIDC: o})
	srv.Start()
	t.Cleanup(srv.Close)
	return e
}

func forSSOBackends(t *testing.T, s ssoSetup, fn func(*testing.T, *ssoEnv)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, newSSOEnv(t, b, s)) })
	}
}

// ssoBrowser is a browser: a client with cookie jar that follows redirects,
// but stops at the answer of Aktenwerk's callback, so that its status,
// Location and cookies can be checked.
type ssoBrowser struct {
	e   *ssoEnv
	jar *cookiejar.Jar
	c   *http.Client
}

func (e *ssoEnv) browser() *ssoBrowser {
	jar, _ := cookiejar.New(nil)
	b := &ssoBrowser{e: e, jar: jar}
	b.c = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) > 20 {
			return errors.New("too many redirects")
		}
		if req.URL.Host == e.host && req.URL.Path == web.OIDCCallbackPath {
			q := req.URL.Query()
			e.secrets = append(e.secrets, q.Get("code"), q.Get("state"))
		}
		if last := via[len(via)-1]; last.URL.Host == e.host && last.URL.Path == web.OIDCCallbackPath {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

func (b *ssoBrowser) get(u string) (*http.Response, string) {
	b.e.t.Helper()
	res, err := b.c.Get(u)
	if err != nil {
		b.e.t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// login starts at GET /api/v1/anmeldung/oidc?ziel=ziel, signs in at the OP
// as username and returns the answer of Aktenwerk's callback.
func (b *ssoBrowser) login(ziel, username string) resp {
	t := b.e.t
	t.Helper()
	res, body := b.get(b.e.base + "/api/v1/anmeldung/oidc?ziel=" + url.QueryEscape(ziel))
	res, body = oidctest.SubmitLogin(t, b.c, res, body, username)
	if res.Request.URL.Host != b.e.host || res.Request.URL.Path != web.OIDCCallbackPath {
		t.Fatalf("the flow ended at %s with %d, not at the callback: %.300s", res.Request.URL, res.StatusCode, body)
	}
	if c := b.sessionCookie(); c != "" {
		b.e.secrets = append(b.e.secrets, c)
	}
	r := resp{res.StatusCode, res.Header, []byte(body)}
	checkOIDCAnswer(t, res.Request.URL.RequestURI(), r)
	return r
}

// start requests GET /api/v1/anmeldung/oidc?ziel=ziel without following
// the redirect.
func (b *ssoBrowser) start(ziel string) resp {
	b.e.t.Helper()
	path := "/api/v1/anmeldung/oidc?ziel=" + url.QueryEscape(ziel)
	c := &http.Client{Jar: b.jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(b.e.base + path)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	r := resp{res.StatusCode, res.Header, body}
	checkOIDCAnswer(b.e.t, path, r)
	return r
}

// sessionCookie is the value of the session cookie in the jar, or "".
func (b *ssoBrowser) sessionCookie() string {
	u, _ := url.Parse(b.e.base + "/")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == web.SessionCookieInsecure {
			return c.Value
		}
	}
	return ""
}

// stateCookies are the cookies of login attempts the jar would send to the callback.
func (b *ssoBrowser) stateCookies() []string {
	u, _ := url.Parse(b.e.base + web.OIDCCallbackPath)
	var out []string
	for _, c := range b.jar.Cookies(u) {
		if strings.HasPrefix(c.Name, "aw_oidc_") {
			out = append(out, c.Name)
		}
	}
	return out
}

// do sends a request with the jar's cookies, and X-CSRF-Token unless csrf is "".
func (b *ssoBrowser) do(method, path, csrf string) resp {
	b.e.t.Helper()
	req, err := http.NewRequest(method, b.e.base+path, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if csrf != "" {
		req.Header.Set(web.CSRFHeader, csrf)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, body}
}

type ssoAuditRow struct {
	tenantID, action, actorID, actor, objectID string
	changes                                    map[string]any
}

func (e *ssoEnv) audit() []ssoAuditRow {
	e.t.Helper()
	rows, err := e.f.DB.Writer().Query(`SELECT tenant_id, action, actor_id, actor, object_id, changes FROM audit_log ORDER BY id`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []ssoAuditRow
	for rows.Next() {
		var r ssoAuditRow
		var ch []byte
		if err := rows.Scan(&r.tenantID, &r.action, &r.actorID, &r.actor, &r.objectID, &ch); err != nil {
			e.t.Fatal(err)
		}
		if len(ch) > 0 {
			if err := json.Unmarshal(ch, &r.changes); err != nil {
				e.t.Fatal(err)
			}
		}
		out = append(out, r)
	}
	return out
}

func ssoActions(rows []ssoAuditRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.actor+":"+r.action)
	}
	return out
}

func (e *ssoEnv) logins(tenant string) []string {
	e.t.Helper()
	t, err := e.f.Svc.TenantByCode(context.Background(), tenant)
	if err != nil {
		e.t.Fatal(err)
	}
	us, err := e.f.Svc.ListUsersAs(context.Background(), records.Principal{TenantID: t.ID, TenantCode: t.Code, System: true})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, u := range us {
		out = append(out, u.Login)
	}
	return out
}

// wantSSORefused checks a 401 problem whose detail contains part and that
// no session cookie was set.
func wantSSORefused(t *testing.T, b *ssoBrowser, r resp, part string) {
	t.Helper()
	p := wantProblem(t, r, 401, "")
	if p["type"] != "/probleme/nicht-angemeldet" || !strings.Contains(str(p, "detail"), part) {
		t.Fatalf("problem %v, want detail with %q", p, part)
	}
	if c := b.sessionCookie(); c != "" {
		t.Fatalf("session cookie set with a refusal")
	}
	if sc := r.header.Values("Set-Cookie"); slices.ContainsFunc(sc, func(s string) bool { return strings.HasPrefix(s, web.SessionCookieInsecure+"=") }) {
		t.Fatalf("refusal sets the session cookie: %v", sc)
	}
}

func TestOIDCBrowserSignIn(t *testing.T) {
	forSSOBackends(t, ssoSetup{}, func(t *testing.T, e *ssoEnv) {
		ctx := context.Background()
		tfm := e.f.Anna.TenantID
		b := e.browser()
		var csrf string

		t.Run("the start redirects to the provider", func(t *testing.T) {
			bx := e.browser()
			r := bx.start("/akten/1")
			loc, err := url.Parse(r.header.Get("Location"))
			if r.status != http.StatusFound || err != nil || loc.Scheme+"://"+loc.Host != e.op.URL || loc.Path != oidctest.AuthPath {
				t.Fatalf("start: %d, Location %q", r.status, r.header.Get("Location"))
			}
			q := loc.Query()
			if q.Get("client_id") != ssoClientID || q.Get("redirect_uri") != e.base+web.OIDCCallbackPath ||
				q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || q.Get("nonce") == "" {
				t.Fatalf("authorization request %s", loc)
			}
			if sc := bx.stateCookies(); len(sc) != 1 {
				t.Fatalf("state cookies %v", sc)
			}
		})

		t.Run("first sign-in creates the account with mapped roles and units", func(t *testing.T) {
			n0 := len(e.audit())
			const ziel = "/akten/2026-17?tab=dokumente"
			r := b.login(ziel, "Maria.Muster")
			if r.status != http.StatusSeeOther || r.header.Get("Location") != ziel {
				t.Fatalf("callback answered %d, Location %q: %s", r.status, r.header.Get("Location"), r.body)
			}
			var sc *http.Cookie
			for _, c := range (&http.Response{Header: r.header}).Cookies() {
				if c.Name == web.SessionCookieInsecure {
					sc = c
				}
			}
			if sc == nil || len(sc.Value) != 43 || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Secure {
				t.Fatalf("session cookie %+v", sc)
			}
			if sc := b.stateCookies(); len(sc) != 0 {
				t.Fatalf("state cookies left after the callback: %v", sc)
			}
			// the cookie signs in on the API
			me := want(t, b.do("GET", "/api/v1/ich", ""), 200)
			if me["tenant"] != "TFM" || me["login"] != "maria.muster" {
				t.Fatalf("ich %v", me)
			}
			if roles, _ := json.Marshal(me["rollen"]); string(roles) != `["sachbearbeitung","leitung"]` {
				t.Fatalf("rollen %s", roles)
			}
			sv := want(t, b.do("GET", "/api/v1/sitzung", ""), 200)
			csrf = str(sv, "csrf_token")
			if sv["methode"] != "oidc" || sv["login"] != "maria.muster" || len(csrf) != 43 {
				t.Fatalf("sitzung %v", sv)
			}
			e.secrets = append(e.secrets, csrf)
			// units: Z1 exists, Z9 does not (ignored and logged)
			ms, err := e.f.Svc.Memberships(ctx, "TFM", "maria.muster")
			if err != nil || len(ms) != 1 || ms[0].Kennung != "Z1" || ms[0].Position != auth.ExternalUnitPosition {
				t.Fatalf("memberships %+v %v", ms, err)
			}
			if !strings.Contains(e.log.String(), "einheiten=Z9") {
				t.Fatalf("unknown unit not logged:\n%s", e.log.String())
			}
			got := e.audit()[n0:]
			if want := []string{"oidc:user.create", "oidc:user.unit", "oidc:user.extern_verknuepft", "maria.muster:anmeldung"}; !slices.Equal(ssoActions(got), want) {
				t.Fatalf("audit %v, want %v", ssoActions(got), want)
			}
			if r := got[2]; r.tenantID != tfm || r.changes["issuer"] != e.op.Issuer || r.changes["subject"] != "u-maria" {
				t.Fatalf("binding %+v", r)
			}
			if r := got[3]; r.changes["methode"] != "oidc" || r.changes["adresse"] != "127.0.0.1" {
				t.Fatalf("sign-in %+v", r)
			}
		})

		t.Run("second sign-in reuses the account; the old session ends; CSRF", func(t *testing.T) {
			old := b.sessionCookie()
			n0 := len(e.audit())
			r := b.login("", "Maria.Muster")
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
				t.Fatalf("callback answered %d, Location %q: %s", r.status, r.header.Get("Location"), r.body)
			}
			if now := b.sessionCookie(); now == "" || now == old {
				t.Fatal("no new session cookie")
			}
			if got := ssoActions(e.audit()[n0:]); !slices.Equal(got, []string{"maria.muster:anmeldung"}) {
				t.Fatalf("audit %v", got)
			}
			n := 0
			for _, l := range e.logins("TFM") {
				if strings.HasPrefix(l, "maria") {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%d accounts for maria: %v", n, e.logins("TFM"))
			}
			// session fixation: the session the browser brought along ended
			oldOnly := &http.Client{}
			req, _ := http.NewRequest("GET", e.base+"/api/v1/sitzung", nil)
			req.Header.Set("Cookie", web.SessionCookieInsecure+"="+old)
			res, err := oldOnly.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 401 {
				t.Fatalf("the previous session answers %d", res.StatusCode)
			}
			sv := want(t, b.do("GET", "/api/v1/sitzung", ""), 200)
			csrf = str(sv, "csrf_token")
			e.secrets = append(e.secrets, csrf)
			// a state-changing request needs the CSRF token
			if p := wantProblem(t, b.do("POST", "/api/v1/abmeldung", ""), 403, ""); p["type"] != "/probleme/csrf" {
				t.Fatalf("without token %v", p)
			}
			want(t, b.do("POST", "/api/v1/abmeldung", csrf), 204)
			wantProblem(t, b.do("GET", "/api/v1/ich", ""), 401, "")
		})

		t.Run("existing account: bound by login, roles synchronised and audited", func(t *testing.T) {
			bb := e.browser()
			n0 := len(e.audit())
			if r := bb.login("/", "bernd"); r.status != http.StatusSeeOther {
				t.Fatalf("bernd: %d %s", r.status, r.body)
			}
			me := want(t, bb.do("GET", "/api/v1/ich", ""), 200)
			if roles, _ := json.Marshal(me["rollen"]); me["login"] != "bernd" || string(roles) != `["registratur"]` {
				t.Fatalf("ich %v", me)
			}
			got := e.audit()[n0:]
			if want := []string{"oidc:user.extern_verknuepft", "oidc:user.update", "bernd:anmeldung"}; !slices.Equal(ssoActions(got), want) {
				t.Fatalf("audit %v, want %v", ssoActions(got), want)
			}
			if r := got[1]; r.objectID != e.f.Bernd.UserID {
				t.Fatalf("role change of %q", r.objectID)
			}
			if ch, _ := json.Marshal(got[1].changes["rollen"]); string(ch) != `{"after":["registratur"],"before":["sachbearbeitung"]}` {
				t.Fatalf("role change %s", ch)
			}
			// the provider's roles change: they follow at the next sign-in
			e.op.SetClaims("u-bernd", map[string]any{"tenant": "TFM", "realm_access": map[string]any{"roles": []string{"AW-SB", "AW-Registratur"}}})
			bb.login("/", "bernd")
			if roles, _ := json.Marshal(want(t, bb.do("GET", "/api/v1/ich", ""), 200)["rollen"]); string(roles) != `["registratur","sachbearbeitung"]` {
				t.Fatalf("rollen after the second sync %s", roles)
			}
			// no mapped role at all: the account keeps its roles
			e.op.SetClaims("u-bernd", map[string]any{"tenant": "TFM", "realm_access": map[string]any{"roles": []string{"Kantine"}}})
			n0 = len(e.audit())
			bb.login("/", "bernd")
			if roles, _ := json.Marshal(want(t, bb.do("GET", "/api/v1/ich", ""), 200)["rollen"]); string(roles) != `["registratur","sachbearbeitung"]` {
				t.Fatalf("rollen without mapped roles %s", roles)
			}
			if got := ssoActions(e.audit()[n0:]); !slices.Equal(got, []string{"bernd:anmeldung"}) {
				t.Fatalf("audit %v", got)
			}
		})

		t.Run("unknown or malformed tenant claim: 401, nobody created", func(t *testing.T) {
			before := [2][]string{e.logins("TFM"), e.logins("TSK")}
			n0 := len(e.audit())
			bt := e.browser()
			wantSSORefused(t, bt, bt.login("/", "tom"), "Mandant „TXX“ ist unbekannt")
			bo := e.browser()
			wantSSORefused(t, bo, bo.login("/", "odd"), `"tenant"`)
			if after := [2][]string{e.logins("TFM"), e.logins("TSK")}; !slices.Equal(before[0], after[0]) || !slices.Equal(before[1], after[1]) {
				t.Fatalf("accounts changed: %v → %v", before, after)
			}
			// no tenant known: no audit chain to write to, but log lines
			if got := e.audit()[n0:]; len(got) != 0 {
				t.Fatalf("audited without a tenant: %v", ssoActions(got))
			}
			if l := e.log.String(); !strings.Contains(l, "grund=unbekannter_mandant") || !strings.Contains(l, "anmeldung mit landes-login fehlgeschlagen") {
				t.Fatalf("refusals not logged:\n%s", l)
			}
		})

		t.Run("deactivated account, Dienstkonto, account of another identity: 401, audited", func(t *testing.T) {
			for _, c := range []struct{ user, part, reason, login string }{
				{"dora", "deaktiviert", "deaktiviert", "dora"},
				{"poststelle.scan", "Dienstkonto", "dienstkonto", "poststelle.scan"},
				{"anna", "bereits mit einem anderen Landes-Login verknüpft", "anders_verknuepft", "anna"},
			} {
				n0 := len(e.audit())
				bx := e.browser()
				wantSSORefused(t, bx, bx.login("/", c.user), c.part)
				got := e.audit()[n0:]
				if len(got) != 1 || got[0].action != "anmeldung.fehlgeschlagen" || got[0].tenantID != tfm || got[0].actorID != "" ||
					got[0].changes["grund"] != c.reason || got[0].changes["login"] != c.login || got[0].changes["methode"] != "oidc" {
					t.Fatalf("%s: audit %+v", c.user, got)
				}
			}
			var ext string
			if err := e.f.DB.Writer().QueryRow(`SELECT external_id FROM users WHERE id = '` + e.f.Anna.UserID + `'`).Scan(&ext); err != nil || ext != "https://idp.alt.example|anna-alt" {
				t.Fatalf("anna's identity %q %v", ext, err)
			}
			// an account deactivated after its first sign-in
			if err := e.f.Svc.SetUserActive(ctx, "TFM", "maria.muster", false); err != nil {
				t.Fatal(err)
			}
			bx := e.browser()
			wantSSORefused(t, bx, bx.login("/", "Maria.Muster"), "deaktiviert")
			if err := e.f.Svc.SetUserActive(ctx, "TFM", "maria.muster", true); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("return targets that are not local paths end at /", func(t *testing.T) {
			for _, ziel := range []string{"//evil.example", "https://evil.example/x", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)", "akten/1"} {
				bx := e.browser()
				r := bx.login(ziel, "bernd")
				if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
					t.Fatalf("ziel %q: %d, Location %q", ziel, r.status, r.header.Get("Location"))
				}
			}
		})

		t.Run("callback without a login attempt", func(t *testing.T) {
			bx := e.browser()
			path := web.OIDCCallbackPath + "?code=gefaelscht&state=gefaelscht"
			res, body := bx.get(e.base + path)
			r := resp{res.StatusCode, res.Header, []byte(body)}
			checkOIDCAnswer(t, path, r)
			wantSSORefused(t, bx, r, "erneut an")
		})

		// nothing secret in the log or the audit trail
		var all strings.Builder
		for _, r := range e.audit() {
			b, _ := json.Marshal(r.changes)
			all.WriteString(r.actor + " " + r.objectID + " " + string(b) + "\n")
		}
		for _, s := range append(e.secrets, ssoSecret) {
			if s == "" {
				continue
			}
			if strings.Contains(all.String(), s) || strings.Contains(e.log.String(), s) {
				t.Errorf("secret %q in the audit trail or the log", s)
			}
		}
	})
}

func TestOIDCWithoutProvisioning(t *testing.T) {
	forSSOBackends(t, ssoSetup{mod: func(o *web.OIDCOptions) { o.NoAutoProvision, o.NoRoleSync = true, true }}, func(t *testing.T, e *ssoEnv) {
		b := e.browser()
		wantSSORefused(t, b, b.login("/", "Maria.Muster"), "kein Konto eingerichtet")
		if slices.Contains(e.logins("TFM"), "maria.muster") {
			t.Fatal("account created without auto-provisioning")
		}
		// an existing account is bound; its roles stay
		if r := b.login("/", "bernd"); r.status != http.StatusSeeOther {
			t.Fatalf("bernd: %d %s", r.status, r.body)
		}
		if roles, _ := json.Marshal(want(t, b.do("GET", "/api/v1/ich", ""), 200)["rollen"]); string(roles) != `["sachbearbeitung"]` {
			t.Fatalf("rollen %s", roles)
		}
	})
}

func TestOIDCProviderUnreachable(t *testing.T) {
	forSSOBackends(t, ssoSetup{down: true, mod: func(o *web.OIDCOptions) { o.RetryInterval = time.Nanosecond }}, func(t *testing.T, e *ssoEnv) {
		if l := e.log.String(); !strings.Contains(l, "Anmeldung mit Landes-Login nicht verfügbar") {
			t.Fatalf("no warning at start:\n%s", l)
		}
		b := e.browser()
		for _, path := range []string{"/api/v1/anmeldung/oidc?ziel=/", web.OIDCCallbackPath + "?code=x&state=y"} {
			r := b.do("GET", path, "")
			checkOIDCAnswer(t, path, r)
			p := wantProblem(t, r, 503, "")
			if p["type"] != "/probleme/nicht-verfuegbar" || r.header.Get("Retry-After") != "1" {
				t.Fatalf("%s: %v, Retry-After %q", path, p, r.header.Get("Retry-After"))
			}
		}
		// API tokens keep working meanwhile
		tok, _, err := e.f.Svc.CreateToken(context.Background(), "TFM", "anna", "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", e.base+"/api/v1/ich", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
			t.Fatalf("token while the provider is down: %v %v", res, err)
		} else {
			res.Body.Close()
		}
		// the provider is back: the next request discovers it
		e.op.SetDown(false)
		if r := b.login("/akten", "bernd"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/akten" {
			t.Fatalf("after the provider came back: %d %s", r.status, r.body)
		}
		if l := e.log.String(); !strings.Contains(l, "Anmeldung mit Landes-Login bereit") {
			t.Fatalf("recovery not logged:\n%s", l)
		}
	})
}
