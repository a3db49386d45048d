// Package oidc is Aktenwerk's OpenID Connect relying party: single sign-on
// against the Land's identity provider with the authorization code flow,
// PKCE (S256), state and nonce.
//
// The package keeps no server-side state: state, nonce, PKCE verifier and
// the return path of a login in progress travel in a short-lived cookie that
// is sealed with AES-GCM, so any node of a cluster that shares the
// configuration can complete a login another node started.
//
// Tokens, authorization codes and secrets are never logged and never put into
// error messages.
package oidc

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
)

// Default claim names and scopes.
const (
	DefaultClaimTenant = "tenant"
	DefaultClaimLogin  = "preferred_username"
	DefaultClaimName   = "name"
	DefaultClaimEmail  = "email"
	DefaultClaimRoles  = "roles"
	DefaultClaimUnits  = "units"
)

// DefaultScopes are requested when Config.Scopes is empty.
var DefaultScopes = []string{"openid", "profile", "email"}

// MinStateKeyLen is the minimum length of an explicit Config.StateKey.
const MinStateKeyLen = 32

// minDerivationSecretLen is the minimum client secret length from which the
// state key may be derived when no StateKey is configured.
const minDerivationSecretLen = 16

// Config configures one relying party (one client at one issuer).
type Config struct {
	// Issuer is the issuer identifier of the identity provider, exactly as
	// its discovery document states it (trailing slash included or not).
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the absolute URL of our callback, registered at the
	// identity provider. Its path is also the path of the state cookie.
	RedirectURL string
	// Scopes requested; default openid profile email. Must contain openid.
	Scopes []string

	// Claim mapping. A claim name containing dots that is not itself a
	// top-level claim is read as a path into nested objects, e.g.
	// "realm_access.roles".
	ClaimTenant string // default "tenant"
	ClaimLogin  string // default "preferred_username"
	ClaimName   string // default "name" (falls back to given_name + family_name)
	ClaimEmail  string // default "email"
	ClaimRoles  string // default "roles": string array, single string or object (keys)
	ClaimUnits  string // default "units": string array or single string

	// DefaultTenant applies when the tenant claim is absent. If it is empty
	// too, a login without tenant claim is refused.
	DefaultTenant string

	// RoleMap maps identity provider role/group names (exact match) to our
	// role names (admin, registratur, sachbearbeitung, leitung, audit).
	// Values that are not mapped are ignored.
	RoleMap map[string][]string

	// StateKey seals the state cookie (at least 32 bytes). If empty, the key
	// is derived from ClientSecret with HKDF-SHA256, so that all nodes that
	// share the configuration agree.
	StateKey []byte

	// CookieSecure forces the Secure attribute on the state cookie. It is
	// always set when RedirectURL uses https.
	CookieSecure bool
}

// withDefaults returns a copy of c with defaults filled in.
func (c Config) withDefaults() Config {
	if len(c.Scopes) == 0 {
		c.Scopes = slices.Clone(DefaultScopes)
	}
	def := func(s *string, d string) {
		if strings.TrimSpace(*s) == "" {
			*s = d
		} else {
			*s = strings.TrimSpace(*s)
		}
	}
	def(&c.ClaimTenant, DefaultClaimTenant)
	def(&c.ClaimLogin, DefaultClaimLogin)
	def(&c.ClaimName, DefaultClaimName)
	def(&c.ClaimEmail, DefaultClaimEmail)
	def(&c.ClaimRoles, DefaultClaimRoles)
	def(&c.ClaimUnits, DefaultClaimUnits)
	c.DefaultTenant = strings.TrimSpace(c.DefaultTenant)
	return c
}

// Validate checks the configuration (with defaults applied) and returns an
// apperr KindInvalid error that names every bad field, or nil.
func (c Config) Validate() error {
	c = c.withDefaults()
	var v apperr.Validation

	if msg := checkURL(c.Issuer, true); msg != "" {
		v.Add("Issuer", msg)
	}
	if strings.TrimSpace(c.ClientID) == "" {
		v.Add("ClientID", "fehlt")
	}
	if msg := checkURL(c.RedirectURL, false); msg != "" {
		v.Add("RedirectURL", msg)
	}
	if !slices.Contains(c.Scopes, "openid") {
		v.Add("Scopes", `muss "openid" enthalten`)
	}
	for _, s := range c.Scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n") {
			v.Add("Scopes", fmt.Sprintf("ungültiger Scope %q", s))
		}
	}
	for _, f := range [][2]string{
		{"ClaimTenant", c.ClaimTenant}, {"ClaimLogin", c.ClaimLogin}, {"ClaimName", c.ClaimName},
		{"ClaimEmail", c.ClaimEmail}, {"ClaimRoles", c.ClaimRoles}, {"ClaimUnits", c.ClaimUnits},
	} {
		field, name := f[0], f[1]
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
			v.Add(field, fmt.Sprintf("ungültiger Claim-Pfad %q", name))
		}
	}
	keys := make([]string, 0, len(c.RoleMap))
	for k := range c.RoleMap {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.TrimSpace(k) == "" {
			v.Add("RoleMap", "leerer Rollenname des Identitätsanbieters")
		}
		if len(c.RoleMap[k]) == 0 {
			v.Add("RoleMap", fmt.Sprintf("%q ist keiner Rolle zugeordnet", k))
		}
		for _, r := range c.RoleMap[k] {
			if _, ok := access.ParseRole(r); !ok {
				v.Add("RoleMap", fmt.Sprintf("%q: unbekannte Rolle %q (erlaubt: %s)", k, r, roleList()))
			}
		}
	}
	switch {
	case len(c.StateKey) > 0 && len(c.StateKey) < MinStateKeyLen:
		v.Add("StateKey", fmt.Sprintf("muss mindestens %d Bytes lang sein", MinStateKeyLen))
	case len(c.StateKey) == 0 && c.ClientSecret == "":
		v.Add("StateKey", "fehlt; ohne ClientSecret muss ein StateKey gesetzt sein")
	case len(c.StateKey) == 0 && len(c.ClientSecret) < minDerivationSecretLen:
		v.Add("ClientSecret", fmt.Sprintf("zu kurz, um daraus den StateKey abzuleiten (mindestens %d Zeichen) – StateKey setzen", minDerivationSecretLen))
	}
	return v.Err()
}

func roleList() string {
	names := make([]string, len(access.AllRoles))
	for i, r := range access.AllRoles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// checkURL returns a German problem description or "". Plain http is only
// accepted for loopback hosts when strictTLS is set (the issuer), and for any
// host otherwise (a development callback).
func checkURL(raw string, strictTLS bool) string {
	if strings.TrimSpace(raw) == "" {
		return "fehlt"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Sprintf("%q ist keine absolute http(s)-URL", raw)
	}
	if u.Fragment != "" || u.User != nil {
		return fmt.Sprintf("%q darf weder Fragment noch Benutzerangaben enthalten", raw)
	}
	if strictTLS && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Sprintf("%q: https ist erforderlich (http nur für localhost)", raw)
	}
	if strictTLS && u.RawQuery != "" {
		return fmt.Sprintf("%q darf keine Query enthalten", raw)
	}
	return ""
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
