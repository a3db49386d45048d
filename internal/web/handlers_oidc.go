package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/auth/oidc"
)

// "Anmelden mit Landes-Login": single sign-on at the Land's identity
// provider with OpenID Connect (internal/auth/oidc). GET
// /api/v1/anmeldung/oidc sends the browser to the provider; the provider
// sends it back to GET /api/v1/anmeldung/oidc/rueckkehr, which verifies the
// answer, finds, binds or creates the account (auth.ExternalLogin) and
// starts a session with the same cookie and CSRF token as the password
// sign-in.

func init() { routeGroups = append(routeGroups, oidcRoutes) }

func oidcRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/anmeldung/oidc", false, (*Server).oidcStart},
		{"GET", OIDCCallbackPath, false, (*Server).oidcCallback},
	}
}

// OIDCCallbackPath is the path of the redirect URL to register at the
// identity provider (OIDCOptions.Config.RedirectURL).
const OIDCCallbackPath = "/api/v1/anmeldung/oidc/rueckkehr"

// OIDCOptions configure single sign-on; nil in Options leaves it off (the
// routes answer 404).
type OIDCOptions struct {
	// Config is the relying party: issuer, client, redirect URL
	// (…/api/v1/anmeldung/oidc/rueckkehr), claim mapping, role map.
	// CookieSecure is set unless Options.InsecureCookie.
	Config oidc.Config
	// NoAutoProvision: an identity that matches no account is refused
	// instead of getting a new account.
	NoAutoProvision bool
	// NoRoleSync: the roles of existing accounts are left as they are
	// instead of following the provider's (mapped) roles.
	NoRoleSync bool
	// HTTPClient makes the requests to the provider (nil: 30 s timeout).
	HTTPClient *http.Client
	// DiscoveryTimeout bounds each discovery attempt (default 10 s).
	DiscoveryTimeout time.Duration
	// RetryInterval: after a failed discovery, the next request to an
	// OIDC route tries again once this much time has passed (default
	// 30 s); until then the routes answer 503.
	RetryInterval time.Duration
}

// Defaults of OIDCOptions.
const (
	DefaultOIDCDiscoveryTimeout = 10 * time.Second
	DefaultOIDCRetryInterval    = 30 * time.Second
)

// oidcState holds the relying party once discovery succeeded.
type oidcState struct {
	o   OIDCOptions
	log *slog.Logger

	mu       sync.Mutex
	rp       *oidc.RP
	lastTry  time.Time
	retrying bool
}

// newOIDCState tries discovery once (bounded by DiscoveryTimeout). If the
// provider cannot be reached, it logs a warning and the routes answer 503
// until a later attempt succeeds: the server starts anyway, so that
// password sign-in and API tokens keep working.
func newOIDCState(o *OIDCOptions, insecureCookie bool, log *slog.Logger) *oidcState {
	if o == nil {
		return nil
	}
	st := &oidcState{o: *o, log: log}
	if st.o.DiscoveryTimeout <= 0 {
		st.o.DiscoveryTimeout = DefaultOIDCDiscoveryTimeout
	}
	if st.o.RetryInterval <= 0 {
		st.o.RetryInterval = DefaultOIDCRetryInterval
	}
	st.o.Config.CookieSecure = st.o.Config.CookieSecure || !insecureCookie
	if u, err := url.Parse(st.o.Config.RedirectURL); err == nil && !strings.HasSuffix(u.Path, OIDCCallbackPath) {
		log.Warn("oidc: die Redirect-URL endet nicht auf "+OIDCCallbackPath+"; der Identitätsanbieter schickt die Browser dann nicht zu Aktenwerk zurück",
			"redirect_url", st.o.Config.RedirectURL)
	}
	st.lastTry = time.Now()
	st.rp = st.discover()
	return st
}

// discover runs one discovery attempt and returns the relying party, or
// nil after logging why there is none.
func (st *oidcState) discover() *oidc.RP {
	ctx, cancel := context.WithTimeout(context.Background(), st.o.DiscoveryTimeout)
	defer cancel()
	rp, err := oidc.New(ctx, st.o.Config, st.o.HTTPClient)
	if err != nil {
		st.log.Warn("Anmeldung mit Landes-Login nicht verfügbar: Identitätsanbieter nicht erreichbar oder falsch konfiguriert; "+
			"die OIDC-Routen antworten 503, bis ein neuer Versuch gelingt",
			"issuer", st.o.Config.Issuer, "err", err, "naechster_versuch_fruehestens_in", st.o.RetryInterval.String())
		return nil
	}
	st.log.Info("Anmeldung mit Landes-Login bereit", "issuer", st.o.Config.Issuer, "client_id", st.o.Config.ClientID)
	return rp
}

