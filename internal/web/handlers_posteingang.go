package web

import (
	"net/http"
	"strconv"
	"time"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// The Posteingang: incoming post of the caller's tenant and units (roles
// admin and registratur), uploaded here or delivered by watch folders and
// mailboxes, and its assignment to a Vorgang.

func init() { routeGroups = append(routeGroups, postRoutes) }

func postRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/posteingang", true, (*Server).listPost},
		{"POST", "/api/v1/posteingang", true, (*Server).uploadPost},
		{"GET", "/api/v1/posteingang/{id}", true, (*Server).getPost},
		{"GET", "/api/v1/posteingang/{id}/inhalt", true, (*Server).downloadPost},
		{"POST", "/api/v1/posteingang/{id}/zuordnung", true, (*Server).assignPost},
	}
}

var postFields = map[string]bool{"betreff": true, "absender": true, "einheit": true}

func (s *Server) listPost(w http.ResponseWriter, r *http.Request) {
	pg, ok := page(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	items, err := s.svc.ListPost(r.Context(), principal(r), records.PostFilter{Status: q.Get("status"), Einheit: q.Get("einheit")}, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, items, pg, func(it records.PostItem) string { return it.ID })
}

func (s *Server) uploadPost(w http.ResponseWriter, r *http.Request) {
	// refuse callers without the right before the file is streamed
	if _, err := s.svc.ListPost(r.Context(), principal(r), records.PostFilter{}, records.Page{Limit: 1}); err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.KindForbidden {
			writeError(w, r, err)
			return
		}
	}
	fields, content, ok := s.readUpload(w, r, postFields, nil)
	if !ok {
		return
	}
	it, _, err := s.svc.ReceivePost(r.Context(), principal(r), records.PostIn{Quelle: records.QuelleUpload, Einheit: fields["einheit"],
		Betreff: fields["betreff"], Absender: fields["absender"], Content: content})
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/posteingang/"+it.ID)
	writeJSON(w, http.StatusCreated, it)
}

func (s *Server) getPost(w http.ResponseWriter, r *http.Request) {
	it, err := s.svc.GetPost(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, it)
}

func (s *Server) downloadPost(w http.ResponseWriter, r *http.Request) {
	nr := 0
	if a := r.URL.Query().Get("anhang"); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil || n < 1 {
			badRequest(w, r, "Ungültiger Parameter", apperrField("anhang", "Nummer des Anhangs ab 1"))
			return
		}
		nr = n
	}
	a, f, err := s.svc.OpenPost(r.Context(), principal(r), r.PathValue("id"), nr)
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", a.MimeType)
	h.Set("ETag", `"`+a.SHA256+`"`)
	h.Set("Content-Disposition", ContentDisposition("attachment", a.Dateiname))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "", time.Time{}, f)
}

// zuordnungIn is the body of POST /posteingang/{id}/zuordnung.
type zuordnungIn struct {
	VorgangID string `json:"vorgang_id"`
	AkteID    string `json:"akte_id"`
	NeueAkte  *struct {
		AktenplanID  string           `json:"aktenplan_id"`
		Titel        string           `json:"titel"`
		Beschreibung string           `json:"beschreibung"`
		Einheit      string           `json:"einheit"`
		Metadaten    records.Metadata `json:"metadaten"`
	} `json:"neue_akte"`
	VorgangBetreff string `json:"vorgang_betreff"`
	Betreff        string `json:"betreff"`
	Typ            string `json:"typ"`
}

func (s *Server) assignPost(w http.ResponseWriter, r *http.Request) {
	var in zuordnungIn
	if !decodeJSON(w, r, &in) {
		return
	}
	z := records.Zuordnung{VorgangID: in.VorgangID, AkteID: in.AkteID, VorgangBetreff: in.VorgangBetreff, Betreff: in.Betreff, Typ: in.Typ}
	if in.NeueAkte != nil {
		z.NeueAkte = &records.NewAkte{AktenplanID: in.NeueAkte.AktenplanID, Titel: in.NeueAkte.Titel, Beschreibung: in.NeueAkte.Beschreibung,
			Einheit: in.NeueAkte.Einheit, Metadaten: in.NeueAkte.Metadaten}
	}
	res, err := s.svc.AssignPost(r.Context(), principal(r), r.PathValue("id"), z)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
