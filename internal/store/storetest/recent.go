package storetest

import (
	"context"
	"fmt"
	"testing"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Recently opened Akten on every backend: kept per user, newest first,
// opening again moves an Akte to the front, bounded, visibility checked
// when read (an Akte no longer visible is left out), nobody else's list.

func init() {
	moreCases = append(moreCases, Case{"RecentAkten", testRecentAkten})
}

func testRecentAkten(t *testing.T, f *Fixture) {
	ctx := context.Background()
	plan := f.Plan(t, f.Anna, "1", "Organisation")
	ids := func(list []records.Akte) string {
		s := ""
		for _, a := range list {
			s += a.Titel + " "
		}
		return s
	}
	want := func(p records.Principal, limit int, w string) {
		t.Helper()
		list, err := f.Svc.RecentAkten(ctx, p, limit)
		mustOK(t, err)
		if got := ids(list); got != w {
			t.Fatalf("recent of %s: %q, want %q", p.Login, got, w)
		}
	}
	open := func(p records.Principal, a records.Akte) {
		t.Helper()
		mustOK(t, f.Svc.NoteAkteOpened(ctx, p, a.ID))
	}
	want(f.Bernd, 0, "")
	a1, a2, a3 := f.Akte(t, f.Anna, plan.ID, "A1"), f.Akte(t, f.Anna, plan.ID, "A2"), f.Akte(t, f.Anna, plan.ID, "A3")
	// the clock stands still: the order is still exact
	open(f.Bernd, a1)
	open(f.Bernd, a2)
	open(f.Bernd, a3)
	want(f.Bernd, 0, "A3 A2 A1 ")
	open(f.Bernd, a1)
	want(f.Bernd, 0, "A1 A3 A2 ")
	want(f.Bernd, 2, "A1 A3 ")
	// nobody else's
	want(f.Anna, 0, "")
	want(f.Carla, 0, "")
	// an Akte the user cannot see is not noted (404 as everywhere)
	tsk := f.Plan(t, f.Carla, "9", "Kabinett")
	k := f.Akte(t, f.Carla, tsk.ID, "K1")
	wantKind(t, f.Svc.NoteAkteOpened(ctx, f.Bernd, k.ID), apperr.KindNotFound)
	wantKind(t, f.Svc.NoteAkteOpened(ctx, f.Bernd, "0190c0de-0000-7000-8000-000000000000"), apperr.KindNotFound)
	want(f.Bernd, 0, "A1 A3 A2 ")

	// through a grant: listed while it lasts, left out after it ended
	g, err := f.Svc.Grant(ctx, f.Carla, k.ID, records.NewGrant{Tenant: "TFM", Level: records.GrantRead})
	mustOK(t, err)
	open(f.Bernd, k)
	want(f.Bernd, 0, "K1 A1 A3 A2 ")
	_, err = f.Svc.RevokeGrant(ctx, f.Carla, k.ID, g.ID, nil)
	mustOK(t, err)
	want(f.Bernd, 0, "A1 A3 A2 ")
	want(f.Bernd, 3, "A1 A3 A2 ")

	// bounded: only the newest MaxRecentAkten are kept
	var last string
	for i := range records.MaxRecentAkten + 5 {
		a := f.Akte(t, f.Anna, plan.ID, fmt.Sprintf("N%02d", i))
		open(f.Anna, a)
		last = a.Titel
	}
	list, err := f.Svc.RecentAkten(ctx, f.Anna, 100)
	mustOK(t, err)
	if len(list) != records.MaxRecentAkten || list[0].Titel != last || list[len(list)-1].Titel != "N05" {
		t.Fatalf("anna's list: %d %q", len(list), ids(list))
	}
	var n int
	mustOK(t, f.DB.Read(ctx, func(tx records.Tx) (err error) {
		all, err := tx.RecentAkten(ctx, f.Anna.TenantID, f.Anna.UserID, 1000)
		n = len(all)
		return err
	}))
	if n != records.MaxRecentAkten {
		t.Fatalf("%d rows kept, want %d", n, records.MaxRecentAkten)
	}
	// bernd's list untouched by anna's
	want(f.Bernd, 0, "A1 A3 A2 ")
}
