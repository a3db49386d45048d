package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
)

// Sign-in for people: POST /api/v1/anmeldung starts a browser session (a
// cookie holding a random secret; the database keeps only its SHA-256), the
// authenticated middleware accepts that cookie as well as API tokens, and
// every state-changing request made with the cookie must carry the session's
// CSRF token in X-CSRF-Token. Cross-origin browser requests are refused
// (http.CrossOriginProtection) before any of that.

func init() { routeGroups = append(routeGroups, authRoutes) }

func authRoutes() []Route {
	return []Route{
		{"POST", "/api/v1/anmeldung", false, (*Server).login},
		{"GET", "/api/v1/sitzung", true, (*Server).currentSession},
		{"POST", "/api/v1/abmeldung", true, (*Server).logout},
		{"POST", "/api/v1/abmeldung/ueberall", true, (*Server).logoutEverywhere},
		{"PUT", "/api/v1/ich/passwort", true, (*Server).changePassword},
		{"POST", "/api/v1/ich/totp", true, (*Server).beginTOTP},
		{"POST", "/api/v1/ich/totp/bestaetigung", true, (*Server).confirmTOTP},
		{"DELETE", "/api/v1/ich/totp", true, (*Server).disableTOTP},
	}
}

// Options configure a Server beyond the defaults of New.
type Options struct {
	// Auth configures sign-in: session timeouts, throttling, argon2 cost.
	Auth auth.Options
	// InsecureCookie drops the Secure attribute (and with it the __Host-
	// name) of the session cookie: for plain-HTTP development and tests
	// only. Browsers do not send Secure cookies over http://.
	InsecureCookie bool
	// TrustedProxies are reverse proxies (load balancers) whose
	// X-Forwarded-For header names the client address, which login
	// throttling and the audit trail use. Without them every client behind
	// a proxy has the proxy's address.
	TrustedProxies []netip.Prefix
	// OIDC configures "Anmelden mit Landes-Login" (handlers_oidc.go); nil
	// leaves single sign-on off.
	OIDC *OIDCOptions
	// Jobs is the background job queue, for the administrators' view of
	// their tenant's jobs and dead letters (handlers_jobs.go); nil: those
	// routes answer 503.
	Jobs *jobs.Store
}

// Cookie and header names.
const (
	// SessionCookie is the cookie's name on HTTPS: the __Host- prefix makes
	// browsers accept it only with Secure, Path=/ and no Domain, so no
	// subdomain can plant or overwrite it.
	SessionCookie = "__Host-aktenwerk"
	// SessionCookieInsecure is its name with Options.InsecureCookie.
	SessionCookieInsecure = "aktenwerk_sitzung"
	// CSRFHeader carries the session's CSRF token.
	CSRFHeader = "X-CSRF-Token"
)

type authState struct {
	svc  *auth.Service
	opts Options
	cop  *http.CrossOriginProtection
	oidc *oidcState // nil: single sign-on not configured
}

func newAuthState(svc *records.Service, log *slog.Logger, opts []Options) *authState {
	var o Options
	if len(opts) > 0 {
		o = opts[len(opts)-1]
	}
	if o.Auth.Log == nil {
		o.Auth.Log = log
	}
	return &authState{svc: auth.New(svc, o.Auth), opts: o, cop: http.NewCrossOriginProtection(),
		oidc: newOIDCState(o.OIDC, o.InsecureCookie, log)}
}

// Auth returns the sign-in service (for tools and tests).
func (s *Server) Auth() *auth.Service { return s.auth.svc }

func (a *authState) cookieName() string {
	if a.opts.InsecureCookie {
		return SessionCookieInsecure
	}
	return SessionCookie
}

func (s *Server) setSessionCookie(w http.ResponseWriter, secret string) {
	// No Max-Age: the cookie ends with the browser; the server ends the
	// session after the idle and absolute timeouts in any case.
	http.SetCookie(w, &http.Cookie{Name: s.auth.cookieName(), Value: secret, Path: "/", HttpOnly: true,
		Secure: !s.auth.opts.InsecureCookie, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.auth.cookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: !s.auth.opts.InsecureCookie, SameSite: http.SameSiteLaxMode})
}

// sessionSecret reads the session cookie, if the request has one.
func (s *Server) sessionSecret(r *http.Request) (string, bool) {
	c, err := r.Cookie(s.auth.cookieName())
	if err != nil || c.Value == "" {
		return "", false
	}
	return c.Value, true
}

type sessionKey struct{}

