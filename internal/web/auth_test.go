package web_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/auth"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/web"
)

// Sign-in over real HTTP on a loopback port, on both backends, with the
// fixture's settable clock (records.Options.Now) for the timeouts.

const (
	annaPW  = "Anna-sicheres-Passwort!"
	berndPW = "Bernd-sicheres-Passwort!"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type authEnv struct {
	*env
	f       *storetest.Fixture
	srv     *web.Server
	log     *syncBuffer
	cookie  string   // the session cookie's name
	secrets []string // may appear neither in the audit trail nor in the log
}

// newAuthEnv starts a server with sign-in options o (cheap argon2, plain
// HTTP cookie unless o says otherwise) on a fixture with TFM (anna, bernd)
// and TSK (carla).
func newAuthEnv(t *testing.T, b storetest.Backend, o web.Options) *authEnv {
	t.Helper()
	ctx := context.Background()
	f := storetest.NewFixture(t, b.Open)
	e := &env{t: t, svc: f.Svc, maxBytes: 1 << 20}
	for _, u := range []struct {
		dst           *string
		tenant, login string
	}{{&e.anna, "TFM", "anna"}, {&e.bernd, "TFM", "bernd"}, {&e.carla, "TSK", "carla"}} {
		tok, _, err := f.Svc.CreateToken(ctx, u.tenant, u.login, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		*u.dst = tok
	}
	if o.Auth.Argon2 == (auth.Params{}) {
		o.Auth.Argon2 = auth.TestParams
	}
	buf := &syncBuffer{}
	srv := web.New(f.Svc, slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), o)
	e.srv = httptest.NewServer(srv)
	t.Cleanup(e.srv.Close)
	a := &authEnv{env: e, f: f, srv: srv, log: buf, cookie: web.SessionCookie, secrets: []string{annaPW, berndPW}}
	if o.InsecureCookie {
		a.cookie = web.SessionCookieInsecure
	}
	for _, u := range [][2]string{{"anna", annaPW}, {"bernd", berndPW}} {
		if _, err := srv.Auth().SetPassword(ctx, "TFM", u[0], u[1]); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func forAuthBackends(t *testing.T, o web.Options, fn func(*testing.T, *authEnv)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, newAuthEnv(t, b, o)) })
	}
}

var dev = web.Options{InsecureCookie: true}

// sess is a browser: its cookie and CSRF token.
type sess struct{ cookie, csrf string }

func (a *authEnv) signIn(tenant, login, pw string, extra ...string) resp {
	a.t.Helper()
	body := fmt.Sprintf(`{"tenant":%q,"login":%q,"passwort":%q%s}`, tenant, login, pw, strings.Join(extra, ""))
	return a.do("POST", "/api/v1/anmeldung", "", strings.NewReader(body), map[string]string{"Content-Type": "application/json"})
}

// cookieFrom returns the session cookie an answer sets.
func (a *authEnv) cookieFrom(r resp) *http.Cookie {
	a.t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == a.cookie {
			return c
		}
	}
	return nil
}

func (a *authEnv) start(tenant, login, pw string, extra ...string) sess {
	a.t.Helper()
	r := a.signIn(tenant, login, pw, extra...)
	m := want(a.t, r, 200)
	c := a.cookieFrom(r)
	if c == nil || c.Value == "" {
		a.t.Fatalf("no session cookie: %v", r.header)
	}
	s := sess{a.cookie + "=" + c.Value, str(m, "csrf_token")}
	a.secrets = append(a.secrets, c.Value, s.csrf)
	return s
}

