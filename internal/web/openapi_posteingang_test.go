package web_test

import (
	"fmt"
	"strings"
)

// The Posteingang routes against the document: upload, list, read with
// attachments, content, assignment (to a new Akte and to a Vorgang), and
// the refusals.
func init() {
	contractSections = append(contractSections, func(c *contract) {
		t := c.t
		anna, bernd, carla := c.e.anna, c.e.bernd, c.e.carla
		const pe = "/api/v1/posteingang"

		it := c.upload(reqValid, 201, pe, anna, part{name: "betreff", data: []byte("Schreiben Stadt Erfurt")},
			part{name: "absender", data: []byte("Stadt Erfurt")}, part{name: "file", filename: "schreiben.txt", data: []byte("Bitte um Stellungnahme")})
		id := str(it, "id")
		if str(it, "status") != "offen" || str(it, "quelle") != "upload" || str(it, "betreff") != "Schreiben Stadt Erfurt" {
			t.Fatalf("item %v", it)
		}
		c.ids["posteingang"] = id
		c.samples["POST /api/v1/posteingang/{id}/zuordnung"] = jsonSample(`{"vorgang_id":"01900000-0000-7000-8000-000000000000"}`)
		c.samples["POST /api/v1/posteingang"] = multipartSample(part{name: "file", filename: "b.txt", data: []byte("Beispiel")})

		l := c.json(reqValid, 200, "GET", pe+"?status=offen&limit=5", anna, "")
		if items := l["items"].([]any); len(items) == 0 || str(items[0].(map[string]any), "id") != id {
			t.Fatalf("list: %v", l)
		}
		c.json(reqValid, 200, "GET", pe+"?status=alle", anna, "")
		got := c.json(reqValid, 200, "GET", pe+"/"+id, anna, "")
		if _, ok := got["anhaenge"].([]any); !ok {
			t.Fatalf("item without attachments list: %v", got)
		}
		r := c.do(exchange{status: 200, method: "GET", path: pe + "/" + id + "/inhalt", token: anna})
		if string(r.body) != "Bitte um Stellungnahme" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("inhalt: %s %v", r.body, r.header)
		}
		c.do(exchange{status: 404, method: "GET", path: pe + "/" + id + "/inhalt?anhang=3", token: anna})
		c.do(exchange{check: reqInvalid, status: 400, method: "GET", path: pe + "/" + id + "/inhalt?anhang=0", token: anna})

		// assignment: validation first, then a new Akte with its Vorgang
		plan := c.json(reqValid, 201, "POST", "/api/v1/aktenplan", anna, `{"kennzeichen":"P1","titel":"Posteingang"}`)
		c.json(reqValid, 422, "POST", pe+"/"+id+"/zuordnung", anna, `{}`)
		c.json(reqInvalid, 400, "POST", pe+"/"+id+"/zuordnung", anna, `{"ordner":"x"}`)
		c.json(reqValid, 422, "POST", pe+"/"+id+"/zuordnung", anna, fmt.Sprintf(`{"neue_akte":{"aktenplan_id":%q,"titel":"Stellungnahmen"},"typ":"Eingang","vorgang_id":"x"}`, str(plan, "id")))
		res := c.json(reqValid, 200, "POST", pe+"/"+id+"/zuordnung", anna, fmt.Sprintf(`{"neue_akte":{"aktenplan_id":%q,"titel":"Stellungnahmen"},"vorgang_betreff":"Stellungnahme Erfurt"}`, str(plan, "id")))
		doks := res["dokumente"].([]any)
		if len(doks) != 1 || str(res["vorgang"].(map[string]any), "betreff") != "Stellungnahme Erfurt" || res["akte"] == nil ||
			str(res["posteingang"].(map[string]any), "status") != "zugeordnet" {
			t.Fatalf("zuordnung: %v", res)
		}
		dok := str(doks[0].(map[string]any), "id")
		if r := c.do(exchange{status: 200, method: "GET", path: "/api/v1/dokumente/" + dok + "/inhalt", token: anna}); string(r.body) != "Bitte um Stellungnahme" {
			t.Fatalf("the Dokument's content: %s", r.body)
		}
		c.json(reqValid, 409, "POST", pe+"/"+id+"/zuordnung", anna, fmt.Sprintf(`{"vorgang_id":%q}`, str(res["vorgang"].(map[string]any), "id")))
		// a second item into the existing Vorgang
		it2 := c.upload(reqValid, 201, pe, anna, part{name: "file", filename: "nachtrag.txt", data: []byte("Nachtrag")})
		res = c.json(reqValid, 200, "POST", pe+"/"+str(it2, "id")+"/zuordnung", anna, fmt.Sprintf(`{"vorgang_id":%q,"betreff":"Nachtrag","typ":"Eingang"}`, str(res["vorgang"].(map[string]any), "id")))
		if d := res["dokumente"].([]any)[0].(map[string]any); str(d, "betreff") != "Nachtrag" || str(d, "typ") != "Eingang" {
			t.Fatalf("second zuordnung: %v", res)
		}

		// refused
		c.json(reqValid, 403, "GET", pe, bernd, "")
		c.upload(reqValid, 403, pe, bernd, part{name: "file", filename: "x.txt", data: []byte("x")})
		c.json(reqValid, 404, "GET", pe+"/"+id, carla, "")
		if l := c.json(reqValid, 200, "GET", pe+"?status=alle", carla, ""); len(l["items"].([]any)) != 0 {
			t.Fatalf("carla sees TFM post: %v", l)
		}
		c.json(reqInvalid, 401, "GET", pe, "", "")
		c.json(reqValid, 422, "GET", pe+"?status=weg", anna, "")
		c.json(reqValid, 422, "GET", pe+"?einheit=GIBTESNICHT", anna, "")
		c.upload(reqValid, 422, pe, anna, part{name: "einheit", data: []byte("GIBTESNICHT")}, part{name: "file", filename: "x.txt", data: []byte("x")})
		c.upload(reqInvalid, 400, pe, anna, part{name: "farbe", data: []byte("rot")}, part{name: "file", filename: "x.txt", data: []byte("x")})
		c.upload(reqValid, 422, pe, anna, part{name: "file", filename: "leer.txt", data: []byte{}})
		c.upload(reqValid, 415, pe, anna, part{name: "file", filename: "setup.exe", data: []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")})
		c.do(exchange{check: reqInvalid, status: 415, method: "POST", path: pe, token: anna, body: []byte(`{}`), ctype: "application/json"})
	})
}
