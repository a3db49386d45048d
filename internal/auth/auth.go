// Package auth signs people in: local accounts with argon2id passwords, a
// TOTP second factor with one-time recovery codes, login throttling per
// account and per client address, and server-side browser sessions. All
// state lives in the database (users, recovery_codes, sessions,
// login_throttle), so every node of a cluster sees the same sessions and the
// same lockouts.
//
// Storage is reached through the records.Store transactions: the store's
// transaction type also implements Tx (internal/store/sqldb/auth.go), and
// internal/store/storetest/auth.go specifies its behaviour.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/netip"
	"time"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Tx is a records transaction that also reaches the sign-in tables. Every
// getter answers records.ErrNoRows for a missing row.
type Tx interface {
	records.Tx

	// Credentials reads a user's password hash and second factor.
	Credentials(ctx context.Context, tenantID, userID string) (Credentials, error)
	SetPasswordHash(ctx context.Context, tenantID, userID, hash string) error
	// SetTOTP stores a TOTP secret ("" removes it) and whether it is in
	// force; it forgets the last used time step.
	SetTOTP(ctx context.Context, tenantID, userID, secret string, enabled bool) error
	// UseTOTPStep records step as the user's last used TOTP step; ErrNoRows
	// if a step at or after it was used already (a replayed code).
	UseTOTPStep(ctx context.Context, tenantID, userID string, step int64) error
	// ReplaceRecoveryCodes replaces all recovery codes of a user by hashes.
	ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error
	// UseRecoveryCode marks an unused code used; ErrNoRows if there is no
	// such unused code.
	UseRecoveryCode(ctx context.Context, userID, hash string, at time.Time) error
	// UnusedRecoveryCodes counts a user's unused recovery codes.
	UnusedRecoveryCodes(ctx context.Context, userID string) (int, error)

	// UserByExternalID finds the user bound to an external identity
	// (ExternalID: issuer and subject at an identity provider), in any
	// tenant.
	UserByExternalID(ctx context.Context, externalID string) (records.User, error)
	// BindExternalID binds a user to an external identity, only while the
	// user is bound to none: ErrNoRows if the user is bound already (or
	// unknown), ErrDuplicate if another user holds externalID.
	BindExternalID(ctx context.Context, tenantID, userID, externalID string) error

	InsertSession(ctx context.Context, s Session) error
	SessionByID(ctx context.Context, id string) (Session, error)
	// TouchSession sets last_seen_at; ErrNoRows if the session is gone.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// DeleteSession ends one session; ErrNoRows if there is none.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends all sessions of a user and counts them.
	DeleteUserSessions(ctx context.Context, tenantID, userID string) (int, error)
	// DeleteExpiredSessions removes sessions past their absolute expiry or
	// not seen since idleSince.
	DeleteExpiredSessions(ctx context.Context, now, idleSince time.Time) (int, error)

	// LoginThrottle reads the throttle row of key.
	LoginThrottle(ctx context.Context, key string) (Throttle, error)
	// CountLoginFailure atomically adds one failure to key; the count starts
	// again at 1 when the row's window began at or before windowStart and it
	// is not locked at now.
	CountLoginFailure(ctx context.Context, key string, now, windowStart time.Time) (Throttle, error)
	// LockLogin sets locked_until of key.
	LockLogin(ctx context.Context, key string, until time.Time) error
	// ClearLoginThrottle forgets key (after a successful sign-in).
	ClearLoginThrottle(ctx context.Context, key string) error
	// DeleteStaleThrottles removes rows whose window began at or before
	// windowStart and that are not locked at now.
	DeleteStaleThrottles(ctx context.Context, now, windowStart time.Time) (int, error)

	// InsertPendingLogin stores a sign-in that waits for its second factor.
	InsertPendingLogin(ctx context.Context, p PendingLogin) error
	// PendingLoginByID reads one; ErrNoRows if there is none.
	PendingLoginByID(ctx context.Context, id string) (PendingLogin, error)
	// CountPendingLoginAttempt atomically adds one code attempt to a
	// pending sign-in that is not expired at now and has had fewer than
	// max attempts; ErrNoRows otherwise (gone, expired or used up).
	CountPendingLoginAttempt(ctx context.Context, id string, now time.Time, max int) error
	// DeletePendingLogin removes one (it is used up); ErrNoRows if there is
	// none, so that of two parallel completions only one succeeds.
	DeletePendingLogin(ctx context.Context, id string) error
	// DeleteExpiredPendingLogins removes those expired at now.
	DeleteExpiredPendingLogins(ctx context.Context, now time.Time) (int, error)
}

