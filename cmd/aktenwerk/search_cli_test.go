package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/intake/mailbox/dovecottest"
)

// The server's background indexer makes new objects findable through the
// API; the CLI searches as a user, rebuilds the index, and explains bad
// queries.
func TestSearchServeAndCLI(t *testing.T) {
	for name, env := range backendEnvs(t) {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			d := "--data=" + data
			s := startServer(t, env, data)
			tok := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "erstes-admin-token.txt")))))
			code, p := call(t, "POST", s.url+"/api/v1/aktenplan", tok, `{"kennzeichen":"511","titel":"Kindertagesbetreuung"}`)
			if code != 201 {
				t.Fatalf("aktenplan: %d %v", code, p)
			}
			code, a := call(t, "POST", s.url+"/api/v1/akten", tok, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Fachkräfteinitiative Kindertagesstätten"}`, p["id"]))
			if code != 201 {
				t.Fatalf("akte: %d %v", code, a)
			}
			// the indexer of the running server picks the Akte up (polling
			// for it is a liveness check with a generous bound, not a timing
			// assertion)
			q := s.url + "/api/v1/suche?q=" + url.QueryEscape("Fachkräfte*")
			var res map[string]any
			for deadline := time.Now().Add(30 * time.Second); ; {
				code, res = call(t, "GET", q, tok, "")
				if code != 200 {
					t.Fatalf("suche: %d %v", code, res)
				}
				if res["anzahl"].(float64) == 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the server never indexed the new Akte: %v", res)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if it := res["items"].([]any)[0].(map[string]any); it["id"] != a["id"] {
				t.Fatalf("hit %v, want Akte %v", it, a["id"])
			}
			s.stop(t)

			// the CLI searches as a user: flags after the query
			r := mustRun(t, env, "search", "Kindertagesstätte", d, "--tenant", "LV", "--login", "admin", "--format", "json")
			var out struct {
				Anzahl int `json:"anzahl"`
				Items  []struct {
					ID           string `json:"id"`
					Aktenzeichen string `json:"aktenzeichen"`
				} `json:"items"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Anzahl != 1 || out.Items[0].ID != a["id"] {
				t.Fatalf("search json: %v %s", err, r.stdout)
			}
			r = mustRun(t, env, "search", d, "--tenant", "LV", "--login", "admin", out.Items[0].Aktenzeichen)
			if !strings.Contains(r.stdout, "Aktenzeichen "+out.Items[0].Aktenzeichen+": akte") || !strings.Contains(r.stdout, "1 Treffer") {
				t.Fatalf("search table (direct hit): %s", r.stdout)
			}
			// rebuilding keeps what is found
			r = mustRun(t, env, "search", "reindex", d)
			if !strings.Contains(r.stdout, "1 Akte mit") || !strings.Contains(r.stdout, "0 noch vorgemerkt") {
				t.Fatalf("reindex: %s", r.stdout)
			}
			r = mustRun(t, env, "search", "Kindertagesstätte", d, "--tenant", "LV", "--login", "admin")
			if !strings.Contains(r.stdout, "Fachkräfteinitiative Kindertagesstätten") {
				t.Fatalf("after reindex: %s", r.stdout)
			}
			// a malformed query is explained, not a crash
			r = aw(t, env, "search", `"Kita`, d, "--tenant", "LV", "--login", "admin")
			if r.code != 1 || !strings.Contains(r.stderr, "Ungültige Suchanfrage") || !strings.Contains(r.stderr, "q:") {
				t.Fatalf("bad query: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = aw(t, env, "search", "Kita", d, "--tenant", "LV", "--login", "niemand")
			if r.code != 1 || !strings.Contains(r.stderr, "niemand") {
				t.Fatalf("unknown user: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// An uploaded document's text is recognised by the server's job runner and
// found by search; the operator sees the job queue on the CLI.
func TestServeRecognisesText(t *testing.T) {
	for name, env := range backendEnvs(t) {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			s := startServer(t, env, data)
			tok := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "erstes-admin-token.txt")))))
			_, p := call(t, "POST", s.url+"/api/v1/aktenplan", tok, `{"kennzeichen":"1","titel":"Allgemeines"}`)
			_, a := call(t, "POST", s.url+"/api/v1/akten", tok, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Post"}`, p["id"]))
			_, v := call(t, "POST", s.url+"/api/v1/akten/"+a["id"].(string)+"/vorgaenge", tok, `{"betreff":"Eingänge"}`)
			code, d := upload(t, s.url+"/api/v1/vorgaenge/"+v["id"].(string)+"/dokumente", tok, "vermerk.txt",
				"Vermerk über die Ortsbesichtigung am Quellweg", map[string]string{"betreff": "Vermerk", "typ": "Vermerk"})
			if code != 201 {
				t.Fatalf("upload: %d %v", code, d)
			}
			id := d["id"].(string)
			for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
				_, res := call(t, "GET", s.url+"/api/v1/suche?q=Ortsbesichtigung", tok, "")
				if items, _ := res["items"].([]any); len(items) == 1 && items[0].(map[string]any)["id"] == id {
					break
				}
				if time.Now().After(deadline) {
					_, dok := call(t, "GET", s.url+"/api/v1/dokumente/"+id, tok, "")
					t.Fatalf("text never found by search; Dokument: %v", dok)
				}
			}
			_, dok := call(t, "GET", s.url+"/api/v1/dokumente/"+id, tok, "")
			if te, _ := dok["texterkennung"].(map[string]any); te == nil || te["status"] != "erkannt" {
				t.Fatalf("texterkennung: %v", dok)
			}
			s.stop(t)
			r := mustRun(t, env, "jobs", "--data="+data)
			if !strings.Contains(r.stdout, "ART") {
				t.Fatalf("jobs: %s", r.stdout)
			}
			r = mustRun(t, env, "jobs", "--tot", "--data="+data)
			if strings.Contains(r.stdout, "text.erkennen") {
				t.Fatalf("a dead text job: %s", r.stdout)
			}
			r = aw(t, env, "jobs", "retry", "--id", "gibt-es-nicht", "--data="+data)
			if r.code == 0 {
				t.Fatalf("retry of an unknown job: %s", r.stdout)
			}
		})
	}
}

