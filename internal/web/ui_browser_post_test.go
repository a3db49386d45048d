package web_test

// Browser test of the Posteingang and the search page (Chromium, chromedp;
// the helpers are those of ui_browser_test.go): upload into the
// Posteingang, assign an item to a Vorgang through the search-as-you-type
// field, search, narrow by a facet, save the search, open a hit; axe-core
// on every page visited, no CSP violations or script errors, 360 px
// without horizontal scrolling. The server's search indexer runs beside
// it, as under "aktenwerk serve".

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aktenwerk/internal/intake"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
)

func TestUIBrowserPosteingangSuche(t *testing.T) {
	chromium(t)
	for _, be := range storetest.Backends(t) {
		t.Run(be.Name, func(t *testing.T) {
			e := newUIEnv(t, be)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				e.f.Svc.RunIndexer(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), 100*time.Millisecond)
				close(done)
			}()
			t.Cleanup(func() { cancel(); <-done })
			startThumbWorker(t, e)
			shots := ""
			if be.Name == "sqlite" {
				shots = screenshotDir(t)
			}
			b := newBrowser(t, e.srv.URL, shots)
			walkPostSuche(t, e, b)
		})
	}
}

// startThumbWorker runs the thumbnail jobs beside the server (only those:
// the items' recognised texts are the test's own), with the hook that
// enqueues them for new Posteingang items.
func startThumbWorker(t *testing.T, e *uiEnv) {
	t.Helper()
	q, err := jobs.New(e.f.DB, jobs.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r := q.NewRunner(jobs.RunnerOptions{PollInterval: 100 * time.Millisecond})
	th := &intake.ThumbJobs{Svc: e.f.Svc, Queue: q}
	if err := th.Register(r); err != nil {
		t.Fatal(err)
	}
	e.f.Svc.SetOnPost(th.OnPost)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitIndexed waits until the indexer beside the server has caught up
// with the objects a search should find.
func waitIndexed(t *testing.T, e *uiEnv, q string, want int) {
	t.Helper()
	for range 100 {
		res, err := e.f.Svc.Search(context.Background(), e.f.Anna, records.SearchRequest{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Anzahl >= want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the index did not catch up: fewer than %d hits for %q", want, q)
}

// liveSettled waits until the search-as-you-type list shows the answer for
// text and no request of the field is under way any more (typing and Enter
// may each have started one; the last one wins).
func liveSettled(b *browser, text string) {
	b.t.Helper()
	js := fmt.Sprintf(`(function(){ const h = document.querySelector("#vorgang-treffer input[name=suche]");
		return !!h && h.value === %q && !document.querySelector(".htmx-request"); })()`, text)
	b.waitFor("the result list for "+text, js)
	time.Sleep(700 * time.Millisecond) // longer than the field's delay of 300 ms
	b.waitFor("the result list for "+text+", settled", js)
}

// signInBrowser signs a user without a second factor in.
func signInBrowser(b *browser, tenant, login string) {
	b.t.Helper()
	b.open("/anmelden")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#tenant"), tenant),
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#passwort"), uiPW),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#h-akten")),
	)
}

func walkPostSuche(t *testing.T, e *uiEnv, b *browser) {
	ctx := context.Background()
	widerspruch, err := e.f.Svc.CreateVorgang(ctx, e.f.Bernd, e.akte.ID, "Widerspruch Schulze", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.f.Svc.StoreContent(ctx, e.f.Bernd, strings.NewReader("Bescheid"), "bescheid.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.f.Svc.CreateDokument(ctx, e.f.Bernd, e.vorgang.ID, records.NewDokument{Betreff: "Bescheid über den Antrag", Typ: "Bescheid"}, c); err != nil {
		t.Fatal(err)
	}
	brief := e.postItem("TFM", "Schreiben_Müller.txt", "Sehr geehrte Damen und Herren,\nanbei die fehlenden Unterlagen zu meinem Antrag.\nMit freundlichen Grüßen\nMax Müller\n",
		"Sehr geehrte Damen und Herren, anbei die fehlenden Unterlagen zu meinem Antrag. Max Müller")

	signInBrowser(b, "TFM", "anna")

	// --- Posteingang: list, upload by the file input ----------------------------------------
	b.do(chromedp.Click(chromedp.CSS(`.hauptnav a[href="/posteingang"]`)), chromedp.WaitVisible(chromedp.CSS("#h-eingaenge")))
	b.axe("Posteingang")
	dir := t.TempDir()
	scan := filepath.Join(dir, "Eingang_Rechnung.pdf")
	if err := os.WriteFile(scan, samplePDF("Rechnung Nr. 4711"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(
		chromedp.SetUploadFiles(chromedp.CSS("#dateien"), []string{scan}),
		chromedp.Click(chromedp.CSS(`form[data-hochladen] button[type=submit]`)),
	)
	b.waitFor("the uploaded item listed", `(function(){ const t = document.querySelector("#eingaenge table");
		return !!t && t.textContent.includes("Eingang_Rechnung.pdf") && t.textContent.includes("Schreiben_Müller.txt"); })()`)
	// the script's path confirms where the file went, like the form's redirect
	b.waitFor("the confirmation of the upload", `(function(){ const m = document.querySelector("main > .meldung[role=status]");
		return !!m && m.textContent === "1 Datei wurde in den Posteingang der Poststelle (ganzer Mandant) gelegt."; })()`)
	// the uploaded PDF gets its thumbnail from the job; the text item keeps
	// the placeholder
	b.waitThumbnail("/posteingang", `#eingaenge img.miniatur-klein[alt="Erste Seite von Eingang_Rechnung.pdf"]`)
	if n := eval[int](b, `document.querySelectorAll("#eingaenge img.miniatur-klein").length`); n != 1 {
		t.Errorf("%d thumbnails in the Posteingang, want 1", n)
	}
	b.axe("Posteingang nach dem Hochladen")
	b.shot("posteingang")

	// --- one item: assign it by the search-as-you-type field -----------------------------------
	b.do(chromedp.Click(chromedp.Search(`//a[normalize-space()="Schreiben_Müller.txt"]`)), chromedp.WaitVisible(chromedp.CSS("#z-suche")))
	if !strings.Contains(eval[string](b, `document.querySelector("pre.vorschau-text").textContent`), "fehlenden Unterlagen") {
		t.Error("no text preview")
	}
	b.axe("Posteingang-Eintrag")
	b.do(chromedp.SendKeys(chromedp.CSS("#z-suche"), "Antr"))
	radio := "#z-vg-" + e.vorgang.ID
	b.waitFor("the Vorgang offered while typing", `!!document.querySelector("`+radio+`")`)
	liveSettled(b, "Antr")
	if st := eval[string](b, `document.getElementById("vorgang-treffer-status").textContent.trim()`); st != "1 offener Vorgang gefunden." {
		t.Errorf("live region: %q", st)
	}
	if eval[bool](b, `!!document.querySelector("#z-vg-`+widerspruch.ID+`")`) {
		t.Error("a Vorgang that does not match is offered")
	}
	if p := b.path(); p != "/posteingang/"+brief.ID {
		t.Errorf("the page changed while typing: %s", p)
	}
	// Enter searches in place too (the script keeps the page)
	b.do(chromedp.SendKeys(chromedp.CSS("#z-suche"), "ag Müller\r"))
	liveSettled(b, "Antrag Müller")
	if st := eval[string](b, `document.getElementById("vorgang-treffer-status").textContent.trim()`); st != "1 offener Vorgang gefunden." {
		t.Errorf("live region after Enter: %q", st)
	}
	if p := b.path(); p != "/posteingang/"+brief.ID {
		t.Errorf("Enter left the page: %s", p)
	}
	b.axe("Posteingang-Eintrag mit Treffern")
	b.shot("posteingang-eintrag")
	b.do(chromedp.Click(chromedp.CSS(`label[for="z-vg-` + e.vorgang.ID + `"]`)))
	if !eval[bool](b, `document.querySelector("`+radio+`").checked`) {
		t.Fatal("the label does not choose the Vorgang")
	}
	b.do(
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Zuordnen"]`)),
		chromedp.WaitVisible(chromedp.CSS(".meldung")),
	)
	if p := b.path(); p != "/vorgaenge/"+e.vorgang.ID+"?meldung=zugeordnet" {
		t.Fatalf("after assigning at %s", p)
	}
	if !strings.Contains(eval[string](b, `document.querySelector("#dokumente").textContent`), "Schreiben_Müller.txt") {
		t.Error("the assigned item is not a Dokument of the Vorgang")
	}
	b.axe("Vorgang nach dem Zuordnen")

	// --- search: query, facet, save, open a hit ---------------------------------------------------
	b.do(chromedp.Click(chromedp.CSS(`.hauptnav a[href="/suche"]`)), chromedp.WaitVisible(chromedp.CSS("#q")))
	b.axe("Suche (leer)")
	waitIndexed(t, e, "Antrag", 3)
	b.do(
		chromedp.SendKeys(chromedp.CSS("#q"), "Antrag"),
		chromedp.Click(chromedp.CSS(`.suchkopf button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".trefferliste")),
	)
	if n := eval[int](b, `document.querySelectorAll(".trefferliste .treffer").length`); n != 3 {
		t.Errorf("%d hits for Antrag, want 3 (Vorgang, Bescheid, assigned letter)", n)
	}
	if n := eval[int](b, `document.querySelectorAll(".ausschnitt mark").length`); n == 0 {
		t.Error("no highlighted hits in the snippets")
	}
	b.axe("Suche mit Treffern")
	b.shot("suche")
	b.do(chromedp.Click(chromedp.CSS(`.facetten a[href*="objekt=vorgang"]`)), chromedp.WaitVisible(chromedp.CSS(".filterchip")))
	if n := eval[int](b, `document.querySelectorAll(".trefferliste .treffer").length`); n != 1 {
		t.Errorf("%d hits with the facet Vorgänge, want 1", n)
	}
	if h := eval[string](b, `document.getElementById("h-treffer").textContent`); h != "1 Treffer" {
		t.Errorf("count: %q", h)
	}
	b.axe("Suche mit Filter")
	eval[chromedp.Void](b, `document.getElementById("gs-name").value = ""`)
	b.do(
		chromedp.SendKeys(chromedp.CSS("#gs-name"), "Offene Anträge"),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Speichern"]`)),
		chromedp.WaitVisible(chromedp.CSS(".meldung")),
	)
	if l := eval[string](b, `document.querySelector(".gespeichert-liste").textContent`); !strings.Contains(l, "Offene Anträge") || !strings.Contains(l, "Art: Vorgänge") {
		t.Errorf("saved searches: %q", l)
	}
	b.axe("Suche gespeichert")
	// the start page lists it: run it from there
	b.do(chromedp.Click(chromedp.CSS(`.hauptnav a[href="/"]`)), chromedp.WaitVisible(chromedp.CSS("#h-gespeichert")))
	if l := eval[string](b, `document.querySelector("#h-suche").parentElement.querySelector(".gespeichert-liste").textContent`); !strings.Contains(l, "Offene Anträge") {
		t.Errorf("start page: saved searches %q", l)
	}
	b.axe("Start mit gespeicherter Suche")
	b.shot("start-gespeicherte-suche")
	b.do(chromedp.Click(chromedp.Search(`//section[@aria-labelledby="h-suche"]//a[normalize-space()="Offene Anträge"]`)), chromedp.WaitVisible(chromedp.CSS(".trefferliste")))
	if n := eval[int](b, `document.querySelectorAll(".trefferliste .treffer").length`); n != 1 || !strings.Contains(b.path(), "objekt=vorgang") {
		t.Errorf("saved search from the start page: %d hits at %s", n, b.path())
	}
	// run the saved search from the list, then open the hit
	b.open("/suche")
	b.do(chromedp.Click(chromedp.Search(`//a[normalize-space()="Offene Anträge"]`)), chromedp.WaitVisible(chromedp.CSS(".trefferliste")))
	b.do(chromedp.Click(chromedp.CSS(`.treffer-kopf a[href="/vorgaenge/`+e.vorgang.ID+`"]`)), chromedp.WaitVisible(chromedp.CSS("#h-dokumente")))
	if p := b.path(); p != "/vorgaenge/"+e.vorgang.ID {
		t.Errorf("hit opened at %s", p)
	}
	// a malformed query: the message at the field
	b.open("/suche?q=" + "%28Antrag")
	if d := eval[string](b, `document.getElementById("q").getAttribute("aria-describedby")`); d != "q-fehler q-hilfe" {
		t.Errorf("error not tied to the search field: %q", d)
	}
	b.axe("Suche mit Fehler")

	// --- 360 px wide ----------------------------------------------------------------------------------
	items, err := e.f.Svc.ListPost(ctx, e.f.Anna, records.PostFilter{}, records.Page{Limit: 10})
	if err != nil || len(items) != 1 {
		t.Fatalf("open items: %v %v", items, err)
	}
	b.do(chromedp.EmulateViewport(360, 740))
	for _, p := range []struct{ path, name string }{
		{"/posteingang", "posteingang"}, {"/posteingang/" + items[0].ID, "posteingang-eintrag"}, {"/suche?q=Antrag", "suche"},
	} {
		b.open(p.path)
		b.noHorizontalScroll(p.name + " at 360 px")
		b.axe(p.name + " at 360 px")
		if p.name != "posteingang" {
			b.shot(p.name + "-360")
		}
	}
	b.do(chromedp.EmulateViewport(1280, 900))
	b.checkProblems()
}
