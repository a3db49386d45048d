package web

import (
	"strings"
	"testing"
)

// TestChangesInWords: the Verlauf shows labels instead of field keys, sizes
// and states in words, unknown keys as they are, and every Aktenzeichen in
// a nowrap span.
func TestChangesInWords(t *testing.T) {
	for raw, want := range map[string]string{
		`{"version":{"nummer":2,"sha256":"ab","groesse":2507,"dateiname":"antrag.pdf"}}`:            "Version: 2; Dateiname: antrag.pdf; Größe: 2,5 kB",
		`{"status":{"before":"offen","after":"zda"}}`:                                               "Status: offen → zu den Akten (z.d.A.)",
		`{"aktenzeichen":"LV-121-2026/0001","titel":"Ausbildung","aktenplan":"121","einheit":null}`: "Aktenzeichen: LV-121-2026/0001; Titel: Ausbildung; Organisationseinheit: keine (ganzer Mandant); Aktenplan: 121",
		`{"final":{"before":false,"after":2}}`:                                                      "Endgültige Version: nein → 2",
		`{"version":1,"durchsuchbar":true}`:                                                         "Version: 1; durchsuchbare Fassung: ja",
		`{"vorgang_id":"x","aktenzeichen":"A-1","dokumente":["a","b"],"neue_akte":false}`:           "Aktenzeichen: A-1; Dokumente: 2 Dokumente; neue Akte: nein",
		`{"unbekannt_feld":{"before":"a","after":"b"}}`:                                             "unbekannt_feld: a → b",
	} {
		if got := changesText([]byte(raw)); got != want {
			t.Errorf("%s:\n got %q\nwant %q", raw, got, want)
		}
	}
	h := string(changesHTML([]byte(`{"aktenzeichen":{"before":"LV-121-2026/0001-001","after":"LV-122-2026/0001-001"},"betreff":"<b>x</b>"}`)))
	for _, want := range []string{
		`<span class="az">LV-121-2026/0001-001</span> → <span class="az">LV-122-2026/0001-001</span>`,
		`Betreff: &lt;b&gt;x&lt;/b&gt;`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("changes HTML %s lacks %s", h, want)
		}
	}
}
