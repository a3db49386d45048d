package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"aktenwerk/internal/records"
	"aktenwerk/internal/search/corpus"
	"aktenwerk/internal/store/sqldb"
)

// The relevance set (internal/search/corpus/testdata/relevanz.json) through
// the real search service on every backend: a generated German background
// corpus plus planted needle documents, indexed exactly as the indexer
// would (records.IndexRows), and every query must return exactly the
// expected documents, in the expected order where one is given. So both
// backends return the same results for the same query.

func init() {
	moreCases = append(moreCases, Case{"SearchRelevance", testSearchRelevance})
}

// relevanceBackground is the number of generated documents around the
// needles (none of them contains a needle word: the corpus tests check it).
const relevanceBackground = 3000

func testSearchRelevance(t *testing.T, f *Fixture) {
	ctx := context.Background()
	cases, err := corpus.RelevanceSet()
	mustOK(t, err)
	if len(cases) < 30 {
		t.Fatalf("relevance set has %d queries, want at least 30", len(cases))
	}
	tenant := f.Anna.TenantID
	var batch []corpus.Doc
	flush := func() {
		err := f.DB.Write(ctx, func(tx records.Tx) error {
			for _, d := range batch {
				base := records.SearchDoc{ObjectID: d.Ref, ObjectType: records.ObjDokument, TenantID: tenant, AkteID: d.AkteRef,
					VorgangID: d.VorgangRef, AktenplanID: d.AktenplanKennzeichen, Aktenzeichen: d.VorgangAktenzeichen,
					Titel: d.Betreff, Typ: d.Typ, Status: records.StatusOffen, Datum: d.Datum.Format("2006-01-02")}
				sd := d.SearchDoc()
				text := sd.Text
				sd.Text = ""
				if err := tx.ReplaceSearchDocs(ctx, d.Ref, records.IndexRows(base, sd, text), f.Clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		mustOK(t, err)
		batch = batch[:0]
	}
	mustOK(t, corpus.Generate(corpus.Options{Seed: 1, Docs: relevanceBackground}, func(d corpus.Doc) error {
		batch = append(batch, d)
		if len(batch) == 500 {
			flush()
		}
		return nil
	}))
	// needles last, in ref order: equal scores and dates then rank the
	// higher ref first (newer index row), as the set's tie-break expects
	batch = append(batch, corpus.Needles()...)
	flush()

	check := func(when string) {
		for _, c := range cases {
			res, err := f.Svc.Search(ctx, f.Anna, records.SearchRequest{Query: c.Query, Limit: 100})
			if err != nil {
				t.Errorf("%s: %q: %v", when, c.Query, err)
				continue
			}
			got := []string{}
			for _, h := range res.Items {
				got = append(got, h.ID)
			}
			want := slices.Clone(c.Hits)
			if !c.Ordered {
				slices.Sort(got)
				slices.Sort(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: %q (%s):\n got %v\nwant %v", when, c.Query, c.Note, got, want)
			}
			if res.Anzahl != len(c.Hits) || !res.AnzahlGenau {
				t.Errorf("%s: %q: count %d (exact %v), want %d", when, c.Query, res.Anzahl, res.AnzahlGenau, len(c.Hits))
			}
		}
	}
	// Frequent background words, prefixes and combinations (no expected
	// lists: they must only answer the same with and without statistics).
	frequent := []string{"Herr", "Stellungnahme", "Bescheid Frist", "Betr*", "Arbei*", `"Herr Bescheid"`, "Zuständige NOT Frist", "Fluchtweg"}
	// every page, through the window and the pages after it
	pages := func() map[string][]string {
		out := map[string][]string{}
		for _, q := range frequent {
			req := records.SearchRequest{Query: q, Limit: 100}
			for page := 0; ; page++ {
				if page > 100 {
					t.Fatalf("%q: more than 100 pages", q)
				}
				res, err := f.Svc.Search(ctx, f.Anna, req)
				mustOK(t, err)
				for _, h := range res.Items {
					out[q] = append(out[q], h.ID)
				}
				if page == 0 {
					out[q] = append(out[q], fmt.Sprint(res.Anzahl, res.AnzahlGenau))
				}
				if res.NextCursor == nil {
					break
				}
				req.Cursor = *res.NextCursor
			}
		}
		return out
	}
	check("without statistics")
	before := pages()
	// With term statistics PostgreSQL chooses per query between walking
	// the newest rows and collecting the matches from the index: the
	// results must not depend on it.
	mustOK(t, f.DB.AnalyzeSearch(ctx))
	check("with statistics")
	after := pages()
	// PostgreSQL: every query in many small windows of seq (on 1 M
	// documents only queries with tens of thousands of matches take them)
	f.DB.TuneSearch(sqldb.SearchTuning{WalkShare: 2, MaxWindows: 6, FirstWindow: 40, BroadCover: 0.5, NoNarrowing: 0.9})
	defer f.DB.TuneSearch(sqldb.DefaultSearchTuning)
	windowsBefore := f.DB.SearchPlans()["window"]
	check("in windows")
	windowed := pages()
	if f.DB.Backend() == "postgres" && f.DB.SearchPlans()["window"]-windowsBefore < int64(3*len(cases)) {
		t.Errorf("the window path ran %d statements for %d queries", f.DB.SearchPlans()["window"]-windowsBefore, len(cases)+len(frequent))
	}
	// PostgreSQL: a query with a prefix takes windows only at many more
	// expected matches than one without (PrefixWindowMatches)
	f.DB.TuneSearch(sqldb.SearchTuning{WalkShare: 2, WindowMatches: 0, PrefixWindowMatches: 1e9, MaxWindows: 4, BroadCover: 0.5, NoNarrowing: 0.9})
	for q, want := range map[string]string{"Betr*": "bitmap", "Herr": "windows"} {
		plans := f.DB.SearchPlans()
		res, err := f.Svc.Search(ctx, f.Anna, records.SearchRequest{Query: q, Limit: 5})
		mustOK(t, err)
		if len(res.Items) == 0 {
			t.Errorf("%q: no hits", q)
		}
		if got := f.DB.SearchPlans()[want] - plans[want]; f.DB.Backend() == "postgres" && got != 1 {
			t.Errorf("%q: plan %s taken %d times, want once; plans before %v, after %v", q, want, got, plans, f.DB.SearchPlans())
		}
	}
	// The narrowing terms only narrow: left out for every caller (as for
	// one who sees nearly every row), the results are the same.
	unTune := sqldb.DefaultSearchTuning
	unTune.NoNarrowing = 0
	f.DB.TuneSearch(unTune)
	unBefore := f.DB.SearchPlans()["unnarrowed"]
	check("without narrowing")
	unnarrowed := pages()
	if n := f.DB.SearchPlans()["unnarrowed"] - unBefore; n < int64(len(cases)) {
		t.Errorf("the narrowing was left out %d times for %d queries", n, len(cases)+len(frequent))
	}
	long := 0
	for _, q := range frequent {
		if len(before[q]) < 2 && q != "Fluchtweg" {
			t.Errorf("%q: no hits, the check would prove nothing", q)
		}
		if len(before[q]) > records.SearchWindow {
			long++ // pages after the window were compared too
		}
		for when, got := range map[string][]string{"with statistics": after[q], "in windows": windowed[q], "without narrowing": unnarrowed[q]} {
			if d := firstDiff(got, before[q]); d >= 0 {
				t.Errorf("%q %s: %d entries, want %d; first difference at %d: %v, want %v", q, when, len(got), len(before[q]), d,
					got[d:min(d+3, len(got))], before[q][d:min(d+3, len(before[q]))])
			}
		}
	}
	if long == 0 {
		t.Error("no query has more hits than the window: the pages after it went unchecked")
	}
}

// firstDiff is the first index where a and b differ, -1 if they are equal.
func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}
