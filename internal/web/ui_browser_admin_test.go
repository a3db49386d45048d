package web_test

// Browser test of the profile and administration pages (Chromium headless,
// helpers of ui_browser_test.go): TOTP enrolment on the profile page with
// the code computed from the shown key, sign-out and sign-in with TOTP, an
// API token, a Vertretung; as admin a new user, an Aktenplan position, the
// jobs and the system status; a unit renamed and moved (after a refused
// empty name), the installation's tenants (refused, then created), an
// Aktenplan position's Kennzeichen (taken, then changed), the reset of the
// second factor enrolled before. axe-core on every page visited (no
// serious or critical violations), CSP reports and script errors fail the
// test.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
)

func TestUIBrowserVerwaltung(t *testing.T) {
	chromium(t)
	for _, be := range storetest.Backends(t) {
		t.Run(be.Name, func(t *testing.T) {
			e := newAdminEnv(t, be)
			shots := ""
			if be.Name == "sqlite" {
				shots = screenshotDir(t)
			}
			b := newBrowser(t, e.srv.URL, shots)
			walkVerwaltung(t, e, b)
		})
	}
}

// vwSignInBrowser signs in by the form (password step only).
func vwSignInBrowser(b *browser, tenant, login, pw string) {
	b.t.Helper()
	b.open("/anmelden")
	eval[chromedp.Void](b, `document.getElementById("tenant").value = ""`)
	b.do(
		chromedp.SendKeys(chromedp.CSS("#tenant"), tenant),
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#passwort"), pw),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
	)
}

func vwSignOutBrowser(b *browser) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="Abmelden"]`)), chromedp.WaitVisible(chromedp.CSS("#tenant")))
}

// vwClickButton clicks the button with exactly this text.
func vwClickButton(b *browser, text string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.Search(`//button[normalize-space()="` + text + `"]`)))
}

