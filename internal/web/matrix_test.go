package web_test

// The authorisation matrix: every API route × every kind of caller, against
// the real server, with the expected status of each cell written in one
// table. Callers: one user per role in the owning unit, a user of another
// unit, a user of another tenant, users of a third tenant holding a read or
// a write grant, and a deputy inside and outside the period of the
// Vertretung. A route without a row makes the test fail.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
	"aktenwerk/internal/web"
)

// Columns of the matrix, in the order of the status strings below.
var matrixSubjects = []string{
	"admin",         // ada: admin, in Referat Z1 (which owns the Akte)
	"registratur",   // rita: registratur, Z1
	"sachbearb",     // sara: sachbearbeitung, Z1
	"leitung",       // leo: leitung, Z1
	"audit",         // udo: audit (Datenschutz), Z1
	"andere-einh",   // olga: sachbearbeitung, Referat Z2 (same tenant, other unit)
	"and-mandant",   // xaver: registratur of TSK (no grant)
	"freig-lesen",   // lisa: sachbearbeitung of TMB, read grant on the Akte
	"freig-schr",    // wim: sachbearbeitung of TMB, write grant on the Akte
	"vertr-aktiv",   // vera (Z2) acting i.V. for sara, inside the period
	"vertr-ausserh", // otto (Z2) acting i.V. for sara, before his period starts
}

// world is a fresh set of objects: an Akte owned by Z1 with a Vorgang and a
// Dokument, shared with lisa (read) and wim (write).
type world struct {
	plan, planEmpty, plan2       string
	akte, akteAz, akte2          string
	vg, dok                      string
	grantRead                    string
	token, vertretung, closedAkt string
	post                         string // a Posteingang item of unit Z1
	job                          string // a queued (not dead) job of TFM
}

type matrixRow struct {
	route string // "METHOD pattern" as in web.Routes()
	fresh bool   // the request changes state: a new world for every cell
	req   func(m *matrix, w world, col int) (path, body, ctype string)
	want  string // one status per subject
}

type matrix struct {
	t      *testing.T
	e      *env
	ctx    context.Context
	tokens []string
	ada    records.Principal
	n      int
}

func get(path func(w world) string) func(*matrix, world, int) (string, string, string) {
	return func(_ *matrix, w world, _ int) (string, string, string) { return path(w), "", "" }
}

func withJSON(path func(w world) string, body func(w world, col int) string) func(*matrix, world, int) (string, string, string) {
	return func(_ *matrix, w world, col int) (string, string, string) {
		return path(w), body(w, col), "application/json"
	}
}

func fixed(s string) func(world, int) string { return func(world, int) string { return s } }

func upload(path func(w world) string, fields ...part) func(*matrix, world, int) (string, string, string) {
	return func(_ *matrix, w world, _ int) (string, string, string) {
		body, ct := multipartBody(append(fields, part{name: "file", filename: "m.txt", data: []byte("Matrix-Inhalt")})...)
		b, _ := io.ReadAll(body)
		return path(w), string(b), ct
	}
}

const (
	allOK     = "200 200 200 200 200 200 200 200 200 200 200"
	allSigned = "200 200 200 200 200 200 200 200 200 200 403"
	readAkte  = "200 200 200 200 200 404 404 200 200 200 403"
	editAkte  = "200 200 200 200 403 404 404 403 200 200 403"
	ownerOnly = "200 200 200 200 403 404 404 403 403 200 403"
	adminOnly = "200 403 403 403 403 403 403 403 403 403 403"
)

