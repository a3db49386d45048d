package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Users and roles on the administration pages: the list (filtered, paged),
// a new account (a person gets a generated first password, shown once),
// and one account's page: name and roles, unit memberships, deactivation,
// password reset, its API tokens. All through records.Service's …As calls
// (access.ManageUsers, the caller's tenant) like /api/v1/benutzer, and
// auth.Service.ResetPasswordAs for the password.

func init() {
	uiRouteGroups = append(uiRouteGroups, func() []uiRoute {
		return []uiRoute{
			{"GET", "/verwaltung/benutzer", true, (*Server).uiVwBenutzerListe, false},
			{"POST", "/verwaltung/benutzer", true, (*Server).uiVwBenutzerNeu, false},
			{"GET", "/verwaltung/benutzer/{login}", true, (*Server).uiVwBenutzer, false},
			{"POST", "/verwaltung/benutzer/{login}", true, (*Server).uiVwBenutzerSpeichern, false},
			{"POST", "/verwaltung/benutzer/{login}/aktiv", true, (*Server).uiVwBenutzerAktiv, false},
			{"POST", "/verwaltung/benutzer/{login}/einheiten", true, (*Server).uiVwBenutzerEinheitNeu, false},
			{"POST", "/verwaltung/benutzer/{login}/einheiten/entfernen", true, (*Server).uiVwBenutzerEinheitWeg, false},
			{"POST", "/verwaltung/benutzer/{login}/passwort", true, (*Server).uiVwBenutzerPasswort, false},
			{"POST", "/verwaltung/benutzer/{login}/tokens", true, (*Server).uiVwBenutzerTokenNeu, false},
			{"POST", "/verwaltung/benutzer/{login}/tokens/{id}/widerruf", true, (*Server).uiVwBenutzerTokenWiderruf, false},
		}
	})
	for k, v := range map[string]string{
		"benutzer-gespeichert":  "Name und Rollen sind gespeichert.",
		"benutzer-deaktiviert":  "Das Konto ist deaktiviert: Anmeldung und API-Tokens wirken nicht mehr.",
		"benutzer-aktiviert":    "Das Konto ist wieder aktiv.",
		"einheiten-gespeichert": "Die Zugehörigkeit zu Organisationseinheiten ist gespeichert.",
		"benutzer-token-weg":    "Das API-Token ist widerrufen.",
	} {
		meldungen[k] = v
	}
}

// --- list and new account --------------------------------------------------------------------------

type vwBenutzerListeView struct {
	Kopf      vwKopf
	Benutzer  []records.UserInfo
	Gesamt    int
	Treffer   int
	Suche     string
	Seite     int
	Weiter    string
	Zurueck   string
	Form      *formular
	EinheitOp []option
	TypOp     []option
}

func (s *Server) uiVwBenutzerListe(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	form := newFormular("neu")
	form.Werte.Set("rollen", string(access.RoleSachbearbeitung))
	form.Werte.Set("position", "sachbearbeitung")
	s.benutzerListe(w, c, http.StatusOK, form)
}