// PendingLogin is a sign-in whose password was right and that waits for
// the second factor (the web form's second step). Its ID is the SHA-256 of
// the token the form carries; the token itself is never stored.
type PendingLogin struct {
	ID        string
	TenantID  string
	UserID    string
	Attempts  int // codes tried so far
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Credentials are what a user signs in with.
type Credentials struct {
	PasswordHash string // PHC string; "" when none is set
	TOTPSecret   string // base32; "" when none
	TOTPEnabled  bool   // false while an enrolment is unconfirmed
	TOTPLastStep int64  // last TOTP step used; 0 when none
}

// Session is a browser session. Its ID is the SHA-256 of the secret in the
// cookie; the secret itself is never stored.
type Session struct {
	ID         string
	TenantID   string
	UserID     string
	CSRF       string // the X-CSRF-Token every state-changing request must carry
	Method     string // how the user signed in: passwort, passwort+totp, passwort+wiederherstellungscode, oidc
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end
	RemoteAddr string
	UserAgent  string
}

// Throttle is one login_throttle row: failures of an account or an address
// in the window that began at WindowStart.
type Throttle struct {
	Key         string
	Failures    int
	WindowStart time.Time
	LockedUntil *time.Time
}

// Locked reports whether the row blocks sign-ins at now.
func (t Throttle) Locked(now time.Time) bool {
	return t.LockedUntil != nil && now.Before(*t.LockedUntil)
}

// Methods of signing in (sessions.method).
const (
	MethodPassword = "passwort"
	MethodTOTP     = "passwort+totp"
	MethodRecovery = "passwort+wiederherstellungscode"
	// MethodOIDC: single sign-on at the Land's identity provider
	// (ExternalLogin).
	MethodOIDC = "oidc"
)

// Options configure the service; zero values take the defaults.
type Options struct {
	Argon2          Params        // DefaultParams
	HashConcurrency int           // concurrent argon2 computations; number of CPUs
	IdleTimeout     time.Duration // 30 minutes without a request end a session
	MaxAge          time.Duration // 10 hours after sign-in a session ends in any case
	Window          time.Duration // failures are counted in windows of 15 minutes
	AccountLimit    int           // 5 failures of one account in a window lock it …
	AccountLock     time.Duration // … for 15 minutes
	AddressLimit    int           // 100 failures from one address in a window block it …
	AddressLock     time.Duration // … for 15 minutes
	Issuer          string        // shown in authenticator apps: "Aktenwerk"
	Log             *slog.Logger
}

// Defaults.
const (
	DefaultIdleTimeout  = 30 * time.Minute
	DefaultMaxAge       = 10 * time.Hour
	DefaultWindow       = 15 * time.Minute
	DefaultAccountLimit = 5
	DefaultAccountLock  = 15 * time.Minute
	// DefaultAddressLimit is high because a whole authority may reach the
	// server through one proxy or NAT address.
	DefaultAddressLimit = 100
	DefaultAddressLock  = 15 * time.Minute
	// TouchInterval: last_seen_at is written at most this often per session.
	TouchInterval = time.Minute
)

func (o Options) withDefaults() Options {
	if o.Argon2 == (Params{}) {
		o.Argon2 = DefaultParams
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.IdleTimeout, DefaultIdleTimeout)
	def(&o.MaxAge, DefaultMaxAge)
	def(&o.Window, DefaultWindow)
	def(&o.AccountLock, DefaultAccountLock)
	def(&o.AddressLock, DefaultAddressLock)
	if o.AccountLimit <= 0 {
		o.AccountLimit = DefaultAccountLimit
	}
	if o.AddressLimit <= 0 {
		o.AddressLimit = DefaultAddressLimit
	}
	if o.Issuer == "" {
		o.Issuer = "Aktenwerk"
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return o
}

// Service signs people in and keeps their sessions.
type Service struct {
	svc  *records.Service
	o    Options
	hash *hasher
}

// New builds the sign-in service on the records service (its store, clock
// and audit trail).
func New(svc *records.Service, o Options) *Service {
	o = o.withDefaults()
	return &Service{svc: svc, o: o, hash: newHasher(o.Argon2, o.HashConcurrency)}
}

// Options returns the effective options.
func (s *Service) Options() Options { return s.o }

func (s *Service) now() time.Time { return s.svc.Now() }

func (s *Service) write(ctx context.Context, fn func(Tx) error) error {
	return s.svc.Store().Write(ctx, func(rt records.Tx) error {
		tx, ok := rt.(Tx)
		if !ok {
			return fmt.Errorf("auth: the %s store does not implement auth.Tx", s.svc.Store().Backend())
		}
		return fn(tx)
	})
}

func (s *Service) read(ctx context.Context, fn func(Tx) error) error {
	return s.svc.Store().Read(ctx, func(rt records.Tx) error {
		tx, ok := rt.(Tx)
		if !ok {
			return fmt.Errorf("auth: the %s store does not implement auth.Tx", s.svc.Store().Backend())
		}
		return fn(tx)
	})
}

// ---------------------------------------------------------------------------
// Errors

// ErrBadCredentials is the one answer to every failed sign-in, whatever the
// reason (unknown tenant or login, wrong password, wrong code, deactivated
// account, service account), so that nobody learns which accounts exist.
var ErrBadCredentials = apperr.Unauthorized("Anmeldung fehlgeschlagen: Mandant, Anmeldename, Passwort oder Code ist falsch.")

// ErrTOTPRequired answers a correct password of an account with a second
// factor when neither a TOTP code nor a recovery code came along.
var ErrTOTPRequired error = &apperr.Error{Kind: apperr.KindUnauthorized, Message: "Zweiter Faktor erforderlich",
	Fields: []apperr.FieldError{{Field: "totp", Message: "Code aus der Authenticator-App angeben (oder einen Wiederherstellungscode im Feld wiederherstellungscode)"}}}

// errSessionInvalid answers every unusable session cookie.
var errSessionInvalid = apperr.Unauthorized("Sitzung abgelaufen oder ungültig – bitte neu anmelden")

// Scopes of a ThrottledError.
const (
	ScopeAccount = "konto"
	ScopeAddress = "adresse"
)

// ThrottledError refuses a sign-in during a lockout (HTTP 429).
type ThrottledError struct {
	Scope string // ScopeAccount or ScopeAddress
	Until time.Time
	Now   time.Time
}

var berlin = mustBerlin()

func mustBerlin() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // time/tzdata is linked by records
	}
	return l
}

