package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/records"
)

// The profile page of the clerk's web application: one's own account,
// password, second factor (TOTP enrolment with a QR code rendered on the
// server, recovery codes shown once), API tokens (the secret shown once)
// and Vertretungen. Every action goes through the same auth.Service and
// records.Service calls as the API's /api/v1/ich/…, /tokens and
// /vertretungen handlers (handlers_auth.go, handlers_access.go).

func init() {
	uiRouteGroups = append(uiRouteGroups, func() []uiRoute {
		return []uiRoute{
			{"GET", "/profil", true, (*Server).uiProfil, false},
			{"POST", "/profil/passwort", true, (*Server).uiProfilPasswort, false},
			{"POST", "/profil/abmelden-ueberall", true, (*Server).uiProfilUeberallAbmelden, false},
			{"POST", "/profil/totp", true, (*Server).uiProfilTOTPBeginn, false},
			{"POST", "/profil/totp/bestaetigung", true, (*Server).uiProfilTOTPBestaetigung, false},
			{"POST", "/profil/totp/entfernen", true, (*Server).uiProfilTOTPEntfernen, false},
			{"POST", "/profil/tokens", true, (*Server).uiProfilTokenNeu, false},
			{"POST", "/profil/tokens/{id}/widerruf", true, (*Server).uiProfilTokenWiderruf, false},
			{"POST", "/profil/vertretungen", true, (*Server).uiProfilVertretungNeu, false},
			{"POST", "/profil/vertretungen/{id}/ende", true, (*Server).uiProfilVertretungEnde, false},
		}
	})
	for k, v := range map[string]string{
		"totp-begonnen":       "Die Einrichtung hat begonnen: Scannen Sie den QR-Code mit Ihrer Authenticator-App und bestätigen Sie mit dem angezeigten Code.",
		"totp-entfernt":       "Der zweite Faktor ist entfernt. Sie melden sich jetzt nur mit dem Passwort an.",
		"token-widerrufen":    "Das API-Token ist widerrufen; es wirkt ab sofort nicht mehr.",
		"vertretung-angelegt": "Die Vertretung ist eingetragen.",
		"vertretung-beendet":  "Die Vertretung ist beendet.",
	} {
		meldungen[k] = v
	}
	uiFuncs["vtbis"] = vertretungBis
	uiFuncs["anmeldeart"] = func(m string) string {
		switch m {
		case "passwort":
			return "mit Passwort"
		case "passwort+totp":
			return "mit Passwort und Code"
		case "passwort+wiederherstellungscode":
			return "mit Passwort und Wiederherstellungscode"
		case "oidc":
			return "mit Landes-Login"
		}
		return m
	}
}

// vertretungBis shows the end of a Vertretung: the UI enters whole days
// (bis = the next day's 0:00 in Berlin), shown as that last day; other
// ends (set through the API) with their time.
func vertretungBis(t time.Time) string {
	b := t.In(berlin)
	if b.Hour() == 0 && b.Minute() == 0 && b.Second() == 0 {
		return b.AddDate(0, 0, -1).Format("02.01.2006")
	}
	return b.Format("02.01.2006, 15:04")
}

type profilView struct {
	Benutzer records.UserInfo
	Sitzung  auth.Session
	Faktor   auth.SecondFactor
	QR       template.URL // the pending enrolment's QR code (data: URI)
	// Codes are new recovery codes, shown once after the confirmation.
	Codes []string
	// Tokens: the own API tokens; NeuesToken the secret of one just made.
	Tokens         []tokenZeile
	NeuesToken     string
	NeuesTokenName string
	// Vertretungen the user is part of, as Vertretene or as Vertreter.
	Vertretungen []vertretungZeile
	Heute        string // today as TT.MM.JJJJ, the default "von"
	Dienstkonto  bool

	Passwort, TOTP, TOTPCode, TOTPAus, Token, Vertretung *formular
}

type tokenZeile struct {
	records.Token
	Stand   string // gültig, abgelaufen, widerrufen
	Gueltig bool
}

type vertretungZeile struct {
	records.Vertretung
	Rolle  string // "vertreten von" or "vertritt"
	Stand  string
	Endbar bool
}

