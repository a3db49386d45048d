package web_test

// Browser tests of the clerk's web application: Debian's Chromium, headless,
// driven with chromedp against the real server (newUIEnv: httptest on a
// loopback port, SQLite and, with AKTENWERK_TEST_POSTGRES, PostgreSQL).
// Every page visited is checked with axe-core (testdata/axe, MPL-2.0) for
// violations of impact serious or critical, and for Content-Security-Policy
// violations and script errors. Screenshots of the main pages go to a temp
// dir, or to docs/ui/ when AKTENWERK_UI_SCREENSHOTS=1 (see docs/ui.md).
//
// Without Chromium the test is skipped, unless AKTENWERK_REQUIRE_TOOLS=1
// (CI), where it fails.

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"aktenwerk/internal/intake"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/store/storetest"
)

//go:embed testdata/axe/axe.min.js
var axeSource string

// chromium returns the browser's path, or skips (fails under
// AKTENWERK_REQUIRE_TOOLS=1) when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("AKTENWERK_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("AKTENWERK_REQUIRE_TOOLS") == "1" {
		t.Fatal("Chromium not found (Debian package chromium); AKTENWERK_REQUIRE_TOOLS=1 demands it")
	}
	t.Skip("Chromium not found (Debian package chromium): browser tests skipped")
	return ""
}

// browser is one headless Chromium with one tab.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // screenshot directory, "" for none

	mu       sync.Mutex
	problems []string // CSP violations and script errors
}

func newBrowser(t *testing.T, base, shots string) *browser {
	t.Helper()
	path := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "de-DE"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{t: t, base: base, shots: shots}
	ctx, cancelC := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(func() { cancelC(); cancelA() })
	// the first Run starts the browser; no timeout on it (see chromedp.Run)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	b.ctx = ctx
	return b
}

// listen collects Content-Security-Policy violations and uncaught script
// errors; it runs on the browser's reader goroutine and must be quick.
func (b *browser) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *cdplog.EventEntryAdded:
		if ev.Entry != nil && strings.Contains(ev.Entry.Text, "Content Security Policy") {
			msg = "CSP: " + ev.Entry.Text + " (" + ev.Entry.URL + ")"
		}
	case *cdpruntime.EventExceptionThrown:
		if ev.ExceptionDetails != nil {
			msg = "script error: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		}
	}
	if msg != "" {
		b.mu.Lock()
		b.problems = append(b.problems, msg)
		b.mu.Unlock()
	}
}

func (b *browser) checkProblems() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) > 0 {
		b.t.Errorf("browser reported problems:\n  %s", strings.Join(b.problems, "\n  "))
		b.problems = nil
	}
}

// do runs actions, each step bounded.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v (at %s)", err, b.location())
	}
}

func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %q: %v (at %s)", js, err, b.location())
	}
	return v
}

// waitFor waits until the JavaScript expression is true (evaluated every
// 100 ms for at most 30 s; errors while a page changes count as false).
func (b *browser) waitFor(what, js string) {
	b.t.Helper()
	var err error
	for range 300 {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		var ok bool
		ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	body, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	b.t.Fatalf("waiting for %s: not reached (last error: %v)\nat %s:\n%s", what, err, b.location(), body)
}

func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	l, _ := chromedp.Run(ctx, chromedp.Location())
	return l
}

// open navigates and returns the HTTP status of the page.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return res.Status
}

func (b *browser) path() string {
	l := b.location()
	return strings.TrimPrefix(l, b.base)
}