// as sends a request with the session's cookie and (unless csrf is
// "-") a CSRF token: the session's when csrf is "", else csrf.
func (a *authEnv) as(s sess, method, path, body string, header ...string) resp {
	a.t.Helper()
	h := map[string]string{"Cookie": s.cookie, "X-CSRF-Token": s.csrf}
	for i := 0; i+1 < len(header); i += 2 {
		h[header[i]] = header[i+1]
	}
	if h["X-CSRF-Token"] == "-" {
		delete(h, "X-CSRF-Token")
	}
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
		h["Content-Type"] = "application/json"
	} else {
		rd = strings.NewReader("")
	}
	return a.do(method, path, "", rd, h)
}

// checkNoSecrets: no password, code, cookie or CSRF token of the test is in
// the audit trail or in the server's log.
func (a *authEnv) checkNoSecrets() {
	a.t.Helper()
	rows, err := a.f.DB.Writer().Query(`SELECT action || ' ' || actor || ' ' || object_id || ' ' || changes FROM audit_log`)
	if err != nil {
		a.t.Fatal(err)
	}
	var all strings.Builder
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			a.t.Fatal(err)
		}
		all.WriteString(s + "\n")
	}
	rows.Close()
	logText := a.log.String()
	if all.Len() == 0 || logText == "" {
		a.t.Fatal("nothing audited or logged")
	}
	for _, s := range a.secrets {
		if strings.Contains(all.String(), s) {
			a.t.Errorf("secret %q in the audit trail", s)
		}
		if strings.Contains(logText, s) {
			a.t.Errorf("secret %q in the log", s)
		}
	}
}

