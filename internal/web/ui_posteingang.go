package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// The Posteingang pages of the clerk's web application: the list of
// incoming post of the caller's tenant and units (roles admin and
// registratur; everyone else gets the 403 page, as from the API), upload
// into it, and one item with its preview, the recognised text, the
// suggestions and the three ways to assign it: to an existing Vorgang
// (found by search-as-you-type through records.Service.Search, so only
// what the caller may see), to a new Vorgang in an Akte, or to a new Akte
// with a new Vorgang. Everything goes through the same records.Service
// calls as /api/v1/posteingang: an item of another tenant or unit gives the
// same 404 page as an unknown id.

func init() {
	uiRouteGroups = append(uiRouteGroups, func() []uiRoute {
		return []uiRoute{
			{"GET", "/posteingang", true, (*Server).uiPosteingang, false},
			{"POST", "/posteingang", true, (*Server).uiPostUpload, true},
			{"GET", "/posteingang/{id}", true, (*Server).uiPostItem, false},
			{"GET", "/posteingang/{id}/vorschau", true, (*Server).uiPostPreview, false},
			{"GET", "/posteingang/{id}/miniatur", true, (*Server).uiPostMiniatur, false},
			{"GET", "/posteingang/{id}/vorgangssuche", true, (*Server).uiPostVorgangSuche, false},
			{"POST", "/posteingang/{id}/zuordnung", true, (*Server).uiPostAssign, false},
		}
	})
	meldungen["zugeordnet"] = "Der Eingang ist zugeordnet: er ist jetzt ein Dokument dieses Vorgangs."
	meldungen["eingang-hochgeladen"] = "Die Dateien sind im Posteingang."
	uiFuncs["quelle"] = quelleLabel
	uiFuncs["poststatus"] = func(s string) string {
		if s == records.PostZugeordnet {
			return "zugeordnet"
		}
		return "offen"
	}
	uiFuncs["textstatuswert"] = func(t records.TextStatus) string { return textStatusLabel(&t) }
	uiFuncs["zfeld"] = func(id, name, label, value, hilfe string, errs map[string]string) zfeldView {
		return zfeldView{ID: id, Name: name, Label: label, Value: value, Hilfe: hilfe, Error: errs[id]}
	}
}

// zfeldView is one labelled text input of the assignment forms (template
// "zfeld"), with an optional hint and its error.
type zfeldView struct {
	ID, Name, Label, Value, Hilfe, Error string
}

// quelleLabel names the source of an item in German.
func quelleLabel(q string) string {
	switch q {
	case records.QuelleUpload:
		return "Upload"
	case records.QuelleOrdner:
		return "Ordner (Scan)"
	case records.QuelleIMAP:
		return "E-Mail"
	case records.QuellePortal:
		return "Portal"
	}
	return q
}

// --- list --------------------------------------------------------------------------------

type postFilterLink struct {
	Label, URL string
	Aktiv      bool
}

type postListView struct {
	Items       []records.PostItem
	Status      string
	Filter      []postFilterLink
	Pager       pager
	MaxUpload   int64
	Fehler      string
	Hochgeladen []records.PostItem
	// Einheiten are the Posteingänge the user may file uploads into (the
	// tenant's, value "", and units), Einheit the one chosen (default: the
	// user's own unit), EinheitFehler the refusal of a choice.
	Einheiten     []einheitOption
	Einheit       string
	EinheitFehler string
}

type einheitOption struct {
	Kennung, Label string
	// Sichtbar: the user sees this Posteingang's items in the own list
	// (records.PostUnitVisible); an admin without unit may file into a
	// unit without seeing the items afterwards.
	Sichtbar bool
}

// postStatus reads the status filter: offen (default), zugeordnet, alle.
func postStatus(r *http.Request) string {
	switch s := r.URL.Query().Get("status"); s {
	case records.PostZugeordnet, "alle":
		return s
	}
	return records.PostOffen
}

func (s *Server) uiPosteingang(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.postListPage(w, r, c, http.StatusOK, nil)
}

