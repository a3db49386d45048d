package bench

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type backend struct{ name, dsn string }

func backends(t *testing.T) []backend {
	bs := []backend{{name: "sqlite"}}
	if dsn := os.Getenv("AKTENWERK_TEST_POSTGRES"); dsn != "" {
		bs = append(bs, backend{"postgres", dsn})
	} else {
		t.Log("AKTENWERK_TEST_POSTGRES not set: PostgreSQL not benchmarked in this run")
	}
	return bs
}

func tiny(b backend, dir string) Options {
	return Options{Backend: b.name, PostgresDSN: b.dsn, Dir: dir, Uploads: 20, Concurrency: []int{1, 4},
		DocSize: 4 << 10, Dokumente: 120, AktenSteps: []int{150, 110}, Samples: 15, Warmup: 3}
}

func benchSchemas(t *testing.T, dsn string) int {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM pg_namespace WHERE nspname LIKE 'awbench\_%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRunTiny(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			dir := t.TempDir()
			schemas := 0
			if b.name == "postgres" {
				schemas = benchSchemas(t, b.dsn)
			}
			var log strings.Builder
			rep, err := Run(context.Background(), tiny(b, dir), &log)
			if err != nil {
				t.Fatalf("Run: %v\n%s", err, log.String())
			}
			if len(rep.Results) != 1 {
				t.Fatalf("%d results", len(rep.Results))
			}
			res := rep.Results[0]
			if res.Backend != b.name {
				t.Errorf("backend %q", res.Backend)
			}
			wantVersion := map[string]string{"sqlite": "SQLite 3.", "postgres": "PostgreSQL "}[b.name]
			if !strings.HasPrefix(res.BackendInfo.Version, wantVersion) || strings.Contains(res.BackendInfo.Version, "?") {
				t.Errorf("backend version %q", res.BackendInfo.Version)
			}
			if b.name == "sqlite" && !strings.Contains(strings.Join(res.BackendInfo.Settings, " "), "synchronous=FULL") {
				t.Errorf("SQLite settings %v: the writer must run with synchronous=FULL", res.BackendInfo.Settings)
			}

			// Uploads: one result per concurrency level, plausible numbers.
			if len(res.Uploads) != 2 || res.Uploads[0].Concurrency != 1 || res.Uploads[1].Concurrency != 4 {
				t.Fatalf("uploads %+v", res.Uploads)
			}
			for _, u := range res.Uploads {
				if u.Docs != 20 || u.DocsPerSec <= 0 || u.Raw.DocsPerSec <= 0 || u.Ratio <= 0 {
					t.Errorf("upload C=%d: %+v", u.Concurrency, u)
				}
				if u.Raw.FileMean <= 0 || u.Raw.InsertMean <= 0 {
					t.Errorf("raw parts not measured: %+v", u.Raw)
				}
				if d := u.DocsPerSec - float64(u.Docs)/u.Elapsed.Seconds(); d > 1e-6 || d < -1e-6 {
					t.Errorf("docs/s %.3f does not match %d docs in %s", u.DocsPerSec, u.Docs, u.Elapsed)
				}
				checkLatency(t, u.Latency, 20)
				checkLatency(t, u.Raw.Latency, 20)
			}

			// The phase breakdown ran with the one-client level.
			if res.Phases.Docs != 20 || len(res.Phases.Phases) != 4 {
				t.Errorf("phases %+v", res.Phases)
			}
			for _, l := range res.Phases.Phases {
				checkLatency(t, l, 20)
			}
			checkLatency(t, res.Phases.Total, 20)

			// Dokumente: four series of 15 samples.
			if res.Dokumente.Dokumente != 120 || res.Dokumente.Listed != 120 || len(res.Dokumente.Series) != 4 {
				t.Errorf("dokumente %+v", res.Dokumente)
			}
			for _, l := range res.Dokumente.Series {
				checkLatency(t, l, 15)
			}

			// Akten: steps in ascending order, each fully listed by every
			// caller; four series of "bench", up to four of "referat", one of TSK.
			if len(res.Akten) != 2 || res.Akten[0].Akten != 110 || res.Akten[1].Akten != 150 {
				t.Fatalf("akten steps %+v", res.Akten)
			}
			for _, st := range res.Akten {
				if st.Listed != st.Akten || st.Foreign != 0 || st.WalkPages < 2 {
					t.Errorf("step %d: listed %d, foreign %d, %d pages", st.Akten, st.Listed, st.Foreign, st.WalkPages)
				}
				// 107 of 110 (147 of 150) Akten are spread over 20 Referate.
				if st.UnitVisible < 1 || st.UnitVisible > st.Akten/4 || st.UnitListed != st.UnitVisible || st.UnitOther != 0 {
					t.Errorf("step %d: R07 has %d Akten, referat listed %d and %d others", st.Akten, st.UnitVisible, st.UnitListed, st.UnitOther)
				}
				if st.Granted != 1 || st.GrantedListed != 1 || st.OtherOwnListed != st.Akten || st.UngrantedListed != 0 {
					t.Errorf("step %d: TSK listed %d own, %d of %d granted, %d not granted", st.Akten, st.OtherOwnListed, st.GrantedListed, st.Granted, st.UngrantedListed)
				}
				want := map[string]string{
					"GET /akten/{id}": CallerAll, "list Akten, first page": CallerAll, "list Akten, deep page (random cursor)": CallerAll,
					"GET /aktenzeichen?az=…": CallerAll, "list Akten, member of 1 of 20 units (first page)": CallerUnit,
					"GET /akten/{id} of its unit": CallerUnit, "GET /akten/{id} of another unit → 404": CallerUnit,
					"list Akten incl. granted (first page)": CallerOther,
				}
				if st.Akten+st.Granted >= 2*pageSize {
					want["list Akten incl. granted (deep page)"] = CallerOther
				}
				if st.UnitVisible >= 2*pageSize {
					want["list Akten, member of 1 of 20 units (deep page)"] = CallerUnit
				}
				if len(st.Series) != len(want) {
					t.Errorf("step %d: %d series, want %d", st.Akten, len(st.Series), len(want))
				}
				for _, l := range st.Series {
					if c, ok := want[l.Name]; !ok || c != l.Caller {
						t.Errorf("step %d: series %q by %q", st.Akten, l.Name, l.Caller)
					}
					checkLatency(t, l, 15)
				}
				checkLatency(t, st.Control, len(want)*15)
			}
			// 110 Akten per tenant: 2 TFM Akten came from the service before,
			// one comes after seeding, so 107 + 110 Akten and one grant are
			// seeded.
			if got := res.Akten[0].Seeded; got != 107+110+1 {
				t.Errorf("seeded %d rows at the first step, want %d", got, 107+110+1)
			}
			sc := res.Scoping
			if !sc.OK() || sc.ForeignGets != 40 || sc.AktenListed != 150 || sc.UnitGets != 2*(15+3) || sc.GrantedListed != 1 || sc.OtherOwnListed != 150 {
				t.Errorf("scoping %+v", sc)
			}

			md := rep.Markdown()
			for _, want := range []string{"### Environment", "### Upload", "### Targets", "| " + b.name + " | 4 |", "GET /akten/{id}", "list Akten, deep page", "control: GET /ich",
				"| " + CallerUnit + " | list Akten, member of 1 of 20 units (first page) |", "| " + CallerOther + " | list Akten incl. granted (first page) |",
				"p95 GET /akten/{id} of another unit → 404 [" + CallerUnit + "] (150 Akten) < 20 ms",
				"need-to-know (member of 1 of 20 units sees exactly its unit's Akten) | list: ", "grants (second tenant sees its own Akten and exactly the granted ones) | list: 150/150 own + 1/1 granted"} {
				if !strings.Contains(md, want) {
					t.Errorf("markdown lacks %q", want)
				}
			}
			if !strings.Contains(md, "tenant scoping (second tenant invisible) | list: 150/150 own, 0 foreign") {
				t.Errorf("markdown scoping line missing:\n%s", md)
			}

			// Nothing is left behind.
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("temporary data left in %s: %v", dir, entries)
			}
			if b.name == "postgres" {
				if n := benchSchemas(t, b.dsn); n != schemas {
					t.Errorf("%d awbench schemas after the run, %d before", n, schemas)
				}
			}
		})
	}
}