// sessionOf returns the browser session of a cookie-authenticated request.
func sessionOf(r *http.Request) (auth.Session, bool) {
	sess, ok := r.Context().Value(sessionKey{}).(auth.Session)
	return sess, ok
}

// sameOrigin refuses cross-origin browser requests with unsafe methods
// (Sec-Fetch-Site, Origin); requests without those headers (API clients)
// pass.
func (s *Server) sameOrigin(w http.ResponseWriter, r *http.Request) bool {
	if err := s.auth.cop.Check(r); err != nil {
		writeProblem(w, r, Problem{Type: "/probleme/fremde-herkunft", Title: "Anfrage abgelehnt", Status: http.StatusForbidden,
			Detail: "Anfragen von einer fremden Website werden nicht angenommen"})
		return false
	}
	return true
}

func safeMethod(m string) bool { return m == "GET" || m == "HEAD" || m == "OPTIONS" }

// signedIn resolves the caller of an authenticated route: an API token in
// Authorization: Bearer, or else the session cookie. With the cookie, a
// state-changing method needs the session's CSRF token. On false an answer
// has been written.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) (records.Principal, *http.Request, bool) {
	if !s.sameOrigin(w, r) {
		return records.Principal{}, r, false
	}
	authz := r.Header.Get("Authorization")
	secret, hasCookie := s.sessionSecret(r)
	if authz != "" || !hasCookie {
		token, ok := strings.CutPrefix(authz, "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			writeError(w, r, apperr.Unauthorized("Anmeldung erforderlich: Header Authorization: Bearer <Token> oder Sitzungs-Cookie (POST /api/v1/anmeldung)"))
			return records.Principal{}, r, false
		}
		p, err := s.svc.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			writeError(w, r, err)
			return records.Principal{}, r, false
		}
		return p, r, true
	}
	sess, p, err := s.auth.svc.Authenticate(r.Context(), secret)
	if err != nil {
		if apperr.KindOf(err) == apperr.KindUnauthorized {
			s.clearSessionCookie(w)
		}
		writeError(w, r, err)
		return records.Principal{}, r, false
	}
	if !safeMethod(r.Method) && subtle.ConstantTimeCompare([]byte(r.Header.Get(CSRFHeader)), []byte(sess.CSRF)) != 1 {
		writeProblem(w, r, Problem{Type: "/probleme/csrf", Title: "Anfrage abgelehnt", Status: http.StatusForbidden,
			Detail: "CSRF-Schutz: Der Header X-CSRF-Token fehlt oder passt nicht zur Sitzung (Wert csrf_token aus der Anmeldung oder aus GET /api/v1/sitzung)"})
		return records.Principal{}, r, false
	}
	return p, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)), true
}

// clientAddr is the client's IP address: the peer, or, when the peer is a
// trusted proxy, the right-most untrusted address of X-Forwarded-For.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	trusted := func(a netip.Addr) bool {
		return slices.ContainsFunc(s.auth.opts.TrustedProxies, func(p netip.Prefix) bool { return p.Contains(a) })
	}
	if !trusted(ip) {
		return ip.String()
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // garbage: the last trusted hop is all we know
		}
		ip = h.Unmap()
		if !trusted(ip) {
			break
		}
	}
	return ip.String()
}

// authError answers sign-in refusals: 429 with Retry-After for lockouts,
// the domain mapping otherwise.
func (s *Server) authError(w http.ResponseWriter, r *http.Request, err error) {
	var te *auth.ThrottledError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", strconv.Itoa(te.RetryAfter()))
		writeProblem(w, r, Problem{Type: "/probleme/zu-viele-fehlversuche", Title: "Zu viele Fehlversuche", Status: http.StatusTooManyRequests,
			Detail: te.Error()})
		return
	}
	writeError(w, r, err)
}

// accountCaller is the principal of account self-service: the person at the
// keyboard, never someone they deputise for, and with a token only if the
// token may manage accounts.
func accountCaller(w http.ResponseWriter, r *http.Request) (records.Principal, bool) {
	p := principal(r)
	if p.Deputy != nil {
		writeError(w, r, apperr.Forbidden("Das eigene Konto lässt sich nicht in Vertretung verwalten (ohne Header %s aufrufen)", VertretungHeader))
		return p, false
	}
	if p.Scopes != nil && !slices.Contains(p.Scopes, access.ScopeAdmin) {
		writeError(w, r, apperr.Forbidden("Dieses API-Token darf das Konto nicht verwalten (Scope admin erforderlich)"))
		return p, false
	}
	return p, true
}