// auditActions lists the actions of a tenant's audit entries, in order.
func (a *authEnv) auditActions(tenantID string) []string {
	a.t.Helper()
	rows, err := a.f.DB.Writer().Query(`SELECT action FROM audit_log WHERE tenant_id = '` + tenantID + `' ORDER BY id`)
	if err != nil {
		a.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func TestAuthSignInHTTP(t *testing.T) {
	forAuthBackends(t, dev, func(t *testing.T, a *authEnv) {
		r := a.signIn("TFM", "anna", annaPW)
		m := want(t, r, 200)
		if m["tenant"] != "TFM" || m["login"] != "anna" || len(str(m, "csrf_token")) != 43 || m["methode"] != "passwort" {
			t.Fatalf("sign-in %v", m)
		}
		exp, err := time.Parse(time.RFC3339Nano, str(m, "laeuft_ab_am"))
		if err != nil || !exp.Equal(a.f.Clock.Now().UTC().Truncate(time.Microsecond).Add(10*time.Hour)) {
			t.Fatalf("laeuft_ab_am %v %v", m["laeuft_ab_am"], err)
		}
		c := a.cookieFrom(r)
		if c == nil || c.Name != "aktenwerk_sitzung" || !c.HttpOnly || c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge != 0 || len(c.Value) != 43 {
			t.Fatalf("cookie %+v", c)
		}
		s := sess{a.cookie + "=" + c.Value, str(m, "csrf_token")}
		// the cookie signs in on the whole API
		if me := want(t, a.as(s, "GET", "/api/v1/ich", ""), 200); me["login"] != "anna" || me["tenant"] != "TFM" {
			t.Fatalf("ich %v", me)
		}
		sv := want(t, a.as(s, "GET", "/api/v1/sitzung", "", "X-CSRF-Token", "-"), 200)
		if sv["csrf_token"] != s.csrf || sv["login"] != "anna" {
			t.Fatalf("sitzung %v", sv)
		}
		// only the hash of the cookie is stored
		var n int
		if err := a.f.DB.Writer().QueryRow(`SELECT COUNT(*) FROM sessions WHERE id = '` + c.Value + `'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("cookie secret stored as session id (%d, %v)", n, err)
		}
		// bearer callers have no session
		wantProblem(t, a.jsonReq("GET", "/api/v1/sitzung", a.bernd, ""), 404, "")

		// one answer for every failure
		var details []string
		for _, c := range [][3]string{{"TFM", "anna", "Falsches-Passwort-1"}, {"TFM", "niemand", annaPW}, {"NOPE", "anna", annaPW}, {"TSK", "carla", annaPW}} {
			p := wantProblem(t, a.signIn(c[0], c[1], c[2]), 401, "")
			details = append(details, fmt.Sprint(p["type"], p["title"], p["detail"]))
		}
		for _, d := range details[1:] {
			if d != details[0] {
				t.Fatalf("failures differ: %q vs %q", d, details[0])
			}
		}
		wantProblem(t, a.signIn("TFM", "", annaPW), 422, "login")
		wantProblem(t, a.do("POST", "/api/v1/anmeldung", "", strings.NewReader(`{"tenant":"TFM","login":"anna","passwort":"x","rolle":"admin"}`),
			map[string]string{"Content-Type": "application/json"}), 400, "rolle")
		wantProblem(t, a.do("POST", "/api/v1/anmeldung", "", strings.NewReader("tenant=TFM&login=anna"),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"}), 415, "")
		a.checkNoSecrets()
	})
}

func TestAuthSecureCookieHTTP(t *testing.T) {
	a := newAuthEnv(t, storetest.Backends(t)[0], web.Options{}) // production default
	r := a.signIn("TFM", "anna", annaPW)
	want(t, r, 200)
	sc := r.header.Get("Set-Cookie")
	for _, part := range []string{"__Host-aktenwerk=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(sc, part) {
			t.Fatalf("Set-Cookie %q lacks %q", sc, part)
		}
	}
	if strings.Contains(sc, "Domain") || strings.Contains(sc, "aktenwerk_sitzung") {
		t.Fatalf("Set-Cookie %q", sc)
	}
	c := a.cookieFrom(r)
	want(t, a.as(sess{"__Host-aktenwerk=" + c.Value, ""}, "GET", "/api/v1/ich", ""), 200)
	// the development name is not accepted by a secure server
	wantProblem(t, a.as(sess{"aktenwerk_sitzung=" + c.Value, ""}, "GET", "/api/v1/ich", ""), 401, "")
}

func TestAuthSessionFixationHTTP(t *testing.T) {
	forAuthBackends(t, dev, func(t *testing.T, a *authEnv) {
		old := a.start("TFM", "anna", annaPW)
		// signing in again in the same browser (the old cookie goes along)
		r := a.do("POST", "/api/v1/anmeldung", "", strings.NewReader(fmt.Sprintf(`{"tenant":"TFM","login":"anna","passwort":%q}`, annaPW)),
			map[string]string{"Content-Type": "application/json", "Cookie": old.cookie})
		m := want(t, r, 200)
		c := a.cookieFrom(r)
		now := sess{a.cookie + "=" + c.Value, str(m, "csrf_token")}
		if now.cookie == old.cookie || now.csrf == old.csrf {
			t.Fatal("the session presented at sign-in was kept")
		}
		wantProblem(t, a.as(old, "GET", "/api/v1/sitzung", ""), 401, "")
		want(t, a.as(now, "GET", "/api/v1/sitzung", ""), 200)
		// a cookie planted by someone else (bernd's session) ends as well
		planted := a.start("TFM", "bernd", berndPW)
		r = a.do("POST", "/api/v1/anmeldung", "", strings.NewReader(fmt.Sprintf(`{"tenant":"TFM","login":"anna","passwort":%q}`, annaPW)),
			map[string]string{"Content-Type": "application/json", "Cookie": planted.cookie})
		want(t, r, 200)
		if a.cookieFrom(r).Value == strings.TrimPrefix(planted.cookie, a.cookie+"=") {
			t.Fatal("planted cookie kept")
		}
		wantProblem(t, a.as(planted, "GET", "/api/v1/sitzung", ""), 401, "")
	})
}

func TestAuthCSRFHTTP(t *testing.T) {
	forAuthBackends(t, dev, func(t *testing.T, a *authEnv) {
		s := a.start("TFM", "anna", annaPW)
		body := func(kz string) string { return fmt.Sprintf(`{"kennzeichen":%q,"titel":"Haushalt"}`, kz) }
		p := wantProblem(t, a.as(s, "POST", "/api/v1/aktenplan", body("1"), "X-CSRF-Token", "-"), 403, "")
		if p["type"] != "/probleme/csrf" {
			t.Fatalf("without token: %v", p)
		}
		wantProblem(t, a.as(s, "POST", "/api/v1/aktenplan", body("2"), "X-CSRF-Token", tamper(s.csrf)), 403, "")
		wantProblem(t, a.as(s, "POST", "/api/v1/aktenplan", body("3"), "X-CSRF-Token", ""), 403, "")
		// another session's token does not fit
		other := a.start("TFM", "anna", annaPW)
		wantProblem(t, a.as(s, "POST", "/api/v1/aktenplan", body("4"), "X-CSRF-Token", other.csrf), 403, "")
		want(t, a.as(s, "POST", "/api/v1/aktenplan", body("5")), 201)
		want(t, a.as(s, "PATCH", "/api/v1/aktenplan/"+idOf(want(t, a.as(s, "POST", "/api/v1/aktenplan", body("6")), 201)), `{"titel":"Neu"}`), 200)
		// cross-origin browser requests are refused, even with the token
		p = wantProblem(t, a.as(s, "POST", "/api/v1/aktenplan", body("7"), "Sec-Fetch-Site", "cross-site"), 403, "")
		if p["type"] != "/probleme/fremde-herkunft" {
			t.Fatalf("cross-site: %v", p)
		}
		wantProblem(t, a.as(s, "POST", "/api/v1/aktenplan", body("8"), "Origin", "https://boese.example"), 403, "")
		want(t, a.as(s, "POST", "/api/v1/aktenplan", body("9"), "Sec-Fetch-Site", "same-origin"), 201)
		// reading needs no token
		want(t, a.as(s, "GET", "/api/v1/aktenplan", "", "X-CSRF-Token", "-"), 200)
		// bearer tokens need no CSRF token (browsers do not send them by themselves)
		want(t, a.jsonReq("POST", "/api/v1/aktenplan", a.anna, body("10")), 201)
		// a token wins over a cookie: no CSRF check, the token's user
		r := a.do("POST", "/api/v1/aktenplan", a.anna, strings.NewReader(body("11")), map[string]string{"Content-Type": "application/json", "Cookie": s.cookie})
		want(t, r, 201)
		// but never from a foreign site
		wantProblem(t, a.do("POST", "/api/v1/aktenplan", a.anna, strings.NewReader(body("12")),
			map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}), 403, "")
		// the refused requests created nothing
		l := want(t, a.jsonReq("GET", "/api/v1/aktenplan", a.anna, ""), 200)
		var kz []string
		for _, it := range l["items"].([]any) {
			kz = append(kz, it.(map[string]any)["kennzeichen"].(string))
		}
		if strings.Join(kz, ",") != "10,11,5,6,9" {
			t.Fatalf("created %v", kz)
		}
		// signing out needs the token too
		wantProblem(t, a.as(s, "POST", "/api/v1/abmeldung", "", "X-CSRF-Token", "-"), 403, "")
		want(t, a.as(s, "GET", "/api/v1/sitzung", ""), 200)
	})
}

func TestAuthLockoutHTTP(t *testing.T) {
	o := dev
	o.Auth.AddressLimit = 10
	forAuthBackends(t, o, func(t *testing.T, a *authEnv) {
		for range 4 {
			wantProblem(t, a.signIn("TFM", "anna", "Falsches-Passwort-1"), 401, "")
		}
		r := a.signIn("TFM", "anna", "Falsches-Passwort-1")
		p := wantProblem(t, r, 429, "")
		// locked at 10:30:00.12 Berlin time (fixture clock) for 15 minutes:
		// the end is shown rounded up to the minute
		if p["detail"] != "Zu viele Fehlversuche. Anmeldung für dieses Konto bis 10:46 Uhr gesperrt." || r.header.Get("Retry-After") != "900" {
			t.Fatalf("lockout: %v Retry-After %q", p, r.header.Get("Retry-After"))
		}
		// the right password is refused during the lockout
		r = a.signIn("TFM", "anna", annaPW)
		wantProblem(t, r, 429, "")
		if a.cookieFrom(r) != nil {
			t.Fatal("a cookie during the lockout")
		}
		// another account signs in
		a.start("TFM", "bernd", berndPW)
		// after 15 minutes anna can again
		a.f.Clock.Advance(15*time.Minute + time.Second)
		a.start("TFM", "anna", annaPW)

		// one address: 10 failures in 15 minutes block it for everyone
		a.f.Clock.Advance(time.Hour)
		for i := range 9 {
			wantProblem(t, a.signIn("TFM", fmt.Sprintf("gibtsnicht%d", i), "Sommer2026!!"), 401, "")
		}
		p = wantProblem(t, a.signIn("TFM", "gibtsnicht9", "Sommer2026!!"), 429, "")
		if !strings.HasPrefix(str(p, "detail"), "Zu viele Fehlversuche von dieser Adresse. Anmeldung bis ") {
			t.Fatalf("address block %v", p)
		}
		wantProblem(t, a.signIn("TFM", "bernd", berndPW), 429, "")
		// a spoofed X-Forwarded-For from an untrusted peer changes nothing
		r = a.do("POST", "/api/v1/anmeldung", "", strings.NewReader(fmt.Sprintf(`{"tenant":"TFM","login":"bernd","passwort":%q}`, berndPW)),
			map[string]string{"Content-Type": "application/json", "X-Forwarded-For": "198.51.100.77"})
		wantProblem(t, r, 429, "")
		// API tokens are not affected
		want(t, a.jsonReq("GET", "/api/v1/ich", a.anna, ""), 200)
		acts := strings.Join(a.auditActions(a.f.Anna.TenantID), ",")
		if strings.Count(acts, "konto.gesperrt") != 1 || strings.Count(acts, "anmeldung.fehlgeschlagen") < 15 {
			t.Fatalf("audit %s", acts)
		}
		a.checkNoSecrets()
	})
}

func TestAuthTrustedProxyHTTP(t *testing.T) {
	o := dev
	o.Auth.AddressLimit = 3
	o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	forAuthBackends(t, o, func(t *testing.T, a *authEnv) {
		via := func(client, login, pw string) resp {
			return a.do("POST", "/api/v1/anmeldung", "", strings.NewReader(fmt.Sprintf(`{"tenant":"TFM","login":%q,"passwort":%q}`, login, pw)),
				map[string]string{"Content-Type": "application/json", "X-Forwarded-For": client})
		}
		// the client spoofs a first hop; the proxy appends the real one
		wantProblem(t, via("10.9.9.9, 203.0.113.5", "x1", "Falsches-Passwort-1"), 401, "")
		wantProblem(t, via("10.9.9.8, 203.0.113.5", "x2", "Falsches-Passwort-1"), 401, "")
		wantProblem(t, via("203.0.113.5", "x3", "Falsches-Passwort-1"), 429, "")
		wantProblem(t, via("203.0.113.5", "anna", annaPW), 429, "")
		want(t, via("203.0.113.6", "anna", annaPW), 200)
		var n int
		if err := a.f.DB.Writer().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%"adresse":"203.0.113.5"%'`).Scan(&n); err != nil || n != 3 {
			t.Fatalf("audited client address: %d %v", n, err)
		}
	})
}

func TestAuthLogoutHTTP(t *testing.T) {
	forAuthBackends(t, dev, func(t *testing.T, a *authEnv) {
		s1, s2 := a.start("TFM", "anna", annaPW), a.start("TFM", "anna", annaPW)
		sb := a.start("TFM", "bernd", berndPW)
		r := a.as(s1, "POST", "/api/v1/abmeldung", "")
		if r.status != 204 || len(r.body) != 0 {
			t.Fatalf("logout %d %s", r.status, r.body)
		}
		if c := a.cookieFrom(r); c == nil || c.Value != "" || c.MaxAge >= 0 {
			t.Fatalf("logout does not clear the cookie: %v", r.header)
		}
		wantProblem(t, a.as(s1, "GET", "/api/v1/sitzung", ""), 401, "")
		want(t, a.as(s2, "GET", "/api/v1/sitzung", ""), 200)
		s3 := a.start("TFM", "anna", annaPW)
		r = a.as(s3, "POST", "/api/v1/abmeldung/ueberall", "")
		if r.status != 204 {
			t.Fatalf("logout everywhere %d %s", r.status, r.body)
		}
		for _, s := range []sess{s2, s3} {
			wantProblem(t, a.as(s, "GET", "/api/v1/ich", ""), 401, "")
		}
		want(t, a.as(sb, "GET", "/api/v1/ich", ""), 200) // bernd stays
		want(t, a.jsonReq("GET", "/api/v1/ich", a.anna, ""), 200)
		// with a token: ends the sessions, needs no CSRF token
		s4 := a.start("TFM", "anna", annaPW)
		want(t, a.jsonReq("POST", "/api/v1/abmeldung/ueberall", a.anna, ""), 204)
		wantProblem(t, a.as(s4, "GET", "/api/v1/ich", ""), 401, "")
		wantProblem(t, a.jsonReq("POST", "/api/v1/abmeldung", a.anna, ""), 404, "")
		acts := strings.Join(a.auditActions(a.f.Anna.TenantID), ",")
		if strings.Count(acts, "abmeldung.ueberall") != 2 || strings.Count(acts, "abmeldung,") != 1 {
			t.Fatalf("audit %s", acts)
		}
	})
}

func TestAuthTimeoutsHTTP(t *testing.T) {
	// (named subtests: a second "sqlite" subtest would be "sqlite#01", and
	// a '#' in the database path ends the SQLite file: URI)
	t.Run("standard", func(t *testing.T) { forAuthBackends(t, dev, testTimeoutsDefault) })
	o := dev
	o.Auth.IdleTimeout, o.Auth.MaxAge = 5*time.Minute, time.Hour
	t.Run("eingestellt", func(t *testing.T) { forAuthBackends(t, o, testTimeoutsConfigured) })
}

func testTimeoutsDefault(t *testing.T, a *authEnv) {
	clock := a.f.Clock
	s := a.start("TFM", "anna", annaPW)
	clock.Advance(29 * time.Minute)
	want(t, a.as(s, "GET", "/api/v1/ich", ""), 200)
	clock.Advance(29 * time.Minute)
	want(t, a.as(s, "GET", "/api/v1/ich", ""), 200)
	clock.Advance(30*time.Minute + time.Second)
	r := a.as(s, "GET", "/api/v1/ich", "")
	wantProblem(t, r, 401, "")
	if c := a.cookieFrom(r); c == nil || c.MaxAge >= 0 {
		t.Fatal("an expired session's cookie is not cleared")
	}
	// absolute end after 10 hours, however busy
	s = a.start("TFM", "anna", annaPW)
	for range 29 {
		clock.Advance(20 * time.Minute)
		want(t, a.as(s, "GET", "/api/v1/ich", ""), 200)
	}
	clock.Advance(20 * time.Minute)
	wantProblem(t, a.as(s, "GET", "/api/v1/ich", ""), 401, "")
}

func testTimeoutsConfigured(t *testing.T, a *authEnv) {
	s := a.start("TFM", "anna", annaPW)
	if m := want(t, a.as(s, "GET", "/api/v1/sitzung", ""), 200); !strings.HasSuffix(str(m, "laeuft_ab_am"), "T10:30:00.123456Z") {
		t.Fatalf("configured absolute timeout: %v", m)
	}
	a.f.Clock.Advance(4 * time.Minute)
	want(t, a.as(s, "GET", "/api/v1/ich", ""), 200)
	a.f.Clock.Advance(5*time.Minute + time.Second)
	wantProblem(t, a.as(s, "GET", "/api/v1/ich", ""), 401, "")
}

func TestAuthTamperedCookieHTTP(t *testing.T) {
	forAuthBackends(t, dev, func(t *testing.T, a *authEnv) {
		s := a.start("TFM", "anna", annaPW)
		value := strings.TrimPrefix(s.cookie, a.cookie+"=")
		for _, v := range []string{tamper(value), value[:42], value + "x", strings.Repeat("A", 43), strings.Repeat("x", 4000),
			"%00%ff", "ä", value[1:] + value[:1]} {
			r := a.as(sess{a.cookie + "=" + v, s.csrf}, "GET", "/api/v1/ich", "")
			wantProblem(t, r, 401, "")
			r = a.as(sess{a.cookie + "=" + v, s.csrf}, "POST", "/api/v1/abmeldung", "")
			wantProblem(t, r, 401, "")
		}
		// the session itself is unharmed
		want(t, a.as(s, "GET", "/api/v1/ich", ""), 200)
	})
}

func TestAuthDeactivatedHTTP(t *testing.T) {
	forAuthBackends(t, dev, func(t *testing.T, a *authEnv) {
		ctx := context.Background()
		s := a.start("TFM", "bernd", berndPW)
		want(t, a.as(s, "GET", "/api/v1/ich", ""), 200)
		if err := a.svc.SetUserActive(ctx, "TFM", "bernd", false); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, a.as(s, "GET", "/api/v1/ich", ""), 401, "")
		wantProblem(t, a.signIn("TFM", "bernd", berndPW), 401, "")
		if err := a.svc.SetUserActive(ctx, "TFM", "bernd", true); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, a.as(s, "GET", "/api/v1/ich", ""), 401, "")
		a.start("TFM", "bernd", berndPW)
	})
}

