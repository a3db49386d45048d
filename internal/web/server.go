// Package web is the HTTP face of Aktenwerk: the REST API under /api/v1 with
// its OpenAPI document, health endpoints, and the clerk's web application
// (ui*.go, templates/, assets/; the portal UI follows). Handlers translate
// HTTP to domain calls and domain errors to RFC 9457 problems (API) or
// German pages (UI); the rules live in the domain packages.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
)

// Version is the program version shown by /readyz and the OpenAPI document.
var Version = "0.1.0-dev"

// Server holds the dependencies of the HTTP handlers.
type Server struct {
	svc  *records.Service
	log  *slog.Logger
	mux  *http.ServeMux
	auth *authState  // sign-in and sessions (handlers_auth.go)
	jobs *jobs.Store // background jobs (handlers_jobs.go); nil: not available
}

// Route is one entry of the route table; the OpenAPI test walks this table.
type Route struct {
	Method  string
	Pattern string // path pattern in net/http syntax, without method
	Auth    bool
	handler func(*Server, http.ResponseWriter, *http.Request)
}

// routeGroups are the route tables of further API areas (sign-in, access,
// audit, …); each area's file registers its group in init.
var routeGroups []func() []Route

// Routes returns the route table.
func Routes() []Route {
	rs := baseRoutes()
	for _, g := range routeGroups {
		rs = append(rs, g()...)
	}
	return rs
}

func baseRoutes() []Route {
	return []Route{
		{"GET", "/healthz", false, (*Server).healthz},
		{"GET", "/readyz", false, (*Server).readyz},
		{"GET", "/api/v1/openapi.json", false, (*Server).openapi},
		{"GET", "/api/v1/ich", true, (*Server).me},
		{"GET", "/api/v1/aktenzeichen", true, (*Server).lookupAz},

		{"GET", "/api/v1/aktenplan", true, (*Server).listAktenplan},
		{"POST", "/api/v1/aktenplan", true, (*Server).createAktenplan},
		{"GET", "/api/v1/aktenplan/{id}", true, (*Server).getAktenplan},
		{"PATCH", "/api/v1/aktenplan/{id}", true, (*Server).patchAktenplan},
		{"DELETE", "/api/v1/aktenplan/{id}", true, (*Server).deleteAktenplan},
		{"GET", "/api/v1/aktenplan/{id}/historie", true, historyOf("aktenplan")},

		{"GET", "/api/v1/akten", true, (*Server).listAkten},
		{"POST", "/api/v1/akten", true, (*Server).createAkte},
		{"GET", "/api/v1/akten/{id}", true, (*Server).getAkte},
		{"PATCH", "/api/v1/akten/{id}", true, (*Server).patchAkte},
		{"POST", "/api/v1/akten/{id}/zda", true, (*Server).closeAkte},
		{"POST", "/api/v1/akten/{id}/wiederaufnahme", true, (*Server).reopenAkte},
		{"POST", "/api/v1/akten/{id}/umprotokollierung", true, (*Server).refileAkte},
		{"GET", "/api/v1/akten/{id}/historie", true, historyOf("akte")},
		{"GET", "/api/v1/akten/{id}/vorgaenge", true, (*Server).listVorgaenge},
		{"POST", "/api/v1/akten/{id}/vorgaenge", true, (*Server).createVorgang},

		{"GET", "/api/v1/vorgaenge/{id}", true, (*Server).getVorgang},
		{"PATCH", "/api/v1/vorgaenge/{id}", true, (*Server).patchVorgang},
		{"POST", "/api/v1/vorgaenge/{id}/zda", true, (*Server).closeVorgang},
		{"POST", "/api/v1/vorgaenge/{id}/wiederaufnahme", true, (*Server).reopenVorgang},
		{"POST", "/api/v1/vorgaenge/{id}/verschieben", true, (*Server).moveVorgang},
		{"GET", "/api/v1/vorgaenge/{id}/historie", true, historyOf("vorgang")},
		{"GET", "/api/v1/vorgaenge/{id}/dokumente", true, (*Server).listDokumente},
		{"POST", "/api/v1/vorgaenge/{id}/dokumente", true, (*Server).createDokument},

		{"GET", "/api/v1/dokumente/{id}", true, (*Server).getDokument},
		{"PATCH", "/api/v1/dokumente/{id}", true, (*Server).patchDokument},
		{"GET", "/api/v1/dokumente/{id}/inhalt", true, (*Server).downloadLatest},
		{"GET", "/api/v1/dokumente/{id}/durchsuchbar", true, (*Server).downloadSearchable},
		{"GET", "/api/v1/dokumente/{id}/versionen", true, (*Server).listVersionen},
		{"POST", "/api/v1/dokumente/{id}/versionen", true, (*Server).addVersion},
		{"GET", "/api/v1/dokumente/{id}/versionen/{nummer}/inhalt", true, (*Server).downloadVersion},
		{"POST", "/api/v1/dokumente/{id}/versionen/{nummer}/final", true, (*Server).markFinal},
		{"GET", "/api/v1/dokumente/{id}/historie", true, historyOf("dokument")},
	}
}

