package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Full-text search on every backend: German analysis end to end, fields,
// facets, ranking, snippets, paging, and access control inside the query
// (units, grants across tenants, restrictions, Vertretung) — including
// changes of access that must apply before the indexer ran again.

func init() {
	moreCases = append(moreCases,
		Case{"SearchBasics", testSearchBasics},
		Case{"SearchAccess", testSearchAccess},
		Case{"SearchIndexMaintenance", testSearchIndexMaintenance},
	)
}

// srIndex runs the indexer until nothing is pending.
func srIndex(t *testing.T, f *Fixture) {
	t.Helper()
	_, err := f.Svc.IndexPending(context.Background(), 0)
	mustOK(t, err)
	_, pending, err := f.Svc.SearchStats(context.Background())
	mustOK(t, err)
	if pending != 0 {
		t.Fatalf("%d marks left after IndexPending", pending)
	}
}

// srText stores recognised text for the newest version of a Dokument.
func srText(t *testing.T, f *Fixture, d records.Dokument, text string) {
	t.Helper()
	mustOK(t, f.Svc.SaveText(context.Background(), records.DokumentText{DokumentID: d.ID, Version: max(1, d.Versionen),
		Status: records.TextErkannt, Methode: "text", Text: text}))
}

// srFind searches and returns the ids of the hits in order.
func srFind(t *testing.T, f *Fixture, p records.Principal, req records.SearchRequest) ([]string, records.SearchResult) {
	t.Helper()
	if req.Limit == 0 {
		req.Limit = 100
	}
	res, err := f.Svc.Search(context.Background(), p, req)
	if err != nil {
		t.Fatalf("search %q as %s: %v", req.Query, p.Login, err)
	}
	var ids []string
	for _, h := range res.Items {
		ids = append(ids, h.ID)
	}
	return ids, res
}

func srQ(q string) records.SearchRequest { return records.SearchRequest{Query: q} }

func srWant(t *testing.T, f *Fixture, p records.Principal, q string, want ...string) {
	t.Helper()
	got, _ := srFind(t, f, p, srQ(q))
	if !slices.Equal(ntkSorted(got), ntkSorted(want)) {
		t.Errorf("search %q as %s@%s: got %v, want %v", q, p.Login, p.TenantCode, got, want)
	}
}