// accountUser refuses account self-service in Vertretung, as the API does
// (accountCaller).
func (c *uiCtx) accountUser(w http.ResponseWriter) bool {
	if c.p.Deputy != nil {
		c.fail(w, apperr.Forbidden("Das eigene Konto lässt sich nicht in Vertretung verwalten"))
		return false
	}
	return true
}

func (s *Server) uiProfil(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	s.profilPage(w, c, http.StatusOK, nil)
}

// profilPage renders the profile; fill adds what an action has to show
// (a refused form, codes or a token secret shown once).
func (s *Server) profilPage(w http.ResponseWriter, c *uiCtx, status int, fill func(*profilView)) {
	if !c.accountUser(w) {
		return
	}
	ctx := c.r.Context()
	now := s.svc.Now()
	v := profilView{Sitzung: c.sess, Heute: now.In(berlin).Format("02.01.2006"),
		Passwort: newFormular("pw"), TOTP: newFormular("totp"), TOTPCode: newFormular("totp-code"), TOTPAus: newFormular("totp-aus"),
		Token: newFormular("tok"), Vertretung: newFormular("vt")}
	var err error
	if v.Benutzer, err = s.svc.GetUserAs(ctx, c.p, c.p.Login); err != nil {
		c.fail(w, err)
		return
	}
	v.Dienstkonto = v.Benutzer.Kind == records.KindService
	if !v.Dienstkonto {
		if v.Faktor, err = s.auth.svc.SecondFactorOf(ctx, c.p); err != nil {
			c.fail(w, err)
			return
		}
		if v.Faktor.Pending != nil {
			v.QR = template.URL(v.Faktor.Pending.QRDataURI())
		}
	}
	toks, err := s.svc.ListTokensAs(ctx, c.p, "")
	if err != nil {
		c.fail(w, err)
		return
	}
	v.Tokens = tokenZeilen(toks, now)
	vs, err := s.svc.ListVertretungen(ctx, c.p)
	if err != nil {
		c.fail(w, err)
		return
	}
	for _, x := range vs {
		// admins list every Vertretung of the tenant: the profile shows
		// one's own
		var rolle string
		switch c.p.UserID {
		case x.VertreteneID:
			rolle = "vertreten"
		case x.VertreterID:
			rolle = "vertreter"
		default:
			continue
		}
		v.Vertretungen = append(v.Vertretungen, vertretungZeile{Vertretung: x, Rolle: rolle, Stand: vertretungStand(x, now),
			Endbar: x.RevokedAt == nil && x.Bis.After(now)})
	}
	if fill != nil {
		fill(&v)
	}
	c.render(w, status, "profil.html", pageData{Title: "Profil", Nav: "profil", Data: v})
}

func tokenZeilen(toks []records.Token, now time.Time) []tokenZeile {
	out := make([]tokenZeile, 0, len(toks))
	for _, t := range toks {
		z := tokenZeile{Token: t, Stand: "gültig", Gueltig: true}
		switch {
		case t.RevokedAt != nil:
			z.Stand, z.Gueltig = "widerrufen am "+t.RevokedAt.In(berlin).Format("02.01.2006"), false
		case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
			z.Stand, z.Gueltig = "abgelaufen", false
		}
		out = append(out, z)
	}
	return out
}

func vertretungStand(v records.Vertretung, now time.Time) string {
	switch {
	case v.RevokedAt != nil:
		return "beendet am " + v.RevokedAt.In(berlin).Format("02.01.2006")
	case !now.Before(v.Bis):
		return "abgelaufen"
	case now.Before(v.Von):
		return "geplant"
	}
	return "in Kraft"
}

// --- password -------------------------------------------------------------------------------------

