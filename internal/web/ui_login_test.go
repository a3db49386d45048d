package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/auth"
)

// The TOTP step of /anmelden carries only the token of a pending sign-in
// kept on the server: never the password; the token is bound to its
// account, expires, is used once and allows a few codes, each counted by
// the login throttling.
func TestUISignInPending(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		const refused = "Die Anmeldung ist abgelaufen oder nicht mehr gültig"
		step1 := func(c *uiClient) string {
			t.Helper()
			p := c.post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"bernd"}, "passwort": {uiPW}})
			wantPage(t, p, 200, `name="totp"`, `name="schritt" value="totp"`)
			return pendingToken(t, p) // also: the password is nowhere in the page
		}
		step2 := func(c *uiClient, tenant, login, token, code string) page {
			t.Helper()
			return c.post("/anmelden", url.Values{"schritt": {"totp"}, "tenant": {tenant}, "login": {login}, "anmeldung": {token},
				"totp": {code}, "ziel": {"/"}})
		}
		wrongCode := func() string {
			n, _ := strconv.Atoi(e.code())
			return fmt.Sprintf("%06d", (n+500000)%1000000)
		}
		signedIn := func(c *uiClient) bool { return c.get("/").status == http.StatusOK }

		// another account's or a made-up token is refused, and costs no attempt
		c := e.client()
		tok := step1(c)
		for _, acct := range [][2]string{{"TFM", "anna"}, {"TSK", "carla"}, {"TSK", "bernd"}} {
			p := step2(c, acct[0], acct[1], tok, e.code())
			wantPage(t, p, 401, refused, `autocomplete="current-password"`)
			if strings.Contains(p.body, tok) {
				t.Error("the refused token is shown again")
			}
		}
		wantPage(t, step2(c, "TFM", "bernd", "kein-token", e.code()), 401, refused)
		wantPage(t, step2(c, "TFM", "bernd", strings.Repeat("A", 43), e.code()), 401, refused)
		if signedIn(c) {
			t.Fatal("signed in with a foreign token")
		}
		// the right account's token works once
		p := step2(c, "TFM", "bernd", tok, e.code())
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
			t.Fatalf("step 2: %d %s", p.status, p.body)
		}
		if !signedIn(c) {
			t.Fatal("not signed in")
		}
		e.f.Clock.Advance(30 * time.Second)
		c2 := e.client()
		wantPage(t, step2(c2, "TFM", "bernd", tok, e.code()), 401, refused)
		if signedIn(c2) {
			t.Fatal("a used token signed in again")
		}

		// expired after five minutes
		c3 := e.client()
		tok = step1(c3)
		e.f.Clock.Advance(auth.PendingLoginTTL + time.Second)
		wantPage(t, step2(c3, "TFM", "bernd", tok, e.code()), 401, refused)
		if signedIn(c3) {
			t.Fatal("an expired token signed in")
		}

		// wrong codes: each refused at the field and counted; after
		// MaxPendingAttempts the token is used up, even for the right code
		e.f.Clock.Advance(30 * time.Second)
		c4 := e.client()
		tok = step1(c4)
		for range auth.MaxPendingAttempts {
			p := step2(c4, "TFM", "bernd", tok, wrongCode())
			wantPage(t, p, 401, "Code nicht angenommen", `aria-describedby="totp-fehler"`)
			if pendingToken(t, p) != tok {
				t.Fatal("token changed")
			}
		}
		wantPage(t, step2(c4, "TFM", "bernd", tok, e.code()), 401, refused)
		// the failures count against the account: a new password step,
		// then wrong codes up to the account limit lock the account
		tok = step1(c4)
		for i := auth.MaxPendingAttempts; i < auth.DefaultAccountLimit; i++ {
			p = step2(c4, "TFM", "bernd", tok, wrongCode())
		}
		wantPage(t, p, 429, "Zu viele Fehlversuche")
		if p.header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		if strings.Contains(p.body, tok) {
			t.Error("token kept on the lockout page")
		}
		// locked: neither the right code nor the password helps
		wantPage(t, step2(c4, "TFM", "bernd", tok, e.code()), 429, "Zu viele Fehlversuche")
		wantPage(t, c4.post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"bernd"}, "passwort": {uiPW}}), 429)
		if signedIn(c4) {
			t.Fatal("signed in despite the lockout")
		}
	})
}
