package web_test

import (
	"strings"
	"testing"
)

// Defects found by a user walk through the pages (fixed together; each
// test fails without its fix).

// TestUINavPosteingang: the main navigation offers "Posteingang" exactly
// to those whose Posteingang pages do not answer 403.
func TestUINavPosteingang(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		bernd := e.client() // Sachbearbeitung
		bernd.signIn()
		p := bernd.get("/")
		wantPage(t, p, 200, `aria-label="Hauptnavigation"`)
		if strings.Contains(p.body, `href="/posteingang"`) {
			t.Error("Sachbearbeitung sees the Posteingang in the navigation")
		}
		wantPage(t, bernd.get("/posteingang"), 403)

		anna := e.client() // admin
		anna.signInAs("TFM", "anna")
		wantPage(t, anna.get("/"), 200, `<li><a href="/posteingang">Posteingang</a></li>`)
		wantPage(t, anna.get("/posteingang"), 200)
	})
}
