package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/access"
)

// auditItems decodes a JSON list page or a JSON export into entries.
func auditItems(t *testing.T, r resp) []map[string]any {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if bytes.HasPrefix(bytes.TrimSpace(r.body), []byte("[")) {
		if err := json.Unmarshal(r.body, &page.Items); err != nil {
			t.Fatalf("export not a JSON array: %v: %s", err, r.body)
		}
		return page.Items
	}
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatalf("not a list: %v: %s", err, r.body)
	}
	return page.Items
}

// auditPages pages through /api/v1/protokoll?query and returns all entries.
func auditPages(t *testing.T, e *env, token, query string, limit int) []map[string]any {
	t.Helper()
	var out []map[string]any
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 200 {
			t.Fatalf("paging %s does not end", query)
		}
		path := fmt.Sprintf("/api/v1/protokoll?%s&limit=%d", query, limit)
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := e.do("GET", path, token, nil, nil)
		items := auditItems(t, r)
		for _, it := range items {
			if n := len(out); n > 0 && str(it, "id") <= str(out[n-1], "id") {
				t.Fatalf("%s: entry %s after %s", query, str(it, "id"), str(out[n-1], "id"))
			}
			out = append(out, it)
		}
		next, _ := r.json(t)["next_cursor"].(string)
		if next == "" {
			if len(items) == limit {
				t.Fatalf("full page without next_cursor")
			}
			return out
		}
		cursor = next
	}
}

func entryIDs(es []map[string]any) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = str(e, "id")
	}
	return out
}

