package web_test

import (
	"fmt"
	"time"

	"aktenwerk/internal/access"
)

// The access API against the OpenAPI document: grants, restrictions,
// Vertretungen, units, users, tokens.
func init() { contractSections = append(contractSections, accessContract) }

func accessContract(c *contract) {
	t := c.t
	anna, bernd, carla := c.e.anna, c.e.bernd, c.e.carla
	dora := c.e.user("TSK", "dora", access.RoleSachbearbeitung)

	// an Akte of TFM to share
	plan := idOf(c.json(reqValid, 201, "POST", "/api/v1/aktenplan", anna, `{"kennzeichen":"900","titel":"Beteiligungen"}`))
	akte := idOf(c.json(reqValid, 201, "POST", "/api/v1/akten", bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Haushalt 2027"}`, plan)))
	vg := idOf(c.json(reqValid, 201, "POST", "/api/v1/akten/"+akte+"/vorgaenge", bernd, `{"betreff":"Stellungnahme"}`))
	fp := "/api/v1/akten/" + akte + "/freigaben"

	// --- grants --------------------------------------------------------------
	c.json(reqValid, 404, "GET", "/api/v1/akten/"+akte, carla, "")
	g := c.json(reqValid, 201, "POST", fp, bernd, `{"tenant":"TSK","unit":null,"user":null,"level":"read"}`)
	if g["tenant"] != "TSK" || g["level"] != "read" {
		t.Fatalf("grant %v", g)
	}
	c.json(reqValid, 409, "POST", fp, bernd, `{"tenant":"TSK","level":"write"}`)
	c.json(reqValid, 200, "GET", "/api/v1/akten/"+akte, carla, "")
	c.json(reqValid, 200, "GET", "/api/v1/vorgaenge/"+vg, dora, "")
	list := c.json(reqValid, 200, "GET", "/api/v1/akten?limit=500", carla, "")
	if !containsID(list, akte) {
		t.Errorf("shared Akte missing in the grantee's list")
	}
	c.json(reqValid, 403, "PATCH", "/api/v1/akten/"+akte, carla, `{"titel":"Nicht erlaubt"}`)
	c.json(reqValid, 403, "POST", fp, carla, `{"tenant":"TSK","level":"write"}`)
	c.json(reqValid, 200, "GET", fp, carla, "")
	c.json(reqValid, 422, "POST", fp, bernd, `{"tenant":"XYZ","level":"read"}`)
	c.json(reqValid, 422, "POST", fp, bernd, `{"tenant":"TSK","unit":"GIBTESNICHT","level":"read"}`)
	c.json(reqValid, 422, "POST", fp, bernd, `{"tenant":"TSK","user":"niemand","level":"read"}`)
	c.json(reqInvalid, 400, "POST", fp, bernd, `{"tenant":"TSK","level":"read","farbe":"rot"}`)
	c.json(reqInvalid, 422, "POST", fp, bernd, `{"tenant":"TSK","level":"alles"}`)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	c.json(reqValid, 422, "POST", fp, bernd, fmt.Sprintf(`{"user":"anna","level":"read","laeuft_ab_am":%q}`, past))
	// revoke by grantee
	c.json(reqValid, 204, "DELETE", fp, bernd, `{"tenant":"TSK"}`)
	c.json(reqValid, 404, "GET", "/api/v1/akten/"+akte, carla, "")
	c.json(reqValid, 404, "DELETE", fp, bernd, `{"tenant":"TSK"}`)
	// revoke by id
	future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	g2 := c.json(reqValid, 201, "POST", fp, bernd, fmt.Sprintf(`{"tenant":"TSK","user":"carla","level":"write","laeuft_ab_am":%q}`, future))
	idOf(c.json(reqValid, 201, "POST", "/api/v1/akten/"+akte+"/vorgaenge", carla, `{"betreff":"Beitrag der Staatskanzlei"}`))
	c.json(reqValid, 403, "POST", "/api/v1/akten/"+akte+"/zda", carla, "")
	c.json(reqValid, 404, "GET", "/api/v1/akten/"+akte, dora, "") // the grant names carla only
	c.json(reqValid, 204, "DELETE", fp+"/"+idOf(g2), bernd, "")
	c.json(reqValid, 404, "DELETE", fp+"/"+idOf(g2), bernd, "")

	// --- restrictions ------------------------------------------------------------
	r := c.json(reqValid, 200, "PUT", "/api/v1/vorgaenge/"+vg+"/beschraenkung", bernd, `{"beschraenkung":"vs-nfd","berechtigte":[]}`)
	if r["beschraenkung"] != "vs-nfd" {
		t.Fatalf("restriction %v", r)
	}
	c.json(reqValid, 404, "GET", "/api/v1/vorgaenge/"+vg, anna, "")
	c.json(reqValid, 200, "GET", "/api/v1/vorgaenge/"+vg, bernd, "")
	c.json(reqValid, 422, "PUT", "/api/v1/vorgaenge/"+vg+"/beschraenkung", bernd, `{"beschraenkung":"vs-nfd","berechtigte":["niemand"]}`)
	c.json(reqInvalid, 400, "PUT", "/api/v1/vorgaenge/"+vg+"/beschraenkung", bernd, `{"beschraenkung":"vs-nfd","x":1}`)
	c.json(reqValid, 200, "PUT", "/api/v1/vorgaenge/"+vg+"/beschraenkung", bernd, `{"beschraenkung":null}`)
	c.json(reqValid, 200, "GET", "/api/v1/vorgaenge/"+vg, anna, "")
	dok := c.upload(reqValid, 201, "/api/v1/vorgaenge/"+vg+"/dokumente", bernd,
		part{name: "betreff", data: []byte("Personalsache")}, part{name: "file", filename: "p.txt", data: []byte("vertraulich")})
	dp := "/api/v1/dokumente/" + idOf(dok)
	c.json(reqValid, 200, "PUT", dp+"/beschraenkung", bernd, `{"beschraenkung":"personal","berechtigte":["anna"]}`)
	c.json(reqValid, 200, "GET", dp, anna, "")
	c.json(reqValid, 403, "PUT", dp+"/beschraenkung", c.e.user("TFM", "ulla", access.RoleAudit), `{"beschraenkung":null}`)

	// --- Vertretungen ----------------------------------------------------------------
	von := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	bis := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	v := c.json(reqValid, 201, "POST", "/api/v1/vertretungen", bernd, fmt.Sprintf(`{"vertretene":"bernd","vertreter":"anna","von":%q,"bis":%q}`, von, bis))
	c.json(reqValid, 409, "POST", "/api/v1/vertretungen", bernd, fmt.Sprintf(`{"vertretene":"bernd","vertreter":"anna","von":%q,"bis":%q}`, von, bis))
	c.json(reqValid, 422, "POST", "/api/v1/vertretungen", bernd, fmt.Sprintf(`{"vertretene":"bernd","vertreter":"anna","von":%q,"bis":%q}`, bis, von))
	c.json(reqValid, 403, "POST", "/api/v1/vertretungen", bernd, fmt.Sprintf(`{"vertretene":"anna","vertreter":"bernd","von":%q,"bis":%q}`, von, bis))
	c.json(reqInvalid, 400, "POST", "/api/v1/vertretungen", bernd, `{"vertretene":"bernd","vertreter":"anna","von":"gestern","bis":"morgen"}`)
	c.json(reqValid, 200, "GET", "/api/v1/vertretungen", anna, "")
	c.ids["vertretungen"] = idOf(v)

	// --- units and users ----------------------------------------------------------------
	c.json(reqValid, 201, "POST", "/api/v1/einheiten", anna, `{"kennung":"Z","name":"Zentralabteilung","typ":"abteilung"}`)
	c.json(reqValid, 201, "POST", "/api/v1/einheiten", anna, `{"kennung":"Z1","name":"Personal","typ":"referat","parent":"Z"}`)
	c.json(reqValid, 409, "POST", "/api/v1/einheiten", anna, `{"kennung":"Z1","name":"Doppelt","typ":"referat"}`)
	c.json(reqValid, 422, "POST", "/api/v1/einheiten", anna, `{"kennung":"Z9","name":"X","typ":"referat","parent":"NICHTDA"}`)
	c.json(reqValid, 403, "POST", "/api/v1/einheiten", bernd, `{"kennung":"Z7","name":"X","typ":"referat"}`)
	c.json(reqValid, 200, "GET", "/api/v1/einheiten", bernd, "")
	// rename and move (only the own tenant's units; cycles refused)
	tina := c.e.user("TSK", "tina", access.RoleAdmin)
	ren := c.json(reqValid, 200, "PATCH", "/api/v1/einheiten/Z1", anna, `{"name":"Personal und Organisation"}`)
	if ren["name"] != "Personal und Organisation" || ren["kennung"] != "Z1" {
		t.Fatalf("renamed unit %v", ren)
	}
	if mv := c.json(reqValid, 200, "PATCH", "/api/v1/einheiten/Z1", anna, `{"parent":null}`); mv["parent_id"] != nil {
		t.Fatalf("unit at the top level %v", mv)
	}
	c.json(reqValid, 200, "PATCH", "/api/v1/einheiten/Z1", anna, `{"parent":"Z"}`)
	c.json(reqValid, 422, "PATCH", "/api/v1/einheiten/Z", anna, `{"parent":"Z1"}`)
	c.json(reqValid, 422, "PATCH", "/api/v1/einheiten/Z1", anna, `{"parent":"NICHTDA"}`)
	c.json(reqInvalid, 422, "PATCH", "/api/v1/einheiten/Z1", anna, `{"name":""}`)
	c.json(reqInvalid, 400, "PATCH", "/api/v1/einheiten/Z1", anna, `{"kennung":"Z7"}`)
	c.json(reqValid, 403, "PATCH", "/api/v1/einheiten/Z1", bernd, `{"name":"X"}`)
	c.json(reqValid, 404, "PATCH", "/api/v1/einheiten/NICHTDA", anna, `{"name":"X"}`)
	c.json(reqValid, 404, "PATCH", "/api/v1/einheiten/Z1", tina, `{"name":"Fremd"}`)
	u := c.json(reqValid, 201, "POST", "/api/v1/benutzer", anna, `{"login":"emil","name":"Emil Eich","rollen":["sachbearbeitung"],"einheiten":[{"kennung":"Z1","position":"sachbearbeitung"}]}`)
	if u["login"] != "emil" {
		t.Fatalf("user %v", u)
	}
	c.json(reqValid, 422, "POST", "/api/v1/benutzer", anna, `{"login":"fritz","name":"F","rollen":["kaiser"]}`)
	c.json(reqValid, 422, "POST", "/api/v1/benutzer", anna, `{"login":"fritz","name":"F","einheiten":[{"kennung":"NICHTDA","position":"sachbearbeitung"}]}`)
	c.json(reqValid, 404, "GET", "/api/v1/benutzer/fritz", anna, "") // nothing was created
	c.json(reqValid, 409, "POST", "/api/v1/benutzer", anna, `{"login":"emil","name":"Emil"}`)
	c.json(reqValid, 403, "POST", "/api/v1/benutzer", bernd, `{"login":"gustav","name":"G"}`)
	c.json(reqValid, 201, "POST", "/api/v1/benutzer", anna, `{"login":"scanner","name":"Scanstation 1","typ":"dienstkonto","rollen":["sachbearbeitung"]}`)
	c.json(reqValid, 200, "GET", "/api/v1/benutzer", anna, "")
	c.json(reqValid, 403, "GET", "/api/v1/benutzer", bernd, "")
	c.json(reqValid, 200, "GET", "/api/v1/benutzer/bernd", bernd, "")
	c.json(reqValid, 403, "GET", "/api/v1/benutzer/emil", bernd, "")
	c.json(reqValid, 200, "PATCH", "/api/v1/benutzer/emil", anna, `{"rollen":["sachbearbeitung","leitung"],"einheiten":[{"kennung":"Z","position":"abteilungsleitung"}]}`)
	c.json(reqValid, 422, "PATCH", "/api/v1/benutzer/emil", anna, `{"rollen":["kaiser"]}`)
	c.json(reqInvalid, 400, "PATCH", "/api/v1/benutzer/emil", anna, `{"geburtstag":"heute"}`)
	c.json(reqValid, 404, "PATCH", "/api/v1/benutzer/niemand", anna, `{"name":"X"}`)

	// --- tokens ---------------------------------------------------------------------------
	tok := c.json(reqValid, 201, "POST", "/api/v1/tokens", bernd, `{"name":"Lesetoken","scopes":["read"]}`)
	readOnly, _ := tok["token"].(string)
	c.json(reqValid, 200, "GET", "/api/v1/akten/"+akte, readOnly, "")
	c.json(reqValid, 403, "PATCH", "/api/v1/akten/"+akte, readOnly, `{"titel":"Mit Lesetoken"}`)
	c.json(reqValid, 422, "POST", "/api/v1/tokens", readOnly, `{"name":"Mehr","scopes":["write"]}`)
	c.json(reqValid, 422, "POST", "/api/v1/tokens", bernd, `{"name":"X","scopes":["alles"]}`)
	c.json(reqValid, 201, "POST", "/api/v1/tokens", anna, `{"name":"Scanner","benutzer":"scanner","scopes":["read","write"]}`)
	c.json(reqValid, 403, "POST", "/api/v1/tokens", bernd, `{"name":"Fremd","benutzer":"scanner"}`)
	c.json(reqValid, 404, "POST", "/api/v1/tokens", anna, `{"name":"X","benutzer":"niemand"}`)
	c.json(reqValid, 200, "GET", "/api/v1/tokens", bernd, "")
	c.json(reqValid, 200, "GET", "/api/v1/tokens?benutzer=scanner", anna, "")
	c.json(reqValid, 403, "GET", "/api/v1/tokens?benutzer=scanner", bernd, "")
	c.json(reqValid, 404, "DELETE", "/api/v1/tokens/"+idOf(tok), dora, "")
	c.json(reqValid, 204, "DELETE", "/api/v1/tokens/"+idOf(tok), bernd, "")
	c.json(reqValid, 401, "GET", "/api/v1/akten/"+akte, readOnly, "")
	other := c.json(reqValid, 201, "POST", "/api/v1/tokens", bernd, `{"name":"Für den Sweep"}`)
	c.ids["tokens"] = idOf(other)

	c.samples["POST /api/v1/akten/{id}/freigaben"] = jsonSample(`{"tenant":"TSK","level":"read"}`)
	c.samples["DELETE /api/v1/akten/{id}/freigaben"] = jsonSample(`{"tenant":"TSK"}`)
	c.samples["PUT /api/v1/vorgaenge/{id}/beschraenkung"] = jsonSample(`{"beschraenkung":null}`)
	c.samples["PUT /api/v1/dokumente/{id}/beschraenkung"] = jsonSample(`{"beschraenkung":null}`)
	c.samples["POST /api/v1/vertretungen"] = jsonSample(`{"vertretene":"bernd","vertreter":"anna","von":"2030-01-01T00:00:00Z","bis":"2030-01-02T00:00:00Z"}`)
	c.samples["POST /api/v1/einheiten"] = jsonSample(`{"kennung":"Q","name":"Q","typ":"referat"}`)
	c.samples["PATCH /api/v1/einheiten/{kennung}"] = jsonSample(`{"name":"Q"}`)
	c.samples["POST /api/v1/benutzer"] = jsonSample(`{"login":"quentin","name":"Q"}`)
	c.samples["PATCH /api/v1/benutzer/{login}"] = jsonSample(`{"name":"Q"}`)
	c.samples["POST /api/v1/tokens"] = jsonSample(`{"name":"Q"}`)
}

func containsID(list map[string]any, id string) bool {
	items, _ := list["items"].([]any)
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && m["id"] == id {
			return true
		}
	}
	return false
}
