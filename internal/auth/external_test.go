package auth_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/records"
)

// Single sign-on provisioning (auth.ExternalLogin) on both backends; the
// browser flow against a real identity provider is in internal/web.

const issuer = "https://idp.land.example/realms/verwaltung"

type auditRow struct {
	tenantID, action, actorID, actor, objectID string
	changes                                    map[string]any
}

// auditRows returns the whole audit trail in order.
func (x *fx) auditRows() []auditRow {
	x.t.Helper()
	rows, err := x.DB.Writer().Query(`SELECT tenant_id, action, actor_id, actor, object_id, changes FROM audit_log ORDER BY id`)
	if err != nil {
		x.t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		var ch []byte
		if err := rows.Scan(&r.tenantID, &r.action, &r.actorID, &r.actor, &r.objectID, &ch); err != nil {
			x.t.Fatal(err)
		}
		if len(ch) > 0 {
			if err := json.Unmarshal(ch, &r.changes); err != nil {
				x.t.Fatalf("changes %s: %v", ch, err)
			}
		}
		out = append(out, r)
	}
	return out
}

// since returns the audit rows after the first n.
func since(rows []auditRow, n int) []auditRow { return rows[n:] }

func actions(rows []auditRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.actor+":"+r.action)
	}
	return out
}

func (x *fx) sso(id auth.ExternalIdentity, p auth.Provisioning, presented ...string) (auth.Started, error) {
	x.t.Helper()
	req := auth.ExternalLoginRequest{Identity: id, Provisioning: p, Address: here, UserAgent: "Testbrowser/1.0"}
	if len(presented) > 0 {
		req.Presented = presented[0]
	}
	st, err := x.a.ExternalLogin(context.Background(), req)
	if err == nil {
		x.secrets = append(x.secrets, st.Secret, st.Session.CSRF)
	}
	return st, err
}

func (x *fx) user(tenant, login string) records.User {
	x.t.Helper()
	us, err := x.Svc.GetUserAs(context.Background(), records.Principal{TenantCode: tenant, TenantID: x.tenantID(tenant), System: true}, login)
	if err != nil {
		x.t.Fatalf("user %s/%s: %v", tenant, login, err)
	}
	return us.User
}

func (x *fx) tenantID(code string) string {
	x.t.Helper()
	t, err := x.Svc.TenantByCode(context.Background(), code)
	if err != nil {
		x.t.Fatal(err)
	}
	return t.ID
}

func (x *fx) users(tenant string) []string {
	x.t.Helper()
	us, err := x.Svc.ListUsersAs(context.Background(), records.Principal{TenantCode: tenant, TenantID: x.tenantID(tenant), System: true})
	if err != nil {
		x.t.Fatal(err)
	}
	var out []string
	for _, u := range us {
		out = append(out, u.Login)
	}
	return out
}

// wantRefused: an Unauthorized error whose message contains part.
func wantRefused(t *testing.T, err error, part string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindUnauthorized || !strings.Contains(e.Message, part) {
		t.Fatalf("want refusal containing %q, got %v", part, err)
	}
}

var both = auth.Provisioning{AutoProvision: true, SyncRoles: true}

