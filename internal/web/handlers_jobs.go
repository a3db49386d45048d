package web

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/jobs"
)

// Background jobs for a tenant's administrators: the counts per kind and
// the dead letters (jobs that failed for good: a missing OCR tool, a
// mailbox that refuses the login), with retry and discard. Only the
// caller's tenant's jobs; others are 404. Operators of the installation use
// `aktenwerk jobs` for all tenants.

func init() { routeGroups = append(routeGroups, jobRoutes) }

func jobRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/auftraege", true, (*Server).listJobs},
		{"POST", "/api/v1/auftraege/{id}/wiederholung", true, (*Server).retryJob},
		{"DELETE", "/api/v1/auftraege/{id}", true, (*Server).discardJob},
	}
}

// auftrag is a dead job as the API shows it.
type auftrag struct {
	ID            string          `json:"id"`
	Art           string          `json:"art"`
	Versuche      int             `json:"versuche"`
	LetzterFehler string          `json:"letzter_fehler"`
	ErstelltAm    time.Time       `json:"erstellt_am"`
	GescheitertAm *time.Time      `json:"gescheitert_am"`
	Daten         json.RawMessage `json:"daten"`
}

type auftragsArt struct {
	Art          string `json:"art"`
	Wartend      int    `json:"wartend"`
	Wiederholung int    `json:"wiederholung"`
	Laufend      int    `json:"laufend"`
	Gescheitert  int    `json:"gescheitert"`
}

type auftraege struct {
	Arten       []auftragsArt `json:"arten"`
	Gescheitert []auftrag     `json:"gescheitert"`
	NextCursor  *string       `json:"next_cursor"`
}

// jobsAllowed answers the request itself unless the caller may administer
// the tenant's jobs and the queue is there.
func (s *Server) jobsAllowed(w http.ResponseWriter, r *http.Request) bool {
	if !access.Can(principal(r), access.ManageUsers) {
		writeError(w, r, apperr.Forbidden("Keine Berechtigung: %s", access.ManageUsers.Label()))
		return false
	}
	if s.jobs == nil {
		writeProblem(w, r, Problem{Type: "/probleme/nicht-verfuegbar", Title: "Nicht verfügbar", Status: http.StatusServiceUnavailable,
			Detail: "Hintergrundaufträge sind in diesem Server nicht eingerichtet"})
		return false
	}
	return true
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	pg, ok := page(w, r)
	if !ok || !s.jobsAllowed(w, r) {
		return
	}
	tenant := principal(r).TenantID
	kind := r.URL.Query().Get("art")
	stats, err := s.jobs.StatsOf(r.Context(), tenant)
	if err != nil {
		writeError(w, r, err)
		return
	}
	dead, err := s.jobs.ListDeadOf(r.Context(), tenant, kind, pg.After, pg.Limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := auftraege{Arten: []auftragsArt{}, Gescheitert: []auftrag{}}
	for _, st := range stats {
		out.Arten = append(out.Arten, auftragsArt{Art: st.Kind, Wartend: st.Queued, Wiederholung: st.Failed, Laufend: st.Running, Gescheitert: st.Dead})
	}
	for _, j := range dead {
		out.Gescheitert = append(out.Gescheitert, auftrag{ID: j.ID, Art: j.Kind, Versuche: j.Attempt, LetzterFehler: j.LastError,
			ErstelltAm: j.CreatedAt, GescheitertAm: j.DeadAt, Daten: j.Payload})
	}
	if len(dead) == pg.Limit {
		c := base64.RawURLEncoding.EncodeToString([]byte(dead[len(dead)-1].ID))
		out.NextCursor = &c
	}
	writeJSON(w, http.StatusOK, out)
}

// ownJob loads a job of the caller's tenant for its administrators. A job
// of another tenant is 404 like an unknown one, whoever asks.
func (s *Server) ownJob(w http.ResponseWriter, r *http.Request) (jobs.Job, bool) {
	if s.jobs == nil {
		return jobs.Job{}, s.jobsAllowed(w, r)
	}
	j, err := s.jobs.Get(r.Context(), r.PathValue("id"))
	if err == nil && j.TenantID != principal(r).TenantID {
		err = apperr.NotFound("Job")
	}
	if err != nil {
		writeError(w, r, err)
		return j, false
	}
	return j, s.jobsAllowed(w, r)
}

func (s *Server) retryJob(w http.ResponseWriter, r *http.Request) {
	j, ok := s.ownJob(w, r)
	if !ok {
		return
	}
	if err := s.jobs.Retry(r.Context(), j.ID); err != nil {
		writeError(w, r, err)
		return
	}
	s.auditJob(r, "auftrag.wiederholung", j)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) discardJob(w http.ResponseWriter, r *http.Request) {
	j, ok := s.ownJob(w, r)
	if !ok {
		return
	}
	if err := s.jobs.Discard(r.Context(), j.ID); err != nil {
		writeError(w, r, err)
		return
	}
	s.auditJob(r, "auftrag.verworfen", j)
	w.WriteHeader(http.StatusNoContent)
}

// auditJob records an administrator's action on a job; the job's own
// change is already done, so a failure is logged, not answered.
func (s *Server) auditJob(r *http.Request, action string, j jobs.Job) {
	if err := s.svc.AuditEvent(r.Context(), principal(r), action, "auftrag", j.ID, map[string]any{"art": j.Kind, "daten": j.Payload}); err != nil {
		s.log.Error("audit of a job action failed", "action", action, "job", j.ID, "err", err)
	}
}
