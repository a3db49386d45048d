package web

import (
	"encoding/base64"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// The search page of the clerk's web application: the same
// records.Service.Search as GET /api/v1/suche (access control is part of
// the query, so hits, counts and facets only hold what the caller may
// see), with facets as filter links that keep the query, snippets with the
// hits marked, paging by the service's cursor, the jump to an object whose
// Aktenzeichen was typed exactly, and the user's saved searches.

func init() {
	uiRouteGroups = append(uiRouteGroups, func() []uiRoute {
		return []uiRoute{
			{"GET", "/suche", true, (*Server).uiSuche, false},
			{"POST", "/suche/gespeichert", true, (*Server).uiSucheSpeichern, false},
			{"POST", "/suche/gespeichert/{id}/loeschen", true, (*Server).uiSucheLoeschen, false},
		}
	})
	meldungen["suche-gespeichert"] = "Die Suche ist gespeichert."
	meldungen["suche-geloescht"] = "Die gespeicherte Suche ist gelöscht."
}

// platzhalterView is the model of a page that is not built yet
// (platzhalter.html).
type platzhalterView struct {
	Titel, Text string
	Suche       string
}

// sucheParams are the query and the filters of a search, as in the
// address.
type sucheParams struct {
	Q, Objekt, Aktenplan, Typ, Status, Jahr string
}

// sucheParamsOf reads them from a query string or a form.
func sucheParamsOf(v url.Values) sucheParams {
	get := func(k string, max int) string {
		s := strings.TrimSpace(v.Get(k))
		if utf8.RuneCountInString(s) > max {
			s = string([]rune(s)[:max])
		}
		return s
	}
	return sucheParams{Q: get("q", 1000), Objekt: get("objekt", 20), Aktenplan: get("aktenplan", 40), Typ: get("typ", 100),
		Status: get("status", 20), Jahr: get("jahr", 4)}
}

func (p sucheParams) values() url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"q", p.Q}, {"objekt", p.Objekt}, {"aktenplan", p.Aktenplan}, {"typ", p.Typ}, {"status", p.Status}, {"jahr", p.Jahr}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	return v
}

// URL is the address of the search (first page).
func (p sucheParams) URL() string {
	if e := p.values().Encode(); e != "" {
		return "/suche?" + e
	}
	return "/suche"
}

func (p sucheParams) hatFilter() bool {
	return p.Objekt != "" || p.Aktenplan != "" || p.Typ != "" || p.Status != "" || p.Jahr != ""
}

// with returns p with one filter set ("" removes it).
func (p sucheParams) with(facet, value string) sucheParams {
	switch facet {
	case "objekt":
		p.Objekt = value
	case "aktenplan":
		p.Aktenplan = value
	case "typ":
		p.Typ = value
	case "status":
		p.Status = value
	case "jahr":
		p.Jahr = value
	}
	return p
}

func (p sucheParams) get(facet string) string {
	switch facet {
	case "objekt":
		return p.Objekt
	case "aktenplan":
		return p.Aktenplan
	case "typ":
		return p.Typ
	case "status":
		return p.Status
	case "jahr":
		return p.Jahr
	}
	return ""
}

// Hidden lists the filters as hidden form fields (the search form keeps
// them when the query changes).
func (p sucheParams) Hidden() [][2]string {
	var out [][2]string
	for _, f := range sucheFacetten {
		if v := p.get(f.name); v != "" {
			out = append(out, [2]string{f.name, v})
		}
	}
	return out
}

var sucheFacetten = []struct{ name, titel string }{
	{"objekt", "Art"}, {"aktenplan", "Aktenplan"}, {"typ", "Typ"}, {"jahr", "Jahr"}, {"status", "Status"},
}

// facetLabel names a facet value in German.
// nurDokumenttypen leaves the kinds of objects out of the Typ facet: the
// index gives Akten and Vorgänge the type "Akte" and "Vorgang", which the
// facet "Art" already covers; "Typ" is about Dokumente.
func nurDokumenttypen(vals []records.FacetValue) []records.FacetValue {
	out := make([]records.FacetValue, 0, len(vals))
	for _, v := range vals {
		if v.Wert != "Akte" && v.Wert != "Vorgang" {
			out = append(out, v)
		}
	}
	return out
}

func facetLabel(facet, value, bezeichnung string) string {
	switch facet {
	case "objekt":
		switch value {
		case records.ObjAkte:
			return "Akten"
		case records.ObjVorgang:
			return "Vorgänge"
		case records.ObjDokument:
			return "Dokumente"
		}
	case "status":
		switch value {
		case records.StatusOffen:
			return "offen"
		case records.StatusZdA:
			return "z.d.A."
		}
	}
	if bezeichnung != "" {
		return bezeichnung
	}
	return value
}

