package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"aktenwerk/internal/auth"
	"aktenwerk/internal/records"
)

// Storage behaviour of sign-in (auth.Tx): credentials, TOTP replay
// protection, recovery codes, sessions and login throttling.

func init() {
	moreCases = append(moreCases,
		Case{"AuthCredentials", testAuthCredentials},
		Case{"AuthRecoveryCodes", testAuthRecoveryCodes},
		Case{"Sessions", testSessions},
		Case{"SessionsEndOnDeactivation", testSessionsEndOnDeactivation},
		Case{"LoginThrottle", testLoginThrottle},
		Case{"LoginThrottleConcurrent", testLoginThrottleConcurrent},
		Case{"ExternalIdentity", testExternalIdentity},
		Case{"PendingLogins", testPendingLogins},
	)
}

// authWrite runs fn in a write transaction of the store's sign-in side.
func authWrite(f *Fixture, fn func(auth.Tx) error) error {
	return f.DB.Write(context.Background(), func(rt records.Tx) error {
		tx, ok := rt.(auth.Tx)
		if !ok {
			return fmt.Errorf("%T does not implement auth.Tx", rt)
		}
		return fn(tx)
	})
}

func wantNoRows(t testing.TB, what string, err error) {
	t.Helper()
	if !errors.Is(err, records.ErrNoRows) {
		t.Fatalf("%s: want ErrNoRows, got %v", what, err)
	}
}

func testAuthCredentials(t *testing.T, f *Fixture) {
	ctx := context.Background()
	a, c := f.Anna, f.Carla
	creds := func(p records.Principal) (cr auth.Credentials) {
		t.Helper()
		mustOK(t, authWrite(f, func(tx auth.Tx) (err error) { cr, err = tx.Credentials(ctx, p.TenantID, p.UserID); return }))
		return cr
	}
	if cr := creds(a); cr != (auth.Credentials{}) {
		t.Fatalf("new user has credentials %+v", cr)
	}
	const phc = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.SetPasswordHash(ctx, a.TenantID, a.UserID, phc) }))
	if cr := creds(a); cr.PasswordHash != phc {
		t.Fatalf("hash %q", cr.PasswordHash)
	}
	// another tenant's id does not reach the user
	wantNoRows(t, "set hash across tenants", authWrite(f, func(tx auth.Tx) error { return tx.SetPasswordHash(ctx, c.TenantID, a.UserID, "x") }))
	wantNoRows(t, "credentials across tenants", authWrite(f, func(tx auth.Tx) error {
		_, err := tx.Credentials(ctx, c.TenantID, a.UserID)
		return err
	}))
	if cr := creds(a); cr.PasswordHash != phc {
		t.Fatal("hash changed by a call with another tenant")
	}

	// TOTP: pending, then in force; every step is accepted once, and
	// never an earlier one
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.SetTOTP(ctx, a.TenantID, a.UserID, "JBSWY3DPEHPK3PXP", false) }))
	if cr := creds(a); cr.TOTPSecret != "JBSWY3DPEHPK3PXP" || cr.TOTPEnabled || cr.TOTPLastStep != 0 {
		t.Fatalf("pending %+v", cr)
	}
	use := func(step int64) error {
		return authWrite(f, func(tx auth.Tx) error { return tx.UseTOTPStep(ctx, a.TenantID, a.UserID, step) })
	}
	mustOK(t, use(59000100))
	wantNoRows(t, "same step again", use(59000100))
	wantNoRows(t, "earlier step", use(59000099))
	mustOK(t, use(59000101))
	if cr := creds(a); cr.TOTPLastStep != 59000101 {
		t.Fatalf("last step %d", cr.TOTPLastStep)
	}
	wantNoRows(t, "step across tenants", authWrite(f, func(tx auth.Tx) error { return tx.UseTOTPStep(ctx, c.TenantID, a.UserID, 59000200) }))
	// a new secret forgets the last step
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.SetTOTP(ctx, a.TenantID, a.UserID, "KRSXG5CTMVRXEZLU", true) }))
	if cr := creds(a); cr.TOTPSecret != "KRSXG5CTMVRXEZLU" || !cr.TOTPEnabled || cr.TOTPLastStep != 0 {
		t.Fatalf("enabled %+v", cr)
	}
	mustOK(t, use(42))
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.SetTOTP(ctx, a.TenantID, a.UserID, "", false) }))
	if cr := creds(a); cr.TOTPSecret != "" || cr.TOTPEnabled || cr.PasswordHash != phc {
		t.Fatalf("removed %+v", cr)
	}
	// bernd was never touched
	if cr := creds(f.Bernd); cr != (auth.Credentials{}) {
		t.Fatalf("bernd %+v", cr)
	}
}

