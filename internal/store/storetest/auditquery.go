package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
	"aktenwerk/internal/records"
)

func init() {
	moreCases = append(moreCases, Case{"AuditQuery", testAuditQuery})
}

// aqQueryAll pages through a query with the given page size and fails on a
// duplicate or an entry out of id order.
func aqQueryAll(t *testing.T, f *Fixture, p records.Principal, q records.AuditQuery, limit int) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	q.Page = records.Page{Limit: limit}
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("paging does not end")
		}
		es, err := f.Svc.QueryAudit(context.Background(), p, q)
		mustOK(t, err)
		if len(es) > limit {
			t.Fatalf("page of %d entries, limit %d", len(es), limit)
		}
		for _, e := range es {
			if len(out) > 0 && e.ID <= out[len(out)-1].ID {
				t.Fatalf("entry %s after %s: duplicate or out of order", e.ID, out[len(out)-1].ID)
			}
			out = append(out, e)
		}
		if len(es) < limit {
			return out
		}
		q.Page.After = es[len(es)-1].ID
	}
}

func aqExportAll(t *testing.T, f *Fixture, p records.Principal, q records.AuditQuery) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	mustOK(t, f.Svc.ExportAudit(context.Background(), p, q, func(e audit.Entry) error {
		if len(out) > 0 && e.ID <= out[len(out)-1].ID {
			t.Fatalf("export: entry %s after %s", e.ID, out[len(out)-1].ID)
		}
		out = append(out, e)
		return nil
	}))
	return out
}

