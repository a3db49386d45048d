package bench

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/records"
)

// TestSearchBenchTiny loads a small corpus and checks, for every query of
// the mix and every caller, that the search layer finds exactly the
// documents the raw engine finds among those the caller may see (and that
// pass the query's filters), over all pages. Then it measures one pass and
// checks the report's shape. No timings are asserted.
func TestSearchBenchTiny(t *testing.T) {
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			schemas := 0
			if be.name == "postgres" {
				schemas = benchSchemas(t, be.dsn)
			}
			var log strings.Builder
			o := SearchOptions{Backend: be.name, PostgresDSN: be.dsn, Dir: t.TempDir(), Docs: 2000, QueriesPerClass: 4, Rounds: 1, Batch: 300,
				ServiceIndexDocs: 1200} // the rest through bulkIndex: both paths are checked
			if err := o.defaults(); err != nil {
				t.Fatal(err)
			}
			b, err := newSearchBench(ctx, o, &log)
			if err != nil {
				t.Fatalf("newSearchBench: %v\n%s", err, log.String())
			}
			closed := false
			defer func() {
				if !closed {
					b.close()
				}
			}()
			b.collect = true
			if err := b.prepare(ctx); err != nil {
				t.Fatal(err)
			}
			if err := b.load(ctx); err != nil {
				t.Fatalf("load: %v\n%s", err, log.String())
			}
			run := b.run
			if run.Docs != o.Docs || len(b.info) != o.Docs {
				t.Fatalf("%d documents loaded, %d known, want %d", run.Docs, len(b.info), o.Docs)
			}
			if run.Load.IndexDocs != 1200 || run.Load.BulkDocs != 800 {
				t.Fatalf("%d documents indexed through ReplaceSearchDocs, %d in bulk", run.Load.IndexDocs, run.Load.BulkDocs)
			}
			if run.IndexRows < o.Docs || run.Akten == 0 || run.Vorgaenge < run.Akten || run.Granted == 0 {
				t.Fatalf("load: %d index rows, %d Akten, %d Vorgänge, %d shared", run.IndexRows, run.Akten, run.Vorgaenge, run.Granted)
			}
			var rows int
			if err := b.st.db.Writer().QueryRowContext(ctx, `SELECT COUNT(*) FROM search_docs`).Scan(&rows); err != nil {
				t.Fatal(err)
			}
			if rows != run.IndexRows {
				t.Fatalf("search_docs has %d rows, loader wrote %d", rows, run.IndexRows)
			}
			if err := b.openRaw(ctx); err != nil {
				t.Fatal(err)
			}
			if be.name == "postgres" {
				// the baselines are planned for their own tsquery
				var mode string
				if err := b.raw.QueryRowContext(ctx, `SHOW plan_cache_mode`).Scan(&mode); err != nil || mode != "force_custom_plan" {
					t.Errorf("raw connection: plan_cache_mode %q (%v), want force_custom_plan", mode, err)
				}
			}
			if be.name == "sqlite" {
				// every index stream contains the sentinel: FTS5 must hold every row
				var fts int
				if err := b.rawCount.QueryRowContext(ctx, `"ǂ"`).Scan(&fts); err != nil {
					t.Fatal(err)
				}
				if fts != rows {
					t.Fatalf("search_fts has %d rows, search_docs %d", fts, rows)
				}
			}
			seqObject := map[int64]string{}
			rs, err := b.st.db.Writer().QueryContext(ctx, `SELECT seq, object_id FROM search_docs`)
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				var seq int64
				var id string
				if err := rs.Scan(&seq, &id); err != nil {
					t.Fatal(err)
				}
				seqObject[seq] = id
			}
			rs.Close()
			unlimited, err := b.raw.PrepareContext(ctx, b.rawSQL(""))
			if err != nil {
				t.Fatal(err)
			}
			defer unlimited.Close()

			visible := []func(docInfo) bool{
				func(d docInfo) bool { return d.referat == searchReferat }, // R07
				func(d docInfo) bool { return true },                       // L: the whole tenant
				func(d docInfo) bool { return d.granted },                  // TSK: shared only
			}
			nonEmpty := make([]int, len(b.callers))
			narrower := 0
			for _, q := range b.queries {
				seqs, err := b.rawQuery(ctx, unlimited, q.render)
				if err != nil {
					t.Fatalf("raw %q: %v", q.render, err)
				}
				if len(seqs) == 0 {
					t.Errorf("query %s (%s) matches nothing in the raw engine", q.label(), q.Class)
				}
				rawObjects := map[string]bool{}
				for _, s := range seqs {
					id, ok := seqObject[s]
					if !ok {
						t.Fatalf("raw engine returned seq %d, not in search_docs", s)
					}
					rawObjects[id] = true
				}
				for c, p := range b.callers {
					want := []string{}
					for id := range rawObjects {
						d := b.info[id]
						if visible[c](d) && (q.Typ == "" || d.typ == q.Typ) && (q.Jahr == 0 || d.jahr == q.Jahr) {
							want = append(want, id)
						}
					}
					got := layerHits(t, ctx, b, p, q)
					slices.Sort(want)
					if !slices.Equal(got, want) {
						t.Errorf("query %s (%s) as %s: layer found %d objects, raw engine ∩ visible %d\n only layer: %v\n only raw: %v",
							q.label(), q.Class, SearchCallers[c], len(got), len(want), minus(got, want), minus(want, got))
					}
					// the plain baseline asks the same question
					if plain := plainHits(t, ctx, b, p, q, seqObject); !slices.Equal(plain, want) {
						t.Errorf("query %s (%s) as %s: plain SQL found %d objects, raw engine ∩ visible %d\n only plain: %v\n only raw: %v",
							q.label(), q.Class, SearchCallers[c], len(plain), len(want), minus(plain, want), minus(want, plain))
					}
					if len(got) > 0 {
						nonEmpty[c]++
					}
					if c == 0 && len(want) < len(rawObjects) {
						narrower++
					}
				}
			}
			for c, n := range nonEmpty {
				if n == 0 {
					t.Errorf("caller %s found nothing with any query: the check proves nothing for it", SearchCallers[c])
				}
			}
			if narrower == 0 {
				t.Errorf("access control never narrowed a result of %s", SearchCallers[0])
			}

			// One measured pass and the report.
			if err := b.measure(ctx); err != nil {
				t.Fatalf("measure: %v\n%s", err, log.String())
			}
			rep := SearchReport{Env: environment(), Options: o, Runs: []SearchRun{b.run}}
			if want := (len(SearchClasses) + 1) * len(SearchCallers); len(b.run.Series) != want {
				t.Fatalf("%d series, want %d", len(b.run.Series), want)
			}
			for _, s := range b.run.Series {
				if n := countClass(b.queries, s.Class); s.Class != "all" && s.Layer.Samples != n*o.Rounds {
					t.Errorf("series %s/%s: %d samples, want %d", s.Class, s.Caller, s.Layer.Samples, n*o.Rounds)
				}
			}
			md := rep.Markdown()
			for _, want := range append([]string{"#### Indexing", "#### Index size", "#### Targets", "search_fts"}, SearchClasses...) {
				if want == "search_fts" && be.name == "postgres" {
					want = "search_docs_tsv (GIN)"
				}
				if !strings.Contains(md, want) {
					t.Errorf("report lacks %q", want)
				}
			}
			// the engine's own ranked first page: timed in every measured
			// pass, a full page of matches
			for _, q := range b.run.Queries {
				if want := min(20, q.Matches); q.RankedRows != want || q.RankedP50 <= 0 {
					t.Errorf("ranked %q: %d rows in %s, want %d", q.Query, q.RankedRows, q.RankedP50, want)
				}
			}
			for _, l := range b.run.Ranked {
				if n := countClass(b.queries, l.Name); l.Name != "all" && l.Samples != n*o.Rounds {
					t.Errorf("ranked %s: %d samples, want %d", l.Name, l.Samples, n*o.Rounds)
				}
			}
			// the plain baseline: timed for every caller in every measured
			// pass, a full page of what the caller sees
			for _, q := range b.run.Queries {
				for _, c := range q.Callers {
					if want := min(20, c.Anzahl); c.PlainRows < want || c.PlainRows > 20 || c.PlainP50 <= 0 {
						t.Errorf("plain %q as %s: %d rows in %s, want at least %d", q.Query, c.Caller, c.PlainRows, c.PlainP50, want)
					}
				}
			}
			for _, s := range b.run.Series {
				if n := countClass(b.queries, s.Class); s.Class != "all" && s.Plain.Samples != n*o.Rounds {
					t.Errorf("plain %s/%s: %d samples, want %d", s.Class, s.Caller, s.Plain.Samples, n*o.Rounds)
				}
			}
			if len(rep.Checks()) != 5*len(SearchCallers) {
				t.Errorf("%d checks", len(rep.Checks()))
			}
			b.close()
			closed = true
			if be.name == "postgres" {
				if n := benchSchemas(t, be.dsn); n != schemas {
					t.Errorf("%d bench schemas after the run, %d before", n, schemas)
				}
			}
		})
	}
}

