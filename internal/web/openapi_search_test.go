package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

// The search route against the document: hits, paging, facets, the direct
// hit, access across tenants through a grant, and bad input.
func init() {
	contractSections = append(contractSections, func(c *contract) {
		t := c.t
		ctx := context.Background()
		anna, bernd, carla := c.e.anna, c.e.bernd, c.e.carla
		index := func() {
			t.Helper()
			if _, err := c.e.svc.IndexPending(ctx, 0); err != nil {
				t.Fatal(err)
			}
		}
		// an Akte of TFM with a Vorgang, found by a word of its title
		plan := c.json(reqValid, 201, "POST", "/api/v1/aktenplan", anna, `{"kennzeichen":"S1","titel":"Suche"}`)
		akte := c.json(reqValid, 201, "POST", "/api/v1/akten", anna, `{"aktenplan_id":"`+str(plan, "id")+`","titel":"Zuwendungen Fachkräfteinitiative"}`)
		c.json(reqValid, 201, "POST", "/api/v1/akten/"+str(akte, "id")+"/vorgaenge", anna, `{"betreff":"Antrag Fachkräfteinitiative Kita Sonnenschein"}`)
		index()

		const suche = "/api/v1/suche"
		res := c.json(reqValid, 200, "GET", suche+"?q="+urlQuery("Fachkräfteinitiative"), anna, "")
		items := res["items"].([]any)
		if len(items) != 2 || res["anzahl"].(float64) != 2 || res["anzahl_genau"] != true {
			t.Fatalf("suche: %v", res)
		}
		var akteHit map[string]any
		for _, it := range items {
			if h := it.(map[string]any); str(h, "id") == str(akte, "id") {
				akteHit = h
			}
		}
		if akteHit == nil || str(akteHit, "objekt_typ") != "akte" || str(akteHit, "mandant") != "TFM" ||
			!strings.Contains(str(akteHit, "ausschnitt_html"), "<mark>Fachkräfteinitiative</mark>") {
			t.Fatalf("hit of the Akte: %v", items)
		}
		if f := res["facetten"].(map[string]any); len(f) != 5 || len(f["objekt"].([]any)) != 2 {
			t.Fatalf("facetten: %v", f)
		}
		// only the facets asked for; paging with the cursor
		res = c.json(reqValid, 200, "GET", suche+"?q=Fachkr%C3%A4fteinitiative&facets=typ&limit=1", anna, "")
		if f := res["facetten"].(map[string]any); len(f) != 1 || f["typ"] == nil {
			t.Fatalf("facets=typ: %v", f)
		}
		cur, _ := res["next_cursor"].(string)
		if cur == "" {
			t.Fatalf("no next_cursor: %v", res)
		}
		res2 := c.json(reqValid, 200, "GET", suche+"?q=Fachkr%C3%A4fteinitiative&facets=&limit=1&cursor="+cur, anna, "")
		if it := res2["items"].([]any); len(it) != 1 || str(it[0].(map[string]any), "id") == str(res["items"].([]any)[0].(map[string]any), "id") || res2["next_cursor"] != nil {
			t.Fatalf("page 2: %v", res2)
		}
		// the exact Aktenzeichen names the object
		res = c.json(reqValid, 200, "GET", suche+"?q="+urlQuery(str(akte, "aktenzeichen")), anna, "")
		if d, _ := res["direkt"].(map[string]any); d == nil || str(d, "id") != str(akte, "id") {
			t.Fatalf("direkt: %v", res)
		}

		// another tenant finds nothing, until the Akte is shared with it
		if res := c.json(reqValid, 200, "GET", suche+"?q=Fachkr%C3%A4fteinitiative", carla, ""); res["anzahl"].(float64) != 0 || res["direkt"] != nil {
			t.Fatalf("carla before the grant: %v", res)
		}
		c.json(reqValid, 201, "POST", "/api/v1/akten/"+str(akte, "id")+"/freigaben", anna, `{"tenant":"TSK","level":"read"}`)
		res = c.json(reqValid, 200, "GET", suche+"?q=Fachkr%C3%A4fteinitiative", carla, "")
		if res["anzahl"].(float64) != 2 || str(res["items"].([]any)[0].(map[string]any), "mandant") != "TFM" {
			t.Fatalf("carla after the grant: %v", res)
		}
		// bernd (no unit: sees the tenant's Akten without owner) and filters
		c.json(reqValid, 200, "GET", suche+"?objekt=akte&status=offen&jahr=2026&typ=Akte&aktenplan="+str(plan, "id"), bernd, "")

		// the searchable copy of a scan: 404 until OCR made one, then the PDF
		dok := c.upload(reqValid, 201, "/api/v1/vorgaenge/"+str(items[0].(map[string]any), "vorgang_id")+"/dokumente", anna,
			part{name: "betreff", data: []byte("Scan")}, part{name: "file", filename: "scan.pdf", data: []byte("%PDF-1.4 scan")})
		c.json(reqValid, 404, "GET", "/api/v1/dokumente/"+str(dok, "id")+"/durchsuchbar", anna, "")
		copySHA, err := c.e.svc.StoreDerived(ctx, strings.NewReader("%PDF-1.7 durchsuchbare Fassung"))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.e.svc.SaveText(ctx, records.DokumentText{DokumentID: str(dok, "id"), Version: 1, Status: records.TextErkannt, PDFASHA256: copySHA}); err != nil {
			t.Fatal(err)
		}
		r := c.do(exchange{status: 200, method: "GET", path: "/api/v1/dokumente/" + str(dok, "id") + "/durchsuchbar", token: anna})
		if string(r.body) != "%PDF-1.7 durchsuchbare Fassung" || r.header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(r.header.Get("Content-Disposition"), "scan (durchsuchbar).pdf") {
			t.Fatalf("durchsuchbar: %s %v", r.body, r.header)
		}
		c.do(exchange{status: 200, method: "GET", path: "/api/v1/dokumente/" + str(dok, "id") + "/durchsuchbar", token: carla}) // shared with TSK above

		// refused and bad input
		revisor := c.e.user("TFM", "suchrevisor", access.RoleAudit)
		c.json(reqValid, 403, "GET", suche+"?q=Kita", revisor, "")
		c.json(reqInvalid, 401, "GET", suche+"?q=Kita", "", "")
		for _, bad := range []string{`"Kita`, "(Kita", "datum:2026-13", "titel:", "Kita OR"} {
			p := c.json(reqValid, 422, "GET", suche+"?q="+urlQuery(bad), anna, "")
			if b, _ := json.Marshal(p["errors"]); !strings.Contains(string(b), `"q"`) {
				t.Fatalf("q=%s: error does not name q: %v", bad, p)
			}
		}
		c.json(reqValid, 422, "GET", suche, anna, "")
		c.json(reqValid, 422, "GET", suche+"?q=Kita&facets=farbe", anna, "")
		c.json(reqInvalid, 422, "GET", suche+"?q=Kita&jahr=abc", anna, "")
		c.json(reqInvalid, 422, "GET", suche+"?q=Kita&objekt=ordner", anna, "")
		c.json(reqInvalid, 400, "GET", suche+"?q=Kita&limit=0", anna, "")
		c.json(reqValid, 400, "GET", suche+"?q=Kita&cursor=!!", anna, "")
		c.json(reqValid, 400, "GET", suche+"?q=Kita&cursor="+base64.RawURLEncoding.EncodeToString([]byte("x1")), anna, "")
	})
}
