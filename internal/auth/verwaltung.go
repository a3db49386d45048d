package auth

import (
	"bytes"
	"context"
	"encoding/base32"
	"image/png"
	"strings"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// What the web application's profile and administration pages need beyond
// the API's account calls (account.go): the state of one's own second
// factor (the profile page shows "einrichten" or "entfernen", and an
// enrolment begun but not confirmed again), and a password reset by an
// administrator of the tenant.

// SecondFactor is the state of a user's TOTP.
type SecondFactor struct {
	Enabled bool
	// Pending is an enrolment begun with BeginTOTP and not yet confirmed
	// (secret, otpauth URL and QR code again); nil when there is none.
	Pending *Enrolment
	// RecoveryCodesLeft counts the unused recovery codes (when Enabled).
	RecoveryCodesLeft int
}

// SecondFactorOf returns the caller's own second-factor state. Like the
// other account calls it is for the person at the keyboard only.
func (s *Service) SecondFactorOf(ctx context.Context, p records.Principal) (SecondFactor, error) {
	if p.Deputy != nil {
		return SecondFactor{}, apperr.Forbidden("Das eigene Konto lässt sich nicht in Vertretung verwalten")
	}
	var out SecondFactor
	err := s.read(ctx, func(tx Tx) error {
		a, err := self(ctx, tx, p)
		if err != nil {
			return err
		}
		if a.creds.TOTPEnabled {
			out.Enabled = true
			out.RecoveryCodesLeft, err = tx.UnusedRecoveryCodes(ctx, a.user.ID)
			return err
		}
		if a.creds.TOTPSecret != "" {
			e, err := enrolmentOf(s.o.Issuer, a.user.Login+"@"+a.tenant.Code, a.creds.TOTPSecret)
			if err != nil {
				return err
			}
			out.Pending = &e
		}
		return nil
	})
	return out, err
}

// enrolmentOf rebuilds the otpauth URL and QR code of a stored secret.
func enrolmentOf(issuer, account, secret string) (Enrolment, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil {
		return Enrolment{}, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		Digits: totpDigits, Algorithm: otp.AlgorithmSHA1, Secret: raw})
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return Enrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// ResetPasswordAs gives an account of p's tenant a new generated password
// (administrator action: first password, forgotten password), ends the
// account's sessions and lifts its lockout. The password is returned once
// and never stored in plain text; the admin hands it over, the user
// changes it on the profile page. One's own password is changed with the
// current one (ChangePassword), not reset.
func (s *Service) ResetPasswordAs(ctx context.Context, p records.Principal, login, address string) (password string, ended int, err error) {
	if !access.Can(p, access.ManageUsers) {
		return "", 0, apperr.Forbidden("Keine Berechtigung: %s", access.ManageUsers.Label())
	}
	password = GeneratePassword()
	hash, err := s.hash.hash(ctx, password)
	if err != nil {
		return "", 0, err
	}
	err = s.write(ctx, func(tx Tx) error {
		t, u, err := otherPerson(ctx, tx, p, login, "Ihr eigenes Passwort ändern Sie im Profil (mit dem bisherigen Passwort)")
		if err != nil {
			return err
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
		return s.svc.Audit(ctx, tx, p, "passwort.zurueckgesetzt", "user", u.ID,
			map[string]any{"login": u.Login, "beendete_sitzungen": ended, "adresse": address})
	})
	if err != nil {
		return "", 0, err
	}
	return password, ended, nil
}

// ResetSecondFactorAs removes the second factor (TOTP key, a pending
// enrolment and the recovery codes) of an account of p's tenant: the
// administrator's answer to a lost phone with lost recovery codes. The
// account's sessions end, so that it signs in again with the password
// alone and enrols anew on its profile page. Like ResetPasswordAs it needs
// access.ManageUsers (never in Vertretung), refuses one's own account (the
// profile removes one's own factor with a code) and Dienstkonten, and is
// audited as totp.zurueckgesetzt with the administrator as actor. An
// account without a second factor is a conflict: nothing to reset.
func (s *Service) ResetSecondFactorAs(ctx context.Context, p records.Principal, login, address string) (ended int, err error) {
	if !access.Can(p, access.ManageUsers) {
		return 0, apperr.Forbidden("Keine Berechtigung: %s", access.ManageUsers.Label())
	}
	err = s.write(ctx, func(tx Tx) error {
		t, u, err := otherPerson(ctx, tx, p, login, "Ihren eigenen zweiten Faktor verwalten Sie im Profil (mit einem Code oder Wiederherstellungscode)")
		if err != nil {
			return err
		}
		c, err := tx.Credentials(ctx, t.ID, u.ID)
		if err != nil {
			return err
		}
		if !c.TOTPEnabled && c.TOTPSecret == "" {
			return apperr.Conflict("%s hat keinen zweiten Faktor eingerichtet; es gibt nichts zurückzusetzen", u.Login)
		}
		if err := tx.SetTOTP(ctx, t.ID, u.ID, "", false); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, nil); err != nil {
			return err
		}
		if ended, err = tx.DeleteUserSessions(ctx, t.ID, u.ID); err != nil {
			return err
		}
		return s.svc.Audit(ctx, tx, p, "totp.zurueckgesetzt", "user", u.ID, map[string]any{"login": u.Login,
			"war_eingerichtet": c.TOTPEnabled, "beendete_sitzungen": ended, "adresse": address})
	})
	return ended, err
}

// otherPerson finds the person account login of p's tenant for an
// administrator's reset: not p's own account (self names where p does it
// instead), not a Dienstkonto.
func otherPerson(ctx context.Context, tx Tx, p records.Principal, login, self string) (records.Tenant, records.User, error) {
	t, err := tx.TenantByID(ctx, p.TenantID)
	if err != nil {
		return t, records.User{}, err
	}
	u, err := tx.UserByLogin(ctx, t.ID, login)
	if err != nil {
		return t, u, notFound(err, "Benutzer "+login)
	}
	if u.ID == p.ActorID() {
		return t, u, apperr.Conflict("%s", self)
	}
	if u.Kind == records.KindService {
		return t, u, errNotPerson
	}
	return t, u, nil
}
