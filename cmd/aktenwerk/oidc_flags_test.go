package main

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"aktenwerk/internal/auth/oidc/oidctest"
	"aktenwerk/internal/web"
)

var oidcEnvVars = []string{"AKTENWERK_OIDC_ISSUER", "AKTENWERK_OIDC_CLIENT_ID", "AKTENWERK_OIDC_REDIRECT_URL",
	"AKTENWERK_OIDC_CLIENT_SECRET", "AKTENWERK_OIDC_CLIENT_SECRET_FILE", "AKTENWERK_OIDC_STATE_KEY_FILE", "AKTENWERK_OIDC_SCOPES",
	"AKTENWERK_OIDC_CLAIM_TENANT", "AKTENWERK_OIDC_CLAIM_LOGIN", "AKTENWERK_OIDC_CLAIM_NAME", "AKTENWERK_OIDC_CLAIM_ROLES",
	"AKTENWERK_OIDC_CLAIM_UNITS", "AKTENWERK_OIDC_ROLE_MAP", "AKTENWERK_OIDC_DEFAULT_TENANT", "AKTENWERK_OIDC_AUTO_PROVISION",
	"AKTENWERK_OIDC_SYNC_ROLES"}

// parseOIDCFlags runs the --oidc-* flags of serve with exactly env set.
func parseOIDCFlags(t *testing.T, env map[string]string, args ...string) (*web.OIDCOptions, error) {
	t.Helper()
	for _, k := range oidcEnvVars {
		t.Setenv(k, env[k])
	}
	fs := newFlags("serve", "")
	fs.SetOutput(io.Discard)
	o, err := oidcFlags(fs)
	if err != nil {
		return nil, err
	}
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	return o.options()
}

func wantFlagError(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one naming %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error %q does not name %q", err, p)
		}
	}
}

