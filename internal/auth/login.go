package auth

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// LoginRequest is one sign-in attempt.
type LoginRequest struct {
	Tenant       string
	Login        string
	Password     string
	TOTP         string // code from the authenticator app, if the account has one
	RecoveryCode string // instead of TOTP
	Address      string // client address (for throttling and the audit trail)
	UserAgent    string
	// Presented is the secret of a session cookie the browser sent along;
	// that session ends, whoever it belonged to (session fixation).
	Presented string
}

// Started is a new session and the secret for its cookie.
type Started struct {
	Secret     string
	Session    Session
	TenantCode string
	Login      string
}

// attempt is what is known about whoever tries to sign in or to prove
// their password or second factor.
type attempt struct {
	tenantCode, login string // normalised as typed
	address           string
	tenant            *records.Tenant
	user              *records.User
	creds             Credentials
	failAction        string // audit action of a failure
}

func (a attempt) accountKey() string { return accountKey(a.tenantCode, a.login) }

// Login checks the credentials and starts a session. Every refusal is
// ErrBadCredentials, ErrTOTPRequired or a *ThrottledError (or a validation
// error for input that is plainly malformed).
func (s *Service) Login(ctx context.Context, in LoginRequest) (Started, error) {
	st, _, err := s.login(ctx, in, false)
	return st, err
}

// BeginLogin is the first step of the web form's two-step sign-in: like
// Login, except that a correct password of an account with a second factor
// and no code along answers ErrTOTPRequired together with the token of a
// pending sign-in (see CompleteLogin). The password is not needed (and
// must not be carried) any further.
func (s *Service) BeginLogin(ctx context.Context, in LoginRequest) (Started, string, error) {
	return s.login(ctx, in, true)
}

func (s *Service) login(ctx context.Context, in LoginRequest, pending bool) (Started, string, error) {
	a := attempt{
		tenantCode: strings.ToUpper(strings.TrimSpace(in.Tenant)),
		login:      strings.ToLower(strings.TrimSpace(in.Login)),
		address:    in.Address,
		failAction: "anmeldung.fehlgeschlagen",
	}
	var v apperr.Validation
	check := func(field, val string, maxLen int, required bool) {
		switch {
		case required && val == "":
			v.Add(field, "darf nicht leer sein")
		case len(val) > maxLen:
			v.Add(field, "zu lang")
		case !utf8.ValidString(val):
			v.Add(field, "ungültige Zeichenkodierung (UTF-8 erwartet)")
		}
	}
	check("tenant", a.tenantCode, 32, true)
	check("login", a.login, 128, true)
	check("passwort", in.Password, MaxPasswordBytes, true)
	check("totp", in.TOTP, 16, false)
	check("wiederherstellungscode", in.RecoveryCode, 64, false)
	if err := v.Err(); err != nil {
		return Started{}, "", err
	}
	now := s.now()
	var addrLock, acctLock *time.Time
	err := s.read(ctx, func(tx Tx) error {
		for key, dst := range map[string]**time.Time{addressKey(a.address): &addrLock, a.accountKey(): &acctLock} {
			th, err := tx.LoginThrottle(ctx, key)
			if err != nil && !isNoRows(err) {
				return err
			}
			if err == nil && th.Locked(now) {
				*dst = th.LockedUntil
			}
		}
		return s.loadAttempt(ctx, tx, &a)
	})
	if err != nil {
		return Started{}, "", err
	}
	if addrLock != nil {
		// No audit entry: a blocked address could otherwise fill the
		// audit trail at will. The block itself was logged when it began.
		s.o.Log.Info("anmeldung abgewiesen: adresse gesperrt", "adresse", a.address, "tenant", truncate(a.tenantCode, 32), "login", truncate(a.login, 64))
		return Started{}, "", &ThrottledError{Scope: ScopeAddress, Until: *addrLock, Now: now}
	}
	if acctLock != nil {
		// A correct password does not help during a lockout: the password
		// is not even checked.
		if err := s.recordFailure(ctx, a, "gesperrt", now); err != nil {
			return Started{}, "", err
		}
		return Started{}, "", &ThrottledError{Scope: ScopeAccount, Until: *acctLock, Now: now}
	}

	phc := ""
	if a.user != nil && a.user.Kind != records.KindService {
		phc = a.creds.PasswordHash
	}
	// Unknown accounts cost the same time as known ones.
	ok, rehash, err := s.hash.verify(ctx, in.Password, phc)
	if err != nil {
		return Started{}, "", err
	}
	reason := ""
	switch {
	case a.tenant == nil:
		reason = "unbekannter_mandant"
	case a.user == nil:
		reason = "unbekanntes_konto"
	case a.user.Kind == records.KindService:
		reason = "dienstkonto"
	case phc == "":
		reason = "kein_passwort"
	case !ok:
		reason = "falsches_passwort"
	case !a.user.Active:
		reason = "deaktiviert"
	}
	if reason != "" {
		return Started{}, "", s.fail(ctx, a, reason, now)
	}

	method := MethodPassword
	var step int64
	var recoveryHash string
	if a.creds.TOTPEnabled {
		switch {
		case strings.TrimSpace(in.RecoveryCode) != "":
			method, recoveryHash = MethodRecovery, hashRecoveryCode(a.user.ID, in.RecoveryCode)
		case strings.TrimSpace(in.TOTP) != "":
			var ok bool
			if step, ok = matchTOTP(a.creds.TOTPSecret, in.TOTP, now); !ok {
				return Started{}, "", s.fail(ctx, a, "totp_falsch", now)
			}
			method = MethodTOTP
		default:
			// The normal first step of a two-factor sign-in: neither
			// counted nor audited as a failure.
			if !pending {
				return Started{}, "", ErrTOTPRequired
			}
			// The password is not seen again: a rehash happens now.
			newHash := ""
			if rehash {
				if newHash, err = s.hash.hash(ctx, in.Password); err != nil {
					return Started{}, "", err
				}
			}
			token, err := s.beginPending(ctx, a, newHash, now)
			if err != nil {
				return Started{}, "", err
			}
			return Started{}, token, ErrTOTPRequired
		}
	}
	newHash := ""
	if rehash {
		if newHash, err = s.hash.hash(ctx, in.Password); err != nil {
			return Started{}, "", err
		}
	}
	st, err := s.startSession(ctx, a, factor{method, step, recoveryHash}, newHash, in, now, nil)
	return st, "", err
}