func testAuthRecoveryCodes(t *testing.T, f *Fixture) {
	ctx := context.Background()
	a, b := f.Anna, f.Bernd
	now := f.Clock.Now()
	unused := func(p records.Principal) (n int) {
		t.Helper()
		mustOK(t, authWrite(f, func(tx auth.Tx) (err error) { n, err = tx.UnusedRecoveryCodes(ctx, p.UserID); return }))
		return n
	}
	useCode := func(p records.Principal, h string) error {
		return authWrite(f, func(tx auth.Tx) error { return tx.UseRecoveryCode(ctx, p.UserID, h, now) })
	}
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.ReplaceRecoveryCodes(ctx, a.UserID, []string{"h1", "h2", "h3"}) }))
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.ReplaceRecoveryCodes(ctx, b.UserID, []string{"h1"}) }))
	if n := unused(a); n != 3 {
		t.Fatalf("unused %d", n)
	}
	mustOK(t, useCode(a, "h2"))
	wantNoRows(t, "code used twice", useCode(a, "h2"))
	wantNoRows(t, "unknown code", useCode(a, "h9"))
	if n := unused(a); n != 2 {
		t.Fatalf("unused after use %d", n)
	}
	// bernd's codes are his own
	mustOK(t, useCode(b, "h1"))
	wantNoRows(t, "bernd's code again", useCode(b, "h1"))
	mustOK(t, useCode(a, "h1"))
	// replacing throws the old ones away
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.ReplaceRecoveryCodes(ctx, a.UserID, []string{"h4"}) }))
	wantNoRows(t, "replaced code", useCode(a, "h3"))
	if n := unused(a); n != 1 {
		t.Fatalf("unused after replace %d", n)
	}
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.ReplaceRecoveryCodes(ctx, a.UserID, nil) }))
	if n := unused(a); n != 0 {
		t.Fatalf("unused after removal %d", n)
	}
}

// testExternalIdentity: users.external_id binds an account to a person at an
// identity provider; it is unique over all tenants and bound only once.
func testExternalIdentity(t *testing.T, f *Fixture) {
	ctx := context.Background()
	const ida, idc = "https://idp.example/realms/land|0a1b", "https://idp.example/realms/land|9z8y"
	byExt := func(id string) (u records.User, err error) {
		err = authWrite(f, func(tx auth.Tx) (err error) { u, err = tx.UserByExternalID(ctx, id); return })
		return
	}
	bind := func(p records.Principal, tenantID, id string) error {
		return authWrite(f, func(tx auth.Tx) error { return tx.BindExternalID(ctx, tenantID, p.UserID, id) })
	}
	_, err := byExt(ida)
	wantNoRows(t, "unbound identity", err)
	mustOK(t, bind(f.Anna, f.Anna.TenantID, ida))
	u, err := byExt(ida)
	if err != nil || u.ID != f.Anna.UserID || u.TenantID != f.Anna.TenantID || u.Login != "anna" {
		t.Fatalf("bound user %+v, %v", u, err)
	}
	// bound once: another identity does not replace it, even the same again is refused
	wantNoRows(t, "rebind", bind(f.Anna, f.Anna.TenantID, idc))
	wantNoRows(t, "bind the same again", bind(f.Anna, f.Anna.TenantID, ida))
	if u, err := byExt(ida); err != nil || u.ID != f.Anna.UserID {
		t.Fatalf("after rebind attempts: %+v, %v", u, err)
	}
	if _, err := byExt(idc); !errors.Is(err, records.ErrNoRows) {
		t.Fatalf("refused identity is bound: %v", err)
	}
	// one identity, one account: in any tenant
	if err := bind(f.Bernd, f.Bernd.TenantID, ida); !errors.Is(err, records.ErrDuplicate) {
		t.Fatalf("second account for one identity: want ErrDuplicate, got %v", err)
	}
	if err := bind(f.Carla, f.Carla.TenantID, ida); !errors.Is(err, records.ErrDuplicate) {
		t.Fatalf("identity bound in two tenants: want ErrDuplicate, got %v", err)
	}
	// another tenant's id does not reach the user
	wantNoRows(t, "bind across tenants", bind(f.Carla, f.Anna.TenantID, idc))
	mustOK(t, bind(f.Carla, f.Carla.TenantID, idc))
	if u, err := byExt(idc); err != nil || u.ID != f.Carla.UserID || u.TenantID != f.Carla.TenantID {
		t.Fatalf("carla %+v, %v", u, err)
	}
	// exact match: subjects are case-sensitive
	_, err = byExt(strings.ToUpper(idc))
	wantNoRows(t, "other case", err)
}

