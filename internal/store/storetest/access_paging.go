package storetest

import (
	"context"
	"slices"
	"testing"

	"aktenwerk/internal/records"
)

func init() {
	moreCases = append(moreCases, Case{"NeedToKnowPaging", testNeedToKnowPaging})
}

// Paging through a list that merges the caller's own Akten with Akten other
// tenants shared with it returns every visible Akte exactly once, in id
// order, with any page size — with and without list filters.
func testNeedToKnowPaging(t *testing.T, f *Fixture) {
	ctx := context.Background()
	tfmPlan := f.Plan(t, f.Anna, "1", "Allgemeines")
	tskPlan := f.Plan(t, f.Carla, "1", "Allgemeines")
	var want []string
	for i := range 12 {
		// interleave: TFM Akten (every third shared with TSK) and TSK's own
		a := f.Akte(t, f.Anna, tfmPlan.ID, "TFM")
		if i%3 == 0 {
			if _, err := f.Svc.Grant(ctx, f.Anna, a.ID, records.NewGrant{Tenant: "TSK", Level: records.GrantRead}); err != nil {
				t.Fatal(err)
			}
			want = append(want, a.ID)
		}
		if i%2 == 0 {
			// shared and then revoked: must not appear
			b := f.Akte(t, f.Anna, tfmPlan.ID, "TFM widerrufen")
			g, err := f.Svc.Grant(ctx, f.Anna, b.ID, records.NewGrant{Tenant: "TSK", User: "carla", Level: records.GrantWrite})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Svc.RevokeGrant(ctx, f.Anna, b.ID, g.ID, nil); err != nil {
				t.Fatal(err)
			}
		}
		want = append(want, f.Akte(t, f.Carla, tskPlan.ID, "TSK").ID)
	}
	slices.Sort(want)
	for _, limit := range []int{1, 2, 3, 5, 7, 50} {
		var got []string
		pg := records.Page{Limit: limit}
		for pages := 0; ; pages++ {
			if pages > 100 {
				t.Fatalf("limit %d: paging does not end", limit)
			}
			list, err := f.Svc.ListAkten(ctx, f.Carla, records.AkteFilter{}, pg)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				got = append(got, a.ID)
			}
			if len(list) < limit {
				break
			}
			pg.After = list[len(list)-1].ID
		}
		if !slices.Equal(got, want) {
			t.Fatalf("limit %d: listed %d Akten, want %d (%v vs %v)", limit, len(got), len(want), got, want)
		}
	}
	// with a filter (status) the merge takes the other query form
	open, err := f.Svc.ListAkten(ctx, f.Carla, records.AkteFilter{Status: records.StatusOffen}, records.Page{Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 4 || !slices.Equal([]string{open[0].ID, open[1].ID, open[2].ID, open[3].ID}, want[:4]) {
		t.Fatalf("filtered first page %v, want %v", open, want[:4])
	}
}