// factor is the proven second factor of a sign-in (method MethodPassword:
// none).
type factor struct {
	method       string
	step         int64  // MethodTOTP: the code's time step
	recoveryHash string // MethodRecovery: the code's hash
}

// startSession finishes a sign-in of a whose password (or pending sign-in)
// is proven: in one transaction it uses up the TOTP step or recovery code
// of f, runs consume (may be nil; an error from it rolls everything back),
// resets the account's failure count, stores newHash (when not "") and
// opens the session. A lockout that began meanwhile, a replayed TOTP code
// or an unknown recovery code are refused as in Login.
func (s *Service) startSession(ctx context.Context, a attempt, f factor, newHash string, in LoginRequest, now time.Time, consume func(Tx) error) (Started, error) {
	secret, sess := s.newSession(*a.tenant, *a.user, f.method, in.Address, in.UserAgent, now)
	reason := ""
	var locked *ThrottledError
	err := s.write(ctx, func(tx Tx) error {
		reason, locked = "", nil
		// A lockout that began while the password was checked (parallel
		// attempts) holds for this attempt too.
		if err := s.checkNotLocked(ctx, tx, a, now); err != nil {
			if errors.As(err, &locked) {
				return nil
			}
			return err
		}
		remaining := -1
		switch f.method {
		case MethodTOTP:
			if err := tx.UseTOTPStep(ctx, a.tenant.ID, a.user.ID, f.step); isNoRows(err) {
				reason = "totp_wiederverwendet"
				return nil
			} else if err != nil {
				return err
			}
		case MethodRecovery:
			if err := tx.UseRecoveryCode(ctx, a.user.ID, f.recoveryHash, now); isNoRows(err) {
				reason = "wiederherstellungscode_falsch"
				return nil
			} else if err != nil {
				return err
			}
			n, err := tx.UnusedRecoveryCodes(ctx, a.user.ID)
			if err != nil {
				return err
			}
			remaining = n
		}
		if consume != nil {
			if err := consume(tx); err != nil {
				return err
			}
		}
		if _, err := tx.DeleteStaleThrottles(ctx, now, now.Add(-s.o.Window)); err != nil {
			return err
		}
		if err := tx.ClearLoginThrottle(ctx, a.accountKey()); err != nil {
			return err
		}
		if newHash != "" {
			if err := tx.SetPasswordHash(ctx, a.tenant.ID, a.user.ID, newHash); err != nil {
				return err
			}
		}
		changes := map[string]any{"methode": f.method, "adresse": a.address}
		if remaining >= 0 {
			changes["verbleibende_wiederherstellungscodes"] = remaining
		}
		if newHash != "" {
			changes["passwort_neu_gehasht"] = true
		}
		return s.openSession(ctx, tx, *a.tenant, *a.user, sess, in.Presented, changes)
	})
	if err != nil {
		return Started{}, err
	}
	if locked != nil {
		if locked.Scope == ScopeAccount {
			if err := s.recordFailure(ctx, a, "gesperrt", now); err != nil {
				return Started{}, err
			}
		}
		return Started{}, locked
	}
	if reason != "" {
		return Started{}, s.fail(ctx, a, reason, now)
	}
	return Started{Secret: secret, Session: sess, TenantCode: a.tenant.Code, Login: a.user.Login}, nil
}

