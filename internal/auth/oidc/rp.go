package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"aktenwerk/internal/apperr"
)

// Identity is the verified result of a login at the identity provider.
type Identity struct {
	Issuer  string
	Subject string // "sub": stable id of the person at the issuer
	Tenant  string
	Login   string // normalised to our login rules
	Name    string
	Email   string
	Roles   []string // our role names, mapped through Config.RoleMap; sorted, unique
	Units   []string // org units as sent by the identity provider; unique
}

// Sentinel causes of Callback errors. Callback returns *apperr.Error of kind
// KindUnauthorized (KindInternal when the provider is unreachable) with a
// German message for users; errors.Is with these tells callers what failed.
var (
	ErrProviderError = errors.New("identity provider answered with an error")
	ErrStateMissing  = errors.New("state cookie missing")
	ErrStateInvalid  = errors.New("state cookie invalid")
	ErrStateExpired  = errors.New("state cookie expired")
	ErrStateMismatch = errors.New("state mismatch")
	ErrIssuerParam   = errors.New("iss parameter does not match the issuer")
	ErrCodeMissing   = errors.New("authorization code missing")
	ErrExchange      = errors.New("code exchange failed")
	ErrIDToken       = errors.New("id token invalid")
	ErrNonceMismatch = errors.New("nonce mismatch")
	ErrUserInfo      = errors.New("userinfo request failed")
	ErrClaims        = errors.New("claims cannot be mapped")
)

// RP is a relying party for one issuer and client. It is safe for
// concurrent use and keeps no per-login server state.
type RP struct {
	cfg             Config
	client          *http.Client
	provider        *gooidc.Provider
	verifier        *gooidc.IDTokenVerifier
	oauth           oauth2.Config
	sealer          *sealer
	secure          bool
	cookiePath      string
	requireIssParam bool
}

// New discovers the provider at cfg.Issuer and returns a relying party. The
// issuer in the discovery document must equal cfg.Issuer exactly. httpClient
// is used for all requests to the provider (nil: a client with 30 s timeout).
func New(ctx context.Context, cfg Config, httpClient *http.Client) (*RP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 30 * time.Second}
	}
	provider, err := gooidc.NewProvider(gooidc.ClientContext(ctx, httpClient), cfg.Issuer)
	if err != nil {
		var mm *gooidc.IssuerMismatchError
		if errors.As(err, &mm) {
			return nil, &apperr.Error{
				Kind:    apperr.KindInvalid,
				Message: "OIDC-Konfiguration passt nicht zum Identitätsanbieter",
				Fields: []apperr.FieldError{{Field: "Issuer", Message: fmt.Sprintf(
					"konfiguriert ist %q, das Discovery-Dokument nennt %q (Issuer müssen exakt übereinstimmen)",
					mm.Provided, mm.Discovered)}},
				Err: err,
			}
		}
		return nil, fmt.Errorf("oidc: discovery at %s: %w", cfg.Issuer, err)
	}
	var meta struct {
		AuthMethods  []string `json:"token_endpoint_auth_methods_supported"`
		IssParameter bool     `json:"authorization_response_iss_parameter_supported"`
		JWKSURI      string   `json:"jwks_uri"`
	}
	if err := provider.Claims(&meta); err != nil {
		return nil, fmt.Errorf("oidc: discovery at %s: %w", cfg.Issuer, err)
	}
	endpoint := provider.Endpoint()
	if endpoint.AuthURL == "" || endpoint.TokenURL == "" || meta.JWKSURI == "" {
		return nil, fmt.Errorf("oidc: discovery at %s: authorization_endpoint, token_endpoint or jwks_uri missing", cfg.Issuer)
	}
	// Token endpoint client authentication: client_secret_basic is the
	// default of the specification when the provider lists nothing.
	switch {
	case len(meta.AuthMethods) == 0 || slices.Contains(meta.AuthMethods, "client_secret_basic"):
		endpoint.AuthStyle = oauth2.AuthStyleInHeader
	case slices.Contains(meta.AuthMethods, "client_secret_post"):
		endpoint.AuthStyle = oauth2.AuthStyleInParams
	}

	keyMaterial := cfg.StateKey
	if len(keyMaterial) == 0 {
		keyMaterial = []byte(cfg.ClientSecret)
	}
	s, err := newSealer(keyMaterial, cfg.Issuer, cfg.ClientID)
	if err != nil {
		return nil, fmt.Errorf("oidc: %w", err)
	}
	redirect, _ := url.Parse(cfg.RedirectURL) // validated above
	cookiePath := redirect.EscapedPath()
	if cookiePath == "" {
		cookiePath = "/"
	}
	return &RP{
		cfg:      cfg,
		client:   httpClient,
		provider: provider,
		verifier: provider.Verifier(&gooidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     endpoint,
			RedirectURL:  cfg.RedirectURL,
			Scopes:       cfg.Scopes,
		},
		sealer:          s,
		secure:          cfg.CookieSecure || redirect.Scheme == "https",
		cookiePath:      cookiePath,
		requireIssParam: meta.IssParameter,
	}, nil
}

