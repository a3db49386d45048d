package web

import "net/http"

// The Posteingang pages of the clerk's web application.

func init() {
	uiRouteGroups = append(uiRouteGroups, func() []uiRoute {
		return []uiRoute{
			{"GET", "/posteingang", true, (*Server).uiPosteingang, false},
		}
	})
}

func (s *Server) uiPosteingang(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	c.render(w, http.StatusOK, "platzhalter.html", pageData{Title: "Posteingang", Nav: "posteingang", Data: platzhalterView{
		Titel: "Posteingang",
		Text:  "Die Seite für den Posteingang (Liste mit Vorschau, Zuordnen zu einem Vorgang) ist noch nicht gebaut. Bis dahin steht der Posteingang über die REST-API bereit (/api/v1/posteingang).",
	}})
}
