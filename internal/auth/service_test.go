package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
)

const (
	annaPW  = "Ährenfeld-Sommer-2026"
	berndPW = "Bernd-sein-Passwort!"
	here    = "192.0.2.10"
)

type fx struct {
	*storetest.Fixture
	t   *testing.T
	a   *auth.Service
	log *lockedBuffer
	// secrets handed out during the test; none may appear in the audit
	// trail or the log
	secrets []string
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func forBackends(t *testing.T, o auth.Options, fn func(*testing.T, *fx)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, newFx(t, b, o)) })
	}
}

func newFx(t *testing.T, b storetest.Backend, o auth.Options) *fx {
	f := storetest.NewFixture(t, b.Open)
	buf := &lockedBuffer{}
	o.Argon2 = auth.TestParams
	o.Log = slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	x := &fx{Fixture: f, t: t, a: auth.New(f.Svc, o), log: buf, secrets: []string{annaPW, berndPW}}
	ctx := context.Background()
	if _, err := x.a.SetPassword(ctx, "TFM", "anna", annaPW); err != nil {
		t.Fatal(err)
	}
	if _, err := x.a.SetPassword(ctx, "TFM", "bernd", berndPW); err != nil {
		t.Fatal(err)
	}
	return x
}

func (x *fx) login(tenant, login, pw string, mod ...func(*auth.LoginRequest)) (auth.Started, error) {
	x.t.Helper()
	r := auth.LoginRequest{Tenant: tenant, Login: login, Password: pw, Address: here, UserAgent: "Testbrowser/1.0"}
	for _, m := range mod {
		m(&r)
	}
	st, err := x.a.Login(context.Background(), r)
	if err == nil {
		x.secrets = append(x.secrets, st.Secret, st.Session.CSRF)
	}
	return st, err
}

func (x *fx) mustLogin(tenant, login, pw string, mod ...func(*auth.LoginRequest)) auth.Started {
	x.t.Helper()
	st, err := x.login(tenant, login, pw, mod...)
	if err != nil {
		x.t.Fatalf("login %s/%s: %v", tenant, login, err)
	}
	return st
}

func from(addr string) func(*auth.LoginRequest) {
	return func(r *auth.LoginRequest) { r.Address = addr }
}

func withTOTP(code string) func(*auth.LoginRequest) {
	return func(r *auth.LoginRequest) { r.TOTP = code }
}

func withRecovery(code string) func(*auth.LoginRequest) {
	return func(r *auth.LoginRequest) { r.RecoveryCode = code }
}

func wantBad(t *testing.T, what string, err error) {
	t.Helper()
	if err != auth.ErrBadCredentials {
		t.Fatalf("%s: want the one bad-credentials answer, got %v", what, err)
	}
}

func wantThrottled(t *testing.T, what string, err error, scope string) *auth.ThrottledError {
	t.Helper()
	var te *auth.ThrottledError
	if !errors.As(err, &te) || te.Scope != scope {
		t.Fatalf("%s: want lockout of the %s, got %v", what, scope, err)
	}
	return te
}

