package oidc

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/apperr"
)

func TestSafeReturnTo(t *testing.T) {
	for in, want := range map[string]string{
		"/":                             "/",
		"/akten/1?tab=x#teil":           "/akten/1?tab=x#teil",
		"/suche?q=%2F%2Fevil":           "/suche?q=%2F%2Fevil",
		"":                              "/",
		"akten":                         "/",
		"//evil.example":                "/",
		"//evil.example/path":           "/",
		"/\\evil.example":               "/",
		"/a\\b":                         "/",
		"/\t/evil.example":              "/",
		"/\n/evil.example":              "/",
		"https://evil.example":          "/",
		"http:evil.example":             "/",
		"javascript:alert(1)":           "/",
		" /akten":                       "/",
		"/" + strings.Repeat("a", 2048): "/",
	} {
		if got := SafeReturnTo(in); got != want {
			t.Errorf("SafeReturnTo(%q) = %q, want %q", in, got, want)
		}
	}
}

func validConfig() Config {
	return Config{
		Issuer:       "https://idp.land.example/realms/verwaltung",
		ClientID:     "aktenwerk",
		ClientSecret: "0123456789abcdef0123",
		RedirectURL:  "https://aktenwerk.land.example/auth/oidc/callback",
		RoleMap:      map[string][]string{"AW-Admins": {"admin"}},
	}
}

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid {
		t.Fatalf("want apperr KindInvalid, got %#v", err)
	}
	var fs []string
	for _, f := range ae.Fields {
		fs = append(fs, f.Field)
	}
	return fs
}

func TestConfigValidate(t *testing.T) {
	if err := validConfig().Validate(); err != nil {
		t.Fatalf("valid config refused: %v", err)
	}
	c := validConfig().withDefaults()
	if !slices.Equal(c.Scopes, []string{"openid", "profile", "email"}) || c.ClaimTenant != "tenant" ||
		c.ClaimLogin != "preferred_username" || c.ClaimName != "name" || c.ClaimRoles != "roles" ||
		c.ClaimUnits != "units" || c.ClaimEmail != "email" {
		t.Fatalf("defaults: %+v", c)
	}
	loopback := validConfig()
	loopback.Issuer = "http://127.0.0.1:8080"
	if err := loopback.Validate(); err != nil {
		t.Fatalf("http issuer on loopback refused: %v", err)
	}

	for _, tc := range []struct {
		name   string
		mutate func(*Config)
		field  string
	}{
		{"no issuer", func(c *Config) { c.Issuer = "" }, "Issuer"},
		{"relative issuer", func(c *Config) { c.Issuer = "idp.example" }, "Issuer"},
		{"http issuer not on loopback", func(c *Config) { c.Issuer = "http://idp.land.example" }, "Issuer"},
		{"no client id", func(c *Config) { c.ClientID = " " }, "ClientID"},
		{"no redirect", func(c *Config) { c.RedirectURL = "" }, "RedirectURL"},
		{"redirect with fragment", func(c *Config) { c.RedirectURL = "https://a.example/cb#x" }, "RedirectURL"},
		{"scopes without openid", func(c *Config) { c.Scopes = []string{"profile"} }, "Scopes"},
		{"bad claim path", func(c *Config) { c.ClaimRoles = "realm_access..roles" }, "ClaimRoles"},
		{"unknown role", func(c *Config) { c.RoleMap = map[string][]string{"G": {"superuser"}} }, "RoleMap"},
		{"empty mapping", func(c *Config) { c.RoleMap = map[string][]string{"G": nil} }, "RoleMap"},
		{"short state key", func(c *Config) { c.StateKey = []byte("kurz") }, "StateKey"},
		{"no key material", func(c *Config) { c.ClientSecret = "" }, "StateKey"},
		{"secret too short to derive", func(c *Config) { c.ClientSecret = "secret" }, "ClientSecret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.mutate(&c)
			err := c.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			if fs := fieldsOf(t, err); !slices.Contains(fs, tc.field) {
				t.Fatalf("error %q names %v, want %s", err, fs, tc.field)
			}
		})
	}
	// A short secret is fine when an explicit StateKey is given.
	c = validConfig()
	c.ClientSecret = "secret"
	c.StateKey = []byte(strings.Repeat("k", 32))
	if err := c.Validate(); err != nil {
		t.Fatalf("short secret with StateKey refused: %v", err)
	}
}