func session(id string, p records.Principal, created, lastSeen, expires time.Time) auth.Session {
	return auth.Session{ID: id, TenantID: p.TenantID, UserID: p.UserID, CSRF: "csrf-" + id, Method: auth.MethodPassword,
		CreatedAt: created, LastSeenAt: lastSeen, ExpiresAt: expires, RemoteAddr: "192.0.2.7", UserAgent: "Firefox/140"}
}

func getSession(f *Fixture, id string) (s auth.Session, err error) {
	err = authWrite(f, func(tx auth.Tx) (err error) { s, err = tx.SessionByID(context.Background(), id); return })
	return
}

func testSessions(t *testing.T, f *Fixture) {
	ctx := context.Background()
	now := f.Clock.Now().UTC().Truncate(time.Microsecond)
	s1 := session("s1", f.Anna, now, now, now.Add(10*time.Hour))
	s2 := session("s2", f.Anna, now, now, now.Add(10*time.Hour))
	s3 := session("s3", f.Bernd, now, now, now.Add(10*time.Hour))
	for _, s := range []auth.Session{s1, s2, s3} {
		mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.InsertSession(ctx, s) }))
	}
	err := authWrite(f, func(tx auth.Tx) error { return tx.InsertSession(ctx, s1) })
	if !errors.Is(err, records.ErrDuplicate) {
		t.Fatalf("duplicate session id: %v", err)
	}
	got, err := getSession(f, "s1")
	mustOK(t, err)
	if got != s1 {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, s1)
	}
	_, err = getSession(f, "nope")
	wantNoRows(t, "unknown session", err)

	later := now.Add(90*time.Second + 250*time.Microsecond)
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.TouchSession(ctx, "s1", later) }))
	got, err = getSession(f, "s1")
	mustOK(t, err)
	if !got.LastSeenAt.Equal(later) || !got.CreatedAt.Equal(now) {
		t.Fatalf("touched %+v", got)
	}
	wantNoRows(t, "touch unknown", authWrite(f, func(tx auth.Tx) error { return tx.TouchSession(ctx, "nope", later) }))

	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.DeleteSession(ctx, "s2") }))
	wantNoRows(t, "delete twice", authWrite(f, func(tx auth.Tx) error { return tx.DeleteSession(ctx, "s2") }))

	// all sessions of one user, only in its tenant
	var n int
	mustOK(t, authWrite(f, func(tx auth.Tx) (err error) {
		n, err = tx.DeleteUserSessions(ctx, f.Carla.TenantID, f.Bernd.UserID)
		return
	}))
	if n != 0 {
		t.Fatalf("deleted %d sessions across tenants", n)
	}
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.InsertSession(ctx, s2) }))
	mustOK(t, authWrite(f, func(tx auth.Tx) (err error) {
		n, err = tx.DeleteUserSessions(ctx, f.Anna.TenantID, f.Anna.UserID)
		return
	}))
	if n != 2 {
		t.Fatalf("deleted %d of anna's 2 sessions", n)
	}
	_, err = getSession(f, "s1")
	wantNoRows(t, "anna's session after logout everywhere", err)
	_, err = getSession(f, "s3")
	mustOK(t, err)

	// expiry: absolute and idle, compared exactly (sub-second times included)
	cut := now.Add(1200 * time.Millisecond)
	idle := now.Add(-30 * time.Minute)
	cases := []auth.Session{
		session("x-abs-before", f.Anna, now, now, now.Add(1123456*time.Microsecond)),         // expired
		session("x-abs-at", f.Anna, now, now, cut),                                           // expired (at the instant)
		session("x-abs-after", f.Anna, now, now, now.Add(1500*time.Millisecond)),             // valid
		session("x-idle", f.Anna, now, idle.Add(-time.Microsecond), now.Add(time.Hour)),      // idle
		session("x-active", f.Anna, now, idle.Add(500*time.Microsecond), now.Add(time.Hour)), // valid
	}
	for _, s := range cases {
		mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.InsertSession(ctx, s) }))
	}
	mustOK(t, authWrite(f, func(tx auth.Tx) (err error) { n, err = tx.DeleteExpiredSessions(ctx, cut, idle); return }))
	if n != 3 {
		t.Fatalf("expired sessions deleted: %d, want 3", n)
	}
	for _, id := range []string{"x-abs-after", "x-active", "s3"} {
		_, err := getSession(f, id)
		mustOK(t, err)
	}
	for _, id := range []string{"x-abs-before", "x-abs-at", "x-idle"} {
		_, err := getSession(f, id)
		wantNoRows(t, id, err)
	}
}

