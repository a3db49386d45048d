package web

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
	"aktenwerk/internal/records"
)

// uiPageSize is the length of every list page of the UI: never unbounded.
const uiPageSize = 50

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// --- recently used Akten -------------------------------------------------------------

// The start page lists the Akten the user opened last. The records service
// keeps that list per user in the database (records/recent.go: the last
// records.MaxRecentAkten, checked for visibility again when read), so it
// follows the user to every browser and node.

// recentShown is how many of them the start page shows.
const recentShown = 10

// noteRecent records that the user opened Akte akteID. A failure does not
// spoil the page the user asked for; it is logged.
func (s *Server) noteRecent(r *http.Request, c *uiCtx, akteID string) {
	if err := s.svc.NoteAkteOpened(r.Context(), c.p, akteID); err != nil {
		s.log.Warn("zuletzt geöffnete akte nicht vermerkt", "akte", akteID, "err", err)
	}
}

// --- start page ------------------------------------------------------------------------

type startView struct {
	Akten        []records.Akte
	AktenQuelle  string // "zuletzt" (opened) or "geaendert" (most recently changed)
	AktenGekappt bool   // the changed list looked at the first recentScan Akten only
	Posteingang  int
	PostMehr     bool
	PostSichtbar bool
	// Gespeichert are the user's saved searches (links that run them);
	// SucheSichtbar: the user may save searches at all.
	Gespeichert   []gespeichertView
	SucheSichtbar bool
}

const recentScan = 500

func (s *Server) uiStart(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	ctx := r.Context()
	v := startView{AktenQuelle: "zuletzt"}
	var err error
	if v.Akten, err = s.svc.RecentAkten(ctx, c.p, recentShown); err != nil && apperr.KindOf(err) != apperr.KindForbidden {
		c.fail(w, err)
		return
	}
	if len(v.Akten) == 0 {
		// Nothing opened yet: the Akten the user may see
		// that changed last, from one bounded page of the list.
		all, err := s.svc.ListAkten(ctx, c.p, records.AkteFilter{}, records.Page{Limit: recentScan})
		if err != nil && apperr.KindOf(err) != apperr.KindForbidden {
			c.fail(w, err)
			return
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].UpdatedAt.After(all[j].UpdatedAt) })
		v.AktenGekappt = len(all) == recentScan
		if len(all) > 10 {
			all = all[:10]
		}
		v.Akten, v.AktenQuelle = all, "geaendert"
	}
	if access.Can(c.p, access.ManagePosteingang) {
		items, err := s.svc.ListPost(ctx, c.p, records.PostFilter{Status: records.PostOffen}, records.Page{Limit: 100})
		if err != nil {
			c.fail(w, err)
			return
		}
		v.PostSichtbar, v.Posteingang, v.PostMehr = true, len(items), len(items) == 100
	}
	if list, err := s.svc.ListSavedSearches(ctx, c.p); err == nil {
		v.SucheSichtbar, v.Gespeichert = true, s.gespeicherteViews(c, list)
	} else if apperr.KindOf(err) != apperr.KindForbidden {
		c.fail(w, err)
		return
	}
	c.render(w, http.StatusOK, "start.html", pageData{Title: "Start", Nav: "start", Data: v})
}

// --- Aktenplan -----------------------------------------------------------------------------

type planNode struct {
	records.AktenplanEintrag
	Kinder  []*planNode
	Offen   bool // on the path to the selected position
	Aktuell bool
}

type aktenplanView struct {
	Baum     []*planNode
	Position *records.AktenplanEintrag
	Akten    []records.Akte
	Pager    pager
	// NeueAkte is the form for a new Akte under the position (ui_anlegen.go);
	// nil when the caller may not create Akten here.
	NeueAkte *neueAkteForm
}