// Start begins a login: it sets the sealed state cookie and redirects the
// browser to the identity provider. returnTo is where Callback sends the
// user afterwards; anything but a local path becomes "/".
func (rp *RP) Start(w http.ResponseWriter, r *http.Request, returnTo string) {
	st := flowState{
		State:    randomToken(),
		Nonce:    randomToken(),
		Verifier: oauth2.GenerateVerifier(),
		ReturnTo: SafeReturnTo(returnTo),
		Expires:  time.Now().Add(stateTTL).Unix(),
	}
	name := cookieName(rp.secure, st.State)
	value, err := rp.sealer.seal(name, st)
	if err != nil {
		http.Error(w, "Die Anmeldung konnte nicht gestartet werden.", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     rp.cookiePath,
		MaxAge:   int(stateTTL / time.Second),
		Expires:  time.Unix(st.Expires, 0),
		HttpOnly: true,
		Secure:   rp.secure,
		SameSite: http.SameSiteLaxMode, // the provider's redirect back is a top-level GET
	})
	w.Header().Set("Cache-Control", "no-store")
	authURL := rp.oauth.AuthCodeURL(st.State, oauth2.S256ChallengeOption(st.Verifier), gooidc.Nonce(st.Nonce))
	http.Redirect(w, r, authURL, http.StatusFound)
}

// Callback completes a login at the redirect URL. It returns the verified
// identity and the local path to continue at. On failure the Identity is
// zero and the error is an *apperr.Error (see the Err* sentinels); returnTo
// is then the path of the failed attempt if it is known, else "".
func (rp *RP) Callback(w http.ResponseWriter, r *http.Request) (Identity, string, error) {
	q := r.URL.Query()
	state := q.Get("state")

	var cookie *http.Cookie
	name := ""
	if state != "" {
		name = cookieName(rp.secure, state)
		cookie, _ = r.Cookie(name)
		if cookie != nil {
			rp.clearCookie(w, name) // a state cookie is good for one attempt only
		}
	}

	if code := q.Get("error"); code != "" {
		return Identity{}, "", fail(fmt.Sprintf("Der Identitätsanbieter hat die Anmeldung abgelehnt (Fehlercode: %s).", safeErrorCode(code)),
			fmt.Errorf("%w: %s", ErrProviderError, safeErrorCode(code)))
	}
	if state == "" {
		return Identity{}, "", fail(msgStateMismatch, fmt.Errorf("%w: state parameter missing", ErrStateMismatch))
	}
	if cookie == nil {
		if rp.hasFlowCookie(r) {
			return Identity{}, "", fail(msgStateMismatch, fmt.Errorf("%w: no login attempt with this state", ErrStateMismatch))
		}
		return Identity{}, "", fail("Die Anmeldung ist abgelaufen oder wurde in einem anderen Browser begonnen. Bitte melden Sie sich erneut an.", ErrStateMissing)
	}
	st, err := rp.sealer.open(name, cookie.Value, time.Now())
	switch {
	case errors.Is(err, errSealExpired):
		return Identity{}, "", fail("Die Anmeldung hat zu lange gedauert und ist abgelaufen. Bitte melden Sie sich erneut an.", ErrStateExpired)
	case err != nil:
		return Identity{}, "", fail("Die Anmeldedaten im Browser sind ungültig. Bitte melden Sie sich erneut an.", fmt.Errorf("%w: %w", ErrStateInvalid, err))
	}
	if subtle.ConstantTimeCompare([]byte(st.State), []byte(state)) != 1 {
		return Identity{}, st.ReturnTo, fail(msgStateMismatch, fmt.Errorf("%w: state in cookie differs", ErrStateMismatch))
	}
	// RFC 9207 (mix-up defence): if the provider names itself, it must be ours.
	if iss, ok := q["iss"]; (ok && (len(iss) != 1 || iss[0] != rp.cfg.Issuer)) || (!ok && rp.requireIssParam) {
		return Identity{}, st.ReturnTo, fail("Die Rückmeldung stammt nicht vom konfigurierten Identitätsanbieter.", ErrIssuerParam)
	}
	code := q.Get("code")
	if code == "" {
		return Identity{}, st.ReturnTo, fail("Die Rückmeldung des Identitätsanbieters enthält keinen Autorisierungscode.", ErrCodeMissing)
	}

	ctx := gooidc.ClientContext(r.Context(), rp.client)
	tok, err := rp.oauth.Exchange(ctx, code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			// Only the error code: descriptions may echo request data.
			return Identity{}, st.ReturnTo, fail("Der Autorisierungscode wurde vom Identitätsanbieter nicht angenommen (ungültig, abgelaufen oder bereits verwendet). Bitte melden Sie sich erneut an.",
				fmt.Errorf("%w: token endpoint answered HTTP %d %s", ErrExchange, statusOf(re), safeErrorCode(re.ErrorCode)))
		}
		return Identity{}, st.ReturnTo, &apperr.Error{Kind: apperr.KindInternal, Message: "Der Identitätsanbieter ist nicht erreichbar.",
			Err: fmt.Errorf("%w: %w", ErrExchange, err)}
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return Identity{}, st.ReturnTo, fail(msgIDToken, fmt.Errorf("%w: token response has no id_token", ErrIDToken))
	}
	idt, err := rp.verifier.Verify(ctx, rawID)
	if err != nil {
		return Identity{}, st.ReturnTo, fail(msgIDToken, fmt.Errorf("%w: %w", ErrIDToken, err))
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(st.Nonce)) != 1 {
		return Identity{}, st.ReturnTo, fail("Das ID-Token gehört nicht zu dieser Anmeldung. Bitte melden Sie sich erneut an.", ErrNonceMismatch)
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return Identity{}, st.ReturnTo, fail(msgIDToken, fmt.Errorf("%w: at_hash: %w", ErrIDToken, err))
		}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, st.ReturnTo, fail(msgIDToken, fmt.Errorf("%w: claims: %w", ErrIDToken, err))
	}
	// OIDC Core 2: with several audiences, azp must name us; if present, always.
	if azp, ok := claims["azp"]; (ok && azp != rp.cfg.ClientID) || (!ok && len(idt.Audience) > 1) {
		return Identity{}, st.ReturnTo, fail(msgIDToken, fmt.Errorf("%w: azp does not name client %q", ErrIDToken, rp.cfg.ClientID))
	}
	if idt.Subject == "" {
		return Identity{}, st.ReturnTo, fail(msgIDToken, fmt.Errorf("%w: sub missing", ErrIDToken))
	}

	// Providers may keep profile claims out of the ID token when an access
	// token is issued (OIDC Core 5.4); fetch them from the userinfo endpoint.
	if rp.missingClaims(claims) && rp.provider.UserInfoEndpoint() != "" && tok.AccessToken != "" {
		ui, err := rp.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return Identity{}, st.ReturnTo, fail("Die Benutzerdaten konnten beim Identitätsanbieter nicht abgerufen werden.", fmt.Errorf("%w: %w", ErrUserInfo, err))
		}
		// OIDC Core 5.3.2: the userinfo sub must be the ID token's sub.
		if ui.Subject != idt.Subject {
			return Identity{}, st.ReturnTo, fail("Die Benutzerdaten des Identitätsanbieters gehören nicht zum angemeldeten Konto.", fmt.Errorf("%w: sub differs from id token", ErrUserInfo))
		}
		extra := map[string]any{}
		if err := ui.Claims(&extra); err != nil {
			return Identity{}, st.ReturnTo, fail("Die Benutzerdaten konnten beim Identitätsanbieter nicht abgerufen werden.", fmt.Errorf("%w: %w", ErrUserInfo, err))
		}
		for k, v := range extra {
			if _, ok := claims[k]; !ok { // the signed ID token wins
				claims[k] = v
			}
		}
	}

	id, err := rp.mapClaims(idt.Issuer, idt.Subject, claims)
	if err != nil {
		return Identity{}, st.ReturnTo, err
	}
	return id, st.ReturnTo, nil
}

