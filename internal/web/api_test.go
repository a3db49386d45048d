package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/blob"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/web"
)

// env is a real server on a loopback port with two tenants.
type env struct {
	t        *testing.T
	srv      *httptest.Server
	svc      *records.Service
	blobDir  string
	anna     string // TFM admin+registratur
	bernd    string // TFM sachbearbeitung
	carla    string // TSK registratur
	maxBytes int64
	jobs     *jobs.Store
}

func newEnv(t *testing.T, b storetest.Backend) *env {
	t.Helper()
	ctx := context.Background()
	db := b.Open(t)
	dir := t.TempDir()
	bs, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := records.NewService(db, bs, records.Options{MaxUpload: 4 << 20})
	for _, c := range [][2]string{{"TFM", "Thüringer Finanzministerium"}, {"TSK", "Thüringer Staatskanzlei"}} {
		if _, err := svc.CreateTenant(ctx, c[0], c[1]); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{t: t, svc: svc, blobDir: dir, maxBytes: 4 << 20}
	e.anna = e.user("TFM", "anna", access.RoleAdmin, access.RoleRegistratur)
	e.bernd = e.user("TFM", "bernd", access.RoleSachbearbeitung)
	e.carla = e.user("TSK", "carla", access.RoleRegistratur)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	q, err := jobs.New(db, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.jobs = q
	e.srv = httptest.NewServer(web.New(svc, log, web.Options{Jobs: q}))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) user(tenant, login string, roles ...access.Role) string {
	ctx := context.Background()
	if _, err := e.svc.CreateUser(ctx, tenant, login, login, roles); err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := e.svc.CreateToken(ctx, tenant, login, "test", 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("status %d, body not JSON: %v: %s", r.status, err, r.body)
	}
	return m
}

func (e *env) do(method, path, token string, body io.Reader, header map[string]string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{res.StatusCode, res.Header, b}
}

func (e *env) jsonReq(method, path, token, body string) resp {
	e.t.Helper()
	var r io.Reader
	h := map[string]string{}
	if body != "" {
		r = strings.NewReader(body)
		h["Content-Type"] = "application/json"
	}
	return e.do(method, path, token, r, h)
}

func want(t *testing.T, r resp, status int) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if len(r.body) == 0 || r.header.Get("Content-Type") == "" || !strings.Contains(r.header.Get("Content-Type"), "json") {
		return nil
	}
	return r.json(t)
}

// wantProblem checks an RFC 9457 answer and that it names field (if given).
func wantProblem(t *testing.T, r resp, status int, field string) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q: %s", ct, r.body)
	}
	m := r.json(t)
	if int(m["status"].(float64)) != status || m["title"] == "" || m["type"] == "" {
		t.Fatalf("problem %v", m)
	}
	if field != "" {
		errs, _ := m["errors"].([]any)
		for _, fe := range errs {
			if fe.(map[string]any)["field"] == field {
				return m
			}
		}
		t.Fatalf("problem does not name field %q: %s", field, r.body)
	}
	return m
}

type part struct {
	name, filename, contentType string
	data                        []byte
}

func multipartBody(parts ...part) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.filename != "" {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, p.name, p.filename))
			ct := p.contentType
			if ct == "" {
				ct = "application/octet-stream"
			}
			h.Set("Content-Type", ct)
		} else {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"`, p.name))
		}
		w, _ := mw.CreatePart(h)
		w.Write(p.data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func (e *env) upload(path, token string, parts ...part) resp {
	e.t.Helper()
	body, ct := multipartBody(parts...)
	return e.do("POST", path, token, body, map[string]string{"Content-Type": ct})
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// seed creates Aktenplan 121, an Akte and a Vorgang in TFM.
func (e *env) seed() (planID, akteID, akteAz, vorgangID string) {
	t := e.t
	t.Helper()
	p := want(t, e.jsonReq("POST", "/api/v1/aktenplan", e.anna, `{"kennzeichen":"121","titel":"Ausbildung","parent_id":null}`), 201)
	a := want(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Ausbildungsplätze 2026"}`, str(p, "id"))), 201)
	v := want(t, e.jsonReq("POST", "/api/v1/akten/"+str(a, "id")+"/vorgaenge", e.bernd, `{"betreff":"Antrag Müller"}`), 201)
	return str(p, "id"), str(a, "id"), str(a, "aktenzeichen"), str(v, "id")
}

func forBackends(t *testing.T, fn func(*testing.T, *env)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, newEnv(t, b)) })
	}
}

