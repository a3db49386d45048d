package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestUIDatumsfelder: date fields are text fields for TT.MM.JJJJ (no
// <input type=date>, whose display follows the browser's locale) with
// inputmode=numeric and a visible hint tied to them; they take 23.11.2026
// and 2026-11-23, show stored dates as 23.11.2026, and refuse a day that
// does not exist (31.02.2026) with a German message at the field while
// nothing is saved.
func TestUIDatumsfelder(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		d, _ := e.f.Dokument(t, e.f.Bernd, e.vorgang.ID, "Antrag Müller", "antrag.txt", []byte("Antrag"))
		c := e.client()
		c.signIn()
		input := func(p page, id string) string {
			t.Helper()
			in := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(p.body)
			if in == "" {
				t.Fatalf("no input #%s", id)
			}
			return in
		}
		dateInput := func(p page, id string) {
			t.Helper()
			in := input(p, id)
			for _, want := range []string{`type="text"`, `inputmode="numeric"`, `aria-describedby="`} {
				if !strings.Contains(in, want) {
					t.Errorf("#%s lacks %s: %s", id, want, in)
				}
			}
			if !regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `-hinweis">TT\.MM\.JJJJ`).MatchString(p.body) {
				t.Errorf("#%s: no visible hint TT.MM.JJJJ", id)
			}
			if !strings.Contains(in, id+"-hinweis") {
				t.Errorf("#%s: the hint is not tied to it: %s", id, in)
			}
		}
		noDateType := func(p page, what string) {
			t.Helper()
			if strings.Contains(p.body, `type="date"`) {
				t.Errorf("%s still has <input type=date>", what)
			}
		}

		// the Dokument form
		p := c.get("/dokumente/" + d.ID)
		noDateType(p, "Dokument")
		dateInput(p, "dokumentdatum")
		dateInput(p, "eingangsdatum")
		form := url.Values{"csrf": {c.csrf}, "betreff": {"Antrag Müller"}, "typ": {"Eingang"}, "absender": {"Max Müller"},
			"empfaenger": {""}, "dokumentdatum": {"23.11.2026"}, "eingangsdatum": {"2026-11-24"}}
		if p := c.post("/dokumente/"+d.ID, form); p.status != http.StatusSeeOther {
			t.Fatalf("save with German and ISO dates: %d %s", p.status, p.body)
		}
		got, err := e.f.Svc.GetDokument(ctx, e.f.Bernd, d.ID)
		if err != nil || got.Dokumentdatum == nil || *got.Dokumentdatum != "2026-11-23" || got.Eingangsdatum == nil || *got.Eingangsdatum != "2026-11-24" {
			t.Fatalf("stored: %+v %v", got, err)
		}
		p = c.get("/dokumente/" + d.ID)
		if in := input(p, "dokumentdatum"); !strings.Contains(in, `value="23.11.2026"`) {
			t.Errorf("prefilled Dokumentdatum: %s", in)
		}
		if in := input(p, "eingangsdatum"); !strings.Contains(in, `value="24.11.2026"`) {
			t.Errorf("prefilled Eingangsdatum: %s", in)
		}
		if !strings.Contains(p.body, "Dokumentdatum: – → 23.11.2026") {
			t.Error("the history shows the date not as 23.11.2026")
		}
		wantPage(t, c.get("/vorgaenge/"+e.vorgang.ID), 200, "23.11.2026")

		// a day that does not exist: message at the field, nothing saved
		// (not even the other fields)
		form.Set("absender", "Erika Muster")
		form.Set("dokumentdatum", "31.02.2026")
		p = c.post("/dokumente/"+d.ID, form)
		wantPage(t, p, 422, `<p class="feldfehler" id="dokumentdatum-fehler">Bitte ein Datum angeben, das es gibt: 31.02.2026 ist kein Kalendertag.</p>`,
			`value="31.02.2026"`, `value="Erika Muster"`)
		if in := input(p, "dokumentdatum"); !strings.Contains(in, `aria-invalid="true"`) || !strings.Contains(in, `aria-describedby="dokumentdatum-fehler dokumentdatum-hinweis"`) {
			t.Errorf("error not tied to the field: %s", in)
		}
		form.Set("dokumentdatum", "23.11.26")
		wantPage(t, c.post("/dokumente/"+d.ID, form), 422, "im Format TT.MM.JJJJ")
		if got, _ := e.f.Svc.GetDokument(ctx, e.f.Bernd, d.ID); got.Absender != "Max Müller" || *got.Dokumentdatum != "2026-11-23" {
			t.Errorf("a refused form changed the Dokument: %+v", got)
		}
		// empty clears the date
		form.Set("dokumentdatum", "")
		form.Set("absender", "Max Müller")
		if p := c.post("/dokumente/"+d.ID, form); p.status != http.StatusSeeOther {
			t.Fatalf("save without date: %d", p.status)
		}
		if got, _ := e.f.Svc.GetDokument(ctx, e.f.Bernd, d.ID); got.Dokumentdatum != nil {
			t.Errorf("Dokumentdatum not cleared: %v", *got.Dokumentdatum)
		}

		// the profile: token expiry and Vertretung, "von" prefilled with today
		p = c.get("/profil")
		noDateType(p, "Profil")
		for _, id := range []string{"tok-laeuft-ab-am", "vt-von", "vt-bis"} {
			dateInput(p, id)
		}
		today := e.f.Clock.Now().In(berlinLoc(t)).Format("02.01.2006")
		if in := input(p, "vt-von"); !strings.Contains(in, `value="`+today+`"`) {
			t.Errorf("Vertretung von not prefilled with %s: %s", today, in)
		}
		p = c.vwPost("/profil/tokens", url.Values{"name": {"Skript"}, "laeuft_ab_am": {"31.04.2026"}})
		vwFieldError(t, p, "tok-laeuft-ab-am", "31.04.2026 ist kein Kalendertag")
		if in := input(p, "tok-laeuft-ab-am"); !strings.Contains(in, `value="31.04.2026"`) {
			t.Errorf("the refused date is not shown again: %s", in)
		}

		// the account page of the Verwaltung
		a := e.client()
		a.signInAs("TFM", "anna")
		p = a.get("/verwaltung/benutzer/bernd")
		wantPage(t, p, 200, `inputmode="numeric"`, ">TT.MM.JJJJ. Freiwillig")
		noDateType(p, "Benutzer")
	})
}