func walkVerwaltung(t *testing.T, e *adminEnv, b *browser) {
	// --- dora: profile, TOTP enrolment ----------------------------------------------------
	vwSignInBrowser(b, "TFM", "dora", uiPW)
	b.do(chromedp.WaitVisible(chromedp.CSS("#h-akten")))
	if eval[bool](b, `!!document.querySelector('.hauptnav a[href="/verwaltung"]')`) {
		t.Error("Verwaltung offered to Sachbearbeitung")
	}
	b.do(chromedp.Click(chromedp.CSS(".konto-profil")), chromedp.WaitVisible(chromedp.CSS("#h-konto")))
	b.axe("Profil")
	b.shot("profil")
	vwClickButton(b, "Zweiten Faktor einrichten")
	b.do(chromedp.WaitVisible(chromedp.CSS("#totp-schluessel")))
	b.waitFor("the QR code drawn", `(function(){ const i = document.querySelector(".qr img"); return !!i && i.complete && i.naturalWidth >= 100; })()`)
	if u := eval[string](b, `document.getElementById("totp-adresse").textContent`); !strings.HasPrefix(u, "otpauth://totp/") {
		t.Errorf("otpauth URI: %q", u)
	}
	b.axe("Profil, TOTP-Einrichtung")
	b.shot("profil-totp")
	secret := eval[string](b, `document.getElementById("totp-schluessel").textContent.trim()`)
	code, err := totp.GenerateCode(secret, e.f.Clock.Now())
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}
	// a wrong code first: the error is tied to the field
	b.do(chromedp.SendKeys(chromedp.CSS("#totp-code-code"), "000000"))
	vwClickButton(b, "Bestätigen und einschalten")
	b.do(chromedp.WaitVisible(chromedp.CSS("#totp-code-code-fehler")))
	if d := eval[string](b, `document.getElementById("totp-code-code").getAttribute("aria-describedby")`); d != "totp-code-code-fehler" {
		t.Errorf("code error not tied to the field: %q", d)
	}
	// the answer lands at the field: the address's fragment, focus on the
	// refused field, in view
	landed := func(id string) {
		t.Helper()
		if h := eval[string](b, `location.hash`); h != "#totp-bestaetigung" {
			t.Errorf("address fragment %q, want #totp-bestaetigung", h)
		}
		b.waitFor("the focus on "+id, `document.readyState === "complete" && !!document.activeElement && document.activeElement.id === "`+id+`"`)
		if !eval[bool](b, `(function(){ const r = document.getElementById("`+id+`").getBoundingClientRect();
			return r.top >= -1 && r.bottom <= window.innerHeight + 1; })()`) {
			t.Errorf("%s is not in view (scrolled to %v, %s)", id, eval[float64](b, `window.scrollY`),
				eval[string](b, `JSON.stringify(document.getElementById("`+id+`").getBoundingClientRect()) + " " + window.innerHeight`))
		}
	}
	landed("totp-code-code")
	b.axe("Profil, falscher Code")
	b.do(chromedp.SendKeys(chromedp.CSS("#totp-code-code"), code))
	vwClickButton(b, "Bestätigen und einschalten")
	b.do(chromedp.WaitVisible(chromedp.CSS(".codes")))
	if n := eval[int](b, `document.querySelectorAll(".codes li").length`); n != 10 {
		t.Errorf("%d recovery codes", n)
	}
	landed("totp-bestaetigung")
	b.axe("Profil, Wiederherstellungscodes")

	// --- sign out, in again with password and TOTP ---------------------------------------------
	vwSignOutBrowser(b)
	e.f.Clock.Advance(30 * time.Second)
	vwSignInBrowser(b, "TFM", "dora", uiPW)
	b.do(chromedp.WaitVisible(chromedp.CSS("#totp")))
	code, _ = totp.GenerateCode(secret, e.f.Clock.Now())
	b.do(
		chromedp.SendKeys(chromedp.CSS("#totp"), code),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#h-akten")),
	)

	// --- an API token ------------------------------------------------------------------------------------
	b.open("/profil")
	if !strings.Contains(eval[string](b, `document.getElementById("h-totp").parentElement.innerText`), "eingerichtet") {
		t.Error("second factor not shown as set up")
	}
	b.do(
		chromedp.SendKeys(chromedp.CSS("#tok-name"), "Skript Statistik"),
		chromedp.Click(chromedp.CSS("#tok-scopes-read")),
	)
	vwClickButton(b, "Token erzeugen")
	b.do(chromedp.WaitVisible(chromedp.CSS("#neues-token")))
	if tok := eval[string](b, `document.getElementById("neues-token").textContent`); !strings.HasPrefix(tok, "awk_") {
		t.Errorf("token: %q", tok)
	}
	b.axe("Profil, neues Token")
	b.shot("profil-token")

	// --- a Vertretung -------------------------------------------------------------------------------------
	// dates are typed as TT.MM.JJJJ; "von" is prefilled with today
	heute := e.f.Clock.Now().In(berlinLoc(t))
	if von := eval[string](b, `document.getElementById("vt-von").value`); von != heute.Format("02.01.2006") {
		t.Errorf("Vertretung von prefilled with %q", von)
	}
	bis := heute.AddDate(0, 0, 7).Format("02.01.2006")
	b.do(chromedp.SendKeys(chromedp.CSS("#vt-vertreter"), "bernd"), chromedp.SendKeys(chromedp.CSS("#vt-bis"), bis))
	vwClickButton(b, "Vertretung eintragen")
	b.do(chromedp.WaitVisible(chromedp.CSS(".meldung")))
	if txt := eval[string](b, `document.getElementById("h-vertretung").parentElement.innerText`); !strings.Contains(txt, "Sie werden vertreten von bernd") {
		t.Errorf("Vertretung not listed: %s", txt)
	}
	b.axe("Profil, Vertretung")

	b.do(chromedp.EmulateViewport(360, 740))
	b.open("/profil")
	vwNoHorizontalScroll(b, "Profil at 360 px")
	b.axe("Profil at 360 px")
	b.shot("profil-360")
	b.do(chromedp.EmulateViewport(1280, 900))
	vwSignOutBrowser(b)

	// --- anna (admin): the Verwaltung ----------------------------------------------------------------------
	e.deadJob(t, "TFM") // something to see on the jobs page
	vwSignInBrowser(b, "TFM", "anna", uiPW)
	b.do(chromedp.WaitVisible(chromedp.CSS("#h-akten")))
	b.do(chromedp.Click(chromedp.CSS(`.hauptnav a[href="/verwaltung"]`)), chromedp.WaitVisible(chromedp.CSS(".vw-uebersicht")))
	b.axe("Verwaltung")
	b.shot("verwaltung")

	// a new account
	b.do(chromedp.Click(chromedp.CSS(`.vw-nav a[href="/verwaltung/benutzer"]`)), chromedp.WaitVisible(chromedp.CSS("#neu-login")))
	b.axe("Benutzer")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#neu-login"), "erik"),
		chromedp.SendKeys(chromedp.CSS("#neu-name"), "Erik Meier"),
		chromedp.Click(chromedp.CSS("#neu-rollen-leitung")),
	)
	vwClickButton(b, "Konto anlegen")
	b.do(chromedp.WaitVisible(chromedp.CSS("#neues-passwort")))
	if h := eval[string](b, `document.querySelector("h1").textContent`); h != "Konto erik" {
		t.Errorf("after creating: %q", h)
	}
	b.axe("Benutzer angelegt")
	b.shot("verwaltung-benutzer-neu")
	b.open("/verwaltung/benutzer")
	if !strings.Contains(eval[string](b, `document.querySelector("table").innerText`), "Erik Meier") {
		t.Error("new account not listed")
	}
	b.shot("verwaltung-benutzer")
	// dora enrolled a second factor above; anna resets it (lost phone)
	b.open("/verwaltung/benutzer/dora")
	vwClickButton(b, "Zweiten Faktor zurücksetzen")
	b.do(chromedp.WaitVisible(chromedp.CSS(".meldung")))
	if txt := eval[string](b, `document.querySelector(".meldung").innerText`); !strings.Contains(txt, "Der zweite Faktor ist zurückgesetzt") {
		t.Errorf("after the reset: %q", txt)
	}
	b.axe("Zweiter Faktor zurückgesetzt")

	// units, tenant
	b.open("/verwaltung/einheiten")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#eh-kennung"), "Z"),
		chromedp.SendKeys(chromedp.CSS("#eh-name"), "Zentralabteilung"),
	)
	vwClickButton(b, "Einheit anlegen")
	b.do(chromedp.WaitVisible(chromedp.CSS(".meldung")))
	b.axe("Organisationseinheiten")
	// rename and move a unit: first an empty name (refused at the field),
	// then a new name at the top level
	if _, err := e.f.Svc.CreateUnit(context.Background(), "TFM", records.NewUnit{Kennung: "Z1", Name: "Referat Personal", Typ: "referat", Parent: "Z"}); err != nil {
		t.Fatal(err)
	}
	b.open("/verwaltung/einheiten")
	b.do(chromedp.Click(chromedp.CSS(`a[href="/verwaltung/einheiten/Z1"]`)), chromedp.WaitVisible(chromedp.CSS("#eh-aendern-name")))
	b.do(chromedp.Clear(chromedp.CSS("#eh-aendern-name")))
	vwClickButton(b, "Speichern")
	b.do(chromedp.WaitVisible(chromedp.CSS("#eh-aendern-name-fehler")))
	if d := eval[string](b, `document.getElementById("eh-aendern-name").getAttribute("aria-describedby")`); !strings.Contains(d, "eh-aendern-name-fehler") {
		t.Errorf("name error not tied to the field: %q", d)
	}
	b.axe("Einheit ändern, Fehler")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#eh-aendern-name"), "Stabsstelle Personal"),
		chromedp.SetValue(chromedp.CSS("#eh-aendern-parent"), ""),
	)
	vwClickButton(b, "Speichern")
	b.do(chromedp.WaitVisible(chromedp.CSS(".meldung")))
	if txt := eval[string](b, `document.querySelector("main").innerText`); !strings.Contains(txt, "Stabsstelle Personal") || !strings.Contains(txt, "oberste Ebene") {
		t.Errorf("unit after the change: %s", txt)
	}
	b.axe("Einheit geändert")
	b.shot("verwaltung-einheit")
	b.open("/verwaltung/mandant")
	b.axe("Mandant")
	// the installation's tenants: anna gets the operator mark (CLI)
	if err := e.f.Svc.SetOperator(context.Background(), "TFM", "anna", true); err != nil {
		t.Fatal(err)
	}
	b.open("/verwaltung/mandant")
	b.do(chromedp.Click(chromedp.CSS(`.vw-nav a[href="/verwaltung/mandanten"]`)), chromedp.WaitVisible(chromedp.CSS("#mn-kuerzel")))
	b.do(chromedp.SendKeys(chromedp.CSS("#mn-kuerzel"), "tmx"))
	vwClickButton(b, "Mandant anlegen")
	b.do(chromedp.WaitVisible(chromedp.CSS("#mn-kuerzel-fehler")), chromedp.WaitVisible(chromedp.CSS("#mn-name-fehler")))
	b.axe("Mandanten, Fehler")
	b.do(
		chromedp.Clear(chromedp.CSS("#mn-kuerzel")),
		chromedp.SendKeys(chromedp.CSS("#mn-kuerzel"), "TMX"),
		chromedp.SendKeys(chromedp.CSS("#mn-name"), "Thüringer Ministerium X"),
	)
	vwClickButton(b, "Mandant anlegen")
	b.do(chromedp.WaitVisible(chromedp.CSS("#mandant-TMX")))
	b.axe("Mandanten")
	b.shot("verwaltung-mandanten")

	// an Aktenplan position: first refused at the fields, then made
	b.open("/verwaltung/aktenplan")
	vwClickButton(b, "Position anlegen")
	b.do(chromedp.WaitVisible(chromedp.CSS("#ap-kennzeichen-fehler")))
	if d := eval[string](b, `document.getElementById("ap-kennzeichen").getAttribute("aria-describedby")`); !strings.Contains(d, "ap-kennzeichen-fehler") {
		t.Errorf("Kennzeichen error not tied to the field: %q", d)
	}
	b.axe("Aktenplan, Fehler")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#ap-kennzeichen"), "3"),
		chromedp.SendKeys(chromedp.CSS("#ap-titel"), "Bauwesen"),
		chromedp.SendKeys(chromedp.CSS("#ap-aufbewahrungsfrist-jahre"), "10"),
		chromedp.SetValue(chromedp.CSS("#ap-archiventscheidung"), "bewerten"),
	)
	vwClickButton(b, "Position anlegen")
	b.do(chromedp.WaitVisible(chromedp.CSS(".meldung")))
	if h := eval[string](b, `document.querySelector("h1").textContent`); !strings.Contains(h, "Bauwesen") {
		t.Errorf("position page: %q", h)
	}
	b.axe("Aktenplanposition")
	// nothing filed under it: a new Kennzeichen
	b.do(chromedp.Clear(chromedp.CSS("#platz-kennzeichen")), chromedp.SendKeys(chromedp.CSS("#platz-kennzeichen"), "12"))
	vwClickButton(b, "Kennzeichen und Platz speichern")
	b.do(chromedp.WaitVisible(chromedp.CSS("#platz-kennzeichen-fehler")))
	b.axe("Aktenplanposition, Kennzeichen vergeben")
	b.do(chromedp.Clear(chromedp.CSS("#platz-kennzeichen")), chromedp.SendKeys(chromedp.CSS("#platz-kennzeichen"), "4"))
	vwClickButton(b, "Kennzeichen und Platz speichern")
	b.do(chromedp.WaitVisible(chromedp.CSS(".meldung")))
	if h := eval[string](b, `document.querySelector("h1").textContent`); !strings.Contains(h, "4") || !strings.Contains(h, "Bauwesen") {
		t.Errorf("position page after the new Kennzeichen: %q", h)
	}
	b.open("/verwaltung/aktenplan")
	b.axe("Aktenplan bearbeiten")
	b.shot("verwaltung-aktenplan")

	// jobs and system status
	b.do(chromedp.Click(chromedp.CSS(`.vw-nav a[href="/verwaltung/auftraege"]`)), chromedp.WaitVisible(chromedp.CSS("#h-gescheitert")))
	if !strings.Contains(eval[string](b, `document.body.innerText`), "Werkzeug fehlt: tesseract") {
		t.Error("dead letter not listed")
	}
	b.axe("Aufträge")
	b.shot("verwaltung-auftraege")
	b.do(chromedp.Click(chromedp.CSS(`.vw-nav a[href="/verwaltung/system"]`)), chromedp.WaitVisible(chromedp.CSS("#h-werkzeuge")))
	if txt := eval[string](b, `document.querySelector("main").textContent`); !strings.Contains(txt, "pdftotext") || !strings.Contains(txt, "Version") {
		t.Errorf("system status: %s", txt)
	}
	b.axe("Systemstatus")
	b.shot("verwaltung-system")

	b.do(chromedp.EmulateViewport(360, 740))
	for _, p := range []string{"/verwaltung", "/verwaltung/benutzer", "/verwaltung/aktenplan", "/verwaltung/auftraege", "/verwaltung/system",
		"/verwaltung/mandanten", "/verwaltung/einheiten/Z1", "/verwaltung/benutzer/bernd"} {
		b.open(p)
		vwNoHorizontalScroll(b, p+" at 360 px")
		b.axe(p + " at 360 px")
		if p == "/verwaltung/benutzer" {
			b.shot("verwaltung-benutzer-360")
		}
	}
	b.do(chromedp.EmulateViewport(1280, 900))
	b.checkProblems()
}

// vwNoHorizontalScroll is noHorizontalScroll naming the elements that
// stick out.
func vwNoHorizontalScroll(b *browser, name string) {
	b.t.Helper()
	w := eval[[]int](b, `[document.documentElement.scrollWidth, window.innerWidth]`)
	if w[0] <= w[1] {
		return
	}
	wide := eval[[]string](b, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
	  .slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`)
	b.t.Errorf("%s: page scrolls horizontally at width %d (content %d px): %v", name, w[1], w[0], wide)
}

func berlinLoc(t *testing.T) *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return l
}
