package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"aktenwerk/internal/records"
)

// pageSize is the list page size of every measured list request.
const pageSize = 50

// DokumenteResult holds the latencies around one Vorgang with many Dokumente.
type DokumenteResult struct {
	Dokumente int           // in the measured Vorgang
	FillTime  time.Duration // creating them through the service (4 workers)
	Listed    int           // Dokumente seen walking the whole list via the API
	Series    []Latency
}

// AktenStep holds the latencies at one tenant size.
type AktenStep struct {
	Akten     int           // Akten of the measured tenant (and of the other one)
	Seeded    int           // rows bulk-inserted for this step, both tenants
	SeedTime  time.Duration // time of that bulk insert
	Listed    int           // Akten the measured tenant saw walking its whole list
	Foreign   int           // of those, Akten of the other tenant (must be 0)
	WalkPages int
	WalkTime  time.Duration
	Series    []Latency
	// Control is GET /api/v1/ich (authentication only) issued right after
	// every sample of Series: machine noise, independent of the data size.
	Control Latency
}

// Scoping summarises the tenant-isolation checks made over the API.
type Scoping struct {
	AktenExpected        int // at the largest step
	AktenListed          int
	ForeignListed        int // other tenant's Akten in any walk of any step
	ForeignGets          int // GET of the other tenant's Akten by id
	ForeignGetsHidden    int // ... answered 404
	ForeignLookups       int // Aktenzeichen lookups of the other tenant's Akten
	ForeignLookupsHidden int
	OtherTenantListOwn   bool // the other tenant's first page has only its own Akten
	DokumenteHidden      bool // other tenant: the measured Vorgang's list and a Dokument answer 404
}

// OK reports whether every check held.
func (s Scoping) OK() bool {
	return s.AktenListed == s.AktenExpected && s.ForeignListed == 0 && s.ForeignGets > 0 &&
		s.ForeignGetsHidden == s.ForeignGets && s.ForeignLookupsHidden == s.ForeignLookups &&
		s.OtherTenantListOwn && s.DokumenteHidden
}

// walk pages through a whole list and returns every id and the cursor
// after each page.
func (st *stack) walk(ctx context.Context, token, path string) (ids, cursors []string, pages int, elapsed time.Duration, err error) {
	cursor := ""
	start := time.Now()
	for {
		p := fmt.Sprintf("%s?limit=%d", path, pageSize)
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		status, body, _, err := st.get(ctx, token, p)
		if err != nil {
			return nil, nil, 0, 0, err
		}
		if status != http.StatusOK {
			return nil, nil, 0, 0, fmt.Errorf("GET %s: status %d: %.300s", p, status, body)
		}
		pg, err := decodePage(body)
		if err != nil {
			return nil, nil, 0, 0, err
		}
		pages++
		for _, it := range pg.Items {
			ids = append(ids, it.ID)
		}
		if pg.NextCursor == nil {
			return ids, cursors, pages, time.Since(start), nil
		}
		cursor = *pg.NextCursor
		cursors = append(cursors, cursor)
	}
}

// fullPageCursors returns the cursors after which a full page follows in a
// list of total items (cursors[k] stands after item pageSize*(k+1)).
func fullPageCursors(cursors []string, total int) []string {
	n := 0
	for k := range cursors {
		if pageSize*(k+1)+pageSize <= total {
			n = k + 1
		}
	}
	return cursors[:n]
}