func aqIDs(es []audit.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// where keeps the entries for which keep is true.
func aqWhere(es []audit.Entry, keep func(audit.Entry) bool) []audit.Entry {
	var out []audit.Entry
	for _, e := range es {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

func aqSameIDs(t *testing.T, what string, got, want []audit.Entry) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: test expects no entries; it should expect some", what)
	}
	if !slices.Equal(aqIDs(got), aqIDs(want)) {
		t.Fatalf("%s: got %d entries %v, want %d %v", what, len(got), aqIDs(got), len(want), aqIDs(want))
	}
}

// aqCount counts a tenant's audit rows with plain SQL, independent of the
// code under test.
func aqCount(t *testing.T, f *Fixture, tenantID, cond string, args ...any) int {
	t.Helper()
	var n int
	q := `SELECT COUNT(*) FROM audit_log WHERE tenant_id = ?`
	if cond != "" {
		q += " AND " + cond
	}
	mustOK(t, f.DB.Writer().QueryRow(sqlRebind(f.DB, q), append([]any{tenantID}, args...)...).Scan(&n))
	return n
}

func testAuditQuery(t *testing.T, f *Fixture) {
	ctx := context.Background()
	tfm, tsk := f.Anna.TenantID, f.Carla.TenantID
	doris := f.user(t, "TFM", "doris", access.RoleAudit)
	tina := f.user(t, "TSK", "tina", access.RoleAudit)

	// Three phases an hour and a day apart (fixture clock).
	t0 := f.Clock.Now()
	pos := f.Plan(t, f.Anna, "121", "Ausbildung")
	f.Clock.Advance(time.Hour)
	t1 := f.Clock.Now()
	a1 := f.Akte(t, f.Bernd, pos.ID, "Ausbildungsplätze")
	v1 := f.Vorgang(t, f.Bernd, a1.ID, "Antrag Müller")
	f.Chain(t) // chained and unchained entries are both found
	f.Clock.Advance(24 * time.Hour)
	t2 := f.Clock.Now()
	a2 := f.Akte(t, f.Anna, pos.ID, "Zweite Akte")
	titel := "Ausbildungsplätze 2026"
	_, err := f.Svc.UpdateAkte(ctx, f.Bernd, a1.ID, records.AktePatch{Titel: &titel})
	mustOK(t, err)
	tskPos := f.Plan(t, f.Carla, "1", "Organisation")
	f.Akte(t, f.Carla, tskPos.ID, "Staatskanzlei-Akte")
	f.Clock.Advance(time.Minute)

	// --- export: everything of the own tenant, in id order ------------------
	before := aqCount(t, f, tfm, "")
	all := aqExportAll(t, f, doris, records.AuditQuery{})
	if len(all) != before {
		t.Fatalf("export returned %d entries, the tenant has %d", len(all), before)
	}
	for _, e := range all {
		if e.TenantID != tfm {
			t.Fatalf("export of TFM contains an entry of tenant %s", e.TenantID)
		}
	}
	// the export recorded itself (after its own snapshot)
	if n := aqCount(t, f, tfm, "action = ? AND actor_id = ?", records.ActionAuditExport, doris.UserID); n != 1 {
		t.Fatalf("%d protokoll.export entries, want 1", n)
	}

	// --- filters --------------------------------------------------------------
	q := func(p records.Principal, q records.AuditQuery) []audit.Entry { return aqQueryAll(t, f, p, q, 2) }
	aqSameIDs(t, "benutzer bernd", q(doris, records.AuditQuery{User: "bernd"}),
		aqWhere(all, func(e audit.Entry) bool { return e.ActorID == f.Bernd.UserID }))
	for _, e := range q(doris, records.AuditQuery{User: "bernd"}) {
		if e.Actor != "bernd" {
			t.Fatalf("user filter returned %+v", e)
		}
	}
	byA1 := q(doris, records.AuditQuery{ObjectID: a1.ID})
	aqSameIDs(t, "objekt a1", byA1, aqWhere(all, func(e audit.Entry) bool { return e.ObjectID == a1.ID }))
	if len(byA1) != 2 || byA1[0].Action != "akte.create" || byA1[1].Action != "akte.update" {
		t.Fatalf("entries of the Akte: %+v", byA1)
	}
	hist, err := f.Svc.History(ctx, f.Anna, "akte", a1.ID, records.Page{})
	mustOK(t, err)
	aqSameIDs(t, "objekt a1 vs. History", byA1, hist)
	aqSameIDs(t, "aktion akte.create", q(doris, records.AuditQuery{Action: "akte.create"}),
		aqWhere(all, func(e audit.Entry) bool { return e.Action == "akte.create" }))
	if n := len(q(doris, records.AuditQuery{Action: "akte.create"})); n != 2 {
		t.Fatalf("%d akte.create entries in TFM, want 2 (a1, a2)", n)
	}
	aqSameIDs(t, "objekt_typ vorgang", q(doris, records.AuditQuery{ObjectType: "vorgang"}),
		aqWhere(all, func(e audit.Entry) bool { return e.ObjectType == "vorgang" }))
	aqSameIDs(t, "benutzer + aktion + objekt_typ", q(doris, records.AuditQuery{User: "anna", Action: "akte.create", ObjectType: "akte"}),
		aqWhere(all, func(e audit.Entry) bool {
			return e.ActorID == f.Anna.UserID && e.Action == "akte.create" && e.ObjectType == "akte"
		}))
	if got := q(doris, records.AuditQuery{User: "anna", Action: "akte.create"}); len(got) != 1 || got[0].ObjectID != a2.ID {
		t.Fatalf("anna created only the second Akte, got %+v", got)
	}
	if got := q(doris, records.AuditQuery{User: "anna", ObjectID: v1.ID}); len(got) != 0 {
		t.Fatalf("anna did nothing to the Vorgang, got %+v", got)
	}

	// time range: bounds are inclusive, at microsecond precision (the clock
	// has nanoseconds; stored times are truncated to microseconds)
	phase := func(from, to time.Time) []audit.Entry {
		return aqWhere(all, func(e audit.Entry) bool { return !e.At.Before(from) && !e.At.After(to) })
	}
	t1s, t2s := t1.Truncate(time.Microsecond), t2.Truncate(time.Microsecond)
	aqSameIDs(t, "von=bis=t1", q(doris, records.AuditQuery{From: &t1, To: &t1}), phase(t1s, t1s))
	var as []string
	for _, e := range phase(t1s, t1s) {
		as = append(as, e.Action+" "+e.ObjectID)
	}
	if !slices.Equal(as, []string{"akte.create " + a1.ID, "vorgang.create " + v1.ID}) {
		t.Fatalf("entries at t1: %v", as)
	}
	aqSameIDs(t, "von t1 bis t2", q(doris, records.AuditQuery{From: &t1, To: &t2}), phase(t1s, t2s))
	// open end (the records of these queries come later, but are not of type akte)
	aqSameIDs(t, "von t2, objekt_typ akte", q(doris, records.AuditQuery{From: &t2, ObjectType: "akte"}),
		aqWhere(phase(t2s, t2s), func(e audit.Entry) bool { return e.ObjectType == "akte" }))
	aqSameIDs(t, "bis t1", q(doris, records.AuditQuery{To: &t1}), phase(t0.Add(-time.Hour), t1s))
	justAfter, justBefore := t1s.Add(time.Microsecond), t2s.Add(-time.Microsecond)
	if got := q(doris, records.AuditQuery{From: &justAfter, To: &justBefore}); len(got) != 0 {
		t.Fatalf("nothing happened between the phases, got %d entries", len(got))
	}
	aqSameIDs(t, "von t1 bis t2, bernd", q(doris, records.AuditQuery{From: &t1, To: &t2, User: "bernd"}),
		aqWhere(all, func(e audit.Entry) bool { return e.ActorID == f.Bernd.UserID && !e.At.Before(t1s) }))
	// in another zone, the same instant
	t1Berlin := t1.In(time.FixedZone("CET", 3600))
	aqSameIDs(t, "von=bis=t1 (CET)", q(doris, records.AuditQuery{From: &t1Berlin, To: &t1Berlin}), phase(t1s, t1s))

	// --- paging: without gaps or duplicates, for every page size ---------------
	// (bounded by To: queries record themselves, later than To)
	stable := f.Clock.Now()
	f.Clock.Advance(time.Second)
	want := aqExportAll(t, f, doris, records.AuditQuery{To: &stable})
	if n := aqCount(t, f, tfm, "at <= ?", stable.UTC()); len(want) != n || len(want) < len(all) {
		t.Fatalf("export up to %v: %d entries, the tenant has %d", stable, len(want), n)
	}
	for _, limit := range []int{1, 2, 3, 7, len(want), len(want) + 1, 500} {
		aqSameIDs(t, fmt.Sprintf("paging with limit %d", limit), aqQueryAll(t, f, doris, records.AuditQuery{To: &stable}, limit), want)
	}
	// limit 0 means the default page of 50, more than 500 is clamped to 500
	mass := aqMassEntries(t, f, tfm, f.Bernd, 2100)
	es, err := f.Svc.QueryAudit(ctx, doris, records.AuditQuery{Action: "test.massen"})
	mustOK(t, err)
	if len(es) != 50 || es[0].ID != mass[0] {
		t.Fatalf("default page: %d entries", len(es))
	}
	es, err = f.Svc.QueryAudit(ctx, doris, records.AuditQuery{Action: "test.massen", Page: records.Page{Limit: 100000}})
	mustOK(t, err)
	if len(es) != 500 || es[499].ID != mass[499] {
		t.Fatalf("clamped page: %d entries", len(es))
	}
	// the export crosses its batches (1000) without gaps or duplicates
	if got := aqExportAll(t, f, doris, records.AuditQuery{Action: "test.massen"}); !slices.Equal(aqIDs(got), mass) {
		t.Fatalf("export of %d mass entries returned %d", len(mass), len(got))
	}
	exp := aqExportAll(t, f, f.Anna, records.AuditQuery{}) // admin may read the log too
	if n := aqCount(t, f, tfm, "id < ?", exp[len(exp)-1].ID) + 1; len(exp) != n || len(exp) < len(all)+2100 {
		t.Fatalf("full export %d entries, tenant has %d up to the last one", len(exp), n)
	}

	// an error of the receiver ends the export with that error
	stop := errors.New("receiver gone")
	calls := 0
	err = f.Svc.ExportAudit(ctx, doris, records.AuditQuery{}, func(audit.Entry) error {
		calls++
		if calls == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 5 {
		t.Fatalf("export after receiver error: %v after %d calls", err, calls)
	}

	// --- other tenants ------------------------------------------------------
	tskAll := aqExportAll(t, f, tina, records.AuditQuery{})
	if len(tskAll) == 0 || len(tskAll) != aqCount(t, f, tsk, "id < ?", tskAll[len(tskAll)-1].ID)+1 {
		t.Fatalf("TSK export %d entries", len(tskAll))
	}
	tfmIDs := map[string]bool{}
	for _, id := range aqIDs(exp) {
		tfmIDs[id] = true
	}
	for _, e := range tskAll {
		if e.TenantID != tsk || tfmIDs[e.ID] {
			t.Fatalf("TSK auditor sees entry %+v of another tenant", e)
		}
	}
	if got := q(tina, records.AuditQuery{ObjectID: a1.ID}); len(got) != 0 {
		t.Fatalf("TSK auditor finds TFM's Akte: %+v", got)
	}
	if got := q(tina, records.AuditQuery{Action: "test.massen"}); len(got) != 0 {
		t.Fatalf("TSK auditor finds %d TFM entries by action", len(got))
	}
	// logins are resolved in the caller's tenant: bernd is not a TSK user
	_, err = f.Svc.QueryAudit(ctx, tina, records.AuditQuery{User: "bernd"})
	wantField(t, err, "benutzer")

	// --- permission ---------------------------------------------------------
	queriesBefore := aqCount(t, f, tfm, "object_type = ?", records.ObjectTypeAuditLog)
	for _, p := range []records.Principal{f.Bernd, f.Carla} {
		_, err = f.Svc.QueryAudit(ctx, p, records.AuditQuery{})
		wantKind(t, err, apperr.KindForbidden)
		err = f.Svc.ExportAudit(ctx, p, records.AuditQuery{}, func(audit.Entry) error { t.Fatal("entry handed out"); return nil })
		wantKind(t, err, apperr.KindForbidden)
	}

	// --- validation: named fields, nothing recorded ---------------------------
	_, err = f.Svc.QueryAudit(ctx, doris, records.AuditQuery{User: "niemand"})
	wantField(t, err, "benutzer")
	err = f.Svc.ExportAudit(ctx, doris, records.AuditQuery{User: "niemand"}, func(audit.Entry) error { t.Fatal("entry handed out"); return nil })
	wantField(t, err, "benutzer")
	_, err = f.Svc.QueryAudit(ctx, doris, records.AuditQuery{From: &t2, To: &t1})
	wantField(t, err, "bis")
	_, err = f.Svc.QueryAudit(ctx, doris, records.AuditQuery{Action: "akte.create' OR 1=1 --"})
	wantField(t, err, "aktion")
	if n := aqCount(t, f, tfm, "object_type = ?", records.ObjectTypeAuditLog); n != queriesBefore {
		t.Fatalf("refused queries wrote %d audit entries", n-queriesBefore)
	}

	// --- queries are audited with their filter --------------------------------
	from := t1
	_, err = f.Svc.QueryAudit(ctx, doris, records.AuditQuery{User: "bernd", ObjectID: a1.ID, From: &from, Page: records.Page{Limit: 10}})
	mustOK(t, err)
	type record struct {
		Filter  map[string]string `json:"filter"`
		Treffer int               `json:"treffer"`
		Limit   int               `json:"limit"`
	}
	var found []record
	for _, e := range q(doris, records.AuditQuery{Action: records.ActionAuditQuery, User: "doris"}) {
		if e.ObjectType != records.ObjectTypeAuditLog || e.ObjectID != tfm || e.Actor != "doris" {
			t.Fatalf("query record %+v", e)
		}
		var c record
		mustOK(t, json.Unmarshal(e.Changes, &c))
		if c.Filter["objekt"] == a1.ID && c.Filter["benutzer"] == "bernd" {
			found = append(found, c)
		}
	}
	if len(found) != 1 || found[0].Filter["von"] != t1s.Format(time.RFC3339Nano) || found[0].Treffer != 2 || found[0].Limit != 10 {
		t.Fatalf("record of the query: %+v", found)
	}
	// exports by doris: everything, up to stable, the mass entries, the one
	// the receiver ended
	if n := aqCount(t, f, tfm, "action = ? AND actor_id = ?", records.ActionAuditExport, doris.UserID); n != 4 {
		t.Fatalf("%d protokoll.export entries by doris, want 4", n)
	}
	// an export of the operator (CLI) is recorded with the actor system
	n := 0
	mustOK(t, f.Svc.ExportTenantAudit(ctx, "TSK", records.AuditQuery{User: "carla"}, func(e audit.Entry) error {
		if e.TenantID != tsk || e.ActorID != f.Carla.UserID {
			t.Fatalf("operator export: %+v", e)
		}
		n++
		return nil
	}))
	if n == 0 || aqCount(t, f, tsk, "action = ? AND actor = 'system' AND actor_id = ''", records.ActionAuditExport) != 1 {
		t.Fatalf("operator export: %d entries, or not recorded", n)
	}
	wantKind(t, f.Svc.ExportTenantAudit(ctx, "NOPE", records.AuditQuery{}, func(audit.Entry) error { return nil }), apperr.KindNotFound)

	// --- users of another tenant on a shared Akte -------------------------------
	// Their entries are in the log of the Akte's tenant, with the actor
	// "login@CODE"; the filter takes that form.
	_, err = f.Svc.Grant(ctx, f.Anna, a1.ID, records.NewGrant{Tenant: "TSK", User: "carla", Level: records.GrantWrite})
	mustOK(t, err)
	shared := f.Vorgang(t, f.Carla, a1.ID, "Mitzeichnung Staatskanzlei")
	byCarla := q(doris, records.AuditQuery{User: "carla@TSK"})
	if len(byCarla) != 1 || byCarla[0].ObjectID != shared.ID || byCarla[0].Actor != "carla@TSK" || byCarla[0].ActorID != f.Carla.UserID {
		t.Fatalf("benutzer carla@TSK in TFM's log: %+v", byCarla)
	}
	// an unknown foreign user or tenant finds nothing, without telling which
	for _, login := range []string{"niemand@TSK", "carla@NOPE", "doris@TFMX"} {
		if got, err := f.Svc.QueryAudit(ctx, doris, records.AuditQuery{User: login}); err != nil || len(got) != 0 {
			t.Fatalf("benutzer %s: %v %+v", login, err, got)
		}
	}
	// the own tenant's code is the own tenant
	aqSameIDs(t, "benutzer bernd@TFM", q(doris, records.AuditQuery{User: "bernd@TFM", To: &stable}), q(doris, records.AuditQuery{User: "bernd", To: &stable}))
	_, err = f.Svc.QueryAudit(ctx, doris, records.AuditQuery{User: "niemand@TFM"})
	wantField(t, err, "benutzer")
	// TSK's own log does not hold carla's work on TFM's Akte
	for _, e := range q(tina, records.AuditQuery{User: "carla"}) {
		if e.ObjectID == shared.ID {
			t.Fatalf("TSK's log holds an entry of TFM's Vorgang: %+v", e)
		}
	}

	// the records of queries are chained like every other entry
	f.Chain(t)
	rep, err := f.Svc.VerifyAudit(ctx)
	mustOK(t, err)
	if len(rep.Breaks) != 0 || rep.Pending != 0 {
		t.Fatalf("audit chain after queries: %+v", rep)
	}
}

// aqMassEntries writes n audit entries of action test.massen for p in one
// transaction (cheap volume for paging and export batches) and returns
// their ids in order.
func aqMassEntries(t *testing.T, f *Fixture, tenantID string, p records.Principal, n int) []string {
	t.Helper()
	out := make([]string, n)
	at := f.Clock.Now().UTC().Truncate(time.Microsecond)
	mustOK(t, f.DB.Write(context.Background(), func(tx records.Tx) error {
		for i := range out {
			out[i] = uuid.Must(uuid.NewV7()).String()
			err := tx.AppendAudit(context.Background(), audit.Entry{ID: out[i], TenantID: tenantID, At: at, ActorID: p.UserID,
				Actor: p.Login, Action: "test.massen", ObjectType: "akte", ObjectID: fmt.Sprintf("objekt-%d", i)})
			if err != nil {
				return err
			}
		}
		return nil
	}))
	return out
}