func TestContractFlow(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		_, akteID, akteAz, vorgangID := e.seed()
		if !strings.HasPrefix(akteAz, "TFM-121-") || !strings.HasSuffix(akteAz, "/0001") {
			t.Fatalf("aktenzeichen %q", akteAz)
		}
		a := want(t, e.jsonReq("GET", "/api/v1/akten/"+akteID, e.bernd, ""), 200)
		if str(a, "aktenzeichen") != akteAz || str(a, "status") != "offen" || str(a, "titel") != "Ausbildungsplätze 2026" {
			t.Fatalf("akte %v", a)
		}
		v := want(t, e.jsonReq("GET", "/api/v1/vorgaenge/"+vorgangID, e.bernd, ""), 200)
		if str(v, "aktenzeichen") != akteAz+"-001" || str(v, "betreff") != "Antrag Müller" {
			t.Fatalf("vorgang %v", v)
		}

		pdf := []byte("%PDF-1.4\n% Bescheid\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		d := want(t, e.upload("/api/v1/vorgaenge/"+vorgangID+"/dokumente", e.bernd,
			part{name: "betreff", data: []byte("Bewilligungsbescheid")},
			part{name: "typ", data: []byte("Bescheid")},
			part{name: "dokumentdatum", data: []byte("2026-03-12")},
			part{name: "file", filename: "Bescheid_Müller.pdf", contentType: "application/octet-stream", data: pdf}), 201)
		sum := sha256.Sum256(pdf)
		ver := d["version"].(map[string]any)
		if ver["nummer"].(float64) != 1 || ver["sha256"] != hex.EncodeToString(sum[:]) || ver["mime_type"] != "application/pdf" {
			t.Fatalf("dokument %v", d)
		}
		dokID := str(d, "id")

		// download with the right headers
		r := e.do("GET", "/api/v1/dokumente/"+dokID+"/inhalt", e.bernd, nil, nil)
		if r.status != 200 || !bytes.Equal(r.body, pdf) {
			t.Fatalf("download %d", r.status)
		}
		if ct := r.header.Get("Content-Type"); ct != "application/pdf" {
			t.Fatalf("content type %q", ct)
		}
		cd := r.header.Get("Content-Disposition")
		if !strings.Contains(cd, `filename="Bescheid_Mueller.pdf"`) || !strings.Contains(cd, "filename*=UTF-8''Bescheid_M%C3%BCller.pdf") {
			t.Fatalf("content disposition %q", cd)
		}
		etag := r.header.Get("ETag")
		if etag != `"`+hex.EncodeToString(sum[:])+`"` {
			t.Fatalf("etag %q", etag)
		}
		// conditional and ranged
		r = e.do("GET", "/api/v1/dokumente/"+dokID+"/inhalt", e.bernd, nil, map[string]string{"If-None-Match": etag})
		if r.status != 304 {
			t.Fatalf("if-none-match: %d", r.status)
		}
		r = e.do("GET", "/api/v1/dokumente/"+dokID+"/inhalt", e.bernd, nil, map[string]string{"Range": "bytes=5-8"})
		if r.status != 206 || string(r.body) != string(pdf[5:9]) || r.header.Get("Content-Range") != fmt.Sprintf("bytes 5-8/%d", len(pdf)) {
			t.Fatalf("range: %d %q %q", r.status, r.body, r.header.Get("Content-Range"))
		}
		r = e.do("HEAD", "/api/v1/dokumente/"+dokID+"/inhalt", e.bernd, nil, nil)
		if r.status != 200 || r.header.Get("Content-Length") != fmt.Sprint(len(pdf)) {
			t.Fatalf("head %d %v", r.status, r.header)
		}

		// a second version
		nv := want(t, e.upload("/api/v1/dokumente/"+dokID+"/versionen", e.bernd,
			part{name: "file", filename: "Bescheid_Müller_korrigiert.txt", data: []byte("Korrigierte Fassung: Förderung über 12.000 €.")}), 201)
		if nv["nummer"].(float64) != 2 || !strings.HasPrefix(str(nv, "mime_type"), "text/plain") {
			t.Fatalf("version 2 %v", nv)
		}
		vl := want(t, e.jsonReq("GET", "/api/v1/dokumente/"+dokID+"/versionen", e.bernd, ""), 200)
		if items := vl["items"].([]any); len(items) != 2 {
			t.Fatalf("versions %v", vl)
		}
		r = e.do("GET", "/api/v1/dokumente/"+dokID+"/versionen/1/inhalt", e.bernd, nil, nil)
		if r.status != 200 || !bytes.Equal(r.body, pdf) {
			t.Fatalf("version 1: %d", r.status)
		}
		r = e.do("GET", "/api/v1/dokumente/"+dokID+"/inhalt", e.bernd, nil, nil)
		if !strings.Contains(string(r.body), "Förderung") || r.header.Get("X-Aktenwerk-Version") != "2" {
			t.Fatal("latest is not version 2")
		}
		wantProblem(t, e.do("GET", "/api/v1/dokumente/"+dokID+"/versionen/9/inhalt", e.bernd, nil, nil), 404, "")
		wantProblem(t, e.do("GET", "/api/v1/dokumente/"+dokID+"/versionen/abc/inhalt", e.bernd, nil, nil), 404, "")

		// metadata edit and history
		want(t, e.jsonReq("PATCH", "/api/v1/dokumente/"+dokID, e.bernd, `{"absender":"Landesverwaltungsamt","eingangsdatum":"2026-03-14"}`), 200)
		h := want(t, e.jsonReq("GET", "/api/v1/dokumente/"+dokID+"/historie", e.bernd, ""), 200)
		var actions []string
		for _, it := range h["items"].([]any) {
			actions = append(actions, it.(map[string]any)["action"].(string))
		}
		if strings.Join(actions, ",") != "dokument.create,dokument.download,dokument.download,dokument.version,dokument.download,dokument.download,dokument.update" {
			// 304 and 206 answers are content accesses too
			if !strings.HasPrefix(strings.Join(actions, ","), "dokument.create,") || !strings.HasSuffix(strings.Join(actions, ","), "dokument.update") {
				t.Fatalf("history %v", actions)
			}
		}

		// z.d.A.: everything inside is read-only (409), reading still works
		z := want(t, e.jsonReq("POST", "/api/v1/vorgaenge/"+vorgangID+"/zda", e.bernd, ""), 200)
		if str(z, "status") != "zda" {
			t.Fatal(z)
		}
		wantProblem(t, e.upload("/api/v1/vorgaenge/"+vorgangID+"/dokumente", e.bernd,
			part{name: "betreff", data: []byte("zu spät")}, part{name: "file", filename: "x.txt", data: []byte("x")}), 409, "")
		wantProblem(t, e.upload("/api/v1/dokumente/"+dokID+"/versionen", e.bernd, part{name: "file", filename: "x.txt", data: []byte("x")}), 409, "")
		wantProblem(t, e.jsonReq("PATCH", "/api/v1/vorgaenge/"+vorgangID, e.bernd, `{"betreff":"neu"}`), 409, "")
		want(t, e.jsonReq("GET", "/api/v1/dokumente/"+dokID, e.bernd, ""), 200)
		wantProblem(t, e.jsonReq("POST", "/api/v1/vorgaenge/"+vorgangID+"/wiederaufnahme", e.bernd, ""), 403, "")
		want(t, e.jsonReq("POST", "/api/v1/vorgaenge/"+vorgangID+"/wiederaufnahme", e.anna, ""), 200)
		want(t, e.jsonReq("POST", "/api/v1/akten/"+akteID+"/zda", e.bernd, ""), 200)
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten/"+akteID+"/vorgaenge", e.bernd, `{"betreff":"neu"}`), 409, "")
		v = want(t, e.jsonReq("GET", "/api/v1/vorgaenge/"+vorgangID, e.bernd, ""), 200)
		if str(v, "status") != "zda" {
			t.Fatal("closing the Akte did not close its Vorgang")
		}
		want(t, e.jsonReq("POST", "/api/v1/akten/"+akteID+"/wiederaufnahme", e.anna, ""), 200)

		// the Aktenzeichen lookup
		l := want(t, e.do("GET", "/api/v1/aktenzeichen?az="+strings.ReplaceAll(akteAz, "/", "%2F"), e.bernd, nil, nil), 200)
		if str(l, "id") != akteID || str(l, "objekt_typ") != "akte" {
			t.Fatal(l)
		}
	})
}

