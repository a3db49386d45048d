package web

import (
	"net/http"
	"sort"
	"strings"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

// Changes to the structure on the administration pages: the tenants of the
// installation (for the operator, records.Service.ListTenantsAs and
// CreateTenantAs), renaming and moving a unit (UpdateUnitAs), the
// Kennzeichen and parent of an Aktenplan position (UpdateAktenplan; only
// while no Akte is filed below it), and resetting an account's lost
// second factor (auth.Service.ResetSecondFactorAs). The services check
// permission and tenant and audit every change; the pages only show what
// they answer.

func init() {
	uiRouteGroups = append(uiRouteGroups, func() []uiRoute {
		return []uiRoute{
			{"GET", "/verwaltung/mandanten", true, (*Server).uiVwMandanten, false},
			{"POST", "/verwaltung/mandanten", true, (*Server).uiVwMandantNeu, false},
			{"GET", "/verwaltung/einheiten/{kennung}", true, (*Server).uiVwEinheit, false},
			{"POST", "/verwaltung/einheiten/{kennung}", true, (*Server).uiVwEinheitSpeichern, false},
			{"POST", "/verwaltung/aktenplan/{id}/platz", true, (*Server).uiVwPositionPlatz, false},
			{"POST", "/verwaltung/benutzer/{login}/zweiter-faktor", true, (*Server).uiVwBenutzerFaktor, false},
		}
	})
	for k, v := range map[string]string{
		"mandant-angelegt": "Der Mandant ist angelegt. Seine erste Administration legt der Betrieb auf dem Server an: " +
			"aktenwerk user add --tenant KÜRZEL --login … --name … --role admin, dann aktenwerk user password --tenant KÜRZEL --login … --generate.",
		"einheit-gespeichert":   "Die Organisationseinheit ist gespeichert. Wer Akten welcher Einheit sieht, richtet sich ab sofort nach dem neuen Aufbau.",
		"position-platz":        "Kennzeichen und übergeordnete Position sind gespeichert.",
		"faktor-zurueckgesetzt": "Der zweite Faktor ist zurückgesetzt und alle Sitzungen des Kontos sind beendet. Die Person meldet sich mit dem Passwort allein an und richtet im Profil einen neuen zweiten Faktor ein.",
	} {
		meldungen[k] = v
	}
}

// --- tenants (installation operator) --------------------------------------------------------------

type vwMandantenView struct {
	Kopf      vwKopf
	Mandanten []records.Tenant
	Form      *formular
	Muster    struct{ Akte, Vorgang string }
}

func (s *Server) uiVwMandanten(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.mandantenPage(w, c, http.StatusOK, newFormular("mn"))
}

func (s *Server) mandantenPage(w http.ResponseWriter, c *uiCtx, status int, form *formular) {
	list, err := s.svc.ListTenantsAs(c.r.Context(), c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Code < list[j].Code })
	v := vwMandantenView{Kopf: c.kopf("mandanten"), Mandanten: list, Form: form}
	v.Muster.Akte, v.Muster.Vorgang = records.DefaultAzPattern, records.DefaultVorgangPattern
	c.vwRender(w, status, "verwaltung_mandanten.html", "Mandanten der Installation", v)
}

