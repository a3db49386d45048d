package oidc

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"aktenwerk/internal/apperr"
)

// wantFailure asserts that a callback result is an Unauthorized apperr with
// the given cause, a German message containing msgPart, no identity, and no
// secret material in its text.
func wantFailure(t *testing.T, r result, cause error, msgPart string, secrets ...string) {
	t.Helper()
	if r.err == nil {
		t.Fatalf("callback succeeded with %+v, want error %v", r.id, cause)
	}
	if !errors.Is(r.err, cause) {
		t.Fatalf("error %q, want cause %q", r.err, cause)
	}
	t.Logf("refused as expected: %v", r.err)
	ae, ok := apperr.As(r.err)
	if !ok || ae.Kind != apperr.KindUnauthorized {
		t.Fatalf("error %q is not an apperr Unauthorized: %#v", r.err, r.err)
	}
	if !strings.Contains(ae.Message, msgPart) {
		t.Fatalf("message %q does not contain %q", ae.Message, msgPart)
	}
	if !equalIdentity(r.id, Identity{}) {
		t.Fatalf("identity returned with error: %+v", r.id)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(r.err.Error(), s) {
			t.Fatalf("error text leaks secret material: %q", r.err)
		}
	}
	if strings.Contains(r.err.Error(), "eyJ") {
		t.Fatalf("error text seems to contain a JWT: %q", r.err)
	}
}

func equalIdentity(a, b Identity) bool {
	return a.Issuer == b.Issuer && a.Subject == b.Subject && a.Tenant == b.Tenant && a.Login == b.Login &&
		a.Name == b.Name && a.Email == b.Email && slices.Equal(a.Roles, b.Roles) && slices.Equal(a.Units, b.Units)
}

// callback requests the callback URL u in browser b and returns the RP's result.
func callback(t *testing.T, e *env, b *browser, rp string, u *url.URL) (*http.Response, result) {
	t.Helper()
	resp, _ := b.get(u.String())
	return resp, e.takeResult(rp)
}