func TestMoveAndRefileAPI(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		planID, akteID, akteAz, vorgangID := e.seed()
		p2 := want(t, e.jsonReq("POST", "/api/v1/aktenplan", e.anna, fmt.Sprintf(`{"kennzeichen":"122","titel":"Fortbildung","parent_id":null,"aufbewahrungsfrist_jahre":10,"archiventscheidung":"bewerten"}`)), 201)
		a2 := want(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Zweite"}`, planID)), 201)
		wantProblem(t, e.jsonReq("POST", "/api/v1/vorgaenge/"+vorgangID+"/verschieben", e.bernd, fmt.Sprintf(`{"akte_id":%q}`, str(a2, "id"))), 403, "")
		m := want(t, e.jsonReq("POST", "/api/v1/vorgaenge/"+vorgangID+"/verschieben", e.anna, fmt.Sprintf(`{"akte_id":%q}`, str(a2, "id"))), 200)
		if str(m, "akte_id") != str(a2, "id") || str(m, "aktenzeichen") != str(a2, "aktenzeichen")+"-001" {
			t.Fatal(m)
		}
		fr := m["fruehere_aktenzeichen"].([]any)
		if len(fr) != 1 || fr[0].(map[string]any)["aktenzeichen"] != akteAz+"-001" {
			t.Fatalf("former %v", fr)
		}
		r := want(t, e.jsonReq("POST", "/api/v1/akten/"+akteID+"/umprotokollierung", e.anna, fmt.Sprintf(`{"aktenplan_id":%q}`, str(p2, "id"))), 200)
		if !strings.HasPrefix(str(r, "aktenzeichen"), "TFM-122-") || len(r["fruehere_aktenzeichen"].([]any)) != 1 {
			t.Fatal(r)
		}
		// Aktenplan: rename, close, delete rules
		want(t, e.jsonReq("PATCH", "/api/v1/aktenplan/"+planID, e.anna, `{"titel":"Ausbildung und Praktika","aufbewahrungsfrist_jahre":null}`), 200)
		wantProblem(t, e.jsonReq("PATCH", "/api/v1/aktenplan/"+planID, e.anna, `{"farbe":"blau"}`), 400, "farbe")
		wantProblem(t, e.jsonReq("PATCH", "/api/v1/aktenplan/"+planID, e.anna, `{"geschlossen":"ja"}`), 400, "geschlossen")
		wantProblem(t, e.jsonReq("DELETE", "/api/v1/aktenplan/"+planID, e.anna, ""), 409, "")
		want(t, e.jsonReq("PATCH", "/api/v1/aktenplan/"+planID, e.anna, `{"geschlossen":true}`), 200)
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"x"}`, planID)), 409, "")
		list := want(t, e.jsonReq("GET", "/api/v1/aktenplan", e.bernd, ""), 200)
		if len(list["items"].([]any)) != 2 {
			t.Fatal(list)
		}
	})
}

func TestAuthAndTenantIsolation(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		planID, akteID, akteAz, vorgangID := e.seed()
		d := want(t, e.upload("/api/v1/vorgaenge/"+vorgangID+"/dokumente", e.bernd,
			part{name: "betreff", data: []byte("Geheim")}, part{name: "file", filename: "g.txt", data: []byte("vertraulich")}), 201)
		dokID := str(d, "id")

		wantProblem(t, e.jsonReq("GET", "/api/v1/akten/"+akteID, "", ""), 401, "")
		r := e.jsonReq("GET", "/api/v1/akten/"+akteID, "awk_falsch", "")
		wantProblem(t, r, 401, "")
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Fatal("no WWW-Authenticate")
		}
		// another tenant gets 404 for every object and every verb, with
		// the same answer as for an id that does not exist at all
		missing := "01900000-0000-7000-8000-000000000000"
		for _, c := range []struct{ method, path, body string }{
			{"GET", "/api/v1/akten/%s", ""},
			{"PATCH", "/api/v1/akten/%s", `{"titel":"x"}`},
			{"POST", "/api/v1/akten/%s/zda", ""},
			{"GET", "/api/v1/akten/%s/historie", ""},
			{"GET", "/api/v1/akten/%s/vorgaenge", ""},
			{"POST", "/api/v1/akten/%s/vorgaenge", `{"betreff":"x"}`},
		} {
			own := wantProblem(t, e.jsonReq(c.method, fmt.Sprintf(c.path, akteID), e.carla, c.body), 404, "")
			none := wantProblem(t, e.jsonReq(c.method, fmt.Sprintf(c.path, missing), e.carla, c.body), 404, "")
			if own["detail"] != none["detail"] {
				t.Fatalf("%s %s: answer differs for existing foreign object: %v vs %v", c.method, c.path, own, none)
			}
		}
		for _, p := range []string{"/api/v1/vorgaenge/" + vorgangID, "/api/v1/vorgaenge/" + vorgangID + "/dokumente",
			"/api/v1/dokumente/" + dokID, "/api/v1/dokumente/" + dokID + "/inhalt", "/api/v1/dokumente/" + dokID + "/versionen",
			"/api/v1/dokumente/" + dokID + "/versionen/1/inhalt", "/api/v1/dokumente/" + dokID + "/historie", "/api/v1/aktenplan/" + planID,
			"/api/v1/aktenzeichen?az=" + akteAz} {
			wantProblem(t, e.jsonReq("GET", p, e.carla, ""), 404, "")
		}
		wantProblem(t, e.upload("/api/v1/vorgaenge/"+vorgangID+"/dokumente", e.carla,
			part{name: "betreff", data: []byte("x")}, part{name: "file", filename: "x.txt", data: []byte("x")}), 404, "")
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten", e.carla, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"fremd"}`, planID)), 422, "aktenplan_id")
		l := want(t, e.jsonReq("GET", "/api/v1/akten", e.carla, ""), 200)
		if len(l["items"].([]any)) != 0 {
			t.Fatal("TSK lists TFM Akten")
		}
		// Sachbearbeitung may not manage the Aktenplan
		wantProblem(t, e.jsonReq("POST", "/api/v1/aktenplan", e.bernd, `{"kennzeichen":"9","titel":"x"}`), 403, "")
		me := want(t, e.jsonReq("GET", "/api/v1/ich", e.carla, ""), 200)
		if me["tenant"] != "TSK" || me["login"] != "carla" {
			t.Fatal(me)
		}
	})
}