func testSessionsEndOnDeactivation(t *testing.T, f *Fixture) {
	ctx := context.Background()
	now := f.Clock.Now().UTC().Truncate(time.Microsecond)
	for _, s := range []auth.Session{
		session("b1", f.Bernd, now, now, now.Add(time.Hour)),
		session("b2", f.Bernd, now, now, now.Add(time.Hour)),
		session("a1", f.Anna, now, now, now.Add(time.Hour)),
	} {
		mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.InsertSession(ctx, s) }))
	}
	mustOK(t, f.Svc.SetUserActive(ctx, "TFM", "bernd", false))
	for _, id := range []string{"b1", "b2"} {
		_, err := getSession(f, id)
		wantNoRows(t, "session of a deactivated user", err)
	}
	_, err := getSession(f, "a1")
	mustOK(t, err)
	// reactivation does not bring them back
	mustOK(t, f.Svc.SetUserActive(ctx, "TFM", "bernd", true))
	_, err = getSession(f, "b1")
	wantNoRows(t, "session after reactivation", err)
}

func testLoginThrottle(t *testing.T, f *Fixture) {
	ctx := context.Background()
	const key = "konto:TFM/anna"
	t0 := f.Clock.Now().UTC().Truncate(time.Microsecond)
	const window = 15 * time.Minute
	get := func(k string) (th auth.Throttle, err error) {
		err = authWrite(f, func(tx auth.Tx) (err error) { th, err = tx.LoginThrottle(ctx, k); return })
		return
	}
	fail := func(k string, at time.Time) auth.Throttle {
		t.Helper()
		var th auth.Throttle
		mustOK(t, authWrite(f, func(tx auth.Tx) (err error) { th, err = tx.CountLoginFailure(ctx, k, at, at.Add(-window)); return }))
		return th
	}
	_, err := get(key)
	wantNoRows(t, "no throttle yet", err)
	if th := fail(key, t0); th.Failures != 1 || !th.WindowStart.Equal(t0) || th.LockedUntil != nil || th.Key != key {
		t.Fatalf("first failure %+v", th)
	}
	for i := 2; i <= 4; i++ {
		if th := fail(key, t0.Add(time.Duration(i)*time.Minute)); th.Failures != i || !th.WindowStart.Equal(t0) {
			t.Fatalf("failure %d: %+v", i, th)
		}
	}
	// another key counts on its own
	if th := fail("adresse:192.0.2.1", t0); th.Failures != 1 {
		t.Fatalf("other key %+v", th)
	}
	until := t0.Add(20*time.Minute + 500*time.Millisecond)
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.LockLogin(ctx, key, until) }))
	th, err := get(key)
	mustOK(t, err)
	if th.LockedUntil == nil || !th.LockedUntil.Equal(until) || !th.Locked(until.Add(-time.Microsecond)) || th.Locked(until) {
		t.Fatalf("locked %+v", th)
	}
	wantNoRows(t, "lock unknown key", authWrite(f, func(tx auth.Tx) error { return tx.LockLogin(ctx, "konto:TFM/nobody", until) }))
	// the window is over, but the lock still holds: the count goes on
	if th := fail(key, t0.Add(16*time.Minute)); th.Failures != 5 || !th.WindowStart.Equal(t0) || th.LockedUntil == nil {
		t.Fatalf("failure during lock %+v", th)
	}
	// after the lock and the window: a new window
	later := until.Add(time.Second)
	if th := fail(key, later); th.Failures != 1 || !th.WindowStart.Equal(later) || th.LockedUntil != nil {
		t.Fatalf("new window %+v", th)
	}
	// within the new window the count goes on
	if th := fail(key, later.Add(window-time.Second)); th.Failures != 2 {
		t.Fatalf("same window %+v", th)
	}
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.ClearLoginThrottle(ctx, key) }))
	_, err = get(key)
	wantNoRows(t, "cleared", err)
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.ClearLoginThrottle(ctx, key) }))

	// stale rows go, locked and recent ones stay
	fail("stale", t0)
	fail("stale-locked", t0)
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.LockLogin(ctx, "stale-locked", t0.Add(time.Hour)) }))
	fail("recent", t0.Add(10*time.Minute))
	now := t0.Add(20 * time.Minute)
	var n int
	mustOK(t, authWrite(f, func(tx auth.Tx) (err error) { n, err = tx.DeleteStaleThrottles(ctx, now, now.Add(-window)); return }))
	// "stale" and "adresse:192.0.2.1" (both started at t0)
	if n != 2 {
		t.Fatalf("deleted %d stale throttles, want 2", n)
	}
	_, err = get("stale")
	wantNoRows(t, "stale", err)
	for _, k := range []string{"stale-locked", "recent"} {
		_, err := get(k)
		mustOK(t, err)
	}
}