func TestSealer(t *testing.T) {
	// Two nodes with the same configuration derive the same key.
	a, _ := newSealer([]byte("shared-client-secret-123"), "https://idp", "aktenwerk")
	b, _ := newSealer([]byte("shared-client-secret-123"), "https://idp", "aktenwerk")
	otherClient, _ := newSealer([]byte("shared-client-secret-123"), "https://idp", "portal")
	st := flowState{State: "s", Nonce: "n", Verifier: "v", ReturnTo: "/x", Expires: time.Now().Add(time.Minute).Unix()}
	v, err := a.seal("c", st)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.open("c", v, time.Now())
	if err != nil || got != st {
		t.Fatalf("other node: %+v, %v", got, err)
	}
	if _, err := otherClient.open("c", v, time.Now()); !errors.Is(err, errSealCorrupt) {
		t.Fatalf("another client's key opened the cookie: %v", err)
	}
	if _, err := b.open("d", v, time.Now()); !errors.Is(err, errSealCorrupt) {
		t.Fatalf("opened under another cookie name: %v", err)
	}
	if _, err := b.open("c", v, time.Now().Add(2*time.Minute)); !errors.Is(err, errSealExpired) {
		t.Fatalf("expired cookie: %v", err)
	}
	v2, _ := a.seal("c", st)
	if v2 == v {
		t.Fatal("sealing is deterministic: nonce reused")
	}
}

func claimsOf(t *testing.T, js string) map[string]any {
	t.Helper()
	m := map[string]any{}
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMapClaims(t *testing.T) {
	cfg := validConfig().withDefaults()
	cfg.RoleMap = map[string][]string{
		"AW-Admins": {"admin"}, "/aktenwerk/leitung": {"leitung", "sachbearbeitung"}, "proj-audit": {"audit"},
	}
	cfg.DefaultTenant = "land"
	rp := &RP{cfg: cfg}

	id, err := rp.mapClaims("iss", "sub", claimsOf(t, `{
		"preferred_username": "  Anna.Beispiel ", "given_name": "Anna", "family_name": "Beispiel",
		"email": "anna@land.example", "tenant": " stk ",
		"roles": ["/aktenwerk/leitung", "AW-Admins", "audit", 17], "units": "Ref. 3"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Identity{Issuer: "iss", Subject: "sub", Tenant: "stk", Login: "anna.beispiel", Name: "Anna Beispiel",
		Email: "anna@land.example", Roles: []string{"admin", "sachbearbeitung", "leitung"}, Units: []string{"Ref. 3"}}
	if !equalIdentity(id, want) {
		t.Fatalf("\n got %+v\nwant %+v", id, want)
	}

	// Roles as an object (keys are role names), claim names with dots.
	cfg.ClaimRoles = "urn:zitadel:iam:org:project:roles"
	cfg.ClaimTenant = "org.tenant"
	rp = &RP{cfg: cfg}
	id, err = rp.mapClaims("iss", "sub", claimsOf(t, `{"preferred_username": "x1",
		"urn:zitadel:iam:org:project:roles": {"proj-audit": {"123": "org"}}, "org": {"tenant": "mi"}}`))
	if err != nil || !slices.Equal(id.Roles, []string{"audit"}) || id.Tenant != "mi" {
		t.Fatalf("object roles / nested tenant: %+v %v", id, err)
	}

	for _, tc := range []struct {
		name, claims, mention string
		noDefault             bool
	}{
		{"login missing", `{"tenant": "a"}`, `"preferred_username"`, false},
		{"login not a string", `{"preferred_username": 42}`, `"preferred_username"`, false},
		{"login with @", `{"preferred_username": "anna@land.example"}`, `"preferred_username"`, false},
		{"login too short", `{"preferred_username": "a"}`, `"preferred_username"`, false},
		{"login null", `{"preferred_username": null}`, `"preferred_username"`, false},
		{"tenant not a string", `{"preferred_username": "anna", "org": {"tenant": ["a"]}}`, `"org.tenant"`, false},
		{"no tenant, no default", `{"preferred_username": "anna"}`, `"org.tenant"`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			if tc.noDefault {
				c.DefaultTenant = ""
			}
			id, err := (&RP{cfg: c}).mapClaims("iss", "sub", claimsOf(t, tc.claims))
			if err == nil || !errors.Is(err, ErrClaims) || apperr.KindOf(err) != apperr.KindUnauthorized {
				t.Fatalf("got %+v, %v; want ErrClaims", id, err)
			}
			ae, _ := apperr.As(err)
			if !strings.Contains(ae.Message, tc.mention) {
				t.Fatalf("message %q does not name %s", ae.Message, tc.mention)
			}
			if !equalIdentity(id, Identity{}) {
				t.Fatalf("identity with error: %+v", id)
			}
		})
	}
}
