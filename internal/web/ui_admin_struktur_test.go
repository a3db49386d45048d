package web_test

// Plain-HTTP tests of the structural administration pages
// (ui_admin_struktur.go) on SQLite and PostgreSQL: the installation's
// tenants (operator only), renaming and moving units, Kennzeichen and
// parent of an Aktenplan position, and resetting a lost second factor.
// Each: 403 for those without the right (audited), another tenant's object
// as the 404 page of an unknown one, forms without CSRF token refused, bad
// input at its field with nothing changed.

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

func TestUIVerwaltungMandanten(t *testing.T) {
	forAdminBackends(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		tenants := func() int {
			l, err := e.f.Svc.ListTenants(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return len(l)
		}
		n := tenants()
		neu := url.Values{"kuerzel": {"TMX"}, "name": {"Ministerium X"}}

		// a tenant's admin (not the installation's operator): no link, 403
		anna := e.client()
		anna.vwSignIn("TFM", "anna", uiPW)
		p := anna.get("/verwaltung/mandant")
		wantPage(t, p, 200, "nur der Betrieb der Installation", "aktenwerk user betrieb")
		if strings.Contains(p.body, `href="/verwaltung/mandanten"`) {
			t.Error("tenant list offered to a tenant admin")
		}
		wantPage(t, anna.get("/verwaltung/mandanten"), 403, "Keine Berechtigung")
		wantPage(t, anna.vwPost("/verwaltung/mandanten", neu), 403, "Keine Berechtigung")
		bernd := e.client()
		bernd.signIn()
		wantPage(t, bernd.get("/verwaltung/mandanten"), 403, "Keine Berechtigung")
		wantPage(t, bernd.vwPost("/verwaltung/mandanten", neu), 403, "Keine Berechtigung")
		carla := e.client()
		carla.vwSignIn("TSK", "carla", uiPW)
		wantPage(t, carla.get("/verwaltung/mandanten"), 403, "Keine Berechtigung")
		if tenants() != n {
			t.Fatal("a tenant was created by someone without the right")
		}
		denied, err := e.f.Svc.QueryAudit(ctx, e.f.Anna, records.AuditQuery{User: "anna", Action: "zugriff.verweigert", Page: records.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, d := range denied {
			seen[d.ObjectID] = true
		}
		if !seen["GET /verwaltung/mandanten"] || !seen["POST /verwaltung/mandanten"] {
			t.Errorf("refusals not audited: %v", seen)
		}

		// the operator mark (CLI): list and create
		if err := e.f.Svc.SetOperator(ctx, "TFM", "anna", true); err != nil {
			t.Fatal(err)
		}
		p = anna.get("/verwaltung")
		wantPage(t, p, 200, `href="/verwaltung/mandanten"`, "Mandanten der Installation")
		p = anna.get("/verwaltung/mandanten")
		wantPage(t, p, 200, `id="mandant-TFM"`, `id="mandant-TSK"`, "Thüringer Staatskanzlei", `aria-current="page">Mandanten</a>`)
		vwNoInline(t, "/verwaltung/mandanten", p)
		// without CSRF token: refused
		wantPage(t, anna.post("/verwaltung/mandanten", neu), 403, "Anfrage abgelehnt")
		// bad input: at the fields, nothing created
		p = anna.vwPost("/verwaltung/mandanten", url.Values{"kuerzel": {"tmx"}, "name": {" "}, "aktenzeichen_muster": {"{tenant}-ohne"}})
		wantPage(t, p, 422, "Bitte die markierten Felder prüfen")
		vwFieldError(t, p, "mn-kuerzel", "2–16 Großbuchstaben")
		vwFieldError(t, p, "mn-name", "Darf nicht leer sein")
		vwFieldError(t, p, "mn-aktenzeichen-muster", "")
		if !strings.Contains(p.body, `value="tmx"`) {
			t.Error("the refused form lost its input")
		}
		p = anna.vwPost("/verwaltung/mandanten", url.Values{"kuerzel": {"TSK"}, "name": {"Noch eine Staatskanzlei"}})
		wantPage(t, p, 409, "Mandant TSK existiert bereits")
		vwFieldError(t, p, "mn-kuerzel", "Ist bereits vergeben")
		if tenants() != n {
			t.Fatal("a refused form created a tenant")
		}
		p = anna.vwPost("/verwaltung/mandanten", neu)
		vwRedirect(t, p, "/verwaltung/mandanten?meldung=mandant-angelegt")
		wantPage(t, anna.get(p.header.Get("Location")), 200, "Der Mandant ist angelegt", `id="mandant-TMX"`, "Ministerium X")
		if tenants() != n+1 {
			t.Fatal("tenant not created")
		}
		tmx, err := e.f.Svc.TenantByCode(ctx, "TMX")
		if err != nil || tmx.AzPattern != records.DefaultAzPattern {
			t.Fatalf("TMX: %+v %v", tmx, err)
		}
		h, err := e.f.Svc.QueryAudit(ctx, e.f.Anna, records.AuditQuery{User: "anna", Action: "tenant.create", Page: records.Page{Limit: 10}})
		if err != nil || len(h) != 1 || h[0].Actor != "anna" || h[0].ObjectID != tmx.ID {
			t.Fatalf("audit of the creation in TFM: %+v %v", h, err)
		}
		// the tenant admin of TSK still sees nothing
		wantPage(t, carla.get("/verwaltung/mandanten"), 403)
	})
}

func TestUIVerwaltungEinheitAendern(t *testing.T) {
	forAdminBackends(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		for _, u := range []records.NewUnit{
			{Kennung: "Z", Name: "Zentralabteilung", Typ: "abteilung"},
			{Kennung: "Z1", Name: "Referat Personal", Typ: "referat", Parent: "Z"},
			{Kennung: "Z2", Name: "Referat Haushalt", Typ: "referat", Parent: "Z"},
			{Kennung: "Z11", Name: "Sachgebiet Ausbildung", Typ: "sachgebiet", Parent: "Z1"},
		} {
			if _, err := e.f.Svc.CreateUnit(ctx, "TFM", u); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.f.Svc.CreateUnit(ctx, "TSK", records.NewUnit{Kennung: "S1", Name: "Kabinettsreferat", Typ: "referat"}); err != nil {
			t.Fatal(err)
		}
		unit := func(k string) (records.Unit, string) {
			us, _ := e.f.Svc.ListUnitsAs(ctx, e.f.Anna)
			var u records.Unit
			byID := map[string]string{}
			for _, x := range us {
				byID[x.ID] = x.Kennung
				if x.Kennung == k {
					u = x
				}
			}
			if u.ParentID == nil {
				return u, ""
			}
			return u, byID[*u.ParentID]
		}
		anna := e.client()
		anna.vwSignIn("TFM", "anna", uiPW)
		wantPage(t, anna.get("/verwaltung/einheiten"), 200, `<a href="/verwaltung/einheiten/Z11"><span class="kennung">Z11</span> Sachgebiet Ausbildung</a>`)
		p := anna.get("/verwaltung/einheiten/Z1")
		wantPage(t, p, 200, `value="Referat Personal"`, `<option value="Z" selected>`, `<option value="Z2">`, `href="/verwaltung/einheiten/Z11"`)
		vwNoInline(t, "/verwaltung/einheiten/Z1", p)
		// neither the unit itself nor what lies below it is offered as parent
		if strings.Contains(p.body, `<option value="Z1"`) || strings.Contains(p.body, `<option value="Z11"`) {
			t.Error("the unit or its descendant offered as its parent")
		}

		// another tenant's unit: the 404 page of an unknown one
		unknown := anna.get("/verwaltung/einheiten/NIX")
		wantPage(t, unknown, 404, "Seite nicht gefunden")
		foreign := anna.get("/verwaltung/einheiten/S1")
		if foreign.status != 404 || vwMain(foreign.body) != vwMain(unknown.body) {
			t.Errorf("another tenant's unit: %d, differs from an unknown one", foreign.status)
		}
		wantPage(t, anna.vwPost("/verwaltung/einheiten/S1", url.Values{"name": {"Übernommen"}, "parent": {""}}), 404, "Seite nicht gefunden")
		if us, _ := e.f.Svc.ListUnits(ctx, "TSK"); us[0].Name != "Kabinettsreferat" {
			t.Fatalf("TSK's unit renamed by TFM's admin: %+v", us[0])
		}
		// Sachbearbeitung and the Registratur of another tenant: 403
		bernd := e.client()
		bernd.signIn()
		wantPage(t, bernd.get("/verwaltung/einheiten/Z1"), 403, "Keine Berechtigung")
		wantPage(t, bernd.vwPost("/verwaltung/einheiten/Z1", url.Values{"name": {"Meins"}, "parent": {""}}), 403, "Keine Berechtigung")
		carla := e.client()
		carla.vwSignIn("TSK", "carla", uiPW)
		wantPage(t, carla.vwPost("/verwaltung/einheiten/S1", url.Values{"name": {"X"}, "parent": {""}}), 403, "Keine Berechtigung")
		// without CSRF token
		wantPage(t, anna.post("/verwaltung/einheiten/Z1", url.Values{"name": {"Ohne CSRF"}, "parent": {"Z"}}), 403, "Anfrage abgelehnt")

		// bad input at the fields, nothing changed
		p = anna.vwPost("/verwaltung/einheiten/Z1", url.Values{"name": {" "}, "parent": {"Z"}})
		wantPage(t, p, 422, "Bitte die markierten Felder prüfen")
		vwFieldError(t, p, "eh-aendern-name", "Darf nicht leer sein")
		p = anna.vwPost("/verwaltung/einheiten/Z", url.Values{"name": {"Zentralabteilung"}, "parent": {"Z11"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "eh-aendern-parent", "Z11 liegt unterhalb von Z")
		p = anna.vwPost("/verwaltung/einheiten/Z1", url.Values{"name": {"Referat Personal"}, "parent": {"S1"}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "eh-aendern-parent", "Organisationseinheit S1 gibt es in TFM nicht")
		if u, parent := unit("Z1"); u.Name != "Referat Personal" || parent != "Z" {
			t.Fatalf("Z1 changed by refused forms: %+v under %s", u, parent)
		}
		if _, parent := unit("Z"); parent != "" {
			t.Fatalf("Z moved by a refused form under %s", parent)
		}

		// rename and move Z11 from Z1 to Z2
		p = anna.vwPost("/verwaltung/einheiten/Z11", url.Values{"name": {"Sachgebiet Aus- und Fortbildung"}, "parent": {"Z2"}})
		vwRedirect(t, p, "/verwaltung/einheiten/Z11?meldung=einheit-gespeichert")
		wantPage(t, anna.get(p.header.Get("Location")), 200, "Die Organisationseinheit ist gespeichert", `<option value="Z2" selected>`,
			`<a href="/verwaltung/einheiten/Z2">Z2 Referat Haushalt</a>`)
		if u, parent := unit("Z11"); u.Name != "Sachgebiet Aus- und Fortbildung" || parent != "Z2" {
			t.Fatalf("Z11 after the move: %+v under %s", u, parent)
		}
		h, err := e.f.Svc.QueryAudit(ctx, e.f.Anna, records.AuditQuery{Action: "unit.update", Page: records.Page{Limit: 10}})
		if err != nil || len(h) != 1 || h[0].Actor != "anna" || !strings.Contains(string(h[0].Changes), `"Z1"`) {
			t.Fatalf("audit of the move: %+v %v", h, err)
		}
		// to the top level
		vwRedirect(t, anna.vwPost("/verwaltung/einheiten/Z2", url.Values{"name": {"Referat Haushalt"}, "parent": {""}}), "/verwaltung/einheiten/Z2?")
		if _, parent := unit("Z2"); parent != "" {
			t.Fatalf("Z2 under %s, want top level", parent)
		}
	})
}

func TestUIVerwaltungPositionPlatz(t *testing.T) {
	forAdminBackends(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		pos := func(k string) records.AktenplanEintrag {
			p, err := e.f.Svc.GetAktenplan(ctx, e.f.Anna, e.plan[k])
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		anna := e.client()
		anna.vwSignIn("TFM", "anna", uiPW)
		id122, path := e.plan["122"], "/verwaltung/aktenplan/"+e.plan["122"]
		p := anna.get(path)
		wantPage(t, p, 200, "Kennzeichen und Platz im Aktenplan", `id="platz-kennzeichen" name="kennzeichen" type="text" value="122"`,
			`<option value="`+e.plan["12"]+`" selected>`)
		if strings.Contains(p.body, `<option value="`+id122+`"`) {
			t.Error("the position offered as its own parent")
		}

		// refused: another tenant, no right, no CSRF token
		tskPlan := e.fremdeAkte.AktenplanID
		carla := e.client()
		carla.vwSignIn("TSK", "carla", uiPW)
		unknown := carla.vwPost("/verwaltung/aktenplan/0190c0de-0000-7000-8000-000000000000/platz", url.Values{"kennzeichen": {"5"}})
		wantPage(t, unknown, 404, "Seite nicht gefunden")
		foreign := carla.vwPost(path+"/platz", url.Values{"kennzeichen": {"5"}, "parent_id": {""}})
		if foreign.status != 404 || vwMain(foreign.body) != vwMain(unknown.body) {
			t.Errorf("another tenant's position: %d, differs from an unknown one", foreign.status)
		}
		bernd := e.client()
		bernd.signIn()
		wantPage(t, bernd.vwPost(path+"/platz", url.Values{"kennzeichen": {"5"}, "parent_id": {""}}), 403, "Keine Berechtigung")
		wantPage(t, anna.post(path+"/platz", url.Values{"kennzeichen": {"5"}, "parent_id": {""}}), 403, "Anfrage abgelehnt")
		// TSK's position as parent: unknown for TFM
		p = anna.vwPost(path+"/platz", url.Values{"kennzeichen": {"122"}, "parent_id": {tskPlan}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "platz-parent-id", "Aktenplanposition nicht gefunden")

		// bad input and conflicts at the fields
		p = anna.vwPost(path+"/platz", url.Values{"kennzeichen": {"1 2"}, "parent_id": {e.plan["12"]}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "platz-kennzeichen", "1–32 Zeichen")
		p = anna.vwPost(path+"/platz", url.Values{"kennzeichen": {"121"}, "parent_id": {e.plan["12"]}})
		wantPage(t, p, 409, "Kennzeichen 121 ist im Aktenplan bereits vergeben")
		vwFieldError(t, p, "platz-kennzeichen", "Ist im Aktenplan bereits vergeben")
		p = anna.vwPost(path+"/platz", url.Values{"kennzeichen": {"122"}, "parent_id": {id122}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "platz-parent-id", "unter sich selbst")
		p = anna.vwPost("/verwaltung/aktenplan/"+e.plan["1"]+"/platz", url.Values{"kennzeichen": {"1"}, "parent_id": {id122}})
		wantPage(t, p, 422)
		vwFieldError(t, p, "platz-parent-id", "122 liegt unterhalb von 1")
		// 121 holds an Akte: its Kennzeichen and those above it stay
		p = anna.vwPost("/verwaltung/aktenplan/"+e.plan["121"]+"/platz", url.Values{"kennzeichen": {"125"}, "parent_id": {e.plan["12"]}})
		wantPage(t, p, 409, "Aktenzeichen bleiben stabil", "1 Akte ist unter dieser Position")
		vwFieldError(t, p, "platz-kennzeichen", "Nicht mehr änderbar")
		p = anna.vwPost("/verwaltung/aktenplan/"+e.plan["12"]+"/platz", url.Values{"kennzeichen": {"12"}, "parent_id": {e.plan["2"]}})
		wantPage(t, p, 409)
		vwFieldError(t, p, "platz-parent-id", "Nicht mehr änderbar")
		if got := pos("122"); got.Kennzeichen != "122" || *got.ParentID != e.plan["12"] {
			t.Fatalf("122 changed by refused forms: %+v", got)
		}
		if got := pos("12"); got.ParentID == nil || *got.ParentID != e.plan["1"] || pos("121").Kennzeichen != "121" {
			t.Fatal("12 or 121 changed by refused forms")
		}

		// 122 holds nothing: new Kennzeichen under 2
		p = anna.vwPost(path+"/platz", url.Values{"kennzeichen": {"23"}, "parent_id": {e.plan["2"]}})
		vwRedirect(t, p, path+"?meldung=position-platz")
		wantPage(t, anna.get(p.header.Get("Location")), 200, "Kennzeichen und übergeordnete Position sind gespeichert", `<span class="kz">23</span>`)
		if got := pos("122"); got.Kennzeichen != "23" || got.ParentID == nil || *got.ParentID != e.plan["2"] || got.Titel != "Fortbildung" {
			t.Fatalf("122 after the change: %+v", got)
		}
		h, err := e.f.Svc.QueryAudit(ctx, e.f.Anna, records.AuditQuery{ObjectID: id122, Action: "aktenplan.update", Page: records.Page{Limit: 10}})
		if err != nil || len(h) != 1 || h[0].Actor != "anna" || !strings.Contains(string(h[0].Changes), `"23"`) {
			t.Fatalf("audit: %+v %v", h, err)
		}
	})
}

func TestUIVerwaltungZweiterFaktor(t *testing.T) {
	forAdminBackends(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		// bernd (second factor enrolled) is signed in
		bernd := e.client()
		bernd.signIn()
		wantPage(t, bernd.get("/profil"), 200)
		anna := e.client()
		anna.vwSignIn("TFM", "anna", uiPW)
		p := anna.get("/verwaltung/benutzer/bernd")
		wantPage(t, p, 200, `action="/verwaltung/benutzer/bernd/zweiter-faktor"`, "Zweiten Faktor zurücksetzen")
		if strings.Contains(anna.get("/verwaltung/benutzer/anna").body, "/zweiter-faktor") {
			t.Error("a reset of one's own second factor offered")
		}

		// refused: no CSRF token, Sachbearbeitung, another tenant's account, oneself
		wantPage(t, anna.post("/verwaltung/benutzer/bernd/zweiter-faktor", nil), 403, "Anfrage abgelehnt")
		dora := e.client()
		dora.vwSignIn("TFM", "dora", uiPW)
		wantPage(t, dora.vwPost("/verwaltung/benutzer/bernd/zweiter-faktor", nil), 403, "Keine Berechtigung")
		unknown := anna.vwPost("/verwaltung/benutzer/niemand/zweiter-faktor", nil)
		wantPage(t, unknown, 404, "Seite nicht gefunden")
		foreign := anna.vwPost("/verwaltung/benutzer/carla/zweiter-faktor", nil)
		if foreign.status != 404 || vwMain(foreign.body) != vwMain(unknown.body) {
			t.Errorf("another tenant's account: %d, differs from an unknown one", foreign.status)
		}
		wantPage(t, anna.vwPost("/verwaltung/benutzer/anna/zweiter-faktor", nil), 409, "Ihren eigenen zweiten Faktor verwalten Sie im Profil")
		if p := bernd.get("/profil"); p.status != 200 {
			t.Fatalf("bernd's session ended by a refused reset: %d", p.status)
		}
		if p := e.client().post("/anmelden", url.Values{"tenant": {"TFM"}, "login": {"bernd"}, "passwort": {uiPW}}); !strings.Contains(p.body, `name="totp"`) {
			t.Fatal("a refused reset removed bernd's second factor")
		}

		// the reset: sessions end, the password alone signs in, enrol again
		p = anna.vwPost("/verwaltung/benutzer/bernd/zweiter-faktor", nil)
		vwRedirect(t, p, "/verwaltung/benutzer/bernd?meldung=faktor-zurueckgesetzt")
		wantPage(t, anna.get(p.header.Get("Location")), 200, "Der zweite Faktor ist zurückgesetzt")
		if p := bernd.get("/profil"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/anmelden") {
			t.Fatalf("bernd's session survived the reset: %d %v", p.status, p.header)
		}
		again := e.client()
		again.vwSignIn("TFM", "bernd", uiPW)
		wantPage(t, again.get("/profil"), 200, "nicht eingerichtet")
		// nothing left to reset: a message, nothing else
		wantPage(t, anna.vwPost("/verwaltung/benutzer/bernd/zweiter-faktor", nil), 409, "bernd hat keinen zweiten Faktor eingerichtet")
		h, err := e.f.Svc.QueryAudit(ctx, e.f.Anna, records.AuditQuery{User: "anna", Action: "totp.zurueckgesetzt", Page: records.Page{Limit: 10}})
		if err != nil || len(h) != 1 || !strings.Contains(string(h[0].Changes), `"war_eingerichtet":true`) {
			t.Fatalf("audit of the reset: %+v %v", h, err)
		}
		if _, err := e.f.Svc.GetUserAs(ctx, e.f.Anna, "carla"); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("carla visible to TFM: %v", err)
		}
	})
}