func testSearchBasics(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "511", "Kindertagesbetreuung")
	pos2 := f.Plan(t, f.Anna, "620", "Straßenbau")
	akte := f.Akte(t, f.Anna, pos.ID, "Förderung Kindertagesstätten")
	vg := f.Vorgang(t, f.Anna, akte.ID, "Fachkräfteinitiative Kita Sonnenschein")
	d1, _ := f.Dokument(t, f.Anna, vg.ID, "Bescheid über Entschädigungen", "bescheid.pdf", []byte("%PDF-1.4 x"))
	_, err := f.Svc.UpdateDokument(ctx, f.Anna, d1.ID, records.DokumentPatch{Typ: ntkPtr("Bescheid"), Absender: ntkPtr("Müller, Jürgen"),
		Dokumentdatum: ntkPtr(ntkPtr("2026-03-15"))})
	mustOK(t, err)
	srText(t, f, d1, "Sehr geehrte Damen und Herren, die Entschädigung für den Ausbildungsplatz in der Goethestraße 12 wird bewilligt. Betrag: 1.234,56 EUR.")
	d2, _ := f.Dokument(t, f.Anna, vg.ID, "Vermerk Gespräch", "vermerk.txt", []byte("Vermerk"))
	srText(t, f, d2, "Im Gespräch wurde die Entschädigung erwähnt. Die Kita Sonnenschein plant einen Neubau.")
	akte2 := f.Akte(t, f.Anna, pos2.ID, "Ausbau Landesstraße L 1052")
	vg2 := f.Vorgang(t, f.Anna, akte2.ID, "Planfeststellung")
	d3, _ := f.Dokument(t, f.Anna, vg2.ID, "Einwendung Anwohner", "einwendung.txt", []byte("x"))
	_, err = f.Svc.UpdateDokument(ctx, f.Anna, d3.ID, records.DokumentPatch{Dokumentdatum: ntkPtr(ntkPtr("2025-11-02"))})
	mustOK(t, err)
	srText(t, f, d3, "Wir erheben Einwendungen gegen den Ausbau der Strasse wegen Lärm. Mueller")

	// nothing is found before the indexer ran
	if got, _ := srFind(t, f, f.Anna, srQ("Entschädigung")); len(got) != 0 {
		t.Errorf("found %v before indexing", got)
	}
	srIndex(t, f)

	srWant(t, f, f.Anna, "Entschädigungen", d1.ID, d2.ID)     // stemming
	srWant(t, f, f.Anna, "Straße", akte2.ID, d3.ID)           // ß folding: Strasse; Landesstraße (compound)
	srWant(t, f, f.Anna, "Muller", d1.ID, d3.ID)              // umlaut folding: Müller (Absender), Mueller (text)
	srWant(t, f, f.Anna, "Ausbildung", d1.ID)                 // compound part of Ausbildungsplatz
	srWant(t, f, f.Anna, `"Kita Sonnenschein"`, vg.ID, d2.ID) // phrase (Vorgang Betreff, text)
	srWant(t, f, f.Anna, `"Sonnenschein Kita"`)               // phrase order matters
	srWant(t, f, f.Anna, "Kita*", vg.ID, d2.ID)
	srWant(t, f, f.Anna, "typ:Bescheid", d1.ID)
	srWant(t, f, f.Anna, "Entschädigung NOT Neubau", d1.ID)
	srWant(t, f, f.Anna, "Neubau OR Lärm", d2.ID, d3.ID)
	// dates: the Dokumentdatum, else the day of creation (the fixture clock: 2026-03-15)
	srWant(t, f, f.Anna, "Einwendung datum:2025-11", d3.ID)
	srWant(t, f, f.Anna, "Entschädigung datum:2026-03-15", d1.ID, d2.ID)
	srWant(t, f, f.Anna, "datum:2025", d3.ID)
	srWant(t, f, f.Anna, "absender:Müller", d1.ID)
	srWant(t, f, f.Anna, "az:"+akte.Aktenzeichen+"*", akte.ID, vg.ID, d1.ID, d2.ID)
	srWant(t, f, f.Anna, "Zitronenfalter")
	// prefixes never reach the field and date terms of the index (ǂdatumǂ…)
	for _, q := range []string{"Dat*", "Tit*", "Typ*", "Abs*", "Az*", "da*"} {
		got, _ := srFind(t, f, f.Anna, srQ(q))
		for _, id := range got {
			if id != d2.ID && id != d3.ID && id != d1.ID { // da… words in the texts: dass (stop words are not indexed)
				t.Errorf("%s matched %s through field terms", q, id)
			}
		}
	}
	srWant(t, f, f.Anna, "Tit*")

	// ranking: the word in the Betreff beats the word in the text
	got, res := srFind(t, f, f.Anna, srQ("Entschädigung"))
	if len(got) != 2 || got[0] != d1.ID {
		t.Errorf("ranking: got %v, want %s (Betreff) first", got, d1.ID)
	}
	if !res.AnzahlGenau || res.Anzahl != 2 {
		t.Errorf("count %d exact %v, want 2 exact", res.Anzahl, res.AnzahlGenau)
	}
	if h := res.Items[0]; !strings.Contains(h.AusschnittHTML, "<mark>Entschädigung</mark>") || h.Mandant != "TFM" || h.Typ != "Bescheid" ||
		h.Datum == nil || *h.Datum != "2026-03-15" || h.VorgangID == nil || *h.VorgangID != vg.ID || h.Aktenzeichen != vg.Aktenzeichen {
		t.Errorf("hit %+v", h)
	}
	// facets count the hits
	_, res = srFind(t, f, f.Anna, srQ("Straße"))
	if fv := res.Facetten["objekt"]; len(fv) != 2 || fv[0].Wert != "akte" || fv[0].Anzahl != 1 || fv[1].Wert != "dokument" || fv[1].Anzahl != 1 {
		t.Errorf("objekt facet %+v", fv)
	}
	if fv := res.Facetten["aktenplan"]; len(fv) != 1 || fv[0].Wert != pos2.ID || fv[0].Anzahl != 2 || fv[0].Bezeichnung != "620 Straßenbau" {
		t.Errorf("aktenplan facet %+v", fv)
	}
	_, res = srFind(t, f, f.Anna, srQ("Entschädigung OR Einwendung"))
	if fv := res.Facetten["jahr"]; len(fv) != 2 || fv[0].Wert != "2026" || fv[0].Anzahl != 2 || fv[1].Wert != "2025" || fv[1].Anzahl != 1 {
		t.Errorf("jahr facet %+v", fv)
	}
	if fv := res.Facetten["typ"]; len(fv) != 2 || fv[0].Wert != "Eingang" || fv[0].Anzahl != 2 || fv[1].Wert != "Bescheid" {
		t.Errorf("typ facet %+v", fv)
	}
	// filters narrow the query; facets then describe the narrowed set
	got, res = srFind(t, f, f.Anna, records.SearchRequest{Query: "Straße", ObjectType: "dokument", AktenplanID: pos2.ID})
	if !slices.Equal(got, []string{d3.ID}) || len(res.Facetten["objekt"]) != 1 {
		t.Errorf("filtered: %v facets %+v", got, res.Facetten)
	}
	got, _ = srFind(t, f, f.Anna, records.SearchRequest{Query: "Entschädigung OR Einwendung", Jahr: 2025})
	if !slices.Equal(got, []string{d3.ID}) {
		t.Errorf("jahr 2025: %v", got)
	}
	// an Aktenzeichen typed exactly names the object
	_, res = srFind(t, f, f.Anna, srQ(vg.Aktenzeichen))
	if res.Direkt == nil || res.Direkt.ID != vg.ID || res.Direkt.ObjectType != "vorgang" {
		t.Errorf("direct hit %+v", res.Direkt)
	}
	// paging: one hit per page, cursors until the end, no repeats
	var seen []string
	req := records.SearchRequest{Query: "Straße", Limit: 1}
	for i := 0; i < 10; i++ {
		res, err := f.Svc.Search(ctx, f.Anna, req)
		mustOK(t, err)
		for _, h := range res.Items {
			seen = append(seen, h.ID)
		}
		if res.NextCursor == nil {
			break
		}
		req.Cursor = *res.NextCursor
	}
	if all, _ := srFind(t, f, f.Anna, srQ("Straße")); !slices.Equal(seen, all) {
		t.Errorf("paged %v, in one page %v", seen, all)
	}
	// bad input: a helpful error naming the parameter, never a crash
	for q, field := range map[string]string{`"Kita`: "q", "(Kita": "q", "datum:2026-13": "q", "titel:": "q", strings.Repeat("x ", 600): "q"} {
		_, err := f.Svc.Search(ctx, f.Anna, srQ(q))
		wantField(t, err, field)
	}
	_, err = f.Svc.Search(ctx, f.Anna, records.SearchRequest{Query: "Kita", Cursor: "zzz"})
	wantField(t, err, "cursor")
	_, err = f.Svc.Search(ctx, f.Anna, records.SearchRequest{Query: "Kita", Facets: []string{"farbe"}})
	wantField(t, err, "facets")
	_, err = f.Svc.Search(ctx, f.Anna, srQ(""))
	wantField(t, err, "q")
}

