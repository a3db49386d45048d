package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"aktenwerk/internal/auth"
	"aktenwerk/internal/records"
)

// The sign-in tables (migrations 00003, 00004 and 00014): credentials and
// the external identity on users, recovery_codes, sessions, login_throttle,
// pending_logins.

var _ auth.Tx = (*tx)(nil)

func (t *tx) Credentials(ctx context.Context, tenantID, userID string) (auth.Credentials, error) {
	var c auth.Credentials
	var hash, secret sql.NullString
	var step sql.NullInt64
	err := t.row(ctx, `SELECT password_hash, totp_secret, totp_enabled, totp_last_step FROM users WHERE tenant_id = ? AND id = ?`,
		tenantID, userID).Scan(&hash, &secret, &c.TOTPEnabled, &step)
	c.PasswordHash, c.TOTPSecret, c.TOTPLastStep = hash.String, secret.String, step.Int64
	return c, one(err)
}

func (t *tx) SetPasswordHash(ctx context.Context, tenantID, userID, hash string) error {
	return affected(t.exec(ctx, `UPDATE users SET password_hash = ? WHERE tenant_id = ? AND id = ?`, hash, tenantID, userID))
}

func (t *tx) SetTOTP(ctx context.Context, tenantID, userID, secret string, enabled bool) error {
	var s any
	if secret != "" {
		s = secret
	}
	return affected(t.exec(ctx, `UPDATE users SET totp_secret = ?, totp_enabled = ?, totp_last_step = NULL WHERE tenant_id = ? AND id = ?`,
		s, enabled, tenantID, userID))
}

func (t *tx) UseTOTPStep(ctx context.Context, tenantID, userID string, step int64) error {
	// One conditional statement: two nodes accepting the same code at the
	// same moment cannot both succeed.
	return affected(t.exec(ctx, `UPDATE users SET totp_last_step = ? WHERE tenant_id = ? AND id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)`,
		step, tenantID, userID, step))
}

func (t *tx) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	if _, err := t.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := t.exec(ctx, `INSERT INTO recovery_codes (user_id, hash, used_at) VALUES (?, ?, NULL)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) UseRecoveryCode(ctx context.Context, userID, hash string, at time.Time) error {
	return affected(t.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND hash = ? AND used_at IS NULL`, at.UTC(), userID, hash))
}

func (t *tx) UnusedRecoveryCodes(ctx context.Context, userID string) (int, error) {
	var n int
	err := t.row(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	return n, err
}

// --- external identities (single sign-on) -------------------------------------

func (t *tx) UserByExternalID(ctx context.Context, externalID string) (records.User, error) {
	u, err := scanUser(t.row(ctx, `SELECT `+userCols+` FROM users WHERE external_id = ?`, externalID))
	return u, one(err)
}

func (t *tx) BindExternalID(ctx context.Context, tenantID, userID, externalID string) error {
	// Conditional: a user already bound to some identity is never rebound
	// (two parallel first sign-ins cannot both win).
	return affected(t.exec(ctx, `UPDATE users SET external_id = ? WHERE tenant_id = ? AND id = ? AND external_id IS NULL`,
		externalID, tenantID, userID))
}

// --- sessions ------------------------------------------------------------------

const sessionCols = `id, tenant_id, user_id, csrf, method, created_at, last_seen_at, expires_at, remote_addr, user_agent`

func (t *tx) InsertSession(ctx context.Context, s auth.Session) error {
	_, err := t.exec(ctx, `INSERT INTO sessions (`+sessionCols+`) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		s.ID, s.TenantID, s.UserID, s.CSRF, s.Method, s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC(), s.RemoteAddr, s.UserAgent)
	return err
}

func (t *tx) SessionByID(ctx context.Context, id string) (auth.Session, error) {
	var s auth.Session
	err := t.row(ctx, `SELECT `+sessionCols+` FROM sessions WHERE id = ?`, id).
		Scan(&s.ID, &s.TenantID, &s.UserID, &s.CSRF, &s.Method, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.RemoteAddr, &s.UserAgent)
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	return s, one(err)
}

func (t *tx) TouchSession(ctx context.Context, id string, at time.Time) error {
	return affected(t.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, at.UTC(), id))
}

func (t *tx) DeleteSession(ctx context.Context, id string) error {
	return affected(t.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id))
}

func count(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (t *tx) DeleteUserSessions(ctx context.Context, tenantID, userID string) (int, error) {
	return count(t.exec(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?`, tenantID, userID))
}