type facettenWert struct {
	Label  string
	Anzahl int
	URL    string
	Aktiv  bool
}

type facetteView struct {
	Name, Titel string
	Werte       []facettenWert
	Weitere     int // values left out
}

type aktiverFilter struct {
	Titel, Label, Entfernen string
}

type sucheTreffer struct {
	records.SearchHit
	URL, Art   string
	Ausschnitt template.HTML
	Fremd      bool // of another tenant (shared by a grant)
}

type gespeichertView struct {
	ID, Name, URL, Beschreibung string
}

type sucheView struct {
	P        sucheParams
	Leer     bool // neither query nor filter: the start of the page
	Fehler   string
	FehlerQ  bool // the error belongs to the search field
	Treffer  []sucheTreffer
	Anzahl   string
	Von, Bis int
	Facetten []facetteView
	Aktiv    []aktiverFilter
	Weiter   string
	Anfang   string
	Hinten   bool // a page after the ranked window (recency order)

	Gespeichert     []gespeichertView
	DarfSpeichern   bool
	SpeichernName   string
	SpeichernFehler string
	Zurueck         string // the current search, for the delete forms
}

// maxFacetValues bounds the values shown per facet.
const maxFacetValues = 12

func objektURL(typ, id string) string {
	switch typ {
	case records.ObjAkte:
		return "/akten/" + id
	case records.ObjVorgang:
		return "/vorgaenge/" + id
	}
	return "/dokumente/" + id
}

func objektArt(typ string) string {
	switch typ {
	case records.ObjAkte:
		return "Akte"
	case records.ObjVorgang:
		return "Vorgang"
	}
	return "Dokument"
}

// ausschnitt is a hit's snippet for the page: the service's
// ausschnitt_html (escaped text with <mark> around the hits) only if it is
// exactly that; otherwise the plain snippet, escaped, without marks.
func ausschnitt(h records.SearchHit) template.HTML {
	if safeMarked(h.AusschnittHTML) {
		return template.HTML(h.AusschnittHTML)
	}
	return template.HTML(html.EscapeString(h.Ausschnitt))
}

// safeMarked reports whether s is text (no '<' or '>', '&' only in the
// entities html.EscapeString writes) with non-nested <mark>…</mark>.
func safeMarked(s string) bool {
	open := false
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "<mark>"):
			if open {
				return false
			}
			open = true
			i += len("<mark>")
		case strings.HasPrefix(s[i:], "</mark>"):
			if !open {
				return false
			}
			open = false
			i += len("</mark>")
		case s[i] == '<' || s[i] == '>':
			return false
		case s[i] == '&':
			ok := false
			for _, e := range []string{"&amp;", "&lt;", "&gt;", "&#34;", "&#39;", "&quot;"} {
				if strings.HasPrefix(s[i:], e) {
					i += len(e)
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		default:
			i++
		}
	}
	return !open && utf8.ValidString(s)
}

func (s *Server) uiSuche(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.suchePage(w, r, c, sucheParamsOf(r.URL.Query()), r.URL.Query().Get("weiter"), http.StatusOK, nil)
}

