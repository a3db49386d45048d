package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/auth/oidc"
	"aktenwerk/internal/records"
)

// The clerk's web application: server-rendered HTML pages (html/template,
// templates/), progressive enhancement with htmx and one small script of
// ours (assets/). Its routes are a table of their own, next to the API's
// Routes(), so that the API contract tests stay about the API. Every page
// that shows records signs in with the same session cookie as the API and
// goes through the same records.Service calls, which enforce tenant and
// permission: an object of another tenant gives the same 404 page as an
// unknown id.

// uiRoute is one entry of the UI route table.
type uiRoute struct {
	Method  string
	Pattern string
	// Auth: the page needs a signed-in session (else: redirect to
	// /anmelden). Public routes still get the UI's security headers.
	Auth    bool
	handler func(*Server, http.ResponseWriter, *http.Request, *uiCtx)
	// upload: a multipart POST whose CSRF field is checked by the handler
	// while it streams the body (see ui_upload.go), not by the middleware.
	upload bool
}

// UIRoutes returns the UI route table (method and pattern; for tests and
// documentation).
func UIRoutes() []struct{ Method, Pattern string } {
	var out []struct{ Method, Pattern string }
	for _, r := range allUIRoutes() {
		out = append(out, struct{ Method, Pattern string }{r.Method, r.Pattern})
	}
	return out
}

func uiRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/anmelden", false, (*Server).uiLoginPage, false},
		{"POST", "/anmelden", false, (*Server).uiLogin, false},
		{"POST", "/abmelden", true, (*Server).uiLogout, false},

		{"GET", "/{$}", true, (*Server).uiStart, false},
		{"GET", "/aktenplan", true, (*Server).uiAktenplan, false},
		{"GET", "/aktenplan/{id}", true, (*Server).uiAktenplan, false},
		{"GET", "/akten/{id}", true, (*Server).uiAkte, false},
		{"GET", "/vorgaenge/{id}", true, (*Server).uiVorgang, false},
		{"POST", "/vorgaenge/{id}/dokumente", true, (*Server).uiUpload, true},
		{"POST", "/vorgaenge/{id}/zda", true, (*Server).uiVorgangZdA, false},
		{"POST", "/vorgaenge/{id}/wiederaufnahme", true, (*Server).uiVorgangReopen, false},
		{"GET", "/dokumente/{id}", true, (*Server).uiDokument, false},
		{"POST", "/dokumente/{id}", true, (*Server).uiDokumentSave, false},
		{"GET", "/dokumente/{id}/vorschau", true, (*Server).uiPreview, false},
		{"GET", "/dokumente/{id}/miniatur", true, (*Server).uiMiniatur, false},
	}
}

// uiRouteGroups are the UI route tables of further areas (Posteingang,
// Suche, Verwaltung, …); each area's file appends its group in init.
var uiRouteGroups []func() []uiRoute

// allUIRoutes is the base table with every area's routes.
func allUIRoutes() []uiRoute {
	rs := uiRoutes()
	for _, g := range uiRouteGroups {
		rs = append(rs, g()...)
	}
	return rs
}

// registerUI puts the UI routes, the assets and the HTML 404 page on the
// mux.
func (s *Server) registerUI() {
	for _, rt := range allUIRoutes() {
		rt := rt
		var h http.HandlerFunc
		if rt.Auth {
			h = s.uiAuthenticated(rt)
		} else {
			h = func(w http.ResponseWriter, r *http.Request) {
				uiHeaders(w, false)
				rt.handler(s, w, r, &uiCtx{s: s, r: r})
			}
		}
		s.mux.Handle(rt.Method+" "+rt.Pattern, h)
	}
	s.mux.HandleFunc("GET /assets/{path...}", serveAsset)
	// Every other path outside the API: the German 404 page (signed in or
	// not; it names nothing about the path).
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		uiHeaders(w, false)
		c := &uiCtx{s: s, r: r}
		if secret, ok := s.sessionSecret(r); ok {
			if _, p, err := s.auth.svc.Authenticate(r.Context(), secret); err == nil {
				c.p, c.signedIn = p, true
			}
		}
		c.notFound(w)
	})
}

// cspPage is the Content-Security-Policy of every UI page; framePDF adds
// frame-src 'self' for the PDF preview of the Dokument page.
const cspPage = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// uiHeaders sets the security headers of UI responses.
func uiHeaders(w http.ResponseWriter, framePDF bool) {
	h := w.Header()
	csp := cspPage
	if framePDF {
		csp += "; frame-src 'self'"
	}
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	// Pages show records: never stored by shared caches or the browser's
	// back/forward disk cache after sign-out.
	h.Set("Cache-Control", "no-store")
}

// uiCtx is what a UI handler knows about the request.
type uiCtx struct {
	s        *Server
	r        *http.Request
	p        records.Principal
	sess     auth.Session
	signedIn bool
	tenant   string // tenant name for the header
}

