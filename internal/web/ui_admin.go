package web

import (
	"context"
	"net/http"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/blob"
	"aktenwerk/internal/intake/extract"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
)

// The administration pages of the clerk's web application (/verwaltung):
// the own tenant, its units, users and roles (ui_admin_benutzer.go), the
// Aktenplan, background jobs and dead letters, and the system status.
// Every page checks the caller's permission the way the API does: the
// records service where it checks (users, Aktenplan), access.Can with
// access.ManageUsers where the API handler does (units list, jobs). A
// non-admin gets the 403 page, another tenant's object the same 404 page
// as an unknown one. The pages offer only what the services support; what
// they lack is said on the page, not invented here.

func init() {
	uiRouteGroups = append(uiRouteGroups, func() []uiRoute {
		return []uiRoute{
			{"GET", "/verwaltung", true, (*Server).uiVerwaltung, false},
			{"GET", "/verwaltung/mandant", true, (*Server).uiVwMandant, false},
			{"GET", "/verwaltung/einheiten", true, (*Server).uiVwEinheiten, false},
			{"POST", "/verwaltung/einheiten", true, (*Server).uiVwEinheitNeu, false},
			{"GET", "/verwaltung/aktenplan", true, (*Server).uiVwAktenplan, false},
			{"POST", "/verwaltung/aktenplan", true, (*Server).uiVwPositionNeu, false},
			{"GET", "/verwaltung/aktenplan/{id}", true, (*Server).uiVwPosition, false},
			{"POST", "/verwaltung/aktenplan/{id}", true, (*Server).uiVwPositionSpeichern, false},
			{"POST", "/verwaltung/aktenplan/{id}/schliessen", true, (*Server).uiVwPositionSchliessen, false},
			{"POST", "/verwaltung/aktenplan/{id}/oeffnen", true, (*Server).uiVwPositionOeffnen, false},
			{"POST", "/verwaltung/aktenplan/{id}/loeschen", true, (*Server).uiVwPositionLoeschen, false},
			{"GET", "/verwaltung/auftraege", true, (*Server).uiVwAuftraege, false},
			{"POST", "/verwaltung/auftraege/{id}/wiederholung", true, (*Server).uiVwAuftragWiederholen, false},
			{"POST", "/verwaltung/auftraege/{id}/verwerfen", true, (*Server).uiVwAuftragVerwerfen, false},
			{"GET", "/verwaltung/system", true, (*Server).uiVwSystem, false},
			{"POST", "/verwaltung/system/werkzeuge", true, (*Server).uiVwWerkzeugePruefen, false},
		}
	})
	for k, v := range map[string]string{
		"einheit-angelegt":     "Die Organisationseinheit ist angelegt.",
		"position-angelegt":    "Die Aktenplanposition ist angelegt.",
		"position-gespeichert": "Die Aktenplanposition ist gespeichert.",
		"position-geschlossen": "Die Aktenplanposition ist geschlossen: Neue Akten und Unterpositionen sind dort nicht mehr möglich.",
		"position-geoeffnet":   "Die Aktenplanposition ist wieder geöffnet.",
		"position-geloescht":   "Die Aktenplanposition ist gelöscht.",
		"auftrag-wiederholt":   "Der Auftrag ist wieder eingereiht und wird gleich erneut versucht.",
		"auftrag-verworfen":    "Der Auftrag ist verworfen.",
		"werkzeuge-geprueft":   "Die Werkzeuge sind neu geprüft.",
	} {
		meldungen[k] = v
	}
}

// mayAdminister reports whether the main navigation offers the admin pages:
// to administrators (users, units, jobs, system) and to whoever keeps the
// Aktenplan (the Registratur).
func mayAdminister(p access.Principal) bool {
	return access.Can(p, access.ManageUsers) || access.Can(p, access.ManageAktenplan)
}

// vwKopf is what every admin page's sub-navigation needs.
type vwKopf struct {
	Bereich   string
	Admin     bool // access.ManageUsers
	Aktenplan bool // access.ManageAktenplan
	Betrieb   bool // the installation's operator (records.Service.IsOperator)
}

func (c *uiCtx) kopf(bereich string) vwKopf {
	k := vwKopf{Bereich: bereich, Admin: access.Can(c.p, access.ManageUsers), Aktenplan: access.Can(c.p, access.ManageAktenplan)}
	if k.Admin {
		ok, err := c.s.svc.IsOperator(c.r.Context(), c.p)
		if err != nil {
			c.s.log.Warn("ui: operator check", "err", err)
		}
		k.Betrieb = ok
	}
	return k
}

