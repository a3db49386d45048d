package auth

import (
	"context"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// ChangePassword replaces the caller's password after checking the current
// one, and ends all of the user's sessions (the current one included). A
// wrong current password counts as a failed sign-in, so a stolen session
// cannot be used to guess it.
func (s *Service) ChangePassword(ctx context.Context, p records.Principal, current, next, address string) (ended int, err error) {
	if err := CheckPasswordPolicy("neu", next, p.Login); err != nil {
		return 0, err
	}
	if next == current {
		return 0, apperr.Invalid("neu", "muss sich vom bisherigen Passwort unterscheiden")
	}
	now := s.now()
	var a attempt
	err = s.read(ctx, func(tx Tx) error {
		var err error
		if a, err = self(ctx, tx, p); err != nil {
			return err
		}
		a.address, a.failAction = address, "passwort.fehlgeschlagen"
		return s.checkNotLocked(ctx, tx, a, now)
	})
	if err != nil {
		return 0, err
	}
	if a.user.Kind == records.KindService {
		return 0, errNotPerson
	}
	if a.creds.PasswordHash == "" {
		return 0, apperr.Invalid("bisher", "Für dieses Konto ist noch kein Passwort gesetzt; der Betrieb setzt es mit „aktenwerk user password“")
	}
	ok, _, err := s.hash.verify(ctx, current, a.creds.PasswordHash)
	if err != nil {
		return 0, err
	}
	if !ok {
		if err := s.recordFailure(ctx, a, "falsches_passwort", now); err != nil {
			return 0, err
		}
		return 0, apperr.Invalid("bisher", "ist nicht das aktuelle Passwort")
	}
	hash, err := s.hash.hash(ctx, next)
	if err != nil {
		return 0, err
	}
	err = s.write(ctx, func(tx Tx) (err error) {
		if err := tx.SetPasswordHash(ctx, p.TenantID, p.UserID, hash); err != nil {
			return err
		}
		if ended, err = tx.DeleteUserSessions(ctx, p.TenantID, p.UserID); err != nil {
			return err
		}
		if err := tx.ClearLoginThrottle(ctx, a.accountKey()); err != nil {
			return err
		}
		return s.svc.Audit(ctx, tx, p, "passwort.geaendert", "user", p.UserID, map[string]any{"beendete_sitzungen": ended, "adresse": address})
	})
	return ended, err
}

// BeginTOTP starts the enrolment of an authenticator app: a new secret is
// stored, not yet in force, until ConfirmTOTP sees a code made from it.
func (s *Service) BeginTOTP(ctx context.Context, p records.Principal) (Enrolment, error) {
	var e Enrolment
	err := s.write(ctx, func(tx Tx) error {
		a, err := self(ctx, tx, p)
		if err != nil {
			return err
		}
		if a.user.Kind == records.KindService {
			return errNotPerson
		}
		if a.creds.TOTPEnabled {
			return apperr.Conflict("Ein zweiter Faktor ist bereits eingerichtet; zum Neueinrichten zuerst entfernen")
		}
		if e, err = newEnrolment(s.o.Issuer, a.user.Login+"@"+a.tenant.Code); err != nil {
			return err
		}
		return tx.SetTOTP(ctx, p.TenantID, p.UserID, e.Secret, false)
	})
	return e, err
}

// ConfirmTOTP puts the enrolled secret in force when code was made from it,
// and returns the new recovery codes (shown once; only hashes are stored).
func (s *Service) ConfirmTOTP(ctx context.Context, p records.Principal, code string) ([]string, error) {
	now := s.now()
	codes := newRecoveryCodes(RecoveryCodes)
	err := s.write(ctx, func(tx Tx) error {
		a, err := self(ctx, tx, p)
		if err != nil {
			return err
		}
		switch {
		case a.user.Kind == records.KindService:
			return errNotPerson
		case a.creds.TOTPEnabled:
			return apperr.Conflict("Ein zweiter Faktor ist bereits eingerichtet")
		case a.creds.TOTPSecret == "":
			return apperr.Conflict("Keine Einrichtung begonnen: zuerst POST /api/v1/ich/totp")
		}
		step, ok := matchTOTP(a.creds.TOTPSecret, code, now)
		if !ok {
			return apperr.Invalid("code", "Code stimmt nicht – Uhrzeit des Telefons prüfen und den aktuellen Code eingeben")
		}
		if err := tx.SetTOTP(ctx, p.TenantID, p.UserID, a.creds.TOTPSecret, true); err != nil {
			return err
		}
		// the confirmation code cannot be replayed for a sign-in
		if err := tx.UseTOTPStep(ctx, p.TenantID, p.UserID, step); err != nil {
			return err
		}
		hashes := make([]string, len(codes))
		for i, c := range codes {
			hashes[i] = hashRecoveryCode(p.UserID, c)
		}
		if err := tx.ReplaceRecoveryCodes(ctx, p.UserID, hashes); err != nil {
			return err
		}
		return s.svc.Audit(ctx, tx, p, "totp.eingerichtet", "user", p.UserID, map[string]any{"wiederherstellungscodes": len(codes)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTOTP removes the second factor; it takes a current TOTP code or an
// unused recovery code. Wrong codes count as failed sign-ins.
func (s *Service) DisableTOTP(ctx context.Context, p records.Principal, code, address string) error {
	now := s.now()
	var a attempt
	bad := false
	err := s.write(ctx, func(tx Tx) error {
		bad = false
		var err error
		if a, err = self(ctx, tx, p); err != nil {
			return err
		}
		a.address, a.failAction = address, "totp.entfernen.fehlgeschlagen"
		if err := s.checkNotLocked(ctx, tx, a, now); err != nil {
			return err
		}
		if a.user.Kind == records.KindService {
			return errNotPerson
		}
		if !a.creds.TOTPEnabled {
			return apperr.Conflict("Es ist kein zweiter Faktor eingerichtet")
		}
		proof := "totp"
		if looksLikeRecoveryCode(code) {
			proof = "wiederherstellungscode"
			if err := tx.UseRecoveryCode(ctx, p.UserID, hashRecoveryCode(p.UserID, code), now); isNoRows(err) {
				bad = true
				return nil
			} else if err != nil {
				return err
			}
		} else {
			step, ok := matchTOTP(a.creds.TOTPSecret, code, now)
			if !ok {
				bad = true
				return nil
			}
			if err := tx.UseTOTPStep(ctx, p.TenantID, p.UserID, step); isNoRows(err) {
				bad = true
				return nil
			} else if err != nil {
				return err
			}
		}
		if err := tx.SetTOTP(ctx, p.TenantID, p.UserID, "", false); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, p.UserID, nil); err != nil {
			return err
		}
		return s.svc.Audit(ctx, tx, p, "totp.entfernt", "user", p.UserID, map[string]any{"nachweis": proof})
	})
	if err != nil {
		return err
	}
	if bad {
		if err := s.recordFailure(ctx, a, "code_falsch", now); err != nil {
			return err
		}
		return apperr.Invalid("code", "Code stimmt nicht")
	}
	return nil
}

// ---------------------------------------------------------------------------
// Operator actions (CLI)

// operator loads a tenant and one of its users for an operator action.
func operator(ctx context.Context, tx Tx, tenantCode, login string) (records.Tenant, records.User, error) {
	t, err := tx.TenantByCode(ctx, tenantCode)
	if err != nil {
		return t, records.User{}, notFound(err, "Mandant "+tenantCode)
	}
	u, err := tx.UserByLogin(ctx, t.ID, login)
	return t, u, notFound(err, "Benutzer "+login)
}

func system(t records.Tenant) records.Principal {
	return records.Principal{TenantID: t.ID, TenantCode: t.Code, System: true}
}

// SetPassword sets a user's password (operator action: first password,
// forgotten password). It ends the user's sessions and lifts a lockout.
func (s *Service) SetPassword(ctx context.Context, tenantCode, login, password string) (ended int, err error) {
	if err := CheckPasswordPolicy("passwort", password, login); err != nil {
		return 0, err
	}
	hash, err := s.hash.hash(ctx, password)
	if err != nil {
		return 0, err
	}
	err = s.write(ctx, func(tx Tx) error {
		t, u, err := operator(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		if u.Kind == records.KindService {
			return errNotPerson
		}
		if err := tx.SetPasswordHash(ctx, t.ID, u.ID, hash); err != nil {
			return err
		}
		if ended, err = tx.DeleteUserSessions(ctx, t.ID, u.ID); err != nil {
			return err
		}
		if err := tx.ClearLoginThrottle(ctx, accountKey(t.Code, u.Login)); err != nil {
			return err
		}
		return s.svc.Audit(ctx, tx, system(t), "passwort.gesetzt", "user", u.ID, map[string]any{"login": u.Login, "beendete_sitzungen": ended})
	})
	return ended, err
}

// ResetTOTP removes a user's second factor and recovery codes (operator
// action: lost phone and lost codes).
func (s *Service) ResetTOTP(ctx context.Context, tenantCode, login string) error {
	return s.write(ctx, func(tx Tx) error {
		t, u, err := operator(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		c, err := tx.Credentials(ctx, t.ID, u.ID)
		if err != nil {
			return err
		}
		if err := tx.SetTOTP(ctx, t.ID, u.ID, "", false); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, nil); err != nil {
			return err
		}
		return s.svc.Audit(ctx, tx, system(t), "totp.zurueckgesetzt", "user", u.ID, map[string]any{"login": u.Login, "war_eingerichtet": c.TOTPEnabled})
	})
}

// EndSessions ends all sessions of a user (operator action).
func (s *Service) EndSessions(ctx context.Context, tenantCode, login string) (ended int, err error) {
	err = s.write(ctx, func(tx Tx) error {
		t, u, err := operator(ctx, tx, tenantCode, login)
		if err != nil {
			return err
		}
		if ended, err = tx.DeleteUserSessions(ctx, t.ID, u.ID); err != nil {
			return err
		}
		return s.svc.Audit(ctx, tx, system(t), "abmeldung.ueberall", "user", u.ID, map[string]any{"login": u.Login, "beendete_sitzungen": ended})
	})
	return ended, err
}
