package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

// The access API: grants (Freigaben) and restrictions, Vertretungen, and
// the administration of units, users and tokens of one's own tenant.

func init() { routeGroups = append(routeGroups, accessRoutes) }

func accessRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/akten/{id}/freigaben", true, (*Server).listGrants},
		{"POST", "/api/v1/akten/{id}/freigaben", true, (*Server).createGrant},
		{"DELETE", "/api/v1/akten/{id}/freigaben", true, (*Server).revokeGrantMatch},
		{"DELETE", "/api/v1/akten/{id}/freigaben/{freigabe}", true, (*Server).revokeGrant},
		{"PUT", "/api/v1/vorgaenge/{id}/beschraenkung", true, restrict("vorgang")},
		{"PUT", "/api/v1/dokumente/{id}/beschraenkung", true, restrict("dokument")},

		{"GET", "/api/v1/vertretungen", true, (*Server).listVertretungen},
		{"POST", "/api/v1/vertretungen", true, (*Server).createVertretung},
		{"DELETE", "/api/v1/vertretungen/{id}", true, (*Server).endVertretung},

		{"GET", "/api/v1/einheiten", true, (*Server).listUnits},
		{"POST", "/api/v1/einheiten", true, (*Server).createUnit},
		{"PATCH", "/api/v1/einheiten/{kennung}", true, (*Server).patchUnit},
		{"GET", "/api/v1/benutzer", true, (*Server).listUsers},
		{"POST", "/api/v1/benutzer", true, (*Server).createUser},
		{"GET", "/api/v1/benutzer/{login}", true, (*Server).getUser},
		{"PATCH", "/api/v1/benutzer/{login}", true, (*Server).patchUser},

		{"GET", "/api/v1/tokens", true, (*Server).listTokens},
		{"POST", "/api/v1/tokens", true, (*Server).createToken},
		{"DELETE", "/api/v1/tokens/{id}", true, (*Server).revokeToken},
	}
}

// VertretungHeader names the absent colleague a deputy acts for.
const VertretungHeader = "X-Vertretung"

// vertretung applies the X-Vertretung header: the caller then acts with the
// access of the user it deputises for, audited as "i.V.".
func (s *Server) vertretung(r *http.Request, p records.Principal) (records.Principal, error) {
	login := strings.TrimSpace(r.Header.Get(VertretungHeader))
	if login == "" {
		return p, nil
	}
	return s.svc.ActAs(r.Context(), p, login)
}

// recordDenials writes the access attempts refused during a request to the
// audit log, after the answer, so that a refused read stays a read.
func (s *Server) recordDenials(r *http.Request, p records.Principal) {
	ctx := context.WithoutCancel(r.Context())
	if err := s.svc.RecordDenials(ctx, p, r.Method+" "+r.URL.Path); err != nil {
		s.log.Error("audit: denied access not recorded", "err", err, "request_id", requestID(ctx))
	}
}

// --- grants and restrictions ------------------------------------------------------