// newSession prepares a session of u that begins at now, and the secret for
// its cookie; openSession stores it.
func (s *Service) newSession(t records.Tenant, u records.User, method, address, userAgent string, now time.Time) (string, Session) {
	secret, id := newSecret()
	return secret, Session{ID: id, TenantID: t.ID, UserID: u.ID, CSRF: newCSRFToken(), Method: method,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.o.MaxAge),
		RemoteAddr: truncate(address, 64), UserAgent: truncate(userAgent, 256)}
}

// openSession stores a new session of u in tx, the same way for every kind
// of sign-in: the session whose cookie secret came along with the sign-in
// (presented, may be "") ends, whoever it belonged to (session fixation);
// expired sessions are cleaned up; and the sign-in is audited as
// "anmeldung" by u with changes (which name the method and address).
func (s *Service) openSession(ctx context.Context, tx Tx, t records.Tenant, u records.User, sess Session, presented string, changes map[string]any) error {
	if oldID, ok := SessionID(presented); ok {
		if err := tx.DeleteSession(ctx, oldID); err != nil && !isNoRows(err) {
			return err
		}
	}
	if _, err := tx.DeleteExpiredSessions(ctx, sess.CreatedAt, sess.CreatedAt.Add(-s.o.IdleTimeout)); err != nil {
		return err
	}
	if err := tx.InsertSession(ctx, sess); err != nil {
		return err
	}
	return s.svc.Audit(ctx, tx, userPrincipal(t, u), "anmeldung", "user", u.ID, changes)
}

// loadAttempt fills in tenant, user and credentials, as far as they exist.
func (s *Service) loadAttempt(ctx context.Context, tx Tx, a *attempt) error {
	t, err := tx.TenantByCode(ctx, a.tenantCode)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return err
	}
	a.tenant = &t
	u, err := tx.UserByLogin(ctx, t.ID, a.login)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return err
	}
	a.user = &u
	a.creds, err = tx.Credentials(ctx, t.ID, u.ID)
	return err
}

// fail records a failure and returns what the caller answers: a
// *ThrottledError when this failure locked the account or the address,
// ErrBadCredentials otherwise.
func (s *Service) fail(ctx context.Context, a attempt, reason string, now time.Time) error {
	if err := s.recordFailure(ctx, a, reason, now); err != nil {
		var te *ThrottledError
		if errors.As(err, &te) {
			return te
		}
		return err
	}
	return ErrBadCredentials
}