// layerHits pages through every result of q for p and returns the object
// ids, failing on an object listed twice.
func layerHits(t *testing.T, ctx context.Context, b *searchBench, p records.Principal, q benchQuery) []string {
	t.Helper()
	req := b.request(q)
	req.Limit = 100
	seen := map[string]bool{}
	var out []string
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatalf("query %s: more than 1000 pages", q.label())
		}
		res, err := b.svc.Search(ctx, p, req)
		if err != nil {
			t.Fatalf("search %s: %v", q.label(), err)
		}
		for _, h := range res.Items {
			if h.ObjectType != records.ObjDokument {
				t.Fatalf("query %s: hit of type %s", q.label(), h.ObjectType)
			}
			if seen[h.ID] {
				t.Errorf("query %s as %s: %s listed twice", q.label(), p.Login, h.ID)
				continue
			}
			seen[h.ID] = true
			out = append(out, h.ID)
		}
		if res.NextCursor == nil {
			break
		}
		req.Cursor = *res.NextCursor
	}
	slices.Sort(out)
	return out
}

// plainHits runs the plain baseline's statement for q and p without a
// practical limit and returns the matching objects.
func plainHits(t *testing.T, ctx context.Context, b *searchBench, p records.Principal, q benchQuery, seqObject map[int64]string) []string {
	t.Helper()
	sq, err := b.svc.CandidateQuery(p, b.request(q))
	if err != nil {
		t.Fatal(err)
	}
	stmt, args := b.st.db.PlainSearchSQL(sq, q.render, 1_000_000)
	rs, err := b.raw.QueryContext(ctx, stmt, args...)
	if err != nil {
		t.Fatalf("plain %s: %v", q.label(), err)
	}
	defer rs.Close()
	seen := map[string]bool{}
	out := []string{}
	for rs.Next() {
		var seq int64
		if err := rs.Scan(&seq); err != nil {
			t.Fatal(err)
		}
		if id := seqObject[seq]; !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	if len(out) > 5 {
		out = append(out[:5], "…")
	}
	return out
}

// TestSearchBenchReuse keeps a small run's data and measures it again
// with Reuse: nothing is loaded, the same queries find the same matches,
// and the kept data stays (the test removes it).
func TestSearchBenchReuse(t *testing.T) {
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			var log strings.Builder
			o := SearchOptions{Backend: be.name, PostgresDSN: be.dsn, Dir: t.TempDir(), Docs: 600, QueriesPerClass: 2, Rounds: 1, Batch: 200, Keep: true}
			first, err := RunSearch(ctx, o, &log)
			if err != nil {
				t.Fatalf("first run: %v\n%s", err, log.String())
			}
			kept := first.Runs[0].Reuse
			if kept == "" {
				t.Fatalf("nothing kept: %+v", first.Runs[0].KeptAt)
			}
			t.Cleanup(func() {
				if be.name != "postgres" {
					return // in t.TempDir()
				}
				db, err := sql.Open("pgx", be.dsn)
				if err == nil {
					db.Exec("DROP SCHEMA " + kept + " CASCADE")
					db.Close()
				}
			})
			o.Keep, o.Reuse = false, kept
			again, err := RunSearch(ctx, o, &log)
			if err != nil {
				t.Fatalf("reuse: %v\n%s", err, log.String())
			}
			a, b := first.Runs[0], again.Runs[0]
			if b.Docs != a.Docs || b.IndexRows != a.IndexRows || b.Granted != a.Granted || b.Load.IndexDocs != 0 {
				t.Fatalf("reuse counted %d docs, %d rows, %d shared (indexed %d); first run %d, %d, %d",
					b.Docs, b.IndexRows, b.Granted, b.Load.IndexDocs, a.Docs, a.IndexRows, a.Granted)
			}
			if len(b.Queries) != len(a.Queries) {
				t.Fatalf("%d queries, first run %d", len(b.Queries), len(a.Queries))
			}
			for i := range a.Queries {
				qa, qb := a.Queries[i], b.Queries[i]
				if qa.Query != qb.Query || qa.Matches != qb.Matches {
					t.Errorf("query %d: %q %d matches, first run %q %d", i, qb.Query, qb.Matches, qa.Query, qa.Matches)
				}
				for c := range qa.Callers {
					if qa.Callers[c].Anzahl != qb.Callers[c].Anzahl {
						t.Errorf("query %q as %s: %d hits, first run %d", qa.Query, qa.Callers[c].Caller, qb.Callers[c].Anzahl, qa.Callers[c].Anzahl)
					}
				}
			}
			// the data is still there
			o.Reuse = kept
			if _, err := RunSearch(ctx, SearchOptions{Backend: be.name, PostgresDSN: be.dsn, Dir: t.TempDir(), Docs: 600, QueriesPerClass: 1, Rounds: 1, Reuse: kept}, &log); err != nil {
				t.Fatalf("second reuse: %v", err)
			}
		})
	}
}

// The mix check takes the worst of the three percentiles.
func TestMixRatioCheck(t *testing.T) {
	all := SearchSeries{Layer: Latency{P50: 10 * time.Millisecond, P95: 40 * time.Millisecond, P99: 90 * time.Millisecond},
		Plain: Latency{Samples: 60, P50: 20 * time.Millisecond, P95: 30 * time.Millisecond, P99: 60 * time.Millisecond}}
	c := mixRatioCheck("sqlite", "L", all)
	if !c.Met || c.Value != "×0.50 / ×1.33 / ×1.50" {
		t.Errorf("within: %+v", c)
	}
	all.Layer.P99 = 91 * time.Millisecond
	if c := mixRatioCheck("sqlite", "L", all); c.Met {
		t.Errorf("p99 ×1.52 counted as met: %+v", c)
	}
	all.Layer.P99, all.Layer.P50 = 10*time.Millisecond, 31*time.Millisecond
	if c := mixRatioCheck("sqlite", "L", all); c.Met {
		t.Errorf("p50 ×1.55 counted as met: %+v", c)
	}
}