func TestBadInput(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		planID, _, _, vorgangID := e.seed()
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"x","farbe":"rot"}`, planID)), 400, "farbe")
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, `{"aktenplan_id":17,"titel":"x"}`), 400, "aktenplan_id")
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"   "}`, planID)), 422, "titel")
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, `{"aktenplan_id":`), 400, "")
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, `{} {}`), 400, "")
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, ""), 400, "")
		wantProblem(t, e.do("POST", "/api/v1/akten", e.bernd, strings.NewReader(`{}`), map[string]string{"Content-Type": "text/plain"}), 415, "")
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"x","metadaten":{"summe":[1,2]}}`, planID)), 422, "metadaten.summe")
		wantProblem(t, e.jsonReq("POST", "/api/v1/vorgaenge/"+vorgangID+"/verschieben", e.anna, `{"akte_id":""}`), 422, "akte_id")
		wantProblem(t, e.jsonReq("POST", "/api/v1/akten/"+vorgangID+"/vorgaenge", e.bernd, `{"betreff":""}`), 422, "betreff")
		wantProblem(t, e.jsonReq("GET", "/api/v1/akten?limit=0", e.bernd, ""), 400, "limit")
		wantProblem(t, e.jsonReq("GET", "/api/v1/akten?cursor=!!nicht-base64!!", e.bernd, ""), 400, "")
		wantProblem(t, e.jsonReq("GET", "/api/v1/akten?status=kaputt", e.bernd, ""), 422, "status")
		wantProblem(t, e.jsonReq("GET", "/api/v1/gibtsnicht", e.bernd, ""), 404, "")
		r := e.jsonReq("PUT", "/api/v1/akten", e.bernd, `{}`)
		wantProblem(t, r, 405, "")
		if r.header.Get("Allow") != "GET, HEAD, POST" {
			t.Fatalf("Allow %q", r.header.Get("Allow"))
		}

		up := "/api/v1/vorgaenge/" + vorgangID + "/dokumente"
		wantProblem(t, e.upload(up, e.bernd, part{name: "betreff", data: []byte("")}, part{name: "file", filename: "a.txt", data: []byte("Inhalt")}), 422, "betreff")
		wantProblem(t, e.upload(up, e.bernd, part{name: "betreff", data: []byte("leer")}, part{name: "file", filename: "leer.txt", data: nil}), 422, "file")
		wantProblem(t, e.upload(up, e.bernd, part{name: "betreff", data: []byte("ohne Datei")}), 422, "file")
		wantProblem(t, e.upload(up, e.bernd, part{name: "betreff", data: []byte("x")}, part{name: "farbe", data: []byte("rot")}), 400, "farbe")
		wantProblem(t, e.upload(up, e.bernd, part{name: "betreff", data: []byte("x")}, part{name: "typ", data: []byte("Liebesbrief")}, part{name: "file", filename: "a.txt", data: []byte("x")}), 422, "typ")
		wantProblem(t, e.upload(up, e.bernd, part{name: "betreff", data: []byte("zu groß")}, part{name: "file", filename: "gross.bin", data: make([]byte, e.maxBytes+1)}), 413, "")
		elf := append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, make([]byte, 120)...)
		elf[16] = 2
		wantProblem(t, e.upload(up, e.bernd, part{name: "betreff", data: []byte("Programm")}, part{name: "file", filename: "rechnung.pdf", data: elf}), 415, "")
		wantProblem(t, e.do("POST", up, e.bernd, strings.NewReader(`{"betreff":"x"}`), map[string]string{"Content-Type": "application/json"}), 415, "")
		// nothing of the above was filed
		l := want(t, e.jsonReq("GET", up, e.bernd, ""), 200)
		if n := len(l["items"].([]any)); n != 0 {
			t.Fatalf("bad uploads left %d Dokumente", n)
		}
		// metadata refused before the file was streamed: no blob was stored
		// for the bad betreff/typ uploads above (only for empty/too large/ELF
		// ones, which are refused after reading, and they left none either)
		rep, err := e.svc.Fsck(context.Background(), records.FsckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Blobs != 0 {
			t.Fatalf("refused uploads left %d blobs", rep.Blobs)
		}
		// announced as too large: refused before the body is read
		big := e.do("POST", up, e.bernd, bytes.NewReader(make([]byte, e.maxBytes+(2<<20))), map[string]string{"Content-Type": "multipart/form-data; boundary=x"})
		wantProblem(t, big, 413, "")
		// exactly at the limit is fine
		want(t, e.upload(up, e.bernd, part{name: "betreff", data: []byte("genau")}, part{name: "file", filename: "genau.bin", data: bytes.Repeat([]byte("a"), int(e.maxBytes))}), 201)
	})
}

func TestPaginationAPI(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		planID, _, _, _ := e.seed()
		for i := range 11 {
			want(t, e.jsonReq("POST", "/api/v1/akten", e.bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Akte %d"}`, planID, i)), 201)
		}
		seen := map[string]bool{}
		path := "/api/v1/akten?limit=5"
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
			l := want(t, e.jsonReq("GET", path, e.bernd, ""), 200)
			for _, it := range l["items"].([]any) {
				id := it.(map[string]any)["id"].(string)
				if seen[id] {
					t.Fatalf("%s twice", id)
				}
				seen[id] = true
			}
			c, _ := l["next_cursor"].(string)
			if c == "" {
				break
			}
			path = "/api/v1/akten?limit=5&cursor=" + c
		}
		if len(seen) != 12 {
			t.Fatalf("saw %d of 12 Akten", len(seen))
		}
	})
}