func (s *Server) benutzerListe(w http.ResponseWriter, c *uiCtx, status int, form *formular) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	ctx := c.r.Context()
	all, err := s.svc.ListUsersAs(ctx, c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	units, err := s.svc.ListUnitsAs(ctx, c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	sort.Slice(units, func(i, j int) bool { return units[i].Kennung < units[j].Kennung })
	sort.Slice(all, func(i, j int) bool { return all[i].Login < all[j].Login })
	q := c.r.URL.Query()
	v := vwBenutzerListeView{Kopf: c.kopf("benutzer"), Gesamt: len(all), Suche: strings.TrimSpace(q.Get("q")), Form: form,
		EinheitOp: einheitOptionen(units, "– keine –"), TypOp: []option{{records.KindPerson, "Person"}, {records.KindService, "Dienstkonto (nur API-Token)"}}}
	if len([]rune(v.Suche)) > 100 {
		v.Suche = string([]rune(v.Suche)[:100])
	}
	var hits []records.UserInfo
	needle := strings.ToLower(v.Suche)
	for _, u := range all {
		if needle == "" || strings.Contains(strings.ToLower(u.Login), needle) || strings.Contains(strings.ToLower(u.Name), needle) {
			hits = append(hits, u)
		}
	}
	v.Treffer = len(hits)
	// the service lists the whole tenant; the page shows 50 at a time
	v.Seite, _ = strconv.Atoi(q.Get("seite"))
	if v.Seite < 1 || (v.Seite-1)*uiPageSize >= len(hits) {
		v.Seite = 1
	}
	from := (v.Seite - 1) * uiPageSize
	to := min(from+uiPageSize, len(hits))
	v.Benutzer = hits[from:to]
	link := func(seite int) string {
		l := "/verwaltung/benutzer?seite=" + strconv.Itoa(seite)
		if v.Suche != "" {
			l += "&q=" + url.QueryEscape(v.Suche)
		}
		return l
	}
	if to < len(hits) {
		v.Weiter = link(v.Seite + 1)
	}
	if v.Seite > 1 {
		v.Zurueck = link(v.Seite - 1)
	}
	c.vwRender(w, status, "verwaltung_benutzer.html", "Benutzer und Rollen", v)
}

// rollenAus reads the role checkboxes.
func rollenAus(vals []string) []access.Role {
	out := []access.Role{}
	for _, r := range vals {
		out = append(out, access.Role(r))
	}
	return out
}

func (s *Server) uiVwBenutzerNeu(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	form := newFormular("neu").withValues(r.PostForm)
	roles := rollenAus(r.PostForm["rollen"])
	if len(roles) == 0 {
		// the service would make the account Sachbearbeitung silently
		form.Felder["rollen"] = "Bitte mindestens eine Rolle wählen."
	}
	in := records.NewUser{Login: strings.TrimSpace(form.W("login")), Name: form.W("name"), Roles: roles, Kind: form.W("typ")}
	if k := form.W("einheit"); k != "" {
		in.Einheiten = []records.Membership{{Kennung: k, Position: form.W("position")}}
	}
	if len(form.Felder) > 0 {
		form.Meldung = "Bitte die markierten Felder prüfen."
		s.benutzerListe(w, c, http.StatusUnprocessableEntity, form)
		return
	}
	u, err := s.svc.CreateUserAs(r.Context(), c.p, in)
	if err != nil {
		if form.failed(err, map[string]string{"role": "rollen", "unit": "einheit"}) {
			form.deutlicher("login", "2–64 Zeichen", "Bitte einen Anmeldenamen angeben.",
				"„%s“ ist als Anmeldename nicht möglich: nur Kleinbuchstaben, Ziffern und . _ -, beginnend mit einem Buchstaben, 2 bis 64 Zeichen.")
			s.benutzerListe(w, c, form.status(), form)
			return
		}
		c.fail(w, err)
		return
	}
	// A person gets a first password at once, shown once; a Dienstkonto
	// signs in with tokens only.
	var pw string
	konto := newFormular("konto")
	if u.Kind == records.KindPerson {
		if pw, _, err = s.auth.svc.ResetPasswordAs(r.Context(), c.p, u.Login, s.clientAddr(r)); err != nil {
			if !konto.failed(err, nil) {
				c.fail(w, err)
				return
			}
		}
	}
	r.SetPathValue("login", u.Login)
	s.benutzerPage(w, c, http.StatusOK, func(v *vwBenutzerView) {
		v.Angelegt, v.NeuesPasswort, v.Passwort = true, pw, konto
	})
}

// --- one account ------------------------------------------------------------------------------------------

type vwBenutzerView struct {
	Kopf      vwKopf
	B         records.UserInfo
	Selbst    bool
	Tokens    []tokenZeile
	EinheitOp []option
	// Angelegt: the account was just created; NeuesPasswort a password
	// just generated (shown once); NeuesToken a token just made.
	Angelegt       bool
	NeuesPasswort  string
	NeuesToken     string
	NeuesTokenName string

	Stamm, Einheit, Konto, Passwort, Token, Faktor *formular
}

func (s *Server) uiVwBenutzer(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.benutzerPage(w, c, http.StatusOK, nil)
}

func (s *Server) benutzerPage(w http.ResponseWriter, c *uiCtx, status int, fill func(*vwBenutzerView)) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	ctx := c.r.Context()
	u, err := s.svc.GetUserAs(ctx, c.p, c.r.PathValue("login"))
	if err != nil {
		c.fail(w, err)
		return
	}
	units, err := s.svc.ListUnitsAs(ctx, c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	sort.Slice(units, func(i, j int) bool { return units[i].Kennung < units[j].Kennung })
	toks, err := s.svc.ListTokensAs(ctx, c.p, u.Login)
	if err != nil {
		c.fail(w, err)
		return
	}
	v := vwBenutzerView{Kopf: c.kopf("benutzer"), B: u, Selbst: u.ID == c.p.UserID, Tokens: tokenZeilen(toks, s.svc.Now()),
		EinheitOp: einheitOptionen(units, "– bitte wählen –"),
		Stamm:     newFormular("stamm"), Einheit: newFormular("mitglied"), Konto: newFormular("konto"), Passwort: newFormular("pw"),
		Token: newFormular("tok"), Faktor: newFormular("faktor")}
	v.Stamm.Werte.Set("name", u.Name)
	for _, r := range u.Roles {
		v.Stamm.Werte.Add("rollen", string(r))
	}
	v.Einheit.Werte.Set("position", "sachbearbeitung")
	if fill != nil {
		fill(&v)
	}
	c.vwRender(w, status, "verwaltung_benutzer_detail.html", u.Login, v)
}

// benutzerRefused shows the account page with a refused form; other errors
// become their error page.
func (s *Server) benutzerRefused(w http.ResponseWriter, c *uiCtx, err error, form *formular, alias map[string]string, set func(*vwBenutzerView)) {
	if !form.failed(err, alias) {
		c.fail(w, err)
		return
	}
	s.benutzerPage(w, c, form.status(), set)
}

func (s *Server) uiVwBenutzerSpeichern(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	form := newFormular("stamm").withValues(r.PostForm)
	name, roles := form.W("name"), rollenAus(r.PostForm["rollen"])
	login := r.PathValue("login")
	if _, err := s.svc.UpdateUserAs(r.Context(), c.p, login, records.UserPatch{Name: &name, Roles: &roles}); err != nil {
		s.benutzerRefused(w, c, err, form, nil, func(v *vwBenutzerView) { v.Stamm = form })
		return
	}
	http.Redirect(w, r, "/verwaltung/benutzer/"+login+"?meldung=benutzer-gespeichert", http.StatusSeeOther)
}

func (s *Server) uiVwBenutzerAktiv(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	aktiv := r.PostForm.Get("aktiv") == "1"
	login := r.PathValue("login")
	if _, err := s.svc.UpdateUserAs(r.Context(), c.p, login, records.UserPatch{Active: &aktiv}); err != nil {
		form := newFormular("konto")
		if e, ok := apperr.As(err); ok && e.Kind == apperr.KindInvalid && len(e.Fields) > 0 {
			// a button, no input: the message goes to the form
			form.Meldung = feldText(e.Fields[0].Message) + "."
			s.benutzerPage(w, c, http.StatusUnprocessableEntity, func(v *vwBenutzerView) { v.Konto = form })
			return
		}
		s.benutzerRefused(w, c, err, form, nil, func(v *vwBenutzerView) { v.Konto = form })
		return
	}
	m := "benutzer-deaktiviert"
	if aktiv {
		m = "benutzer-aktiviert"
	}
	http.Redirect(w, r, "/verwaltung/benutzer/"+login+"?meldung="+m, http.StatusSeeOther)
}

// setEinheiten replaces the account's memberships by change(old).
func (s *Server) setEinheiten(w http.ResponseWriter, r *http.Request, c *uiCtx, form *formular,
	change func([]records.Membership) ([]records.Membership, bool)) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	login := r.PathValue("login")
	u, err := s.svc.GetUserAs(r.Context(), c.p, login)
	if err != nil {
		c.fail(w, err)
		return
	}
	ms, ok := change(u.Einheiten)
	if !ok {
		s.benutzerPage(w, c, form.status(), func(v *vwBenutzerView) { v.Einheit = form })
		return
	}
	if _, err := s.svc.UpdateUserAs(r.Context(), c.p, login, records.UserPatch{Einheiten: &ms}); err != nil {
		s.benutzerRefused(w, c, err, form, map[string]string{"unit": "einheit"}, func(v *vwBenutzerView) { v.Einheit = form })
		return
	}
	http.Redirect(w, r, "/verwaltung/benutzer/"+login+"?meldung=einheiten-gespeichert#h-einheiten", http.StatusSeeOther)
}