type sessionView struct {
	Tenant       string    `json:"tenant"`
	Login        string    `json:"login"`
	CSRFToken    string    `json:"csrf_token"`
	AngemeldetAm time.Time `json:"angemeldet_am"`
	LaeuftAbAm   time.Time `json:"laeuft_ab_am"`
	Methode      string    `json:"methode"`
}

func viewSession(sess auth.Session, tenant, login string) sessionView {
	return sessionView{Tenant: tenant, Login: login, CSRFToken: sess.CSRF, AngemeldetAm: sess.CreatedAt,
		LaeuftAbAm: sess.ExpiresAt, Methode: sess.Method}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !s.sameOrigin(w, r) {
		return
	}
	var in struct {
		Tenant                 string `json:"tenant"`
		Login                  string `json:"login"`
		Passwort               string `json:"passwort"`
		TOTP                   string `json:"totp"`
		Wiederherstellungscode string `json:"wiederherstellungscode"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	presented, _ := s.sessionSecret(r)
	st, err := s.auth.svc.Login(r.Context(), auth.LoginRequest{Tenant: in.Tenant, Login: in.Login, Password: in.Passwort,
		TOTP: in.TOTP, RecoveryCode: in.Wiederherstellungscode, Address: s.clientAddr(r), UserAgent: r.UserAgent(), Presented: presented})
	if err != nil {
		s.authError(w, r, err)
		return
	}
	if i, ok := r.Context().Value(reqKey{}).(*reqInfo); ok {
		i.tenant, i.user = st.TenantCode, st.Login
	}
	s.setSessionCookie(w, st.Secret)
	writeJSON(w, http.StatusOK, viewSession(st.Session, st.TenantCode, st.Login))
}

func noSession(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, r, Problem{Type: "/probleme/nicht-gefunden", Title: "Nicht gefunden", Status: http.StatusNotFound,
		Detail: "Keine Sitzung: die Anfrage ist mit einem API-Token angemeldet"})
}

func (s *Server) currentSession(w http.ResponseWriter, r *http.Request) {
	sess, ok := sessionOf(r)
	if !ok {
		noSession(w, r)
		return
	}
	p := principal(r)
	login := p.Login
	if p.Deputy != nil {
		login = p.Deputy.Login
	}
	writeJSON(w, http.StatusOK, viewSession(sess, p.TenantCode, login))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	sess, ok := sessionOf(r)
	if !ok {
		noSession(w, r)
		return
	}
	if err := s.auth.svc.Logout(r.Context(), principal(r), sess); err != nil {
		writeError(w, r, err)
		return
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) {
	p, ok := accountCaller(w, r)
	if !ok {
		return
	}
	if _, err := s.auth.svc.LogoutEverywhere(r.Context(), p); err != nil {
		writeError(w, r, err)
		return
	}
	if _, ok := sessionOf(r); ok {
		s.clearSessionCookie(w)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	p, ok := accountCaller(w, r)
	if !ok {
		return
	}
	var in struct {
		Bisher string `json:"bisher"`
		Neu    string `json:"neu"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	if _, err := s.auth.svc.ChangePassword(r.Context(), p, in.Bisher, in.Neu, s.clientAddr(r)); err != nil {
		s.authError(w, r, err)
		return
	}
	// every session of the user ended, this one too
	if _, ok := sessionOf(r); ok {
		s.clearSessionCookie(w)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) beginTOTP(w http.ResponseWriter, r *http.Request) {
	p, ok := accountCaller(w, r)
	if !ok {
		return
	}
	e, err := s.auth.svc.BeginTOTP(r.Context(), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"secret": e.Secret, "otpauth_url": e.URL, "qr_png": e.QRDataURI()})
}

type totpCodeIn struct {
	Code string `json:"code"`
}

func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request) {
	p, ok := accountCaller(w, r)
	if !ok {
		return
	}
	var in totpCodeIn
	if !decodeJSON(w, r, &in) {
		return
	}
	codes, err := s.auth.svc.ConfirmTOTP(r.Context(), p, in.Code)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string][]string{"wiederherstellungscodes": codes})
}

func (s *Server) disableTOTP(w http.ResponseWriter, r *http.Request) {
	p, ok := accountCaller(w, r)
	if !ok {
		return
	}
	var in totpCodeIn
	if !decodeJSON(w, r, &in) {
		return
	}
	if err := s.auth.svc.DisableTOTP(r.Context(), p, in.Code, s.clientAddr(r)); err != nil {
		s.authError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
