package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
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
	Seeded    int           // rows bulk-inserted for this step (Akten of both tenants, grants)
	SeedTime  time.Duration // time of that bulk insert
	Listed    int           // Akten the measured tenant's user "bench" (unit L) saw walking its whole list
	Foreign   int           // of those, Akten of the other tenant (must be 0)
	WalkPages int
	WalkTime  time.Duration

	// Need-to-know: the user "referat" (member of R07 only).
	UnitVisible   int // Akten of R07, from what was seeded
	UnitListed    int // of those, seen walking referat's whole list
	UnitOther     int // Akten of other units (or of other tenants) in that walk (must be 0)
	UnitWalkPages int
	UnitWalkTime  time.Duration

	// Grants: the other tenant's user (no unit) with 1 % of the measured
	// tenant's Akten shared with its whole tenant.
	Granted         int // measured tenant's Akten with a read grant to the other tenant
	GrantedListed   int // of those, seen walking the other tenant's whole list
	UngrantedListed int // measured tenant's Akten without a grant in that walk (must be 0)
	OtherOwnListed  int // the other tenant's own Akten in that walk (all of them expected)
	OtherWalkPages  int
	OtherWalkTime   time.Duration

	Series []Latency
	// Control is GET /api/v1/ich (authentication only) issued right after
	// every sample of Series: machine noise, independent of the data size.
	Control Latency
}

// Callers of the measured series.
const (
	CallerAll   = "TFM bench (L)"
	CallerUnit  = "TFM referat (R07)"
	CallerOther = "TSK bench"
)

// Scoping summarises the isolation checks made over the API: tenants,
// units (need-to-know) and grants.
type Scoping struct {
	AktenExpected        int // at the largest step
	AktenListed          int
	ForeignListed        int // other tenant's Akten in any walk of any step
	ForeignGets          int // GET of the other tenant's Akten by id
	ForeignGetsHidden    int // ... answered 404
	ForeignLookups       int // Aktenzeichen lookups of the other tenant's Akten
	ForeignLookupsHidden int
	DokumenteHidden      bool // other tenant: the measured Vorgang's list and a Dokument answer 404

	// Need-to-know (user "referat", member of R07 of 20 Referate).
	UnitExpected, UnitListed int // at the largest step
	UnitMissing              int // Akten of R07 not listed, summed over the steps (must be 0)
	UnitOther                int // Akten of other units listed, summed over the steps (must be 0)
	UnitGetsHidden           int // GETs of other units' Akten answered 404 (every sample of the series)
	UnitGets                 int

	// Grants (the other tenant's user).
	GrantedExpected, GrantedListed   int  // at the largest step
	OtherOwnExpected, OtherOwnListed int  // at the largest step
	GrantMissing                     int  // own or granted Akten not listed, summed over the steps (must be 0)
	UngrantedListed                  int  // measured tenant's Akten without a grant listed, summed (must be 0)
	OtherFirstPage                   bool // at every step its walk was exactly (own ∪ granted) in id order, and its first page had granted ones on it
}

// TenantOK reports whether the second tenant stayed invisible to the
// measured tenant.
func (s Scoping) TenantOK() bool {
	return s.AktenListed == s.AktenExpected && s.ForeignListed == 0 && s.ForeignGets > 0 &&
		s.ForeignGetsHidden == s.ForeignGets && s.ForeignLookupsHidden == s.ForeignLookups && s.DokumenteHidden
}

// UnitOK reports whether the member of one unit saw exactly that unit's Akten.
func (s Scoping) UnitOK() bool {
	return s.UnitListed == s.UnitExpected && s.UnitMissing == 0 && s.UnitOther == 0 && s.UnitGetsHidden == s.UnitGets
}

// GrantOK reports whether the other tenant saw its own Akten and exactly
// the granted ones.
func (s Scoping) GrantOK() bool {
	return s.GrantedExpected > 0 && s.GrantedListed == s.GrantedExpected && s.OtherOwnListed == s.OtherOwnExpected &&
		s.GrantMissing == 0 && s.UngrantedListed == 0 && s.OtherFirstPage
}

