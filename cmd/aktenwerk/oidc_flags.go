package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth/oidc"
	"aktenwerk/internal/web"
)

// "Anmelden mit Landes-Login" (OpenID Connect) for serve: --oidc-* flags
// with defaults from AKTENWERK_OIDC_* variables. The client secret never
// comes from a plain flag (it would show in ps and in shell histories):
// only from AKTENWERK_OIDC_CLIENT_SECRET or --oidc-client-secret-file.

type oidcOpts struct {
	issuer, clientID, redirectURL         *string
	secretFile, stateKeyFile              *string
	scopes                                *string
	claimTenant, claimLogin, claimName    *string
	claimRoles, claimUnits, defaultTenant *string
	roleMap                               envList
	autoProvision, syncRoles              *bool
	envSecret                             string
	fs                                    *flag.FlagSet
}

// oidcFlagNames are the flags that only make sense with --oidc-issuer.
var oidcFlagNames = []string{"oidc-client-id", "oidc-redirect-url", "oidc-client-secret-file", "oidc-state-key-file", "oidc-scopes",
	"oidc-claim-tenant", "oidc-claim-login", "oidc-claim-name", "oidc-claim-roles", "oidc-claim-units", "oidc-role-map",
	"oidc-default-tenant", "oidc-auto-provision", "oidc-sync-roles"}

// oidcFlags registers the --oidc-* flags of serve.
func oidcFlags(fs *flag.FlagSet) (*oidcOpts, error) {
	envBool := func(k string, def bool) (bool, error) {
		v := os.Getenv(k)
		if v == "" {
			return def, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("%s=%q: true oder false erwartet", k, v)
		}
		return b, nil
	}
	auto, err := envBool("AKTENWERK_OIDC_AUTO_PROVISION", true)
	if err != nil {
		return nil, err
	}
	sync, err := envBool("AKTENWERK_OIDC_SYNC_ROLES", true)
	if err != nil {
		return nil, err
	}
	str := func(name, env, def, usage string) *string {
		return fs.String(name, envOr(env, def), usage+" (env "+env+")")
	}
	o := &oidcOpts{fs: fs, envSecret: os.Getenv("AKTENWERK_OIDC_CLIENT_SECRET")}
	o.issuer = str("oidc-issuer", "AKTENWERK_OIDC_ISSUER", "",
		"Anmeldung mit Landes-Login (OpenID Connect): Issuer des Identitätsanbieters, genau wie in seinem Discovery-Dokument, z. B. https://idp.land.example/realms/verwaltung; leer: ausgeschaltet")
	o.clientID = str("oidc-client-id", "AKTENWERK_OIDC_CLIENT_ID", "", "Client-ID von Aktenwerk beim Identitätsanbieter")
	o.redirectURL = str("oidc-redirect-url", "AKTENWERK_OIDC_REDIRECT_URL", "",
		"beim Identitätsanbieter registrierte Rückkehr-Adresse: https://<Aktenwerk>"+web.OIDCCallbackPath)
	o.secretFile = str("oidc-client-secret-file", "AKTENWERK_OIDC_CLIENT_SECRET_FILE", "",
		"Datei mit dem Client-Secret (erste Zeile); sonst aus env AKTENWERK_OIDC_CLIENT_SECRET – nie als Option")
	o.stateKeyFile = str("oidc-state-key-file", "AKTENWERK_OIDC_STATE_KEY_FILE", "",
		fmt.Sprintf("Datei mit dem Schlüssel für das Cookie des Anmeldeversuchs (mindestens %d Bytes, auf allen Knoten gleich); leer: aus dem Client-Secret abgeleitet", oidc.MinStateKeyLen))
	o.scopes = str("oidc-scopes", "AKTENWERK_OIDC_SCOPES", strings.Join(oidc.DefaultScopes, " "), "angeforderte Scopes (Leerzeichen oder Komma getrennt), mit openid")
	o.claimTenant = str("oidc-claim-tenant", "AKTENWERK_OIDC_CLAIM_TENANT", oidc.DefaultClaimTenant, "Claim mit dem Mandantenkürzel")
	o.claimLogin = str("oidc-claim-login", "AKTENWERK_OIDC_CLAIM_LOGIN", oidc.DefaultClaimLogin, "Claim mit dem Anmeldenamen")
	o.claimName = str("oidc-claim-name", "AKTENWERK_OIDC_CLAIM_NAME", oidc.DefaultClaimName, "Claim mit dem Namen")
	o.claimRoles = str("oidc-claim-roles", "AKTENWERK_OIDC_CLAIM_ROLES", oidc.DefaultClaimRoles, "Claim mit Rollen/Gruppen; Pfad mit Punkten möglich, z. B. realm_access.roles")
	o.claimUnits = str("oidc-claim-units", "AKTENWERK_OIDC_CLAIM_UNITS", oidc.DefaultClaimUnits, "Claim mit den Kennungen der Organisationseinheiten")
	o.defaultTenant = str("oidc-default-tenant", "AKTENWERK_OIDC_DEFAULT_TENANT", "", "Mandant, wenn der Mandanten-Claim fehlt; leer: dann keine Anmeldung")
	if v := os.Getenv("AKTENWERK_OIDC_ROLE_MAP"); v != "" {
		o.roleMap = envList{vals: []string{v}, fromEnv: true}
	}
	fs.Var(&o.roleMap, "oidc-role-map", "Rollen/Gruppen des Identitätsanbieters auf Aktenwerk-Rollen: gruppe=rolle,gruppe2=rolle2 (wiederholbar; eine Gruppe mehrmals für mehrere Rollen) (env AKTENWERK_OIDC_ROLE_MAP)")
	o.autoProvision = fs.Bool("oidc-auto-provision", auto, "unbekannte Personen bei der ersten Anmeldung als Konto anlegen (env AKTENWERK_OIDC_AUTO_PROVISION)")
	o.syncRoles = fs.Bool("oidc-sync-roles", sync, "Rollen bestehender Konten bei jeder Anmeldung aus dem Identitätsanbieter übernehmen, wenn er welche sendet (env AKTENWERK_OIDC_SYNC_ROLES)")
	return o, nil
}