func (s *Server) postListPage(w http.ResponseWriter, r *http.Request, c *uiCtx, status int, fill func(*postListView)) {
	pg, ok := c.page(w)
	if !ok {
		return
	}
	v := postListView{Status: postStatus(r), MaxUpload: s.svc.MaxUpload()}
	var err error
	if v.Einheiten, v.Einheit, err = s.postUnitChoice(r.Context(), c); err != nil {
		c.fail(w, err)
		return
	}
	meldung := ""
	if q := r.URL.Query(); q.Get("meldung") == "eingang-hochgeladen" {
		meldung = uploadMeldung(q, v.Einheiten)
	}
	items, err := s.svc.ListPost(r.Context(), c.p, records.PostFilter{Status: v.Status}, pg)
	if err != nil {
		c.fail(w, err)
		return
	}
	v.Items = items
	v.Pager = c.pager(pg, len(items), func(i int) string { return items[i].ID })
	if v.Pager.Weiter != "" && v.Status != records.PostOffen {
		v.Pager.Weiter += "&status=" + v.Status
	}
	if v.Pager.Anfang != "" && v.Status != records.PostOffen {
		v.Pager.Anfang += "?status=" + v.Status
	}
	for _, f := range []struct{ wert, label string }{{records.PostOffen, "Offen"}, {records.PostZugeordnet, "Zugeordnet"}, {"alle", "Alle"}} {
		u := "/posteingang"
		if f.wert != records.PostOffen {
			u += "?status=" + f.wert
		}
		v.Filter = append(v.Filter, postFilterLink{Label: f.label, URL: u, Aktiv: f.wert == v.Status})
	}
	if fill != nil {
		fill(&v)
	}
	c.render(w, status, "posteingang.html", pageData{Title: "Posteingang", Nav: "posteingang", Meldung: meldung, Data: v})
}

// uploadMeldung is the confirmation after an upload into the Posteingang
// (?meldung=eingang-hochgeladen&anzahl=N&einheit=K, from the form's redirect
// and from the script): it names the Posteingang the files went to, and
// says so when the user does not see that Posteingang's items, so that
// they do not seem to vanish. Only a count and a unit on offer are taken
// from the address; the text is ours.
func uploadMeldung(q url.Values, opts []einheitOption) string {
	i := slices.IndexFunc(opts, func(o einheitOption) bool { return o.Kennung == q.Get("einheit") })
	if i < 0 {
		return meldungen["eingang-hochgeladen"]
	}
	o := opts[i]
	wohin := "in den Posteingang von " + o.Label
	if o.Kennung == "" {
		wohin = "in den Posteingang der Poststelle (ganzer Mandant)"
	}
	was := "Die Dateien wurden"
	if n, err := strconv.Atoi(q.Get("anzahl")); err == nil && n > 0 && n <= 1000 {
		was = anzahl(n, "Datei", "Dateien") + " wurden"
		if n == 1 {
			was = "1 Datei wurde"
		}
	}
	m := was + " " + wohin + " gelegt."
	if !o.Sichtbar {
		m += " Sie selbst sehen diese Eingänge nicht in Ihrem Posteingang: Sie gehören der Einheit " + o.Kennung + ", deren Registratur sie bearbeitet."
	}
	return m
}

// --- upload ------------------------------------------------------------------------------

var postUploadFields = map[string]bool{"csrf": true, "typ": true, "einheit": true}

// postUnitChoice lists the Posteingänge the user may file an upload into,
// as records.Service.ReceivePost allows: the tenant's (Poststelle) and the
// units the user sees (own units and those below them), or every unit of
// the tenant for a user without unit. The default is the user's own unit
// (the first membership), else the tenant's.
func (s *Server) postUnitChoice(ctx context.Context, c *uiCtx) ([]einheitOption, string, error) {
	opts := []einheitOption{{Kennung: "", Label: "Poststelle (ganzer Mandant)", Sichtbar: true}}
	if !access.Can(c.p, access.ManagePosteingang) {
		return opts, "", nil
	}
	units, err := s.svc.ListUnitsAs(ctx, c.p)
	if err != nil {
		return nil, "", err
	}
	for _, u := range units {
		if len(c.p.Units) == 0 || slices.Contains(c.p.Units, u.ID) {
			opts = append(opts, einheitOption{Kennung: u.Kennung, Label: u.Kennung + " – " + u.Name,
				Sichtbar: records.PostUnitVisible(c.p, u.ID)})
		}
	}
	def := ""
	if c.p.Login != "" {
		if me, err := s.svc.GetUserAs(ctx, c.p, c.p.Login); err == nil {
			for _, m := range me.Einheiten {
				if slices.ContainsFunc(opts, func(o einheitOption) bool { return o.Kennung == m.Kennung }) {
					def = m.Kennung
					break
				}
			}
		} else if apperr.KindOf(err) != apperr.KindNotFound {
			return nil, "", err
		}
	}
	return opts, def, nil
}

