package web

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// The search page of the clerk's web application.

func init() {
	uiRouteGroups = append(uiRouteGroups, func() []uiRoute {
		return []uiRoute{
			{"GET", "/suche", true, (*Server).uiSuche, false},
		}
	})
}

// platzhalterView is the model of a page that is not built yet.
type platzhalterView struct {
	Titel, Text string
	Suche       string
}

func (s *Server) uiSuche(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > 200 {
		q = string([]rune(q)[:200])
	}
	c.render(w, http.StatusOK, "platzhalter.html", pageData{Title: "Suche", Nav: "suche", Data: platzhalterView{
		Titel: "Suche", Suche: q,
		Text: "Die Suchseite (Treffer mit Hervorhebung, Filter, gespeicherte Suchen) ist noch nicht gebaut. Bis dahin sucht die REST-API (/api/v1/suche).",
	}})
}
