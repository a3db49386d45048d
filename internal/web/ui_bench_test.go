package web_test

// The performance promise of the clerk UI (issue 6): the Vorgang page of a
// Vorgang with 1,000 documents in under 300 ms server time. The benchmark
// renders the page through the real handler (session cookie, middleware,
// records.Service, templates) on SQLite (and PostgreSQL with
// AKTENWERK_TEST_POSTGRES), first page and a late page (the list is
// paginated: 50 per page, so the work does not grow with the Vorgang):
//
//	go test ./internal/web -run '^$' -bench BenchmarkUIVorgangPage -benchtime 50x
//
// TestUIVorgangPageBench runs the same code once with a small Vorgang, so
// that the benchmark cannot rot. Numbers: docs/ui.md.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/auth"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/web"
)

// vorgangBench is a server with one Vorgang of n Dokumente and a signed-in
// session of anna.
type vorgangBench struct {
	h       http.Handler
	cookies []*http.Cookie
	vorgang records.Vorgang
	late    string // the path of the last page of the document list
}

func newVorgangBench(tb testing.TB, b storetest.Backend, n int) *vorgangBench {
	tb.Helper()
	ctx := context.Background()
	f := storetest.NewFixture(tb, b.Open)
	srv := web.New(f.Svc, slog.New(slog.NewTextHandler(io.Discard, nil)),
		web.Options{InsecureCookie: true, Auth: auth.Options{Argon2: auth.TestParams}})
	if _, err := srv.Auth().SetPassword(ctx, "TFM", "anna", uiPW); err != nil {
		tb.Fatal(err)
	}
	plan, err := f.Svc.CreateAktenplan(ctx, f.Anna, records.NewAktenplan{Kennzeichen: "121", Titel: "Ausbildung"})
	if err != nil {
		tb.Fatal(err)
	}
	a, err := f.Svc.CreateAkte(ctx, f.Anna, records.NewAkte{AktenplanID: plan.ID, Titel: "Ausbildungsplätze 2026"})
	if err != nil {
		tb.Fatal(err)
	}
	vg, err := f.Svc.CreateVorgang(ctx, f.Anna, a.ID, "Bewerbungen 2026", nil)
	if err != nil {
		tb.Fatal(err)
	}
	typen := []string{"Eingang", "Ausgang", "Vermerk", "Bescheid"}
	for i := range n {
		c, err := f.Svc.StoreContent(ctx, f.Anna, strings.NewReader(fmt.Sprintf("Bewerbung Nr. %d", i)), fmt.Sprintf("bewerbung-%04d.txt", i))
		if err != nil {
			tb.Fatal(err)
		}
		day := fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28)
		if _, _, err := f.Svc.CreateDokument(ctx, f.Anna, vg.ID, records.NewDokument{Betreff: fmt.Sprintf("Bewerbung Nr. %d", i),
			Typ: typen[i%len(typen)], Absender: fmt.Sprintf("Bewerber %d", i), Dokumentdatum: &day}, c); err != nil {
			tb.Fatal(err)
		}
	}
	vb := &vorgangBench{h: srv, vorgang: vg, late: "/vorgaenge/" + vg.ID}
	if n > 50 {
		// the cursor of the last page: after the first 50·k documents
		k := (n - 1) / 50
		docs, err := f.Svc.ListDokumente(ctx, f.Anna, vg.ID, records.Page{Limit: 50 * k})
		if err != nil {
			tb.Fatal(err)
		}
		vb.late += fmt.Sprintf("?nach=%s&seite=%d", docs[len(docs)-1].ID, k+1)
	}
	// sign in through the form, as a browser does
	req := httptest.NewRequest("POST", "/anmelden", strings.NewReader(url.Values{"tenant": {"TFM"}, "login": {"anna"}, "passwort": {uiPW}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		tb.Fatalf("sign-in: %d %s", rec.Code, rec.Body)
	}
	vb.cookies = rec.Result().Cookies()
	return vb
}

// get renders one page through the handler.
func (vb *vorgangBench) get(path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	for _, c := range vb.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	vb.h.ServeHTTP(rec, req)
	return rec
}

func (vb *vorgangBench) check(tb testing.TB, path string, rows int) {
	tb.Helper()
	rec := vb.get(path)
	if rec.Code != 200 {
		tb.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
	}
	if n := strings.Count(rec.Body.String(), `<td><a href="/dokumente/`); n != rows {
		tb.Fatalf("%s: %d document rows, want %d", path, n, rows)
	}
}

func BenchmarkUIVorgangPage(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		vb := newVorgangBench(b, be, 1000)
		vb.check(b, "/vorgaenge/"+vb.vorgang.ID, 50)
		vb.check(b, vb.late, 50)
		for _, p := range []struct{ name, path string }{{"first", "/vorgaenge/" + vb.vorgang.ID}, {"last", vb.late}} {
			b.Run(be.Name+"/1000docs/"+p.name, func(b *testing.B) {
				var worst time.Duration
				for b.Loop() {
					start := time.Now()
					if rec := vb.get(p.path); rec.Code != 200 {
						b.Fatalf("status %d", rec.Code)
					}
					worst = max(worst, time.Since(start))
				}
				b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms")
			})
		}
	}
}

// TestUIVorgangPageBench runs the benchmark's code once on a small Vorgang
// (53 documents: a full first page and a last page of 3) and bounds the
// time generously (the benchmark measures; this only catches a page that
// stopped being paginated or became very slow).
func TestUIVorgangPageBench(t *testing.T) {
	vb := newVorgangBench(t, storetest.Backend{Name: "sqlite", Open: storetest.OpenSQLite}, 53)
	vb.check(t, "/vorgaenge/"+vb.vorgang.ID, 50)
	vb.check(t, vb.late, 3)
	start := time.Now()
	vb.check(t, "/vorgaenge/"+vb.vorgang.ID, 50)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Vorgang page took %v", d)
	}
}