func testSearchAccess(t *testing.T, f *Fixture) {
	ctx := context.Background()
	_, _, _ = ntkUnits(t, f)
	zora := ntkUser(t, f, "TFM", "zora", nil, ntkMember("Z1", "sachbearbeitung"))
	zeno := ntkUser(t, f, "TFM", "zeno", nil, ntkMember("Z2", "sachbearbeitung"))
	zach := ntkUser(t, f, "TFM", "zach", []access.Role{access.RoleLeitung}, ntkMember("Z", "abteilungsleitung"))
	rita := ntkUser(t, f, "TFM", "rita", []access.Role{access.RoleRegistratur}, ntkMember("Z", "registratur"))
	audi := ntkUser(t, f, "TFM", "audi", []access.Role{access.RoleAudit})
	pos := f.Plan(t, f.Anna, "121", "Personal")
	a := f.Akte(t, zora, pos.ID, "Personalakte Zitronenfalter")
	v := f.Vorgang(t, zora, a.ID, "Beurteilung Zitronenfalter")
	d, _ := f.Dokument(t, zora, v.ID, "Beurteilungsbeitrag", "b.txt", []byte("x"))
	srText(t, f, d, "Der Zitronenfalter arbeitet sorgfältig.")
	other := f.Akte(t, zeno, pos.ID, "Haushalt Zitronenfalter-Projekt")
	srIndex(t, f)

	all := []string{a.ID, v.ID, d.ID}
	srWant(t, f, zora, "Zitronenfalter", append(all, other.ID)[:3]...)
	srWant(t, f, zeno, "Zitronenfalter", other.ID)
	srWant(t, f, zach, "Zitronenfalter", a.ID, v.ID, d.ID, other.ID) // Abteilungsleitung sees the units below
	srWant(t, f, f.Carla, "Zitronenfalter")                          // other tenant
	_, res := srFind(t, f, zeno, srQ("Zitronenfalter"))
	if res.Anzahl != 1 || len(res.Facetten["objekt"]) != 1 || res.Facetten["objekt"][0].Anzahl != 1 {
		t.Errorf("counts and facets must only count what zeno may see: %d %+v", res.Anzahl, res.Facetten)
	}
	_, res = srFind(t, f, zeno, srQ(a.Aktenzeichen))
	if res.Direkt != nil {
		t.Errorf("direct hit on an invisible Akte: %+v", res.Direkt)
	}
	_, err := f.Svc.Search(ctx, audi, srQ("Zitronenfalter"))
	wantKind(t, err, apperr.KindForbidden) // no right to read contents

	// a grant to the other tenant: at once, without reindexing
	g, err := f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TSK", Level: records.GrantRead})
	mustOK(t, err)
	srWant(t, f, f.Carla, "Zitronenfalter", all...)
	got, res := srFind(t, f, f.Carla, srQ("sorgfältig"))
	if len(got) != 1 || res.Items[0].Mandant != "TFM" {
		t.Errorf("carla: %v %+v", got, res.Items)
	}
	_, err = f.Svc.RevokeGrant(ctx, zora, a.ID, g.ID, nil)
	mustOK(t, err)
	srWant(t, f, f.Carla, "Zitronenfalter")

	// grants to a unit and to a person of the own tenant, also at once; the
	// index names each grantee (the engine narrows by it), and the indexer
	// writes the same names when it rebuilds the rows
	gu, err := f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TFM", Unit: "Z2", Level: records.GrantRead})
	mustOK(t, err)
	srWant(t, f, zeno, "Zitronenfalter", append(all, other.ID)...)
	gp, err := f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TSK", User: "carla", Level: records.GrantRead})
	mustOK(t, err)
	srWant(t, f, f.Carla, "Zitronenfalter", all...)
	gt, err := f.Svc.Grant(ctx, zora, a.ID, records.NewGrant{Tenant: "TSK", Level: records.GrantRead})
	mustOK(t, err)
	_, err = f.Svc.Reindex(ctx)
	mustOK(t, err)
	srIndex(t, f)
	srWant(t, f, zeno, "Zitronenfalter", append(all, other.ID)...)
	srWant(t, f, f.Carla, "Zitronenfalter", all...)
	// one of two grants to carla revoked: the other still lets her find it
	_, err = f.Svc.RevokeGrant(ctx, zora, a.ID, gp.ID, nil)
	mustOK(t, err)
	srWant(t, f, f.Carla, "Zitronenfalter", all...)
	_, err = f.Svc.RevokeGrant(ctx, zora, a.ID, gt.ID, nil)
	mustOK(t, err)
	srWant(t, f, f.Carla, "Zitronenfalter")
	_, err = f.Svc.RevokeGrant(ctx, zora, a.ID, gu.ID, nil)
	mustOK(t, err)
	srWant(t, f, zeno, "Zitronenfalter", other.ID)
	srIndex(t, f)
	srWant(t, f, zeno, "Zitronenfalter", other.ID)
	srWant(t, f, zora, "Zitronenfalter", all...)

	// a restriction applies at once, before the indexer runs again
	_, err = f.Svc.Restrict(ctx, zora, "dokument", d.ID, "personal", []string{"zora"})
	mustOK(t, err)
	srWant(t, f, zach, "Zitronenfalter", a.ID, v.ID, other.ID)
	srWant(t, f, zora, "Zitronenfalter", all...)
	_, err = f.Svc.Restrict(ctx, zora, "vorgang", v.ID, "vs-nfd", []string{"zora"})
	mustOK(t, err)
	srWant(t, f, zach, "Zitronenfalter", a.ID, other.ID)
	srIndex(t, f)
	srWant(t, f, zach, "Zitronenfalter", a.ID, other.ID)
	srWant(t, f, zora, "Zitronenfalter", all...)

	// Vertretung: zeno acting for zora finds what zora finds
	now := f.Clock.Now()
	_, err = f.Svc.CreateVertretung(ctx, zora, records.NewVertretung{Vertretene: "zora", Vertreter: "zeno", Von: now.Add(-time.Hour), Bis: now.Add(time.Hour)})
	mustOK(t, err)
	asZora, err := f.Svc.ActAs(ctx, zeno, "zora")
	mustOK(t, err)
	srWant(t, f, asZora, "Zitronenfalter", all...)

	// handing the Akte over to Z2 moves it in search at once
	_, err = f.Svc.UpdateAkte(ctx, rita, a.ID, records.AktePatch{Einheit: ntkPtr("Z2")})
	mustOK(t, err)
	srWant(t, f, zeno, "Zitronenfalter", a.ID, other.ID) // not the restricted Vorgang

	// a Vorgang moved into another unit's Akte moves in search at once
	z1akte := f.Akte(t, zora, pos.ID, "Sammelakte Z1")
	vz := f.Vorgang(t, zora, z1akte.ID, "Umzug Zitronenbaum")
	srIndex(t, f)
	srWant(t, f, zora, "Zitronenbaum", vz.ID)
	srWant(t, f, zeno, "Zitronenbaum")
	_, err = f.Svc.Grant(ctx, zeno, other.ID, records.NewGrant{Tenant: "TSK", Level: records.GrantRead})
	mustOK(t, err)
	srWant(t, f, f.Carla, "Zitronenbaum")
	_, err = f.Svc.MoveVorgang(ctx, rita, vz.ID, other.ID)
	mustOK(t, err)
	srWant(t, f, zeno, "Zitronenbaum", vz.ID)
	srWant(t, f, f.Carla, "Zitronenbaum", vz.ID) // the grants of the Akte it moved into
	srWant(t, f, zora, "Zitronenbaum")
	got, _ = srFind(t, f, zeno, records.SearchRequest{Query: "Zitronenbaum", AktenplanID: pos.ID, ObjectType: "vorgang"})
	if !slices.Equal(got, []string{vz.ID}) {
		t.Errorf("moved Vorgang with filters: %v", got)
	}
}