func TestOIDCFlow(t *testing.T) {
	e := newEnv(t)

	t.Run("full browser login maps claims of a real ID token", func(t *testing.T) {
		b := e.newBrowser()
		const returnTo = "/akten/2024-17?tab=dokumente"
		resp, body := b.login("main", returnTo, "M.Mueller")
		r := e.takeResult("main")
		if r.err != nil {
			t.Fatalf("callback: %v", r.err)
		}
		if resp.StatusCode != http.StatusOK || body != "landed "+returnTo || resp.Request.URL.Host != strings.TrimPrefix(e.rpSrv.URL, "http://") {
			t.Fatalf("browser ended at %s with %d %q, want our %s", resp.Request.URL, resp.StatusCode, body, returnTo)
		}
		want := Identity{
			Issuer: e.issuer, Subject: "u-mueller", Tenant: "stmi", Login: "m.mueller",
			Name: "Maria Müller", Email: "maria.mueller@stmi.example",
			Roles: []string{"admin", "sachbearbeitung"}, // AW-Admins, AW-SB; "Kantine" is unmapped
			Units: []string{"Z1", "Z2"},
		}
		if !equalIdentity(r.id, want) {
			t.Fatalf("identity\n got %+v\nwant %+v", r.id, want)
		}
		if r.returnTo != returnTo {
			t.Fatalf("returnTo %q, want %q", r.returnTo, returnTo)
		}
		// The authorization request as the OP received it.
		if len(b.authRequests) != 1 {
			t.Fatalf("saw %d authorization requests, want 1", len(b.authRequests))
		}
		q := b.authRequests[0].Query()
		for k, v := range map[string]string{
			"response_type": "code", "client_id": clientID, "code_challenge_method": "S256",
			"scope": "openid profile email", "redirect_uri": e.rpURL("/main/callback"),
		} {
			if q.Get(k) != v {
				t.Errorf("authorization request %s=%q, want %q", k, q.Get(k), v)
			}
		}
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if len(q.Get(k)) < 43 {
				t.Errorf("authorization request %s=%q: want ≥ 43 random characters", k, q.Get(k))
			}
		}
		// The state cookie is gone after the callback.
		cb, _ := url.Parse(e.rpURL("/main/callback"))
		if c := b.stateCookie(cb); c != nil {
			t.Fatalf("state cookie %s still set after callback", c.Name)
		}
	})

	t.Run("absent tenant claim falls back to DefaultTenant", func(t *testing.T) {
		b := e.newBrowser()
		b.login("main", "/", "schulz")
		r := e.takeResult("main")
		if r.err != nil {
			t.Fatalf("callback: %v", r.err)
		}
		want := Identity{Issuer: e.issuer, Subject: "u-schulz", Tenant: "landesverwaltung", Login: "schulz",
			Name: "Stefan Schulz", Email: "stefan.schulz@example", Roles: []string{"audit"}}
		if !equalIdentity(r.id, want) {
			t.Fatalf("identity\n got %+v\nwant %+v", r.id, want)
		}
	})

	t.Run("roles from a nested claim path", func(t *testing.T) {
		b := e.newBrowser()
		b.login("nested", "/", "M.Mueller")
		r := e.takeResult("nested")
		if r.err != nil {
			t.Fatalf("callback: %v", r.err)
		}
		// realm_access.roles = [AW-Leitung, offline_access]
		if want := []string{"sachbearbeitung", "leitung"}; !slices.Equal(r.id.Roles, want) {
			t.Fatalf("roles %v, want %v", r.id.Roles, want)
		}
	})

	t.Run("login claim that cannot be mapped is refused naming the claim", func(t *testing.T) {
		b := e.newBrowser()
		resp, _ := b.login("main", "/", "Dr. Bad Login")
		wantFailure(t, e.takeResult("main"), ErrClaims, `"preferred_username"`)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", resp.StatusCode)
		}
	})

	t.Run("ID token for another audience is refused", func(t *testing.T) {
		b := e.newBrowser()
		resp, _ := b.login("wrongaud", "/", "M.Mueller")
		r := e.takeResult("wrongaud")
		wantFailure(t, r, ErrIDToken, "ID-Token")
		if !strings.Contains(r.err.Error(), "audience") {
			t.Fatalf("error %q does not name the audience check", r.err)
		}
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", resp.StatusCode)
		}
	})

	t.Run("nonce mismatch", func(t *testing.T) {
		b := e.newBrowser()
		cb := b.toCallback("main", "/x", "M.Mueller")
		c := b.stateCookie(cb)
		if c == nil {
			t.Fatal("no state cookie after Start")
		}
		rp := e.rps["main"].finish
		st, err := rp.sealer.open(c.Name, c.Value, time.Now())
		if err != nil {
			t.Fatalf("open own cookie: %v", err)
		}
		st.Nonce = randomToken() // everything else (state, PKCE verifier) stays valid
		v, err := rp.sealer.seal(c.Name, st)
		if err != nil {
			t.Fatal(err)
		}
		b.setCookie(cb, c.Name, v)
		_, r := callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrNonceMismatch, "gehört nicht zu dieser Anmeldung", cb.Query().Get("code"))
	})

	t.Run("PKCE verifier mismatch is refused by the OP", func(t *testing.T) {
		b := e.newBrowser()
		cb := b.toCallback("main", "/", "M.Mueller")
		c := b.stateCookie(cb)
		rp := e.rps["main"].finish
		st, err := rp.sealer.open(c.Name, c.Value, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		st.Verifier = oauth2.GenerateVerifier()
		v, _ := rp.sealer.seal(c.Name, st)
		b.setCookie(cb, c.Name, v)
		_, r := callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrExchange, "Autorisierungscode", cb.Query().Get("code"), st.Verifier)
	})

	t.Run("state parameter of another attempt", func(t *testing.T) {
		b := e.newBrowser()
		cb := b.toCallback("main", "/", "M.Mueller")
		q := cb.Query()
		q.Set("state", randomToken())
		cb.RawQuery = q.Encode()
		_, r := callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrStateMismatch, "gehört nicht zu dieser Anmeldung")
	})

	t.Run("state in the sealed cookie differs from the parameter", func(t *testing.T) {
		b := e.newBrowser()
		cb := b.toCallback("main", "/", "M.Mueller")
		c := b.stateCookie(cb)
		rp := e.rps["main"].finish
		st, err := rp.sealer.open(c.Name, c.Value, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		st.State = randomToken() // validly sealed under the right name, wrong content
		v, _ := rp.sealer.seal(c.Name, st)
		b.setCookie(cb, c.Name, v)
		_, r := callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrStateMismatch, "gehört nicht zu dieser Anmeldung")
	})

	t.Run("tampered or garbage state cookie", func(t *testing.T) {
		other, err := newSealer([]byte("another-key-that-is-32-bytes-long!!"), e.issuer, clientID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			mangle func(name, value string, st flowState) string
			cause  error
		}{
			{"flipped byte", func(_, v string, _ flowState) string {
				b := []byte(v)
				i := len(b) / 2
				if b[i] == 'A' {
					b[i] = 'B'
				} else {
					b[i] = 'A'
				}
				return string(b)
			}, ErrStateInvalid},
			{"garbage", func(string, string, flowState) string { return "not-a-sealed-value" }, ErrStateInvalid},
			{"sealed with another key", func(n, _ string, st flowState) string {
				v, _ := other.seal(n, st)
				return v
			}, ErrStateInvalid},
			{"sealed under another cookie name", func(_, _ string, st flowState) string {
				v, _ := e.rps["main"].finish.sealer.seal(cookieName(false, "other"), st)
				return v
			}, ErrStateInvalid},
			{"expired", func(n, _ string, st flowState) string {
				st.Expires = time.Now().Add(-time.Second).Unix()
				v, _ := e.rps["main"].finish.sealer.seal(n, st)
				return v
			}, ErrStateExpired},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b := e.newBrowser()
				cb := b.toCallback("main", "/", "M.Mueller")
				c := b.stateCookie(cb)
				st, err := e.rps["main"].finish.sealer.open(c.Name, c.Value, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				b.setCookie(cb, c.Name, tc.mangle(c.Name, c.Value, st))
				_, r := callback(t, e, b, "main", cb)
				wantFailure(t, r, tc.cause, "Bitte melden Sie sich erneut an")
			})
		}
	})

	t.Run("missing state cookie", func(t *testing.T) {
		b := e.newBrowser()
		cb := b.toCallback("main", "/", "M.Mueller")
		fresh := e.newBrowser() // e.g. the link was opened in another browser
		_, r := callback(t, e, fresh, "main", cb)
		wantFailure(t, r, ErrStateMissing, "abgelaufen")
	})

	t.Run("missing code", func(t *testing.T) {
		b := e.newBrowser()
		cb := b.toCallback("main", "/", "M.Mueller")
		q := cb.Query()
		q.Del("code")
		cb.RawQuery = q.Encode()
		_, r := callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrCodeMissing, "Autorisierungscode")
	})

	t.Run("iss parameter naming another issuer (mix-up)", func(t *testing.T) {
		b := e.newBrowser()
		cb := b.toCallback("main", "/", "M.Mueller")
		q := cb.Query()
		q.Set("iss", "https://idp.evil.example")
		cb.RawQuery = q.Encode()
		_, r := callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrIssuerParam, "nicht vom konfigurierten Identitätsanbieter")
	})

	t.Run("error from the OP (prompt=none without session)", func(t *testing.T) {
		b := e.newBrowser()
		b.stopAtCallback = true
		// Let Start redirect, then ask the OP for a silent login it must refuse.
		noFollow := &http.Client{Jar: b.jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := noFollow.Get(e.rpURL("/main/login?return_to=/"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		authURL, err := resp.Location()
		if err != nil {
			t.Fatal(err)
		}
		q := authURL.Query()
		q.Set("prompt", "none")
		authURL.RawQuery = q.Encode()
		resp2, body := b.get(authURL.String())
		cb := b.callbackLocation(resp2, body)
		if cb.Query().Get("error") != "login_required" {
			t.Fatalf("OP answered %s, want error=login_required", cb)
		}
		_, r := callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrProviderError, "login_required")
		if c := b.stateCookie(cb); c != nil {
			t.Fatalf("state cookie %s not cleared after an error answer", c.Name)
		}
	})

	t.Run("access_denied with injected description", func(t *testing.T) {
		b := e.newBrowser()
		cb := b.toCallback("main", "/", "M.Mueller")
		q := url.Values{
			"state": {cb.Query().Get("state")}, "error": {"access_denied"},
			"error_description": {"<script>alert(1)</script> Bitte rufen Sie +49 ... an"},
		}
		cb.RawQuery = q.Encode()
		resp, r := callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrProviderError, "access_denied", "<script>")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", resp.StatusCode)
		}
		// An injected error code is not echoed either.
		q.Set("error", "<b>evil</b>")
		cb.RawQuery = q.Encode()
		_, r = callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrProviderError, "unbekannt", "<b>")
	})

	t.Run("replayed callback", func(t *testing.T) {
		b := e.newBrowser()
		cb := b.toCallback("main", "/", "M.Mueller")
		c := b.stateCookie(cb)
		_, r := callback(t, e, b, "main", cb)
		if r.err != nil || r.id.Subject != "u-mueller" {
			t.Fatalf("first callback: %+v %v", r.id, r.err)
		}
		// Same URL again: the state cookie was consumed.
		_, r = callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrStateMissing, "erneut an")
		// Even with the old state cookie put back, the code is spent at the OP.
		b.setCookie(cb, c.Name, c.Value)
		_, r = callback(t, e, b, "main", cb)
		wantFailure(t, r, ErrExchange, "bereits verwendet", cb.Query().Get("code"))
	})

	t.Run("returnTo that is not a local path ends at /", func(t *testing.T) {
		for _, rt := range []string{"//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)", ""} {
			b := e.newBrowser()
			resp, body := b.login("main", rt, "schulz")
			r := e.takeResult("main")
			if r.err != nil {
				t.Fatalf("returnTo %q: callback: %v", rt, r.err)
			}
			if r.returnTo != "/" || body != "landed /" || resp.Request.URL.Host != strings.TrimPrefix(e.rpSrv.URL, "http://") {
				t.Fatalf("returnTo %q: ended at %s (%q), returnTo %q; want / on our host", rt, resp.Request.URL, body, r.returnTo)
			}
		}
	})

	t.Run("parallel logins in two tabs both succeed", func(t *testing.T) {
		b := e.newBrowser()
		cb1 := b.toCallback("main", "/eins", "M.Mueller")
		cb2 := b.toCallback("main", "/zwei", "M.Mueller")
		_, r2 := callback(t, e, b, "main", cb2)
		_, r1 := callback(t, e, b, "main", cb1)
		if r1.err != nil || r2.err != nil || r1.returnTo != "/eins" || r2.returnTo != "/zwei" {
			t.Fatalf("tab 1: %q %v; tab 2: %q %v", r1.returnTo, r1.err, r2.returnTo, r2.err)
		}
	})

	t.Run("state cookie attributes", func(t *testing.T) {
		for _, secure := range []bool{false, true} {
			cfg := e.cfgs["main"]
			cfg.CookieSecure = secure
			rp := e.newRP(cfg)
			rec := httptest.NewRecorder()
			rp.Start(rec, httptest.NewRequest(http.MethodGet, "/main/login", nil), "/akte/1")
			res := rec.Result()
			if res.StatusCode != http.StatusFound {
				t.Fatalf("Start answered %d", res.StatusCode)
			}
			loc, _ := res.Location()
			cookies := res.Cookies()
			if len(cookies) != 1 {
				t.Fatalf("Start set %d cookies, want 1", len(cookies))
			}
			c := cookies[0]
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/main/callback" || c.MaxAge != 600 || c.Secure != secure {
				t.Fatalf("cookie attributes: %+v", c)
			}
			if secure != strings.HasPrefix(c.Name, "__Secure-") {
				t.Fatalf("cookie name %q with Secure=%v", c.Name, secure)
			}
			q := loc.Query()
			for _, s := range []string{q.Get("state"), q.Get("nonce"), "/akte/1"} {
				if strings.Contains(c.Value, s) {
					t.Fatalf("cookie value contains %q in plain text", s)
				}
			}
			st, err := rp.sealer.open(c.Name, c.Value, time.Now())
			if err != nil || st.State != q.Get("state") || st.Nonce != q.Get("nonce") || st.ReturnTo != "/akte/1" ||
				oauth2.S256ChallengeFromVerifier(st.Verifier) != q.Get("code_challenge") {
				t.Fatalf("sealed state %+v does not match the authorization request %s (%v)", st, loc, err)
			}
		}
	})
}

func TestNewIssuerMismatch(t *testing.T) {
	// An OP whose discovery document names another issuer than the one we
	// are configured with.
	srv := startOP(t, "https://idp.other.example", nil)
	check := func(t *testing.T, issuer string) {
		t.Helper()
		rp, err := New(context.Background(), Config{
			Issuer: issuer, ClientID: clientID, ClientSecret: clientSecret,
			RedirectURL: "http://127.0.0.1:1/cb",
		}, nil)
		if err == nil || rp != nil {
			t.Fatalf("New succeeded against issuer %q", issuer)
		}
		var mm *gooidc.IssuerMismatchError
		if !errors.As(err, &mm) {
			t.Fatalf("error %v is not an issuer mismatch", err)
		}
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindInvalid || len(ae.Fields) != 1 || ae.Fields[0].Field != "Issuer" ||
			!strings.Contains(ae.Fields[0].Message, issuer) {
			t.Fatalf("error does not name the Issuer field clearly: %#v", err)
		}
	}
	t.Run("different host", func(t *testing.T) { check(t, srv.URL) })

	// The same OP is fine under its own issuer, but a trailing slash differs.
	e := newEnv(t)
	t.Run("trailing slash", func(t *testing.T) { check(t, e.issuer+"/") })
}