func checkLatency(t *testing.T, l Latency, samples int) {
	t.Helper()
	if l.Samples != samples || l.P50 <= 0 || l.P50 > l.P95 || l.P95 > l.P99 || l.P99 > l.Max || l.Mean <= 0 || l.Max > time.Minute {
		t.Errorf("implausible latency %+v", l)
	}
}

// TestSeededTenantInvisible checks tenant scoping of bulk-seeded Akten
// independently of the benchmark's own checks: seed both tenants, then ask
// the API as the first tenant.
func TestSeededTenantInvisible(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			o := tiny(b, t.TempDir())
			if err := o.defaults(); err != nil {
				t.Fatal(err)
			}
			st, err := newStack(ctx, o, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			defer st.close(io.Discard)
			if err := st.seedAkten(ctx, &st.tfm, 70); err != nil {
				t.Fatal(err)
			}
			if err := st.seedAkten(ctx, &st.tsk, 90); err != nil {
				t.Fatal(err)
			}
			// The service keeps numbering after the seeded rows.
			a, err := st.createAkte(ctx, &st.tfm, 0, "Nach dem Import")
			if err != nil {
				t.Fatalf("CreateAkte after seeding: %v", err)
			}

			own := map[string]bool{}
			for _, id := range st.tfm.akten {
				own[id] = true
			}
			ids, _, _, _, err := st.walk(ctx, st.tfm.token, "/api/v1/akten")
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 71 {
				t.Errorf("TFM lists %d Akten, want 71", len(ids))
			}
			for _, id := range ids {
				if !own[id] {
					t.Errorf("TFM lists %s, which is not its own", id)
				}
			}
			for i, id := range st.tsk.akten {
				status, _, _, err := st.get(ctx, st.tfm.token, "/api/v1/akten/"+id)
				if err != nil {
					t.Fatal(err)
				}
				if status != http.StatusNotFound {
					t.Errorf("TFM GET of TSK Akte %s: status %d, want 404", id, status)
				}
				if i >= 10 {
					break
				}
			}
			status, body, _, err := st.get(ctx, st.tfm.token, "/api/v1/akten/"+a.ID)
			if err != nil || status != http.StatusOK || !strings.Contains(string(body), a.Aktenzeichen) {
				t.Errorf("GET of the service-created Akte: %d %s %v", status, body, err)
			}
			// The seeded Aktenzeichen are registered: the lookup finds them.
			status, body, _, err = st.get(ctx, st.tfm.token, "/api/v1/aktenzeichen?az="+st.tfm.azs[5])
			if err != nil || status != http.StatusOK || !strings.Contains(string(body), st.tfm.akten[5]) {
				t.Errorf("lookup of seeded %s: %d %s %v", st.tfm.azs[5], status, body, err)
			}
			tskIDs, _, _, _, err := st.walk(ctx, st.tsk.token, "/api/v1/akten")
			if err != nil {
				t.Fatal(err)
			}
			if len(tskIDs) != 90 {
				t.Errorf("TSK lists %d Akten, want 90", len(tskIDs))
			}

			// Need-to-know: the seeded Akten belong to the Referate; the
			// member of R07 sees exactly those of R07, and a GET of another
			// Referat's Akte is 404.
			r07 := map[string]bool{}
			var other string
			for k, o := range st.tfm.owner {
				switch {
				case o == benchReferat:
					r07[st.tfm.akten[k]] = true
				case o >= 0:
					other = st.tfm.akten[k]
				}
				if k < 70 && o < 0 {
					t.Errorf("seeded Akte %d has no Referat", k)
				}
			}
			if st.tfm.owner[70] != -1 {
				t.Errorf("the service-created Akte belongs to Referat %d, want L", st.tfm.owner[70])
			}
			refIDs, _, _, _, err := st.walk(ctx, st.referat.token, "/api/v1/akten")
			if err != nil {
				t.Fatal(err)
			}
			if len(refIDs) != len(r07) {
				t.Errorf("referat lists %d Akten, R07 has %d", len(refIDs), len(r07))
			}
			for _, id := range refIDs {
				if !r07[id] {
					t.Errorf("referat lists %s, not an Akte of R07", id)
				}
			}
			if status, _, _, err := st.get(ctx, st.referat.token, "/api/v1/akten/"+other); err != nil || status != http.StatusNotFound {
				t.Errorf("referat GET of another Referat's Akte: %d %v, want 404", status, err)
			}

			// Grants: the shared Akten appear in TSK's list, and only they.
			if n, err := st.seedGrants(ctx, &st.tfm, &st.tsk, 5); err != nil || n != 5 {
				t.Fatalf("seedGrants: %d %v", n, err)
			}
			tskIDs, _, _, _, err = st.walk(ctx, st.tsk.token, "/api/v1/akten")
			if err != nil {
				t.Fatal(err)
			}
			granted := 0
			for _, id := range tskIDs {
				if own[id] {
					if !st.tfm.granted[id] {
						t.Errorf("TSK lists TFM's Akte %s without a grant", id)
					}
					granted++
				}
			}
			if len(tskIDs) != 95 || granted != 5 {
				t.Errorf("TSK lists %d Akten, %d granted; want 95, 5", len(tskIDs), granted)
			}
			for id := range st.tfm.granted {
				if status, _, _, err := st.get(ctx, st.tsk.token, "/api/v1/akten/"+id); err != nil || status != http.StatusOK {
					t.Errorf("TSK GET of granted Akte %s: %d %v", id, status, err)
				}
			}
		})
	}
}