// OK reports whether every check held.
func (s Scoping) OK() bool { return s.TenantOK() && s.UnitOK() && s.GrantOK() }

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
	sc := Scoping{OtherFirstPage: true}
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
		step.Seeded = len(tfm.akten) + len(tsk.akten) - before
		if len(tfm.akten) < size {
			if _, err := st.createAkte(ctx, tfm, len(tfm.akten)%len(tfm.plan), "Nach dem Massenimport über den Dienst angelegt"); err != nil {
				return nil, sc, fmt.Errorf("service CreateAkte after seeding: %w", err)
			}
		}
		// 1 % of the measured tenant's Akten (chosen at random over all of
		// them) are shared with the whole other tenant for reading.
		g, err := st.seedGrants(ctx, tfm, tsk, max(1, size*grantPercent/100))
		if err != nil {
			return nil, sc, err
		}
		step.Seeded += g
		step.SeedTime = time.Since(start)
		for _, t := range []*tenant{tfm, tsk} {
			n, err := st.countAkten(ctx, t.ID)
			if err != nil {
				return nil, sc, err
			}
			if n != size || len(t.akten) != size || len(t.owner) != size {
				return nil, sc, fmt.Errorf("tenant %s has %d Akten (%d known, %d owners), want %d", t.Code, n, len(t.akten), len(t.owner), size)
			}
		}
		if st.o.Backend == "postgres" {
			// What autovacuum does after a bulk load of this size anyway
			// (insert-triggered vacuum, analyze); done here so that it does
			// not run in the middle of the samples.
			for _, tbl := range []string{"akten", "aktenzeichen", "grants"} {
				if _, err := st.db.Writer().ExecContext(ctx, "VACUUM (ANALYZE) "+tbl); err != nil {
					return nil, sc, err
				}
			}
			// And the checkpoint that the bulk load's WAL brings about
			// anyway: otherwise its writes fall into the samples of this
			// step (a bulk load of 180,000 rows in seconds is an artefact
			// of the benchmark). Needs superuser or pg_checkpoint; without
			// it the step is measured as it is.
			if _, err := st.db.Writer().ExecContext(ctx, "CHECKPOINT"); err != nil {
				fmt.Fprintf(log, "[%s] note: CHECKPOINT after seeding not possible: %v\n", st.o.Backend, err)
			}
		}
		fmt.Fprintf(log, "[%s] %d Akten per tenant: seeded %d rows in %s\n", st.o.Backend, size, step.Seeded, step.SeedTime.Round(time.Millisecond))

		// Who owns what, from what was seeded.
		own := make(map[string]bool, size)
		for _, id := range tfm.akten {
			own[id] = true
		}
		foreign := make(map[string]bool, size)
		for _, id := range tsk.akten {
			foreign[id] = true
		}
		var unitIdx, otherUnitIdx []int // Akten of R07; Akten of the other 19 Referate
		unitSet := map[string]bool{}
		for k, o := range tfm.owner {
			switch {
			case o == st.referat.unit:
				unitIdx = append(unitIdx, k)
				unitSet[tfm.akten[k]] = true
			case o >= 0:
				otherUnitIdx = append(otherUnitIdx, k)
			}
		}
		step.UnitVisible, step.Granted = len(unitIdx), len(tfm.granted)

		// Walk the measured tenant's whole list as "bench" (unit L, so every
		// Referat): it must see exactly its own Akten.
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
		fmt.Fprintf(log, "[%s]   bench (L) walked the whole list: %d pages in %s, %d own Akten, %d foreign\n", st.o.Backend, pages, el.Round(time.Millisecond), step.Listed, step.Foreign)

		// Walk it as "referat" (R07 only): exactly the Akten of R07.
		uids, ucursors, pages, el, err := st.walk(ctx, st.referat.token, "/api/v1/akten")
		if err != nil {
			return nil, sc, err
		}
		useen := map[string]bool{}
		for _, id := range uids {
			if unitSet[id] && !useen[id] {
				useen[id] = true
			} else {
				step.UnitOther++
			}
		}
		step.UnitListed, step.UnitWalkPages, step.UnitWalkTime = len(useen), pages, el
		sc.UnitOther += step.UnitOther
		sc.UnitMissing += step.UnitVisible - step.UnitListed
		sc.UnitExpected, sc.UnitListed = step.UnitVisible, step.UnitListed
		fmt.Fprintf(log, "[%s]   referat (R07) walked the whole list: %d pages in %s, %d of %d Akten of R07, %d others\n", st.o.Backend, pages, el.Round(time.Millisecond), step.UnitListed, step.UnitVisible, step.UnitOther)

		// Walk it as the other tenant: its own Akten and exactly the
		// granted ones of the measured tenant, in id order.
		visible := make([]string, 0, size+len(tfm.granted))
		visible = append(visible, tsk.akten...)
		for id := range tfm.granted {
			visible = append(visible, id)
		}
		slices.Sort(visible)
		oids, ocursors, pages, el, err := st.walk(ctx, tsk.token, "/api/v1/akten")
		if err != nil {
			return nil, sc, err
		}
		if !slices.Equal(oids, visible) {
			sc.OtherFirstPage = false // reported with the counts below
		}
		oseen := map[string]bool{}
		for _, id := range oids {
			switch {
			case oseen[id]:
				step.UngrantedListed++ // listed twice: counted as wrong
			case foreign[id]:
				step.OtherOwnListed++
			case tfm.granted[id]:
				step.GrantedListed++
			default:
				step.UngrantedListed++
			}
			oseen[id] = true
		}
		step.OtherWalkPages, step.OtherWalkTime = pages, el
		sc.UngrantedListed += step.UngrantedListed
		sc.GrantMissing += (size - step.OtherOwnListed) + (step.Granted - step.GrantedListed)
		sc.GrantedExpected, sc.GrantedListed = step.Granted, step.GrantedListed
		sc.OtherOwnExpected, sc.OtherOwnListed = size, step.OtherOwnListed
		fmt.Fprintf(log, "[%s]   TSK walked the whole list: %d pages in %s, %d own, %d of %d granted, %d not granted\n", st.o.Backend, pages, el.Round(time.Millisecond), step.OtherOwnListed, step.GrantedListed, step.Granted, step.UngrantedListed)

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
		// The other tenant's first page: the first ids of its own Akten and
		// the granted ones, granted ones among them.
		otherFirst := visible[:min(pageSize, len(visible))]
		checkOtherFirst := wantExactly(otherFirst)
		status, body, _, err := st.get(ctx, tsk.token, fmt.Sprintf("/api/v1/akten?limit=%d", pageSize))
		if err != nil {
			return nil, sc, err
		}
		grantedOnPage := 0
		for _, id := range otherFirst {
			if tfm.granted[id] {
				grantedOnPage++
			}
		}
		if checkOtherFirst(status, body) != nil || grantedOnPage == 0 {
			sc.OtherFirstPage = false
		}

		// The measured series, each sample followed by a control request.
		var ctl []time.Duration
		st.control = &ctl
		add := func(caller string, l Latency) {
			l.Caller = caller
			step.Series = append(step.Series, l)
		}
		n := len(tfm.akten)
		l, err := st.series(ctx, "GET /akten/{id}", tfm.token, w, s,
			func() string { return "/api/v1/akten/" + tfm.akten[r.IntN(n)] }, wantStatus(http.StatusOK))
		if err != nil {
			return nil, sc, err
		}
		add(CallerAll, l)

		l, err = st.series(ctx, "list Akten, first page", tfm.token, w, s,
			func() string { return fmt.Sprintf("/api/v1/akten?limit=%d", pageSize) }, wantItems(min(pageSize, n)))
		if err != nil {
			return nil, sc, err
		}
		add(CallerAll, l)

		if full := fullPageCursors(cursors, n); len(full) > 0 {
			l, err = st.series(ctx, "list Akten, deep page (random cursor)", tfm.token, w, s,
				func() string {
					return fmt.Sprintf("/api/v1/akten?limit=%d&cursor=%s", pageSize, url.QueryEscape(full[r.IntN(len(full))]))
				}, wantItems(pageSize))
			if err != nil {
				return nil, sc, err
			}
			add(CallerAll, l)
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
		add(CallerAll, l)

		// Need-to-know: the member of one of the 20 Referate.
		ut := st.referat.token
		l, err = st.series(ctx, "list Akten, member of 1 of 20 units (first page)", ut, w, s,
			func() string { return fmt.Sprintf("/api/v1/akten?limit=%d", pageSize) }, wantItemsOf(min(pageSize, step.UnitVisible), unitSet))
		if err != nil {
			return nil, sc, err
		}
		add(CallerUnit, l)

		if full := fullPageCursors(ucursors, step.UnitVisible); len(full) > 0 {
			l, err = st.series(ctx, "list Akten, member of 1 of 20 units (deep page)", ut, w, s,
				func() string {
					return fmt.Sprintf("/api/v1/akten?limit=%d&cursor=%s", pageSize, url.QueryEscape(full[r.IntN(len(full))]))
				}, wantItemsOf(pageSize, unitSet))
			if err != nil {
				return nil, sc, err
			}
			add(CallerUnit, l)
		}

		if len(unitIdx) > 0 {
			l, err = st.series(ctx, "GET /akten/{id} of its unit", ut, w, s,
				func() string { return "/api/v1/akten/" + tfm.akten[unitIdx[r.IntN(len(unitIdx))]] }, wantStatus(http.StatusOK))
			if err != nil {
				return nil, sc, err
			}
			add(CallerUnit, l)
		}

		if len(otherUnitIdx) > 0 {
			// Every sample must be 404 (series fails otherwise).
			l, err = st.series(ctx, "GET /akten/{id} of another unit → 404", ut, w, s,
				func() string { return "/api/v1/akten/" + tfm.akten[otherUnitIdx[r.IntN(len(otherUnitIdx))]] }, wantStatus(http.StatusNotFound))
			if err != nil {
				return nil, sc, err
			}
			sc.UnitGets += w + s
			sc.UnitGetsHidden += w + s
			add(CallerUnit, l)
		}

		// Grants: the other tenant's first page with the shared Akten in it.
		l, err = st.series(ctx, "list Akten incl. granted (first page)", tsk.token, w, s,
			func() string { return fmt.Sprintf("/api/v1/akten?limit=%d", pageSize) }, checkOtherFirst)
		if err != nil {
			return nil, sc, err
		}
		add(CallerOther, l)

		// ... and a deep page of it: exactly the 50 own or granted Akten
		// after the cursor.
		if full := fullPageCursors(ocursors, len(visible)); len(full) > 0 {
			var check func(int, []byte) error
			l, err = st.series(ctx, "list Akten incl. granted (deep page)", tsk.token, w, s,
				func() string {
					k := r.IntN(len(full))
					check = wantExactly(visible[pageSize*(k+1) : pageSize*(k+2)])
					return fmt.Sprintf("/api/v1/akten?limit=%d&cursor=%s", pageSize, url.QueryEscape(full[k]))
				}, func(status int, body []byte) error { return check(status, body) })
			if err != nil {
				return nil, sc, err
			}
			add(CallerOther, l)
		}

		st.control = nil
		step.Control = summarize("control: GET /ich", ctl)
		for _, l := range append(step.Series, step.Control) {
			fmt.Fprintf(log, "[%s]   %-20s %-50s p50 %8s  p95 %8s  p99 %8s\n", st.o.Backend, l.Caller, l.Name, l.P50.Round(time.Microsecond), l.P95.Round(time.Microsecond), l.P99.Round(time.Microsecond))
		}
		steps = append(steps, step)
	}
	return steps, sc, nil
}

