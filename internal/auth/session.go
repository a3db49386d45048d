package auth

import (
	"context"
	"errors"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Authenticate resolves a session cookie secret to its session and the
// principal of its user. Unknown, malformed, idle, expired sessions and
// sessions of deactivated users all answer the same 401 error. last_seen_at
// is written at most once per TouchInterval, not on every request.
func (s *Service) Authenticate(ctx context.Context, secret string) (Session, records.Principal, error) {
	id, ok := SessionID(secret)
	if !ok {
		return Session{}, records.Principal{}, errSessionInvalid
	}
	var sess Session
	err := s.read(ctx, func(tx Tx) (err error) { sess, err = tx.SessionByID(ctx, id); return })
	if isNoRows(err) {
		return Session{}, records.Principal{}, errSessionInvalid
	}
	if err != nil {
		return Session{}, records.Principal{}, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(s.o.IdleTimeout)) {
		if err := s.write(ctx, func(tx Tx) error {
			if err := tx.DeleteSession(ctx, id); err != nil && !isNoRows(err) {
				return err
			}
			return nil
		}); err != nil {
			s.o.Log.Warn("abgelaufene sitzung nicht entfernt", "err", err)
		}
		return Session{}, records.Principal{}, errSessionInvalid
	}
	p, err := s.svc.PrincipalFor(ctx, sess.TenantID, sess.UserID)
	if err != nil {
		if apperr.KindOf(err) == apperr.KindUnauthorized {
			return Session{}, records.Principal{}, errSessionInvalid
		}
		return Session{}, records.Principal{}, err
	}
	if now.Sub(sess.LastSeenAt) >= TouchInterval {
		err := s.write(ctx, func(tx Tx) error { return tx.TouchSession(ctx, id, now) })
		switch {
		case isNoRows(err):
			// ended meanwhile (logout elsewhere, deactivation)
			return Session{}, records.Principal{}, errSessionInvalid
		case err != nil:
			return Session{}, records.Principal{}, err
		}
		sess.LastSeenAt = now
	}
	return sess, p, nil
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, p records.Principal, sess Session) error {
	return s.write(ctx, func(tx Tx) error {
		err := tx.DeleteSession(ctx, sess.ID)
		if isNoRows(err) {
			return nil // ended meanwhile: nothing to record
		}
		if err != nil {
			return err
		}
		return s.svc.Audit(ctx, tx, p, "abmeldung", "user", p.UserID, map[string]any{"methode": sess.Method})
	})
}

// LogoutEverywhere ends every session of p's user and returns how many.
func (s *Service) LogoutEverywhere(ctx context.Context, p records.Principal) (int, error) {
	var n int
	err := s.write(ctx, func(tx Tx) (err error) {
		if n, err = tx.DeleteUserSessions(ctx, p.TenantID, p.UserID); err != nil {
			return err
		}
		return s.svc.Audit(ctx, tx, p, "abmeldung.ueberall", "user", p.UserID, map[string]any{"beendete_sitzungen": n})
	})
	return n, err
}

// errNotPerson refuses password and TOTP management for service accounts.
var errNotPerson = apperr.Conflict("Dienstkonten melden sich nur mit API-Token an; Passwort und zweiter Faktor gibt es für sie nicht")

// self loads p's tenant, user and credentials in tx.
func self(ctx context.Context, tx Tx, p records.Principal) (attempt, error) {
	a := attempt{tenantCode: p.TenantCode, login: p.Login}
	t, err := tx.TenantByID(ctx, p.TenantID)
	if err != nil {
		return a, err
	}
	u, err := tx.UserByID(ctx, p.TenantID, p.UserID)
	if err != nil {
		return a, err
	}
	if !u.Active {
		return a, errSessionInvalid
	}
	a.tenant, a.user = &t, &u
	a.creds, err = tx.Credentials(ctx, t.ID, u.ID)
	return a, err
}

func notFound(err error, what string) error {
	if errors.Is(err, records.ErrNoRows) {
		return apperr.NotFound(what)
	}
	return err
}
