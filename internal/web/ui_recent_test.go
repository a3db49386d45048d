package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"aktenwerk/internal/records"
)

// "Zuletzt geöffnete Akten" are kept per user on the server: they follow
// the user into another browser, are nobody else's, and an Akte the user
// may no longer see drops out of the list.
func TestUIRecentAkten(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		anna := e.client()
		anna.signInAs("TFM", "anna")
		p := anna.get("/akten/" + e.akte.ID)
		wantPage(t, p, 200, e.akte.Aktenzeichen)
		for _, ck := range p.header.Values("Set-Cookie") {
			if strings.HasPrefix(ck, "aktenwerk_zuletzt=") {
				t.Errorf("recent Akten still in a cookie: %s", ck)
			}
		}
		// another browser of anna's: the same list
		anna2 := e.client()
		anna2.signInAs("TFM", "anna")
		wantPage(t, anna2.get("/"), 200, "Zuletzt geöffnete Akten", e.akte.Aktenzeichen)
		// bernd opened nothing yet: his start page shows the changed ones
		bernd := e.client()
		bernd.signIn()
		wantPage(t, bernd.get("/"), 200, "Zuletzt geänderte Akten")

		// carla (TSK) opens the Akte through a grant, then the grant ends
		g, err := e.f.Svc.Grant(ctx, e.f.Anna, e.akte.ID, records.NewGrant{Tenant: "TSK", Level: records.GrantRead})
		if err != nil {
			t.Fatal(err)
		}
		carla := e.client()
		carla.signInAs("TSK", "carla")
		wantPage(t, carla.get("/akten/"+e.fremdeAkte.ID), 200)
		wantPage(t, carla.get("/akten/"+e.akte.ID), 200, e.akte.Aktenzeichen)
		p = carla.get("/")
		wantPage(t, p, 200, "Zuletzt geöffnete Akten", e.akte.Aktenzeichen, e.fremdeAkte.Aktenzeichen)
		if strings.Index(p.body, e.akte.Aktenzeichen) > strings.Index(p.body, e.fremdeAkte.Aktenzeichen) {
			t.Error("the last opened Akte is not first")
		}
		if _, err := e.f.Svc.RevokeGrant(ctx, e.f.Anna, e.akte.ID, g.ID, nil); err != nil {
			t.Fatal(err)
		}
		p = carla.get("/")
		wantPage(t, p, 200, "Zuletzt geöffnete Akten", e.fremdeAkte.Aktenzeichen)
		if strings.Contains(p.body, e.akte.Aktenzeichen) {
			t.Error("an Akte no longer visible is still listed")
		}
		if p := carla.get("/akten/" + e.akte.ID); p.status != http.StatusNotFound {
			t.Fatalf("revoked grant still opens the Akte: %d", p.status)
		}
	})
}