func TestOIDCFlags(t *testing.T) {
	const secret = "ein-client-secret-0123456789"
	base := []string{"--oidc-issuer", "https://idp.land.example/realms/verwaltung", "--oidc-client-id", "aktenwerk",
		"--oidc-redirect-url", "https://akten.land.example" + web.OIDCCallbackPath}
	withSecret := map[string]string{"AKTENWERK_OIDC_CLIENT_SECRET": secret}

	t.Run("off without issuer", func(t *testing.T) {
		o, err := parseOIDCFlags(t, nil)
		if o != nil || err != nil {
			t.Fatalf("%+v %v", o, err)
		}
		_, err = parseOIDCFlags(t, nil, "--oidc-client-id", "aktenwerk", "--oidc-sync-roles=false")
		wantFlagError(t, err, "--oidc-client-id", "--oidc-sync-roles", "ohne --oidc-issuer")
	})

	t.Run("everything from flags and environment", func(t *testing.T) {
		env := map[string]string{"AKTENWERK_OIDC_CLIENT_SECRET": secret, "AKTENWERK_OIDC_ROLE_MAP": "AW-Admins=admin",
			"AKTENWERK_OIDC_AUTO_PROVISION": "false", "AKTENWERK_OIDC_CLAIM_UNITS": "dienststellen"}
		o, err := parseOIDCFlags(t, env, append(base, "--oidc-role-map", " AW-Leitung=leitung, AW-Leitung=sachbearbeitung,AW-SB=sachbearbeitung",
			"--oidc-scopes", "openid,profile groups", "--oidc-claim-roles", "realm_access.roles", "--oidc-claim-tenant", "behoerde",
			"--oidc-default-tenant", "lv")...)
		if err != nil {
			t.Fatal(err)
		}
		c := o.Config
		if c.ClientSecret != secret || c.Issuer != "https://idp.land.example/realms/verwaltung" || c.ClientID != "aktenwerk" ||
			!reflect.DeepEqual(c.Scopes, []string{"openid", "profile", "groups"}) || c.ClaimRoles != "realm_access.roles" ||
			c.ClaimTenant != "behoerde" || c.ClaimUnits != "dienststellen" || c.ClaimLogin != "preferred_username" || c.DefaultTenant != "LV" {
			t.Fatalf("config %+v", c)
		}
		// the flag replaces the role map from the environment
		want := map[string][]string{"AW-Leitung": {"leitung", "sachbearbeitung"}, "AW-SB": {"sachbearbeitung"}}
		if !reflect.DeepEqual(c.RoleMap, want) {
			t.Fatalf("role map %v", c.RoleMap)
		}
		if !o.NoAutoProvision || o.NoRoleSync {
			t.Fatalf("provisioning %+v", o)
		}
		o, err = parseOIDCFlags(t, env, base...)
		if err != nil || !reflect.DeepEqual(o.Config.RoleMap, map[string][]string{"AW-Admins": {"admin"}}) || o.Config.ClaimRoles != "roles" {
			t.Fatalf("from the environment: %+v %v", o, err)
		}
	})

	t.Run("client secret from a file, never from a flag", func(t *testing.T) {
		dir := t.TempDir()
		f := filepath.Join(dir, "secret")
		if err := os.WriteFile(f, []byte(secret+"\r\nzweite Zeile\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		o, err := parseOIDCFlags(t, nil, append(base, "--oidc-client-secret-file", f)...)
		if err != nil || o.Config.ClientSecret != secret {
			t.Fatalf("%+v %v", o, err)
		}
		_, err = parseOIDCFlags(t, withSecret, append(base, "--oidc-client-secret-file", f)...)
		wantFlagError(t, err, "doppelt")
		_, err = parseOIDCFlags(t, nil, append(base, "--oidc-client-secret-file", filepath.Join(dir, "fehlt"))...)
		wantFlagError(t, err, "--oidc-client-secret-file")
		_, err = parseOIDCFlags(t, nil, append(base, "--oidc-client-secret", secret)...)
		if !errors.Is(err, errUsage) {
			t.Fatalf("--oidc-client-secret accepted: %v", err)
		}
		_, err = parseOIDCFlags(t, nil, base...)
		wantFlagError(t, err, "--oidc-state-key-file", "ohne ClientSecret")
	})

	t.Run("wrong settings name the flag", func(t *testing.T) {
		_, err := parseOIDCFlags(t, withSecret, append(base, "--oidc-role-map", "AW-Admins=chef")...)
		wantFlagError(t, err, "--oidc-role-map", `unbekannte Rolle "chef"`)
		_, err = parseOIDCFlags(t, withSecret, append(base, "--oidc-role-map", "AW-Admins")...)
		wantFlagError(t, err, "--oidc-role-map", "gruppe=rolle")
		_, err = parseOIDCFlags(t, withSecret, "--oidc-issuer", "http://idp.land.example", "--oidc-client-id", "aktenwerk")
		wantFlagError(t, err, "--oidc-issuer: ", "https", "--oidc-redirect-url: fehlt")
		_, err = parseOIDCFlags(t, withSecret, append(base, "--oidc-scopes", "profile email")...)
		wantFlagError(t, err, "--oidc-scopes", "openid")
		_, err = parseOIDCFlags(t, map[string]string{"AKTENWERK_OIDC_CLIENT_SECRET": "kurz"}, base...)
		wantFlagError(t, err, "Client-Secret", "zu kurz")
		_, err = parseOIDCFlags(t, map[string]string{"AKTENWERK_OIDC_SYNC_ROLES": "vielleicht"}, base...)
		wantFlagError(t, err, "AKTENWERK_OIDC_SYNC_ROLES")
	})
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// The real binary signs a person in with Landes-Login, and starts (with 503
// for single sign-on) when the identity provider cannot be reached.
func TestServeOIDCCLI(t *testing.T) {
	const secret = "cli-client-secret-0123456789"
	addr := "127.0.0.1:" + freePort(t)
	redirect := "http://" + addr + web.OIDCCallbackPath
	op := oidctest.Start(t, oidctest.Options{
		Users: []oidctest.User{{ID: "u-lena", Username: "lena", FirstName: "Lena", LastName: "Land",
			Claims: map[string]any{"tenant": "lv", "roles": []string{"AW-Admins"}}}},
		Clients: []oidctest.Client{{ID: "aktenwerk", Secret: secret, RedirectURIs: []string{redirect}}},
	})
	s := startServer(t, []string{"AKTENWERK_OIDC_CLIENT_SECRET=" + secret}, t.TempDir(), "--addr", addr, "--cookie-secure=false",
		"--oidc-issuer", op.Issuer, "--oidc-client-id", "aktenwerk", "--oidc-redirect-url", redirect, "--oidc-role-map", "AW-Admins=admin")

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if via[len(via)-1].URL.Path == web.OIDCCallbackPath {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	res, err := c.Get(s.url + "/api/v1/anmeldung/oidc?ziel=/start")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res, _ = oidctest.SubmitLogin(t, c, res, string(body), "lena")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/start" {
		t.Fatalf("callback answered %d at %s, Location %q", res.StatusCode, res.Request.URL, res.Header.Get("Location"))
	}
	res, err = c.Get(s.url + "/api/v1/ich")
	if err != nil {
		t.Fatal(err)
	}
	var me map[string]any
	json.NewDecoder(res.Body).Decode(&me)
	res.Body.Close()
	if res.StatusCode != 200 || me["tenant"] != "LV" || me["login"] != "lena" || !reflect.DeepEqual(me["rollen"], []any{"admin"}) {
		t.Fatalf("ich %d %v", res.StatusCode, me)
	}
	s.stop(t)

	// a provider that cannot be reached: the server starts, SSO answers 503
	down := startServer(t, []string{"AKTENWERK_OIDC_CLIENT_SECRET=" + secret}, t.TempDir(), "--cookie-secure=false",
		"--oidc-issuer", "http://127.0.0.1:"+freePort(t), "--oidc-client-id", "aktenwerk", "--oidc-redirect-url", redirect)
	res, err = http.Get(down.url + "/api/v1/anmeldung/oidc")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("unreachable provider: %d %v", res.StatusCode, res.Header)
	}
	if code, _ := call(t, "GET", down.url+"/healthz", "", ""); code != 200 {
		t.Fatalf("healthz %d", code)
	}

	// the secret is no flag
	if r := aw(t, nil, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--oidc-client-secret", secret); r.code != 2 {
		t.Fatalf("--oidc-client-secret: %+v", r)
	}
}