func matrixRows() []matrixRow {
	akte := func(w world) string { return "/api/v1/akten/" + w.akte }
	vg := func(w world) string { return "/api/v1/vorgaenge/" + w.vg }
	dok := func(w world) string { return "/api/v1/dokumente/" + w.dok }
	plan := func(w world) string { return "/api/v1/aktenplan/" + w.plan }
	post := func(w world) string { return "/api/v1/posteingang/" + w.post }
	s := func(p string) func(world) string { return func(world) string { return p } }
	sfx := func(f func(world) string, suffix string) func(world) string {
		return func(w world) string { return f(w) + suffix }
	}
	return []matrixRow{
		{"GET /healthz", false, get(s("/healthz")), allOK},
		{"GET /readyz", false, get(s("/readyz")), allOK},
		{"GET /api/v1/openapi.json", false, get(s("/api/v1/openapi.json")), allOK},
		{"GET /api/v1/ich", false, get(s("/api/v1/ich")), allSigned},
		{"GET /api/v1/aktenzeichen", false, get(func(w world) string { return "/api/v1/aktenzeichen?az=" + urlQuery(w.akteAz) }), readAkte},

		{"GET /api/v1/aktenplan", false, get(s("/api/v1/aktenplan")), allSigned},
		{"POST /api/v1/aktenplan", false, withJSON(s("/api/v1/aktenplan"), func(_ world, col int) string {
			return fmt.Sprintf(`{"kennzeichen":"M%d","titel":"Matrix"}`, col)
		}), "201 201 403 403 403 403 201 403 403 403 403"},
		{"GET /api/v1/aktenplan/{id}", false, get(plan), "200 200 200 200 200 200 404 404 404 200 403"},
		{"PATCH /api/v1/aktenplan/{id}", false, withJSON(plan, fixed(`{"titel":"Allgemeines"}`)), "200 200 403 403 403 403 404 403 403 403 403"},
		{"DELETE /api/v1/aktenplan/{id}", true, get(func(w world) string { return "/api/v1/aktenplan/" + w.planEmpty }), "204 204 403 403 403 403 404 403 403 403 403"},
		{"GET /api/v1/aktenplan/{id}/historie", false, get(sfx(plan, "/historie")), "200 200 200 200 200 200 404 404 404 200 403"},

		{"GET /api/v1/akten", false, get(s("/api/v1/akten")), allSigned},
		{"POST /api/v1/akten", false, withJSON(s("/api/v1/akten"), func(w world, _ int) string {
			return fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Matrix"}`, w.plan)
		}), "201 201 201 201 403 201 422 422 422 201 403"},
		{"GET /api/v1/akten/{id}", false, get(akte), readAkte},
		{"PATCH /api/v1/akten/{id}", false, withJSON(akte, fixed(`{"titel":"Haushalt"}`)), editAkte},
		{"POST /api/v1/akten/{id}/zda", true, get(sfx(akte, "/zda")), ownerOnly},
		{"POST /api/v1/akten/{id}/wiederaufnahme", true, get(func(w world) string { return "/api/v1/akten/" + w.closedAkt + "/wiederaufnahme" }),
			"200 200 403 200 403 404 404 403 403 403 403"},
		{"POST /api/v1/akten/{id}/umprotokollierung", true, withJSON(sfx(akte, "/umprotokollierung"), func(w world, _ int) string {
			return fmt.Sprintf(`{"aktenplan_id":%q}`, w.plan2)
		}), "200 200 403 403 403 404 404 403 403 403 403"},
		{"GET /api/v1/akten/{id}/historie", false, get(sfx(akte, "/historie")), readAkte},
		{"GET /api/v1/akten/{id}/vorgaenge", false, get(sfx(akte, "/vorgaenge")), readAkte},
		{"POST /api/v1/akten/{id}/vorgaenge", false, withJSON(sfx(akte, "/vorgaenge"), fixed(`{"betreff":"Matrix"}`)), "201 201 201 201 403 404 404 403 201 201 403"},
		{"GET /api/v1/akten/{id}/freigaben", false, get(sfx(akte, "/freigaben")), readAkte},
		{"POST /api/v1/akten/{id}/freigaben", true, withJSON(sfx(akte, "/freigaben"), fixed(`{"tenant":"TSK","level":"read"}`)), "201 201 201 201 403 404 404 403 403 201 403"},
		{"DELETE /api/v1/akten/{id}/freigaben", true, withJSON(sfx(akte, "/freigaben"), fixed(`{"tenant":"TMB","user":"lisa"}`)), "204 204 204 204 403 404 404 403 403 204 403"},
		{"DELETE /api/v1/akten/{id}/freigaben/{freigabe}", true, get(func(w world) string { return "/api/v1/akten/" + w.akte + "/freigaben/" + w.grantRead }),
			"204 204 204 204 403 404 404 403 403 204 403"},

		{"GET /api/v1/vorgaenge/{id}", false, get(vg), readAkte},
		{"PATCH /api/v1/vorgaenge/{id}", false, withJSON(vg, fixed(`{"betreff":"Antrag"}`)), editAkte},
		{"POST /api/v1/vorgaenge/{id}/zda", true, get(sfx(vg, "/zda")), ownerOnly},
		{"POST /api/v1/vorgaenge/{id}/wiederaufnahme", true, func(m *matrix, w world, _ int) (string, string, string) {
			m.must(m.e.svc.CloseVorgang(m.ctx, m.ada, w.vg))
			return "/api/v1/vorgaenge/" + w.vg + "/wiederaufnahme", "", ""
		}, "200 200 403 200 403 404 404 403 403 403 403"},
		{"POST /api/v1/vorgaenge/{id}/verschieben", true, withJSON(sfx(vg, "/verschieben"), func(w world, _ int) string {
			return fmt.Sprintf(`{"akte_id":%q}`, w.akte2)
		}), "200 200 403 403 403 403 404 403 403 403 403"},
		{"GET /api/v1/vorgaenge/{id}/historie", false, get(sfx(vg, "/historie")), readAkte},
		{"GET /api/v1/vorgaenge/{id}/dokumente", false, get(sfx(vg, "/dokumente")), readAkte},
		{"POST /api/v1/vorgaenge/{id}/dokumente", false, upload(sfx(vg, "/dokumente"), part{name: "betreff", data: []byte("Matrix")}), "201 201 201 201 403 404 404 403 201 201 403"},
		{"PUT /api/v1/vorgaenge/{id}/beschraenkung", true, withJSON(sfx(vg, "/beschraenkung"), fixed(`{"beschraenkung":"vs-nfd","berechtigte":[]}`)), ownerOnly},

		{"GET /api/v1/dokumente/{id}", false, get(dok), readAkte},
		{"PATCH /api/v1/dokumente/{id}", false, withJSON(dok, fixed(`{"betreff":"Bescheid"}`)), editAkte},
		{"GET /api/v1/dokumente/{id}/inhalt", false, get(sfx(dok, "/inhalt")), "200 200 200 200 403 404 404 200 200 200 403"},
		{"GET /api/v1/dokumente/{id}/durchsuchbar", false, get(sfx(dok, "/durchsuchbar")), "200 200 200 200 403 404 404 200 200 200 403"},
		{"GET /api/v1/dokumente/{id}/versionen", false, get(sfx(dok, "/versionen")), readAkte},
		{"POST /api/v1/dokumente/{id}/versionen", false, upload(sfx(dok, "/versionen")), "201 201 201 201 403 404 404 403 201 201 403"},
		{"GET /api/v1/dokumente/{id}/versionen/{nummer}/inhalt", false, get(sfx(dok, "/versionen/1/inhalt")), "200 200 200 200 403 404 404 200 200 200 403"},
		{"POST /api/v1/dokumente/{id}/versionen/{nummer}/final", true, get(sfx(dok, "/versionen/1/final")), editAkte},
		{"GET /api/v1/dokumente/{id}/historie", false, get(sfx(dok, "/historie")), readAkte},
		{"PUT /api/v1/dokumente/{id}/beschraenkung", true, withJSON(sfx(dok, "/beschraenkung"), fixed(`{"beschraenkung":"personal","berechtigte":[]}`)), ownerOnly},

		{"GET /api/v1/vertretungen", false, get(s("/api/v1/vertretungen")), allSigned},
		{"POST /api/v1/vertretungen", false, withJSON(s("/api/v1/vertretungen"), func(_ world, col int) string {
			von := time.Now().Add(time.Duration(100+2*col) * 24 * time.Hour).UTC()
			return fmt.Sprintf(`{"vertretene":"sara","vertreter":"vera","von":%q,"bis":%q}`, von.Format(time.RFC3339), von.Add(24*time.Hour).Format(time.RFC3339))
		}), "201 403 201 403 403 403 422 422 422 403 403"},
		{"DELETE /api/v1/vertretungen/{id}", true, get(func(w world) string { return "/api/v1/vertretungen/" + w.vertretung }),
			"204 404 204 404 404 404 404 404 404 204 403"},

		{"GET /api/v1/einheiten", false, get(s("/api/v1/einheiten")), allSigned},
		{"POST /api/v1/einheiten", false, withJSON(s("/api/v1/einheiten"), func(_ world, col int) string {
			return fmt.Sprintf(`{"kennung":"M%d","name":"Matrix","typ":"referat"}`, col)
		}), strings.Replace(adminOnly, "200", "201", 1)},
		{"PATCH /api/v1/einheiten/{kennung}", false, withJSON(s("/api/v1/einheiten/Z2"), fixed(`{"name":"Personal"}`)), adminOnly},
		{"GET /api/v1/benutzer", false, get(s("/api/v1/benutzer")), adminOnly},
		{"POST /api/v1/benutzer", false, withJSON(s("/api/v1/benutzer"), func(_ world, col int) string {
			return fmt.Sprintf(`{"login":"matrix%d","name":"Matrix"}`, col)
		}), strings.Replace(adminOnly, "200", "201", 1)},
		{"GET /api/v1/benutzer/{login}", false, get(s("/api/v1/benutzer/sara")), "200 403 200 403 403 403 404 404 404 200 403"},
		{"PATCH /api/v1/benutzer/{login}", false, withJSON(s("/api/v1/benutzer/sara"), fixed(`{"name":"Sara Sommer"}`)), adminOnly},

		{"GET /api/v1/protokoll", false, get(s("/api/v1/protokoll")), "200 403 403 403 200 403 403 403 403 403 403"},
		{"GET /api/v1/protokoll/export", false, get(s("/api/v1/protokoll/export?format=json")), "200 403 403 403 200 403 403 403 403 403 403"},

		// the Posteingang is the Registratur's (and admins'); xaver is
		// Registratur of another tenant: his own (empty) Posteingang, 404 for ours
		{"GET /api/v1/posteingang", false, get(s("/api/v1/posteingang")), "200 200 403 403 403 403 200 403 403 403 403"},
		{"POST /api/v1/posteingang", false, upload(s("/api/v1/posteingang"), part{name: "betreff", data: []byte("Matrix")}), "201 201 403 403 403 403 201 403 403 403 403"},
		{"GET /api/v1/posteingang/{id}", false, get(post), "200 200 403 403 403 403 404 403 403 403 403"},
		{"GET /api/v1/posteingang/{id}/inhalt", false, get(sfx(post, "/inhalt")), "200 200 403 403 403 403 404 403 403 403 403"},
		{"POST /api/v1/posteingang/{id}/zuordnung", true, withJSON(sfx(post, "/zuordnung"), func(w world, _ int) string {
			return fmt.Sprintf(`{"vorgang_id":%q}`, w.vg)
		}), "200 200 403 403 403 403 404 403 403 403 403"},

		// background jobs: the tenant's administrators; the world's job still waits
		// (409); another tenant's job is 404 for anyone
		{"GET /api/v1/auftraege", false, get(s("/api/v1/auftraege")), "200 403 403 403 403 403 403 403 403 403 403"},
		{"POST /api/v1/auftraege/{id}/wiederholung", false, get(func(w world) string { return "/api/v1/auftraege/" + w.job + "/wiederholung" }), "409 403 403 403 403 403 404 404 404 403 403"},
		{"DELETE /api/v1/auftraege/{id}", false, get(func(w world) string { return "/api/v1/auftraege/" + w.job }), "409 403 403 403 403 403 404 404 404 403 403"},

		// search answers everyone who may read contents; what each finds is
		// filtered inside the query (storetest SearchAccess, contract section)
		{"GET /api/v1/suche", false, get(func(w world) string { return "/api/v1/suche?q=" + urlQuery(w.akteAz) }), "200 200 200 200 403 200 200 200 200 200 403"},

		{"POST /api/v1/anmeldung", false, withJSON(s("/api/v1/anmeldung"), func(_ world, col int) string {
			return fmt.Sprintf(`{"tenant":"TFM","login":"niemand%d","passwort":"falsch-falsch-falsch"}`, col)
		}), "401 401 401 401 401 401 401 401 401 401 401"},
		{"GET /api/v1/sitzung", false, get(s("/api/v1/sitzung")), "404 404 404 404 404 404 404 404 404 404 403"},
		{"POST /api/v1/abmeldung", false, get(s("/api/v1/abmeldung")), "404 404 404 404 404 404 404 404 404 404 403"},
		{"POST /api/v1/abmeldung/ueberall", false, get(s("/api/v1/abmeldung/ueberall")), "204 204 204 204 204 204 204 204 204 403 403"},
		{"PUT /api/v1/ich/passwort", false, withJSON(s("/api/v1/ich/passwort"), fixed(`{"bisher":"falsch","neu":"ein-ganz-neues-Passwort"}`)), "422 422 422 422 422 422 422 422 422 403 403"},
		{"POST /api/v1/ich/totp", false, get(s("/api/v1/ich/totp")), "200 200 200 200 200 200 200 200 200 403 403"},
		{"POST /api/v1/ich/totp/bestaetigung", false, withJSON(s("/api/v1/ich/totp/bestaetigung"), fixed(`{"code":"000000"}`)), "422 422 422 422 422 422 422 422 422 403 403"},
		{"DELETE /api/v1/ich/totp", false, withJSON(s("/api/v1/ich/totp"), fixed(`{"code":"000000"}`)), "409 409 409 409 409 409 409 409 409 403 403"},
		// single sign-on is not configured in this server
		{"GET /api/v1/anmeldung/oidc", false, get(s("/api/v1/anmeldung/oidc?ziel=/akten")), "404 404 404 404 404 404 404 404 404 404 404"},
		{"GET /api/v1/anmeldung/oidc/rueckkehr", false, get(s("/api/v1/anmeldung/oidc/rueckkehr?code=x&state=y")), "404 404 404 404 404 404 404 404 404 404 404"},

		{"GET /api/v1/tokens", false, get(s("/api/v1/tokens")), "200 200 200 200 200 200 200 200 200 403 403"},
		{"POST /api/v1/tokens", false, withJSON(s("/api/v1/tokens"), fixed(`{"name":"Matrix"}`)), "201 201 201 201 201 201 201 201 201 403 403"},
		{"DELETE /api/v1/tokens/{id}", true, get(func(w world) string { return "/api/v1/tokens/" + w.token }),
			"204 404 204 404 404 404 404 404 404 403 403"},
	}
}