// planTree builds the tree of positions, sorted by Kennzeichen, and marks
// the path to selected.
func planTree(list []records.AktenplanEintrag, selected string) []*planNode {
	nodes := map[string]*planNode{}
	for _, e := range list {
		nodes[e.ID] = &planNode{AktenplanEintrag: e}
	}
	var roots []*planNode
	for _, e := range list {
		n := nodes[e.ID]
		if e.ParentID != nil {
			if p, ok := nodes[*e.ParentID]; ok {
				p.Kinder = append(p.Kinder, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	var sortAll func([]*planNode)
	sortAll = func(ns []*planNode) {
		sort.Slice(ns, func(i, j int) bool { return ns[i].Kennzeichen < ns[j].Kennzeichen })
		for _, n := range ns {
			sortAll(n.Kinder)
		}
	}
	sortAll(roots)
	if n, ok := nodes[selected]; ok {
		n.Aktuell = true
		for cur := n; cur != nil; {
			cur.Offen = true
			if cur.ParentID == nil {
				break
			}
			cur = nodes[*cur.ParentID]
		}
	}
	return roots
}

func (s *Server) uiAktenplan(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.aktenplanPage(w, r, c, http.StatusOK, nil)
}

// aktenplanPage shows the tree and, with an id, the position with its
// Akten; fill adjusts the view (a refused form) before it is rendered.
func (s *Server) aktenplanPage(w http.ResponseWriter, r *http.Request, c *uiCtx, status int, fill func(*aktenplanView)) {
	ctx := r.Context()
	id := r.PathValue("id")
	list, err := s.svc.ListAktenplan(ctx, c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	v := aktenplanView{}
	if id != "" {
		pos, err := s.svc.GetAktenplan(ctx, c.p, id)
		if err != nil {
			c.fail(w, err)
			return
		}
		v.Position = &pos
		pg, ok := c.page(w)
		if !ok {
			return
		}
		akten, err := s.svc.ListAkten(ctx, c.p, records.AkteFilter{AktenplanID: id}, pg)
		if err != nil {
			c.fail(w, err)
			return
		}
		v.Akten = akten
		v.Pager = c.pager(pg, len(akten), func(i int) string { return akten[i].ID })
		if v.NeueAkte, err = s.neueAkteForm(ctx, c, pos, newFormular("na")); err != nil {
			c.fail(w, err)
			return
		}
	}
	v.Baum = planTree(list, id)
	if fill != nil {
		fill(&v)
	}
	title := "Aktenplan"
	if v.Position != nil {
		title = v.Position.Kennzeichen + " " + v.Position.Titel + " – Aktenplan"
	}
	c.render(w, status, "aktenplan.html", pageData{Title: title, Nav: "aktenplan", Data: v})
}

// --- paging ------------------------------------------------------------------------------------

// pager is the navigation of a cursor-paged list.
type pager struct {
	Seite       int    // 1-based number of the page shown
	Von, Bis    int    // positions of the first and last item shown
	Weiter      string // URL of the next page, "" on the last
	Anfang      string // URL of the first page, "" on the first
	Leer        bool
	ElementName string
}

// page reads the list position from the query: nach (cursor) and seite.
func (c *uiCtx) page(w http.ResponseWriter) (records.Page, bool) {
	pg := records.Page{Limit: uiPageSize}
	if n := c.r.URL.Query().Get("nach"); n != "" {
		if !uuidRE.MatchString(n) {
			c.errorPage(w, http.StatusBadRequest, "Ungültige Adresse", "Der Seitenverweis in der Adresse ist ungültig.")
			return pg, false
		}
		pg.After = n
	}
	return pg, true
}

func (c *uiCtx) pager(pg records.Page, n int, key func(int) string) pager {
	seite, _ := strconv.Atoi(c.r.URL.Query().Get("seite"))
	if seite < 1 || pg.After == "" {
		seite = 1
	}
	p := pager{Seite: seite, Von: (seite-1)*uiPageSize + 1, Bis: (seite-1)*uiPageSize + n, Leer: n == 0}
	if n == pg.Limit && n > 0 {
		p.Weiter = c.r.URL.Path + "?nach=" + key(n-1) + "&seite=" + strconv.Itoa(seite+1)
	}
	if pg.After != "" {
		p.Anfang = c.r.URL.Path
	}
	return p
}

// --- Akte -----------------------------------------------------------------------------------------

type uiAkteView struct {
	Akte      records.Akte
	Position  *records.AktenplanEintrag
	Frueher   []records.AzHistory
	Vorgaenge []records.Vorgang
	Pager     pager
	Grants    []records.Grant
	Historie  historieView
	// VorgangAnlegen: the caller may create a Vorgang in the Akte now;
	// NeuerVorgang is that form (ui_anlegen.go), or the refusal of one.
	VorgangAnlegen bool
	NeuerVorgang   *formular
}

type historieView struct {
	Eintraege []audit.Entry
	Weiter    string // URL of the next page of the history, "" on the last
	Anfang    string // URL of the first page, "" on the first
	// Abrufe sums up the reads of a Dokument's content, which the history
	// of a Dokument leaves out unless ?verlauf=alle asks for them.
	Abrufe *abrufeView
	// Alle: the reads are listed (?verlauf=alle); Nur links back to the
	// history without them.
	Alle bool
	Nur  string
}

type abrufeView struct {
	Text string // "12 Abrufe, zuletzt 23.11.2026, 14:05 durch bernd"
	Link string // the history with every read listed
}

var auditIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// history is one page of an object's audit entries, oldest first (the
// order of the trail), 50 at a time; ?verlauf_ab=ID continues after ID.
// A Dokument's history leaves out the reads of its content (each view of
// its page reads a PDF or text for the preview) and sums them up in one
// line; ?verlauf=alle lists them with the rest.
func (s *Server) history(ctx context.Context, c *uiCtx, typ, id string) (historieView, error) {
	q := c.r.URL.Query()
	pg := records.Page{Limit: uiPageSize}
	if after := q.Get("verlauf_ab"); after != "" && auditIDRE.MatchString(after) {
		pg.After = after
	}
	v := historieView{Alle: typ != "dokument" || q.Get("verlauf") == "alle"}
	mode := ""
	var (
		es  []audit.Entry
		err error
	)
	if v.Alle {
		es, err = s.svc.History(ctx, c.p, typ, id, pg)
		if typ == "dokument" {
			mode = "verlauf=alle&"
			v.Nur = c.r.URL.Path + "#h-verlauf"
		}
	} else {
		es, err = s.svc.HistoryChanges(ctx, c.p, typ, id, pg)
		if err == nil {
			var sum records.ReadSummary
			if sum, err = s.svc.HistoryReads(ctx, c.p, typ, id); err == nil && sum.Count > 0 {
				v.Abrufe = &abrufeView{Text: abrufeText(sum), Link: c.r.URL.Path + "?verlauf=alle#h-verlauf"}
			}
		}
	}
	if err != nil {
		return historieView{}, err
	}
	v.Eintraege = es
	if len(es) == uiPageSize {
		v.Weiter = c.r.URL.Path + "?" + mode + "verlauf_ab=" + es[len(es)-1].ID + "#h-verlauf"
	}
	if pg.After != "" {
		v.Anfang = c.r.URL.Path + "#h-verlauf"
		if mode != "" {
			v.Anfang = c.r.URL.Path + "?verlauf=alle#h-verlauf"
		}
	}
	return v, nil
}

// abrufeText is the line that sums up the reads of a Dokument's content.
func abrufeText(sum records.ReadSummary) string {
	if sum.More {
		return "Mehr als " + anzahl(sum.Count, "Abruf", "Abrufe") + " des Inhalts."
	}
	t := anzahl(sum.Count, "Abruf", "Abrufe") + " des Inhalts"
	if sum.Last != nil {
		wer := sum.Last.Actor
		if sum.Last.OnBehalfOf != "" {
			wer += " i.V. für " + sum.Last.OnBehalfOf
		}
		if sum.Count == 1 {
			t += ", am " + sum.Last.At.In(berlin).Format("02.01.2006, 15:04") + " durch " + wer
		} else {
			t += ", zuletzt am " + sum.Last.At.In(berlin).Format("02.01.2006, 15:04") + " durch " + wer
		}
	}
	return t + "."
}

func (s *Server) uiAkte(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.aktePage(w, r, c, http.StatusOK, nil)
}

// aktePage shows an Akte; fill adjusts the view (a refused form).
func (s *Server) aktePage(w http.ResponseWriter, r *http.Request, c *uiCtx, status int, fill func(*uiAkteView)) {
	ctx := r.Context()
	a, err := s.svc.GetAkte(ctx, c.p, r.PathValue("id"))
	if err != nil {
		c.fail(w, err)
		return
	}
	v := uiAkteView{Akte: a}
	if pos, err := s.svc.GetAktenplan(ctx, c.p, a.AktenplanID); err == nil {
		v.Position = &pos
	} else if apperr.KindOf(err) != apperr.KindNotFound {
		c.fail(w, err)
		return
	}
	if v.Frueher, err = s.svc.AktenzeichenHistory(ctx, c.p, "akte", a.ID); err != nil {
		c.fail(w, err)
		return
	}
	pg, ok := c.page(w)
	if !ok {
		return
	}
	if v.Vorgaenge, err = s.svc.ListVorgaenge(ctx, c.p, a.ID, pg); err != nil {
		c.fail(w, err)
		return
	}
	v.Pager = c.pager(pg, len(v.Vorgaenge), func(i int) string { return v.Vorgaenge[i].ID })
	if v.Grants, err = s.svc.ListGrants(ctx, c.p, a.ID); err != nil {
		c.fail(w, err)
		return
	}
	if v.Historie, err = s.history(ctx, c, "akte", a.ID); err != nil {
		c.fail(w, err)
		return
	}
	lvl, err := s.svc.AkteLevel(ctx, c.p, a.ID)
	if err != nil {
		c.fail(w, err)
		return
	}
	// as records.Service.CreateVorgang: the role may create, the Akte's
	// level allows it, and the Akte is open
	if a.Status == records.StatusOffen && access.Can(c.p, access.Create) && access.Allows(lvl, access.Create) {
		v.VorgangAnlegen, v.NeuerVorgang = true, newFormular("nv")
	}
	if fill != nil {
		fill(&v)
	}
	s.noteRecent(r, c, a.ID)
	c.render(w, status, "akte.html", pageData{Title: a.Aktenzeichen + " " + a.Titel, Nav: "aktenplan", Data: v})
}

// --- Vorgang ---------------------------------------------------------------------------------------

type uiVorgangView struct {
	Vorgang   records.Vorgang
	Akte      records.Akte
	Dokumente []records.Dokument
	Pager     pager
	Historie  historieView
	// what the caller may do here
	Hochladen, Schliessen, Wiederaufnehmen bool
	Typen                                  []string
	MaxUpload                              int64
	Fehler                                 string // of an upload or action, shown at its form
	FehlerFeld                             string
	Hochgeladen                            []records.Dokument
	// Miniaturen: the caller may see content here, so the table shows the
	// thumbnails of the documents that have one (else a placeholder).
	Miniaturen bool
}

func (s *Server) vorgangPage(w http.ResponseWriter, r *http.Request, c *uiCtx, status int, fill func(*uiVorgangView)) {
	ctx := r.Context()
	vg, err := s.svc.GetVorgang(ctx, c.p, r.PathValue("id"))
	if err != nil {
		c.fail(w, err)
		return
	}
	a, err := s.svc.GetAkte(ctx, c.p, vg.AkteID)
	if err != nil {
		c.fail(w, err)
		return
	}
	lvl, err := s.svc.AkteLevel(ctx, c.p, a.ID)
	if err != nil {
		c.fail(w, err)
		return
	}
	may := func(act access.Action) bool { return access.Can(c.p, act) && access.Allows(lvl, act) }
	v := uiVorgangView{Vorgang: vg, Akte: a, Typen: records.Dokumenttypen, MaxUpload: s.svc.MaxUpload()}
	open := vg.Status == records.StatusOffen && a.Status == records.StatusOffen
	v.Hochladen = open && may(access.Create)
	v.Schliessen = open && may(access.Close)
	v.Wiederaufnehmen = vg.Status == records.StatusZdA && a.Status == records.StatusOffen && may(access.Reopen)
	v.Miniaturen = may(access.ReadContent)
	pg, ok := c.page(w)
	if !ok {
		return
	}
	if v.Dokumente, err = s.svc.ListDokumente(ctx, c.p, vg.ID, pg); err != nil {
		c.fail(w, err)
		return
	}
	v.Pager = c.pager(pg, len(v.Dokumente), func(i int) string { return v.Dokumente[i].ID })
	if v.Historie, err = s.history(ctx, c, "vorgang", vg.ID); err != nil {
		c.fail(w, err)
		return
	}
	if fill != nil {
		fill(&v)
	}
	s.noteRecent(r, c, a.ID)
	c.render(w, status, "vorgang.html", pageData{Title: vg.Aktenzeichen + " " + vg.Betreff, Nav: "aktenplan", Data: v})
}

func (s *Server) uiVorgang(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.vorgangPage(w, r, c, http.StatusOK, nil)
}

func (s *Server) uiVorgangZdA(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.vorgangAction(w, r, c, s.svc.CloseVorgang, "zda")
}

func (s *Server) uiVorgangReopen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.vorgangAction(w, r, c, s.svc.ReopenVorgang, "wiederaufnahme")
}

func (s *Server) vorgangAction(w http.ResponseWriter, r *http.Request, c *uiCtx,
	act func(context.Context, records.Principal, string) (records.Vorgang, error), meldung string) {
	id := r.PathValue("id")
	if _, err := act(r.Context(), c.p, id); err != nil {
		if k := apperr.KindOf(err); k == apperr.KindConflict || k == apperr.KindInvalid {
			e, _ := apperr.As(err)
			s.vorgangPage(w, r, c, http.StatusConflict, func(v *uiVorgangView) { v.Fehler = e.Message })
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/vorgaenge/"+id+"?meldung="+meldung, http.StatusSeeOther)
}

// --- Dokument ----------------------------------------------------------------------------------------

type dokumentView struct {
	Dokument   records.Dokument
	Vorgang    records.Vorgang
	Akte       records.Akte
	Versionen  []records.Version
	Aktuell    *records.Version
	Vorschau   string // pdf, bild, text or "" (none)
	Text       string
	Gekuerzt   bool
	Historie   historieView
	Bearbeiten bool
	Typen      []string
	Form       dokumentForm
	Felder     map[string]string
	Fehler     string
	// Miniatur: show the thumbnail of the newest version (Dokument.Miniatur
	// says whether there is one; else a placeholder).
	Miniatur bool
	// NeueVersion: the caller may add a version now (ui_anlegen.go);
	// VersionFehler is the refusal of an upload, shown at the file input
	// (or above the versions when the form is not offered).
	NeueVersion   bool
	VersionFehler string
	MaxMiB        int64
}

type dokumentForm struct {
	Betreff, Typ, Absender, Empfaenger, Dokumentdatum, Eingangsdatum string
}

// previewKind says how a version can be shown inside the page.
func previewKind(mime string) string {
	mt, _, _ := strings.Cut(mime, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	switch {
	case mt == "application/pdf":
		return "pdf"
	case mt == "image/png", mt == "image/jpeg", mt == "image/gif", mt == "image/webp":
		return "bild"
	case mt == "text/plain", mt == "text/csv", mt == "text/markdown":
		return "text"
	}
	return ""
}

// maxTextPreview bounds the text shown in the page.
const maxTextPreview = 64 << 10

func (s *Server) uiDokument(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.dokumentPage(w, r, c, http.StatusOK, nil)
}

func (s *Server) dokumentPage(w http.ResponseWriter, r *http.Request, c *uiCtx, status int, fill func(*dokumentView)) {
	ctx := r.Context()
	d, err := s.svc.GetDokument(ctx, c.p, r.PathValue("id"))
	if err != nil {
		c.fail(w, err)
		return
	}
	vg, err := s.svc.GetVorgang(ctx, c.p, d.VorgangID)
	if err != nil {
		c.fail(w, err)
		return
	}
	a, err := s.svc.GetAkte(ctx, c.p, vg.AkteID)
	if err != nil {
		c.fail(w, err)
		return
	}
	lvl, err := s.svc.AkteLevel(ctx, c.p, a.ID)
	if err != nil {
		c.fail(w, err)
		return
	}
	v := dokumentView{Dokument: d, Vorgang: vg, Akte: a, Typen: records.Dokumenttypen, Felder: map[string]string{},
		Form: dokumentForm{Betreff: d.Betreff, Typ: d.Typ, Absender: d.Absender, Empfaenger: d.Empfaenger,
			Dokumentdatum: deref(d.Dokumentdatum), Eingangsdatum: deref(d.Eingangsdatum)}}
	v.Bearbeiten = vg.Status == records.StatusOffen && a.Status == records.StatusOffen && !d.Final &&
		access.Can(c.p, access.Edit) && access.Allows(lvl, access.Edit)
	// records.Service.AddVersion asks the same: Edit by role and level,
	// Vorgang and Akte open, the Dokument not final
	v.NeueVersion, v.MaxMiB = v.Bearbeiten, s.svc.MaxUpload()>>20
	if v.Versionen, err = s.svc.ListVersionen(ctx, c.p, d.ID); err != nil {
		c.fail(w, err)
		return
	}
	sort.Slice(v.Versionen, func(i, j int) bool { return v.Versionen[i].Nummer > v.Versionen[j].Nummer })
	if len(v.Versionen) > 0 {
		v.Aktuell = &v.Versionen[0]
		if access.Can(c.p, access.ReadContent) && access.Allows(lvl, access.ReadContent) {
			v.Vorschau = previewKind(v.Aktuell.MimeType)
			v.Miniatur = true
		}
	}
	if v.Vorschau == "text" {
		_, f, err := s.svc.OpenVersion(ctx, c.p, d.ID, v.Aktuell.Nummer)
		if err != nil {
			c.fail(w, err)
			return
		}
		b, err := io.ReadAll(io.LimitReader(f, maxTextPreview+1))
		f.Close()
		if err != nil {
			c.fail(w, err)
			return
		}
		v.Text, v.Gekuerzt = clipText(b, maxTextPreview)
	}
	if v.Historie, err = s.history(ctx, c, "dokument", d.ID); err != nil {
		c.fail(w, err)
		return
	}
	if fill != nil {
		fill(&v)
	}
	s.noteRecent(r, c, a.ID)
	title := d.Betreff
	if title == "" {
		title = "Dokument"
	}
	c.render(w, status, "dokument.html", pageData{Title: title, Nav: "aktenplan", FramePDF: v.Vorschau == "pdf", Data: v})
}

func (s *Server) uiDokumentSave(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	f := r.PostForm
	form := dokumentForm{Betreff: f.Get("betreff"), Typ: f.Get("typ"), Absender: f.Get("absender"),
		Empfaenger: f.Get("empfaenger"), Dokumentdatum: strings.TrimSpace(f.Get("dokumentdatum")),
		Eingangsdatum: strings.TrimSpace(f.Get("eingangsdatum"))}
	// dates as typed (TT.MM.JJJJ or ISO) become ISO for the service; an
	// invalid one is refused at its field and nothing is saved
	felder := map[string]string{}
	date := func(field, v string) *string {
		if v == "" {
			return nil
		}
		t, ok := parseTag(v)
		if !ok {
			felder[field] = datumFehler(v)
			return nil
		}
		iso := t.Format("2006-01-02")
		return &iso
	}
	dd, ed := date("dokumentdatum", form.Dokumentdatum), date("eingangsdatum", form.Eingangsdatum)
	if len(felder) > 0 {
		s.dokumentPage(w, r, c, http.StatusUnprocessableEntity, func(v *dokumentView) {
			v.Form, v.Felder, v.Fehler = form, felder, "Bitte die markierten Felder prüfen."
		})
		return
	}
	p := records.DokumentPatch{Betreff: &form.Betreff, Typ: &form.Typ, Absender: &form.Absender, Empfaenger: &form.Empfaenger,
		Dokumentdatum: &dd, Eingangsdatum: &ed}
	id := r.PathValue("id")
	if _, err := s.svc.UpdateDokument(r.Context(), c.p, id, p); err != nil {
		k := apperr.KindOf(err)
		if k == apperr.KindInvalid || k == apperr.KindConflict {
			e, _ := apperr.As(err)
			status := http.StatusUnprocessableEntity
			if k == apperr.KindConflict {
				status = http.StatusConflict
			}
			s.dokumentPage(w, r, c, status, func(v *dokumentView) {
				v.Form = form
				v.Fehler = e.Message
				for _, fe := range e.Fields {
					v.Felder[fe.Field] = fe.Message
				}
				if len(e.Fields) > 0 {
					v.Fehler = "Bitte die markierten Felder prüfen."
				}
			})
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/dokumente/"+id+"?meldung=gespeichert", http.StatusSeeOther)
}

// uiPreview sends a version's content for display inside the Dokument
// page: PDF (framed by the page) and images only, inline, and only to
// pages of this origin. Downloads use the API's content routes.
func (s *Server) uiPreview(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	n := 0
	if q := r.URL.Query().Get("version"); q != "" {
		var err error
		if n, err = strconv.Atoi(q); err != nil || n < 1 {
			c.notFound(w)
			return
		}
	}
	ver, err := s.svc.GetVersion(r.Context(), c.p, r.PathValue("id"), n)
	if err != nil {
		c.fail(w, err)
		return
	}
	kind := previewKind(ver.MimeType)
	if kind != "pdf" && kind != "bild" {
		c.errorPage(w, http.StatusUnsupportedMediaType, "Keine Vorschau", "Für diesen Dateityp gibt es keine Vorschau im Browser; bitte herunterladen.")
		return
	}
	ver, f, err := s.svc.OpenVersion(r.Context(), c.p, r.PathValue("id"), ver.Nummer)
	if err != nil {
		c.fail(w, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", ver.MimeType)
	h.Set("Content-Disposition", ContentDisposition("inline", ver.Dateiname))
	h.Set("ETag", `"`+ver.SHA256+`"`)
	h.Set("Cache-Control", "private, no-cache")
	// Framed by our own pages only; nothing in it may load anything.
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'")
	http.ServeContent(w, r, "", ver.CreatedAt, f)
}

// uiMiniatur sends the thumbnail (PNG, first page) of a Dokument's newest
// version: the same checks as the Dokument page and its preview (another
// tenant's or a hidden Dokument: the 404 page, as an unknown id); the 404
// page too while there is no thumbnail (not made yet, or the content
// cannot give one).
func (s *Server) uiMiniatur(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	ver, f, err := s.svc.OpenMiniatur(r.Context(), c.p, r.PathValue("id"))
	if err != nil {
		c.fail(w, err)
		return
	}
	defer f.Close()
	servePNG(w, r, ver.SHA256, ver.CreatedAt, f)
}

// servePNG sends a thumbnail: its content hash as ETag, revalidated on
// every use (the caller's right may have ended), never shared by caches.
func servePNG(w http.ResponseWriter, r *http.Request, sha string, modified time.Time, f io.ReadSeeker) {
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("ETag", `"`+sha+`"`)
	h.Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "", modified, f)
}