func (s *Server) uiProfilPasswort(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.accountUser(w) {
		return
	}
	f := r.PostForm
	form := newFormular("pw")
	bisher, neu := f.Get("bisher"), f.Get("neu")
	if neu != f.Get("neu2") {
		form.Felder["neu2"] = "Die Wiederholung stimmt nicht mit dem neuen Passwort überein."
		form.Meldung = "Bitte die markierten Felder prüfen."
		s.profilPage(w, c, http.StatusUnprocessableEntity, func(v *profilView) { v.Passwort = form })
		return
	}
	if _, err := s.auth.svc.ChangePassword(r.Context(), c.p, bisher, neu, s.clientAddr(r)); err != nil {
		if st, ok := throttled(w, err, form); ok {
			s.profilPage(w, c, st, func(v *profilView) { v.Passwort = form })
			return
		}
		if form.failed(err, nil) {
			s.profilPage(w, c, form.status(), func(v *profilView) { v.Passwort = form })
			return
		}
		c.fail(w, err)
		return
	}
	// every session of the user ended, this one too
	s.clearSessionCookie(w)
	c.signedIn = false
	c.render(w, http.StatusOK, "profil_passwort.html", pageData{Title: "Passwort geändert"})
}

// throttled takes a lockout (too many wrong passwords or codes) into the
// form: 429 with Retry-After.
func throttled(w http.ResponseWriter, err error, form *formular) (int, bool) {
	var te *auth.ThrottledError
	if !errors.As(err, &te) {
		return 0, false
	}
	w.Header().Set("Retry-After", fmt.Sprint(te.RetryAfter()))
	form.Meldung = te.Error()
	return http.StatusTooManyRequests, true
}