// uiPostUpload files each uploaded file as an item of the tenant's
// Posteingang. Like the Vorgang upload (ui_upload.go) it streams the body
// part by part, checks the CSRF field before the first file, and answers
// the script (one request per file) in plain text.
func (s *Server) uiPostUpload(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	script := r.Header.Get("X-Requested-With") == "XMLHttpRequest"
	created, uerr := s.postUploadFiles(w, r, c)
	if uerr == nil && len(created) == 0 {
		uerr = &uploadError{status: http.StatusUnprocessableEntity, msg: "Bitte mindestens eine Datei auswählen."}
	}
	if script {
		answerScript(w, uerr, anzahl(len(created), "Eingang", "Eingänge")+" angelegt")
		return
	}
	if uerr != nil && uerr.status == http.StatusForbidden && uerr.msg == "" {
		c.csrfFailed(w)
		return
	}
	if uerr != nil && uerr.status == http.StatusForbidden {
		c.errorPage(w, http.StatusForbidden, "Keine Berechtigung", uerr.msg)
		return
	}
	if uerr != nil {
		s.postListPage(w, r, c, uerr.status, func(v *postListView) {
			if uerr.field == "einheit" {
				v.EinheitFehler = uerr.msg
			} else {
				v.Fehler = uerr.msg
			}
			v.Hochgeladen = created
		})
		return
	}
	q := url.Values{"meldung": {"eingang-hochgeladen"}, "anzahl": {strconv.Itoa(len(created))}, "einheit": {uploadEinheit(created)}}
	http.Redirect(w, r, "/posteingang?"+q.Encode(), http.StatusSeeOther)
}

// uploadEinheit is the Kennung of the unit the items were filed into ("":
// the tenant's Posteingang).
func uploadEinheit(created []records.PostItem) string {
	if len(created) > 0 && created[0].Einheit != nil {
		return *created[0].Einheit
	}
	return ""
}

func (s *Server) postUploadFiles(w http.ResponseWriter, r *http.Request, c *uiCtx) ([]records.PostItem, *uploadError) {
	ctx := r.Context()
	fail := func(err error) *uploadError {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return &uploadError{status: http.StatusRequestEntityTooLarge, msg: "Die Dateien sind zusammen zu groß (je Datei höchstens " + mib(s.svc.MaxUpload()) + ")."}
		case errors.Is(err, errNotMultipart):
			return &uploadError{status: http.StatusUnsupportedMediaType, msg: "Das Formular wurde nicht als Datei-Upload gesendet."}
		case errors.Is(err, errBadTextPart):
			return &uploadError{status: http.StatusBadRequest, msg: "Ein Formularfeld ist ungültig."}
		}
		var bm *badMultipart
		if errors.As(err, &bm) {
			return &uploadError{status: http.StatusBadRequest, msg: "Das Hochladen wurde abgebrochen oder ist unvollständig."}
		}
		if e, ok := apperr.As(err); ok {
			if e.Kind == apperr.KindForbidden {
				records.NoteDenial(ctx, records.Denial{ObjectType: "anfrage", ObjectID: r.Method + " " + r.URL.Path, Reason: e.Message})
				return &uploadError{status: http.StatusForbidden, msg: "Sie dürfen den Posteingang nicht bearbeiten."}
			}
			msg, field := e.Message, ""
			for _, f := range e.Fields {
				msg = f.Message
				if f.Field == "einheit" {
					field = "einheit"
				}
			}
			if ks, ok := kindStatus[e.Kind]; ok {
				return &uploadError{status: ks.status, msg: msg, field: field}
			}
		}
		if ctx.Err() == nil {
			s.log.Warn("ui posteingang upload", "err", err, "request_id", requestID(ctx))
		}
		return &uploadError{status: http.StatusBadRequest, msg: "Das Hochladen wurde abgebrochen oder ist unvollständig."}
	}
	// refused before a byte of the files is read
	if !access.Can(c.p, access.ManagePosteingang) {
		return nil, fail(apperr.Forbidden("Keine Berechtigung: %s", access.ManagePosteingang.Label()))
	}
	opts, _, err := s.postUnitChoice(ctx, c)
	if err != nil {
		return nil, fail(err)
	}
	var created []records.PostItem
	uerr := s.eachUploadedFile(w, r, c, uiMaxFiles, postUploadFields, fail, func(part *multipart.Part, fields map[string]string) error {
		// the unit comes before the files (form order, and the script
		// sends it first); a unit the user may not choose refuses the
		// upload before anything is stored
		einheit := strings.TrimSpace(fields["einheit"])
		if !slices.ContainsFunc(opts, func(o einheitOption) bool { return o.Kennung == einheit }) {
			return apperr.Invalid("einheit", "Diese Organisationseinheit steht Ihnen nicht zur Wahl. Bitte eine der angebotenen wählen.")
		}
		content, err := s.svc.StoreContent(ctx, c.p, part, part.FileName())
		if err != nil {
			return err
		}
		it, _, err := s.svc.ReceivePost(ctx, c.p, records.PostIn{Quelle: records.QuelleUpload, Einheit: einheit, Content: content})
		if err != nil {
			return err
		}
		created = append(created, it)
		return nil
	})
	return created, uerr
}