// New builds the HTTP handler. Options (at most one) configure sign-in and
// the session cookie; without, the defaults apply (Secure cookie).
func New(svc *records.Service, log *slog.Logger, opts ...Options) *Server {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{svc: svc, log: log, mux: http.NewServeMux(), auth: newAuthState(svc, log, opts)}
	if len(opts) > 0 {
		s.jobs = opts[len(opts)-1].Jobs
	}
	for _, rt := range Routes() {
		h := rt.handler
		var handler http.HandlerFunc = func(w http.ResponseWriter, r *http.Request) { h(s, w, r) }
		if rt.Auth {
			handler = s.authenticated(handler)
		}
		s.mux.Handle(rt.Method+" "+rt.Pattern, handler)
	}
	s.mux.HandleFunc("/api/", s.unknownAPI)
	s.registerUI() // the clerk's web application (ui.go)
	return s
}

// ServeHTTP implements http.Handler with the common middleware.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := r.Header.Get("X-Request-Id")
	if !requestIDRE.MatchString(id) {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	info := &reqInfo{id: id}
	ctx := context.WithValue(r.Context(), reqKey{}, info)
	r = r.WithContext(ctx)
	rec := &statusRecorder{ResponseWriter: w, status: 200}
	h := rec.Header()
	h.Set("X-Request-Id", id)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		h.Set("Cache-Control", "no-store")
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				// a deliberate abort (e.g. a failed streaming export): the
				// server must cut the connection, not answer
				panic(p)
			}
			s.log.Error("panic", "panic", p, "request_id", id)
			if !rec.wrote {
				writeProblem(rec, r, Problem{Type: "/probleme/intern", Title: "Interner Fehler", Status: 500})
			}
		}
		// One line per request. Never the Authorization header or query
		// strings (which may carry cursors, but never secrets by design).
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes,
			"duration_ms", time.Since(start).Milliseconds(), "request_id", id, "tenant", info.tenant, "user", info.user)
	}()
	s.mux.ServeHTTP(rec, r)
}

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

type reqKey struct{}

type reqInfo struct {
	id, tenant, user string
	principal        records.Principal
}

func requestID(ctx context.Context) string {
	if i, ok := ctx.Value(reqKey{}).(*reqInfo); ok {
		return i.id
	}
	return ""
}

func principal(r *http.Request) records.Principal {
	if i, ok := r.Context().Value(reqKey{}).(*reqInfo); ok {
		return i.principal
	}
	return records.Principal{}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) authenticated(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// An API token (Authorization: Bearer) or the session cookie, with
		// the CSRF token for state-changing methods (handlers_auth.go).
		p, r, ok := s.signedIn(w, r)
		if !ok {
			return
		}
		var err error
		// Refused access attempts of this request are collected and
		// audited after the answer (records.RecordDenials).
		r = r.WithContext(records.WithDenials(r.Context()))
		actor := p
		defer func() {
			// the answer goes out first; the audit entry must not delay it
			_ = http.NewResponseController(w).Flush()
			s.recordDenials(r, actor)
		}()
		// vertretung: the caller may act for a deputised user (handlers_access.go)
		if p, err = s.vertretung(r, p); err != nil {
			writeError(w, r, err)
			return
		}
		actor = p
		if i, ok := r.Context().Value(reqKey{}).(*reqInfo); ok {
			i.principal, i.tenant, i.user = p, p.TenantCode, p.Login
			if p.Deputy != nil {
				i.user = p.Deputy.Login + " i.V. " + p.Login
			}
		}
		next(w, r)
	}
}

// unknownAPI answers API paths no route takes: 405 with Allow when the path
// exists for other methods, 404 otherwise, both as problem documents.
func (s *Server) unknownAPI(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/api/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, r, Problem{Type: "/probleme/methode-nicht-erlaubt", Title: "Methode nicht erlaubt", Status: http.StatusMethodNotAllowed,
			Detail: "Erlaubt: " + strings.Join(allow, ", ")})
		return
	}
	writeProblem(w, r, Problem{Type: "/probleme/nicht-gefunden", Title: "Nicht gefunden", Status: http.StatusNotFound, Detail: "Unbekannte API-Adresse"})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	resp := map[string]string{"status": "ok", "database": "ok", "blobs": "ok", "backend": s.svc.Store().Backend(), "version": Version}
	status := http.StatusOK
	if err := s.svc.Store().Ping(ctx); err != nil {
		resp["database"], resp["status"], status = "nicht erreichbar", "nicht bereit", http.StatusServiceUnavailable
		s.log.Warn("readyz: database", "err", err)
	}
	if err := s.svc.Blobs().Ping(ctx); err != nil {
		resp["blobs"], resp["status"], status = "nicht erreichbar", "nicht bereit", http.StatusServiceUnavailable
		s.log.Warn("readyz: blob store", "err", err)
	}
	writeJSON(w, status, resp)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	writeJSON(w, http.StatusOK, map[string]any{"tenant": p.TenantCode, "login": p.Login, "rollen": p.Roles})
}

func (s *Server) lookupAz(w http.ResponseWriter, r *http.Request) {
	az := strings.TrimSpace(r.URL.Query().Get("az"))
	if az == "" {
		badRequest(w, r, "Parameter fehlt", apperrField("az", "Aktenzeichen angeben"))
		return
	}
	typ, id, err := s.svc.Lookup(r.Context(), principal(r), az)
	if err != nil {
		writeError(w, r, err)
		return
	}
	path := map[string]string{"akte": "/api/v1/akten/", "vorgang": "/api/v1/vorgaenge/"}[typ] + id
	writeJSON(w, http.StatusOK, map[string]string{"objekt_typ": typ, "id": id, "href": path})
}
