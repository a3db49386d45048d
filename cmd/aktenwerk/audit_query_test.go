package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type cliEntry struct {
	ID         string    `json:"id"`
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Hash       string    `json:"hash"`
}

func auditJSON(t *testing.T, env []string, args ...string) []cliEntry {
	t.Helper()
	r := mustRun(t, env, append([]string{"audit", "query", "--format", "json"}, args...)...)
	var es []cliEntry
	if err := json.Unmarshal([]byte(r.stdout), &es); err != nil {
		t.Fatalf("audit query %v: not a JSON array: %v\n%s", args, err, r.stdout)
	}
	return es
}

func TestAuditQueryCLI(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for name, env := range backendEnvs(t) {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			d := "--data=" + data
			// entries of a real user: the first admin of tenant LV works through the API
			s := startServer(t, env, data)
			tok := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "erstes-admin-token.txt")))))
			code, p := call(t, "POST", s.url+"/api/v1/aktenplan", tok, `{"kennzeichen":"1","titel":"Organisation"}`)
			if code != 201 {
				t.Fatalf("aktenplan: %d %v", code, p)
			}
			code, a := call(t, "POST", s.url+"/api/v1/akten", tok, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Haushalt, \"2026\""}`, p["id"]))
			if code != 201 {
				t.Fatalf("akte: %d %v", code, a)
			}
			akte := a["id"].(string)
			s.stop(t)
			mustRun(t, env, "tenant", "add", d, "--code", "TFM", "--name", "Finanzministerium")
			mustRun(t, env, "user", "add", d, "--tenant", "TFM", "--login", "anna", "--name", "Anna")

			// --user: only the admin's own actions, in id order
			byAdmin := auditJSON(t, env, d, "--tenant", "LV", "--user", "admin")
			var actions []string
			for i, e := range byAdmin {
				if e.Actor != "admin" || (i > 0 && e.ID <= byAdmin[i-1].ID) {
					t.Fatalf("--user admin: %+v", byAdmin)
				}
				actions = append(actions, e.Action)
			}
			if strings.Join(actions, " ") != "aktenplan.create akte.create" {
				t.Fatalf("--user admin: %v", actions)
			}
			// --action as a table
			r := mustRun(t, env, "audit", "query", d, "--tenant", "LV", "--action", "akte.create")
			lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
			if len(lines) != 3 || !strings.HasPrefix(lines[0], "ZEITPUNKT") || !strings.Contains(lines[1], "admin") ||
				!strings.Contains(lines[1], akte) || !strings.HasPrefix(lines[2], "1 Einträge") {
				t.Fatalf("table:\n%s", r.stdout)
			}
			// --object as CSV: BOM, header, one row, quoting
			r = mustRun(t, env, "audit", "query", d, "--tenant", "LV", "--object", akte, "--format", "csv")
			body, ok := strings.CutPrefix(r.stdout, "\uFEFF")
			if !ok {
				t.Fatalf("csv without BOM: %q", r.stdout)
			}
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || len(rows) != 2 || rows[0][0] != "id" || rows[1][3] != "admin" || rows[1][5] != "akte.create" || rows[1][7] != akte ||
				!strings.Contains(rows[1][8], `Haushalt, \"2026\"`) {
				t.Fatalf("csv (%v):\n%s", err, r.stdout)
			}
			r = mustRun(t, env, "audit", "query", d, "--tenant", "LV", "--object", akte, "--format", "csv", "--semikolon")
			cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.stdout, "\uFEFF")))
			cr.Comma = ';'
			if semi, err := cr.ReadAll(); err != nil || len(semi) != 2 || strings.Join(semi[1], "|") != strings.Join(rows[1], "|") {
				t.Fatalf("semicolon csv (%v):\n%s", err, r.stdout)
			}
			// --from/--to: dates are days in Europe/Berlin, inclusive
			day := byAdmin[1].At.In(berlin)
			today := day.Format("2006-01-02")
			if got := auditJSON(t, env, d, "--tenant", "LV", "--object", akte, "--from", today, "--to", today); len(got) != 1 {
				t.Fatalf("--from/--to %s: %+v", today, got)
			}
			if got := auditJSON(t, env, d, "--tenant", "LV", "--object", akte, "--from", day.AddDate(0, 0, 1).Format("2006-01-02")); len(got) != 0 {
				t.Fatalf("--from tomorrow: %+v", got)
			}
			if got := auditJSON(t, env, d, "--tenant", "LV", "--object", akte, "--to", byAdmin[1].At.Add(-time.Microsecond).Format(time.RFC3339Nano)); len(got) != 0 {
				t.Fatalf("--to just before: %+v", got)
			}
			// other tenants' entries never show up
			tfm := auditJSON(t, env, d, "--tenant", "TFM")
			if len(tfm) < 2 {
				t.Fatalf("TFM: %+v", tfm)
			}
			for _, e := range tfm {
				if e.ObjectID == akte || e.Actor == "admin" {
					t.Fatalf("TFM's log shows an LV entry: %+v", e)
				}
			}

			// refused: usage errors (2) and domain errors (1), nothing recorded
			for _, c := range []struct {
				args []string
				code int
				msg  string
			}{
				{[]string{"--format", "json"}, 2, "--tenant"},
				{[]string{"--tenant", "LV", "--format", "xml"}, 2, "--format"},
				{[]string{"--tenant", "LV", "--from", "15.03.2026"}, 2, "--from"},
				{[]string{"--tenant", "LV", "--to", "morgen"}, 2, "--to"},
				{[]string{"--tenant", "NOPE"}, 1, "NOPE"},
				{[]string{"--tenant", "LV", "--user", "niemand"}, 1, "--user"},
				{[]string{"--tenant", "LV", "--from", "2026-03-02", "--to", "2026-03-01"}, 1, "--to"},
			} {
				r := aw(t, env, append([]string{"audit", "query", d}, c.args...)...)
				if r.code != c.code || !strings.Contains(r.stderr, c.msg) || r.stdout != "" {
					t.Errorf("audit query %v: exit %d, want %d naming %s\n%s%s", c.args, r.code, c.code, c.msg, r.stdout, r.stderr)
				}
			}

			// every successful query is in the tenant's log, by the operator
			exports := auditJSON(t, env, d, "--tenant", "LV", "--action", "protokoll.export")
			if len(exports) != 7 { // 7 queries on LV above, not the refused ones (this one is not part of its own result)
				t.Fatalf("%d exports of LV recorded: %+v", len(exports), exports)
			}
			for _, e := range exports {
				if e.Actor != "system" || e.ObjectType != "protokoll" || e.Seq == 0 || len(e.Hash) != 64 {
					t.Fatalf("export record %+v", e)
				}
			}
			if v := mustRun(t, env, "audit", "verify", d); !strings.Contains(v.stdout, "unversehrt") {
				t.Fatal(v.stdout)
			}
			if h := mustRun(t, env, "help"); !bytes.Contains([]byte(h.stderr), []byte("audit query")) {
				t.Fatalf("help does not list audit query:\n%s", h.stderr)
			}
		})
	}
}