func wantField(t *testing.T, err error, kind apperr.Kind, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != kind {
		t.Fatalf("want error kind %d, got %v", kind, err)
	}
	if field == "" {
		return
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v does not name %q", err, field)
}

func (x *fx) authenticate(secret string) (auth.Session, records.Principal, error) {
	return x.a.Authenticate(context.Background(), secret)
}

func TestLoginAndSession(t *testing.T) {
	forBackends(t, auth.Options{}, func(t *testing.T, x *fx) {
		ctx := context.Background()
		now := x.Clock.Now().UTC().Truncate(time.Microsecond)
		st := x.mustLogin("TFM", "anna", annaPW)
		if st.TenantCode != "TFM" || st.Login != "anna" || len(st.Secret) != 43 || len(st.Session.CSRF) != 43 || st.Session.Method != auth.MethodPassword {
			t.Fatalf("started %+v", st)
		}
		if !st.Session.ExpiresAt.Equal(now.Add(10*time.Hour)) || st.Session.RemoteAddr != here || st.Session.UserAgent != "Testbrowser/1.0" {
			t.Fatalf("session %+v", st.Session)
		}
		sess, p, err := x.authenticate(st.Secret)
		if err != nil || p.Login != "anna" || p.TenantCode != "TFM" || p.UserID != x.Anna.UserID || sess.CSRF != st.Session.CSRF {
			t.Fatalf("authenticate: %v %+v", err, p)
		}
		// tenant and login are normalised as typed
		x.mustLogin(" tfm", " Anna ", annaPW)

		// every failure looks the same
		wantBad(t, "wrong password", errOf(x.login("TFM", "anna", annaPW+"x")))
		wantBad(t, "unknown login", errOf(x.login("TFM", "niemand", annaPW)))
		wantBad(t, "unknown tenant", errOf(x.login("XYZ", "anna", annaPW)))
		wantBad(t, "another tenant's user", errOf(x.login("TSK", "anna", annaPW)))
		wantBad(t, "user without password", errOf(x.login("TSK", "carla", annaPW)))
		// a Dienstkonto never signs in with a password, even with a hash in place
		svcUser, err := x.Svc.CreateServiceAccount(ctx, "TFM", records.NewUser{Login: "scanner", Name: "Scanstraße"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = x.a.SetPassword(ctx, "TFM", "scanner", "Scanner-Passwort-1")
		wantField(t, err, apperr.KindConflict, "")
		hash, _ := auth.HashPassword("Scanner-Passwort-1", auth.TestParams)
		if err := x.DB.Write(ctx, func(rt records.Tx) error {
			return rt.(auth.Tx).SetPasswordHash(ctx, svcUser.TenantID, svcUser.ID, hash)
		}); err != nil {
			t.Fatal(err)
		}
		wantBad(t, "service account", errOf(x.login("TFM", "scanner", "Scanner-Passwort-1")))
		// malformed input is refused before anything is looked up
		wantField(t, errOf(x.login("TFM", "", annaPW)), apperr.KindInvalid, "login")
		wantField(t, errOf(x.login("TFM", "anna", "")), apperr.KindInvalid, "passwort")
		wantField(t, errOf(x.login("TFM", "anna", strings.Repeat("x", 1025))), apperr.KindInvalid, "passwort")

		// session fixation: a session presented at sign-in ends
		st2 := x.mustLogin("TFM", "anna", annaPW, func(r *auth.LoginRequest) { r.Presented = st.Secret })
		if st2.Secret == st.Secret || st2.Session.ID == st.Session.ID || st2.Session.CSRF == st.Session.CSRF {
			t.Fatal("the new session reuses the old one")
		}
		_, _, err = x.authenticate(st.Secret)
		wantField(t, err, apperr.KindUnauthorized, "")
		// also bernd's session, if his cookie is in anna's browser
		sb := x.mustLogin("TFM", "bernd", berndPW)
		x.mustLogin("TFM", "anna", annaPW, func(r *auth.LoginRequest) { r.Presented = sb.Secret })
		_, _, err = x.authenticate(sb.Secret)
		wantField(t, err, apperr.KindUnauthorized, "")
		// malformed presented cookies are ignored
		x.mustLogin("TFM", "anna", annaPW, func(r *auth.LoginRequest) { r.Presented = "kaputt" })

		// tampered and unknown secrets: 401, never anything else
		tampered := []byte(st2.Secret)
		tampered[10] ^= 1
		for _, bad := range []string{"", "x", string(tampered), st2.Session.ID, st2.Secret + "A"} {
			_, _, err := x.authenticate(bad)
			wantField(t, err, apperr.KindUnauthorized, "")
		}

		// logout ends exactly this session
		s3 := x.mustLogin("TFM", "anna", annaPW)
		sess2, p2, err := x.authenticate(st2.Secret)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.a.Logout(ctx, p2, sess2); err != nil {
			t.Fatal(err)
		}
		_, _, err = x.authenticate(st2.Secret)
		wantField(t, err, apperr.KindUnauthorized, "")
		if _, _, err := x.authenticate(s3.Secret); err != nil {
			t.Fatal("logout ended another session")
		}

		// deactivation: refused at once, and the session is gone for good
		sb = x.mustLogin("TFM", "bernd", berndPW)
		if err := x.Svc.SetUserActive(ctx, "TFM", "bernd", false); err != nil {
			t.Fatal(err)
		}
		_, _, err = x.authenticate(sb.Secret)
		wantField(t, err, apperr.KindUnauthorized, "")
		wantBad(t, "deactivated user", errOf(x.login("TFM", "bernd", berndPW)))
		if err := x.Svc.SetUserActive(ctx, "TFM", "bernd", true); err != nil {
			t.Fatal(err)
		}
		_, _, err = x.authenticate(sb.Secret)
		wantField(t, err, apperr.KindUnauthorized, "")
		x.mustLogin("TFM", "bernd", berndPW)
	})
}

func errOf[T any](_ T, err error) error { return err }

func TestSessionTimeouts(t *testing.T) {
	forBackends(t, auth.Options{IdleTimeout: 30 * time.Minute, MaxAge: 10 * time.Hour}, func(t *testing.T, x *fx) {
		// idle: every request within 30 minutes keeps the session alive
		st := x.mustLogin("TFM", "anna", annaPW)
		x.Clock.Advance(30 * time.Second)
		sess, _, err := x.authenticate(st.Secret)
		if err != nil {
			t.Fatal(err)
		}
		if !sess.LastSeenAt.Equal(st.Session.LastSeenAt) {
			t.Fatal("last_seen_at written within the first minute")
		}
		x.Clock.Advance(29 * time.Minute)
		if sess, _, err = x.authenticate(st.Secret); err != nil {
			t.Fatalf("active session refused: %v", err)
		}
		if !sess.LastSeenAt.After(st.Session.LastSeenAt) {
			t.Fatal("last_seen_at not written after a minute")
		}
		x.Clock.Advance(29 * time.Minute)
		if _, _, err = x.authenticate(st.Secret); err != nil {
			t.Fatalf("session refused 29 minutes after the last request: %v", err)
		}
		x.Clock.Advance(30*time.Minute + time.Second)
		_, _, err = x.authenticate(st.Secret)
		wantField(t, err, apperr.KindUnauthorized, "")
		// the idle session was removed, not only refused
		x.Clock.Advance(-time.Hour)
		_, _, err = x.authenticate(st.Secret)
		wantField(t, err, apperr.KindUnauthorized, "")

		// absolute: even an active session ends 10 hours after sign-in
		st = x.mustLogin("TFM", "anna", annaPW)
		for range 29 { // 29 × 20 minutes = 9 h 40 min
			x.Clock.Advance(20 * time.Minute)
			if _, _, err := x.authenticate(st.Secret); err != nil {
				t.Fatalf("active session refused before its end: %v", err)
			}
		}
		x.Clock.Advance(20 * time.Minute)
		_, _, err = x.authenticate(st.Secret)
		wantField(t, err, apperr.KindUnauthorized, "")
	})
}

func TestLockout(t *testing.T) {
	forBackends(t, auth.Options{AddressLimit: 12}, func(t *testing.T, x *fx) {
		start := x.Clock.Now()
		for i := 1; i <= 4; i++ {
			wantBad(t, "failure", errOf(x.login("TFM", "anna", "falsch-falsch-falsch")))
		}
		te := wantThrottled(t, "5th failure", errOf(x.login("TFM", "anna", "falsch-falsch-falsch")), auth.ScopeAccount)
		if !te.Until.Equal(start.UTC().Truncate(time.Microsecond).Add(15 * time.Minute)) {
			t.Fatalf("locked until %v", te.Until)
		}
		if !strings.HasPrefix(te.Error(), "Zu viele Fehlversuche. Anmeldung für dieses Konto bis ") {
			t.Fatal(te.Error())
		}
		// the right password does not help during the lockout
		wantThrottled(t, "right password while locked", errOf(x.login("TFM", "anna", annaPW)), auth.ScopeAccount)
		// also not from another address: the account is locked
		wantThrottled(t, "right password from elsewhere", errOf(x.login("TFM", "anna", annaPW, from("198.51.100.4"))), auth.ScopeAccount)
		// another account is not affected
		x.mustLogin("TFM", "bernd", berndPW)
		// the lock ends
		x.Clock.Advance(15*time.Minute + time.Second)
		x.mustLogin("TFM", "anna", annaPW)
		// a success starts the count afresh
		for i := 1; i <= 4; i++ {
			wantBad(t, "failure after success", errOf(x.login("TFM", "anna", "falsch-falsch-falsch")))
		}
		x.mustLogin("TFM", "anna", annaPW)
		wantBad(t, "first failure of a new count", errOf(x.login("TFM", "anna", "falsch-falsch-falsch")))

		// unknown logins are throttled the same way
		x.Clock.Advance(time.Hour)
		for i := 1; i <= 4; i++ {
			wantBad(t, "unknown", errOf(x.login("TFM", "gibtsnicht", "falsch-falsch-falsch", from("203.0.113.1"))))
		}
		wantThrottled(t, "unknown, 5th", errOf(x.login("TFM", "gibtsnicht", "falsch-falsch-falsch", from("203.0.113.1"))), auth.ScopeAccount)
		wantThrottled(t, "unknown, 6th", errOf(x.login("TFM", "gibtsnicht", "falsch-falsch-falsch", from("203.0.113.1"))), auth.ScopeAccount)

		// one address trying many accounts: blocked at 12 failures in the window
		x.Clock.Advance(time.Hour)
		const attacker = "203.0.113.66"
		for i := 1; i <= 11; i++ {
			wantBad(t, "spray", errOf(x.login("TFM", "konto"+string(rune('a'+i)), "Sommer2026!!", from(attacker))))
		}
		te = wantThrottled(t, "12th failure from one address", errOf(x.login("TFM", "kontoz", "Sommer2026!!", from(attacker))), auth.ScopeAddress)
		if !strings.Contains(te.Error(), "von dieser Adresse") {
			t.Fatal(te.Error())
		}
		wantThrottled(t, "right password from the blocked address", errOf(x.login("TFM", "anna", annaPW, from(attacker))), auth.ScopeAddress)
		x.mustLogin("TFM", "anna", annaPW, from("203.0.113.67"))
		// IPv6: the whole /64 is one address
		for i := 1; i <= 11; i++ {
			wantBad(t, "spray v6", errOf(x.login("TFM", "konto"+string(rune('a'+i)), "Sommer2026!!", from(fmt.Sprintf("2001:db8:5:6::%x", i)))))
		}
		wantThrottled(t, "v6 /64", errOf(x.login("TFM", "anna", "falsch-falsch-falsch", from("2001:db8:5:6:ffff::1"))), auth.ScopeAddress)
	})
}

// Parallel guesses do not get more answers than sequential ones: the
// failures are counted atomically, and every attempt that finishes after
// the lockout began is answered as locked, whatever the password.
func TestLockoutParallel(t *testing.T) {
	forBackends(t, auth.Options{}, func(t *testing.T, x *fx) {
		const n = 20
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := x.a.Login(context.Background(), auth.LoginRequest{Tenant: "TFM", Login: "anna",
					Password: fmt.Sprintf("Geraten-Nummer-%d", i), Address: here})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		bad, locked := 0, 0
		for err := range errs {
			var te *auth.ThrottledError
			switch {
			case err == auth.ErrBadCredentials:
				bad++
			case errors.As(err, &te) && te.Scope == auth.ScopeAccount:
				locked++
			default:
				t.Errorf("unexpected answer %v", err)
			}
		}
		if bad != auth.DefaultAccountLimit-1 || locked != n-bad {
			t.Fatalf("%d parallel guesses: %d answered as wrong, %d as locked; want %d wrong", n, bad, locked, auth.DefaultAccountLimit-1)
		}
		wantThrottled(t, "after the parallel guesses", errOf(x.login("TFM", "anna", annaPW)), auth.ScopeAccount)
	})
}

func TestTOTP(t *testing.T) {
	forBackends(t, auth.Options{}, func(t *testing.T, x *fx) {
		ctx := context.Background()
		st := x.mustLogin("TFM", "anna", annaPW)
		_, p, err := x.authenticate(st.Secret)
		if err != nil {
			t.Fatal(err)
		}
		_, err = x.a.ConfirmTOTP(ctx, p, "123456")
		wantField(t, err, apperr.KindConflict, "")
		e, err := x.a.BeginTOTP(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		x.secrets = append(x.secrets, e.Secret)
		if !strings.HasPrefix(e.URL, "otpauth://totp/Aktenwerk:anna@TFM?") || len(e.QRPNG) < 100 {
			t.Fatalf("enrolment %q", e.URL)
		}
		// not in force before the confirmation
		x.mustLogin("TFM", "anna", annaPW)
		code := func() string {
			c, err := totp.GenerateCode(e.Secret, x.Clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			x.secrets = append(x.secrets, c)
			return c
		}
		wrong := "000000"
		if c := code(); c == wrong {
			wrong = "111111"
		}
		_, err = x.a.ConfirmTOTP(ctx, p, wrong)
		wantField(t, err, apperr.KindInvalid, "code")
		codes, err := x.a.ConfirmTOTP(ctx, p, code())
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes", len(codes))
		}
		x.secrets = append(x.secrets, codes...)
		_, err = x.a.BeginTOTP(ctx, p)
		wantField(t, err, apperr.KindConflict, "")
		// only hashes are stored
		var stored int
		if err := x.DB.Writer().QueryRow(`SELECT COUNT(*) FROM recovery_codes`).Scan(&stored); err != nil || stored != 10 {
			t.Fatalf("stored codes %d %v", stored, err)
		}
		for _, c := range codes {
			var n int
			q := `SELECT COUNT(*) FROM recovery_codes WHERE hash LIKE '%` + strings.ReplaceAll(c, "-", "") + `%' OR hash LIKE '%` + c + `%'`
			if err := x.DB.Writer().QueryRow(q).Scan(&n); err != nil || n != 0 {
				t.Fatalf("recovery code stored in plain text (%d, %v)", n, err)
			}
		}

		// the password alone no longer signs in
		if err := errOf(x.login("TFM", "anna", annaPW)); err != auth.ErrTOTPRequired {
			t.Fatalf("without code: %v", err)
		}
		wantField(t, auth.ErrTOTPRequired, apperr.KindUnauthorized, "totp")
		// the code used for the confirmation cannot be replayed
		wantBad(t, "confirmation code replayed", errOf(x.login("TFM", "anna", annaPW, withTOTP(code()))))
		x.Clock.Advance(30 * time.Second)
		c := code()
		s2 := x.mustLogin("TFM", "anna", annaPW, withTOTP(c))
		if s2.Session.Method != auth.MethodTOTP {
			t.Fatalf("method %q", s2.Session.Method)
		}
		wantBad(t, "replayed code", errOf(x.login("TFM", "anna", annaPW, withTOTP(c))))
		wantBad(t, "wrong code", errOf(x.login("TFM", "anna", annaPW, withTOTP(wrong))))
		// a wrong password with a right code is just a wrong password
		x.Clock.Advance(30 * time.Second)
		wantBad(t, "wrong password, right code", errOf(x.login("TFM", "anna", "falsch-falsch-falsch", withTOTP(code()))))
		// one step of clock skew is fine
		x.Clock.Advance(30 * time.Second)
		behind, _ := totp.GenerateCode(e.Secret, x.Clock.Now().Add(-30*time.Second))
		x.mustLogin("TFM", "anna", annaPW, withTOTP(behind))

		// recovery codes: each works once
		s3 := x.mustLogin("TFM", "anna", annaPW, withRecovery(strings.ToUpper(codes[0])))
		if s3.Session.Method != auth.MethodRecovery {
			t.Fatalf("method %q", s3.Session.Method)
		}
		wantBad(t, "recovery code twice", errOf(x.login("TFM", "anna", annaPW, withRecovery(codes[0]))))
		wantBad(t, "made-up recovery code", errOf(x.login("TFM", "anna", annaPW, withRecovery("abcd-efgh-jkmn-pqrs"))))

		// removal needs a current code (or a recovery code)
		err = x.a.DisableTOTP(ctx, p, wrong, here)
		wantField(t, err, apperr.KindInvalid, "code")
		x.Clock.Advance(30 * time.Second)
		if err := x.a.DisableTOTP(ctx, p, code(), here); err != nil {
			t.Fatal(err)
		}
		err = x.a.DisableTOTP(ctx, p, code(), here)
		wantField(t, err, apperr.KindConflict, "")
		x.mustLogin("TFM", "anna", annaPW)
		// the recovery codes went with the second factor
		if err := x.DB.Writer().QueryRow(`SELECT COUNT(*) FROM recovery_codes`).Scan(&stored); err != nil || stored != 0 {
			t.Fatalf("codes left after removal: %d %v", stored, err)
		}

		// operator reset after a lost phone
		e, _ = x.a.BeginTOTP(ctx, p)
		x.Clock.Advance(30 * time.Second)
		codes, err = x.a.ConfirmTOTP(ctx, p, code())
		if err != nil {
			t.Fatal(err)
		}
		x.secrets = append(x.secrets, codes...)
		if err := x.a.ResetTOTP(ctx, "TFM", "anna"); err != nil {
			t.Fatal(err)
		}
		x.mustLogin("TFM", "anna", annaPW)
		// wrong removal codes count as failed sign-ins
		e, _ = x.a.BeginTOTP(ctx, p)
		x.Clock.Advance(30 * time.Second)
		if _, err := x.a.ConfirmTOTP(ctx, p, code()); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 4; i++ {
			wantField(t, x.a.DisableTOTP(ctx, p, wrong, here), apperr.KindInvalid, "code")
		}
		wantThrottled(t, "guessing the removal code", x.a.DisableTOTP(ctx, p, wrong, here), auth.ScopeAccount)
		x.Clock.Advance(30 * time.Second)
		wantThrottled(t, "right code while locked", x.a.DisableTOTP(ctx, p, code(), here), auth.ScopeAccount)
		x.checkNoSecrets()
	})
}

func TestChangePassword(t *testing.T) {
	forBackends(t, auth.Options{}, func(t *testing.T, x *fx) {
		ctx := context.Background()
		s1 := x.mustLogin("TFM", "anna", annaPW)
		s2 := x.mustLogin("TFM", "anna", annaPW, from("198.51.100.4"))
		sb := x.mustLogin("TFM", "bernd", berndPW)
		_, p, err := x.authenticate(s1.Secret)
		if err != nil {
			t.Fatal(err)
		}
		const neu = "Neues-Passwort-für-2027"
		x.secrets = append(x.secrets, neu)
		_, err = x.a.ChangePassword(ctx, p, "falsch-falsch-falsch", neu, here)
		wantField(t, err, apperr.KindInvalid, "bisher")
		_, err = x.a.ChangePassword(ctx, p, annaPW, "kurz", here)
		wantField(t, err, apperr.KindInvalid, "neu")
		_, err = x.a.ChangePassword(ctx, p, annaPW, "anna", here)
		wantField(t, err, apperr.KindInvalid, "neu")
		_, err = x.a.ChangePassword(ctx, p, annaPW, annaPW, here)
		wantField(t, err, apperr.KindInvalid, "neu")
		n, err := x.a.ChangePassword(ctx, p, annaPW, neu, here)
		if err != nil || n != 2 {
			t.Fatalf("change: %d sessions ended, %v", n, err)
		}
		for _, s := range []auth.Started{s1, s2} {
			_, _, err := x.authenticate(s.Secret)
			wantField(t, err, apperr.KindUnauthorized, "")
		}
		if _, _, err := x.authenticate(sb.Secret); err != nil {
			t.Fatal("another user's session ended")
		}
		wantBad(t, "old password", errOf(x.login("TFM", "anna", annaPW)))
		s3 := x.mustLogin("TFM", "anna", neu)
		// guessing the current password with a stolen session is throttled
		_, p, _ = x.authenticate(s3.Secret)
		for i := 1; i <= 4; i++ {
			_, err = x.a.ChangePassword(ctx, p, "geraten-geraten-"+string(rune('a'+i)), "Noch-ein-Passwort-1", here)
			wantField(t, err, apperr.KindInvalid, "bisher")
		}
		_, err = x.a.ChangePassword(ctx, p, "geraten-geraten-z", "Noch-ein-Passwort-1", here)
		wantThrottled(t, "5th wrong current password", err, auth.ScopeAccount)
		_, err = x.a.ChangePassword(ctx, p, neu, "Noch-ein-Passwort-1", here)
		wantThrottled(t, "right current password while locked", err, auth.ScopeAccount)
		// the operator sets a password: sessions end, the lock is lifted
		n, err = x.a.SetPassword(ctx, "TFM", "anna", "Vom-Betrieb-gesetzt-1")
		x.secrets = append(x.secrets, "Vom-Betrieb-gesetzt-1")
		if err != nil || n != 1 {
			t.Fatalf("set password: %d %v", n, err)
		}
		x.mustLogin("TFM", "anna", "Vom-Betrieb-gesetzt-1")
		_, err = x.a.SetPassword(ctx, "TFM", "niemand", "Vom-Betrieb-gesetzt-1")
		wantField(t, err, apperr.KindNotFound, "")
		_, err = x.a.SetPassword(ctx, "TFM", "anna", "zu-kurz")
		wantField(t, err, apperr.KindInvalid, "passwort")
		// logout everywhere (user) and by the operator
		x.mustLogin("TFM", "anna", "Vom-Betrieb-gesetzt-1")
		s5 := x.mustLogin("TFM", "anna", "Vom-Betrieb-gesetzt-1")
		_, p, _ = x.authenticate(s5.Secret)
		if n, err := x.a.LogoutEverywhere(ctx, p); err != nil || n != 3 {
			t.Fatalf("logout everywhere: %d %v", n, err)
		}
		x.mustLogin("TFM", "anna", "Vom-Betrieb-gesetzt-1")
		if n, err := x.a.EndSessions(ctx, "TFM", "anna"); err != nil || n != 1 {
			t.Fatalf("end sessions: %d %v", n, err)
		}
		x.checkNoSecrets()
	})
}

func TestRehashOnLogin(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := storetest.NewFixture(t, b.Open)
			old := auth.New(f.Svc, auth.Options{Argon2: auth.Params{Memory: 32, Time: 1, Threads: 1}})
			if _, err := old.SetPassword(ctx, "TFM", "anna", annaPW); err != nil {
				t.Fatal(err)
			}
			hash := func() string {
				var c auth.Credentials
				if err := f.DB.Write(ctx, func(rt records.Tx) (err error) {
					c, err = rt.(auth.Tx).Credentials(ctx, f.Anna.TenantID, f.Anna.UserID)
					return
				}); err != nil {
					t.Fatal(err)
				}
				return c.PasswordHash
			}
			if !strings.Contains(hash(), "$m=32,t=1,p=1$") {
				t.Fatal(hash())
			}
			cur := auth.New(f.Svc, auth.Options{Argon2: auth.TestParams})
			if _, err := cur.Login(ctx, auth.LoginRequest{Tenant: "TFM", Login: "anna", Password: annaPW, Address: here}); err != nil {
				t.Fatal(err)
			}
			if h := hash(); !strings.Contains(h, "$m=64,t=1,p=1$") {
				t.Fatalf("not rehashed: %s", h)
			}
			if _, err := cur.Login(ctx, auth.LoginRequest{Tenant: "TFM", Login: "anna", Password: annaPW, Address: here}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestAuditOfSignIn(t *testing.T) {
	forBackends(t, auth.Options{}, func(t *testing.T, x *fx) {
		ctx := context.Background()
		st := x.mustLogin("TFM", "anna", annaPW)
		wantBad(t, "wrong", errOf(x.login("TFM", "anna", "Falsches-Passwort-1")))
		wantBad(t, "unknown login", errOf(x.login("TFM", "mallory", "Geratenes-Passwort-1")))
		wantBad(t, "unknown tenant", errOf(x.login("NOPE", "mallory", "Geratenes-Passwort-2")))
		for range 5 {
			x.login("TFM", "bernd", "Falsches-Passwort-2")
		}
		_, p, _ := x.authenticate(st.Secret)
		sess, _, _ := x.authenticate(st.Secret)
		if err := x.a.Logout(ctx, p, sess); err != nil {
			t.Fatal(err)
		}
		x.secrets = append(x.secrets, "Falsches-Passwort-1", "Falsches-Passwort-2", "Geratenes-Passwort-1", "Geratenes-Passwort-2")

		type row struct{ action, actorID, actor, objectID, changes string }
		rows, err := x.DB.Writer().Query(`SELECT action, actor_id, actor, object_id, changes FROM audit_log WHERE tenant_id = '` + x.Anna.TenantID + `' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		var got []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.action, &r.actorID, &r.actor, &r.objectID, &r.changes); err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		rows.Close()
		find := func(action, login string) row {
			t.Helper()
			for _, r := range got {
				var c map[string]any
				json.Unmarshal([]byte(r.changes), &c)
				if r.action == action && (login == "" || c["login"] == login || r.actor == login) {
					return r
				}
			}
			t.Fatalf("no audit entry %s for %s in %+v", action, login, got)
			return row{}
		}
		if r := find("anmeldung", "anna"); r.actorID != x.Anna.UserID || r.objectID != x.Anna.UserID || !strings.Contains(r.changes, `"methode":"passwort"`) || !strings.Contains(r.changes, here) {
			t.Fatalf("sign-in entry %+v", r)
		}
		if r := find("anmeldung.fehlgeschlagen", "anna"); r.actorID != "" || r.objectID != x.Anna.UserID || !strings.Contains(r.changes, `"grund":"falsches_passwort"`) || !strings.Contains(r.changes, here) {
			t.Fatalf("failure entry %+v", r)
		}
		if r := find("anmeldung.fehlgeschlagen", "mallory"); r.actorID != "" || r.objectID != "" || !strings.Contains(r.changes, `"grund":"unbekanntes_konto"`) {
			t.Fatalf("unknown login entry %+v", r)
		}
		if r := find("konto.gesperrt", "bernd"); r.objectID != x.Bernd.UserID || !strings.Contains(r.changes, `"fehlversuche":5`) {
			t.Fatalf("lockout entry %+v", r)
		}
		find("abmeldung", "anna")
		// the unknown tenant has no chain: nothing written anywhere, but a log line
		var n int
		if err := x.DB.Writer().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%mallory%'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("entries for mallory: %d (want 1, none for the unknown tenant) %v", n, err)
		}
		if !strings.Contains(x.log.String(), "unbekannter mandant") {
			t.Fatalf("no log line for the unknown tenant: %s", x.log.String())
		}
		x.Chain(t)
		rep, err := x.Svc.VerifyAudit(ctx)
		if err != nil || len(rep.Breaks) != 0 {
			t.Fatalf("audit chain: %v %+v", err, rep)
		}
		x.checkNoSecrets()
	})
}

// checkNoSecrets: no password, code, cookie secret or CSRF token handed out
// in the test appears in the audit trail or the log.
func (x *fx) checkNoSecrets() {
	x.t.Helper()
	rows, err := x.DB.Writer().Query(`SELECT action, actor, object_id, changes FROM audit_log`)
	if err != nil {
		x.t.Fatal(err)
	}
	var all strings.Builder
	for rows.Next() {
		var a, b, c, d string
		if err := rows.Scan(&a, &b, &c, &d); err != nil {
			x.t.Fatal(err)
		}
		all.WriteString(a + "\x00" + b + "\x00" + c + "\x00" + d + "\n")
	}
	rows.Close()
	if all.Len() == 0 {
		x.t.Fatal("empty audit trail")
	}
	log := x.log.String()
	for _, s := range x.secrets {
		if s == "" {
			continue
		}
		if strings.Contains(all.String(), s) {
			x.t.Errorf("secret %q in the audit trail", s)
		}
		if strings.Contains(log, s) {
			x.t.Errorf("secret %q in the log", s)
		}
	}
}
