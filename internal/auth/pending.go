package auth

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"aktenwerk/internal/apperr"
)

// The web form signs in in two steps when the account has a second factor.
// After a correct password, BeginLogin stores a pending sign-in (table
// pending_logins: only the SHA-256 of a random token, bound to tenant and
// user, expiring after PendingLoginTTL, at most MaxPendingAttempts codes)
// and the page carries nothing but the token; CompleteLogin takes token and
// code and starts the session. The password never goes back to the
// browser, and nodes stay stateless: the record lives in the database.

const (
	// PendingLoginTTL is how long the second step may take.
	PendingLoginTTL = 5 * time.Minute
	// MaxPendingAttempts codes may be tried per pending sign-in; every
	// wrong one also counts as a failed sign-in (login throttling).
	MaxPendingAttempts = 3
)

// ErrPendingLogin refuses a second step whose pending sign-in is unknown,
// expired, used up or belongs to another account.
var ErrPendingLogin = apperr.Unauthorized("Die Anmeldung ist abgelaufen oder nicht mehr gültig. Bitte melden Sie sich erneut mit Passwort an.")

// errPendingGone rolls back a completion whose pending sign-in a parallel
// request used meanwhile.
var errPendingGone = errors.New("auth: pending sign-in used meanwhile")

// SecondFactorRequest is the second step of a two-step sign-in.
type SecondFactorRequest struct {
	Token        string // from BeginLogin
	Tenant       string // the account as the form shows it: must be the
	Login        string // pending sign-in's account
	TOTP         string
	RecoveryCode string // instead of TOTP
	Address      string
	UserAgent    string
	Presented    string // session cookie sent along (ends: session fixation)
}

// beginPending stores a pending sign-in of a (whose password is proven)
// and returns its token; expired pending sign-ins are removed on the way.
// newHash (when not "") replaces the password hash (new parameters).
func (s *Service) beginPending(ctx context.Context, a attempt, newHash string, now time.Time) (string, error) {
	token, id := newSecret()
	p := PendingLogin{ID: id, TenantID: a.tenant.ID, UserID: a.user.ID, CreatedAt: now, ExpiresAt: now.Add(PendingLoginTTL)}
	err := s.write(ctx, func(tx Tx) error {
		if _, err := tx.DeleteExpiredPendingLogins(ctx, now); err != nil {
			return err
		}
		if newHash != "" {
			if err := tx.SetPasswordHash(ctx, a.tenant.ID, a.user.ID, newHash); err != nil {
				return err
			}
		}
		return tx.InsertPendingLogin(ctx, p)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// CompleteLogin is the second step: the code for the pending sign-in of
// in.Token. Refusals: ErrPendingLogin (start again with the password),
// ErrBadCredentials (wrong code; counted like a wrong password), a
// *ThrottledError, or a validation error.
func (s *Service) CompleteLogin(ctx context.Context, in SecondFactorRequest) (Started, error) {
	a := attempt{
		tenantCode: strings.ToUpper(strings.TrimSpace(in.Tenant)),
		login:      strings.ToLower(strings.TrimSpace(in.Login)),
		address:    in.Address,
		failAction: "anmeldung.fehlgeschlagen",
	}
	totpCode, recovery := strings.TrimSpace(in.TOTP), strings.TrimSpace(in.RecoveryCode)
	var v apperr.Validation
	switch {
	case totpCode == "" && recovery == "":
		v.Add("totp", "darf nicht leer sein")
	case len(totpCode) > 16 || !utf8.ValidString(totpCode):
		v.Add("totp", "ungültig")
	case len(recovery) > 64 || !utf8.ValidString(recovery):
		v.Add("wiederherstellungscode", "ungültig")
	}
	if err := v.Err(); err != nil {
		return Started{}, err
	}
	id, ok := SessionID(in.Token)
	if !ok {
		return Started{}, ErrPendingLogin
	}
	now := s.now()
	var found bool
	var addrLock, acctLock *time.Time
	err := s.read(ctx, func(tx Tx) error {
		found, addrLock, acctLock = false, nil, nil
		p, err := tx.PendingLoginByID(ctx, id)
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if !now.Before(p.ExpiresAt) || p.Attempts >= MaxPendingAttempts {
			return nil
		}
		t, err := tx.TenantByID(ctx, p.TenantID)
		if err != nil {
			return err
		}
		u, err := tx.UserByID(ctx, p.TenantID, p.UserID)
		if err != nil {
			return err
		}
		if t.Code != a.tenantCode || !strings.EqualFold(u.Login, a.login) {
			return nil // another account's token
		}
		a.tenant, a.user = &t, &u
		if a.creds, err = tx.Credentials(ctx, t.ID, u.ID); err != nil {
			return err
		}
		found = true
		for key, dst := range map[string]**time.Time{addressKey(a.address): &addrLock, a.accountKey(): &acctLock} {
			th, err := tx.LoginThrottle(ctx, key)
			if err != nil && !isNoRows(err) {
				return err
			}
			if err == nil && th.Locked(now) {
				*dst = th.LockedUntil
			}
		}
		return nil
	})
	if err != nil {
		return Started{}, err
	}
	if !found || !a.creds.TOTPEnabled {
		s.o.Log.Info("anmeldung: zweiter schritt ohne gültige ausstehende anmeldung", "adresse", a.address,
			"tenant", truncate(a.tenantCode, 32), "login", truncate(a.login, 64))
		return Started{}, ErrPendingLogin
	}
	if addrLock != nil {
		return Started{}, &ThrottledError{Scope: ScopeAddress, Until: *addrLock, Now: now}
	}
	if acctLock != nil {
		if err := s.recordFailure(ctx, a, "gesperrt", now); err != nil {
			return Started{}, err
		}
		return Started{}, &ThrottledError{Scope: ScopeAccount, Until: *acctLock, Now: now}
	}
	if !a.user.Active {
		return Started{}, s.fail(ctx, a, "deaktiviert", now)
	}
	// Count the attempt before the code is checked, so that parallel
	// guesses cannot exceed the limit.
	err = s.write(ctx, func(tx Tx) error { return tx.CountPendingLoginAttempt(ctx, id, now, MaxPendingAttempts) })
	if isNoRows(err) {
		return Started{}, ErrPendingLogin
	}
	if err != nil {
		return Started{}, err
	}
	var f factor
	if recovery != "" {
		f = factor{method: MethodRecovery, recoveryHash: hashRecoveryCode(a.user.ID, recovery)}
	} else {
		step, ok := matchTOTP(a.creds.TOTPSecret, totpCode, now)
		if !ok {
			return Started{}, s.fail(ctx, a, "totp_falsch", now)
		}
		f = factor{method: MethodTOTP, step: step}
	}
	st, err := s.startSession(ctx, a, f, "", LoginRequest{Address: in.Address, UserAgent: in.UserAgent, Presented: in.Presented}, now,
		func(tx Tx) error {
			if err := tx.DeletePendingLogin(ctx, id); isNoRows(err) {
				return errPendingGone
			} else if err != nil {
				return err
			}
			_, err := tx.DeleteExpiredPendingLogins(ctx, now)
			return err
		})
	if errors.Is(err, errPendingGone) {
		return Started{}, ErrPendingLogin
	}
	return st, err
}
