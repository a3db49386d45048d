package web

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Full-text search: GET /api/v1/suche. Access control is part of the query
// (records.Service.Search), so results, counts and facets only ever contain
// what the caller may see.

func init() { routeGroups = append(routeGroups, searchRoutes) }

func searchRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/suche", true, (*Server).search},
	}
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := records.SearchRequest{Query: q.Get("q"), ObjectType: q.Get("objekt"), AktenplanID: q.Get("aktenplan"),
		Typ: q.Get("typ"), Status: q.Get("status")}
	if _, ok := q["facets"]; ok {
		req.Facets = []string{}
		for _, f := range strings.Split(q.Get("facets"), ",") {
			if f = strings.TrimSpace(f); f != "" {
				req.Facets = append(req.Facets, f)
			}
		}
	}
	var v apperr.Validation
	if j := q.Get("jahr"); j != "" {
		n, err := strconv.Atoi(j)
		if err != nil || n < 1000 || n > 9999 {
			v.Add("jahr", "vierstellige Jahreszahl")
		}
		req.Jahr = n
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			badRequest(w, r, "Ungültiger Parameter", apperrField("limit", "ganze Zahl von 1 bis 100"))
			return
		}
		req.Limit = n
	}
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		if err == nil {
			_, _, err = records.ParseSearchCursor(string(b))
		}
		if err != nil {
			badRequest(w, r, "Ungültiger Parameter", apperrField("cursor", "unbekannter Cursor"))
			return
		}
		req.Cursor = string(b)
	}
	res, err := s.svc.Search(r.Context(), principal(r), req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if res.NextCursor != nil {
		c := encodeCursor(*res.NextCursor)
		res.NextCursor = &c
	}
	writeJSON(w, http.StatusOK, res)
}
