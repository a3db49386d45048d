package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"aktenwerk/internal/store/storetest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "aktenwerk-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "aktenwerk")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// aw runs the real binary with a clean environment plus env.
func aw(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return awIn(t, env, "", args...)
}

func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AKTENWERK_") {
			env = append(env, kv)
		}
	}
	return env
}

func mustRun(t *testing.T, env []string, args ...string) result {
	t.Helper()
	r := aw(t, env, args...)
	if r.code != 0 {
		t.Fatalf("aktenwerk %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

var tokenRE = regexp.MustCompile(`^awk_[A-Za-z0-9_-]{43}\n$`)

// backendEnvs gives the environment selecting each backend.
func backendEnvs(t *testing.T) map[string][]string {
	envs := map[string][]string{"sqlite": nil}
	for _, b := range storetest.Backends(t) {
		if b.Name == "postgres" {
			envs["postgres"] = []string{"AKTENWERK_DATABASE_URL=" + storetest.PostgresDSN(t)}
		}
	}
	return envs
}

func TestCLIContract(t *testing.T) {
	for name, env := range backendEnvs(t) {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			d := "--data=" + data
			mustRun(t, env, "tenant", "add", d, "--code", "TFM", "--name", "Thüringer Finanzministerium")
			r := aw(t, env, "tenant", "add", d, "--code", "TFM", "--name", "doppelt")
			if r.code == 0 || !strings.Contains(r.stderr, "TFM existiert bereits") {
				t.Fatalf("duplicate tenant: %+v", r)
			}
			if r := aw(t, env, "tenant", "add", d, "--code", "TSK"); r.code != 2 || !strings.Contains(r.stderr, "--name") {
				t.Fatalf("missing flag: %+v", r)
			}
			mustRun(t, env, "user", "add", d, "--tenant", "TFM", "--login", "anna", "--name", "Anna Schmidt")
			mustRun(t, env, "user", "add", d, "--tenant", "TFM", "--login", "bernd", "--name", "Bernd Weber", "--role", "registratur", "--role", "leitung")
			if r := aw(t, env, "user", "add", d, "--tenant", "TFM", "--login", "xaver", "--name", "X", "--role", "hausmeister"); r.code == 0 || !strings.Contains(r.stderr, "hausmeister") {
				t.Fatalf("unknown role: %+v", r)
			}
			if r := aw(t, env, "user", "add", d, "--tenant", "NOPE", "--login", "xaver", "--name", "X"); r.code == 0 || !strings.Contains(r.stderr, "NOPE") {
				t.Fatalf("unknown tenant: %+v", r)
			}
			mustRun(t, env, "unit", "add", d, "--tenant", "TFM", "--kennung", "Z", "--name", "Zentralabteilung", "--typ", "abteilung")
			mustRun(t, env, "unit", "add", d, "--tenant", "TFM", "--kennung", "Z1", "--name", "Referat Personal", "--typ", "referat", "--parent", "Z")
			mustRun(t, env, "user", "add", d, "--tenant", "TFM", "--login", "carla", "--name", "Carla", "--unit", "Z1", "--unit", "Z", "--position", "registratur")
			if r := aw(t, env, "user", "add", d, "--tenant", "TFM", "--login", "dora", "--name", "Dora", "--unit", "GIBTSNICHT"); r.code == 0 || !strings.Contains(r.stderr, "GIBTSNICHT") {
				t.Fatalf("unknown unit: %+v", r)
			}
			// nothing was created by the refused call
			if r := aw(t, env, "token", "create", d, "--tenant", "TFM", "--login", "dora"); r.code == 0 {
				t.Fatal("user with unknown unit was created")
			}
			if ul := mustRun(t, env, "unit", "list", d, "--tenant", "TFM"); !strings.Contains(ul.stdout, "Z1") || !strings.Contains(ul.stdout, "Referat Personal") {
				t.Fatal(ul.stdout)
			}
			mustRun(t, env, "user", "deactivate", d, "--tenant", "TFM", "--login", "carla")
			if r := aw(t, env, "token", "create", d, "--tenant", "TFM", "--login", "carla"); r.code == 0 || !strings.Contains(r.stderr, "deaktiviert") {
				t.Fatalf("token for deactivated user: %+v", r)
			}
			mustRun(t, env, "user", "activate", d, "--tenant", "TFM", "--login", "carla")
			tok := mustRun(t, env, "token", "create", d, "--tenant", "TFM", "--login", "anna")
			if !tokenRE.MatchString(tok.stdout) {
				t.Fatalf("token create stdout %q", tok.stdout)
			}
			if r := aw(t, env, "token", "create", d, "--tenant", "TFM", "--login", "niemand"); r.code == 0 || r.stdout != "" {
				t.Fatalf("token for unknown user: %+v", r)
			}
			mustRun(t, env, "tenant", "add", d, "--code", "ERF", "--name", "Stadt Erfurt", "--aktenzeichen-muster", "{tenant}.{kennzeichen}.{serial:5}")
			if r := aw(t, env, "tenant", "add", d, "--code", "GTH", "--name", "Gotha", "--aktenzeichen-muster", "{tenant}"); r.code == 0 || !strings.Contains(r.stderr, "aktenzeichen_muster") {
				t.Fatalf("bad pattern: %+v", r)
			}
			mustRun(t, env, "tenant", "update", d, "--code", "TFM", "--vorgang-muster", "{akte}/{serial:2}")
			lst := mustRun(t, env, "tenant", "list", d)
			if !strings.Contains(lst.stdout, "TFM") || !strings.Contains(lst.stdout, "{tenant}.{kennzeichen}.{serial:5}") || !strings.Contains(lst.stdout, "{akte}/{serial:2}") {
				t.Fatal(lst.stdout)
			}
			v := mustRun(t, env, "audit", "verify", d)
			if !strings.Contains(v.stdout, "unversehrt") {
				t.Fatal(v.stdout)
			}
			mustRun(t, env, "fsck", d)
			if r := aw(t, env, "gibtsnicht"); r.code != 2 {
				t.Fatalf("unknown command exit %d", r.code)
			}
		})
	}
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	data := t.TempDir()
	d := "--data=" + data
	mustRun(t, nil, "tenant", "add", d, "--code", "TFM", "--name", "Finanzministerium")
	for _, l := range []string{"anna", "bernd", "carla"} {
		mustRun(t, nil, "user", "add", d, "--tenant", "TFM", "--login", l, "--name", l)
	}
	mustRun(t, nil, "audit", "verify", d)
	db, err := sql.Open("sqlite", filepath.Join(data, "aktenwerk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET changes = replace(changes, 'bernd', 'mallory') WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	r := aw(t, nil, "audit", "verify", d)
	if r.code == 0 || !strings.Contains(r.stdout, "Eintrag 3") || !strings.Contains(r.stdout, "TFM") {
		t.Fatalf("tampering not reported: %+v", r)
	}
}

// server is a running `aktenwerk serve` process.
type server struct {
	cmd  *exec.Cmd
	url  string
	out  *bytes.Buffer
	done chan struct{}
}

func startServer(t *testing.T, env []string, data string, extra ...string) *server {
	t.Helper()
	args := append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(binary, args...)
	cmd.Env = append(baseEnv(), env...)
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, out: &bytes.Buffer{}, done: make(chan struct{})}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		url := ""
		for sc.Scan() {
			line := sc.Text()
			if url != "" && strings.Contains(s.out.String(), "Strg+C") {
				continue // banner complete; later output is not inspected
			}
			s.out.WriteString(line + "\n")
			if m := regexp.MustCompile(`läuft auf (http://\S+)`).FindStringSubmatch(line); m != nil {
				url = m[1]
			}
			if url != "" && strings.Contains(line, "Strg+C") {
				urlc <- url // the whole banner has been read
			}
		}
	}()
	go func() { cmd.Wait(); pw.Close(); close(s.done) }()
	select {
	case s.url = <-urlc:
	case <-s.done:
		t.Fatalf("server exited: %s", logs.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("server did not start: %s", logs.String())
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	return s
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop on SIGTERM")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("serve exit code %d after SIGTERM", code)
	}
}

func call(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

func TestServeFirstStartAndCLIWhileRunning(t *testing.T) {
	for name, env := range backendEnvs(t) {
		t.Run(name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "neu", "daten") // does not exist yet
			s := startServer(t, env, data)
			tokFile := filepath.Join(data, "erstes-admin-token.txt")
			raw, err := os.ReadFile(tokFile)
			if err != nil {
				t.Fatalf("first token file: %v\n%s", err, s.out)
			}
			if fi, _ := os.Stat(tokFile); fi.Mode().Perm() != 0o600 {
				t.Fatalf("token file mode %v", fi.Mode())
			}
			tok := strings.TrimSpace(string(raw))
			if strings.Contains(s.out.String(), tok) {
				t.Fatal("token printed although stdout is not a terminal")
			}
			if !strings.Contains(s.out.String(), "Erster Start") || !strings.Contains(s.out.String(), tokFile) {
				t.Fatalf("banner does not explain the first login:\n%s", s.out)
			}
			code, me := call(t, "GET", s.url+"/api/v1/ich", tok, "")
			if code != 200 || me["tenant"] != "LV" || me["login"] != "admin" {
				t.Fatalf("ich: %d %v", code, me)
			}
			// the CLI works on the same data while the server runs
			d := "--data=" + data
			mustRun(t, env, "tenant", "add", d, "--code", "TFM", "--name", "Finanzministerium")
			mustRun(t, env, "user", "add", d, "--tenant", "TFM", "--login", "anna", "--name", "Anna", "--role", "registratur")
			// the first administrator runs the installation (operator mark:
			// tenants in the web application); the CLI grants and withdraws it
			opDB := openData(t, env, data)
			operators := func() (n int) {
				t.Helper()
				if err := opDB.QueryRow(`SELECT COUNT(*) FROM betrieb`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := operators(); n != 1 {
				t.Fatalf("%d operators after the first start, want 1 (admin)", n)
			}
			if r := mustRun(t, env, "user", "betrieb", d, "--tenant", "TFM", "--login", "anna"); !strings.Contains(r.stdout, "anna (TFM) darf jetzt als Betrieb") || operators() != 2 {
				t.Fatalf("user betrieb: %+v, %d operators", r, operators())
			}
			mustRun(t, env, "user", "betrieb-entziehen", d, "--tenant", "TFM", "--login", "anna")
			if operators() != 1 {
				t.Fatalf("user betrieb-entziehen: %d operators", operators())
			}
			if r := aw(t, env, "user", "betrieb", d, "--tenant", "TFM", "--login", "niemand"); r.code == 0 {
				t.Fatal("user betrieb for an unknown login succeeded")
			}
			annaTok := strings.TrimSpace(mustRun(t, env, "token", "create", d, "--tenant", "TFM", "--login", "anna").stdout)
			code, p := call(t, "POST", s.url+"/api/v1/aktenplan", annaTok, `{"kennzeichen":"121","titel":"Ausbildung","parent_id":null}`)
			if code != 201 {
				t.Fatalf("aktenplan: %d %v", code, p)
			}
			code, a := call(t, "POST", s.url+"/api/v1/akten", annaTok, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Test"}`, p["id"]))
			if code != 201 || !strings.HasPrefix(a["aktenzeichen"].(string), "TFM-121-") {
				t.Fatalf("akte: %d %v", code, a)
			}
			// the server's chainer links the entry into the chain shortly after
			deadline := time.Now().Add(30 * time.Second)
			for {
				_, h := call(t, "GET", s.url+"/api/v1/akten/"+a["id"].(string)+"/historie", annaTok, "")
				items := h["items"].([]any)
				if len(items) == 1 && items[0].(map[string]any)["seq"].(float64) > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("audit entry not chained by the server: %v", h)
				}
				time.Sleep(50 * time.Millisecond)
			}
			// revoking anna's token on the CLI takes effect on the running server at once
			tl := mustRun(t, env, "token", "list", d, "--tenant", "TFM", "--login", "anna")
			tid := strings.Fields(tl.stdout)[0]
			if strings.Contains(tl.stdout, "awk_") || !strings.Contains(tl.stdout, "gültig") {
				t.Fatalf("token list: %s", tl.stdout)
			}
			mustRun(t, env, "token", "revoke", d, "--tenant", "TFM", "--id", tid)
			if code, _ := call(t, "GET", s.url+"/api/v1/ich", annaTok, ""); code != 401 {
				t.Fatalf("revoked token still accepted: %d", code)
			}
			// the LV admin does not see TFM's Akte
			if code, _ := call(t, "GET", s.url+"/api/v1/akten/"+a["id"].(string), tok, ""); code != 404 {
				t.Fatalf("cross-tenant get: %d", code)
			}
			mustRun(t, env, "audit", "verify", d)
			s.stop(t)
			// a second start does not create another tenant and reminds of the token file
			s2 := startServer(t, env, data)
			if strings.Contains(s2.out.String(), "Erster Start") || !strings.Contains(s2.out.String(), "erstes-admin-token.txt") {
				t.Fatalf("second start banner:\n%s", s2.out)
			}
			s2.stop(t)
		})
	}
}

// kill -9 in the middle of an upload leaves the old state: no Dokument, and
// only a temp file that fsck --repair removes.
func TestKillDuringUpload(t *testing.T) {
	for name, env := range backendEnvs(t) {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			s := startServer(t, env, data)
			tok := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "erstes-admin-token.txt")))))
			_, p := call(t, "POST", s.url+"/api/v1/aktenplan", tok, `{"kennzeichen":"1","titel":"Organisation"}`)
			_, a := call(t, "POST", s.url+"/api/v1/akten", tok, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Akte"}`, p["id"]))
			code, v := call(t, "POST", s.url+"/api/v1/akten/"+a["id"].(string)+"/vorgaenge", tok, `{"betreff":"Vorgang"}`)
			if code != 201 {
				t.Fatal(code, v)
			}
			vid := v["id"].(string)
			conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			head := "--b\r\nContent-Disposition: form-data; name=\"betreff\"\r\n\r\nHalb\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n\r\n%PDF-1.4\n"
			fmt.Fprintf(conn, "POST /api/v1/vorgaenge/%s/dokumente HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n%s",
				vid, tok, 8<<20, head)
			conn.Write(bytes.Repeat([]byte("0"), 2<<20))
			tmp := filepath.Join(data, "blobs", "tmp")
			deadline := time.Now().Add(30 * time.Second)
			for {
				ents, _ := os.ReadDir(tmp)
				if len(ents) > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("upload never reached the blob store")
				}
				time.Sleep(10 * time.Millisecond)
			}
			s.cmd.Process.Signal(syscall.SIGKILL)
			<-s.done

			s2 := startServer(t, env, data)
			code, l := call(t, "GET", s2.url+"/api/v1/vorgaenge/"+vid+"/dokumente", tok, "")
			if code != 200 || len(l["items"].([]any)) != 0 {
				t.Fatalf("after crash: %d %v", code, l)
			}
			// a complete upload works after the crash
			var body bytes.Buffer
			body.WriteString("--b\r\nContent-Disposition: form-data; name=\"betreff\"\r\n\r\nGanz\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ganz.txt\"\r\n\r\nvollständig\r\n--b--\r\n")
			req, _ := http.NewRequest("POST", s2.url+"/api/v1/vorgaenge/"+vid+"/dokumente", &body)
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
			res, err := http.DefaultClient.Do(req)
			if err != nil || res.StatusCode != 201 {
				t.Fatalf("upload after crash: %v %v", err, res.Status)
			}
			res.Body.Close()
			s2.stop(t)
			// the crash left only a temp file, which fsck --repair removes
			ents, _ := os.ReadDir(tmp)
			if len(ents) == 0 {
				t.Fatal("expected the crashed upload's temp file")
			}
			rep := mustRun(t, env, "fsck", "--data", data, "--repair", "--grace", "1ns")
			if !strings.Contains(rep.stdout, "1 Blobs im Speicher, 1 von Versionen referenziert") || strings.Contains(rep.stdout, "FEHLT") {
				t.Fatalf("fsck: %s", rep.stdout)
			}
			if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
				t.Fatalf("temp files left after repair: %d", len(ents))
			}
			mustRun(t, env, "audit", "verify", "--data", data)
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestDemoCommand(t *testing.T) {
	data := t.TempDir()
	r := mustRun(t, nil, "demo", "--data", data)
	if !strings.Contains(r.stdout, "4 Mandanten") || !strings.Contains(r.stdout, "STK/") {
		t.Fatalf("demo output:\n%s", r.stdout)
	}
	lst := mustRun(t, nil, "tenant", "list", "--data", data)
	for _, code := range []string{"STK", "TFM", "TMBJS", "ERF"} {
		if !strings.Contains(lst.stdout, code) {
			t.Fatalf("tenant %s missing:\n%s", code, lst.stdout)
		}
	}
	if r := mustRun(t, nil, "demo", "--data", data); !strings.Contains(r.stdout, "bereits geladen") {
		t.Fatalf("second demo: %s", r.stdout)
	}
	v := mustRun(t, nil, "audit", "verify", "--data", data)
	if !strings.Contains(v.stdout, "unversehrt") || strings.Contains(v.stdout, "noch nicht verkettet") {
		t.Fatalf("audit after demo: %s", v.stdout)
	}
	mustRun(t, nil, "fsck", "--data", data, "--verify-content")
	// serve --demo on a loaded system starts normally
	s := startServer(t, nil, data, "--demo")
	tok := strings.TrimSpace(mustRun(t, nil, "token", "create", "--data", data, "--tenant", "TFM", "--login", mustLogin(t, r.stdout, "TFM")).stdout)
	code, l := call(t, "GET", s.url+"/api/v1/akten?limit=5", tok, "")
	if code != 200 || len(l["items"].([]any)) != 5 {
		t.Fatalf("akten of TFM: %d %v", code, l)
	}
	s.stop(t)
}

// mustLogin finds a login of tenant in the demo's token listing.
func mustLogin(t *testing.T, out, tenant string) string {
	t.Helper()
	m := regexp.MustCompile(tenant + `/([a-z.]+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s login in:\n%s", tenant, out)
	}
	return m[1]
}