// UntilText is the end of the lockout in Berlin time, rounded up to the
// minute ("13:05 Uhr"; with the date when it is not today).
func (e *ThrottledError) UntilText() string {
	until := e.Until.In(berlin)
	if r := until.Truncate(time.Minute); r.Before(until) {
		until = r.Add(time.Minute)
	}
	now := e.Now.In(berlin)
	if until.YearDay() != now.YearDay() || until.Year() != now.Year() {
		return until.Format("02.01.2006, 15:04") + " Uhr"
	}
	return until.Format("15:04") + " Uhr"
}

// RetryAfter is the number of seconds until the lockout ends (at least 1).
func (e *ThrottledError) RetryAfter() int {
	return max(1, int(math.Ceil(e.Until.Sub(e.Now).Seconds())))
}

func (e *ThrottledError) Error() string {
	if e.Scope == ScopeAddress {
		return "Zu viele Fehlversuche von dieser Adresse. Anmeldung bis " + e.UntilText() + " gesperrt."
	}
	return "Zu viele Fehlversuche. Anmeldung für dieses Konto bis " + e.UntilText() + " gesperrt."
}

// ---------------------------------------------------------------------------
// Secrets

// newSecret returns a cookie secret (32 random bytes, base64url) and the
// session id stored for it.
func newSecret() (secret, id string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(b), hex.EncodeToString(sum[:])
}

// SessionID returns the stored id of a cookie secret; ok is false for
// anything that is not a secret we could have issued.
func SessionID(secret string) (id string, ok bool) {
	if len(secret) != 43 {
		return "", false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(secret) // one spelling per secret
	if err != nil || len(b) != 32 {
		return "", false
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), true
}

func newCSRFToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ---------------------------------------------------------------------------
// Throttle keys

func accountKey(tenantCode, login string) string { return "konto:" + tenantCode + "/" + login }

// addressKey names a client address; IPv6 addresses count per /64, the
// smallest network a single customer usually gets.
func addressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return "adresse:" + truncate(addr, 64)
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return "adresse:" + p.String()
	}
	return "adresse:" + ip.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// cut on a rune boundary
	for n > 0 && (s[n]&0xc0) == 0x80 {
		n--
	}
	return s[:n]
}

func isNoRows(err error) bool { return errors.Is(err, records.ErrNoRows) }