// axe runs axe-core on the page and fails on serious and critical
// violations, listing each with its elements.
func (b *browser) axe(name string) {
	b.t.Helper()
	if !eval[bool](b, `typeof axe !== "undefined"`) {
		eval[chromedp.Void](b, axeSource+"\n;true")
	}
	type node struct{ Target, HTML, Summary string }
	type violation struct {
		ID, Impact, Help, HelpURL string
		Nodes                     []node
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ["violations"],
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
	  .then(r => r.violations.map(v => ({ID: v.id, Impact: v.impact || "", Help: v.help, HelpURL: v.helpUrl,
	    Nodes: v.nodes.map(n => ({Target: n.target.join(" "), HTML: n.html.slice(0, 300), Summary: n.failureSummary || ""}))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: %v", name, err)
	}
	var bad []string
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			if testing.Verbose() {
				b.t.Logf("axe %s (%s, not failing): %s", v.ID, v.Impact, v.Help)
			}
			continue
		}
		s := fmt.Sprintf("[%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			s += fmt.Sprintf("\n      at %s\n         %s\n         %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n         "))
		}
		bad = append(bad, s)
	}
	if len(bad) > 0 {
		b.t.Errorf("axe: %d serious/critical violation(s) on %s (%s):\n  %s", len(bad), name, b.location(), strings.Join(bad, "\n  "))
	}
	b.checkProblems()
}

// shot saves a full-page screenshot.
func (b *browser) shot(name string) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// noHorizontalScroll checks that the page is not wider than the viewport.
func (b *browser) noHorizontalScroll(name string) {
	b.t.Helper()
	w := eval[[]int](b, `[document.documentElement.scrollWidth, window.innerWidth]`)
	if w[0] > w[1] {
		b.t.Errorf("%s: page scrolls horizontally at width %d (content %d px)", name, w[1], w[0])
	}
}

// activeText is the text of the focused element.
func (b *browser) activeText() string {
	return eval[string](b, `(document.activeElement && document.activeElement.textContent || "").trim().replace(/\s+/g, " ")`)
}

func (b *browser) key(k string) { b.t.Helper(); b.do(chromedp.KeyEvent(k)) }

// screenshotDir is docs/ui with AKTENWERK_UI_SCREENSHOTS=1, else a temp dir.
func screenshotDir(t *testing.T) string {
	if os.Getenv("AKTENWERK_UI_SCREENSHOTS") == "1" {
		_, file, _, _ := runtime.Caller(0)
		dir := filepath.Join(filepath.Dir(file), "..", "..", "docs", "ui")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// TestUIBrowser walks the application like a clerk: sign-in with password
// and TOTP, start page, Aktenplan by keyboard, a new Akte and Vorgang by
// the forms, Akte, Vorgang, upload of two files by the file input,
// Dokument pages with preview, a new version, metadata edit,
// z.d.A., the 404 page for another tenant's Akte, the pages at 360 px
// (axe again, no horizontal scroll), sign-out.
func TestUIBrowser(t *testing.T) {
	chromium(t)
	for _, be := range storetest.Backends(t) {
		t.Run(be.Name, func(t *testing.T) {
			e := newUIEnv(t, be)
			startWorkers(t, e)
			shots := ""
			if be.Name == "sqlite" {
				shots = screenshotDir(t)
			}
			b := newBrowser(t, e.srv.URL, shots)
			walk(t, e, b)
		})
	}
}

// startWorkers runs the background jobs beside the test server as
// "aktenwerk serve" does (intake.Workers: text recognition, Posteingang,
// thumbnails with the tools installed here, and their hooks).
func startWorkers(t *testing.T, e *uiEnv) {
	t.Helper()
	q, err := jobs.New(e.f.DB, jobs.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r := q.NewRunner(jobs.RunnerOptions{PollInterval: 100 * time.Millisecond})
	if err := intake.NewWorkers(e.f.Svc, q, nil).Register(r); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitThumbnail reloads the page at path until it shows the thumbnail img
// (CSS selector sel) loaded by the browser: the job runs beside the
// server. It then checks the image is a real PNG of 160 px width served as
// image/png, and returns its address.
func (b *browser) waitThumbnail(path, sel string) string {
	b.t.Helper()
	js := fmt.Sprintf(`(function(){ const i = document.querySelector(%q); return !!i && i.complete && i.naturalWidth > 0; })()`, sel)
	for i := 0; ; i++ {
		b.open(path)
		if eval[bool](b, `document.readyState === "complete"`) && eval[bool](b, js) {
			break
		}
		if i == 150 {
			b.t.Fatalf("no thumbnail %s on %s after waiting for the job:\n%s", sel, path, eval[string](b, `document.body.innerText`))
		}
		time.Sleep(200 * time.Millisecond)
	}
	type info struct {
		Src, Type      string
		Status, Width  int
		Natural, Bytes int
		Magic          string
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[info](fmt.Sprintf(`(async function(){ const i = document.querySelector(%q);
		const r = await fetch(i.src, {credentials: "same-origin"}); const a = new Uint8Array(await r.arrayBuffer());
		return {Src: i.getAttribute("src"), Type: r.headers.get("content-type") || "", Status: r.status, Width: i.width,
			Natural: i.naturalWidth, Bytes: a.length, Magic: Array.from(a.slice(0, 8)).map(x => x.toString(16).padStart(2, "0")).join("")}; })()`, sel), chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("fetch thumbnail %s: %v", sel, err)
	}
	if got.Status != 200 || got.Type != "image/png" || got.Magic != "89504e470d0a1a0a" || got.Natural != 160 {
		b.t.Errorf("thumbnail %s on %s: %+v, want a 160 px wide PNG served as image/png", sel, path, got)
	}
	return got.Src
}

func walk(t *testing.T, e *uiEnv, b *browser) {
	// --- sign-in: the start address leads to the sign-in page ---------------
	b.open("/")
	if p := b.path(); p != "/anmelden" {
		t.Fatalf("not signed in: at %s", p)
	}
	b.axe("Anmeldung")
	b.shot("anmelden")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#tenant"), "TFM"),
		chromedp.SendKeys(chromedp.CSS("#login"), "bernd"),
		chromedp.SendKeys(chromedp.CSS("#passwort"), "falsch-falsch-falsch"),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#passwort-fehler")),
	)
	if d := eval[string](b, `document.getElementById("passwort").getAttribute("aria-describedby")`); d != "passwort-fehler" {
		t.Errorf("password error not tied to the field: %q", d)
	}
	b.axe("Anmeldung mit Fehler")
	eval[chromedp.Void](b, `document.getElementById("passwort").value = ""`)
	b.do(
		chromedp.SendKeys(chromedp.CSS("#passwort"), uiPW),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#totp")),
	)
	b.axe("Anmeldung, zweiter Faktor")
	b.shot("anmelden-totp")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#totp"), e.code()),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#h-akten")),
	)
	if p := b.path(); p != "/" {
		t.Fatalf("after sign-in at %s", p)
	}
	b.axe("Start")
	b.shot("start")

	// --- Aktenplan by keyboard only --------------------------------------------
	b.do(chromedp.Click(chromedp.CSS(`.hauptnav a[href="/aktenplan"]`)), chromedp.WaitVisible(chromedp.CSS(`[role=tree]`)))
	b.axe("Aktenplan")
	// Tab from the top of the page into the tree (one tab stop for the tree)
	eval[chromedp.Void](b, `document.activeElement && document.activeElement.blur()`)
	for i := 0; i < 20 && eval[string](b, `document.activeElement.getAttribute("role") || ""`) != "treeitem"; i++ {
		b.key(kb.Tab)
	}
	if got := b.activeText(); got != "1 Organisation" {
		t.Fatalf("Tab into the tree: focus on %q", got)
	}
	expanded := func(name string) string {
		return eval[string](b, fmt.Sprintf(`(function(){ for (const i of document.querySelectorAll("[role=treeitem]")) {
			if (i.textContent.trim().replace(/\s+/g, " ") === %q) return i.getAttribute("aria-expanded") || "none"; } return "missing"; })()`, name))
	}
	steps := []struct{ key, focus, item, exp string }{
		{kb.ArrowRight, "1 Organisation", "1 Organisation", "true"},
		{kb.ArrowRight, "12 Personal", "", ""},
		{kb.ArrowRight, "12 Personal", "12 Personal", "true"},
		{kb.ArrowDown, "121 Ausbildung", "", ""},
		{kb.ArrowDown, "122 Fortbildung", "", ""},
		{kb.ArrowDown, "2 Haushalt", "", ""},
		{kb.ArrowUp, "122 Fortbildung", "", ""},
		{kb.ArrowLeft, "12 Personal", "", ""},
		{kb.ArrowLeft, "12 Personal", "12 Personal", "false"},
		{kb.End, "2 Haushalt", "", ""},
		{kb.Home, "1 Organisation", "", ""},
		{kb.ArrowLeft, "1 Organisation", "1 Organisation", "false"},
		{kb.ArrowDown, "2 Haushalt", "", ""},
		{kb.ArrowUp, "1 Organisation", "", ""},
		{kb.ArrowRight, "1 Organisation", "1 Organisation", "true"},
		{kb.ArrowDown, "12 Personal", "", ""},
		{kb.ArrowRight, "12 Personal", "12 Personal", "true"},
		{kb.ArrowDown, "121 Ausbildung", "", ""},
	}
	for i, s := range steps {
		b.key(s.key)
		if got := b.activeText(); got != s.focus {
			t.Fatalf("step %d (%q): focus on %q, want %q", i, s.key, got, s.focus)
		}
		if s.item != "" {
			if got := expanded(s.item); got != s.exp {
				t.Fatalf("step %d: %s aria-expanded=%s, want %s", i, s.item, got, s.exp)
			}
		}
	}
	if n := eval[int](b, `document.querySelectorAll('[role=treeitem][tabindex="0"]').length`); n != 1 {
		t.Errorf("roving tabindex: %d items with tabindex 0", n)
	}
	b.key(kb.Enter)
	b.waitFor("the position's page", `location.pathname === "/aktenplan/`+e.plan["121"]+`"`)
	b.do(chromedp.WaitVisible(chromedp.CSS(`a[href="/akten/` + e.akte.ID + `"]`)))
	if got := expanded("12 Personal"); got != "true" {
		t.Errorf("the path to the current position is not open: %s", got)
	}
	b.axe("Aktenplanposition")
	b.shot("aktenplan")

	// --- a new Akte under the position and a Vorgang in it, by the forms ---------------
	// without a Titel: the message at the field, nothing created
	b.do(chromedp.Click(chromedp.CSS(`form[action$="/akten"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#na-titel-fehler")))
	if d := eval[string](b, `document.getElementById("na-titel").getAttribute("aria-describedby") + " " + document.getElementById("na-titel").getAttribute("aria-invalid")`); d != "na-titel-fehler true" {
		t.Errorf("Titel error not tied to the field: %q", d)
	}
	b.axe("Neue Akte mit Fehler")
	b.shot("aktenplan-neue-akte-fehler")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#na-titel"), "Ausbildungsmessen 2027"),
		chromedp.SendKeys(chromedp.CSS("#na-beschreibung"), "Stände des Ministeriums auf Messen"),
		chromedp.Click(chromedp.CSS(`form[action$="/akten"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#h-neuer-vorgang")),
	)
	if p := b.path(); !strings.HasPrefix(p, "/akten/") || strings.HasPrefix(p, "/akten/"+e.akte.ID) {
		t.Fatalf("after creating the Akte at %s", p)
	}
	neueAkte := eval[string](b, `document.querySelector("h1 .az").textContent`)
	if !strings.HasPrefix(neueAkte, "TFM-121-") || neueAkte == e.akte.Aktenzeichen {
		t.Errorf("new Akte's Aktenzeichen %q", neueAkte)
	}
	if ws := eval[string](b, `getComputedStyle(document.querySelector("h1 .az")).whiteSpace`); ws != "nowrap" {
		t.Errorf("Aktenzeichen may break: white-space %q", ws)
	}
	if m := eval[string](b, `document.querySelector(".meldung").textContent`); m != "Die Akte ist angelegt." {
		t.Errorf("message after creating the Akte: %q", m)
	}
	b.axe("Akte (neu angelegt)")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#nv-betreff"), "Messe Erfurt"),
		chromedp.Click(chromedp.CSS(`form[action$="/vorgaenge"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#h-dokumente")),
	)
	if !strings.HasPrefix(b.path(), "/vorgaenge/") {
		t.Fatalf("after creating the Vorgang at %s", b.path())
	}
	if az := eval[string](b, `document.querySelector("h1 .az").textContent`); !strings.HasPrefix(az, neueAkte) {
		t.Errorf("new Vorgang's Aktenzeichen %q, want it under %q", az, neueAkte)
	}
	if h := eval[string](b, `document.querySelector("h1 .h1-titel").textContent`); h != "Messe Erfurt" {
		t.Errorf("new Vorgang's Betreff %q", h)
	}
	b.axe("Vorgang (neu angelegt)")
	b.open("/aktenplan/" + e.plan["121"])
	if !strings.Contains(eval[string](b, `document.querySelector("main table").textContent`), neueAkte) {
		t.Error("the new Akte is not listed under its position")
	}

	// --- Akte, Vorgang --------------------------------------------------------------
	b.do(chromedp.Click(chromedp.CSS(`a[href="/akten/`+e.akte.ID+`"]`)), chromedp.WaitVisible(chromedp.CSS("#h-vorgaenge")))
	b.axe("Akte")
	b.shot("akte")
	b.do(chromedp.Click(chromedp.CSS(`a[href="/vorgaenge/`+e.vorgang.ID+`"]`)), chromedp.WaitVisible(chromedp.CSS("#h-dokumente")))
	b.axe("Vorgang (leer)")

	// --- upload of two files by the file input ----------------------------------------
	dir := t.TempDir()
	pdfPath, txtPath := filepath.Join(dir, "Antrag_Müller.pdf"), filepath.Join(dir, "Vermerk_Prüfung.txt")
	if err := os.WriteFile(pdfPath, samplePDF("Antrag auf Zulassung zur Ausbildung"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(txtPath, []byte("Vermerk\n\nDie Unterlagen von Herrn Müller sind vollständig.\nWiedervorlage: 23.11.2026\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(
		chromedp.SetUploadFiles(chromedp.CSS("#dateien"), []string{pdfPath, txtPath}),
		chromedp.Click(chromedp.CSS(`form[data-hochladen] button[type=submit]`)),
	)
	b.waitFor("two progress bars done", `document.querySelectorAll("[data-fortschritt] li .ok").length === 2`)
	if n := eval[int](b, `document.querySelectorAll("[data-fortschritt] progress").length`); n != 2 {
		t.Errorf("%d progress bars for two files", n)
	}
	b.waitFor("both documents listed", `(function(){ const t = document.querySelector("#dokumente table"); return !!t && t.textContent.includes("Antrag Müller") && t.textContent.includes("Vermerk Prüfung"); })()`)
	// the thumbnail job renders the PDF's first page; the text file keeps
	// the placeholder
	src := b.waitThumbnail("/vorgaenge/"+e.vorgang.ID, `#dokumente img.miniatur-klein[alt="Erste Seite von Antrag Müller"]`)
	if !strings.HasPrefix(src, "/dokumente/") || !strings.HasSuffix(src, "/miniatur") {
		t.Errorf("thumbnail address %q", src)
	}
	if n := eval[int](b, `document.querySelectorAll("#dokumente img.miniatur-klein").length`); n != 1 {
		t.Errorf("%d thumbnails in the table, want 1 (the PDF)", n)
	}
	if !eval[bool](b, `!!document.querySelector("#dokumente .miniatur-platzhalter")`) {
		t.Error("no placeholder for the text file")
	}
	b.axe("Vorgang nach dem Hochladen")
	b.shot("vorgang")

	// --- Dokument with PDF preview -----------------------------------------------------------
	b.do(chromedp.Click(chromedp.Search(`//a[normalize-space()="Antrag Müller"]`)), chromedp.WaitVisible(chromedp.CSS("iframe.vorschau-pdf")))
	if got := b.waitThumbnail(b.path(), `img.miniatur-gross`); got != src {
		t.Errorf("Dokument page thumbnail %q, want %q", got, src)
	}
	b.waitFor("PDF in the frame", `(function(){ const f = document.querySelector("iframe.vorschau-pdf");
		try { return !!f.contentDocument && f.contentDocument.contentType === "application/pdf"; } catch (e) { return false; } })()`)
	b.axe("Dokument (PDF)")
	// let the PDF viewer draw before the picture is taken (no assertion on time)
	b.do(chromedp.Sleep(1500 * time.Millisecond))
	b.shot("dokument-pdf")
	// metadata edit
	// a day that does not exist is refused at its field, then a German date
	if typ := eval[string](b, `document.getElementById("dokumentdatum").type`); typ != "text" {
		t.Errorf("Dokumentdatum is an input of type %q", typ)
	}
	b.do(
		chromedp.SendKeys(chromedp.CSS("#absender"), "Max Müller"),
		chromedp.SendKeys(chromedp.CSS("#dokumentdatum"), "31.02.2026"),
		chromedp.Click(chromedp.CSS(`.metadaten button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#dokumentdatum-fehler")),
	)
	if msg := eval[string](b, `document.getElementById("dokumentdatum-fehler").textContent`); !strings.Contains(msg, "kein Kalendertag") {
		t.Errorf("date error: %q", msg)
	}
	b.axe("Dokument mit Datumsfehler")
	eval[chromedp.Void](b, `document.getElementById("dokumentdatum").value = ""`)
	b.do(
		chromedp.SendKeys(chromedp.CSS("#dokumentdatum"), "23.11.2026"),
		chromedp.Click(chromedp.CSS(`.metadaten button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".meldung")),
	)
	if v := eval[string](b, `document.getElementById("absender").value`); v != "Max Müller" {
		t.Errorf("Absender after saving: %q", v)
	}
	if v := eval[string](b, `document.getElementById("dokumentdatum").value`); v != "23.11.2026" {
		t.Errorf("Dokumentdatum after saving: %q", v)
	}
	// back to the Vorgang, then the text document
	b.do(chromedp.Click(chromedp.CSS(`.krumen a[href="/vorgaenge/`+e.vorgang.ID+`"]`)), chromedp.WaitVisible(chromedp.CSS("#h-dokumente")))
	if !strings.Contains(eval[string](b, `document.querySelector("#dokumente").textContent`), "Max Müller") {
		t.Error("Absender not in the list")
	}
	b.do(chromedp.Click(chromedp.Search(`//a[normalize-space()="Vermerk Prüfung"]`)), chromedp.WaitVisible(chromedp.CSS("pre.vorschau-text")))
	if txt := eval[string](b, `document.querySelector("pre.vorschau-text").textContent`); !strings.Contains(txt, "sind vollständig") {
		t.Errorf("text preview: %q", txt)
	}
	b.axe("Dokument (Text)")
	// a new version by the file input: listed first, shown in the preview
	v2 := filepath.Join(dir, "Vermerk_v2.txt")
	if err := os.WriteFile(v2, []byte("Vermerk (2. Fassung)\n\nDie Unterlagen sind vollständig und geprüft.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(
		chromedp.SetUploadFiles(chromedp.CSS("#version-datei"), []string{v2}),
		chromedp.Click(chromedp.CSS(`form[action$="/versionen"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".meldung")),
	)
	if rows := eval[[]string](b, `Array.from(document.querySelectorAll("#h-versionen + .tabelle-rahmen tbody tr")).map(r => r.cells[0].textContent.trim() + " " + r.cells[1].textContent.trim())`); len(rows) != 2 || rows[0] != "2 Vermerk_v2.txt" {
		t.Errorf("versions after the upload: %q", rows)
	}
	if txt := eval[string](b, `document.querySelector("pre.vorschau-text").textContent`); !strings.Contains(txt, "2. Fassung") {
		t.Errorf("preview after the new version: %q", txt)
	}
	b.axe("Dokument nach neuer Version")
	b.shot("dokument-text")

	// --- z.d.A. and Wiederaufnahme ------------------------------------------------------------
	b.open("/vorgaenge/" + e.vorgang.ID)
	b.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="z.d.A. verfügen"]`)), chromedp.WaitVisible(chromedp.CSS(".meldung")))
	if s := eval[string](b, `document.querySelector(".statuszeile .status").textContent`); s != "z.d.A." {
		t.Errorf("status after z.d.A.: %q", s)
	}
	if eval[bool](b, `!!document.querySelector("form[data-hochladen]")`) {
		t.Error("upload offered in a closed Vorgang")
	}
	b.axe("Vorgang z.d.A.")

	// --- the 404 page: another tenant's Akte looks like an unknown one ---------------------------
	st := b.open("/akten/" + e.fremdeAkte.ID)
	foreign := eval[string](b, `document.querySelector("main").innerText`)
	if st != 404 || !strings.Contains(foreign, "Seite nicht gefunden") {
		t.Errorf("foreign Akte: status %d, %q", st, foreign)
	}
	b.axe("404")
	b.shot("fehler-404")
	b.open("/akten/0190c0de-0000-7000-8000-000000000000")
	if unknown := eval[string](b, `document.querySelector("main").innerText`); unknown != foreign {
		t.Errorf("unknown and foreign Akte differ:\n%s\n---\n%s", unknown, foreign)
	}

	// --- 360 px wide: no horizontal page scroll -----------------------------------------------------
	b.do(chromedp.EmulateViewport(360, 740))
	for _, p := range []struct{ path, name string }{
		{"/", "start"}, {"/aktenplan/" + e.plan["121"], "aktenplan"}, {"/akten/" + e.akte.ID, "akte"}, {"/vorgaenge/" + e.vorgang.ID, "vorgang"},
	} {
		b.open(p.path)
		b.noHorizontalScroll(p.name + " at 360 px")
		// Aktenzeichen never break, also in the history's changes
		if broken := eval[string](b, `Array.from(document.querySelectorAll("main .az")).filter(e => e.getClientRects().length > 1).map(e => e.textContent).join(", ")`); broken != "" {
			t.Errorf("%s at 360 px: Aktenzeichen broken across lines: %s", p.name, broken)
		}
		if p.name == "akte" || p.name == "vorgang" {
			if n := eval[int](b, `document.querySelectorAll('section[aria-labelledby="h-verlauf"] td .az').length`); n == 0 {
				t.Errorf("%s: no Aktenzeichen in the history's changes", p.name)
			}
		}
		b.axe(p.name + " at 360 px")
		if p.name == "vorgang" || p.name == "start" {
			b.shot(p.name + "-360")
		}
	}
	b.do(chromedp.EmulateViewport(1280, 900))

	// --- sign-out ------------------------------------------------------------------------------------------
	b.open("/")
	b.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="Abmelden"]`)), chromedp.WaitVisible(chromedp.CSS("#tenant")))
	if !strings.Contains(eval[string](b, `document.body.innerText`), "Sie sind abgemeldet") {
		t.Error("no sign-out message")
	}
	b.open("/akten/" + e.akte.ID)
	if p := b.path(); !strings.HasPrefix(p, "/anmelden") {
		t.Errorf("after sign-out at %s", p)
	}
	b.checkProblems()
}
