package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
)

// Sign-in and sign-out pages. They use the same auth.Service calls and the
// same session cookie as POST /api/v1/anmeldung; the page form is
// protected against cross-site posts by http.CrossOriginProtection (as the
// API is), the sign-out form by the session's CSRF token.

type loginView struct {
	Tenant, Login string
	// TOTPStep: the password was right and the account has a second
	// factor; the form asks for the code and carries only the opaque token
	// of the pending sign-in the server keeps (auth.BeginLogin), never the
	// password.
	TOTPStep bool
	Token    string
	Ziel     string
	Fehler   string            // a message for the whole form
	Felder   map[string]string // field → message
	OIDC     bool              // "Anmelden mit Landes-Login"
	OIDCURL  string
	Hinweis  string
}

func (s *Server) loginView(r *http.Request) loginView {
	ziel := safeTarget(r.URL.Query().Get("ziel"))
	if r.Method == http.MethodPost {
		ziel = safeTarget(r.PostForm.Get("ziel"))
	}
	v := loginView{Ziel: ziel, Felder: map[string]string{}, OIDC: s.auth.oidc != nil}
	if v.OIDC {
		v.OIDCURL = "/api/v1/anmeldung/oidc?ziel=" + url.QueryEscape(ziel)
	}
	return v
}

func (s *Server) uiLoginPage(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	// Already signed in: straight on.
	if secret, ok := s.sessionSecret(r); ok {
		if _, _, err := s.auth.svc.Authenticate(r.Context(), secret); err == nil {
			http.Redirect(w, r, safeTarget(r.URL.Query().Get("ziel")), http.StatusSeeOther)
			return
		}
	}
	v := s.loginView(r)
	if r.URL.Query().Get("abgemeldet") != "" {
		v.Hinweis = "Sie sind abgemeldet."
	}
	// One tenant only (a fresh installation): nothing to choose.
	if ts, err := s.svc.ListTenants(r.Context()); err == nil && len(ts) == 1 {
		v.Tenant = ts[0].Code
	}
	c.render(w, http.StatusOK, "anmelden.html", pageData{Title: "Anmelden", Data: v})
}

func (s *Server) uiLogin(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if err := s.auth.cop.Check(r); err != nil {
		c.errorPage(w, http.StatusForbidden, "Anfrage abgelehnt", "Anfragen von einer fremden Website werden nicht angenommen.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		c.errorPage(w, http.StatusBadRequest, "Ungültige Anfrage", "Das Formular konnte nicht gelesen werden.")
		return
	}
	f := r.PostForm
	v := s.loginView(r)
	v.Tenant, v.Login = strings.TrimSpace(f.Get("tenant")), strings.TrimSpace(f.Get("login"))
	presented, _ := s.sessionSecret(r)
	var st auth.Started
	var err error
	step2 := f.Get("schritt") == "totp"
	if step2 {
		v.Token = f.Get("anmeldung")
		totpCode, recovery := strings.TrimSpace(f.Get("totp")), strings.TrimSpace(f.Get("wiederherstellungscode"))
		if totpCode == "" && recovery == "" {
			v.TOTPStep = true
			v.Felder["totp"] = "Bitte den sechsstelligen Code aus Ihrer Authenticator-App eingeben."
			c.render(w, http.StatusUnprocessableEntity, "anmelden.html", pageData{Title: "Anmelden: zweiter Faktor", Data: v})
			return
		}
		st, err = s.auth.svc.CompleteLogin(r.Context(), auth.SecondFactorRequest{Token: v.Token, Tenant: v.Tenant, Login: v.Login,
			TOTP: totpCode, RecoveryCode: recovery, Address: s.clientAddr(r), UserAgent: r.UserAgent(), Presented: presented})
	} else {
		st, v.Token, err = s.auth.svc.BeginLogin(r.Context(), auth.LoginRequest{Tenant: v.Tenant, Login: v.Login, Password: f.Get("passwort"),
			Address: s.clientAddr(r), UserAgent: r.UserAgent(), Presented: presented})
	}
	if err == nil {
		if i, ok := r.Context().Value(reqKey{}).(*reqInfo); ok {
			i.tenant, i.user = st.TenantCode, st.Login
		}
		s.setSessionCookie(w, st.Secret)
		http.Redirect(w, r, v.Ziel, http.StatusSeeOther)
		return
	}
	status := http.StatusUnauthorized
	var te *auth.ThrottledError
	switch {
	case errors.Is(err, auth.ErrTOTPRequired) && v.Token != "":
		v.TOTPStep = true
		c.render(w, http.StatusOK, "anmelden.html", pageData{Title: "Anmelden: zweiter Faktor", Data: v})
		return
	case errors.Is(err, auth.ErrPendingLogin):
		// expired, used up or someone else's: back to the first step
		step2, v.Token = false, ""
		v.Fehler = "Die Anmeldung ist abgelaufen oder nicht mehr gültig (höchstens 5 Minuten und 3 Codes je Anmeldung). Bitte erneut mit Passwort anmelden."
	case errors.As(err, &te):
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", fmt.Sprint(te.RetryAfter()))
		v.Fehler = te.Error()
	case apperr.KindOf(err) == apperr.KindInvalid:
		status = http.StatusUnprocessableEntity
		e, _ := apperr.As(err)
		for _, fe := range e.Fields {
			v.Felder[fe.Field] = loginFieldMessage(fe.Field, fe.Message)
		}
		v.Fehler = "Bitte die markierten Felder prüfen."
	case apperr.KindOf(err) == apperr.KindUnauthorized:
		if step2 {
			v.Fehler = "Anmeldung fehlgeschlagen: Der Code ist falsch oder abgelaufen. Bitte einen neuen Code eingeben oder neu beginnen."
			v.Felder["totp"] = "Code nicht angenommen."
		} else {
			v.Fehler = "Anmeldung fehlgeschlagen: Mandant, Anmeldename oder Passwort ist falsch."
			v.Felder["passwort"] = "Mandant, Anmeldename oder Passwort ist falsch."
		}
	default:
		c.fail(w, err)
		return
	}
	if step2 && status != http.StatusTooManyRequests {
		v.TOTPStep = true
	} else {
		v.Token = ""
	}
	c.render(w, status, "anmelden.html", pageData{Title: "Anmelden", Data: v})
}

func loginFieldMessage(field, msg string) string {
	names := map[string]string{"tenant": "Mandant", "login": "Anmeldename", "passwort": "Passwort", "totp": "Code",
		"wiederherstellungscode": "Wiederherstellungscode"}
	if n, ok := names[field]; ok {
		return n + ": " + msg
	}
	return msg
}

func (s *Server) uiLogout(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	if err := s.auth.svc.Logout(r.Context(), c.p, c.sess); err != nil {
		c.fail(w, err)
		return
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/anmelden?abgemeldet=1", http.StatusSeeOther)
}