func TestUpdateDocument(t *testing.T) {
	path := filepath.Join(t.TempDir(), "benchmarks.md")
	if err := UpdateDocument(path, "first\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != BeginMarker+"\nfirst\n"+EndMarker+"\n" {
		t.Fatalf("new file:\n%s", b)
	}
	doc := "# Title\n\nAnalysis before.\n\n" + string(b) + "\n## After\n\nMore analysis.\n"
	os.WriteFile(path, []byte(doc), 0o644)
	if err := UpdateDocument(path, "second\n| a | b |\n"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	want := "# Title\n\nAnalysis before.\n\n" + BeginMarker + "\nsecond\n| a | b |\n" + EndMarker + "\n\n## After\n\nMore analysis.\n"
	if string(b) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", b, want)
	}
}

func TestOptionsValidation(t *testing.T) {
	for _, o := range []Options{{Backend: "mysql"}, {Backend: "postgres"}, {Concurrency: []int{0}}, {AktenSteps: []int{5}}} {
		if err := o.defaults(); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	o := Options{AktenSteps: []int{100000, 1000, 1000}}
	if err := o.defaults(); err != nil || len(o.AktenSteps) != 2 || o.AktenSteps[0] != 1000 || o.Uploads != 500 || o.DocSize != 10<<10 {
		t.Errorf("defaults: %+v %v", o, err)
	}
}