// wantExactly checks a 200 list response with exactly the given ids, in
// this order.
func wantExactly(ids []string) func(int, []byte) error {
	return func(status int, body []byte) error {
		if status != http.StatusOK {
			return fmt.Errorf("status %d: %.300s", status, body)
		}
		pg, err := decodePage(body)
		if err != nil {
			return err
		}
		if len(pg.Items) != len(ids) {
			return fmt.Errorf("%d items, want %d", len(pg.Items), len(ids))
		}
		for k, it := range pg.Items {
			if it.ID != ids[k] {
				return fmt.Errorf("item %d is %s, want %s (own or granted Akten in id order)", k, it.ID, ids[k])
			}
		}
		return nil
	}
}

// wantItemsOf checks a 200 list response with exactly n items, all in set.
func wantItemsOf(n int, set map[string]bool) func(int, []byte) error {
	return func(status int, body []byte) error {
		if status != http.StatusOK {
			return fmt.Errorf("status %d: %.300s", status, body)
		}
		p, err := decodePage(body)
		if err != nil {
			return err
		}
		if len(p.Items) != n {
			return fmt.Errorf("%d items, want %d", len(p.Items), n)
		}
		for _, it := range p.Items {
			if !set[it.ID] {
				return fmt.Errorf("item %s is not visible to this user", it.ID)
			}
		}
		return nil
	}
}