func (st *stack) dokumenteBench(ctx context.Context, log io.Writer) (DokumenteResult, error) {
	var res DokumenteResult
	t := &st.tfm
	akte, err := st.createAkte(ctx, t, 1, "Lastmessung: Zuwendungsverfahren mit umfangreichem Schriftverkehr")
	if err != nil {
		return res, err
	}
	vg, err := st.svc.CreateVorgang(ctx, t.principal, akte.ID, "Schriftverkehr Lastmessung", nil)
	if err != nil {
		return res, err
	}
	n := st.o.Dokumente
	contents := make([][]byte, n)
	for i := range contents {
		c := make([]byte, st.o.DocSize)
		copy(c, "%PDF-1.7\n%")
		st.rnd.bytes(c[10:])
		contents[i] = c
	}
	ids := make([]string, n)
	start := time.Now()
	_, _, err = parallel(ctx, n, 4, func(ctx context.Context, i int) error {
		c, err := st.svc.StoreContent(ctx, t.principal, bytes.NewReader(contents[i]), fmt.Sprintf("schreiben-%05d.pdf", i))
		if err != nil {
			return err
		}
		d, _, err := st.svc.CreateDokument(ctx, t.principal, vg.ID, records.NewDokument{
			Betreff: fmt.Sprintf("Schreiben Nr. %d zum Zuwendungsantrag", i+1), Typ: []string{"Eingang", "Ausgang", "Vermerk"}[i%3]}, c)
		ids[i] = d.ID
		return err
	})
	if err != nil {
		return res, err
	}
	res.Dokumente, res.FillTime = n, time.Since(start)
	fmt.Fprintf(log, "[%s] Vorgang with %d Dokumente created through the service in %s\n", st.o.Backend, n, res.FillTime.Round(time.Millisecond))

	listPath := "/api/v1/vorgaenge/" + vg.ID + "/dokumente"
	listed, cursors, _, _, err := st.walk(ctx, t.token, listPath)
	if err != nil {
		return res, err
	}
	res.Listed = len(listed)
	if res.Listed != n {
		return res, fmt.Errorf("walking the Vorgang's Dokumente gave %d, want %d", res.Listed, n)
	}
	w, s := st.o.Warmup, st.o.Samples
	r := st.rnd

	l, err := st.series(ctx, "GET /dokumente/{id}", t.token, w, s,
		func() string { return "/api/v1/dokumente/" + ids[r.IntN(n)] }, wantStatus(http.StatusOK))
	if err != nil {
		return res, err
	}
	res.Series = append(res.Series, l)

	l, err = st.series(ctx, "GET /vorgaenge/{id}", t.token, w, s,
		func() string { return "/api/v1/vorgaenge/" + vg.ID }, wantStatus(http.StatusOK))
	if err != nil {
		return res, err
	}
	res.Series = append(res.Series, l)

	first := min(pageSize, n)
	l, err = st.series(ctx, "list Dokumente, first page", t.token, w, s,
		func() string { return listPath + "?limit=" + strconv.Itoa(pageSize) }, wantItems(first))
	if err != nil {
		return res, err
	}
	res.Series = append(res.Series, l)

	// Middle pages: cursors from the middle third of the list.
	full := fullPageCursors(cursors, n)
	if len(full) > 0 {
		lo, hi := len(full)/3, max(len(full)*2/3, len(full)/3+1)
		mid := full[lo:hi]
		l, err = st.series(ctx, "list Dokumente, middle page (cursor)", t.token, w, s,
			func() string {
				return listPath + "?limit=" + strconv.Itoa(pageSize) + "&cursor=" + url.QueryEscape(mid[r.IntN(len(mid))])
			}, wantItems(pageSize))
		if err != nil {
			return res, err
		}
		res.Series = append(res.Series, l)
	}
	for _, l := range res.Series {
		fmt.Fprintf(log, "[%s]   %-40s p50 %8s  p95 %8s  p99 %8s\n", st.o.Backend, l.Name, l.P50.Round(time.Microsecond), l.P95.Round(time.Microsecond), l.P99.Round(time.Microsecond))
	}
	st.dokVorgang, st.dokIDs = vg.ID, ids
	return res, nil
}