// options checks the parsed flags and returns the configuration, or nil
// when single sign-on is off (no issuer). Errors name the flag.
func (o *oidcOpts) options() (*web.OIDCOptions, error) {
	if strings.TrimSpace(*o.issuer) == "" {
		var set []string
		o.fs.Visit(func(f *flag.Flag) {
			for _, n := range oidcFlagNames {
				if f.Name == n {
					set = append(set, "--"+n)
				}
			}
		})
		if len(set) > 0 {
			return nil, fmt.Errorf("%s ohne --oidc-issuer: die Anmeldung mit Landes-Login braucht den Issuer", strings.Join(set, ", "))
		}
		return nil, nil
	}
	secret := o.envSecret
	if *o.secretFile != "" {
		if secret != "" {
			return nil, errors.New("Client-Secret doppelt: AKTENWERK_OIDC_CLIENT_SECRET und --oidc-client-secret-file – nur eines angeben")
		}
		s, err := readSecretFile(*o.secretFile, "--oidc-client-secret-file")
		if err != nil {
			return nil, err
		}
		secret = s
	}
	var stateKey []byte
	if *o.stateKeyFile != "" {
		s, err := readSecretFile(*o.stateKeyFile, "--oidc-state-key-file")
		if err != nil {
			return nil, err
		}
		stateKey = []byte(s)
	}
	roleMap, err := parseRoleMap(o.roleMap.vals)
	if err != nil {
		return nil, err
	}
	cfg := oidc.Config{
		Issuer:        strings.TrimSpace(*o.issuer),
		ClientID:      strings.TrimSpace(*o.clientID),
		ClientSecret:  secret,
		RedirectURL:   strings.TrimSpace(*o.redirectURL),
		Scopes:        strings.FieldsFunc(*o.scopes, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }),
		ClaimTenant:   *o.claimTenant,
		ClaimLogin:    *o.claimLogin,
		ClaimName:     *o.claimName,
		ClaimRoles:    *o.claimRoles,
		ClaimUnits:    *o.claimUnits,
		DefaultTenant: strings.ToUpper(strings.TrimSpace(*o.defaultTenant)),
		RoleMap:       roleMap,
		StateKey:      stateKey,
	}
	if err := cfg.Validate(); err != nil {
		return nil, flagErrors(err)
	}
	return &web.OIDCOptions{Config: cfg, NoAutoProvision: !*o.autoProvision, NoRoleSync: !*o.syncRoles}, nil
}

// flagErrors turns the field errors of oidc.Config.Validate into flag names.
func flagErrors(err error) error {
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	names := map[string]string{
		"Issuer": "--oidc-issuer", "ClientID": "--oidc-client-id", "RedirectURL": "--oidc-redirect-url",
		"ClientSecret": "Client-Secret (AKTENWERK_OIDC_CLIENT_SECRET oder --oidc-client-secret-file)",
		"StateKey":     "--oidc-state-key-file", "Scopes": "--oidc-scopes", "RoleMap": "--oidc-role-map",
		"ClaimTenant": "--oidc-claim-tenant", "ClaimLogin": "--oidc-claim-login", "ClaimName": "--oidc-claim-name",
		"ClaimRoles": "--oidc-claim-roles", "ClaimUnits": "--oidc-claim-units", "ClaimEmail": "Claim E-Mail",
	}
	var lines []string
	for _, f := range ae.Fields {
		name := names[f.Field]
		if name == "" {
			name = f.Field
		}
		lines = append(lines, fmt.Sprintf("  %s: %s", name, f.Message))
	}
	return fmt.Errorf("Anmeldung mit Landes-Login falsch eingerichtet:\n%s", strings.Join(lines, "\n"))
}

// envList is a repeatable flag whose default comes from the environment;
// the first use of the flag replaces that default.
type envList struct {
	vals    []string
	fromEnv bool
}

func (l *envList) String() string { return strings.Join(l.vals, ",") }
func (l *envList) Set(v string) error {
	if l.fromEnv {
		l.vals, l.fromEnv = nil, false
	}
	l.vals = append(l.vals, v)
	return nil
}

// parseRoleMap reads "gruppe=rolle,gruppe2=rolle2" (from every occurrence
// of the flag); a group named more than once gets every role named.
func parseRoleMap(values []string) (map[string][]string, error) {
	m := map[string][]string{}
	for _, v := range values {
		for _, pair := range strings.Split(v, ",") {
			pair = strings.TrimSpace(pair)
			if pair == "" {
				continue
			}
			group, role, ok := strings.Cut(pair, "=")
			group, role = strings.TrimSpace(group), strings.TrimSpace(role)
			if !ok || group == "" || role == "" {
				return nil, fmt.Errorf("--oidc-role-map: %q ist kein Paar gruppe=rolle", pair)
			}
			if !slices.Contains(m[group], role) {
				m[group] = append(m[group], role)
			}
		}
	}
	return m, nil
}

// readSecretFile reads the first line of a secret file.
func readSecretFile(path, flagName string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", flagName, err)
	}
	s, _, _ := strings.Cut(string(b), "\n")
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%s: %s ist leer", flagName, path)
	}
	return s, nil
}