// relyingParty returns the relying party, or nil while the provider has not
// been discovered. The first request after RetryInterval tries again (one
// at a time, without holding the lock; the others answer 503 meanwhile).
func (st *oidcState) relyingParty() *oidc.RP {
	st.mu.Lock()
	if st.rp != nil || st.retrying || time.Since(st.lastTry) < st.o.RetryInterval {
		rp := st.rp
		st.mu.Unlock()
		return rp
	}
	st.retrying, st.lastTry = true, time.Now()
	st.mu.Unlock()

	rp := st.discover()

	st.mu.Lock()
	defer st.mu.Unlock()
	st.retrying = false
	if rp != nil {
		st.rp = rp
	}
	return st.rp
}

// relyingParty answers 404 when single sign-on is not configured and 503
// while the provider is not available; on false an answer has been written.
func (s *Server) relyingParty(w http.ResponseWriter, r *http.Request) (*oidc.RP, bool) {
	st := s.auth.oidc
	if st == nil {
		writeProblem(w, r, Problem{Type: "/probleme/nicht-gefunden", Title: "Nicht gefunden", Status: http.StatusNotFound,
			Detail: "Anmeldung mit Landes-Login ist nicht eingerichtet"})
		return nil, false
	}
	rp := st.relyingParty()
	if rp == nil {
		oidcUnavailable(w, r, st.o.RetryInterval)
		return nil, false
	}
	return rp, true
}

func oidcUnavailable(w http.ResponseWriter, r *http.Request, retry time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(retry/time.Second))))
	writeProblem(w, r, Problem{Type: "/probleme/nicht-verfuegbar", Title: "Vorübergehend nicht verfügbar", Status: http.StatusServiceUnavailable,
		Detail: "Die Anmeldung mit Landes-Login ist vorübergehend nicht möglich: der Identitätsanbieter ist nicht erreichbar. Bitte später erneut versuchen oder mit Passwort anmelden."})
}

func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.relyingParty(w, r)
	if !ok {
		return
	}
	// ziel: where the browser goes after the sign-in; anything but a
	// local path becomes "/" (oidc.SafeReturnTo).
	rp.Start(w, r, r.URL.Query().Get("ziel"))
}

func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.relyingParty(w, r)
	if !ok {
		return
	}
	addr := s.clientAddr(r)
	id, returnTo, err := rp.Callback(w, r)
	if err != nil {
		// Before the identity is verified there is no tenant, hence no
		// audit chain: the attempt is logged. The error texts of the
		// relying party never contain tokens, codes or secrets.
		if apperr.KindOf(err) == apperr.KindInternal {
			s.log.Warn("anmeldung mit landes-login: identitätsanbieter nicht erreichbar", "err", err, "adresse", addr)
			oidcUnavailable(w, r, time.Minute)
			return
		}
		s.log.Info("anmeldung mit landes-login fehlgeschlagen", "err", err, "adresse", addr)
		writeError(w, r, err)
		return
	}
	roles := make([]access.Role, 0, len(id.Roles))
	for _, name := range id.Roles {
		if role, ok := access.ParseRole(name); ok {
			roles = append(roles, role)
		}
	}
	presented, _ := s.sessionSecret(r)
	o := s.auth.oidc.o
	st, err := s.auth.svc.ExternalLogin(r.Context(), auth.ExternalLoginRequest{
		Identity: auth.ExternalIdentity{Issuer: id.Issuer, Subject: id.Subject, Tenant: id.Tenant, Login: id.Login,
			Name: id.Name, Email: id.Email, Roles: roles, Units: id.Units},
		Provisioning: auth.Provisioning{AutoProvision: !o.NoAutoProvision, SyncRoles: !o.NoRoleSync},
		Method:       auth.MethodOIDC, Address: addr, UserAgent: r.UserAgent(), Presented: presented,
	})
	if err != nil {
		s.authError(w, r, err)
		return
	}
	if i, ok := r.Context().Value(reqKey{}).(*reqInfo); ok {
		i.tenant, i.user = st.TenantCode, st.Login
	}
	s.setSessionCookie(w, st.Secret)
	// returnTo is a local path (oidc.SafeReturnTo). 303: the browser
	// continues with a GET; the page there asks GET /api/v1/sitzung for
	// the CSRF token.
	w.Header().Set("Location", oidc.SafeReturnTo(returnTo))
	w.WriteHeader(http.StatusSeeOther)
}