func (t *tx) DeleteExpiredSessions(ctx context.Context, now, idleSince time.Time) (int, error) {
	return count(t.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`, now.UTC(), idleSince.UTC()))
}

// --- login throttling --------------------------------------------------------------

func scanThrottle(r interface{ Scan(...any) error }) (auth.Throttle, error) {
	var th auth.Throttle
	var locked sql.NullTime
	err := r.Scan(&th.Key, &th.Failures, &th.WindowStart, &locked)
	th.WindowStart, th.LockedUntil = th.WindowStart.UTC(), timePtr(locked)
	return th, err
}

const throttleCols = `key, failures, window_start, locked_until`

func (t *tx) LoginThrottle(ctx context.Context, key string) (auth.Throttle, error) {
	th, err := scanThrottle(t.row(ctx, `SELECT `+throttleCols+` FROM login_throttle WHERE key = ?`, key))
	return th, one(err)
}

func (t *tx) CountLoginFailure(ctx context.Context, key string, now, windowStart time.Time) (auth.Throttle, error) {
	// The increment is one atomic statement, so that concurrent failures on
	// several nodes are all counted. Whether a new window begins is decided
	// here from the row as read; if another failure changed the count in
	// between, the reset does not apply and the failure is simply added.
	th, err := t.LoginThrottle(ctx, key)
	if err == nil && !th.WindowStart.After(windowStart) && !th.Locked(now) {
		r, err := scanThrottle(t.row(ctx, `UPDATE login_throttle SET failures = 1, window_start = ?, locked_until = NULL
			WHERE key = ? AND failures = ? RETURNING `+throttleCols, now.UTC(), key, th.Failures))
		if err == nil {
			return r, nil
		}
		if err = one(err); !errors.Is(err, records.ErrNoRows) {
			return r, err
		}
	} else if err != nil && !errors.Is(err, records.ErrNoRows) {
		return th, err
	}
	r, err := scanThrottle(t.row(ctx, `INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (?, 1, ?, NULL)
		ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1 RETURNING `+throttleCols, key, now.UTC()))
	return r, err
}

func (t *tx) LockLogin(ctx context.Context, key string, until time.Time) error {
	return affected(t.exec(ctx, `UPDATE login_throttle SET locked_until = ? WHERE key = ?`, until.UTC(), key))
}

func (t *tx) ClearLoginThrottle(ctx context.Context, key string) error {
	_, err := t.exec(ctx, `DELETE FROM login_throttle WHERE key = ?`, key)
	return err
}

func (t *tx) DeleteStaleThrottles(ctx context.Context, now, windowStart time.Time) (int, error) {
	return count(t.exec(ctx, `DELETE FROM login_throttle WHERE window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)`,
		windowStart.UTC(), now.UTC()))
}

// --- pending sign-ins (migration 00014) -------------------------------------------

const pendingCols = `id, tenant_id, user_id, attempts, created_at, expires_at`

func (t *tx) InsertPendingLogin(ctx context.Context, p auth.PendingLogin) error {
	_, err := t.exec(ctx, `INSERT INTO pending_logins (`+pendingCols+`) VALUES (?,?,?,?,?,?)`,
		p.ID, p.TenantID, p.UserID, p.Attempts, p.CreatedAt.UTC(), p.ExpiresAt.UTC())
	return err
}

func (t *tx) PendingLoginByID(ctx context.Context, id string) (auth.PendingLogin, error) {
	var p auth.PendingLogin
	err := t.row(ctx, `SELECT `+pendingCols+` FROM pending_logins WHERE id = ?`, id).
		Scan(&p.ID, &p.TenantID, &p.UserID, &p.Attempts, &p.CreatedAt, &p.ExpiresAt)
	p.CreatedAt, p.ExpiresAt = p.CreatedAt.UTC(), p.ExpiresAt.UTC()
	return p, one(err)
}

func (t *tx) CountPendingLoginAttempt(ctx context.Context, id string, now time.Time, max int) error {
	// One conditional statement: parallel attempts on several nodes cannot
	// exceed max between them.
	return affected(t.exec(ctx, `UPDATE pending_logins SET attempts = attempts + 1 WHERE id = ? AND attempts < ? AND expires_at > ?`,
		id, max, now.UTC()))
}

func (t *tx) DeletePendingLogin(ctx context.Context, id string) error {
	return affected(t.exec(ctx, `DELETE FROM pending_logins WHERE id = ?`, id))
}

func (t *tx) DeleteExpiredPendingLogins(ctx context.Context, now time.Time) (int, error) {
	return count(t.exec(ctx, `DELETE FROM pending_logins WHERE expires_at <= ?`, now.UTC()))
}
