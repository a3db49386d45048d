package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// awIn runs the binary with in as its standard input.
func awIn(t *testing.T, env []string, in string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(baseEnv(), env...)
	cmd.Stdin = strings.NewReader(in)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, so.String(), se.String()}
}

// openData opens the database a CLI environment uses.
func openData(t *testing.T, env []string, data string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", filepath.Join(data, "aktenwerk.db")
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "AKTENWERK_DATABASE_URL="); ok {
			driver, dsn = "pgx", v
		}
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// browser signs in and calls the API with a session cookie.
type browser struct {
	t            *testing.T
	url          string
	cookie, csrf string
}

func (b *browser) do(method, path, body string) (int, map[string]any, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.url+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if b.cookie != "" {
		req.Header.Set("Cookie", b.cookie)
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	json.Unmarshal(raw, &m)
	return res.StatusCode, m, res.Header
}

// signIn posts the credentials; on 200 the browser keeps the session.
func (b *browser) signIn(login, pw, extra string) (int, map[string]any) {
	b.t.Helper()
	b.cookie = ""
	code, m, h := b.do("POST", "/api/v1/anmeldung", fmt.Sprintf(`{"tenant":"TFM","login":%q,"passwort":%q%s}`, login, pw, extra))
	if code == 200 {
		for _, c := range (&http.Response{Header: h}).Cookies() {
			if c.Name == "aktenwerk_sitzung" {
				b.cookie, b.csrf = c.Name+"="+c.Value, m["csrf_token"].(string)
			}
		}
		if b.cookie == "" {
			b.t.Fatalf("no session cookie: %v", h)
		}
	}
	return code, m
}

var generatedRE = regexp.MustCompile(`^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){4}\n$`)

func TestUserPasswordCLI(t *testing.T) {
	for name, env := range backendEnvs(t) {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			d := "--data=" + data
			mustRun(t, env, "tenant", "add", d, "--code", "TFM", "--name", "Finanzministerium")
			mustRun(t, env, "user", "add", d, "--tenant", "TFM", "--login", "anna", "--name", "Anna Schmidt")
			pwArgs := []string{"user", "password", d, "--tenant", "TFM", "--login", "anna"}

			r := awIn(t, env, "Zu-Kurz-7\n", pwArgs...)
			if r.code != 1 || !strings.Contains(r.stderr, "mindestens 12 Zeichen") || strings.Contains(r.stdout+r.stderr, "Zu-Kurz-7") {
				t.Fatalf("short password: %+v", r)
			}
			if r := awIn(t, env, "", pwArgs...); r.code != 1 || !strings.Contains(r.stderr, "kein Passwort") {
				t.Fatalf("empty stdin: %+v", r)
			}
			if r := awIn(t, env, "Ein-langes-Passwort-1\n", "user", "password", d, "--tenant", "TFM", "--login", "niemand"); r.code != 1 || !strings.Contains(r.stderr, "niemand") {
				t.Fatalf("unknown user: %+v", r)
			}
			if r := awIn(t, env, "Ein-langes-Passwort-1\n", "user", "password", d, "--tenant", "TFM"); r.code != 2 || !strings.Contains(r.stderr, "--login") {
				t.Fatalf("missing flag: %+v", r)
			}
			const first = "Erstes-CLI-Passwort-1"
			r = awIn(t, env, first+"\r\nzweite Zeile\n", pwArgs...)
			if r.code != 0 || r.stdout != "Passwort für anna (TFM) gesetzt; 0 Sitzung(en) beendet.\n" || strings.Contains(r.stdout+r.stderr, first) {
				t.Fatalf("set password: %+v", r)
			}
			g := mustRun(t, env, append(pwArgs, "--generate")...)
			if !generatedRE.MatchString(g.stdout) || !strings.Contains(g.stderr, "nur jetzt angezeigt") {
				t.Fatalf("generated password: %+v", g)
			}
			generated := strings.TrimSpace(g.stdout)

			// the running server signs in with it (plain HTTP: --cookie-secure=false)
			s := startServer(t, env, data, "--cookie-secure=false", "--session-idle=10m", "--session-max=1h")
			b := &browser{t: t, url: s.url}
			if code, _ := b.signIn("anna", first, ""); code != 401 {
				t.Fatalf("replaced password accepted: %d", code)
			}
			code, m := b.signIn("anna", generated, "")
			if code != 200 {
				t.Fatalf("sign-in with the generated password: %d %v", code, m)
			}
			// --session-max reached the server
			from, _ := time.Parse(time.RFC3339Nano, m["angemeldet_am"].(string))
			until, _ := time.Parse(time.RFC3339Nano, m["laeuft_ab_am"].(string))
			if until.Sub(from) != time.Hour {
				t.Fatalf("session lasts %v, --session-max=1h", until.Sub(from))
			}

			// user logout ends the sessions on the running server at once
			if code, _, _ := b.do("GET", "/api/v1/sitzung", ""); code != 200 {
				t.Fatalf("sitzung %d", code)
			}
			lo := mustRun(t, env, "user", "logout", d, "--tenant", "TFM", "--login", "anna")
			if !strings.HasPrefix(lo.stdout, "1 Sitzung(en) von anna (TFM) beendet") {
				t.Fatalf("logout: %+v", lo)
			}
			if code, _, _ := b.do("GET", "/api/v1/sitzung", ""); code != 401 {
				t.Fatalf("session alive after user logout: %d", code)
			}

			// user reset-totp: a lost phone
			b.signIn("anna", generated, "")
			code, en, _ := b.do("POST", "/api/v1/ich/totp", "")
			if code != 200 {
				t.Fatalf("totp: %d %v", code, en)
			}
			c, _ := totp.GenerateCode(en["secret"].(string), time.Now())
			if code, m, _ := b.do("POST", "/api/v1/ich/totp/bestaetigung", fmt.Sprintf(`{"code":%q}`, c)); code != 200 {
				t.Fatalf("confirm: %d %v", code, m)
			}
			if code, m := b.signIn("anna", generated, ""); code != 401 || !strings.Contains(fmt.Sprint(m["errors"]), "totp") {
				t.Fatalf("without code: %d %v", code, m)
			}
			mustRun(t, env, "user", "reset-totp", d, "--tenant", "TFM", "--login", "anna")
			if code, m := b.signIn("anna", generated, ""); code != 200 {
				t.Fatalf("after reset-totp: %d %v", code, m)
			}
			s.stop(t)

			mustRun(t, env, "audit", "verify", d)
			db := openData(t, env, data)
			var actions []string
			rows, err := db.Query(`SELECT action, changes FROM audit_log ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var a, ch string
				rows.Scan(&a, &ch)
				actions = append(actions, a)
				for _, secret := range []string{first, generated, c} {
					if strings.Contains(ch, secret) {
						t.Errorf("secret in audit entry %s: %s", a, ch)
					}
				}
			}
			rows.Close()
			got := strings.Join(actions, ",")
			for _, want := range []string{"passwort.gesetzt", "anmeldung.fehlgeschlagen", "anmeldung", "abmeldung.ueberall", "totp.eingerichtet", "totp.zurueckgesetzt"} {
				if !strings.Contains(got, want) {
					t.Errorf("no %s in the audit trail: %s", want, got)
				}
			}
		})
	}
}

func TestServeSessionFlagsCLI(t *testing.T) {
	data := t.TempDir()
	r := aw(t, nil, "serve", "--data", data, "--addr", "127.0.0.1:0", "--session-idle=0s")
	if r.code != 2 || !strings.Contains(r.stderr, "--session-idle") {
		t.Fatalf("idle 0: %+v", r)
	}
	r = aw(t, nil, "serve", "--data", data, "--addr", "127.0.0.1:0", "--session-idle=2h", "--session-max=1h")
	if r.code != 2 || !strings.Contains(r.stderr, "--session-max") {
		t.Fatalf("idle > max: %+v", r)
	}
	r = aw(t, []string{"AKTENWERK_SESSION_MAX=zehn"}, "serve", "--data", data, "--addr", "127.0.0.1:0")
	if r.code != 1 || !strings.Contains(r.stderr, "AKTENWERK_SESSION_MAX") {
		t.Fatalf("bad env: %+v", r)
	}
	r = aw(t, []string{"AKTENWERK_COOKIE_SECURE=vielleicht"}, "serve", "--data", data, "--addr", "127.0.0.1:0")
	if r.code != 1 || !strings.Contains(r.stderr, "AKTENWERK_COOKIE_SECURE") {
		t.Fatalf("bad env: %+v", r)
	}
}
