package auth_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
)

// The two-step sign-in of the web form: a pending sign-in on the server,
// reached by an opaque token (only its hash stored), single use, bound to
// its account, expiring, with a few code attempts.
func TestPendingLogin(t *testing.T) {
	forBackends(t, auth.Options{}, func(t *testing.T, x *fx) {
		ctx := context.Background()
		st := x.mustLogin("TFM", "anna", annaPW)
		_, p, err := x.authenticate(st.Secret)
		if err != nil {
			t.Fatal(err)
		}
		e, err := x.a.BeginTOTP(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		x.secrets = append(x.secrets, e.Secret)
		code := func() string {
			c, _ := totp.GenerateCode(e.Secret, x.Clock.Now())
			x.secrets = append(x.secrets, c)
			return c
		}
		codes, err := x.a.ConfirmTOTP(ctx, p, code())
		if err != nil {
			t.Fatal(err)
		}
		x.secrets = append(x.secrets, codes...)
		x.Clock.Advance(30 * time.Second)

		begin := func(login, pw string) (string, error) {
			st, tok, err := x.a.BeginLogin(ctx, auth.LoginRequest{Tenant: "TFM", Login: login, Password: pw, Address: here})
			if err == nil {
				x.secrets = append(x.secrets, st.Secret, st.Session.CSRF)
			}
			x.secrets = append(x.secrets, tok)
			return tok, err
		}
		complete := func(tenant, login, tok, totpCode, recovery string) (auth.Started, error) {
			st, err := x.a.CompleteLogin(ctx, auth.SecondFactorRequest{Token: tok, Tenant: tenant, Login: login, TOTP: totpCode,
				RecoveryCode: recovery, Address: here, UserAgent: "Testbrowser/1.0"})
			if err == nil {
				x.secrets = append(x.secrets, st.Secret, st.Session.CSRF)
			}
			return st, err
		}
		wantPending := func(what string, err error) {
			t.Helper()
			if err != auth.ErrPendingLogin {
				t.Fatalf("%s: want ErrPendingLogin, got %v", what, err)
			}
		}

		// without a second factor: BeginLogin signs in at once
		if _, tok, err := x.a.BeginLogin(ctx, auth.LoginRequest{Tenant: "TFM", Login: "bernd", Password: berndPW, Address: here}); err != nil || tok != "" {
			t.Fatalf("bernd: %q %v", tok, err)
		}
		// a wrong password gives no token
		tok, err := begin("anna", "Falsches-Passwort-9")
		wantBad(t, "wrong password", err)
		if tok != "" {
			t.Fatal("token for a wrong password")
		}
		// Login (the JSON API) still answers ErrTOTPRequired without a token
		if _, err := x.login("TFM", "anna", annaPW); err != auth.ErrTOTPRequired {
			t.Fatalf("Login: %v", err)
		}
		tok, err = begin("anna", annaPW)
		if err != auth.ErrTOTPRequired || len(tok) != 43 {
			t.Fatalf("BeginLogin: %q %v", tok, err)
		}
		// only the hash is stored
		id, _ := auth.SessionID(tok)
		var plain, hashed int
		x.DB.Writer().QueryRow(`SELECT COUNT(*) FROM pending_logins WHERE id = '` + tok + `'`).Scan(&plain)
		x.DB.Writer().QueryRow(`SELECT COUNT(*) FROM pending_logins WHERE id = '` + id + `'`).Scan(&hashed)
		if plain != 0 || hashed != 1 {
			t.Fatalf("stored: plain %d, hashed %d", plain, hashed)
		}
		// another account, a made-up token, an empty code
		_, err = complete("TFM", "bernd", tok, code(), "")
		wantPending("bernd with anna's token", err)
		_, err = complete("TSK", "anna", tok, code(), "")
		wantPending("other tenant", err)
		// change the first character; a fixed "x" equals the real token once in 64 runs
		madeUp := "x" + tok[1:]
		if tok[0] == 'x' {
			madeUp = "y" + tok[1:]
		}
		_, err = complete("TFM", "anna", madeUp, code(), "")
		wantPending("made-up token", err)
		_, err = complete("TFM", "anna", tok, "", "")
		wantField(t, err, apperr.KindInvalid, "totp")

		// two parallel completions with two recovery codes: one wins
		var wg sync.WaitGroup
		res := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); _, res[i] = complete("TFM", "anna", tok, "", codes[i]) }()
		}
		wg.Wait()
		ok := 0
		for _, err := range res {
			switch {
			case err == nil:
				ok++
			case err == auth.ErrPendingLogin:
			default:
				t.Fatalf("parallel completion: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d parallel completions succeeded", ok)
		}
		_, err = complete("TFM", "anna", tok, code(), "")
		wantPending("used token", err)

		// a TOTP code; the session names the method
		tok, _ = begin("anna", annaPW)
		s2, err := complete("TFM", "anna", tok, code(), "")
		if err != nil || s2.Session.Method != auth.MethodTOTP || s2.Login != "anna" {
			t.Fatalf("TOTP step: %+v %v", s2, err)
		}
		if _, _, err := x.authenticate(s2.Secret); err != nil {
			t.Fatal(err)
		}

		// expiry
		x.Clock.Advance(30 * time.Second)
		tok, _ = begin("anna", annaPW)
		x.Clock.Advance(auth.PendingLoginTTL)
		_, err = complete("TFM", "anna", tok, code(), "")
		wantPending("expired", err)
		// … and cleaned up by the next one
		begin("anna", annaPW)
		var n int
		x.DB.Writer().QueryRow(`SELECT COUNT(*) FROM pending_logins WHERE id = '` + func() string { id, _ := auth.SessionID(tok); return id }() + `'`).Scan(&n)
		if n != 0 {
			t.Fatal("expired pending sign-in not removed")
		}

		// wrong codes: counted; the token is used up after MaxPendingAttempts
		x.Clock.Advance(30 * time.Second)
		tok, _ = begin("anna", annaPW)
		wrong := "000000"
		if code() == wrong {
			wrong = "111111"
		}
		for range auth.MaxPendingAttempts {
			_, err = complete("TFM", "anna", tok, wrong, "")
			wantBad(t, "wrong code", err)
		}
		_, err = complete("TFM", "anna", tok, code(), "")
		wantPending("used up", err)
		tok, _ = begin("anna", annaPW)
		for i := auth.MaxPendingAttempts; i < auth.DefaultAccountLimit-1; i++ {
			_, err = complete("TFM", "anna", tok, wrong, "")
			wantBad(t, "wrong code", err)
		}
		_, err = complete("TFM", "anna", tok, wrong, "")
		wantThrottled(t, "fifth wrong code", err, auth.ScopeAccount)
		_, err = complete("TFM", "anna", tok, code(), "")
		wantThrottled(t, "right code while locked", err, auth.ScopeAccount)
		if n := strings.Count(x.log.String(), "zweiter schritt ohne"); n < 4 {
			t.Errorf("%d log lines for refused tokens", n)
		}
		x.checkNoSecrets()
	})
}