func TestConcurrentCreateAPI(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		planID, _, _, _ := e.seed()
		const n = 16
		var wg sync.WaitGroup
		azs := make([]string, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Parallel %d"}`, planID, i)
				req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/akten", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+e.bernd)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					return
				}
				defer res.Body.Close()
				var m map[string]any
				json.NewDecoder(res.Body).Decode(&m)
				if res.StatusCode == 201 {
					azs[i] = str(m, "aktenzeichen")
				}
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for _, az := range azs {
			if az == "" || seen[az] {
				t.Fatalf("missing or duplicate Aktenzeichen in %v", azs)
			}
			seen[az] = true
		}
	})
}

// A client that disconnects in the middle of an upload leaves no Dokument
// and no temp file behind.
func TestDisconnectMidUpload(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		_, _, _, vorgangID := e.seed()
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		boundary := "grenze"
		head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"betreff\"\r\n\r\nAbgebrochen\r\n" +
			"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gross.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
		fmt.Fprintf(conn, "POST /api/v1/vorgaenge/%s/dokumente HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n%s",
			vorgangID, e.bernd, boundary, 3<<20, head)
		conn.Write(bytes.Repeat([]byte("x"), 1<<20))
		// wait until the server has started writing the temp file
		tmp := filepath.Join(e.blobDir, "tmp")
		waitFor(t, "upload temp file", func() bool { ents, _ := os.ReadDir(tmp); return len(ents) > 0 })
		conn.Close()
		waitFor(t, "temp file removal", func() bool { ents, _ := os.ReadDir(tmp); return len(ents) == 0 })
		l := want(t, e.jsonReq("GET", "/api/v1/vorgaenge/"+vorgangID+"/dokumente", e.bernd, ""), 200)
		if len(l["items"].([]any)) != 0 {
			t.Fatal("aborted upload created a Dokument")
		}
		rep, err := e.svc.Fsck(context.Background(), records.FsckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Orphans) != 0 || rep.Blobs != 0 {
			t.Fatalf("aborted upload left blobs: %+v", rep)
		}
	})
}

// waitFor polls cond; the generous deadline only bounds a broken run.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestHealth(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		want(t, e.jsonReq("GET", "/healthz", "", ""), 200)
		r := want(t, e.jsonReq("GET", "/readyz", "", ""), 200)
		if r["database"] != "ok" || r["blobs"] != "ok" {
			t.Fatal(r)
		}
		// an unwritable blob store makes the node not ready
		os.Chmod(filepath.Join(e.blobDir, "tmp"), 0o500)
		defer os.Chmod(filepath.Join(e.blobDir, "tmp"), 0o750)
		if os.Geteuid() == 0 {
			os.RemoveAll(filepath.Join(e.blobDir, "tmp")) // root ignores permissions
			defer os.MkdirAll(filepath.Join(e.blobDir, "tmp"), 0o750)
		}
		wantProblemOr503(t, e.jsonReq("GET", "/readyz", "", ""))
	})
}

func wantProblemOr503(t *testing.T, r resp) {
	t.Helper()
	if r.status != 503 {
		t.Fatalf("readyz with broken blob store: %d %s", r.status, r.body)
	}
	m := r.json(t)
	if m["blobs"] == "ok" {
		t.Fatal(m)
	}
}
