package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/access"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/records"
	"aktenwerk/internal/web"
)

// Sign-in against the OpenAPI document: every route of handlers_auth.go,
// with session cookies and bearer tokens, including the refusals.
func init() { contractSections = append(contractSections, authContract) }

func authContract(c *contract) {
	t, e := c.t, c.e
	ctx := context.Background()
	// The contract server runs with the production defaults (Secure cookie
	// named __Host-aktenwerk, argon2 64 MiB); passwords are set here with
	// cheap parameters and rehashed by the server at the first sign-in.
	setup := auth.New(e.svc, auth.Options{Argon2: auth.TestParams})
	const pw, pw2 = "Erika-Passwort-2026", "Erika-Passwort-2027"
	erikaTok := e.user("TFM", "erika", access.RoleSachbearbeitung)
	e.user("TFM", "fritz", access.RoleSachbearbeitung)
	for _, u := range []struct{ login, pw string }{{"erika", pw}, {"fritz", "Fritz-Passwort-2026"}} {
		if _, err := setup.SetPassword(ctx, "TFM", u.login, u.pw); err != nil {
			t.Fatal(err)
		}
	}
	const login = "/api/v1/anmeldung"
	signIn := func(check reqCheck, status int, body string) resp {
		t.Helper()
		return c.do(exchange{check: check, status: status, method: "POST", path: login, body: []byte(body), ctype: "application/json"})
	}
	cookieOf := func(r resp) string {
		t.Helper()
		for _, ck := range (&http.Response{Header: r.header}).Cookies() {
			if ck.Name == web.SessionCookie && ck.Value != "" {
				if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
					t.Fatalf("session cookie attributes: %+v", ck)
				}
				return web.SessionCookie + "=" + ck.Value
			}
		}
		t.Fatalf("no session cookie in %v", r.header)
		return ""
	}
	// with a session: cookie plus (for unsafe methods) the CSRF token
	type session struct{ cookie, csrf string }
	start := func(body string) session {
		t.Helper()
		r := signIn(reqValid, 200, body)
		m := r.json(t)
		if m["login"] == nil || len(str(m, "csrf_token")) != 43 {
			t.Fatalf("sign-in answer %v", m)
		}
		return session{cookieOf(r), str(m, "csrf_token")}
	}
	as := func(s session, check reqCheck, status int, method, path, body string) resp {
		t.Helper()
		x := exchange{check: check, status: status, method: method, path: path,
			header: map[string]string{"Cookie": s.cookie, "X-CSRF-Token": s.csrf}}
		if body != "" {
			x.body, x.ctype = []byte(body), "application/json"
		}
		return c.do(x)
	}
	creds := fmt.Sprintf(`{"tenant":"TFM","login":"erika","passwort":%q}`, pw)

	// --- POST /api/v1/anmeldung ---------------------------------------------
	signIn(reqInvalid, 400, `{"tenant":"TFM","login":"erika","passwort":"x","farbe":"rot"}`)
	signIn(reqInvalid, 400, `{"tenant":"TFM","login":"erika"`)
	signIn(reqInvalid, 422, `{"tenant":"TFM","login":"","passwort":"x"}`)
	c.do(exchange{check: reqInvalid, status: 415, method: "POST", path: login, body: []byte(creds), ctype: "text/plain"})
	signIn(reqInvalid, 413, fmt.Sprintf(`{"tenant":"TFM","login":"erika","passwort":%q}`, strings.Repeat("x", 1<<20)))
	wrong := signIn(reqValid, 401, `{"tenant":"TFM","login":"erika","passwort":"Falsches-Passwort-1"}`).json(t)
	unknown := signIn(reqValid, 401, `{"tenant":"TFM","login":"niemand","passwort":"Falsches-Passwort-1"}`).json(t)
	noTenant := signIn(reqValid, 401, `{"tenant":"NOPE","login":"erika","passwort":"Falsches-Passwort-1"}`).json(t)
	if wrong["detail"] != unknown["detail"] || wrong["detail"] != noTenant["detail"] || wrong["title"] != unknown["title"] {
		t.Errorf("failures tell accounts apart: %v / %v / %v", wrong, unknown, noTenant)
	}
	s1 := start(creds)
	// cross-site sign-in (login CSRF) is refused
	c.do(exchange{check: reqUnchecked, status: 403, method: "POST", path: login, body: []byte(creds), ctype: "application/json",
		header: map[string]string{"Sec-Fetch-Site": "cross-site"}})

	// --- GET /api/v1/sitzung ----------------------------------------------------
	sv := as(s1, reqValid, 200, "GET", "/api/v1/sitzung", "").json(t)
	if sv["tenant"] != "TFM" || sv["login"] != "erika" || sv["csrf_token"] != s1.csrf || sv["methode"] != "passwort" {
		t.Fatalf("sitzung %v", sv)
	}
	c.json(reqValid, 404, "GET", "/api/v1/sitzung", erikaTok, "")
	c.do(exchange{status: 401, method: "GET", path: "/api/v1/sitzung", header: map[string]string{"Cookie": web.SessionCookie + "=nicht-echt"}})
	// the cookie works on the rest of the API too
	if me := as(s1, reqUnchecked, 200, "GET", "/api/v1/ich", "").json(t); me["login"] != "erika" {
		t.Fatalf("ich with cookie: %v", me)
	}

	// --- CSRF -----------------------------------------------------------------------
	noCSRF := exchange{status: 403, method: "POST", path: "/api/v1/abmeldung", header: map[string]string{"Cookie": s1.cookie}}
	if p := c.do(noCSRF).json(t); p["type"] != "/probleme/csrf" {
		t.Fatalf("without CSRF token: %v", p)
	}
	as(session{s1.cookie, tamper(s1.csrf)}, reqValid, 403, "POST", "/api/v1/abmeldung", "")
	c.do(exchange{check: reqUnchecked, status: 403, method: "POST", path: "/api/v1/abmeldung",
		header: map[string]string{"Cookie": s1.cookie, "X-CSRF-Token": s1.csrf, "Sec-Fetch-Site": "cross-site"}})

	// --- PUT /api/v1/ich/passwort ---------------------------------------------------
	const pwPath = "/api/v1/ich/passwort"
	as(s1, reqValid, 422, "PUT", pwPath, fmt.Sprintf(`{"bisher":"Falsches-Passwort-2","neu":%q}`, pw2))
	as(s1, reqInvalid, 422, "PUT", pwPath, fmt.Sprintf(`{"bisher":%q,"neu":"kurz"}`, pw))
	as(s1, reqInvalid, 400, "PUT", pwPath, fmt.Sprintf(`{"bisher":%q,"neu":%q,"alt":"x"}`, pw, pw2))
	s1b := start(creds)
	as(s1, reqValid, 204, "PUT", pwPath, fmt.Sprintf(`{"bisher":%q,"neu":%q}`, pw, pw2))
	// every session of erika ended, the one that changed the password too
	as(s1, reqValid, 401, "GET", "/api/v1/sitzung", "")
	as(s1b, reqValid, 401, "GET", "/api/v1/sitzung", "")
	signIn(reqValid, 401, creds)
	creds = fmt.Sprintf(`{"tenant":"TFM","login":"erika","passwort":%q}`, pw2)
	// with a token (no CSRF token needed)
	c.json(reqValid, 204, "PUT", pwPath, erikaTok, fmt.Sprintf(`{"bisher":%q,"neu":%q}`, pw2, pw))
	creds = fmt.Sprintf(`{"tenant":"TFM","login":"erika","passwort":%q}`, pw)
	// a Dienstkonto has no password
	if _, err := e.svc.CreateServiceAccount(ctx, "TFM", records.NewUser{Login: "poststelle.scan", Name: "Scanstraße der Poststelle"}); err != nil {
		t.Fatal(err)
	}
	scanTok, _, err := e.svc.CreateToken(ctx, "TFM", "poststelle.scan", "scan", 0)
	if err != nil {
		t.Fatal(err)
	}
	c.json(reqValid, 409, "PUT", pwPath, scanTok, fmt.Sprintf(`{"bisher":%q,"neu":%q}`, pw, pw2))
	c.json(reqValid, 409, "POST", "/api/v1/ich/totp", scanTok, "")
	// a token that may only read does not manage the account
	readTok, _, err := e.svc.CreateToken(ctx, "TFM", "erika", "nur lesen", 0, access.ScopeRead)
	if err != nil {
		t.Fatal(err)
	}
	c.json(reqValid, 403, "PUT", pwPath, readTok, fmt.Sprintf(`{"bisher":%q,"neu":%q}`, pw, pw2))

	// --- TOTP ---------------------------------------------------------------------------
	s2 := start(creds)
	en := as(s2, reqValid, 200, "POST", "/api/v1/ich/totp", "").json(t)
	en = as(s2, reqValid, 200, "POST", "/api/v1/ich/totp", "").json(t) // a second call replaces the secret
	secret := str(en, "secret")
	if !strings.HasPrefix(str(en, "otpauth_url"), "otpauth://totp/") || !strings.HasPrefix(str(en, "qr_png"), "data:image/png;base64,") || secret == "" {
		t.Fatalf("enrolment %v", en)
	}
	code := func(at time.Time) string {
		cd, err := totp.GenerateCode(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return cd
	}
	const confirm = "/api/v1/ich/totp/bestaetigung"
	bad := "000000"
	if code(time.Now()) == bad || code(time.Now().Add(30*time.Second)) == bad || code(time.Now().Add(-30*time.Second)) == bad {
		bad = "999999"
	}
	as(s2, reqValid, 422, "POST", confirm, fmt.Sprintf(`{"code":%q}`, bad))
	as(s2, reqInvalid, 400, "POST", confirm, `{"code":123456}`)
	rc := as(s2, reqValid, 200, "POST", confirm, fmt.Sprintf(`{"code":%q}`, code(time.Now()))).json(t)
	recovery, _ := rc["wiederherstellungscodes"].([]any)
	if len(recovery) != 10 {
		t.Fatalf("recovery codes %v", rc)
	}
	as(s2, reqValid, 409, "POST", confirm, fmt.Sprintf(`{"code":%q}`, code(time.Now())))
	as(s2, reqValid, 409, "POST", "/api/v1/ich/totp", "")
	// the password alone no longer signs in; the answer names the field
	signInTOTP := func(check reqCheck, status int, extra string) resp {
		t.Helper()
		return signIn(check, status, strings.TrimSuffix(creds, "}")+extra+"}")
	}
	wantField := signInTOTP(reqValid, 401, "").json(t)
	if errs, _ := wantField["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["field"] != "totp" {
		t.Fatalf("without code: %v", wantField)
	}
	// the code of the next step (one step of skew) signs in
	r := signInTOTP(reqValid, 200, fmt.Sprintf(`,"totp":%q`, code(time.Now().Add(30*time.Second))))
	if m := r.json(t); m["methode"] != "passwort+totp" {
		t.Fatalf("totp sign-in %v", m)
	}
	s3 := session{cookieOf(r), str(r.json(t), "csrf_token")}
	r = signInTOTP(reqValid, 200, fmt.Sprintf(`,"wiederherstellungscode":%q`, recovery[0]))
	if m := r.json(t); m["methode"] != "passwort+wiederherstellungscode" {
		t.Fatalf("recovery sign-in %v", m)
	}
	signInTOTP(reqValid, 401, fmt.Sprintf(`,"wiederherstellungscode":%q`, recovery[0]))
	// removal: a wrong code, then a recovery code
	as(s3, reqValid, 422, "DELETE", "/api/v1/ich/totp", fmt.Sprintf(`{"code":%q}`, bad))
	as(s3, reqInvalid, 400, "DELETE", "/api/v1/ich/totp", `{}`+"\n"+`{}`)
	as(s3, reqValid, 204, "DELETE", "/api/v1/ich/totp", fmt.Sprintf(`{"code":%q}`, recovery[1]))
	as(s3, reqValid, 409, "DELETE", "/api/v1/ich/totp", fmt.Sprintf(`{"code":%q}`, recovery[2]))
	c.json(reqValid, 409, "DELETE", "/api/v1/ich/totp", erikaTok, fmt.Sprintf(`{"code":%q}`, bad))

	// --- logout ---------------------------------------------------------------------------
	s4, s5 := start(creds), start(creds)
	r = as(s4, reqValid, 204, "POST", "/api/v1/abmeldung", "")
	if sc := r.header.Get("Set-Cookie"); !strings.Contains(sc, web.SessionCookie+"=;") || !strings.Contains(sc, "Max-Age=0") {
		t.Errorf("logout does not clear the cookie: %q", sc)
	}
	as(s4, reqValid, 401, "POST", "/api/v1/abmeldung", "")
	as(s5, reqValid, 200, "GET", "/api/v1/sitzung", "")
	c.json(reqValid, 404, "POST", "/api/v1/abmeldung", erikaTok, "")
	s6 := start(creds)
	as(s6, reqValid, 204, "POST", "/api/v1/abmeldung/ueberall", "")
	as(s5, reqValid, 401, "GET", "/api/v1/sitzung", "")
	as(s6, reqValid, 401, "GET", "/api/v1/sitzung", "")
	s7 := start(creds)
	c.json(reqValid, 204, "POST", "/api/v1/abmeldung/ueberall", erikaTok, "")
	as(s7, reqValid, 401, "GET", "/api/v1/sitzung", "")
	c.json(reqValid, 403, "POST", "/api/v1/abmeldung/ueberall", readTok, "")

	// --- lockout -------------------------------------------------------------------------
	fritzWrong := `{"tenant":"TFM","login":"fritz","passwort":"Falsches-Passwort-3"}`
	for range 4 {
		signIn(reqValid, 401, fritzWrong)
	}
	r = signIn(reqValid, 429, fritzWrong)
	ra, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > 15*60 {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	if d := str(r.json(t), "detail"); !strings.HasPrefix(d, "Zu viele Fehlversuche. Anmeldung für dieses Konto bis ") || !strings.HasSuffix(d, " Uhr gesperrt.") {
		t.Errorf("lockout message %q", d)
	}
	signIn(reqValid, 429, `{"tenant":"TFM","login":"fritz","passwort":"Fritz-Passwort-2026"}`)
	start(creds) // another account is not affected

	// --- the route sweep sends these without credentials ------------------------------
	c.samples["POST /api/v1/anmeldung"] = jsonSample(`{"tenant":"TFM","login":"beispiel","passwort":"Beispiel-Passwort-1"}`)
	c.samples["PUT /api/v1/ich/passwort"] = jsonSample(`{"bisher":"Beispiel-Passwort-1","neu":"Beispiel-Passwort-2"}`)
	c.samples["POST /api/v1/ich/totp/bestaetigung"] = jsonSample(`{"code":"123456"}`)
	c.samples["DELETE /api/v1/ich/totp"] = jsonSample(`{"code":"123456"}`)
}

// tamper changes the last character of a base64url string.
func tamper(s string) string {
	last := byte('A')
	if s[len(s)-1] == 'A' {
		last = 'B'
	}
	return s[:len(s)-1] + string(last)
}