func (s *Server) uiProfilUeberallAbmelden(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.accountUser(w) {
		return
	}
	if _, err := s.auth.svc.LogoutEverywhere(r.Context(), c.p); err != nil {
		c.fail(w, err)
		return
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/anmelden?abgemeldet=1", http.StatusSeeOther)
}

// --- second factor -----------------------------------------------------------------------------------

func (s *Server) uiProfilTOTPBeginn(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.accountUser(w) {
		return
	}
	if _, err := s.auth.svc.BeginTOTP(r.Context(), c.p); err != nil {
		form := newFormular("totp")
		if form.failed(err, nil) {
			s.profilPage(w, c, form.status(), func(v *profilView) { v.TOTP = form })
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/profil?meldung=totp-begonnen#h-totp", http.StatusSeeOther)
}

func (s *Server) uiProfilTOTPBestaetigung(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.accountUser(w) {
		return
	}
	codes, err := s.auth.svc.ConfirmTOTP(r.Context(), c.p, strings.TrimSpace(r.PostForm.Get("code")))
	if err != nil {
		form := newFormular("totp-code")
		if form.failed(err, nil) {
			s.profilPage(w, c, form.status(), func(v *profilView) { v.TOTPCode = form })
			return
		}
		c.fail(w, err)
		return
	}
	// The codes exist only in this answer (no-store, like every page).
	s.profilPage(w, c, http.StatusOK, func(v *profilView) { v.Codes = codes })
}

func (s *Server) uiProfilTOTPEntfernen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.accountUser(w) {
		return
	}
	form := newFormular("totp-aus")
	code := strings.TrimSpace(r.PostForm.Get("code"))
	if code == "" {
		form.Felder["code"] = "Bitte den aktuellen Code aus der App oder einen Wiederherstellungscode eingeben."
		form.Meldung = "Bitte die markierten Felder prüfen."
		s.profilPage(w, c, http.StatusUnprocessableEntity, func(v *profilView) { v.TOTPAus = form })
		return
	}
	if err := s.auth.svc.DisableTOTP(r.Context(), c.p, code, s.clientAddr(r)); err != nil {
		if st, ok := throttled(w, err, form); ok {
			s.profilPage(w, c, st, func(v *profilView) { v.TOTPAus = form })
			return
		}
		if form.failed(err, nil) {
			s.profilPage(w, c, form.status(), func(v *profilView) { v.TOTPAus = form })
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/profil?meldung=totp-entfernt#h-totp", http.StatusSeeOther)
}

// --- API tokens ------------------------------------------------------------------------------------

// tokenForm reads the token form: name, expiry date (the whole day
// included), scopes.
func tokenForm(f map[string][]string, form *formular) (name string, exp *time.Time, scopes []access.Scope, ok bool) {
	vals := form.Werte
	name = strings.TrimSpace(vals.Get("name"))
	if name == "" {
		form.Felder["name"] = "Darf nicht leer sein"
	}
	if d := strings.TrimSpace(vals.Get("laeuft_ab_am")); d != "" {
		t, good := parseTag(d)
		if !good {
			form.Felder["laeuft_ab_am"] = datumFehler(d)
		} else {
			end := tagesende(t)
			exp = &end
		}
	}
	for _, sc := range f["scopes"] {
		scopes = append(scopes, access.Scope(sc))
	}
	return name, exp, scopes, len(form.Felder) == 0
}

func (s *Server) uiProfilTokenNeu(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.accountUser(w) {
		return
	}
	form := newFormular("tok").withValues(r.PostForm)
	name, exp, scopes, ok := tokenForm(r.PostForm, form)
	if !ok {
		form.Meldung = "Bitte die markierten Felder prüfen."
		s.profilPage(w, c, http.StatusUnprocessableEntity, func(v *profilView) { v.Token = form })
		return
	}
	plain, tok, err := s.svc.CreateTokenAs(r.Context(), c.p, "", name, exp, scopes)
	if err != nil {
		if form.failed(err, nil) {
			s.profilPage(w, c, form.status(), func(v *profilView) { v.Token = form })
			return
		}
		c.fail(w, err)
		return
	}
	s.profilPage(w, c, http.StatusOK, func(v *profilView) { v.NeuesToken, v.NeuesTokenName = plain, tok.Name })
}

func (s *Server) uiProfilTokenWiderruf(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.accountUser(w) {
		return
	}
	if err := s.svc.RevokeTokenAs(r.Context(), c.p, r.PathValue("id")); err != nil {
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/profil?meldung=token-widerrufen#h-tokens", http.StatusSeeOther)
}

// --- Vertretung -------------------------------------------------------------------------------------

// vertretungForm reads Vertreter and the period (whole days in Berlin:
// von 0:00 to the end of bis).
func vertretungForm(form *formular) (records.NewVertretung, bool) {
	in := records.NewVertretung{Vertreter: strings.TrimSpace(form.W("vertreter"))}
	if in.Vertreter == "" {
		form.Felder["vertreter"] = "Bitte den Anmeldenamen der Vertretung angeben."
	}
	von, ok := parseTag(form.W("von"))
	if !ok {
		form.Felder["von"] = datumFehler(form.W("von"))
	}
	bis, ok2 := parseTag(form.W("bis"))
	if !ok2 {
		form.Felder["bis"] = datumFehler(form.W("bis"))
	}
	if ok && ok2 && bis.Before(von) {
		form.Felder["bis"] = "Das Ende liegt vor dem Beginn."
	}
	in.Von, in.Bis = von, tagesende(bis)
	if len(form.Felder) > 0 {
		form.Meldung = "Bitte die markierten Felder prüfen."
		return in, false
	}
	return in, true
}

func (s *Server) uiProfilVertretungNeu(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if !c.accountUser(w) {
		return
	}
	form := newFormular("vt").withValues(r.PostForm)
	in, ok := vertretungForm(form)
	if !ok {
		s.profilPage(w, c, http.StatusUnprocessableEntity, func(v *profilView) { v.Vertretung = form })
		return
	}
	in.Vertretene = c.p.Login
	if _, err := s.svc.CreateVertretung(r.Context(), c.p, in); err != nil {
		if form.failed(err, nil) {
			s.profilPage(w, c, form.status(), func(v *profilView) { v.Vertretung = form })
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/profil?meldung=vertretung-angelegt#h-vertretung", http.StatusSeeOther)
}

func (s *Server) uiProfilVertretungEnde(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if err := s.svc.EndVertretung(r.Context(), c.p, r.PathValue("id")); err != nil {
		form := newFormular("vt")
		if apperr.KindOf(err) == apperr.KindConflict && form.failed(err, nil) {
			s.profilPage(w, c, http.StatusConflict, func(v *profilView) { v.Vertretung = form })
			return
		}
		c.fail(w, err)
		return
	}
	http.Redirect(w, r, "/profil?meldung=vertretung-beendet#h-vertretung", http.StatusSeeOther)
}