func (s *Server) uiVwBenutzerEinheitNeu(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	form := newFormular("mitglied").withValues(r.PostForm)
	kennung, position := form.W("einheit"), form.W("position")
	s.setEinheiten(w, r, c, form, func(old []records.Membership) ([]records.Membership, bool) {
		if kennung == "" {
			form.Felder["einheit"] = "Bitte eine Organisationseinheit wählen."
			form.Meldung = "Bitte die markierten Felder prüfen."
			return nil, false
		}
		var out []records.Membership
		for _, m := range old {
			if m.Kennung == kennung {
				form.Felder["einheit"] = "Das Konto gehört dieser Einheit bereits an."
				form.Meldung = "Bitte die markierten Felder prüfen."
				return nil, false
			}
			out = append(out, records.Membership{Kennung: m.Kennung, Position: m.Position})
		}
		return append(out, records.Membership{Kennung: kennung, Position: position}), true
	})
}

func (s *Server) uiVwBenutzerEinheitWeg(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	form := newFormular("mitglied")
	kennung := r.PostForm.Get("kennung")
	s.setEinheiten(w, r, c, form, func(old []records.Membership) ([]records.Membership, bool) {
		out := []records.Membership{}
		found := false
		for _, m := range old {
			if m.Kennung == kennung {
				found = true
				continue
			}
			out = append(out, records.Membership{Kennung: m.Kennung, Position: m.Position})
		}
		if !found {
			form.Meldung = "Das Konto gehört dieser Einheit nicht an."
		}
		return out, found
	})
}