func TestExternalLoginProvisioning(t *testing.T) {
	forBackends(t, auth.Options{}, func(t *testing.T, x *fx) {
		ctx := context.Background()
		for _, k := range []string{"Z1", "Z2"} {
			if _, err := x.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: k, Name: "Referat " + k, Typ: "referat"}); err != nil {
				t.Fatal(err)
			}
		}
		maria := auth.ExternalIdentity{Issuer: issuer, Subject: "f3a1-maria", Tenant: "tfm", Login: "maria.muster", Name: "Maria Muster",
			Roles: []access.Role{access.RoleSachbearbeitung, access.RoleLeitung}, Units: []string{"Z1", "Z9", "Z2"}}

		// --- first sign-in creates the account ---------------------------------
		n0 := len(x.auditRows())
		st, err := x.sso(maria, both)
		if err != nil {
			t.Fatal(err)
		}
		if st.TenantCode != "TFM" || st.Login != "maria.muster" || st.Session.Method != auth.MethodOIDC {
			t.Fatalf("started %+v", st)
		}
		u := x.user("TFM", "maria.muster")
		if u.Kind != records.KindPerson || !u.Active || u.Name != "Maria Muster" ||
			!slices.Equal(u.Roles, []access.Role{access.RoleSachbearbeitung, access.RoleLeitung}) {
			t.Fatalf("created %+v", u)
		}
		ms, err := x.Svc.Memberships(ctx, "TFM", "maria.muster")
		if err != nil || len(ms) != 2 || ms[0].Position != auth.ExternalUnitPosition {
			t.Fatalf("memberships %+v %v", ms, err)
		}
		if !strings.Contains(x.log.String(), "Z9") {
			t.Fatalf("the unknown unit Z9 is not logged: %s", x.log.String())
		}
		_, p, err := x.authenticate(st.Secret)
		if err != nil || p.UserID != u.ID || len(p.Units) != 2 {
			t.Fatalf("session principal %+v %v", p, err)
		}
		got := since(x.auditRows(), n0)
		if want := []string{"oidc:user.create", "oidc:user.unit", "oidc:user.unit", "oidc:user.extern_verknuepft", "maria.muster:anmeldung"}; !slices.Equal(actions(got), want) {
			t.Fatalf("audit %v, want %v", actions(got), want)
		}
		if r := got[0]; r.actorID != "" || r.objectID != u.ID || r.tenantID != x.Anna.TenantID {
			t.Fatalf("user.create entry %+v", r)
		}
		if r := got[3]; r.changes["issuer"] != issuer || r.changes["subject"] != "f3a1-maria" {
			t.Fatalf("binding entry %+v", r)
		}
		if r := got[4]; r.changes["methode"] != "oidc" || r.changes["adresse"] != here || r.actorID != u.ID {
			t.Fatalf("sign-in entry %+v", r)
		}

		// --- second sign-in: the same account, found by the identity even
		// though the login claim changed; the old session ends (fixation)
		n0 = len(x.auditRows())
		renamed := maria
		renamed.Login = "maria.neu"
		st2, err := x.sso(renamed, both, st.Secret)
		if err != nil || st2.Login != "maria.muster" || st2.Session.UserID != u.ID {
			t.Fatalf("second sign-in %+v %v", st2, err)
		}
		if _, _, err := x.authenticate(st.Secret); err == nil {
			t.Fatal("the session presented at the sign-in is still valid")
		}
		if want := []string{"maria.muster:anmeldung"}; !slices.Equal(actions(since(x.auditRows(), n0)), want) {
			t.Fatalf("audit %v, want %v", actions(since(x.auditRows(), n0)), want)
		}
		if us := x.users("TFM"); slices.Contains(us, "maria.neu") {
			t.Fatalf("a second account was created: %v", us)
		}

		// --- role sync: replaced when the provider sends roles, audited -------
		n0 = len(x.auditRows())
		promoted := maria
		promoted.Roles = []access.Role{access.RoleAdmin}
		if _, err := x.sso(promoted, both); err != nil {
			t.Fatal(err)
		}
		if u := x.user("TFM", "maria.muster"); !slices.Equal(u.Roles, []access.Role{access.RoleAdmin}) {
			t.Fatalf("roles after sync %v", u.Roles)
		}
		got = since(x.auditRows(), n0)
		if want := []string{"oidc:user.update", "maria.muster:anmeldung"}; !slices.Equal(actions(got), want) {
			t.Fatalf("audit %v, want %v", actions(got), want)
		}
		ch, _ := got[0].changes["rollen"].(map[string]any)
		if b, _ := json.Marshal(ch); string(b) != `{"after":["admin"],"before":["sachbearbeitung","leitung"]}` {
			t.Fatalf("role change %s", b)
		}
		// no mapped roles: the account keeps its roles; without SyncRoles too
		none := maria
		none.Roles = nil
		n0 = len(x.auditRows())
		if _, err := x.sso(none, both); err != nil {
			t.Fatal(err)
		}
		if _, err := x.sso(maria, auth.Provisioning{AutoProvision: true}); err != nil {
			t.Fatal(err)
		}
		if u := x.user("TFM", "maria.muster"); !slices.Equal(u.Roles, []access.Role{access.RoleAdmin}) {
			t.Fatalf("roles changed without sync: %v", u.Roles)
		}
		if want := []string{"maria.muster:anmeldung", "maria.muster:anmeldung"}; !slices.Equal(actions(since(x.auditRows(), n0)), want) {
			t.Fatalf("audit %v, want %v", actions(since(x.auditRows(), n0)), want)
		}

		// --- an existing account is bound by its login -------------------------
		bernd := auth.ExternalIdentity{Issuer: issuer, Subject: "77-bernd", Tenant: "TFM", Login: "bernd", Name: "Bernd B."}
		n0 = len(x.auditRows())
		st, err = x.sso(bernd, both)
		if err != nil || st.Session.UserID != x.Bernd.UserID {
			t.Fatalf("bernd %+v %v", st, err)
		}
		if want := []string{"oidc:user.extern_verknuepft", "bernd:anmeldung"}; !slices.Equal(actions(since(x.auditRows(), n0)), want) {
			t.Fatalf("audit %v, want %v", actions(since(x.auditRows(), n0)), want)
		}
		// his password still works, and a password lockout does not stop SSO
		x.mustLogin("TFM", "bernd", berndPW)
		for range 5 {
			x.login("TFM", "bernd", "Falsches-Passwort-9")
		}
		if _, err := x.sso(bernd, both); err != nil {
			t.Fatalf("SSO during a password lockout: %v", err)
		}

		// --- refusals: nothing is created, the attempt is audited -----------
		refused := func(id auth.ExternalIdentity, p auth.Provisioning, part, reason, objectID string) {
			t.Helper()
			before := x.users("TFM")
			n0 := len(x.auditRows())
			_, err := x.sso(id, p)
			wantRefused(t, err, part)
			if after := x.users("TFM"); !slices.Equal(before, after) {
				t.Fatalf("accounts changed by a refused sign-in: %v → %v", before, after)
			}
			got := since(x.auditRows(), n0)
			if len(got) != 1 || got[0].action != "anmeldung.fehlgeschlagen" || got[0].actorID != "" || got[0].objectID != objectID ||
				got[0].changes["grund"] != reason || got[0].changes["methode"] != "oidc" || got[0].changes["login"] != id.Login {
				t.Fatalf("audit after refusal %q: %+v", reason, got)
			}
		}
		// another identity with bernd's login: his account is bound already
		refused(auth.ExternalIdentity{Issuer: issuer, Subject: "66-impostor", Tenant: "TFM", Login: "bernd"}, both,
			"bereits mit einem anderen Landes-Login verknüpft", "anders_verknuepft", x.Bernd.UserID)
		// the same identity at another issuer is another identity
		refused(auth.ExternalIdentity{Issuer: "https://idp.other.example", Subject: "77-bernd", Tenant: "TFM", Login: "bernd"}, both,
			"bereits mit einem anderen Landes-Login verknüpft", "anders_verknuepft", x.Bernd.UserID)
		// without automatic provisioning an unknown person is refused
		refused(auth.ExternalIdentity{Issuer: issuer, Subject: "55-neu", Tenant: "TFM", Login: "neu"}, auth.Provisioning{SyncRoles: true},
			"kein Konto eingerichtet", "unbekanntes_konto", "")
		// a deactivated account: by login and by identity
		if _, err := x.Svc.CreateUser(ctx, "TFM", "dora", "Dora", nil); err != nil {
			t.Fatal(err)
		}
		dora := x.user("TFM", "dora")
		if err := x.Svc.SetUserActive(ctx, "TFM", "dora", false); err != nil {
			t.Fatal(err)
		}
		refused(auth.ExternalIdentity{Issuer: issuer, Subject: "44-dora", Tenant: "TFM", Login: "dora"}, both, "deaktiviert", "deaktiviert", dora.ID)
		if err := x.Svc.SetUserActive(ctx, "TFM", "maria.muster", false); err != nil {
			t.Fatal(err)
		}
		refused(maria, both, "deaktiviert", "deaktiviert", u.ID)
		// a Dienstkonto never signs in interactively
		scan, err := x.Svc.CreateServiceAccount(ctx, "TFM", records.NewUser{Login: "poststelle.scan", Name: "Scanstraße"})
		if err != nil {
			t.Fatal(err)
		}
		refused(auth.ExternalIdentity{Issuer: issuer, Subject: "33-scan", Tenant: "TFM", Login: "poststelle.scan"}, both, "Dienstkonto", "dienstkonto", scan.ID)
		// bernd's identity claiming another tenant
		n0 = len(x.auditRows())
		_, err = x.sso(auth.ExternalIdentity{Issuer: issuer, Subject: "77-bernd", Tenant: "TSK", Login: "bernd"}, both)
		wantRefused(t, err, "anderen Mandanten")
		if got := since(x.auditRows(), n0); len(got) != 1 || got[0].tenantID != x.Carla.TenantID || got[0].objectID != "" || got[0].changes["grund"] != "anderer_mandant" {
			t.Fatalf("audit %+v", got)
		}
		if us := x.users("TSK"); slices.Contains(us, "bernd") {
			t.Fatalf("account created in TSK: %v", us)
		}
		// an unknown tenant has no audit chain: nothing is written, one log line
		n0 = len(x.auditRows())
		_, err = x.sso(auth.ExternalIdentity{Issuer: issuer, Subject: "22-tom", Tenant: "txx", Login: "tom"}, both)
		wantRefused(t, err, "Mandant „TXX“ ist unbekannt")
		if got := since(x.auditRows(), n0); len(got) != 0 {
			t.Fatalf("audited for an unknown tenant: %+v", got)
		}
		if !strings.Contains(x.log.String(), "grund=unbekannter_mandant") {
			t.Fatalf("unknown tenant not logged: %s", x.log.String())
		}
		// incomplete identities
		for _, id := range []auth.ExternalIdentity{
			{Issuer: issuer, Tenant: "TFM", Login: "ohne.sub"},
			{Subject: "x", Tenant: "TFM", Login: "ohne.issuer"},
			{Issuer: issuer, Subject: "x", Tenant: "TFM", Login: "Kein Login"},
		} {
			_, err := x.sso(id, both)
			wantRefused(t, err, "unvollständig oder ungültig")
		}

		// hostile values from the provider end as refusals or are cleaned,
		// never as database errors
		_, err = x.sso(auth.ExternalIdentity{Issuer: issuer, Subject: "11-nul", Tenant: "TFM\x00", Login: "nul"}, both)
		wantRefused(t, err, "ist unbekannt")
		_, err = x.sso(auth.ExternalIdentity{Issuer: issuer, Subject: "11-nul\x00", Tenant: "TFM", Login: "nul"}, both)
		wantRefused(t, err, "unvollständig oder ungültig")
		if _, err := x.sso(auth.ExternalIdentity{Issuer: issuer, Subject: "11-eve", Tenant: "TFM", Login: "eve",
			Name: "Eve\x00\x07 Evil\xff", Units: []string{"Z1\x00", strings.Repeat("Z", 300), "Z1"}}, both); err != nil {
			t.Fatal(err)
		}
		if u := x.user("TFM", "eve"); u.Name != "Eve Evil" {
			t.Fatalf("name %q", u.Name)
		}
		if ms, err := x.Svc.Memberships(ctx, "TFM", "eve"); err != nil || len(ms) != 1 || ms[0].Kennung != "Z1" {
			t.Fatalf("memberships %+v %v", ms, err)
		}

		x.Chain(t)
		if rep, err := x.Svc.VerifyAudit(ctx); err != nil || len(rep.Breaks) != 0 {
			t.Fatalf("audit chain: %v %+v", err, rep)
		}
		x.checkNoSecrets()
	})
}

// Parallel first sign-ins of one person create one account; every sign-in
// succeeds.
func TestExternalLoginParallelFirstSignIn(t *testing.T) {
	forBackends(t, auth.Options{}, func(t *testing.T, x *fx) {
		id := auth.ExternalIdentity{Issuer: issuer, Subject: "parallel-1", Tenant: "TFM", Login: "paula", Name: "Paula"}
		bind := auth.ExternalIdentity{Issuer: issuer, Subject: "parallel-2", Tenant: "TFM", Login: "bernd", Name: "Bernd"}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Go(func() {
				who := id
				if i%2 == 1 {
					who = bind
				}
				_, err := x.a.ExternalLogin(context.Background(), auth.ExternalLoginRequest{Identity: who, Provisioning: both, Address: here})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("parallel sign-in: %v", err)
			}
		}
		var creates, binds int
		for _, r := range x.auditRows() {
			switch r.action {
			case "user.create":
				if r.changes["login"] == "paula" {
					creates++
				}
			case "user.extern_verknuepft":
				binds++
			}
		}
		if creates != 1 || binds != 2 {
			t.Fatalf("%d accounts created for paula, %d bindings; want 1 and 2", creates, binds)
		}
	})
}