// suchePage runs the search of p (from the cursor weiter) and renders the
// page; fill adds what a refused form needs.
func (s *Server) suchePage(w http.ResponseWriter, r *http.Request, c *uiCtx, p sucheParams, weiter string, status int, fill func(*sucheView)) {
	ctx := r.Context()
	v := sucheView{P: p, Leer: p.Q == "" && !p.hatFilter(), Zurueck: p.values().Encode()}
	req := records.SearchRequest{Query: p.Q, ObjectType: p.Objekt, AktenplanID: p.Aktenplan, Typ: p.Typ, Status: p.Status, Limit: 20}
	if p.Jahr != "" {
		n, err := strconv.Atoi(p.Jahr)
		if err != nil || n < 1000 || n > 9999 {
			v.Fehler, status = "Das Jahr im Filter ist ungültig (vierstellige Jahreszahl).", http.StatusUnprocessableEntity
		}
		req.Jahr = n
	}
	offset := 0
	if weiter != "" {
		b, err := base64.RawURLEncoding.DecodeString(weiter)
		var beforeSeq int64
		if err == nil {
			offset, beforeSeq, err = records.ParseSearchCursor(string(b))
		}
		if err != nil {
			c.errorPage(w, http.StatusBadRequest, "Ungültige Adresse", "Der Verweis auf weitere Treffer ist ungültig. Bitte die Suche neu beginnen.")
			return
		}
		req.Cursor, v.Hinten = string(b), beforeSeq > 0
	}
	if !v.Leer && v.Fehler == "" {
		res, err := s.svc.Search(ctx, c.p, req)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Kind != apperr.KindInvalid {
				c.fail(w, err)
				return
			}
			status = http.StatusUnprocessableEntity
			v.Fehler = e.Message
			for _, f := range e.Fields {
				if f.Field == "q" {
					v.Fehler, v.FehlerQ = f.Message, true
					if strings.HasPrefix(f.Message, "Suchanfrage, ") {
						v.Fehler = "Die Suchanfrage ist fehlerhaft: " + strings.TrimPrefix(f.Message, "Suchanfrage, ")
					}
					break
				}
				v.Fehler = "Ungültiger Filter „" + f.Field + "“: " + f.Message + "."
			}
		} else {
			if res.Direkt != nil && !p.hatFilter() && r.Method == http.MethodGet && r.URL.Query().Get("meldung") == "" {
				http.Redirect(w, r, objektURL(res.Direkt.ObjectType, res.Direkt.ID), http.StatusSeeOther)
				return
			}
			s.sucheErgebnis(c, &v, res, offset)
		}
	}
	if list, err := s.svc.ListSavedSearches(ctx, c.p); err == nil {
		v.DarfSpeichern = true
		s.gespeicherte(c, &v, list)
	} else if k := apperr.KindOf(err); k != apperr.KindForbidden {
		c.fail(w, err)
		return
	}
	if v.SpeichernName == "" {
		v.SpeichernName = p.Q
	}
	if fill != nil {
		fill(&v)
	}
	title := "Suche"
	if p.Q != "" {
		title = p.Q + " – Suche"
	}
	c.render(w, status, "suche.html", pageData{Title: title, Nav: "suche", Data: v})
}

// sucheErgebnis fills the hits, count, facets and paging of a result.
func (s *Server) sucheErgebnis(c *uiCtx, v *sucheView, res records.SearchResult, offset int) {
	p := v.P
	for _, h := range res.Items {
		v.Treffer = append(v.Treffer, sucheTreffer{SearchHit: h, URL: objektURL(h.ObjectType, h.ID), Art: objektArt(h.ObjectType),
			Ausschnitt: ausschnitt(h), Fremd: h.Mandant != "" && h.Mandant != c.p.TenantCode})
	}
	if !v.Hinten {
		v.Von, v.Bis = offset+1, offset+len(res.Items)
		switch {
		case res.AnzahlGenau && res.Anzahl == 1:
			v.Anzahl = "1 Treffer"
		case res.AnzahlGenau:
			v.Anzahl = fmt.Sprintf("%d Treffer", res.Anzahl)
		default:
			v.Anzahl = fmt.Sprintf("etwa %d Treffer oder mehr", res.Anzahl)
		}
	}
	if res.NextCursor != nil {
		q := p.values()
		q.Set("weiter", encodeCursor(*res.NextCursor))
		v.Weiter = "/suche?" + q.Encode()
	}
	if offset > 0 || v.Hinten {
		v.Anfang = p.URL()
	}
	for _, f := range sucheFacetten {
		if cur := p.get(f.name); cur != "" {
			label := cur
			for _, fv := range res.Facetten[f.name] {
				if fv.Wert == cur {
					label = facetLabel(f.name, fv.Wert, fv.Bezeichnung)
				}
			}
			if label == cur {
				label = facetLabel(f.name, cur, "")
			}
			v.Aktiv = append(v.Aktiv, aktiverFilter{Titel: f.titel, Label: label, Entfernen: p.with(f.name, "").URL()})
		}
		vals := res.Facetten[f.name]
		if f.name == "typ" {
			vals = nurDokumenttypen(vals)
		}
		if len(vals) == 0 {
			continue
		}
		fv := facetteView{Name: f.name, Titel: f.titel}
		for i, x := range vals {
			if i == maxFacetValues {
				fv.Weitere = len(vals) - i
				break
			}
			aktiv := p.get(f.name) == x.Wert
			u := p.with(f.name, x.Wert).URL()
			if aktiv {
				u = p.with(f.name, "").URL()
			}
			fv.Werte = append(fv.Werte, facettenWert{Label: facetLabel(f.name, x.Wert, x.Bezeichnung), Anzahl: x.Anzahl, URL: u, Aktiv: aktiv})
		}
		v.Facetten = append(v.Facetten, fv)
	}
}