func (st *stack) aktenBench(ctx context.Context, log io.Writer) ([]AktenStep, Scoping, error) {
	var sc Scoping
	tfm, tsk := &st.tfm, &st.tsk
	r := st.rnd
	w, s := st.o.Warmup, st.o.Samples

	// The other tenant must not see the measured Vorgang or its Dokumente.
	st1, _, _, err := st.get(ctx, tsk.token, "/api/v1/vorgaenge/"+st.dokVorgang+"/dokumente")
	if err != nil {
		return nil, sc, err
	}
	st2, _, _, err := st.get(ctx, tsk.token, "/api/v1/dokumente/"+st.dokIDs[0])
	if err != nil {
		return nil, sc, err
	}
	sc.DokumenteHidden = st1 == http.StatusNotFound && st2 == http.StatusNotFound

	var steps []AktenStep
	for _, size := range st.o.AktenSteps {
		step := AktenStep{Akten: size}
		start := time.Now()
		// The measured tenant: bulk up to size-1, then one Akte through the
		// service (proves that seeding left the counters consistent).
		before := len(tfm.akten) + len(tsk.akten)
		if err := st.seedAkten(ctx, tfm, size-1-len(tfm.akten)); err != nil {
			return nil, sc, err
		}
		if err := st.seedAkten(ctx, tsk, size-len(tsk.akten)); err != nil {
			return nil, sc, err
		}
		step.SeedTime = time.Since(start)
		step.Seeded = len(tfm.akten) + len(tsk.akten) - before
		if len(tfm.akten) < size {
			if _, err := st.createAkte(ctx, tfm, len(tfm.akten)%len(tfm.plan), "Nach dem Massenimport über den Dienst angelegt"); err != nil {
				return nil, sc, fmt.Errorf("service CreateAkte after seeding: %w", err)
			}
		}
		for _, t := range []*tenant{tfm, tsk} {
			n, err := st.countAkten(ctx, t.ID)
			if err != nil {
				return nil, sc, err
			}
			if n != size || len(t.akten) != size {
				return nil, sc, fmt.Errorf("tenant %s has %d Akten (%d known), want %d", t.Code, n, len(t.akten), size)
			}
		}
		if st.o.Backend == "postgres" {
			// What autovacuum does after a bulk load of this size anyway
			// (insert-triggered vacuum, analyze); done here so that it does
			// not run in the middle of the samples.
			for _, tbl := range []string{"akten", "aktenzeichen"} {
				if _, err := st.db.Writer().ExecContext(ctx, "VACUUM (ANALYZE) "+tbl); err != nil {
					return nil, sc, err
				}
			}
		}
		fmt.Fprintf(log, "[%s] %d Akten per tenant: seeded %d rows in %s\n", st.o.Backend, size, step.Seeded, step.SeedTime.Round(time.Millisecond))

		// Walk the measured tenant's whole list: it must see exactly its own Akten.
		own := make(map[string]bool, size)
		for _, id := range tfm.akten {
			own[id] = true
		}
		foreign := make(map[string]bool, size)
		for _, id := range tsk.akten {
			foreign[id] = true
		}
		ids, cursors, pages, el, err := st.walk(ctx, tfm.token, "/api/v1/akten")
		if err != nil {
			return nil, sc, err
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if foreign[id] {
				step.Foreign++
			}
			if own[id] && !seen[id] {
				seen[id] = true
			}
		}
		step.Listed, step.WalkPages, step.WalkTime = len(seen), pages, el
		if len(ids) != len(seen)+step.Foreign {
			return nil, sc, fmt.Errorf("walk returned %d ids, %d distinct own and %d foreign", len(ids), len(seen), step.Foreign)
		}
		sc.ForeignListed += step.Foreign
		sc.AktenExpected, sc.AktenListed = size, step.Listed
		fmt.Fprintf(log, "[%s]   walked the whole list: %d pages in %s, %d own Akten, %d foreign\n", st.o.Backend, pages, el.Round(time.Millisecond), step.Listed, step.Foreign)

		// The other tenant's ids and Aktenzeichen answer 404.
		for range 20 {
			k := r.IntN(len(tsk.akten))
			status, _, _, err := st.get(ctx, tfm.token, "/api/v1/akten/"+tsk.akten[k])
			if err != nil {
				return nil, sc, err
			}
			sc.ForeignGets++
			if status == http.StatusNotFound {
				sc.ForeignGetsHidden++
			}
			status, _, _, err = st.get(ctx, tfm.token, "/api/v1/aktenzeichen?az="+url.QueryEscape(tsk.azs[k]))
			if err != nil {
				return nil, sc, err
			}
			sc.ForeignLookups++
			if status == http.StatusNotFound {
				sc.ForeignLookupsHidden++
			}
		}
		status, body, _, err := st.get(ctx, tsk.token, fmt.Sprintf("/api/v1/akten?limit=%d", pageSize))
		if err != nil {
			return nil, sc, err
		}
		pg, err := decodePage(body)
		if err != nil {
			return nil, sc, err
		}
		sc.OtherTenantListOwn = status == http.StatusOK && len(pg.Items) == min(pageSize, size)
		for _, it := range pg.Items {
			if !foreign[it.ID] {
				sc.OtherTenantListOwn = false
			}
		}

		// The measured series, each sample followed by a control request.
		var ctl []time.Duration
		st.control = &ctl
		n := len(tfm.akten)
		l, err := st.series(ctx, "GET /akten/{id}", tfm.token, w, s,
			func() string { return "/api/v1/akten/" + tfm.akten[r.IntN(n)] }, wantStatus(http.StatusOK))
		if err != nil {
			return nil, sc, err
		}
		step.Series = append(step.Series, l)

		l, err = st.series(ctx, "list Akten, first page", tfm.token, w, s,
			func() string { return fmt.Sprintf("/api/v1/akten?limit=%d", pageSize) }, wantItems(min(pageSize, n)))
		if err != nil {
			return nil, sc, err
		}
		step.Series = append(step.Series, l)

		if full := fullPageCursors(cursors, n); len(full) > 0 {
			l, err = st.series(ctx, "list Akten, deep page (random cursor)", tfm.token, w, s,
				func() string {
					return fmt.Sprintf("/api/v1/akten?limit=%d&cursor=%s", pageSize, url.QueryEscape(full[r.IntN(len(full))]))
				}, wantItems(pageSize))
			if err != nil {
				return nil, sc, err
			}
			step.Series = append(step.Series, l)
		}

		var want string
		l, err = st.series(ctx, "GET /aktenzeichen?az=…", tfm.token, w, s,
			func() string {
				k := r.IntN(n)
				want = tfm.akten[k]
				return "/api/v1/aktenzeichen?az=" + url.QueryEscape(tfm.azs[k])
			}, func(status int, body []byte) error {
				var v struct {
					ID string `json:"id"`
				}
				if status != http.StatusOK || json.Unmarshal(body, &v) != nil || v.ID != want {
					return fmt.Errorf("lookup: status %d, %.200s, want id %s", status, body, want)
				}
				return nil
			})
		if err != nil {
			return nil, sc, err
		}
		step.Series = append(step.Series, l)
		st.control = nil
		step.Control = summarize("control: GET /ich", ctl)
		for _, l := range append(step.Series, step.Control) {
			fmt.Fprintf(log, "[%s]   %-40s p50 %8s  p95 %8s  p99 %8s\n", st.o.Backend, l.Name, l.P50.Round(time.Microsecond), l.P95.Round(time.Microsecond), l.P99.Round(time.Microsecond))
		}
		steps = append(steps, step)
	}
	return steps, sc, nil
}