func TestAuthPasswordChangeHTTP(t *testing.T) {
	forAuthBackends(t, dev, func(t *testing.T, a *authEnv) {
		s1, s2 := a.start("TFM", "anna", annaPW), a.start("TFM", "anna", annaPW)
		const neu = "Ganz-neues-Passwort-2027"
		a.secrets = append(a.secrets, neu)
		wantProblem(t, a.as(s1, "PUT", "/api/v1/ich/passwort", fmt.Sprintf(`{"bisher":"Falsches-Passwort-1","neu":%q}`, neu)), 422, "bisher")
		wantProblem(t, a.as(s1, "PUT", "/api/v1/ich/passwort", fmt.Sprintf(`{"bisher":%q,"neu":"zu-kurz"}`, annaPW)), 422, "neu")
		wantProblem(t, a.as(s1, "PUT", "/api/v1/ich/passwort", fmt.Sprintf(`{"bisher":%q,"neu":%q}`, annaPW, strings.Repeat("ä", 513))), 422, "neu")
		wantProblem(t, a.as(s1, "PUT", "/api/v1/ich/passwort", fmt.Sprintf(`{"bisher":%q,"neu":%q}`, annaPW, neu), "X-CSRF-Token", "-"), 403, "")
		r := a.as(s1, "PUT", "/api/v1/ich/passwort", fmt.Sprintf(`{"bisher":%q,"neu":%q}`, annaPW, neu))
		if r.status != 204 {
			t.Fatalf("change %d %s", r.status, r.body)
		}
		if c := a.cookieFrom(r); c == nil || c.MaxAge >= 0 {
			t.Fatal("cookie not cleared after the change")
		}
		for _, s := range []sess{s1, s2} {
			wantProblem(t, a.as(s, "GET", "/api/v1/ich", ""), 401, "")
		}
		wantProblem(t, a.signIn("TFM", "anna", annaPW), 401, "")
		a.start("TFM", "anna", neu)
		if acts := strings.Join(a.auditActions(a.f.Anna.TenantID), ","); !strings.Contains(acts, "passwort.fehlgeschlagen") || !strings.Contains(acts, "passwort.geaendert") {
			t.Fatalf("audit %s", acts)
		}
		a.checkNoSecrets()
	})
}