func (s *Server) uiVwMandantNeu(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	form := newFormular("mn").withValues(r.PostForm)
	t, err := s.svc.CreateTenantAs(r.Context(), c.p, records.NewTenant{Code: strings.TrimSpace(form.W("kuerzel")), Name: form.W("name"),
		AzPattern: strings.TrimSpace(form.W("aktenzeichen_muster")), VorgangPattern: strings.TrimSpace(form.W("vorgang_muster"))})
	if err != nil {
		if form.failed(err, map[string]string{"code": "kuerzel"}) {
			s.mandantenPage(w, c, form.status(), form)
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/verwaltung/mandanten?meldung=mandant-angelegt#mandant-"+t.Code, http.StatusSeeOther)
}

// --- one unit: rename, move -----------------------------------------------------------------------

type vwEinheitView struct {
	Kopf     vwKopf
	Einheit  records.Unit
	Eltern   *records.Unit
	Kinder   []records.Unit
	Form     *formular
	ElternOp []option
}

func (s *Server) uiVwEinheit(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.einheitPage(w, c, http.StatusOK, nil)
}

func (s *Server) einheitPage(w http.ResponseWriter, c *uiCtx, status int, form *formular) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	units, err := s.svc.ListUnitsAs(c.r.Context(), c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	sort.Slice(units, func(i, j int) bool { return units[i].Kennung < units[j].Kennung })
	kennung := c.r.PathValue("kennung")
	var v vwEinheitView
	found := false
	byID := map[string]records.Unit{}
	children := map[string][]string{}
	for _, u := range units {
		byID[u.ID] = u
		if u.ParentID != nil {
			children[*u.ParentID] = append(children[*u.ParentID], u.ID)
		}
		if u.Kennung == kennung {
			v.Einheit, found = u, true
		}
	}
	if !found {
		// another tenant's unit is not in the list: the same page as an unknown one
		c.notFound(w)
		return
	}
	v.Kopf = c.kopf("einheiten")
	if v.Einheit.ParentID != nil {
		p := byID[*v.Einheit.ParentID]
		v.Eltern = &p
	}
	// the unit and everything below it cannot become its parent
	below := map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		below[id] = true
		for _, k := range children[id] {
			if !below[k] {
				walk(k)
			}
		}
	}
	walk(v.Einheit.ID)
	v.ElternOp = []option{{"", "– keine (oberste Ebene) –"}}
	for _, u := range units {
		if !below[u.ID] {
			v.ElternOp = append(v.ElternOp, option{u.Kennung, u.Kennung + " – " + u.Name})
		}
		if u.ParentID != nil && *u.ParentID == v.Einheit.ID {
			v.Kinder = append(v.Kinder, u)
		}
	}
	if form == nil {
		form = newFormular("eh-aendern")
		form.Werte.Set("name", v.Einheit.Name)
		if v.Eltern != nil {
			form.Werte.Set("parent", v.Eltern.Kennung)
		}
	}
	v.Form = form
	c.vwRender(w, status, "verwaltung_einheit.html", v.Einheit.Kennung+" "+v.Einheit.Name, v)
}

func (s *Server) uiVwEinheitSpeichern(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	form := newFormular("eh-aendern").withValues(r.PostForm)
	name, parent := form.W("name"), strings.TrimSpace(form.W("parent"))
	kennung := r.PathValue("kennung")
	if _, err := s.svc.UpdateUnitAs(r.Context(), c.p, kennung, records.UnitPatch{Name: &name, Parent: &parent}); err != nil {
		if form.failed(err, nil) {
			s.einheitPage(w, c, form.status(), form)
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/verwaltung/einheiten/"+kennung+"?meldung=einheit-gespeichert", http.StatusSeeOther)
}

// --- an Aktenplan position's place -----------------------------------------------------------------

func (s *Server) uiVwPositionPlatz(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageAktenplan) {
		return
	}
	form := newFormular("platz").withValues(r.PostForm)
	kz := strings.TrimSpace(form.W("kennzeichen"))
	var parent *string
	if p := form.W("parent_id"); p != "" {
		parent = &p
	}
	id := r.PathValue("id")
	if _, err := s.svc.UpdateAktenplan(r.Context(), c.p, id, records.AktenplanPatch{Kennzeichen: &kz, ParentID: &parent}); err != nil {
		if form.failed(err, nil) {
			s.positionPageWith(w, c, form.status(), nil, nil, form)
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/verwaltung/aktenplan/"+id+"?meldung=position-platz", http.StatusSeeOther)
}

// platzOptionen are the possible parents of pos: open positions outside
// its subtree (and its current parent, even when closed).
func platzOptionen(pos records.AktenplanEintrag, zeilen []planZeile) []option {
	children := map[string][]string{}
	for _, z := range zeilen {
		if z.ParentID != nil {
			children[*z.ParentID] = append(children[*z.ParentID], z.ID)
		}
	}
	below := map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		below[id] = true
		for _, k := range children[id] {
			if !below[k] {
				walk(k)
			}
		}
	}
	walk(pos.ID)
	out := []option{{"", "– keine (oberste Ebene) –"}}
	for _, z := range zeilen {
		current := pos.ParentID != nil && *pos.ParentID == z.ID
		if !below[z.ID] && (!z.Geschlossen || current) {
			out = append(out, option{z.ID, strings.Repeat("· ", z.Tiefe) + z.Kennzeichen + " " + z.Titel})
		}
	}
	return out
}

// --- an account's second factor ------------------------------------------------------------------

func (s *Server) uiVwBenutzerFaktor(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	login := r.PathValue("login")
	if _, err := s.auth.svc.ResetSecondFactorAs(r.Context(), c.p, login, s.clientAddr(r)); err != nil {
		form := newFormular("faktor")
		s.benutzerRefused(w, c, err, form, nil, func(v *vwBenutzerView) { v.Faktor = form })
		return
	}
	http.Redirect(w, r, "/verwaltung/benutzer/"+login+"?meldung=faktor-zurueckgesetzt#h-zugang", http.StatusSeeOther)
}