func (m *matrix) must(_ any, err error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatal(err)
	}
}

// newWorld creates the objects a row works on, as ada (admin of Z1).
func (m *matrix) newWorld() world {
	t, ctx, svc, p := m.t, m.ctx, m.e.svc, m.ada
	t.Helper()
	m.n++
	var w world
	mk := func(kz string) string {
		e, err := svc.CreateAktenplan(ctx, p, records.NewAktenplan{Kennzeichen: kz, Titel: "Matrix " + kz})
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	w.plan, w.planEmpty, w.plan2 = mk(fmt.Sprintf("W%d", m.n)), mk(fmt.Sprintf("W%d.9", m.n)), mk(fmt.Sprintf("X%d", m.n))
	newAkte := func() records.Akte {
		a, err := svc.CreateAkte(ctx, p, records.NewAkte{AktenplanID: w.plan, Titel: "Haushalt"})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := newAkte()
	w.akte, w.akteAz = a.ID, a.Aktenzeichen
	w.akte2 = newAkte().ID
	closed := newAkte()
	m.must(svc.Grant(ctx, p, closed.ID, records.NewGrant{Tenant: "TMB", User: "lisa", Level: records.GrantRead}))
	m.must(svc.Grant(ctx, p, closed.ID, records.NewGrant{Tenant: "TMB", User: "wim", Level: records.GrantWrite}))
	m.must(svc.CloseAkte(ctx, p, closed.ID))
	w.closedAkt = closed.ID
	v, err := svc.CreateVorgang(ctx, p, w.akte, "Antrag", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.vg = v.ID
	c, err := svc.StoreContent(ctx, p, bytes.NewReader([]byte("Bescheid-Inhalt "+strconv.Itoa(m.n))), "b.txt")
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := svc.CreateDokument(ctx, p, w.vg, records.NewDokument{Betreff: "Bescheid", Typ: "Bescheid"}, c)
	if err != nil {
		t.Fatal(err)
	}
	w.dok = d.ID
	// as if OCR had made a searchable copy of it
	copySHA, err := svc.StoreDerived(ctx, bytes.NewReader([]byte("%PDF-1.7 durchsuchbar "+strconv.Itoa(m.n))))
	if err != nil {
		t.Fatal(err)
	}
	m.must(nil, svc.SaveText(ctx, records.DokumentText{DokumentID: d.ID, Version: 1, Status: records.TextErkannt, Text: "Bescheid", PDFASHA256: copySHA}))
	g, err := svc.Grant(ctx, p, w.akte, records.NewGrant{Tenant: "TMB", User: "lisa", Level: records.GrantRead})
	if err != nil {
		t.Fatal(err)
	}
	w.grantRead = g.ID
	m.must(svc.Grant(ctx, p, w.akte, records.NewGrant{Tenant: "TMB", User: "wim", Level: records.GrantWrite}))
	_, tok, err := svc.CreateToken(ctx, "TFM", "sara", "matrix", 0)
	if err != nil {
		t.Fatal(err)
	}
	w.token = tok.ID
	sara, err := svc.PrincipalFor(ctx, p.TenantID, m.userID("TFM", "sara"))
	if err != nil {
		t.Fatal(err)
	}
	von := time.Now().Add(time.Duration(1000+m.n) * 24 * time.Hour)
	vt, err := svc.CreateVertretung(ctx, sara, records.NewVertretung{Vertretene: "sara", Vertreter: "vera", Von: von, Bis: von.Add(12 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	w.vertretung = vt.ID
	pc, err := svc.StoreContent(ctx, p, bytes.NewReader([]byte("Eingang "+strconv.Itoa(m.n))), "eingang.txt")
	if err != nil {
		t.Fatal(err)
	}
	it, _, err := svc.ReceivePost(ctx, p, records.PostIn{Quelle: records.QuelleUpload, Einheit: "Z1", Content: pc})
	if err != nil {
		t.Fatal(err)
	}
	w.post = it.ID
	w.job, err = m.e.jobs.Enqueue(ctx, "matrix.test", nil, jobs.Tenant(p.TenantID))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (m *matrix) userID(tenant, login string) string {
	ms, err := m.e.svc.GetUserAs(m.ctx, m.ada, login)
	if err != nil {
		m.t.Fatalf("user %s/%s: %v", tenant, login, err)
	}
	return ms.ID
}

func TestAuthorizationMatrix(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		svc := e.svc
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(svc.CreateTenant(ctx, "TMB", "Thüringer Ministerium für Bildung"))
		must(svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z", Name: "Zentralabteilung", Typ: "abteilung"}))
		must(svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z1", Name: "Haushalt", Typ: "referat", Parent: "Z"}))
		must(svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z2", Name: "Personal", Typ: "referat", Parent: "Z"}))
		person := func(tenant, login string, role access.Role, unit string) string {
			var ms []records.Membership
			if unit != "" {
				ms = append(ms, records.Membership{Kennung: unit, Position: "sachbearbeitung"})
			}
			must(svc.CreateUser(ctx, tenant, login, login, []access.Role{role}, ms...))
			tok, _, err := svc.CreateToken(ctx, tenant, login, "matrix", 0)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		ada := person("TFM", "ada", access.RoleAdmin, "Z1")
		tokens := []string{
			ada,
			person("TFM", "rita", access.RoleRegistratur, "Z1"),
			person("TFM", "sara", access.RoleSachbearbeitung, "Z1"),
			person("TFM", "leo", access.RoleLeitung, "Z1"),
			person("TFM", "udo", access.RoleAudit, "Z1"),
			person("TFM", "olga", access.RoleSachbearbeitung, "Z2"),
			person("TSK", "xaver", access.RoleRegistratur, ""),
			person("TMB", "lisa", access.RoleSachbearbeitung, ""),
			person("TMB", "wim", access.RoleSachbearbeitung, ""),
			person("TFM", "vera", access.RoleSachbearbeitung, "Z2"),
			person("TFM", "otto", access.RoleSachbearbeitung, "Z2"),
		}
		adaP, err := svc.Authenticate(ctx, ada)
		if err != nil {
			t.Fatal(err)
		}
		saraP, err := svc.Authenticate(ctx, tokens[2])
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		must(svc.CreateVertretung(ctx, saraP, records.NewVertretung{Vertretene: "sara", Vertreter: "vera", Von: now.Add(-time.Hour), Bis: now.Add(6 * time.Hour)}))
		must(svc.CreateVertretung(ctx, saraP, records.NewVertretung{Vertretene: "sara", Vertreter: "otto", Von: now.Add(48 * time.Hour), Bis: now.Add(72 * time.Hour)}))
		headers := make([]map[string]string, len(tokens))
		headers[9] = map[string]string{web.VertretungHeader: "sara"}
		headers[10] = map[string]string{web.VertretungHeader: "sara"}

		m := &matrix{t: t, e: e, ctx: ctx, tokens: tokens, ada: adaP}
		rows := matrixRows()

		// the table must name every route, and only routes
		routes := map[string]bool{}
		for _, r := range web.Routes() {
			routes[r.Method+" "+r.Pattern] = true
		}
		seen := map[string]bool{}
		for _, row := range rows {
			if !routes[row.route] {
				t.Errorf("matrix row %q: no such route", row.route)
			}
			if seen[row.route] {
				t.Errorf("matrix row %q twice", row.route)
			}
			seen[row.route] = true
			if n := len(strings.Fields(row.want)); n != len(matrixSubjects) {
				t.Errorf("matrix row %q: %d statuses for %d subjects", row.route, n, len(matrixSubjects))
			}
		}
		for r := range routes {
			if !seen[r] {
				t.Errorf("route %s is missing in the authorisation matrix (internal/web/matrix_test.go)", r)
			}
		}
		if t.Failed() {
			t.FailNow()
		}

		shared := m.newWorld()
		for _, row := range rows {
			want := strings.Fields(row.want)
			method := row.route[:strings.IndexByte(row.route, ' ')]
			for col, subj := range matrixSubjects {
				w := shared
				if row.fresh {
					w = m.newWorld()
				}
				path, body, ctype := row.req(m, w, col)
				h := map[string]string{}
				for k, v := range headers[col] {
					h[k] = v
				}
				var rd io.Reader
				if body != "" {
					rd = strings.NewReader(body)
					h["Content-Type"] = ctype
				}
				got := e.do(method, path, tokens[col], rd, h)
				if strconv.Itoa(got.status) != want[col] {
					t.Errorf("%s as %s: status %d, want %s: %s", row.route, subj, got.status, want[col], truncate(got.body))
				}
			}
		}

		// refused attempts are in the audit trail of the object's tenant,
		// and the deputy's changes are recorded as "vera i.V. für sara"
		want(t, e.do("PATCH", "/api/v1/akten/"+shared.akte, tokens[9], strings.NewReader(`{"titel":"Haushalt i.V."}`),
			map[string]string{"Content-Type": "application/json", web.VertretungHeader: "sara"}), 200)
		hist := want(t, e.do("GET", "/api/v1/akten/"+shared.akte+"/historie?limit=500", ada, nil, nil), 200)
		var denied, deputy bool
		for _, it := range hist["items"].([]any) {
			en := it.(map[string]any)
			if en["action"] == "zugriff.verweigert" && en["actor"] == "olga" {
				denied = true
			}
			if en["actor"] == "vera" && en["on_behalf_of"] == "sara" && en["action"] == "akte.update" {
				deputy = true
			}
			if en["actor"] == "otto" && en["action"] != "zugriff.verweigert" {
				t.Errorf("otto acted outside his Vertretung: %v", en)
			}
		}
		if !denied {
			t.Error("olga's refused reads of the Akte are not in its audit trail")
		}
		if !deputy {
			t.Error("vera's change i.V. for sara is not audited as such")
		}
	})
}