// upload posts a multipart form with one file and fields.
func upload(t *testing.T, url, token, filename, content string, fields map[string]string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", filename)
	io.WriteString(fw, content)
	mw.Close()
	req, _ := http.NewRequest("POST", url, &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// serve with a watch folder and a mailbox: what arrives there shows up in
// the Posteingang of the API, recognised, and can be assigned.
func TestServeIntakeSources(t *testing.T) {
	srv := dovecottest.Start(t)
	for name, env := range backendEnvs(t) {
		t.Run(name, func(t *testing.T) {
			data, drop := t.TempDir(), t.TempDir()
			box := "Post-" + name
			c := srv.Client(t)
			if err := c.Create(box, nil).Wait(); err != nil {
				t.Fatal(err)
			}
			c.Logout()
			srv.Append(t, box, []byte("From: Erika Muster <erika@example.org>\r\nSubject: Widerspruch\r\nMessage-ID: <w1-"+name+"@example.org>\r\n\r\nIch widerspreche dem Bescheid.\r\n"))
			pwFile := filepath.Join(t.TempDir(), "pw")
			os.WriteFile(pwFile, []byte(srv.Password+"\n"), 0o600)
			if err := os.WriteFile(filepath.Join(drop, "scan-0001.txt"), []byte("Antrag auf Kostenerstattung"), 0o640); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-time.Hour)
			os.Chtimes(filepath.Join(drop, "scan-0001.txt"), old, old)
			s := startServer(t, env, data, "--eingangsordner", "LV="+drop, "--eingangsordner-intervall", "200ms",
				"--postfach", "LV=imap://"+url.PathEscape(srv.User)+"@"+srv.Addr+"/"+box+"?sicherheit=none&passwort-datei="+url.QueryEscape(pwFile),
				"--postfach-intervall", "200ms")
			tok := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "erstes-admin-token.txt")))))
			var items []any
			for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
				_, l := call(t, "GET", s.url+"/api/v1/posteingang", tok, "")
				items, _ = l["items"].([]any)
				done := len(items) == 2
				for _, it := range items {
					if te := it.(map[string]any)["texterkennung"].(map[string]any); te["status"] != "erkannt" {
						done = false
					}
				}
				if done {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("post never arrived and was recognised: %v", l)
				}
			}
			var mailID string
			for _, it := range items {
				m := it.(map[string]any)
				if m["quelle"] == "imap" && m["betreff"] == "Widerspruch" {
					mailID = m["id"].(string)
				}
			}
			if mailID == "" {
				t.Fatalf("items %v", items)
			}
			if _, err := os.Stat(filepath.Join(drop, "scan-0001.txt")); !os.IsNotExist(err) {
				t.Errorf("the scan is still in the drop folder")
			}
			_, p := call(t, "POST", s.url+"/api/v1/aktenplan", tok, `{"kennzeichen":"1","titel":"Allgemeines"}`)
			code, res := call(t, "POST", s.url+"/api/v1/posteingang/"+mailID+"/zuordnung", tok,
				fmt.Sprintf(`{"neue_akte":{"aktenplan_id":%q,"titel":"Widersprüche"}}`, p["id"]))
			if code != 200 || len(res["dokumente"].([]any)) != 1 {
				t.Fatalf("zuordnung: %d %v", code, res)
			}
			s.stop(t)
			if r := aw(t, env, "serve", "--data", data, "--postfach", "LV=imap://x@127.0.0.1:1/INBOX:pw"); r.code != 2 || !strings.Contains(r.stderr, "--postfach") {
				t.Errorf("bad --postfach: exit %d %s", r.code, r.stderr)
			}
		})
	}
}