// need answers with the 403 page (and notes the refusal for the audit
// trail) unless the caller may do a.
func (c *uiCtx) need(w http.ResponseWriter, a access.Action) bool {
	if access.Can(c.p, a) {
		return true
	}
	c.fail(w, apperr.Forbidden("Keine Berechtigung: %s", a.Label()))
	return false
}

func (c *uiCtx) vwRender(w http.ResponseWriter, status int, page, title string, data any) {
	c.render(w, status, page, pageData{Title: title + " – Verwaltung", Nav: "verwaltung", Data: data})
}

// --- overview ----------------------------------------------------------------------------------

type vwUebersichtView struct {
	Kopf                      vwKopf
	Benutzer, Einheiten, Plan int
	Gescheitert               int
	Auftraege                 bool
}

func (s *Server) uiVerwaltung(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !mayAdminister(c.p) {
		c.fail(w, apperr.Forbidden("Keine Berechtigung: %s", access.ManageUsers.Label()))
		return
	}
	ctx := r.Context()
	v := vwUebersichtView{Kopf: c.kopf("uebersicht"), Auftraege: s.jobs != nil}
	if v.Kopf.Aktenplan {
		plan, err := s.svc.ListAktenplan(ctx, c.p)
		if err != nil {
			c.fail(w, err)
			return
		}
		v.Plan = len(plan)
	}
	if v.Kopf.Admin {
		us, err := s.svc.ListUsersAs(ctx, c.p)
		if err != nil {
			c.fail(w, err)
			return
		}
		units, err := s.svc.ListUnitsAs(ctx, c.p)
		if err != nil {
			c.fail(w, err)
			return
		}
		v.Benutzer, v.Einheiten = len(us), len(units)
		if s.jobs != nil {
			st, err := s.jobs.StatsOf(ctx, c.p.TenantID)
			if err != nil {
				c.fail(w, err)
				return
			}
			for _, k := range st {
				v.Gescheitert += k.Dead
			}
		}
	}
	c.vwRender(w, http.StatusOK, "verwaltung.html", "Übersicht", v)
}

// --- tenant ------------------------------------------------------------------------------------------

type vwMandantView struct {
	Kopf    vwKopf
	Mandant records.Tenant
}

func (s *Server) uiVwMandant(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	t, err := s.svc.TenantByCode(r.Context(), c.p.TenantCode)
	if err != nil {
		c.fail(w, err)
		return
	}
	c.vwRender(w, http.StatusOK, "verwaltung_mandant.html", "Mandant", vwMandantView{Kopf: c.kopf("mandant"), Mandant: t})
}

// --- units -------------------------------------------------------------------------------------------

type einheitKnoten struct {
	records.Unit
	Kinder []*einheitKnoten
}

type vwEinheitenView struct {
	Kopf     vwKopf
	Baum     []*einheitKnoten
	Anzahl   int
	ElternOp []option
	Form     *formular
}