// --- one item --------------------------------------------------------------------------------

// vorgangsTreffer is the result list of the search-as-you-type field.
type vorgangsTreffer struct {
	Suche    string
	Gesucht  bool // a search ran (or was refused as too short)
	Items    []records.SearchHit
	Mehr     bool
	Hinweis  string // why nothing was searched
	Gewaehlt string // the Vorgang chosen before (after an error)
	Fehler   string // error of the choice, tied to the list
}

// Status is the sentence for the live region.
func (t vorgangsTreffer) Status() string {
	switch {
	case !t.Gesucht:
		return ""
	case t.Hinweis != "":
		return t.Hinweis
	case len(t.Items) == 0:
		return "Kein offener Vorgang gefunden."
	case len(t.Items) == 1:
		return "1 offener Vorgang gefunden."
	case t.Mehr:
		return fmt.Sprintf("Die ersten %d offenen Vorgänge; für weitere bitte genauer suchen.", len(t.Items))
	}
	return fmt.Sprintf("%d offene Vorgänge gefunden.", len(t.Items))
}

type zuordnungForm struct {
	Art                              string // vorgang, neuer-vorgang, neue-akte
	AkteAz, AkteID, VorgangBetreff   string
	PositionID, AkteTitel, NaBetreff string
	Fehler                           string            // the form's message
	Felder                           map[string]string // field id → message
}

type postItemView struct {
	Item        records.PostItem
	Vorschau    string // pdf, bild, text or ""
	Text        string
	Gekuerzt    bool
	Erkannt     string
	ErkGekuerzt bool
	Offen       bool // may still be assigned
	Vorgang     *records.Vorgang
	Treffer     vorgangsTreffer
	Positionen  []records.AktenplanEintrag
	Form        zuordnungForm
}

func (s *Server) uiPostItem(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.postItemPage(w, r, c, http.StatusOK, nil)
}

// clipText cuts b to max bytes at a character boundary.
func clipText(b []byte, max int) (string, bool) {
	cut := false
	if len(b) > max {
		b, cut = b[:max], true
	}
	for len(b) > 0 && !utf8.Valid(b) {
		b = b[:len(b)-1]
	}
	return string(b), cut
}