func TestAuditQueryAPI(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	forBackends(t, func(t *testing.T, e *env) {
		_, akteID, _, vorgangID := e.seed()
		want(t, e.jsonReq("PATCH", "/api/v1/akten/"+akteID, e.bernd, `{"titel":"Ausbildungsplätze 2026; \"neu\", geprüft"}`), 200)
		tskPlan := want(t, e.jsonReq("POST", "/api/v1/aktenplan", e.carla, `{"kennzeichen":"1","titel":"Organisation"}`), 201)
		tskAkte := want(t, e.jsonReq("POST", "/api/v1/akten", e.carla, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Kabinett"}`, str(tskPlan, "id"))), 201)
		revisor := e.user("TFM", "revisor", access.RoleAudit)
		tskRevisor := e.user("TSK", "revisor", access.RoleAudit)
		if _, err := e.svc.ChainAllPending(context.Background()); err != nil { // as the server's chainer would
			t.Fatal(err)
		}
		cut := time.Now() // everything above happened before

		// --- who may --------------------------------------------------------
		for _, path := range []string{"/api/v1/protokoll", "/api/v1/protokoll/export"} {
			wantProblem(t, e.do("GET", path, e.bernd, nil, nil), 403, "")
			wantProblem(t, e.do("GET", path, e.carla, nil, nil), 403, "")
			wantProblem(t, e.do("GET", path, "", nil, nil), 401, "")
			if r := e.do("GET", path, e.anna, nil, nil); r.status != 200 { // admin
				t.Fatalf("admin %s: %d %s", path, r.status, r.body)
			}
		}

		// --- own tenant only ------------------------------------------------
		q := "bis=" + urlQuery(cut.Format(time.RFC3339Nano))
		tfm := auditItems(t, e.do("GET", "/api/v1/protokoll/export?format=json&"+q, revisor, nil, nil))
		tsk := auditItems(t, e.do("GET", "/api/v1/protokoll/export?format=json&"+q, tskRevisor, nil, nil))
		if len(tfm) < 8 || len(tsk) < 4 {
			t.Fatalf("exports: TFM %d, TSK %d entries", len(tfm), len(tsk))
		}
		seen := map[string]bool{}
		for _, it := range tfm {
			seen[str(it, "id")] = true
		}
		for _, it := range tsk {
			if seen[str(it, "id")] || str(it, "object_id") == akteID || str(it, "actor") == "bernd" {
				t.Fatalf("TSK auditor sees a TFM entry: %v", it)
			}
		}
		if got := auditPages(t, e, tskRevisor, "objekt="+akteID, 50); len(got) != 0 {
			t.Fatalf("TSK auditor finds the TFM Akte: %v", got)
		}
		if got := auditPages(t, e, tskRevisor, "objekt="+str(tskAkte, "id"), 50); len(got) != 1 || str(got[0], "action") != "akte.create" {
			t.Fatalf("TSK auditor's own Akte: %v", got)
		}
		// a login is looked up in the caller's tenant
		wantProblem(t, e.do("GET", "/api/v1/protokoll?benutzer=bernd", tskRevisor, nil, nil), 422, "benutzer")

		// --- filters -------------------------------------------------------------
		byBernd := auditPages(t, e, revisor, "benutzer=bernd&"+q, 2)
		var wantBernd []string
		for _, it := range tfm {
			if str(it, "actor") == "bernd" {
				wantBernd = append(wantBernd, str(it, "id"))
			}
		}
		if len(byBernd) != 3 || !reflect.DeepEqual(entryIDs(byBernd), wantBernd) { // Akte, Vorgang, change of the Akte
			t.Fatalf("benutzer=bernd: %v, want %v", entryIDs(byBernd), wantBernd)
		}
		byAkte := auditPages(t, e, revisor, "objekt="+akteID, 50)
		if len(byAkte) != 2 || str(byAkte[0], "action") != "akte.create" || str(byAkte[1], "action") != "akte.update" {
			t.Fatalf("objekt=akte: %v", byAkte)
		}
		creates := auditPages(t, e, revisor, "aktion=akte.create", 50)
		if len(creates) != 1 || str(creates[0], "object_id") != akteID {
			t.Fatalf("aktion=akte.create: %v", creates)
		}
		vorgaenge := auditPages(t, e, revisor, "objekt_typ=vorgang", 50)
		if len(vorgaenge) != 1 || str(vorgaenge[0], "object_id") != vorgangID {
			t.Fatalf("objekt_typ=vorgang: %v", vorgaenge)
		}
		if got := auditPages(t, e, revisor, "objekt_typ=akte&aktion=vorgang.create", 50); len(got) != 0 {
			t.Fatalf("contradicting filters: %v", got)
		}
		// dates are days in Europe/Berlin, both bounds inclusive
		at, err := time.Parse(time.RFC3339Nano, str(byAkte[1], "at"))
		if err != nil {
			t.Fatal(err)
		}
		day := at.In(berlin)
		d := day.Format("2006-01-02")
		next, prev := day.AddDate(0, 0, 1).Format("2006-01-02"), day.AddDate(0, 0, -1).Format("2006-01-02")
		for query, n := range map[string]int{
			"von=" + d + "&bis=" + d:    2,
			"bis=" + d:                  2,
			"von=" + next:               0,
			"bis=" + prev:               0,
			"von=" + prev + "&bis=" + d: 2,
			// points in time: inclusive to the microsecond, in any zone
			"von=" + urlQuery(at.Format(time.RFC3339Nano)):                                   1,
			"bis=" + urlQuery(at.In(berlin).Format(time.RFC3339Nano)):                        2,
			"bis=" + urlQuery(at.Add(-time.Microsecond).In(berlin).Format(time.RFC3339Nano)): 1,
		} {
			if got := auditPages(t, e, revisor, "objekt="+akteID+"&"+query, 50); len(got) != n {
				t.Errorf("objekt=akte&%s: %d entries, want %d", query, len(got), n)
			}
		}
		wantProblem(t, e.do("GET", "/api/v1/protokoll?von=15.03.2026", revisor, nil, nil), 422, "von")
		wantProblem(t, e.do("GET", "/api/v1/protokoll?bis=morgen&von=heute", revisor, nil, nil), 422, "bis")
		wantProblem(t, e.do("GET", "/api/v1/protokoll?von="+next+"&bis="+d, revisor, nil, nil), 422, "bis")
		wantProblem(t, e.do("GET", "/api/v1/protokoll?benutzer=niemand", revisor, nil, nil), 422, "benutzer")
		wantProblem(t, e.do("GET", "/api/v1/protokoll?limit=501", revisor, nil, nil), 400, "limit")
		wantProblem(t, e.do("GET", "/api/v1/protokoll?cursor=YWJj", revisor, nil, nil), 400, "cursor")

		// --- paging: every page size gives the same entries as the export -------
		for _, limit := range []int{1, 2, 5, len(tfm), 500} {
			if got := auditPages(t, e, revisor, q, limit); !reflect.DeepEqual(entryIDs(got), entryIDs(tfm)) {
				t.Fatalf("limit %d: %d entries, export has %d", limit, len(got), len(tfm))
			}
		}
		// Each page request writes an entry itself; the cursor keeps the
		// state of the first page, so even one entry per page comes to an end.
		before := len(auditPages(t, e, revisor, "aktion=protokoll.abfrage&benutzer=revisor", 500))
		got := auditPages(t, e, revisor, "aktion=protokoll.abfrage&benutzer=revisor", 1)
		if len(got) != before+1 { // the first query above wrote one more
			t.Fatalf("paging over the queries' own entries: %d, want %d", len(got), before+1)
		}
		for _, it := range got {
			if str(it, "object_type") != "protokoll" || !strings.Contains(fmt.Sprint(it["changes"]), "filter") {
				t.Fatalf("query record %v", it)
			}
		}

		// --- CSV export: RFC 4180, BOM, same content as JSON ---------------------
		r := e.do("GET", "/api/v1/protokoll/export?format=csv&"+q, revisor, nil, nil)
		if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8; header=present" {
			t.Fatalf("csv: %d %v", r.status, r.header)
		}
		if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="protokoll-TFM-`) || !strings.HasSuffix(cd, `Z.csv"`) {
			t.Fatalf("Content-Disposition %q", cd)
		}
		body, ok := bytes.CutPrefix(r.body, []byte("\xEF\xBB\xBF"))
		if !ok {
			t.Fatalf("no UTF-8 byte order mark: %q", r.body[:min(len(r.body), 20)])
		}
		if !bytes.Contains(body, []byte("\r\n")) || bytes.Count(body, []byte("\n")) != bytes.Count(body, []byte("\r\n")) {
			t.Fatal("line ends are not CRLF")
		}
		if !bytes.Contains(body, []byte("Ausbildungsplätze 2026")) {
			t.Fatal("umlauts not in UTF-8")
		}
		rows := readCSV(t, body, ',')
		compareCSV(t, berlin, rows, tfm)
		semi := e.do("GET", "/api/v1/protokoll/export?trennzeichen=semikolon&"+q, revisor, nil, nil)
		if semiRows := readCSV(t, bytes.TrimPrefix(semi.body, []byte("\xEF\xBB\xBF")), ';'); !reflect.DeepEqual(semiRows, rows) {
			t.Fatal("semicolon export differs from the comma export")
		}
		wantProblem(t, e.do("GET", "/api/v1/protokoll/export?format=xml", revisor, nil, nil), 422, "format")
		wantProblem(t, e.do("GET", "/api/v1/protokoll/export?trennzeichen=tab", revisor, nil, nil), 422, "trennzeichen")
		wantProblem(t, e.do("GET", "/api/v1/protokoll/export?benutzer=niemand", revisor, nil, nil), 422, "benutzer")
		// an empty result is a file with the header only
		empty := e.do("GET", "/api/v1/protokoll/export?bis=2000-01-01", revisor, nil, nil)
		if string(empty.body) != "\uFEFFid,seq,zeitpunkt,akteur,i_v_fuer,aktion,objekt_typ,objekt_id,aenderungen,hash\r\n" {
			t.Fatalf("empty csv %q", empty.body)
		}

		// --- reading the log is itself in the log --------------------------------
		var exports int
		for _, it := range auditPages(t, e, e.anna, "aktion=protokoll.export&objekt_typ=protokoll", 500) {
			if str(it, "actor") == "revisor" {
				exports++
			}
		}
		if exports != 4 { // tenant isolation, csv, semicolon, empty; the refused ones not
			t.Fatalf("%d exports of revisor recorded", exports)
		}
	})
}

func readCSV(t *testing.T, b []byte, comma rune) [][]string {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = comma
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse: %v", err)
	}
	return rows
}

// compareCSV checks the CSV rows against the JSON entries, column by column.
func compareCSV(t *testing.T, berlin *time.Location, rows [][]string, entries []map[string]any) {
	t.Helper()
	header := []string{"id", "seq", "zeitpunkt", "akteur", "i_v_fuer", "aktion", "objekt_typ", "objekt_id", "aenderungen", "hash"}
	if len(rows) == 0 || !reflect.DeepEqual(rows[0], header) {
		t.Fatalf("csv header %v", rows)
	}
	rows = rows[1:]
	if len(rows) != len(entries) {
		t.Fatalf("csv has %d rows, json %d entries", len(rows), len(entries))
	}
	chained := 0
	for i, row := range rows {
		j := entries[i]
		jAt, err1 := time.Parse(time.RFC3339Nano, str(j, "at"))
		cAt, err2 := time.Parse(time.RFC3339Nano, row[2])
		if err1 != nil || err2 != nil || !cAt.Equal(jAt) {
			t.Fatalf("row %d zeitpunkt %q vs %q (%v %v)", i, row[2], str(j, "at"), err1, err2)
		}
		// six fractional digits, the offset of Europe/Berlin
		if _, off := jAt.In(berlin).Zone(); len(row[2]) != len("2006-01-02T15:04:05.000000+01:00") ||
			!strings.HasSuffix(row[2], fmt.Sprintf("+%02d:00", off/3600)) {
			t.Fatalf("row %d zeitpunkt %q not in Europe/Berlin", i, row[2])
		}
		seq := strconv.FormatFloat(j["seq"].(float64), 'f', -1, 64)
		if seq != "0" {
			chained++
			if len(str(j, "hash")) != 64 {
				t.Fatalf("row %d: chained without hash", i)
			}
		}
		want := []string{str(j, "id"), seq, row[2], str(j, "actor"), str(j, "on_behalf_of"), str(j, "action"), str(j, "object_type"), str(j, "object_id"), row[8], str(j, "hash")}
		if !reflect.DeepEqual(row, want) {
			t.Fatalf("row %d:\n csv  %q\n json %q", i, row, want)
		}
		var cChanges any
		if row[8] != "" {
			if err := json.Unmarshal([]byte(row[8]), &cChanges); err != nil {
				t.Fatalf("row %d aenderungen not JSON: %v", i, err)
			}
		}
		if !reflect.DeepEqual(cChanges, j["changes"]) {
			t.Fatalf("row %d aenderungen %s vs %v", i, row[8], j["changes"])
		}
	}
	if chained == 0 {
		t.Fatal("no chained entry in the export: seq and hash columns untested")
	}
}