func testSearchIndexMaintenance(t *testing.T, f *Fixture) {
	ctx := context.Background()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	pos2 := f.Plan(t, f.Anna, "122", "Fortbildung")
	a := f.Akte(t, f.Anna, pos.ID, "Lehrgang Verwaltungsrecht")
	v := f.Vorgang(t, f.Anna, a.ID, "Anmeldung Teilnehmende")
	d, _ := f.Dokument(t, f.Anna, v.ID, "Teilnehmerliste", "liste.txt", []byte("x"))
	srIndex(t, f)
	srWant(t, f, f.Anna, "Verwaltungsrecht", a.ID)

	// a changed title is found under the new words only
	_, err := f.Svc.UpdateAkte(ctx, f.Anna, a.ID, records.AktePatch{Titel: ntkPtr("Lehrgang Haushaltsrecht")})
	mustOK(t, err)
	srIndex(t, f)
	srWant(t, f, f.Anna, "Verwaltungsrecht")
	srWant(t, f, f.Anna, "Haushaltsrecht", a.ID)

	// z.d.A. of the Vorgang: status facet of the Vorgang and its Dokumente, at once
	_, err = f.Svc.CloseVorgang(ctx, f.Anna, v.ID)
	mustOK(t, err)
	got, _ := srFind(t, f, f.Anna, records.SearchRequest{Query: "az:" + v.Aktenzeichen, Status: records.StatusZdA})
	if !slices.Equal(ntkSorted(got), ntkSorted([]string{v.ID, d.ID})) {
		t.Errorf("status zda: %v", got)
	}

	// re-filing changes the Aktenzeichen of the Akte and its Vorgänge: the
	// Dokumente are found by the new one after indexing
	moved, err := f.Svc.RefileAkte(ctx, f.Anna, a.ID, pos2.ID)
	mustOK(t, err)
	srIndex(t, f)
	nv, err := f.Svc.GetVorgang(ctx, f.Anna, v.ID)
	mustOK(t, err)
	srWant(t, f, f.Anna, "az:"+nv.Aktenzeichen, v.ID, d.ID)
	srWant(t, f, f.Anna, "az:"+moved.Aktenzeichen+"*", a.ID, v.ID, d.ID)
	got, _ = srFind(t, f, f.Anna, records.SearchRequest{Query: "Teilnehmerliste", AktenplanID: pos2.ID})
	if !slices.Equal(got, []string{d.ID}) {
		t.Errorf("aktenplan filter after refile: %v", got)
	}

	// a newer text replaces the old one; an older version's late result is ignored
	mustOK(t, f.Svc.SaveText(ctx, records.DokumentText{DokumentID: d.ID, Version: 2, Status: records.TextErkannt, Text: "Neue Fassung Quittung"}))
	mustOK(t, f.Svc.SaveText(ctx, records.DokumentText{DokumentID: d.ID, Version: 1, Status: records.TextErkannt, Text: "Alte Fassung Rechnung"}))
	srIndex(t, f)
	srWant(t, f, f.Anna, "Quittung", d.ID)
	srWant(t, f, f.Anna, "Rechnung")
	dd, err := f.Svc.GetDokument(ctx, f.Anna, d.ID)
	mustOK(t, err)
	if dd.Texterkennung == nil || dd.Texterkennung.Status != records.TextErkannt {
		t.Errorf("Texterkennung %+v", dd.Texterkennung)
	}

	// a long text is indexed in chunks: words at the end are found too
	long := strings.Repeat("Wort ", records.ChunkWords*2) + "Schlussvermerk"
	mustOK(t, f.Svc.SaveText(ctx, records.DokumentText{DokumentID: d.ID, Version: 3, Status: records.TextErkannt, Text: long}))
	srIndex(t, f)
	srWant(t, f, f.Anna, "Schlussvermerk", d.ID)
	srWant(t, f, f.Anna, "Wort", d.ID) // one hit per object, not per chunk

	// reindex rebuilds everything, idempotently
	rows, _, err := f.Svc.SearchStats(ctx)
	mustOK(t, err)
	n, err := f.Svc.Reindex(ctx)
	mustOK(t, err)
	if n != 1 {
		t.Errorf("Reindex marked %d Akten, want 1", n)
	}
	srIndex(t, f)
	rows2, _, err := f.Svc.SearchStats(ctx)
	mustOK(t, err)
	if rows2 != rows {
		t.Errorf("index rows %d after reindex, %d before", rows2, rows)
	}
	srWant(t, f, f.Anna, "Schlussvermerk", d.ID)
}