func TestAuthTOTPHTTP(t *testing.T) {
	forAuthBackends(t, dev, func(t *testing.T, a *authEnv) {
		clock := a.f.Clock
		s := a.start("TFM", "anna", annaPW)
		en := want(t, a.as(s, "POST", "/api/v1/ich/totp", ""), 200)
		secret := str(en, "secret")
		a.secrets = append(a.secrets, secret)
		code := func() string {
			c, err := totp.GenerateCode(secret, clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			a.secrets = append(a.secrets, c)
			return c
		}
		wantProblem(t, a.as(s, "POST", "/api/v1/ich/totp/bestaetigung", `{"code":"abcdef"}`), 422, "code")
		rc := want(t, a.as(s, "POST", "/api/v1/ich/totp/bestaetigung", fmt.Sprintf(`{"code":%q}`, code())), 200)
		var codes []string
		for _, c := range rc["wiederherstellungscodes"].([]any) {
			codes = append(codes, c.(string))
		}
		if len(codes) != 10 {
			t.Fatalf("codes %v", rc)
		}
		a.secrets = append(a.secrets, codes...)
		// the password alone is not enough now
		wantProblem(t, a.signIn("TFM", "anna", annaPW), 401, "totp")
		clock.Advance(30 * time.Second)
		c := code()
		s2 := a.start("TFM", "anna", annaPW, fmt.Sprintf(`,"totp":%q`, c))
		if m := want(t, a.as(s2, "GET", "/api/v1/sitzung", ""), 200); m["methode"] != "passwort+totp" {
			t.Fatalf("sitzung %v", m)
		}
		// a code works once
		wantProblem(t, a.signIn("TFM", "anna", annaPW, fmt.Sprintf(`,"totp":%q`, c)), 401, "")
		// a recovery code works once
		a.start("TFM", "anna", annaPW, fmt.Sprintf(`,"wiederherstellungscode":%q`, codes[3]))
		wantProblem(t, a.signIn("TFM", "anna", annaPW, fmt.Sprintf(`,"wiederherstellungscode":%q`, codes[3])), 401, "")
		// removal needs a current code
		wrong := notACode(t, secret, clock.Now())
		wantProblem(t, a.as(s2, "DELETE", "/api/v1/ich/totp", fmt.Sprintf(`{"code":%q}`, wrong)), 422, "code")
		clock.Advance(30 * time.Second)
		r := a.as(s2, "DELETE", "/api/v1/ich/totp", fmt.Sprintf(`{"code":%q}`, code()))
		if r.status != 204 {
			t.Fatalf("remove %d %s", r.status, r.body)
		}
		a.start("TFM", "anna", annaPW)
		acts := strings.Join(a.auditActions(a.f.Anna.TenantID), ",")
		for _, act := range []string{"totp.eingerichtet", "totp.entfernt", "anmeldung", "anmeldung.fehlgeschlagen"} {
			if !strings.Contains(acts, act) {
				t.Errorf("no audit entry %s in %s", act, acts)
			}
		}
		a.checkNoSecrets()
	})
}

// notACode returns a six-digit code that none of the three steps around
// at accepts.
func notACode(t *testing.T, secret string, at time.Time) string {
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := totp.GenerateCode(secret, at.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[c] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !valid[c] {
			return c
		}
	}
	panic("unreachable: three steps have at most three codes")
}
