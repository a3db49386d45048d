package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
	"aktenwerk/internal/records"
)

// Audit queries: the Prüfprotokoll of the caller's tenant, filtered, as
// pages (GET /api/v1/protokoll) or as one streamed export in CSV or JSON
// (GET /api/v1/protokoll/export). Both need the permission to read the
// audit log (roles audit, admin) and are themselves recorded in the log.

func init() { routeGroups = append(routeGroups, auditRoutes) }

func auditRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/protokoll", true, (*Server).queryAudit},
		{"GET", "/api/v1/protokoll/export", true, (*Server).exportAudit},
	}
}

// auditQueryOf reads the filter parameters shared by both routes. Bad values
// are a validation error (422) naming the parameter.
func auditQueryOf(r *http.Request) (records.AuditQuery, error) {
	q := r.URL.Query()
	aq := records.AuditQuery{User: q.Get("benutzer"), ObjectID: q.Get("objekt"), ObjectType: q.Get("objekt_typ"), Action: q.Get("aktion")}
	var v apperr.Validation
	for _, b := range []struct {
		name string
		end  bool
		dst  **time.Time
	}{{"von", false, &aq.From}, {"bis", true, &aq.To}} {
		s := q.Get(b.name)
		if s == "" {
			continue
		}
		t, err := records.ParseAuditTime(s, b.end)
		if err != nil {
			v.Add(b.name, err.Error())
			continue
		}
		*b.dst = &t
	}
	return aq, v.Err()
}

// The cursor of /protokoll carries, besides the last id, the moment the
// first page was asked for: later pages only show entries up to that
// moment. So paging through a result sees one state of the log and ends,
// although every page request adds an entry (protokoll.abfrage) to it.
const auditCursorSep = "~"

func (s *Server) queryAudit(w http.ResponseWriter, r *http.Request) {
	pg, ok := page(w, r)
	if !ok {
		return
	}
	aq, err := auditQueryOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var asOf time.Time
	if pg.After == "" {
		asOf = s.svc.Now()
	} else {
		id, micros, ok := strings.Cut(pg.After, auditCursorSep)
		n, err := strconv.ParseInt(micros, 10, 64)
		if !ok || err != nil || id == "" {
			badRequest(w, r, "Ungültiger Parameter", apperrField("cursor", "unbekannter Cursor"))
			return
		}
		pg.After, asOf = id, time.UnixMicro(n).UTC()
	}
	// The moment narrows "bis", unless "von" lies after it (then the result
	// is empty on the first page anyway, and a bound would only turn the
	// query into an invalid range).
	if (aq.To == nil || aq.To.After(asOf)) && (aq.From == nil || !aq.From.After(asOf)) {
		aq.To = &asOf
	}
	aq.Page = pg
	entries, err := s.svc.QueryAudit(r.Context(), principal(r), aq)
	if err != nil {
		writeError(w, r, err)
		return
	}
	suffix := auditCursorSep + strconv.FormatInt(asOf.UnixMicro(), 10)
	writeList(w, entries, pg, func(e audit.Entry) string { return e.ID + suffix })
}

// entryWriter is one export format.
type entryWriter struct {
	write  func(audit.Entry) error
	finish func() error
}

func (s *Server) exportAudit(w http.ResponseWriter, r *http.Request) {
	aq, err := auditQueryOf(r)
	var v apperr.Validation
	if e, ok := apperr.As(err); ok {
		for _, f := range e.Fields {
			v.Add(f.Field, f.Message)
		}
	}
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "json" {
		v.Add("format", "csv oder json")
	}
	comma := ','
	switch q.Get("trennzeichen") {
	case "", "komma":
	case "semikolon":
		comma = ';'
	default:
		v.Add("trennzeichen", "komma oder semikolon")
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	p := principal(r)

	// The answer starts with the first entry (or, for an empty result,
	// after the export has finished): errors found before that, among them
	// the permission and the filter, are answered as problems.
	var out *entryWriter
	start := func() error {
		name := "protokoll-" + p.TenantCode + "-" + s.svc.Now().Format("20060102T150405Z") + "." + format
		h := w.Header()
		h.Set("Content-Disposition", ContentDisposition("attachment", name))
		switch format {
		case "csv":
			h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
			w.WriteHeader(http.StatusOK)
			cw, err := audit.NewCSVWriter(w, comma)
			if err != nil {
				return err
			}
			out = &entryWriter{write: cw.Write, finish: cw.Flush}
		default:
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			jw, err := audit.NewJSONWriter(w)
			if err != nil {
				return err
			}
			out = &entryWriter{write: jw.Write, finish: jw.Close}
		}
		return nil
	}
	started := false
	err = s.svc.ExportAudit(r.Context(), p, aq, func(e audit.Entry) error {
		if !started {
			started = true
			if err := start(); err != nil {
				return err
			}
		}
		return out.write(e)
	})
	if err == nil && !started {
		started = true
		err = start()
	}
	if err == nil {
		err = out.finish()
	}
	if err == nil {
		return
	}
	if !started {
		writeError(w, r, err)
		return
	}
	// Headers and part of the data are out: the status cannot change any
	// more. Break the connection, so that the client sees a failed
	// download rather than a complete-looking, truncated file.
	if r.Context().Err() == nil {
		s.log.Error("audit export aborted", "err", err, "request_id", requestID(r.Context()), "tenant", p.TenantCode)
	}
	abortResponse(w)
}

// abortResponse ends a response that has already begun as failed: the
// connection is closed before the end of the body (HTTP/1.1: without the
// last chunk). Where the connection cannot be taken over (HTTP/2), the
// handler is aborted with http.ErrAbortHandler.
func abortResponse(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}
