package web_test

import (
	"context"
	"html"
	"strings"
	"testing"

	"aktenwerk/internal/records"
)

// TestUIStartGespeicherteSuchen: the start page lists the user's saved
// searches as links that run them (query and filters), with an empty-state
// text before there are any; another user's saved searches are not shown.
func TestUIStartGespeicherteSuchen(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		e.index()
		c := e.client()
		c.signIn()
		wantPage(t, c.get("/"), 200, `id="h-gespeichert"`, "Noch keine gespeicherten Suchen.")

		if _, err := e.f.Svc.SaveSearch(ctx, e.f.Bernd, records.NewSavedSearch{Name: "Offene Anträge",
			Query: "Antrag", Filter: records.SavedSearchFilter{ObjectType: "vorgang", Status: "offen"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.f.Svc.SaveSearch(ctx, e.f.Bernd, records.NewSavedSearch{Name: "Ausbildung 2026", Query: "Ausbildungsplätze"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.f.Svc.SaveSearch(ctx, e.f.Anna, records.NewSavedSearch{Name: "Annas Haushalt", Query: "Haushalt"}); err != nil {
			t.Fatal(err)
		}
		p := c.get("/")
		wantPage(t, p, 200, ">Offene Anträge</a>", ">Ausbildung 2026</a>", "„Antrag“")
		if strings.Contains(p.body, "Noch keine gespeicherten Suchen") || strings.Contains(p.body, "Annas Haushalt") {
			t.Errorf("start page: empty state or another user's search:\n%s", p.body)
		}
		// the link runs the search: the Akte is found by its title
		link := linkTo(t, p.body, "Ausbildung 2026")
		if !strings.HasPrefix(link, "/suche?") {
			t.Fatalf("saved search link %q", link)
		}
		wantPage(t, c.get(link), 200, `value="Ausbildungsplätze"`, "Ausbildungsplätze 2026", "/akten/"+e.akte.ID)
		link = linkTo(t, p.body, "Offene Anträge")
		for _, want := range []string{"q=Antrag", "objekt=vorgang", "status=offen"} {
			if !strings.Contains(link, want) {
				t.Errorf("link %q lacks %s", link, want)
			}
		}
		wantPage(t, c.get(link), 200, "Antrag Müller auf Zulassung")

		anna := e.client()
		anna.signInAs("TFM", "anna")
		if p := anna.get("/"); !strings.Contains(p.body, ">Annas Haushalt</a>") || strings.Contains(p.body, "Offene Anträge") {
			t.Errorf("anna's start page:\n%s", p.body)
		}
	})
}

// linkTo returns the (unescaped) href of the link with the given text.
func linkTo(t *testing.T, body, text string) string {
	t.Helper()
	i := strings.Index(body, ">"+text+"</a>")
	if i < 0 {
		t.Fatalf("no link %q", text)
	}
	j := strings.LastIndex(body[:i], `href="`)
	if j < 0 {
		t.Fatalf("no href for %q", text)
	}
	href := body[j+len(`href="`):]
	return html.UnescapeString(href[:strings.Index(href, `"`)])
}