func (s *Server) postItemPage(w http.ResponseWriter, r *http.Request, c *uiCtx, status int, fill func(*postItemView)) {
	ctx := r.Context()
	it, err := s.svc.GetPost(ctx, c.p, r.PathValue("id"))
	if err != nil {
		c.fail(w, err)
		return
	}
	v := postItemView{Item: it, Offen: it.Status == records.PostOffen, Vorschau: previewKind(it.MimeType),
		Form: zuordnungForm{Felder: map[string]string{}}}
	if v.Vorschau == "text" {
		_, f, err := s.svc.OpenPost(ctx, c.p, it.ID, 0)
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
	v.Erkannt, v.ErkGekuerzt = clipText([]byte(it.Text), maxTextPreview)
	if it.VorgangID != nil {
		if vg, err := s.svc.GetVorgang(ctx, c.p, *it.VorgangID); err == nil {
			v.Vorgang = &vg
		} else if k := apperr.KindOf(err); k != apperr.KindNotFound && k != apperr.KindForbidden {
			c.fail(w, err)
			return
		}
	}
	if v.Offen {
		if q := r.URL.Query().Get("suche"); q != "" {
			if v.Treffer, err = s.vorgangSuche(c, q); err != nil {
				c.fail(w, err)
				return
			}
		}
		list, err := s.svc.ListAktenplan(ctx, c.p)
		if err != nil {
			c.fail(w, err)
			return
		}
		for _, e := range list {
			if !e.Geschlossen {
				v.Positionen = append(v.Positionen, e)
			}
		}
		sort.Slice(v.Positionen, func(i, j int) bool { return v.Positionen[i].Kennzeichen < v.Positionen[j].Kennzeichen })
	}
	if fill != nil {
		fill(&v)
	}
	title := it.Betreff
	if title == "" {
		title = it.Dateiname
	}
	c.render(w, status, "posteingang_eintrag.html", pageData{Title: title + " – Posteingang", Nav: "posteingang",
		FramePDF: v.Vorschau == "pdf", Data: v})
}

// uiPostPreview sends an item's content (or an attachment's, ?anhang=N)
// for display inside the item page: PDF and images only, inline, framable
// by our own pages only (as uiPreview does for versions).
func (s *Server) uiPostPreview(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	nr := 0
	if a := r.URL.Query().Get("anhang"); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil || n < 1 {
			c.notFound(w)
			return
		}
		nr = n
	}
	a, f, err := s.svc.OpenPost(r.Context(), c.p, r.PathValue("id"), nr)
	if err != nil {
		c.fail(w, err)
		return
	}
	defer f.Close()
	if k := previewKind(a.MimeType); k != "pdf" && k != "bild" {
		c.errorPage(w, http.StatusUnsupportedMediaType, "Keine Vorschau", "Für diesen Dateityp gibt es keine Vorschau im Browser; bitte herunterladen.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.MimeType)
	h.Set("Content-Disposition", ContentDisposition("inline", a.Dateiname))
	h.Set("ETag", `"`+a.SHA256+`"`)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'")
	http.ServeContent(w, r, "", time.Time{}, f)
}

// --- search-as-you-type -------------------------------------------------------------------------

// vorgangsQuery turns what the user typed into a search query: words
// without query syntax, AND-ed, the last one as a prefix (so "Antr" and
// "TFM-121-2026/00" find while typing).
func vorgangsQuery(text string) string {
	var words []string
	for _, w := range strings.Fields(text) {
		w = strings.Map(func(r rune) rune {
			switch r {
			case '"', '(', ')', '*', ':', '\\', '„', '“', '”', '«', '»', '<', '>':
				return -1
			}
			return r
		}, w)
		w = strings.TrimLeft(w, "-+")
		switch strings.ToUpper(w) {
		case "OR", "ODER", "NOT", "NICHT", "AND", "UND":
			w = strings.ToLower(w)
		}
		if w != "" {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return ""
	}
	if last := words[len(words)-1]; utf8.RuneCountInString(last) >= 2 {
		words[len(words)-1] = last + "*"
	}
	return strings.Join(words, " ")
}

// vorgangSuche finds open Vorgänge the caller may see by Aktenzeichen or
// Betreff (records.Service.Search: access control is part of the query).
func (s *Server) vorgangSuche(c *uiCtx, text string) (vorgangsTreffer, error) {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > 200 {
		text = string([]rune(text)[:200])
	}
	t := vorgangsTreffer{Suche: text, Gesucht: true}
	q := vorgangsQuery(text)
	if utf8.RuneCountInString(strings.TrimSuffix(q, "*")) < 2 {
		t.Hinweis = "Bitte mindestens zwei Zeichen des Aktenzeichens oder Betreffs eingeben."
		return t, nil
	}
	res, err := s.svc.Search(c.r.Context(), c.p, records.SearchRequest{Query: q, ObjectType: records.ObjVorgang,
		Status: records.StatusOffen, Facets: []string{}, Limit: 10})
	if err != nil {
		if k := apperr.KindOf(err); k == apperr.KindInvalid {
			t.Hinweis = "Bitte ein Aktenzeichen oder Wörter aus dem Betreff eingeben."
			return t, nil
		}
		return t, err
	}
	t.Items, t.Mehr = res.Items, res.NextCursor != nil
	return t, nil
}

// uiPostVorgangSuche answers the search-as-you-type field with the HTML of
// the result list (and the sentence of its live region). Opened without
// htmx, it leads to the item page with the same search.
func (s *Server) uiPostVorgangSuche(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	id := r.PathValue("id")
	q := r.URL.Query().Get("suche")
	if r.Header.Get("HX-Request") != "true" {
		http.Redirect(w, r, "/posteingang/"+url.PathEscape(id)+"?suche="+url.QueryEscape(q)+"#zuordnen", http.StatusSeeOther)
		return
	}
	if _, err := s.svc.GetPost(r.Context(), c.p, id); err != nil {
		c.fail(w, err)
		return
	}
	t, err := s.vorgangSuche(c, q)
	if err != nil {
		c.fail(w, err)
		return
	}
	c.renderFragment(w, http.StatusOK, "posteingang_eintrag.html", "vorgangstreffer-antwort", t)
}

// renderFragment executes one named template of a page (no layout): the
// answer to an htmx request.
func (c *uiCtx) renderFragment(w http.ResponseWriter, status int, page, name string, data any) {
	ts, err := templates()
	t, ok := ts[page]
	if err != nil || !ok {
		c.s.log.Error("ui: fragment templates", "page", page, "err", err)
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		c.s.log.Error("ui: render fragment", "page", page, "name", name, "err", err, "request_id", requestID(c.r.Context()))
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	uiHeaders(w, false)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Vary", "HX-Request")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// --- assignment ---------------------------------------------------------------------------------

// uiPostAssign assigns an item (art: vorgang, neuer-vorgang, neue-akte)
// and leads to the Vorgang; a refusal is shown at the form it came from.
func (s *Server) uiPostAssign(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	ctx := r.Context()
	id := r.PathValue("id")
	f := r.PostForm
	form := zuordnungForm{Art: f.Get("art"), AkteAz: strings.TrimSpace(f.Get("akte_az")), AkteID: f.Get("akte_id"),
		VorgangBetreff: f.Get("vorgang_betreff"), PositionID: f.Get("aktenplan_id"), AkteTitel: f.Get("akte_titel"),
		NaBetreff: f.Get("neue_akte_vorgang_betreff"), Felder: map[string]string{}}
	gewaehlt := f.Get("vorgang_id")
	suche := f.Get("suche")
	// the item first: unknown or foreign is the 404 page, not a form error
	if _, err := s.svc.GetPost(ctx, c.p, id); err != nil {
		c.fail(w, err)
		return
	}
	refuse := func(status int) {
		s.postItemPage(w, r, c, status, func(v *postItemView) {
			v.Form = form
			if form.Art == "vorgang" {
				v.Treffer.Gewaehlt = gewaehlt
				if suche != "" && !v.Treffer.Gesucht {
					if t, err := s.vorgangSuche(c, suche); err == nil {
						v.Treffer = t
						v.Treffer.Gewaehlt = gewaehlt
					}
				}
				v.Treffer.Fehler = form.Felder["z-suche"]
			}
		})
	}
	z := records.Zuordnung{}
	switch form.Art {
	case "vorgang":
		if !uuidRE.MatchString(gewaehlt) {
			form.Felder["z-suche"] = "Bitte zuerst einen Vorgang suchen und auswählen."
			refuse(http.StatusUnprocessableEntity)
			return
		}
		z.VorgangID = gewaehlt
	case "neuer-vorgang":
		z.VorgangBetreff = form.VorgangBetreff
		switch {
		case uuidRE.MatchString(form.AkteID):
			z.AkteID = form.AkteID
		case form.AkteAz == "":
			form.Felder["nv-akte"] = "Bitte das Aktenzeichen der Akte angeben."
		default:
			typ, oid, err := s.svc.Lookup(ctx, c.p, form.AkteAz)
			switch {
			case err == nil && typ == records.ObjAkte:
				z.AkteID = oid
			case err == nil:
				form.Felder["nv-akte"] = "Das ist das Aktenzeichen eines Vorgangs, nicht einer Akte. Einem bestehenden Vorgang ordnen Sie oben zu."
			case apperr.KindOf(err) == apperr.KindNotFound:
				form.Felder["nv-akte"] = "Keine Akte mit diesem Aktenzeichen gefunden, die Sie sehen dürfen."
			default:
				c.fail(w, err)
				return
			}
		}
		if len(form.Felder) > 0 {
			refuse(http.StatusUnprocessableEntity)
			return
		}
	case "neue-akte":
		z.NeueAkte = &records.NewAkte{AktenplanID: form.PositionID, Titel: form.AkteTitel}
		z.VorgangBetreff = form.NaBetreff
		if !uuidRE.MatchString(form.PositionID) {
			form.Felder["na-position"] = "Bitte eine Aktenplanposition wählen."
		}
		if strings.TrimSpace(form.AkteTitel) == "" {
			form.Felder["na-titel"] = "Bitte einen Titel für die Akte angeben."
		}
		if len(form.Felder) > 0 {
			refuse(http.StatusUnprocessableEntity)
			return
		}
	default:
		c.errorPage(w, http.StatusBadRequest, "Ungültige Anfrage", "Das Formular ist unvollständig. Bitte die Seite neu laden.")
		return
	}
	res, err := s.svc.AssignPost(ctx, c.p, id, z)
	if err != nil {
		e, ok := apperr.As(err)
		if !ok {
			c.fail(w, err)
			return
		}
		status := http.StatusUnprocessableEntity
		switch e.Kind {
		case apperr.KindInvalid:
			for _, fe := range e.Fields {
				form.Felder[assignField(form.Art, fe.Field)] = fe.Message
			}
			form.Fehler = "Bitte die markierten Felder prüfen."
		case apperr.KindNotFound:
			status = http.StatusUnprocessableEntity
			switch form.Art {
			case "vorgang":
				form.Felder["z-suche"] = "Dieser Vorgang wurde nicht gefunden."
			case "neuer-vorgang":
				form.Felder["nv-akte"] = "Diese Akte wurde nicht gefunden."
			default:
				form.Fehler = "Die Aktenplanposition wurde nicht gefunden."
			}
		case apperr.KindForbidden:
			records.NoteDenial(ctx, records.Denial{ObjectType: "anfrage", ObjectID: r.Method + " " + r.URL.Path, Reason: e.Message})
			status = http.StatusForbidden
			form.Fehler = "Dafür fehlt Ihnen die Berechtigung: Sie dürfen dort keine Dokumente oder Vorgänge anlegen."
		case apperr.KindConflict:
			status = http.StatusConflict
			form.Fehler = e.Message + "."
		default:
			c.fail(w, err)
			return
		}
		if form.Fehler == "" && len(form.Felder) == 0 {
			form.Fehler = e.Message
		}
		refuse(status)
		return
	}
	http.Redirect(w, r, "/vorgaenge/"+res.Vorgang.ID+"?meldung=zugeordnet", http.StatusSeeOther)
}

// assignField maps a field of the service's validation to the id of the
// input it belongs to.
func assignField(art, field string) string {
	switch field {
	case "neue_akte.aktenplan_id", "aktenplan_id":
		return "na-position"
	case "neue_akte.titel", "titel":
		return "na-titel"
	case "vorgang_betreff", "betreff":
		if art == "neue-akte" {
			return "na-vorgang"
		}
		if art == "neuer-vorgang" {
			return "nv-betreff"
		}
	case "vorgang_id":
		return "z-suche"
	case "akte_id":
		return "nv-akte"
	}
	switch art {
	case "vorgang":
		return "z-suche"
	case "neuer-vorgang":
		return "nv-akte"
	}
	return "na-titel"
}

// uiPostMiniatur sends the thumbnail (PNG, first page) of a Posteingang
// item: the checks of the item itself (another tenant's or unit's item:
// the 404 page, as an unknown id); the 404 page too while there is none.
func (s *Server) uiPostMiniatur(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	it, f, err := s.svc.OpenPostMiniatur(r.Context(), c.p, r.PathValue("id"))
	if err != nil {
		c.fail(w, err)
		return
	}
	defer f.Close()
	servePNG(w, r, it.MiniaturSHA256, it.EingegangenAm, f)
}
