package auth_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/records"
)

// An administrator resets a colleague's lost second factor: the account
// signs in with the password alone and enrols again; its sessions end; the
// reset is audited with the administrator as actor. Nobody else may, and
// not for oneself, a Dienstkonto, another tenant's account or an account
// without a second factor.
func TestResetSecondFactorAs(t *testing.T) {
	forBackends(t, auth.Options{}, func(t *testing.T, x *fx) {
		ctx := context.Background()
		// bernd enrols a second factor
		sb := x.mustLogin("TFM", "bernd", berndPW)
		_, pb, err := x.authenticate(sb.Secret)
		if err != nil {
			t.Fatal(err)
		}
		e, err := x.a.BeginTOTP(ctx, pb)
		if err != nil {
			t.Fatal(err)
		}
		x.secrets = append(x.secrets, e.Secret)
		c, _ := totp.GenerateCode(e.Secret, x.Clock.Now())
		codes, err := x.a.ConfirmTOTP(ctx, pb, c)
		if err != nil {
			t.Fatal(err)
		}
		x.secrets = append(x.secrets, codes...)
		x.Clock.Advance(30 * time.Second)
		c, _ = totp.GenerateCode(e.Secret, x.Clock.Now())
		sb2 := x.mustLogin("TFM", "bernd", berndPW, withTOTP(c))
		if err := errOf(x.login("TFM", "bernd", berndPW)); err != auth.ErrTOTPRequired {
			t.Fatalf("before the reset, without code: %v", err)
		}

		sa := x.mustLogin("TFM", "anna", annaPW)
		_, pa, err := x.authenticate(sa.Secret)
		if err != nil {
			t.Fatal(err)
		}
		// refused: not an administrator, a deputy, a read-only token,
		// oneself, another tenant's account, unknown login
		_, err = x.a.ResetSecondFactorAs(ctx, pb, "anna", here)
		wantField(t, err, apperr.KindForbidden, "")
		deputy := pa
		deputy.Deputy = &access.Deputy{UserID: pb.UserID, Login: "bernd"}
		_, err = x.a.ResetSecondFactorAs(ctx, deputy, "bernd", here)
		wantField(t, err, apperr.KindForbidden, "")
		readOnly := pa
		readOnly.Scopes = []access.Scope{access.ScopeRead}
		_, err = x.a.ResetSecondFactorAs(ctx, readOnly, "bernd", here)
		wantField(t, err, apperr.KindForbidden, "")
		_, err = x.a.ResetSecondFactorAs(ctx, pa, "anna", here)
		wantField(t, err, apperr.KindConflict, "")
		_, err = x.a.ResetSecondFactorAs(ctx, pa, "carla", here)
		wantField(t, err, apperr.KindNotFound, "")
		_, err = x.a.ResetSecondFactorAs(ctx, x.Carla, "bernd", here) // TSK's registratur, not admin
		wantField(t, err, apperr.KindForbidden, "")
		if err := errOf(x.login("TFM", "bernd", berndPW)); err != auth.ErrTOTPRequired {
			t.Fatalf("a refused reset changed something: %v", err)
		}
		if _, _, err := x.authenticate(sb2.Secret); err != nil {
			t.Fatalf("a refused reset ended a session: %v", err)
		}

		ended, err := x.a.ResetSecondFactorAs(ctx, pa, "bernd", here)
		if err != nil {
			t.Fatal(err)
		}
		if ended != 2 {
			t.Errorf("ended %d sessions, want 2", ended)
		}
		for _, s := range []string{sb.Secret, sb2.Secret} {
			if _, _, err := x.authenticate(s); err == nil {
				t.Error("a session of bernd survived the reset")
			}
		}
		if _, _, err := x.authenticate(sa.Secret); err != nil {
			t.Errorf("the admin's own session ended: %v", err)
		}
		// password alone again, and a fresh enrolment
		sb3 := x.mustLogin("TFM", "bernd", berndPW)
		_, pb3, err := x.authenticate(sb3.Secret)
		if err != nil {
			t.Fatal(err)
		}
		sf, err := x.a.SecondFactorOf(ctx, pb3)
		if err != nil || sf.Enabled || sf.Pending != nil {
			t.Fatalf("after the reset: %+v %v", sf, err)
		}
		e2, err := x.a.BeginTOTP(ctx, pb3)
		if err != nil {
			t.Fatal(err)
		}
		x.secrets = append(x.secrets, e2.Secret)
		if e2.Secret == e.Secret {
			t.Error("the new enrolment reuses the old key")
		}
		// the recovery codes of the old factor are gone
		var left int
		if err := x.DB.Writer().QueryRow(`SELECT COUNT(*) FROM recovery_codes WHERE user_id = '` + pb.UserID + `'`).Scan(&left); err != nil || left != 0 {
			t.Fatalf("recovery codes left after the reset: %d %v", left, err)
		}

		// nothing left to reset (the enrolment begun counts as something)
		if _, err := x.a.ResetSecondFactorAs(ctx, pa, "bernd", here); err != nil {
			t.Fatalf("reset of a pending enrolment: %v", err)
		}
		_, err = x.a.ResetSecondFactorAs(ctx, pa, "bernd", here)
		wantField(t, err, apperr.KindConflict, "")

		// a Dienstkonto has no second factor
		if _, err := x.Svc.CreateUserAs(ctx, pa, records.NewUser{Login: "scanner", Name: "Scanner", Kind: records.KindService}); err != nil {
			t.Fatal(err)
		}
		_, err = x.a.ResetSecondFactorAs(ctx, pa, "scanner", here)
		wantField(t, err, apperr.KindConflict, "")

		// audited: two resets by anna, in TFM's chain
		var n int
		var changes string
		if err := x.DB.Writer().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'totp.zurueckgesetzt' AND actor = 'anna' AND object_id = '` +
			pb.UserID + `'`).Scan(&n); err != nil || n != 2 {
			t.Fatalf("audit entries %d %v", n, err)
		}
		if err := x.DB.Writer().QueryRow(`SELECT changes FROM audit_log WHERE action = 'totp.zurueckgesetzt' ORDER BY id LIMIT 1`).Scan(&changes); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(changes), &m); err != nil || m["war_eingerichtet"] != true || m["beendete_sitzungen"] != float64(2) || m["login"] != "bernd" {
			t.Errorf("audit changes %s (%v)", changes, err)
		}
		x.checkNoSecrets()
	})
}