// uiAuthenticated resolves the session cookie (never an API token: the UI
// is for browsers), checks the CSRF token of state-changing requests and
// records refused accesses after the answer, like the API middleware.
func (s *Server) uiAuthenticated(rt uiRoute) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		uiHeaders(w, false)
		c := &uiCtx{s: s, r: r}
		if err := s.auth.cop.Check(r); err != nil {
			c.errorPage(w, http.StatusForbidden, "Anfrage abgelehnt", "Anfragen von einer fremden Website werden nicht angenommen.")
			return
		}
		secret, ok := s.sessionSecret(r)
		if !ok {
			s.toLogin(w, r)
			return
		}
		sess, p, err := s.auth.svc.Authenticate(r.Context(), secret)
		if err != nil {
			if apperr.KindOf(err) == apperr.KindUnauthorized {
				s.clearSessionCookie(w)
				s.toLogin(w, r)
				return
			}
			c.fail(w, err)
			return
		}
		c.p, c.sess, c.signedIn = p, sess, true
		if i, ok := r.Context().Value(reqKey{}).(*reqInfo); ok {
			i.principal, i.tenant, i.user = p, p.TenantCode, p.Login
		}
		if !safeMethod(r.Method) && !rt.upload {
			r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
			if err := r.ParseForm(); err != nil {
				c.errorPage(w, http.StatusBadRequest, "Ungültige Anfrage", "Das Formular konnte nicht gelesen werden.")
				return
			}
			if !c.csrfOK(r.PostForm.Get("csrf")) {
				c.csrfFailed(w)
				return
			}
		}
		r = r.WithContext(records.WithDenials(context.WithValue(r.Context(), sessionKey{}, sess)))
		c.r = r
		defer func() {
			_ = http.NewResponseController(w).Flush()
			s.recordDenials(r, p)
		}()
		rt.handler(s, w, r, c)
	}
}

// csrfOK compares a presented token (form field, or the X-CSRF-Token
// header of script requests) with the session's.
func (c *uiCtx) csrfOK(form string) bool {
	tok := form
	if tok == "" {
		tok = c.r.Header.Get(CSRFHeader)
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(c.sess.CSRF)) == 1
}

func (c *uiCtx) csrfFailed(w http.ResponseWriter) {
	c.errorPage(w, http.StatusForbidden, "Anfrage abgelehnt",
		"Das Formular ist abgelaufen oder stammt nicht aus dieser Sitzung. Bitte die Seite neu laden und es noch einmal versuchen.")
}

// toLogin sends a browser without a session to the sign-in page, with the
// page it wanted as ziel.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/anmelden"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?ziel=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeTarget is a local path to continue at after sign-in.
func safeTarget(ziel string) string {
	if ziel == "" {
		return "/"
	}
	t := oidc.SafeReturnTo(ziel)
	if strings.HasPrefix(t, "/api/") || strings.HasPrefix(t, "/anmelden") {
		return "/"
	}
	return t
}

// fail renders the page for a domain error: 404 for unknown and invisible
// objects alike, 403, 409/422 as a message, 500 without details.
func (c *uiCtx) fail(w http.ResponseWriter, err error) {
	if e, ok := apperr.As(err); ok {
		switch e.Kind {
		case apperr.KindNotFound:
			c.notFound(w)
			return
		case apperr.KindForbidden:
			records.NoteDenial(c.r.Context(), records.Denial{ObjectType: "anfrage", ObjectID: c.r.Method + " " + c.r.URL.Path, Reason: e.Message})
			c.errorPage(w, http.StatusForbidden, "Keine Berechtigung",
				"Für diese Aktion fehlt Ihnen die Berechtigung. Wenden Sie sich an die Registratur oder die Administration, wenn Sie sie brauchen.")
			return
		case apperr.KindUnauthorized:
			c.s.toLogin(w, c.r)
			return
		}
		if ks, ok := kindStatus[e.Kind]; ok {
			c.errorPage(w, ks.status, ks.title, e.Message)
			return
		}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		c.errorPage(w, http.StatusRequestEntityTooLarge, "Inhalt zu groß", "Die Anfrage ist zu groß.")
		return
	}
	if c.r.Context().Err() != nil {
		return // the browser went away
	}
	c.s.log.Error("ui: internal error", "err", err, "path", c.r.URL.Path, "request_id", requestID(c.r.Context()))
	c.errorPage(w, http.StatusInternalServerError, "Interner Fehler",
		"Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut; bleibt der Fehler, melden Sie dem Betrieb die Anfrage-ID "+requestID(c.r.Context())+".")
}

func (c *uiCtx) notFound(w http.ResponseWriter) {
	c.render(w, http.StatusNotFound, "fehler.html", pageData{Title: "Nicht gefunden", Data: fehlerView{
		Status: 404, Titel: "Seite nicht gefunden",
		Text: "Diese Seite gibt es nicht, oder Sie dürfen das Objekt nicht sehen. Prüfen Sie die Adresse oder gehen Sie über den Aktenplan oder die Startseite weiter.",
	}})
}

func (c *uiCtx) errorPage(w http.ResponseWriter, status int, title, text string) {
	c.render(w, status, "fehler.html", pageData{Title: title, Data: fehlerView{Status: status, Titel: title, Text: text}})
}

type fehlerView struct {
	Status      int
	Titel, Text string
}