// gespeicherte lists the user's saved searches with a short description.
func (s *Server) gespeicherte(c *uiCtx, v *sucheView, list []records.SavedSearch) {
	v.Gespeichert = s.gespeicherteViews(c, list)
}

// gespeicherteViews describes saved searches (name, address that runs
// them, query and filters in words), for the search and the start page.
func (s *Server) gespeicherteViews(c *uiCtx, list []records.SavedSearch) []gespeichertView {
	var out []gespeichertView
	plan := map[string]string{}
	for _, ss := range list {
		if ss.Filter.AktenplanID != "" {
			if all, err := s.svc.ListAktenplan(c.r.Context(), c.p); err == nil {
				for _, e := range all {
					plan[e.ID] = e.Kennzeichen + " " + e.Titel
				}
			}
			break
		}
	}
	for _, ss := range list {
		p := paramsOfSaved(ss)
		var parts []string
		if p.Q != "" {
			parts = append(parts, "„"+p.Q+"“")
		}
		for _, f := range sucheFacetten {
			if val := p.get(f.name); val != "" {
				label := facetLabel(f.name, val, plan[val])
				if f.name == "aktenplan" && plan[val] == "" {
					label = "unbekannte Position"
				}
				parts = append(parts, f.titel+": "+label)
			}
		}
		out = append(out, gespeichertView{ID: ss.ID, Name: ss.Name, URL: p.URL(), Beschreibung: strings.Join(parts, " · ")})
	}
	return out
}

func paramsOfSaved(ss records.SavedSearch) sucheParams {
	p := sucheParams{Q: ss.Query, Objekt: ss.Filter.ObjectType, Aktenplan: ss.Filter.AktenplanID, Typ: ss.Filter.Typ, Status: ss.Filter.Status}
	if ss.Filter.Jahr != 0 {
		p.Jahr = strconv.Itoa(ss.Filter.Jahr)
	}
	return p
}

// uiSucheSpeichern saves the search of the form under its name and
// returns to it.
func (s *Server) uiSucheSpeichern(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	p := sucheParamsOf(r.PostForm)
	name := r.PostForm.Get("name")
	in := records.NewSavedSearch{Name: name, Query: p.Q, Filter: records.SavedSearchFilter{ObjectType: p.Objekt, AktenplanID: p.Aktenplan,
		Typ: p.Typ, Status: p.Status}}
	if p.Jahr != "" {
		in.Filter.Jahr, _ = strconv.Atoi(p.Jahr)
		if in.Filter.Jahr == 0 {
			in.Filter.Jahr = -1 // refused as invalid
		}
	}
	if _, err := s.svc.SaveSearch(r.Context(), c.p, in); err != nil {
		e, ok := apperr.As(err)
		if !ok || (e.Kind != apperr.KindInvalid && e.Kind != apperr.KindConflict) {
			c.fail(w, err)
			return
		}
		msg := e.Message + "."
		for _, f := range e.Fields {
			switch f.Field {
			case "name":
				msg = "Name: " + f.Message
				if e.Kind == apperr.KindConflict {
					msg = f.Message
				}
			case "q":
				msg = "Nichts zu speichern: bitte zuerst einen Suchbegriff eingeben oder einen Filter wählen."
			default:
				msg = "Die Suche lässt sich so nicht speichern (" + f.Field + ": " + f.Message + ")."
			}
			break
		}
		status := http.StatusUnprocessableEntity
		if e.Kind == apperr.KindConflict {
			status = http.StatusConflict
		}
		s.suchePage(w, r, c, p, "", status, func(v *sucheView) { v.SpeichernName, v.SpeichernFehler = name, msg })
		return
	}
	q := p.values()
	q.Set("meldung", "suche-gespeichert")
	http.Redirect(w, r, "/suche?"+q.Encode(), http.StatusSeeOther)
}

// uiSucheLoeschen deletes one of the user's saved searches (another
// user's id is the 404 page) and returns to the search the page showed.
func (s *Server) uiSucheLoeschen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if err := s.svc.DeleteSavedSearch(r.Context(), c.p, r.PathValue("id")); err != nil {
		c.fail(w, err)
		return
	}
	back, _ := url.ParseQuery(r.PostForm.Get("zurueck"))
	q := sucheParamsOf(back).values()
	q.Set("meldung", "suche-geloescht")
	http.Redirect(w, r, "/suche?"+q.Encode(), http.StatusSeeOther)
}