type grantIn struct {
	Tenant    *string    `json:"tenant"`
	Unit      *string    `json:"unit"`
	User      *string    `json:"user"`
	Level     string     `json:"level"`
	ExpiresAt *time.Time `json:"laeuft_ab_am"`
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (s *Server) listGrants(w http.ResponseWriter, r *http.Request) {
	gs, err := s.svc.ListGrants(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": gs})
}

func (s *Server) createGrant(w http.ResponseWriter, r *http.Request) {
	var in grantIn
	if !decodeJSON(w, r, &in) {
		return
	}
	g, err := s.svc.Grant(r.Context(), principal(r), r.PathValue("id"), records.NewGrant{
		Tenant: deref(in.Tenant), Unit: deref(in.Unit), User: deref(in.User), Level: in.Level, ExpiresAt: in.ExpiresAt})
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/akten/"+g.AkteID+"/freigaben")
	writeJSON(w, http.StatusCreated, g)
}

func (s *Server) revokeGrantMatch(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Tenant *string `json:"tenant"`
		Unit   *string `json:"unit"`
		User   *string `json:"user"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	if _, err := s.svc.RevokeGrant(r.Context(), principal(r), r.PathValue("id"), "", &records.NewGrant{
		Tenant: deref(in.Tenant), Unit: deref(in.Unit), User: deref(in.User)}); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) revokeGrant(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.RevokeGrant(r.Context(), principal(r), r.PathValue("id"), r.PathValue("freigabe"), nil); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func restrict(objectType string) func(*Server, http.ResponseWriter, *http.Request) {
	return func(s *Server, w http.ResponseWriter, r *http.Request) {
		var in struct {
			Beschraenkung *string  `json:"beschraenkung"`
			Berechtigte   []string `json:"berechtigte"`
		}
		if !decodeJSON(w, r, &in) {
			return
		}
		users, err := s.svc.Restrict(r.Context(), principal(r), objectType, r.PathValue("id"), deref(in.Beschraenkung), in.Berechtigte)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if in.Beschraenkung == nil || *in.Beschraenkung == "" {
			users = []string{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"beschraenkung": in.Beschraenkung, "berechtigte": users})
	}
}

// --- Vertretungen -------------------------------------------------------------------

func (s *Server) listVertretungen(w http.ResponseWriter, r *http.Request) {
	vs, err := s.svc.ListVertretungen(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": vs})
}

func (s *Server) createVertretung(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Vertretene string    `json:"vertretene"`
		Vertreter  string    `json:"vertreter"`
		Von        time.Time `json:"von"`
		Bis        time.Time `json:"bis"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	v, err := s.svc.CreateVertretung(r.Context(), principal(r), records.NewVertretung{
		Vertretene: strings.TrimSpace(in.Vertretene), Vertreter: strings.TrimSpace(in.Vertreter), Von: in.Von, Bis: in.Bis})
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/vertretungen")
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) endVertretung(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.EndVertretung(r.Context(), principal(r), r.PathValue("id")); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// --- units and users ----------------------------------------------------------------

func (s *Server) listUnits(w http.ResponseWriter, r *http.Request) {
	us, err := s.svc.ListUnitsAs(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if us == nil {
		us = []records.Unit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": us})
}

func (s *Server) createUnit(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Kennung string  `json:"kennung"`
		Name    string  `json:"name"`
		Typ     string  `json:"typ"`
		Parent  *string `json:"parent"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	u, err := s.svc.CreateUnitAs(r.Context(), principal(r), records.NewUnit{Kennung: in.Kennung, Name: in.Name, Typ: in.Typ, Parent: deref(in.Parent)})
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/einheiten")
	writeJSON(w, http.StatusCreated, u)
}

// patchUnit renames a unit or moves it under another parent ("parent":
// Kennung, or null for the top level).
func (s *Server) patchUnit(w http.ResponseWriter, r *http.Request) {
	var p records.UnitPatch
	var parent **string
	if !decodePatch(w, r, map[string]func(json.RawMessage) error{
		"name":   strField(&p.Name),
		"parent": nullableStrField(&parent),
	}) {
		return
	}
	if parent != nil {
		k := deref(*parent)
		p.Parent = &k
	}
	u, err := s.svc.UpdateUnitAs(r.Context(), principal(r), r.PathValue("kennung"), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	us, err := s.svc.ListUsersAs(r.Context(), principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if us == nil {
		us = []records.UserInfo{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": us})
}

type membershipIn struct {
	Kennung  string `json:"kennung"`
	Position string `json:"position"`
}

func memberships(in []membershipIn) []records.Membership {
	out := make([]records.Membership, len(in))
	for i, m := range in {
		out[i] = records.Membership{Kennung: m.Kennung, Position: m.Position}
	}
	return out
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Login     string         `json:"login"`
		Name      string         `json:"name"`
		Rollen    []access.Role  `json:"rollen"`
		Typ       string         `json:"typ"`
		Einheiten []membershipIn `json:"einheiten"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	u, err := s.svc.CreateUserAs(r.Context(), principal(r), records.NewUser{Login: in.Login, Name: in.Name, Roles: in.Rollen,
		Kind: in.Typ, Einheiten: memberships(in.Einheiten)})
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/benutzer/"+u.Login)
	writeJSON(w, http.StatusCreated, u)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.svc.GetUserAs(r.Context(), principal(r), r.PathValue("login"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) {
	var p records.UserPatch
	if !decodePatch(w, r, map[string]func(json.RawMessage) error{
		"name":  strField(&p.Name),
		"aktiv": boolField(&p.Active),
		"rollen": func(b json.RawMessage) error {
			var rs []access.Role
			if err := json.Unmarshal(b, &rs); err != nil || rs == nil {
				return errString("Liste von Rollen erwartet")
			}
			p.Roles = &rs
			return nil
		},
		"einheiten": func(b json.RawMessage) error {
			var ms []membershipIn
			if err := json.Unmarshal(b, &ms); err != nil || ms == nil {
				return errString("Liste von {kennung, position} erwartet")
			}
			m := memberships(ms)
			p.Einheiten = &m
			return nil
		},
	}) {
		return
	}
	u, err := s.svc.UpdateUserAs(r.Context(), principal(r), r.PathValue("login"), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

type errString string

func (e errString) Error() string { return string(e) }

// --- tokens -------------------------------------------------------------------------

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.svc.ListTokensAs(r.Context(), principal(r), r.URL.Query().Get("benutzer"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ts})
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name      string         `json:"name"`
		Benutzer  string         `json:"benutzer"`
		Scopes    []access.Scope `json:"scopes"`
		ExpiresAt *time.Time     `json:"laeuft_ab_am"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	plain, tok, err := s.svc.CreateTokenAs(r.Context(), principal(r), in.Benutzer, in.Name, in.ExpiresAt, in.Scopes)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/tokens")
	writeJSON(w, http.StatusCreated, struct {
		records.Token
		Secret string `json:"token"`
	}{tok, plain})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RevokeTokenAs(r.Context(), principal(r), r.PathValue("id")); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
