package main

import (
	"os"
	"strings"
	"testing"

	"aktenwerk/internal/store/storetest"
)

// Dienstkonten and token scopes from the CLI, used against a running server.
func TestServiceAccountAndScopes(t *testing.T) {
	for name, env := range backendEnvs(t) {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			d := "--data=" + data
			mustRun(t, env, "tenant", "add", d, "--code", "TFM", "--name", "Thüringer Finanzministerium")
			mustRun(t, env, "user", "add", d, "--tenant", "TFM", "--login", "anna", "--name", "Anna", "--role", "registratur")
			out := mustRun(t, env, "user", "add", d, "--tenant", "TFM", "--login", "scanner", "--name", "Scanstation 1", "--typ", "dienstkonto")
			if !strings.Contains(out.stdout, "Dienstkonto scanner") {
				t.Fatalf("service account: %q", out.stdout)
			}
			if r := aw(t, env, "user", "add", d, "--tenant", "TFM", "--login", "robot", "--name", "R", "--typ", "roboter"); r.code == 0 || !strings.Contains(r.stderr, "typ") {
				t.Fatalf("unknown account type accepted: %+v", r)
			}
			if r := aw(t, env, "token", "create", d, "--tenant", "TFM", "--login", "anna", "--scope", "alles"); r.code == 0 || !strings.Contains(r.stderr, "alles") {
				t.Fatalf("unknown scope accepted: %+v", r)
			}
			readTok := strings.TrimSpace(mustRun(t, env, "token", "create", d, "--tenant", "TFM", "--login", "anna", "--scope", "read").stdout)
			fullTok := strings.TrimSpace(mustRun(t, env, "token", "create", d, "--tenant", "TFM", "--login", "anna").stdout)
			scanTok := strings.TrimSpace(mustRun(t, env, "token", "create", d, "--tenant", "TFM", "--login", "scanner", "--scope", "read", "--scope", "write").stdout)

			srv := startServer(t, env, data)
			if st, _ := call(t, "GET", srv.url+"/api/v1/akten", readTok, ""); st != 200 {
				t.Fatalf("read token cannot read: %d", st)
			}
			body := `{"kennzeichen":"1","titel":"Allgemeines"}`
			if st, m := call(t, "POST", srv.url+"/api/v1/aktenplan", readTok, body); st != 403 {
				t.Fatalf("read token could write: %d %v", st, m)
			}
			if st, m := call(t, "POST", srv.url+"/api/v1/aktenplan", fullTok, body); st != 201 {
				t.Fatalf("full token: %d %v", st, m)
			}
			if st, m := call(t, "GET", srv.url+"/api/v1/ich", scanTok, ""); st != 200 || m["login"] != "scanner" {
				t.Fatalf("service account token: %d %v", st, m)
			}
			srv.stop(t)
		})
	}
}

// A token revoked through one node is refused by another node with the
// very next request: nodes share nothing but the database.
func TestRevocationAcrossNodes(t *testing.T) {
	if os.Getenv("AKTENWERK_TEST_POSTGRES") == "" {
		t.Skip("AKTENWERK_TEST_POSTGRES not set (CI always sets it)")
	}
	env := []string{"AKTENWERK_DATABASE_URL=" + storetest.PostgresDSN(t)}
	a := t.TempDir()
	mustRun(t, env, "tenant", "add", "--data="+a, "--code", "TFM", "--name", "Thüringer Finanzministerium")
	mustRun(t, env, "user", "add", "--data="+a, "--tenant", "TFM", "--login", "anna", "--name", "Anna")
	tok := strings.TrimSpace(mustRun(t, env, "token", "create", "--data="+a, "--tenant", "TFM", "--login", "anna").stdout)
	node1 := startServer(t, env, a)
	node2 := startServer(t, env, t.TempDir())
	for _, n := range []*server{node1, node2} {
		if st, _ := call(t, "GET", n.url+"/api/v1/ich", tok, ""); st != 200 {
			t.Fatalf("token refused before revocation: %d", st)
		}
	}
	st, list := call(t, "GET", node1.url+"/api/v1/tokens", tok, "")
	items, _ := list["items"].([]any)
	if st != 200 || len(items) != 1 {
		t.Fatalf("token list: %d %v", st, list)
	}
	id := items[0].(map[string]any)["id"].(string)
	if st, _ := call(t, "DELETE", node1.url+"/api/v1/tokens/"+id, tok, ""); st != 204 {
		t.Fatalf("revoke: %d", st)
	}
	if st, _ := call(t, "GET", node2.url+"/api/v1/ich", tok, ""); st != 401 {
		t.Fatalf("node 2 still accepts the revoked token: %d", st)
	}
	if st, _ := call(t, "GET", node1.url+"/api/v1/ich", tok, ""); st != 401 {
		t.Fatalf("node 1 still accepts the revoked token: %d", st)
	}
	node1.stop(t)
	node2.stop(t)
}
