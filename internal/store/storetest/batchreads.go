package storetest

import (
	"context"
	"strings"
	"testing"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

func init() {
	moreCases = append(moreCases, Case{"SearchBatchReads", testSearchBatchReads})
}

// testSearchBatchReads: the reads a search page does in one statement
// each (the Aktenplan labels of its facets, the texts of its snippets)
// return exactly the rows asked for, of the tenant asked for, cut to the
// characters asked for.
func testSearchBatchReads(t *testing.T, f *Fixture) {
	ctx := context.Background()
	tskAdmin := f.user(t, "TSK", "tina", access.RoleAdmin, access.RoleRegistratur)
	p1 := f.Plan(t, f.Anna, "1", "Haushalt")
	p2 := f.Plan(t, f.Anna, "2", "Förderung")
	other := f.Plan(t, tskAdmin, "1", "Kabinett")

	akte, err := f.Svc.CreateAkte(ctx, f.Anna, records.NewAkte{AktenplanID: p1.ID, Titel: "Zuwendungen", Beschreibung: "Mittel für Vereine"})
	mustOK(t, err)
	tskAkte := f.Akte(t, tskAdmin, other.ID, "Kabinettssitzungen")
	v := f.Vorgang(t, f.Anna, akte.ID, "Antrag")
	lang, _ := f.Dokument(t, f.Anna, v.ID, "Langer Text", "a.txt", []byte("a"))
	kurz, _ := f.Dokument(t, f.Anna, v.ID, "Kurzer Text", "b.txt", []byte("b"))
	ohne, _ := f.Dokument(t, f.Anna, v.ID, "Ohne Text", "c.txt", []byte("c"))
	srText(t, f, ohne, "")
	long := strings.Repeat("Übermäßige Größe ", 50) // umlauts: characters, not bytes
	srText(t, f, lang, long)
	srText(t, f, kurz, "Straße")

	mustOK(t, f.Svc.Store().Read(ctx, func(tx records.Tx) error {
		es, err := tx.AktenplanEntries(ctx, f.Anna.TenantID, []string{p1.ID, p2.ID, other.ID, "0190c0de-0000-7000-8000-000000000000"})
		if err != nil {
			return err
		}
		if len(es) != 2 || es[p1.ID].Kennzeichen != "1" || es[p1.ID].Titel != "Haushalt" || es[p2.ID].Titel != "Förderung" {
			t.Errorf("AktenplanEntries(TFM): %+v, want the two TFM positions only", es)
		}
		if _, leaked := es[other.ID]; leaked {
			t.Errorf("AktenplanEntries(TFM) returned the TSK position")
		}
		if es, err := tx.AktenplanEntries(ctx, tskAdmin.TenantID, []string{p1.ID, other.ID}); err != nil || len(es) != 1 || es[other.ID].Titel != "Kabinett" {
			t.Errorf("AktenplanEntries(TSK): %+v %v, want the TSK position only", es, err)
		}
		if es, err := tx.AktenplanEntries(ctx, f.Anna.TenantID, nil); err != nil || len(es) != 0 {
			t.Errorf("AktenplanEntries(none): %+v %v", es, err)
		}

		texts, err := tx.DokumentTextHeads(ctx, []string{lang.ID, kurz.ID, ohne.ID}, 100)
		if err != nil {
			return err
		}
		if want := string([]rune(long)[:100]); texts[lang.ID] != want {
			t.Errorf("long text cut to %d characters (%q), want 100", len([]rune(texts[lang.ID])), texts[lang.ID])
		}
		if texts[kurz.ID] != "Straße" {
			t.Errorf("short text %q", texts[kurz.ID])
		}
		if _, ok := texts[ohne.ID]; ok || len(texts) != 2 {
			t.Errorf("DokumentTextHeads: %d texts, want 2 (none for the Dokument without text)", len(texts))
		}
		if texts, err := tx.DokumentTextHeads(ctx, nil, 100); err != nil || len(texts) != 0 {
			t.Errorf("DokumentTextHeads(none): %v %v", texts, err)
		}

		// Akten and Vorgänge by id, in any tenant (like FindAkte)
		missing := "0190c0de-0000-7000-8000-000000000000"
		as, err := tx.FindAkten(ctx, []string{akte.ID, tskAkte.ID, missing})
		if err != nil {
			return err
		}
		if len(as) != 2 || as[akte.ID].Titel != "Zuwendungen" || as[akte.ID].Beschreibung != "Mittel für Vereine" ||
			as[tskAkte.ID].Titel != "Kabinettssitzungen" || as[tskAkte.ID].TenantID != tskAdmin.TenantID {
			t.Errorf("FindAkten: %+v, want the two Akten", as)
		}
		vs, err := tx.FindVorgaenge(ctx, []string{v.ID, missing, akte.ID})
		if err != nil {
			return err
		}
		if len(vs) != 1 || vs[v.ID].Betreff != "Antrag" || vs[v.ID].AkteID != akte.ID {
			t.Errorf("FindVorgaenge: %+v, want the one Vorgang (an Akte id is not one)", vs)
		}
		if as, err := tx.FindAkten(ctx, nil); err != nil || len(as) != 0 {
			t.Errorf("FindAkten(none): %v %v", as, err)
		}
		if vs, err := tx.FindVorgaenge(ctx, nil); err != nil || len(vs) != 0 {
			t.Errorf("FindVorgaenge(none): %v %v", vs, err)
		}
		return nil
	}))

	// and through the search: facet labels and snippets come from them
	srIndex(t, f)
	_, res := srFind(t, f, f.Anna, records.SearchRequest{Query: "Straße"})
	if len(res.Items) != 1 || !strings.Contains(res.Items[0].AusschnittHTML, "<mark>Straße</mark>") {
		t.Errorf("search Straße: %+v", res.Items)
	}
	if fs := res.Facetten["aktenplan"]; len(fs) != 1 || fs[0].Bezeichnung != "1 Haushalt" {
		t.Errorf("aktenplan facet: %+v", fs)
	}
	// the snippets of an Akte and a Vorgang come from FindAkten and
	// FindVorgaenge
	_, res = srFind(t, f, f.Anna, records.SearchRequest{Query: "Vereine OR Antrag"})
	snips := map[string]string{}
	for _, h := range res.Items {
		snips[h.ObjectType] = h.AusschnittHTML
	}
	if !strings.Contains(snips[records.ObjAkte], "Zuwendungen. Mittel für <mark>Vereine</mark>") || !strings.Contains(snips[records.ObjVorgang], "<mark>Antrag</mark>") {
		t.Errorf("search Vereine OR Antrag: snippets %q", snips)
	}
}