// Failures arriving at the same time (on several nodes) are all counted.
func testLoginThrottleConcurrent(t *testing.T, f *Fixture) {
	ctx := context.Background()
	now := f.Clock.Now().UTC().Truncate(time.Microsecond)
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- authWrite(f, func(tx auth.Tx) error {
				_, err := tx.CountLoginFailure(ctx, "adresse:198.51.100.9", now, now.Add(-15*time.Minute))
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		mustOK(t, err)
	}
	var th auth.Throttle
	mustOK(t, authWrite(f, func(tx auth.Tx) (err error) { th, err = tx.LoginThrottle(ctx, "adresse:198.51.100.9"); return }))
	if th.Failures != n {
		t.Fatalf("%d concurrent failures counted as %d", n, th.Failures)
	}
}

// Pending sign-ins (the web form's second step): stored by the hash of
// their token, a bounded number of code attempts counted atomically, used
// once, expired ones removed.
func testPendingLogins(t *testing.T, f *Fixture) {
	ctx := context.Background()
	now := f.Clock.Now().UTC().Truncate(time.Microsecond)
	p1 := auth.PendingLogin{ID: strings.Repeat("a1", 32), TenantID: f.Anna.TenantID, UserID: f.Anna.UserID, CreatedAt: now, ExpiresAt: now.Add(5 * time.Minute)}
	p2 := auth.PendingLogin{ID: strings.Repeat("c2", 32), TenantID: f.Carla.TenantID, UserID: f.Carla.UserID, CreatedAt: now, ExpiresAt: now.Add(5 * time.Minute)}
	old := auth.PendingLogin{ID: strings.Repeat("0d", 32), TenantID: f.Anna.TenantID, UserID: f.Anna.UserID, CreatedAt: now.Add(-10 * time.Minute), ExpiresAt: now.Add(-5 * time.Minute)}
	for _, p := range []auth.PendingLogin{p1, p2, old} {
		mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.InsertPendingLogin(ctx, p) }))
	}
	read := func(id string) (p auth.PendingLogin, err error) {
		err = authWrite(f, func(tx auth.Tx) (err error) { p, err = tx.PendingLoginByID(ctx, id); return })
		return p, err
	}
	got, err := read(p2.ID)
	mustOK(t, err)
	if got != p2 {
		t.Fatalf("read back %+v, want %+v", got, p2)
	}
	_, err = read(strings.Repeat("ff", 32))
	wantNoRows(t, "unknown pending sign-in", err)
	// the same id twice is refused (a token is never issued twice)
	if err := authWrite(f, func(tx auth.Tx) error { return tx.InsertPendingLogin(ctx, p1) }); err == nil {
		t.Fatal("duplicate id stored")
	}

	attempt := func(id string, at time.Time) error {
		return authWrite(f, func(tx auth.Tx) error { return tx.CountPendingLoginAttempt(ctx, id, at, 3) })
	}
	for range 3 {
		mustOK(t, attempt(p1.ID, now))
	}
	wantNoRows(t, "fourth attempt", attempt(p1.ID, now))
	if got, _ := read(p1.ID); got.Attempts != 3 {
		t.Fatalf("attempts %d", got.Attempts)
	}
	wantNoRows(t, "attempt on an expired one", attempt(old.ID, now))
	wantNoRows(t, "attempt at expiry", attempt(p2.ID, p2.ExpiresAt))
	wantNoRows(t, "attempt on an unknown one", attempt(strings.Repeat("ff", 32), now))
	if got, _ := read(p2.ID); got.Attempts != 0 {
		t.Fatalf("carla's attempts %d", got.Attempts)
	}

	// parallel attempts never exceed the limit
	p3 := auth.PendingLogin{ID: strings.Repeat("b3", 32), TenantID: f.Bernd.TenantID, UserID: f.Bernd.UserID, CreatedAt: now, ExpiresAt: now.Add(5 * time.Minute)}
	mustOK(t, authWrite(f, func(tx auth.Tx) error { return tx.InsertPendingLogin(ctx, p3) }))
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- attempt(p3.ID, now) }()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, records.ErrNoRows):
		default:
			t.Fatal(err)
		}
	}
	if ok != 3 {
		t.Fatalf("%d of %d parallel attempts counted, want 3", ok, n)
	}

	// used once
	del := func(id string) error {
		return authWrite(f, func(tx auth.Tx) error { return tx.DeletePendingLogin(ctx, id) })
	}
	mustOK(t, del(p1.ID))
	wantNoRows(t, "used twice", del(p1.ID))
	_, err = read(p1.ID)
	wantNoRows(t, "used pending sign-in", err)

	// only expired ones are cleaned up
	var removed int
	mustOK(t, authWrite(f, func(tx auth.Tx) (err error) { removed, err = tx.DeleteExpiredPendingLogins(ctx, now); return }))
	if removed != 1 {
		t.Fatalf("removed %d, want 1", removed)
	}
	_, err = read(old.ID)
	wantNoRows(t, "expired after cleanup", err)
	if _, err := read(p2.ID); err != nil {
		t.Fatalf("carla's pending sign-in removed: %v", err)
	}
	mustOK(t, authWrite(f, func(tx auth.Tx) (err error) { removed, err = tx.DeleteExpiredPendingLogins(ctx, p2.ExpiresAt); return }))
	if removed != 2 {
		t.Fatalf("removed at expiry %d, want 2", removed)
	}
}