const (
	msgStateMismatch = "Die Rückmeldung des Identitätsanbieters gehört nicht zu dieser Anmeldung. Bitte melden Sie sich erneut an."
	msgIDToken       = "Das ID-Token des Identitätsanbieters ist ungültig."
)

func fail(msg string, cause error) error {
	return &apperr.Error{Kind: apperr.KindUnauthorized, Message: msg, Err: cause}
}

func (rp *RP) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: rp.cookiePath, MaxAge: -1, Expires: time.Unix(0, 0),
		HttpOnly: true, Secure: rp.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (rp *RP) hasFlowCookie(r *http.Request) bool {
	prefix := cookieNamePrefix(rp.secure)
	for _, c := range r.Cookies() {
		if strings.HasPrefix(c.Name, prefix) {
			return true
		}
	}
	return false
}

var errorCodeRE = regexp.MustCompile(`^[a-z0-9_.-]{1,64}$`)

// safeErrorCode passes registered-looking OAuth error codes and hides
// anything else, which could be injected text.
func safeErrorCode(code string) string {
	if errorCodeRE.MatchString(code) {
		return code
	}
	return "unbekannt"
}

func statusOf(re *oauth2.RetrieveError) int {
	if re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}

// SafeReturnTo returns p if it is a local path on this site, else "/". It
// refuses scheme-relative ("//host"), backslash ("/\host") and control
// character tricks that browsers would turn into a foreign URL.
func SafeReturnTo(p string) string {
	if len(p) == 0 || len(p) > 2048 || p[0] != '/' {
		return "/"
	}
	if len(p) > 1 && (p[1] == '/' || p[1] == '\\') {
		return "/"
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return p
}