func einheitenBaum(units []records.Unit) []*einheitKnoten {
	nodes := map[string]*einheitKnoten{}
	for _, u := range units {
		nodes[u.ID] = &einheitKnoten{Unit: u}
	}
	var roots []*einheitKnoten
	for _, u := range units {
		n := nodes[u.ID]
		if u.ParentID != nil {
			if p, ok := nodes[*u.ParentID]; ok {
				p.Kinder = append(p.Kinder, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	var sortAll func([]*einheitKnoten)
	sortAll = func(ns []*einheitKnoten) {
		sort.Slice(ns, func(i, j int) bool { return ns[i].Kennung < ns[j].Kennung })
		for _, n := range ns {
			sortAll(n.Kinder)
		}
	}
	sortAll(roots)
	return roots
}

func einheitOptionen(units []records.Unit, leer string) []option {
	out := []option{{"", leer}}
	for _, u := range units {
		out = append(out, option{u.Kennung, u.Kennung + " – " + u.Name})
	}
	return out
}

func (s *Server) uiVwEinheiten(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.einheitenPage(w, c, http.StatusOK, newFormular("eh"))
}

func (s *Server) einheitenPage(w http.ResponseWriter, c *uiCtx, status int, form *formular) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	units, err := s.svc.ListUnitsAs(c.r.Context(), c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	sort.Slice(units, func(i, j int) bool { return units[i].Kennung < units[j].Kennung })
	v := vwEinheitenView{Kopf: c.kopf("einheiten"), Baum: einheitenBaum(units), Anzahl: len(units),
		ElternOp: einheitOptionen(units, "– keine (oberste Ebene) –"), Form: form}
	c.vwRender(w, status, "verwaltung_einheiten.html", "Organisationseinheiten", v)
}

func (s *Server) uiVwEinheitNeu(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	form := newFormular("eh").withValues(r.PostForm)
	_, err := s.svc.CreateUnitAs(r.Context(), c.p, records.NewUnit{Kennung: form.W("kennung"), Name: form.W("name"),
		Typ: form.W("typ"), Parent: form.W("parent")})
	if err != nil {
		if form.failed(err, nil) {
			form.deutlicher("kennung", "1–32 Zeichen", "Bitte eine Kennung angeben.",
				"„%s“ ist als Kennung nicht möglich: nur Buchstaben, Ziffern und . _ -, höchstens 32 Zeichen.")
			s.einheitenPage(w, c, form.status(), form)
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/verwaltung/einheiten?meldung=einheit-angelegt", http.StatusSeeOther)
}

// --- Aktenplan -------------------------------------------------------------------------------------

type planZeile struct {
	records.AktenplanEintrag
	Tiefe int
}

type vwAktenplanView struct {
	Kopf     vwKopf
	Zeilen   []planZeile
	ElternOp []option
	Form     *formular
}

// planZeilen flattens the Aktenplan tree in Kennzeichen order with depths.
func planZeilen(list []records.AktenplanEintrag) []planZeile {
	var out []planZeile
	var walk func([]*planNode, int)
	walk = func(ns []*planNode, depth int) {
		for _, n := range ns {
			out = append(out, planZeile{AktenplanEintrag: n.AktenplanEintrag, Tiefe: min(depth, 5)})
			walk(n.Kinder, depth+1)
		}
	}
	walk(planTree(list, ""), 0)
	return out
}

func (s *Server) uiVwAktenplan(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.aktenplanAdminPage(w, c, http.StatusOK, newFormular("ap"))
}

func (s *Server) aktenplanAdminPage(w http.ResponseWriter, c *uiCtx, status int, form *formular) {
	if !c.need(w, access.ManageAktenplan) {
		return
	}
	list, err := s.svc.ListAktenplan(c.r.Context(), c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	v := vwAktenplanView{Kopf: c.kopf("aktenplan"), Zeilen: planZeilen(list), Form: form,
		ElternOp: []option{{"", "– keine (oberste Ebene) –"}}}
	for _, z := range v.Zeilen {
		if !z.Geschlossen {
			v.ElternOp = append(v.ElternOp, option{z.ID, strings.Repeat("· ", z.Tiefe) + z.Kennzeichen + " " + z.Titel})
		}
	}
	c.vwRender(w, status, "verwaltung_aktenplan.html", "Aktenplan", v)
}

// aufbewahrung reads the retention period of a form: "" for none.
func aufbewahrung(form *formular) (*int, bool) {
	s := strings.TrimSpace(form.W("aufbewahrungsfrist_jahre"))
	if s == "" {
		return nil, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		form.Felder["aufbewahrungsfrist_jahre"] = "Bitte eine ganze Zahl von 0 bis 200 angeben."
		return nil, false
	}
	return &n, true
}

func (s *Server) uiVwPositionNeu(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageAktenplan) {
		return
	}
	form := newFormular("ap").withValues(r.PostForm)
	in := records.NewAktenplan{Kennzeichen: strings.TrimSpace(form.W("kennzeichen")), Titel: form.W("titel"),
		Archiv: form.W("archiventscheidung")}
	if p := form.W("parent_id"); p != "" {
		if !uuidRE.MatchString(p) {
			form.Felder["parent_id"] = "Bitte eine Position aus der Liste wählen."
		}
		in.ParentID = &p
	}
	jahre, ok := aufbewahrung(form)
	in.Aufbewahrung = jahre
	if !ok || len(form.Felder) > 0 {
		form.Meldung = "Bitte die markierten Felder prüfen."
		s.aktenplanAdminPage(w, c, http.StatusUnprocessableEntity, form)
		return
	}
	e, err := s.svc.CreateAktenplan(r.Context(), c.p, in)
	if err != nil {
		if form.failed(err, nil) {
			form.deutlicher("kennzeichen", "1–32 Zeichen", "Bitte ein Kennzeichen angeben.",
				"„%s“ ist als Kennzeichen nicht möglich: nur Ziffern, Buchstaben und Punkte, höchstens 32 Zeichen (z. B. 121 oder 1.2.1).")
			s.aktenplanAdminPage(w, c, form.status(), form)
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/verwaltung/aktenplan/"+e.ID+"?meldung=position-angelegt", http.StatusSeeOther)
}

type vwPositionView struct {
	Kopf    vwKopf
	Platz   *formular // Kennzeichen and parent
	PlatzOp []option
	Pos     records.AktenplanEintrag
	Eltern  *records.AktenplanEintrag
	Kinder  []records.AktenplanEintrag
	Form    *formular
	Aktion  *formular // close, open, delete
	Archive []option
}

func (s *Server) uiVwPosition(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.positionPage(w, c, http.StatusOK, nil, nil)
}

func (s *Server) positionPage(w http.ResponseWriter, c *uiCtx, status int, form, aktion *formular) {
	s.positionPageWith(w, c, status, form, aktion, nil)
}

func (s *Server) positionPageWith(w http.ResponseWriter, c *uiCtx, status int, form, aktion, platz *formular) {
	if !c.need(w, access.ManageAktenplan) {
		return
	}
	ctx := c.r.Context()
	pos, err := s.svc.GetAktenplan(ctx, c.p, c.r.PathValue("id"))
	if err != nil {
		c.fail(w, err)
		return
	}
	list, err := s.svc.ListAktenplan(ctx, c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	v := vwPositionView{Kopf: c.kopf("aktenplan"), Pos: pos, Form: form, Aktion: aktion}
	for i := range list {
		if pos.ParentID != nil && list[i].ID == *pos.ParentID {
			v.Eltern = &list[i]
		}
		if list[i].ParentID != nil && *list[i].ParentID == pos.ID {
			v.Kinder = append(v.Kinder, list[i])
		}
	}
	sort.Slice(v.Kinder, func(i, j int) bool { return v.Kinder[i].Kennzeichen < v.Kinder[j].Kennzeichen })
	if v.Form == nil {
		v.Form = newFormular("pos")
		v.Form.Werte.Set("titel", pos.Titel)
		if pos.Aufbewahrung != nil {
			v.Form.Werte.Set("aufbewahrungsfrist_jahre", strconv.Itoa(*pos.Aufbewahrung))
		}
		v.Form.Werte.Set("archiventscheidung", pos.Archiv)
	}
	if v.Aktion == nil {
		v.Aktion = newFormular("pos-aktion")
	}
	v.Platz, v.PlatzOp = platz, platzOptionen(pos, planZeilen(list))
	if v.Platz == nil {
		v.Platz = newFormular("platz")
		v.Platz.Werte.Set("kennzeichen", pos.Kennzeichen)
		if pos.ParentID != nil {
			v.Platz.Werte.Set("parent_id", *pos.ParentID)
		}
	}
	c.vwRender(w, status, "verwaltung_position.html", pos.Kennzeichen+" "+pos.Titel, v)
}

func (s *Server) uiVwPositionSpeichern(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageAktenplan) {
		return
	}
	form := newFormular("pos").withValues(r.PostForm)
	titel, archiv := form.W("titel"), form.W("archiventscheidung")
	jahre, ok := aufbewahrung(form)
	if !ok {
		form.Meldung = "Bitte die markierten Felder prüfen."
		s.positionPage(w, c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	id := r.PathValue("id")
	if _, err := s.svc.UpdateAktenplan(r.Context(), c.p, id, records.AktenplanPatch{Titel: &titel, Aufbewahrung: &jahre, Archiv: &archiv}); err != nil {
		if form.failed(err, nil) {
			s.positionPage(w, c, form.status(), form, nil)
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/verwaltung/aktenplan/"+id+"?meldung=position-gespeichert", http.StatusSeeOther)
}

func (s *Server) positionGeschlossen(w http.ResponseWriter, r *http.Request, c *uiCtx, zu bool, meldung string) {
	if !c.need(w, access.ManageAktenplan) {
		return
	}
	id := r.PathValue("id")
	if _, err := s.svc.UpdateAktenplan(r.Context(), c.p, id, records.AktenplanPatch{Geschlossen: &zu}); err != nil {
		aktion := newFormular("pos-aktion")
		if aktion.failed(err, nil) {
			s.positionPage(w, c, aktion.status(), nil, aktion)
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/verwaltung/aktenplan/"+id+"?meldung="+meldung, http.StatusSeeOther)
}

func (s *Server) uiVwPositionSchliessen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.positionGeschlossen(w, r, c, true, "position-geschlossen")
}

func (s *Server) uiVwPositionOeffnen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.positionGeschlossen(w, r, c, false, "position-geoeffnet")
}

func (s *Server) uiVwPositionLoeschen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageAktenplan) {
		return
	}
	if err := s.svc.DeleteAktenplan(r.Context(), c.p, r.PathValue("id")); err != nil {
		aktion := newFormular("pos-aktion")
		if aktion.failed(err, nil) {
			s.positionPage(w, c, aktion.status(), nil, aktion)
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/verwaltung/aktenplan?meldung=position-geloescht", http.StatusSeeOther)
}

// --- jobs and dead letters ------------------------------------------------------------------------

type vwAuftraegeView struct {
	Kopf        vwKopf
	Verfuegbar  bool
	Arten       []jobs.KindStats
	Gescheitert []jobs.Job
	Art         string
	ArtOp       []option
	Weiter      string
	Anfang      string
	Fehler      string
}

var jobArten = map[string]string{"text.erkennen": "Texterkennung", "posteingang.erkennen": "Posteingang: Erkennung", "miniatur.erstellen": "Miniaturansicht"}

// jobArt names a kind of job in German, with its technical name.
func jobArt(k string) string {
	if n, ok := jobArten[k]; ok {
		return n + " (" + k + ")"
	}
	return k
}

func init() {
	uiFuncs["jobart"] = jobArt
	uiFuncs["jobdaten"] = func(b []byte) string {
		s := string(b)
		if s == "null" || s == "{}" {
			return ""
		}
		if r := []rune(s); len(r) > 160 {
			s = string(r[:159]) + "…"
		}
		return s
	}
}

func (s *Server) uiVwAuftraege(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.auftraegePage(w, c, http.StatusOK, "")
}

func (s *Server) auftraegePage(w http.ResponseWriter, c *uiCtx, status int, fehler string) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	v := vwAuftraegeView{Kopf: c.kopf("auftraege"), Verfuegbar: s.jobs != nil, Fehler: fehler}
	if s.jobs == nil {
		c.vwRender(w, status, "verwaltung_auftraege.html", "Aufträge", v)
		return
	}
	ctx := c.r.Context()
	q := c.r.URL.Query()
	after := q.Get("nach")
	if after != "" && !uuidRE.MatchString(after) {
		c.errorPage(w, http.StatusBadRequest, "Ungültige Adresse", "Der Seitenverweis in der Adresse ist ungültig.")
		return
	}
	var err error
	if v.Arten, err = s.jobs.StatsOf(ctx, c.p.TenantID); err != nil {
		c.fail(w, err)
		return
	}
	v.ArtOp = []option{{"", "alle Arten"}}
	for _, k := range v.Arten {
		v.ArtOp = append(v.ArtOp, option{k.Kind, jobArt(k.Kind)})
		if k.Kind == q.Get("art") {
			v.Art = k.Kind
		}
	}
	if v.Gescheitert, err = s.jobs.ListDeadOf(ctx, c.p.TenantID, v.Art, after, uiPageSize); err != nil {
		c.fail(w, err)
		return
	}
	base := "/verwaltung/auftraege?art=" + v.Art
	if len(v.Gescheitert) == uiPageSize {
		v.Weiter = base + "&nach=" + v.Gescheitert[len(v.Gescheitert)-1].ID
	}
	if after != "" {
		v.Anfang = base
	}
	c.vwRender(w, status, "verwaltung_auftraege.html", "Aufträge", v)
}

// ownJob loads a job of the caller's tenant (as handlers_jobs.go): another
// tenant's job is 404 like an unknown one.
func (s *Server) uiOwnJob(w http.ResponseWriter, c *uiCtx) (jobs.Job, bool) {
	if !c.need(w, access.ManageUsers) {
		return jobs.Job{}, false
	}
	if s.jobs == nil {
		s.auftraegePage(w, c, http.StatusServiceUnavailable, "")
		return jobs.Job{}, false
	}
	id := c.r.PathValue("id")
	if !uuidRE.MatchString(id) {
		c.notFound(w)
		return jobs.Job{}, false
	}
	j, err := s.jobs.Get(c.r.Context(), id)
	if err == nil && j.TenantID != c.p.TenantID {
		err = apperr.NotFound("Job")
	}
	if err != nil {
		c.fail(w, err)
		return j, false
	}
	return j, true
}

func (s *Server) jobAction(w http.ResponseWriter, r *http.Request, c *uiCtx, act func(context.Context, string) error, action, meldung string) {
	j, ok := s.uiOwnJob(w, c)
	if !ok {
		return
	}
	if err := act(r.Context(), j.ID); err != nil {
		if k := apperr.KindOf(err); k == apperr.KindConflict {
			e, _ := apperr.As(err)
			s.auftraegePage(w, c, http.StatusConflict, e.Message)
			return
		}
		c.fail(w, err)
		return
	}
	if err := s.svc.AuditEvent(r.Context(), c.p, action, "auftrag", j.ID, map[string]any{"art": j.Kind, "daten": j.Payload}); err != nil {
		s.log.Error("audit of a job action failed", "action", action, "job", j.ID, "err", err)
	}
	http.Redirect(w, r, "/verwaltung/auftraege?meldung="+meldung, http.StatusSeeOther)
}

func (s *Server) uiVwAuftragWiederholen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.jobAction(w, r, c, s.jobs.Retry, "auftrag.wiederholung", "auftrag-wiederholt")
}

func (s *Server) uiVwAuftragVerwerfen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.jobAction(w, r, c, s.jobs.Discard, "auftrag.verworfen", "auftrag-verworfen")
}

// --- system status -------------------------------------------------------------------------------------

// The optional tools are found once and kept for werkzeugAlter: looking
// for them starts each program (LibreOffice takes a second).
const werkzeugAlter = 10 * time.Minute

var werkzeugCache struct {
	sync.Mutex
	tools extract.Tools
	at    time.Time
}

func werkzeuge(ctx context.Context, neu bool) extract.Tools {
	werkzeugCache.Lock()
	defer werkzeugCache.Unlock()
	if neu || werkzeugCache.at.IsZero() || time.Since(werkzeugCache.at) > werkzeugAlter {
		// not cut short by a browser that goes away: the result is kept
		werkzeugCache.tools, werkzeugCache.at = extract.DetectContext(context.WithoutCancel(ctx)), time.Now()
	}
	return werkzeugCache.tools
}

type vwSystemView struct {
	Kopf              vwKopf
	Version, Backend  string
	Datenbank, Ablage string // "erreichbar" or a German problem
	DatenbankOK       bool
	AblageOK          bool
	AblageArt         string
	MaxUpload         int64
	Auftraege         bool
	IndexOK           bool
	IndexZeilen       int
	IndexAusstehend   int
	Werkzeuge         []extract.Tool
	Sprachen          string
	Geprueft          time.Time
	QPDF              string // path, "" when not installed
	OIDC              bool
}

func (s *Server) uiVwSystem(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	ctx := r.Context()
	v := vwSystemView{Kopf: c.kopf("system"), Version: Version, Backend: s.svc.Store().Backend(), MaxUpload: s.svc.MaxUpload(),
		Auftraege: s.jobs != nil, OIDC: s.auth.oidc != nil, Datenbank: "erreichbar", Ablage: "erreichbar", DatenbankOK: true, AblageOK: true}
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := s.svc.Store().Ping(pctx); err != nil {
		v.Datenbank, v.DatenbankOK = "nicht erreichbar", false
		s.log.Warn("ui system status: database", "err", err)
	}
	if err := s.svc.Blobs().Ping(pctx); err != nil {
		v.Ablage, v.AblageOK = "nicht erreichbar", false
		s.log.Warn("ui system status: blob store", "err", err)
	}
	switch s.svc.Blobs().(type) {
	case *blob.Local:
		v.AblageArt = "Ordner im Dateisystem (inhaltsadressiert, SHA-256)"
	default:
		v.AblageArt = "eigene Ablage"
	}
	if rows, pending, err := s.svc.SearchStats(ctx); err == nil {
		v.IndexOK, v.IndexZeilen, v.IndexAusstehend = true, rows, pending
	} else {
		s.log.Warn("ui system status: search stats", "err", err)
	}
	t := werkzeuge(ctx, false)
	v.Werkzeuge, v.Geprueft, v.Sprachen = t.All, t.DetectedAt, strings.Join(t.Languages, ", ")
	if p, err := exec.LookPath("qpdf"); err == nil {
		v.QPDF = p
	}
	c.vwRender(w, http.StatusOK, "verwaltung_system.html", "Systemstatus", v)
}

func (s *Server) uiVwWerkzeugePruefen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	werkzeuge(r.Context(), true)
	http.Redirect(w, r, "/verwaltung/system?meldung=werkzeuge-geprueft#h-werkzeuge", http.StatusSeeOther)
}
