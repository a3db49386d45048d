package oidc

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"aktenwerk/internal/access"
)

// loginRE is Aktenwerk's rule for user logins (same as records/service.go).
var loginRE = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,63}$`)

// normalizeLogin lower-cases and trims s and reports whether the result is
// a valid login.
func normalizeLogin(s string) (string, bool) {
	l := strings.ToLower(strings.TrimSpace(s))
	return l, loginRE.MatchString(l)
}

// lookupClaim finds a claim by name; a dotted name that is not a top-level
// claim is followed as a path through nested objects. JSON null counts as
// absent.
func lookupClaim(claims map[string]any, name string) (any, bool) {
	if v, ok := claims[name]; ok {
		return v, v != nil
	}
	if !strings.Contains(name, ".") {
		return nil, false
	}
	var cur any = claims
	for _, seg := range strings.Split(name, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return cur, cur != nil
}

// stringList reads a claim that holds a list of names: a JSON array of
// strings, a single string, or an object whose keys are the names (the
// shape some providers use for project roles).
func stringList(v any) ([]string, bool) {
	switch t := v.(type) {
	case string:
		return []string{t}, true
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out, true
	case map[string]any:
		out := make([]string, 0, len(t))
		for k := range t {
			out = append(out, k)
		}
		sort.Strings(out)
		return out, true
	}
	return nil, false
}

// missingClaims reports whether any mapped claim is absent, so that the
// userinfo endpoint should be asked.
func (rp *RP) missingClaims(claims map[string]any) bool {
	for _, name := range []string{rp.cfg.ClaimLogin, rp.cfg.ClaimName, rp.cfg.ClaimEmail,
		rp.cfg.ClaimTenant, rp.cfg.ClaimRoles, rp.cfg.ClaimUnits} {
		if _, ok := lookupClaim(claims, name); !ok {
			return true
		}
	}
	return false
}

func claimError(msg string, format string, args ...any) error {
	return fail(msg, fmt.Errorf("%w: %s", ErrClaims, fmt.Sprintf(format, args...)))
}

// mapClaims turns verified claims into an Identity.
func (rp *RP) mapClaims(issuer, subject string, claims map[string]any) (Identity, error) {
	c := rp.cfg
	id := Identity{Issuer: issuer, Subject: subject}

	// Login
	v, ok := lookupClaim(claims, c.ClaimLogin)
	if !ok {
		return Identity{}, claimError(fmt.Sprintf("Anmeldung nicht möglich: der Identitätsanbieter liefert den Claim %q (Anmeldename) nicht.", c.ClaimLogin),
			"claim %q missing", c.ClaimLogin)
	}
	s, isStr := v.(string)
	login, valid := normalizeLogin(s)
	if !isStr || !valid {
		return Identity{}, claimError(fmt.Sprintf("Anmeldung nicht möglich: der Claim %q enthält keinen gültigen Anmeldenamen (2–64 Zeichen: Kleinbuchstaben, Ziffern, Punkt, Unterstrich, Bindestrich; beginnend mit einem Buchstaben).", c.ClaimLogin),
			"claim %q: %q is not a valid login", c.ClaimLogin, truncate(fmt.Sprint(v), 80))
	}
	id.Login = login

	// Tenant
	if v, ok := lookupClaim(claims, c.ClaimTenant); ok {
		s, isStr := v.(string)
		if !isStr {
			return Identity{}, claimError(fmt.Sprintf("Anmeldung nicht möglich: der Claim %q (Mandant) ist keine Zeichenkette.", c.ClaimTenant),
				"claim %q is not a string", c.ClaimTenant)
		}
		id.Tenant = strings.TrimSpace(s)
	}
	if id.Tenant == "" {
		id.Tenant = c.DefaultTenant
	}
	if id.Tenant == "" {
		return Identity{}, claimError(fmt.Sprintf("Anmeldung nicht möglich: der Claim %q (Mandant) fehlt und es ist kein Standardmandant konfiguriert.", c.ClaimTenant),
			"claim %q missing and no default tenant", c.ClaimTenant)
	}

	// Name and e-mail are informational: wrong types are ignored.
	if v, ok := lookupClaim(claims, c.ClaimName); ok {
		id.Name, _ = v.(string)
	}
	if strings.TrimSpace(id.Name) == "" {
		given, _ := claims["given_name"].(string)
		family, _ := claims["family_name"].(string)
		id.Name = given + " " + family
	}
	id.Name = strings.TrimSpace(id.Name)
	if v, ok := lookupClaim(claims, c.ClaimEmail); ok {
		e, _ := v.(string)
		id.Email = strings.TrimSpace(e)
	}

	// Roles: only mapped values count.
	if v, ok := lookupClaim(claims, c.ClaimRoles); ok {
		names, _ := stringList(v)
		have := map[access.Role]bool{}
		for _, n := range names {
			for _, r := range c.RoleMap[n] {
				if role, ok := access.ParseRole(r); ok {
					have[role] = true
				}
			}
		}
		for _, r := range access.AllRoles {
			if have[r] {
				id.Roles = append(id.Roles, string(r))
			}
		}
	}

	// Units: passed through, trimmed and de-duplicated.
	if v, ok := lookupClaim(claims, c.ClaimUnits); ok {
		names, _ := stringList(v)
		for _, n := range names {
			n = strings.TrimSpace(n)
			if n != "" && !slices.Contains(id.Units, n) {
				id.Units = append(id.Units, n)
			}
		}
	}
	return id, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