// recordFailure counts a failure against the address and (unless the
// account is locked already) the account, locks either when it reaches its
// limit, and writes the audit entries: the failure, and the lockout when
// this failure caused it. It returns a *ThrottledError when it locked
// something, or when a parallel attempt locked it meanwhile (so that this
// attempt's answer tells nothing about the password either).
func (s *Service) recordFailure(ctx context.Context, a attempt, reason string, now time.Time) error {
	var acctUntil, addrUntil *time.Time
	// lockouts that other attempts set meanwhile (parallel requests): this
	// attempt is answered as locked too, so that it tells nothing about
	// the password
	var acctHeld, addrHeld *time.Time
	err := s.write(ctx, func(tx Tx) error {
		acctUntil, addrUntil, acctHeld, addrHeld = nil, nil, nil, nil
		windowStart := now.Add(-s.o.Window)
		th, err := tx.CountLoginFailure(ctx, addressKey(a.address), now, windowStart)
		if err != nil {
			return err
		}
		switch {
		case th.Locked(now):
			addrHeld = th.LockedUntil
		case th.Failures >= s.o.AddressLimit:
			until := now.Add(s.o.AddressLock)
			if err := tx.LockLogin(ctx, th.Key, until); err != nil {
				return err
			}
			addrUntil = &until
		}
		failures := 0
		if reason != "gesperrt" {
			th, err := tx.CountLoginFailure(ctx, a.accountKey(), now, windowStart)
			if err != nil {
				return err
			}
			failures = th.Failures
			switch {
			case th.Locked(now):
				acctHeld = th.LockedUntil
			case th.Failures >= s.o.AccountLimit:
				until := now.Add(s.o.AccountLock)
				if err := tx.LockLogin(ctx, th.Key, until); err != nil {
					return err
				}
				acctUntil = &until
			}
		}
		if a.tenant == nil {
			return nil // no tenant, no audit chain to write to
		}
		if err := s.auditFailure(ctx, tx, a, reason, nil); err != nil {
			return err
		}
		if acctUntil != nil {
			p, objID := failureSubject(a)
			return s.svc.Audit(ctx, tx, p, "konto.gesperrt", "user", objID, map[string]any{
				"login": a.login, "bis": acctUntil.UTC().Format(time.RFC3339), "fehlversuche": failures, "adresse": a.address})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if a.tenant == nil {
		s.o.Log.Info("anmeldung fehlgeschlagen: unbekannter mandant", "tenant", truncate(a.tenantCode, 32), "login", truncate(a.login, 64), "adresse", a.address)
	}
	if addrUntil != nil {
		s.o.Log.Warn("anmeldung: adresse gesperrt", "adresse", a.address, "bis", addrUntil.UTC(), "fehlversuche", s.o.AddressLimit)
	}
	if acctUntil != nil {
		s.o.Log.Info("anmeldung: konto gesperrt", "tenant", truncate(a.tenantCode, 32), "login", truncate(a.login, 64), "bis", acctUntil.UTC())
		return &ThrottledError{Scope: ScopeAccount, Until: *acctUntil, Now: now}
	}
	switch {
	case addrUntil != nil:
		return &ThrottledError{Scope: ScopeAddress, Until: *addrUntil, Now: now}
	case acctHeld != nil:
		return &ThrottledError{Scope: ScopeAccount, Until: *acctHeld, Now: now}
	case addrHeld != nil:
		return &ThrottledError{Scope: ScopeAddress, Until: *addrHeld, Now: now}
	}
	return nil
}

// failureSubject is the audit actor and object of a failed attempt: nobody
// is the actor; the entry belongs to the account, if it exists.
func failureSubject(a attempt) (records.Principal, string) {
	p := records.Principal{TenantID: a.tenant.ID, TenantCode: a.tenant.Code}
	if a.user != nil {
		return p, a.user.ID
	}
	return p, ""
}

// auditFailure writes the audit entry of a failed attempt (a.failAction)
// into a's tenant: the login as given, the reason and the address, plus
// extra. a.tenant must be set.
func (s *Service) auditFailure(ctx context.Context, tx Tx, a attempt, reason string, extra map[string]any) error {
	p, objID := failureSubject(a)
	changes := map[string]any{"login": a.login, "grund": reason, "adresse": a.address}
	for k, v := range extra {
		changes[k] = v
	}
	return s.svc.Audit(ctx, tx, p, a.failAction, "user", objID, changes)
}

// checkNotLocked refuses with a *ThrottledError while the account or the
// address of a is locked.
func (s *Service) checkNotLocked(ctx context.Context, tx Tx, a attempt, now time.Time) error {
	for _, k := range []struct{ key, scope string }{{addressKey(a.address), ScopeAddress}, {a.accountKey(), ScopeAccount}} {
		th, err := tx.LoginThrottle(ctx, k.key)
		if isNoRows(err) {
			continue
		}
		if err != nil {
			return err
		}
		if th.Locked(now) {
			return &ThrottledError{Scope: k.scope, Until: *th.LockedUntil, Now: now}
		}
	}
	return nil
}

// userPrincipal is the audit actor of a user acting on their own account.
func userPrincipal(t records.Tenant, u records.User) records.Principal {
	return records.Principal{TenantID: t.ID, TenantCode: t.Code, UserID: u.ID, Login: u.Login, Roles: u.Roles}
}
