package web

import (
	"encoding/json"
	"net/http"

	"aktenwerk/internal/audit"
	"aktenwerk/internal/records"
)

// --- Aktenplan ---------------------------------------------------------------

func (s *Server) listAktenplan(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.ListAktenplan(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if list == nil {
		list = []records.AktenplanEintrag{}
	}
	writeJSON(w, http.StatusOK, listResponse[records.AktenplanEintrag]{Items: list})
}

func (s *Server) createAktenplan(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ParentID     *string `json:"parent_id"`
		Kennzeichen  string  `json:"kennzeichen"`
		Titel        string  `json:"titel"`
		Aufbewahrung *int    `json:"aufbewahrungsfrist_jahre"`
		Archiv       string  `json:"archiventscheidung"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	e, err := s.svc.CreateAktenplan(r.Context(), principal(r), records.NewAktenplan{
		ParentID: in.ParentID, Kennzeichen: in.Kennzeichen, Titel: in.Titel, Aufbewahrung: in.Aufbewahrung, Archiv: in.Archiv})
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/aktenplan/"+e.ID)
	writeJSON(w, http.StatusCreated, e)
}

func (s *Server) getAktenplan(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.GetAktenplan(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) patchAktenplan(w http.ResponseWriter, r *http.Request) {
	var p records.AktenplanPatch
	if !decodePatch(w, r, map[string]func(json.RawMessage) error{
		"titel":                    strField(&p.Titel),
		"aufbewahrungsfrist_jahre": nullableIntField(&p.Aufbewahrung),
		"archiventscheidung":       strField(&p.Archiv),
		"geschlossen":              boolField(&p.Geschlossen),
		"kennzeichen":              strField(&p.Kennzeichen),
		"parent_id":                nullableStrField(&p.ParentID),
	}) {
		return
	}
	e, err := s.svc.UpdateAktenplan(r.Context(), principal(r), r.PathValue("id"), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) deleteAktenplan(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.DeleteAktenplan(r.Context(), principal(r), r.PathValue("id")); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// --- history ---------------------------------------------------------------------

func historyOf(objectType string) func(*Server, http.ResponseWriter, *http.Request) {
	return func(s *Server, w http.ResponseWriter, r *http.Request) {
		pg, ok := page(w, r)
		if !ok {
			return
		}
		entries, err := s.svc.History(r.Context(), principal(r), objectType, r.PathValue("id"), pg)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeList(w, entries, pg, func(e audit.Entry) string { return e.ID })
	}
}

// --- Akten -------------------------------------------------------------------------

// akteView is an Akte with its former Aktenzeichen (single-object responses).
type akteView struct {
	records.Akte
	Frueher []records.AzHistory `json:"fruehere_aktenzeichen"`
}

type vorgangView struct {
	records.Vorgang
	Frueher []records.AzHistory `json:"fruehere_aktenzeichen"`
}

func (s *Server) akteView(r *http.Request, a records.Akte) (akteView, error) {
	h, err := s.svc.AktenzeichenHistory(r.Context(), principal(r), "akte", a.ID)
	if h == nil {
		h = []records.AzHistory{}
	}
	return akteView{a, h}, err
}

func (s *Server) vorgangView(r *http.Request, v records.Vorgang) (vorgangView, error) {
	h, err := s.svc.AktenzeichenHistory(r.Context(), principal(r), "vorgang", v.ID)
	if h == nil {
		h = []records.AzHistory{}
	}
	return vorgangView{v, h}, err
}

func (s *Server) writeAkte(w http.ResponseWriter, r *http.Request, status int, a records.Akte, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := s.akteView(r, a)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

func (s *Server) writeVorgang(w http.ResponseWriter, r *http.Request, status int, vg records.Vorgang, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := s.vorgangView(r, vg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

func (s *Server) listAkten(w http.ResponseWriter, r *http.Request) {
	pg, ok := page(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	list, err := s.svc.ListAkten(r.Context(), principal(r), records.AkteFilter{AktenplanID: q.Get("aktenplan_id"), Status: q.Get("status")}, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, list, pg, func(a records.Akte) string { return a.ID })
}

func (s *Server) createAkte(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AktenplanID  string           `json:"aktenplan_id"`
		Titel        string           `json:"titel"`
		Beschreibung string           `json:"beschreibung"`
		Metadaten    records.Metadata `json:"metadaten"`
		Einheit      string           `json:"einheit"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	a, err := s.svc.CreateAkte(r.Context(), principal(r), records.NewAkte{AktenplanID: in.AktenplanID, Titel: in.Titel,
		Beschreibung: in.Beschreibung, Metadaten: in.Metadaten, Einheit: in.Einheit})
	if err == nil {
		w.Header().Set("Location", "/api/v1/akten/"+a.ID)
	}
	s.writeAkte(w, r, http.StatusCreated, a, err)
}

func (s *Server) getAkte(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.GetAkte(r.Context(), principal(r), r.PathValue("id"))
	s.writeAkte(w, r, http.StatusOK, a, err)
}

func (s *Server) patchAkte(w http.ResponseWriter, r *http.Request) {
	var p records.AktePatch
	if !decodePatch(w, r, map[string]func(json.RawMessage) error{
		"titel":        strField(&p.Titel),
		"beschreibung": strField(&p.Beschreibung),
		"metadaten":    metaField(&p.Metadaten),
		"einheit":      strField(&p.Einheit),
	}) {
		return
	}
	a, err := s.svc.UpdateAkte(r.Context(), principal(r), r.PathValue("id"), p)
	s.writeAkte(w, r, http.StatusOK, a, err)
}

func (s *Server) closeAkte(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.CloseAkte(r.Context(), principal(r), r.PathValue("id"))
	s.writeAkte(w, r, http.StatusOK, a, err)
}

func (s *Server) reopenAkte(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.ReopenAkte(r.Context(), principal(r), r.PathValue("id"))
	s.writeAkte(w, r, http.StatusOK, a, err)
}

func (s *Server) refileAkte(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AktenplanID string `json:"aktenplan_id"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	a, err := s.svc.RefileAkte(r.Context(), principal(r), r.PathValue("id"), in.AktenplanID)
	s.writeAkte(w, r, http.StatusOK, a, err)
}

// --- Vorgänge ----------------------------------------------------------------------

func (s *Server) listVorgaenge(w http.ResponseWriter, r *http.Request) {
	pg, ok := page(w, r)
	if !ok {
		return
	}
	list, err := s.svc.ListVorgaenge(r.Context(), principal(r), r.PathValue("id"), pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, list, pg, func(v records.Vorgang) string { return v.ID })
}

func (s *Server) createVorgang(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Betreff   string           `json:"betreff"`
		Metadaten records.Metadata `json:"metadaten"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	v, err := s.svc.CreateVorgang(r.Context(), principal(r), r.PathValue("id"), in.Betreff, in.Metadaten)
	if err == nil {
		w.Header().Set("Location", "/api/v1/vorgaenge/"+v.ID)
	}
	s.writeVorgang(w, r, http.StatusCreated, v, err)
}

func (s *Server) getVorgang(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.GetVorgang(r.Context(), principal(r), r.PathValue("id"))
	s.writeVorgang(w, r, http.StatusOK, v, err)
}

func (s *Server) patchVorgang(w http.ResponseWriter, r *http.Request) {
	var p records.VorgangPatch
	if !decodePatch(w, r, map[string]func(json.RawMessage) error{
		"betreff":   strField(&p.Betreff),
		"metadaten": metaField(&p.Metadaten),
	}) {
		return
	}
	v, err := s.svc.UpdateVorgang(r.Context(), principal(r), r.PathValue("id"), p)
	s.writeVorgang(w, r, http.StatusOK, v, err)
}

func (s *Server) closeVorgang(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.CloseVorgang(r.Context(), principal(r), r.PathValue("id"))
	s.writeVorgang(w, r, http.StatusOK, v, err)
}

func (s *Server) reopenVorgang(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.ReopenVorgang(r.Context(), principal(r), r.PathValue("id"))
	s.writeVorgang(w, r, http.StatusOK, v, err)
}

func (s *Server) moveVorgang(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AkteID string `json:"akte_id"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	v, err := s.svc.MoveVorgang(r.Context(), principal(r), r.PathValue("id"), in.AkteID)
	s.writeVorgang(w, r, http.StatusOK, v, err)
}
