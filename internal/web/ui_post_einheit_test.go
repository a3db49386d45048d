package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

// postUploadForm builds the Posteingang upload form with a unit choice
// (einheit before the file, as the page and its script send it).
func postUploadForm(t *testing.T, csrf, einheit, name string, data []byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	mw.WriteField("einheit", einheit)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// TestUIPostUploadEinheit: the Posteingang upload offers the units the
// user may file into (the tenant's Posteingang and the own units, or every
// unit for a user without unit), preselects the user's own unit, files
// into the chosen one, and refuses another unit with a message at the
// field, storing nothing (also from the script).
func TestUIPostUploadEinheit(t *testing.T) {
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		for _, u := range []records.NewUnit{{Kennung: "Z1", Name: "Zentrale Dienste", Typ: "abteilung"}, {Kennung: "Z2", Name: "Haushalt", Typ: "abteilung"}} {
			if _, err := e.f.Svc.CreateUnitAs(ctx, e.f.Anna, u); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.f.Svc.CreateUser(ctx, "TFM", "rita", "Rita Registratur", []access.Role{access.RoleRegistratur},
			records.Membership{Kennung: "Z1", Position: "registratur"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.web.Auth().SetPassword(ctx, "TFM", "rita", uiPW); err != nil {
			t.Fatal(err)
		}
		options := func(body string) string {
			sel := body[strings.Index(body, `<select id="einheit"`):]
			sel = sel[:strings.Index(sel, "</select>")]
			var out []string
			for _, m := range regexp.MustCompile(`<option value="([^"]*)"( selected)?>`).FindAllStringSubmatch(sel, -1) {
				o := m[1]
				if o == "" {
					o = "-"
				}
				if m[2] != "" {
					o += "*"
				}
				out = append(out, o)
			}
			return strings.Join(out, " ")
		}
		items := func() map[string]string {
			t.Helper()
			sys, err := e.f.Svc.SystemPrincipal(ctx, "TFM")
			if err != nil {
				t.Fatal(err)
			}
			list, err := e.f.Svc.ListPost(ctx, sys, records.PostFilter{Status: "alle"}, records.Page{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]string{}
			for _, it := range list {
				u := "-"
				if it.Einheit != nil {
					u = *it.Einheit
				}
				m[it.Dateiname] = u
			}
			return m
		}

		rita := e.client()
		rita.signInAs("TFM", "rita")
		p := rita.get("/posteingang")
		wantPage(t, p, 200, `<label for="einheit">`, `aria-describedby="einheit-hilfe"`)
		if got := options(p.body); got != "- Z1*" {
			t.Errorf("rita's choice: %q, want the tenant's and Z1 (preselected)", got)
		}
		// the own unit
		body, ct := postUploadForm(t, rita.csrf, "Z1", "z1.txt", []byte("Für Z1"))
		if p := rita.do("POST", "/posteingang", body, ct); p.status != http.StatusSeeOther {
			t.Fatalf("upload into Z1: %d %s", p.status, p.body)
		}
		// another unit: refused at the field, nothing stored
		for _, bad := range []string{"Z2", "ZZ"} {
			body, ct = postUploadForm(t, rita.csrf, bad, "falsch-"+bad+".txt", []byte("Falsch"))
			p = rita.do("POST", "/posteingang", body, ct)
			wantPage(t, p, 422, `id="einheit-fehler"`, "nicht zur Wahl", `aria-invalid="true" aria-describedby="einheit-fehler einheit-hilfe"`)
			if strings.Contains(p.body, `id="dateien-fehler"`) {
				t.Errorf("%s: the message is at the files, not the unit", bad)
			}
		}
		// the script's request: the message as text, nothing stored
		body, ct = postUploadForm(t, rita.csrf, "Z2", "skript.txt", []byte("Skript"))
		req, _ := http.NewRequest("POST", e.srv.URL+"/posteingang", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("X-Requested-With", "XMLHttpRequest")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := rita.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 422 || !strings.Contains(string(msg), "nicht zur Wahl") {
			t.Errorf("script upload into Z2: %d %s", res.StatusCode, msg)
		}
		// the tenant's Posteingang
		body, ct = postUploadForm(t, rita.csrf, "", "poststelle.txt", []byte("Für alle"))
		if p := rita.do("POST", "/posteingang", body, ct); p.status != http.StatusSeeOther {
			t.Fatalf("upload into the Poststelle: %d %s", p.status, p.body)
		}

		// anna has no unit: every unit, the tenant's preselected
		anna := e.client()
		anna.signInAs("TFM", "anna")
		if got := options(anna.get("/posteingang").body); got != "-* Z1 Z2" {
			t.Errorf("anna's choice: %q", got)
		}
		body, ct = postUploadForm(t, anna.csrf, "Z2", "z2.txt", []byte("Für Z2"))
		if p := anna.do("POST", "/posteingang", body, ct); p.status != http.StatusSeeOther {
			t.Fatalf("anna's upload into Z2: %d %s", p.status, p.body)
		}
		want := map[string]string{"z1.txt": "Z1", "poststelle.txt": "-", "z2.txt": "Z2"}
		got := items()
		if len(got) != len(want) {
			t.Errorf("items %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s in %q, want %q (all: %v)", k, got[k], v, got)
			}
		}
	})
}
