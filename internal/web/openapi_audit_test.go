package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"strings"
	"time"

	"aktenwerk/internal/access"
)

// The audit query routes against the document.
func init() {
	contractSections = append(contractSections, func(c *contract) {
		t := c.t
		revisorin := c.e.user("TFM", "revisorin", access.RoleAudit)
		bernd, carla := c.e.bernd, c.e.carla
		const list, export = "/api/v1/protokoll", "/api/v1/protokoll/export"

		// --- pages -----------------------------------------------------------
		l := c.json(reqValid, 200, "GET", list+"?limit=2", revisorin, "")
		items := l["items"].([]any)
		cur, _ := l["next_cursor"].(string)
		if len(items) != 2 || cur == "" {
			t.Fatalf("protokoll page 1: %v", l)
		}
		l = c.json(reqValid, 200, "GET", list+"?limit=2&cursor="+cur, revisorin, "")
		if next := l["items"].([]any); len(next) == 0 || str(next[0].(map[string]any), "id") <= str(items[1].(map[string]any), "id") {
			t.Fatalf("protokoll page 2 does not continue page 1: %v", l)
		}
		// an object and its history, a user, an action, a time range
		akte := ""
		for _, it := range c.json(reqValid, 200, "GET", list+"?aktion=akte.create&objekt_typ=akte&benutzer=bernd&limit=500", revisorin, "")["items"].([]any) {
			e := it.(map[string]any)
			if str(e, "action") != "akte.create" || str(e, "actor") != "bernd" || str(e, "object_type") != "akte" {
				t.Fatalf("filter ignored: %v", e)
			}
			akte = str(e, "object_id")
		}
		if akte == "" {
			t.Fatal("no akte.create by bernd in the contract flow")
		}
		byObject := c.json(reqValid, 200, "GET", list+"?objekt="+akte+"&limit=500", revisorin, "")["items"].([]any)
		hist := c.json(reqValid, 200, "GET", "/api/v1/akten/"+akte+"/historie?limit=500", revisorin, "")["items"].([]any)
		if len(byObject) == 0 || len(byObject) != len(hist) {
			t.Fatalf("objekt filter: %d entries, the Akte's history has %d", len(byObject), len(hist))
		}
		now := time.Now()
		c.json(reqValid, 200, "GET", list+"?von=2026-01-01&bis="+urlQuery(now.Add(time.Hour).Format(time.RFC3339)), revisorin, "")
		l = c.json(reqValid, 200, "GET", list+"?von="+urlQuery(now.Add(time.Hour).In(time.FixedZone("", 3600)).Format(time.RFC3339Nano)), revisorin, "")
		if len(l["items"].([]any)) != 0 || l["next_cursor"] != nil {
			t.Fatalf("entries from the future: %v", l)
		}
		c.json(reqValid, 200, "GET", list+"?bis=2000-01-01", revisorin, "")
		// users of another tenant are named login@CODE; unknown ones find nothing
		if l := c.json(reqValid, 200, "GET", list+"?benutzer="+urlQuery("niemand@TSK"), revisorin, ""); len(l["items"].([]any)) != 0 {
			t.Fatalf("benutzer=niemand@TSK: %v", l)
		}

		// --- refused ---------------------------------------------------------
		c.json(reqValid, 403, "GET", list, bernd, "")
		c.json(reqValid, 403, "GET", list, carla, "")
		c.json(reqInvalid, 401, "GET", list, "", "")
		c.json(reqValid, 422, "GET", list+"?benutzer=niemand", revisorin, "")
		c.json(reqValid, 422, "GET", list+"?von=2026-03-02&bis=2026-03-01", revisorin, "")
		c.json(reqInvalid, 422, "GET", list+"?von=15.03.2026", revisorin, "")
		c.json(reqInvalid, 422, "GET", list+"?bis=2026-03-15T09:30", revisorin, "")
		c.json(reqInvalid, 422, "GET", list+"?aktion="+urlQuery("akte.create' OR 1=1"), revisorin, "")
		c.json(reqInvalid, 400, "GET", list+"?limit=0", revisorin, "")
		c.json(reqValid, 400, "GET", list+"?cursor=!!nicht-base64!!", revisorin, "")
		// a cursor of another list (a bare id) is not a cursor of this one
		c.json(reqValid, 400, "GET", list+"?cursor="+base64.RawURLEncoding.EncodeToString([]byte(akte)), revisorin, "")

		// --- export ------------------------------------------------------------
		r := c.do(exchange{status: 200, method: "GET", path: export + "?format=csv&benutzer=bernd", token: revisorin})
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(r.body, []byte("\uFEFFid,seq,zeitpunkt,")) ||
			!strings.HasPrefix(r.header.Get("Content-Disposition"), `attachment; filename="protokoll-TFM-`) {
			t.Fatalf("csv export: %v %s", r.header, truncate(r.body))
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\uFEFF")))).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("csv export: %v, %d rows", err, len(rows))
		}
		c.do(exchange{status: 200, method: "GET", path: export + "?trennzeichen=semikolon&aktion=akte.create", token: revisorin})
		r = c.do(exchange{status: 200, method: "GET", path: export + "?format=json&objekt=" + akte, token: revisorin})
		var arr []map[string]any
		if err := json.Unmarshal(r.body, &arr); err != nil || len(arr) != len(hist) {
			t.Fatalf("json export: %v, %d entries, want %d: %s", err, len(arr), len(hist), truncate(r.body))
		}
		// the export of everything includes entries with changes of every kind
		c.do(exchange{status: 200, method: "GET", path: export + "?format=json", token: revisorin})
		r = c.do(exchange{status: 200, method: "GET", path: export + "?format=json&bis=2000-01-01", token: revisorin})
		if strings.TrimSpace(string(r.body)) != "[\n]" {
			t.Fatalf("empty json export %q", r.body)
		}
		c.do(exchange{status: 403, method: "GET", path: export, token: bernd})
		c.do(exchange{check: reqInvalid, status: 401, method: "GET", path: export})
		c.do(exchange{status: 422, method: "GET", path: export + "?benutzer=niemand", token: revisorin})
		c.do(exchange{check: reqInvalid, status: 422, method: "GET", path: export + "?format=xml", token: revisorin})
		c.do(exchange{check: reqInvalid, status: 422, method: "GET", path: export + "?format=csv&trennzeichen=tab", token: revisorin})
		c.do(exchange{check: reqInvalid, status: 422, method: "GET", path: export + "?von=gestern", token: revisorin})
	})
}