func (s *Server) uiVwBenutzerPasswort(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	login := r.PathValue("login")
	pw, _, err := s.auth.svc.ResetPasswordAs(r.Context(), c.p, login, s.clientAddr(r))
	if err != nil {
		form := newFormular("pw")
		s.benutzerRefused(w, c, err, form, nil, func(v *vwBenutzerView) { v.Passwort = form })
		return
	}
	s.benutzerPage(w, c, http.StatusOK, func(v *vwBenutzerView) { v.NeuesPasswort = pw })
}

func (s *Server) uiVwBenutzerTokenNeu(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	login := r.PathValue("login")
	form := newFormular("tok").withValues(r.PostForm)
	name, exp, scopes, ok := tokenForm(r.PostForm, form)
	if !ok {
		form.Meldung = "Bitte die markierten Felder prüfen."
		s.benutzerPage(w, c, http.StatusUnprocessableEntity, func(v *vwBenutzerView) { v.Token = form })
		return
	}
	plain, tok, err := s.svc.CreateTokenAs(r.Context(), c.p, login, name, exp, scopes)
	if err != nil {
		s.benutzerRefused(w, c, err, form, nil, func(v *vwBenutzerView) { v.Token = form })
		return
	}
	s.benutzerPage(w, c, http.StatusOK, func(v *vwBenutzerView) { v.NeuesToken, v.NeuesTokenName = plain, tok.Name })
}

func (s *Server) uiVwBenutzerTokenWiderruf(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.need(w, access.ManageUsers) {
		return
	}
	login := r.PathValue("login")
	// the token must be one of this account's (and so of this tenant)
	toks, err := s.svc.ListTokensAs(r.Context(), c.p, login)
	if err != nil {
		c.fail(w, err)
		return
	}
	id := r.PathValue("id")
	found := false
	for _, t := range toks {
		found = found || t.ID == id
	}
	if !found {
		c.notFound(w)
		return
	}
	if err := s.svc.RevokeTokenAs(r.Context(), c.p, id); err != nil {
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/verwaltung/benutzer/"+login+"?meldung=benutzer-token-weg#h-tokens", http.StatusSeeOther)
}
