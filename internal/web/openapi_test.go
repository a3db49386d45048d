package web_test

// The OpenAPI document (internal/web/openapi.json) is held to the
// implementation in three ways:
//
//   - TestOpenAPIRoutesMatchDocument: every route of web.Routes() is an
//     operation of the document and vice versa, with the right security.
//   - TestOpenAPIDocumentValid: the document is valid OpenAPI 3.1 (parsed and
//     checked against the 3.1 specification schema by libopenapi-validator),
//     every $ref resolves and every schema compiles as JSON Schema 2020-12.
//   - TestOpenAPIContract: a realistic flow against a real server on both
//     backends touches every route, including error answers; every real
//     response is validated against the document (status code documented,
//     body against the schema for that status and content type, required
//     headers), and requests are checked to be accepted (or, where the test
//     breaks the contract on purpose, refused) by the document.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/content"
	vErrors "github.com/pb33f/libopenapi-validator/errors"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"aktenwerk/internal/access"
	"aktenwerk/internal/web"
)

var (
	openapiOnce  sync.Once
	openapiDoc   libopenapi.Document
	openapiModel *v3.Document
	openapiErr   error
)

// loadOpenAPI parses the embedded document once.
func loadOpenAPI(t *testing.T) (libopenapi.Document, *v3.Document) {
	t.Helper()
	openapiOnce.Do(func() {
		doc, err := libopenapi.NewDocument(web.OpenAPIDocument())
		if err != nil {
			openapiErr = fmt.Errorf("parse: %w", err)
			return
		}
		m, err := doc.BuildV3Model()
		if err != nil {
			openapiErr = fmt.Errorf("build model: %w", err)
			return
		}
		openapiDoc, openapiModel = doc, &m.Model
	})
	if openapiErr != nil {
		t.Fatalf("OpenAPI document: %v", openapiErr)
	}
	return openapiDoc, openapiModel
}

// docOperations lists the document's operations as "METHOD /path".
func docOperations(m *v3.Document) map[string]*v3.Operation {
	ops := map[string]*v3.Operation{}
	for path, item := range m.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			ops[strings.ToUpper(method)+" "+path] = op
		}
	}
	return ops
}

func routeKey(r web.Route) string { return r.Method + " " + r.Pattern }

func TestOpenAPIRoutesMatchDocument(t *testing.T) {
	_, m := loadOpenAPI(t)
	ops := docOperations(m)
	routes := map[string]web.Route{}
	for _, r := range web.Routes() {
		routes[routeKey(r)] = r
	}

	var undocumented, unrouted []string
	for k := range routes {
		if ops[k] == nil {
			undocumented = append(undocumented, k)
		}
	}
	for k := range ops {
		if _, ok := routes[k]; ok {
			continue
		}
		// net/http serves HEAD for every GET pattern; the document may
		// describe HEAD where it behaves differently (downloads).
		if path, ok := strings.CutPrefix(k, "HEAD "); ok {
			if _, ok := routes["GET "+path]; ok {
				continue
			}
		}
		unrouted = append(unrouted, k)
	}
	sort.Strings(undocumented)
	sort.Strings(unrouted)
	if len(undocumented) > 0 {
		t.Errorf("routes missing in internal/web/openapi.json:\n  %s", strings.Join(undocumented, "\n  "))
	}
	if len(unrouted) > 0 {
		t.Errorf("operations in internal/web/openapi.json without a route in web.Routes():\n  %s", strings.Join(unrouted, "\n  "))
	}

	for k, op := range ops {
		path := k[strings.IndexByte(k, ' ')+1:]
		auth := true
		if r, ok := routes[k]; ok {
			auth = r.Auth
		} else if r, ok := routes["GET "+path]; ok {
			auth = r.Auth
		}
		// effective security: the operation's, else the document's
		sec := m.Security
		if op.Security != nil {
			sec = op.Security
		}
		bearer := false
		for _, req := range sec {
			if req.ContainsEmptyRequirement {
				bearer = false
				break
			}
			if req.Requirements != nil {
				if _, ok := req.Requirements.Get("bearerAuth"); ok {
					bearer = true
				}
			}
		}
		if bearer != auth {
			t.Errorf("%s: route Auth=%v but the document's security requires bearer=%v", k, auth, bearer)
		}
		codes := map[string]*v3.Response{}
		if op.Responses != nil && op.Responses.Codes != nil {
			for code, resp := range op.Responses.Codes.FromOldest() {
				codes[code] = resp
			}
		}
		if op.Responses != nil && op.Responses.Default != nil {
			t.Errorf("%s: a default response would hide undocumented status codes; list them", k)
		}
		// A sign-in route needs no login but answers 401 for wrong
		// credentials; it says so with "x-aktenwerk-anmeldung": true.
		signIn := op.Extensions != nil && op.Extensions.GetOrZero("x-aktenwerk-anmeldung") != nil
		if _, ok := codes["401"]; ok != auth && !(ok && signIn && !auth) {
			t.Errorf("%s: 401 documented=%v, route Auth=%v", k, ok, auth)
		}
		if strings.Contains(path, "{id}") {
			if _, ok := codes["404"]; !ok {
				t.Errorf("%s: objects by id answer 404 (also for other tenants); not documented", k)
			}
		}
		if r, ok := codes["201"]; ok {
			if h := r.Headers.GetOrZero("Location"); h == nil || !h.Required {
				t.Errorf("%s: 201 must document the required Location header", k)
			}
		}
		if op.RequestBody != nil && op.RequestBody.Content != nil && op.RequestBody.Content.GetOrZero("application/json") != nil {
			for _, c := range []string{"400", "413", "415"} {
				if _, ok := codes[c]; !ok {
					t.Errorf("%s: takes a JSON body but does not document %s", k, c)
				}
			}
		}
		// every {name} in the path is a documented path parameter
		item := m.Paths.PathItems.GetOrZero(path)
		for _, name := range pathParamNames(path) {
			found := false
			for _, p := range slices.Concat(item.Parameters, op.Parameters) {
				if p.In == "path" && p.Name == name && p.Required != nil && *p.Required {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: path parameter %q not documented as required path parameter", k, name)
			}
		}
	}
}

var pathParamRE = regexp.MustCompile(`\{([^}]+)\}`)

func pathParamNames(path string) []string {
	var out []string
	for _, m := range pathParamRE.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestOpenAPIDocumentValid(t *testing.T) {
	doc, m := loadOpenAPI(t)
	if v := doc.GetSpecInfo().Version; v != "3.1.0" {
		t.Errorf("openapi version %q, want 3.1.0", v)
	}
	if m.Info == nil || m.Info.Version != "0.1.0" || m.Info.Title == "" {
		t.Errorf("info %+v", m.Info)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		t.Errorf("document is not valid OpenAPI 3.1:\n%s", formatErrors(verrs))
	}

	var raw any
	if err := json.Unmarshal(web.OpenAPIDocument(), &raw); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	// every local $ref resolves
	walkJSON(raw, "", func(ptr string, v any) {
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		ref, ok := obj["$ref"].(string)
		if !ok {
			return
		}
		target, ok := strings.CutPrefix(ref, "#")
		if !ok || resolvePointer(raw, target) == nil {
			t.Errorf("%s: $ref %q does not resolve inside the document", ptr, ref)
		}
	})

	// every schema compiles as JSON Schema 2020-12 (the dialect of OpenAPI
	// 3.1), checked against the 2020-12 meta-schema by the compiler
	const base = "https://aktenwerk.invalid/api/v1/openapi.json"
	doc2, err := jsonschema.UnmarshalJSON(bytes.NewReader(web.OpenAPIDocument()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(base, doc2); err != nil {
		t.Fatal(err)
	}
	var schemaPtrs []string
	for name := range raw.(map[string]any)["components"].(map[string]any)["schemas"].(map[string]any) {
		schemaPtrs = append(schemaPtrs, "/components/schemas/"+escapePointer(name))
	}
	walkJSON(raw.(map[string]any)["paths"], "/paths", func(ptr string, v any) {
		if obj, ok := v.(map[string]any); ok {
			if _, ok := obj["schema"].(map[string]any); ok {
				schemaPtrs = append(schemaPtrs, ptr+"/schema")
			}
		}
	})
	if len(schemaPtrs) < 40 {
		t.Fatalf("found only %d schemas", len(schemaPtrs))
	}
	for _, ptr := range schemaPtrs {
		if _, err := c.Compile(base + "#" + ptr); err != nil {
			t.Errorf("schema %s: %v", ptr, err)
		}
	}
}

func walkJSON(v any, ptr string, fn func(string, any)) {
	fn(ptr, v)
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			walkJSON(c, ptr+"/"+escapePointer(k), fn)
		}
	case []any:
		for i, c := range x {
			walkJSON(c, ptr+"/"+strconv.Itoa(i), fn)
		}
	}
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func resolvePointer(v any, ptr string) any {
	if ptr == "" {
		return v
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if v, ok = obj[tok]; !ok {
			return nil
		}
	}
	return v
}

func formatErrors(errs []*vErrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  - %s: %s", e.Message, e.Reason)
		for _, f := range e.SchemaValidationErrors {
			loc := f.FieldPath
			if loc == "" {
				loc = strings.Join(f.InstancePath, "/")
			}
			fmt.Fprintf(&b, "\n      %s: %s", loc, f.Reason)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// The contract flow

// reqCheck says what the document must think of a request.
type reqCheck int

const (
	reqValid     reqCheck = iota // the document accepts the request
	reqInvalid                   // the request breaks the document on purpose; the document must refuse it
	reqUnchecked                 // refused by the server for reasons a schema does not express (blank text, empty file, trailing data)
)

type exchange struct {
	check  reqCheck
	status int
	method string
	path   string
	token  string
	body   []byte
	ctype  string
	header map[string]string
}

type contract struct {
	t         *testing.T
	e         *env
	v         validator.Validator
	m         *v3.Document
	mux       *http.ServeMux
	covered   map[string]map[int]bool
	downloads map[string]int // GETs of content per Dokument that reached the content
	// ids and samples are filled by contract sections for the route sweep
	ids     map[string]string
	samples map[string]func() ([]byte, string)
}

func newContract(t *testing.T, e *env) *contract {
	doc, m := loadOpenAPI(t)
	v, errs := validator.NewValidator(doc,
		config.WithFormatAssertions(),
		// strict mode reports response properties the document does not
		// declare, although the schemas stay open for later additions
		config.WithStrictMode(),
		config.WithStrictIgnorePaths("$.body.items[*].changes.**",
			// /api/v1/openapi.json is compared byte for byte instead
			"$.body.info.**", "$.body.paths**", "$.body.components.**"),
		// set on every answer by the middleware (described in info.description)
		config.WithStrictIgnoredHeadersExtra("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"),
		config.WithBodyDecoder("multipart/form-data", content.MultipartDecoder()),
	)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	c := &contract{t: t, e: e, v: v, m: m, mux: http.NewServeMux(), covered: map[string]map[int]bool{}, downloads: map[string]int{},
		ids: map[string]string{}, samples: map[string]func() ([]byte, string){}}
	for _, r := range web.Routes() {
		c.mux.HandleFunc(routeKey(r), func(http.ResponseWriter, *http.Request) {})
	}
	return c
}

var contentPathRE = regexp.MustCompile(`^/api/v1/dokumente/([^/]+)/(?:versionen/[^/]+/)?inhalt$`)

func (c *contract) do(x exchange) resp {
	t := c.t
	t.Helper()
	newReq := func(base string) *http.Request {
		req, err := http.NewRequest(x.method, base+x.path, bytes.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		if x.body == nil {
			req.Body, req.ContentLength = http.NoBody, 0
		}
		if x.token != "" {
			req.Header.Set("Authorization", "Bearer "+x.token)
		}
		if x.ctype != "" {
			req.Header.Set("Content-Type", x.ctype)
		}
		for k, v := range x.header {
			req.Header.Set(k, v)
		}
		return req
	}
	res, err := http.DefaultClient.Do(newReq(c.e.srv.URL))
	if err != nil {
		t.Fatalf("%s %s: %v", x.method, x.path, err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatalf("%s %s: %v", x.method, x.path, err)
	}
	r := resp{res.StatusCode, res.Header, body}
	what := fmt.Sprintf("%s %s", x.method, x.path)
	if r.status != x.status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.status, x.status, truncate(body))
	}

	// which route answered
	_, pattern := c.mux.Handler(newReq("http://aktenwerk.invalid"))
	if pattern == "" {
		t.Fatalf("%s: no route of web.Routes() matches", what)
	}
	key := x.method + " " + pattern[strings.IndexByte(pattern, ' ')+1:]
	if c.covered[key] == nil {
		c.covered[key] = map[int]bool{}
	}
	c.covered[key][r.status] = true
	if m := contentPathRE.FindStringSubmatch(x.path); m != nil && x.method == "GET" && r.status != 401 && r.status != 403 && r.status != 404 {
		c.downloads[m[1]]++
	}

	// the request as the document sees it
	if x.check != reqUnchecked {
		ok, errs := c.v.ValidateHttpRequestSync(newReq("http://aktenwerk.invalid"))
		switch {
		case x.check == reqValid && !ok:
			t.Errorf("%s: the document refuses a request the server accepts as intended:\n%s", what, formatErrors(errs))
		case x.check == reqInvalid && ok:
			t.Errorf("%s: the server refuses this request with %d, but the document accepts it", what, r.status)
		}
	}

	// the response as the document sees it
	op := docOperations(c.m)[key]
	if op == nil {
		t.Errorf("%s: operation %s not documented", what, key)
		return r
	}
	doc := op.Responses.Codes.GetOrZero(strconv.Itoa(r.status))
	if doc == nil {
		t.Errorf("%s: status %d is not documented for %s: %s", what, r.status, key, truncate(body))
		return r
	}
	if (doc.Content == nil || doc.Content.Len() == 0) && len(body) > 0 {
		t.Errorf("%s: status %d is documented without content, but the answer has a body: %s", what, r.status, truncate(body))
	}
	vreq := newReq("http://aktenwerk.invalid")
	vres := &http.Response{StatusCode: r.status, Header: r.header, Body: io.NopCloser(bytes.NewReader(body)), Request: vreq}
	if ok, errs := c.v.ValidateHttpResponse(vreq, vres); !ok {
		t.Errorf("%s: answer %d does not match the document:\n%s\nbody: %s", what, r.status, formatErrors(errs), truncate(body))
	}
	return r
}

func truncate(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// json sends a JSON request (body "" sends none) and returns the decoded answer.
func (c *contract) json(check reqCheck, status int, method, path, token, body string) map[string]any {
	c.t.Helper()
	x := exchange{check: check, status: status, method: method, path: path, token: token}
	if body != "" {
		x.body, x.ctype = []byte(body), "application/json"
	}
	r := c.do(x)
	if len(r.body) == 0 || !strings.Contains(r.header.Get("Content-Type"), "json") {
		return nil
	}
	m := r.json(c.t)
	if status == 201 {
		c.followLocation(r, token)
	}
	return m
}

func (c *contract) upload(check reqCheck, status int, path, token string, parts ...part) map[string]any {
	c.t.Helper()
	body, ct := multipartBody(parts...)
	b, _ := io.ReadAll(body)
	r := c.do(exchange{check: check, status: status, method: "POST", path: path, token: token, body: b, ctype: ct})
	m := r.json(c.t)
	if status == 201 {
		c.followLocation(r, token)
	}
	return m
}

// followLocation checks that a 201's Location answers 200.
func (c *contract) followLocation(r resp, token string) {
	c.t.Helper()
	loc := r.header.Get("Location")
	if !strings.HasPrefix(loc, "/api/v1/") {
		c.t.Fatalf("Location %q", loc)
	}
	c.do(exchange{status: 200, method: "GET", path: loc, token: token})
}

func idOf(m map[string]any) string { return str(m, "id") }

func TestOpenAPIContract(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		c := newContract(t, e)
		doris := e.user("TFM", "doris", access.RoleAudit) // may read metadata, not content
		anna, bernd, carla := e.anna, e.bernd, e.carla

		// --- Betrieb -----------------------------------------------------
		c.json(reqValid, 200, "GET", "/healthz", "", "")
		c.json(reqValid, 200, "GET", "/readyz", "", "")
		r := c.do(exchange{status: 200, method: "GET", path: "/api/v1/openapi.json"})
		if !bytes.Equal(r.body, web.OpenAPIDocument()) {
			t.Error("served /api/v1/openapi.json differs from the embedded web.OpenAPIDocument()")
		}
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("openapi.json content type %q", ct)
		}
		me := c.json(reqValid, 200, "GET", "/api/v1/ich", bernd, "")
		if me["tenant"] != "TFM" || me["login"] != "bernd" {
			t.Fatal(me)
		}
		c.json(reqInvalid, 401, "GET", "/api/v1/ich", "", "")
		r = c.do(exchange{status: 404, method: "GET", path: "/api/v1/akten/gibtesnicht", token: bernd, header: map[string]string{"X-Request-Id": "vorgang-4711"}})
		if r.header.Get("X-Request-Id") != "vorgang-4711" || r.json(t)["request_id"] != "vorgang-4711" {
			t.Errorf("X-Request-Id not taken over: %v %s", r.header, r.body)
		}
		c.json(reqValid, 401, "GET", "/api/v1/ich", "awk_gibtesnicht", "")

		// --- Aktenplan ---------------------------------------------------
		plan := c.json(reqValid, 201, "POST", "/api/v1/aktenplan", anna,
			`{"kennzeichen":"121","titel":"Ausbildung","parent_id":null,"aufbewahrungsfrist_jahre":10,"archiventscheidung":"archivieren"}`)
		planID := idOf(plan)
		child := c.json(reqValid, 201, "POST", "/api/v1/aktenplan", anna,
			fmt.Sprintf(`{"kennzeichen":"121.1","titel":"Praktika","parent_id":%q}`, planID))
		plan2ID := idOf(c.json(reqValid, 201, "POST", "/api/v1/aktenplan", anna, `{"kennzeichen":"122","titel":"Fortbildung"}`))
		c.json(reqValid, 409, "POST", "/api/v1/aktenplan", anna, `{"kennzeichen":"121","titel":"Doppelt"}`)
		c.json(reqValid, 403, "POST", "/api/v1/aktenplan", bernd, `{"kennzeichen":"9","titel":"Nicht erlaubt"}`)
		c.json(reqInvalid, 422, "POST", "/api/v1/aktenplan", anna, `{"kennzeichen":"1 2","titel":""}`)
		c.json(reqInvalid, 400, "POST", "/api/v1/aktenplan", anna, `{"kennzeichen":"9","titel":"x","farbe":"rot"}`)
		c.do(exchange{check: reqInvalid, status: 415, method: "POST", path: "/api/v1/aktenplan", token: anna,
			body: []byte(`{"kennzeichen":"9","titel":"x"}`), ctype: "text/plain"})
		c.json(reqValid, 422, "POST", "/api/v1/aktenplan", anna, `{"kennzeichen":"9","titel":"x","parent_id":"01900000-0000-7000-8000-00000000abcd"}`)
		l := c.json(reqValid, 200, "GET", "/api/v1/aktenplan", bernd, "")
		if n := len(l["items"].([]any)); n != 3 || l["next_cursor"] != nil {
			t.Fatalf("aktenplan list %v", l)
		}
		c.json(reqValid, 200, "GET", "/api/v1/aktenplan/"+planID, bernd, "")
		c.json(reqValid, 404, "GET", "/api/v1/aktenplan/"+planID, carla, "")
		c.json(reqValid, 200, "PATCH", "/api/v1/aktenplan/"+idOf(child), anna, `{"titel":"Praktika und Hospitationen","aufbewahrungsfrist_jahre":null,"archiventscheidung":"bewerten"}`)
		c.json(reqInvalid, 400, "PATCH", "/api/v1/aktenplan/"+planID, anna, `{"geschlossen":"ja"}`)
		c.json(reqInvalid, 400, "PATCH", "/api/v1/aktenplan/"+planID, anna, `{"nummer":"999"}`)
		// Kennzeichen and parent change while no Akte is filed below
		c.json(reqValid, 409, "PATCH", "/api/v1/aktenplan/"+planID, anna, `{"kennzeichen":"122"}`)
		c.json(reqInvalid, 422, "PATCH", "/api/v1/aktenplan/"+planID, anna, `{"kennzeichen":"1 2"}`)
		c.json(reqValid, 422, "PATCH", "/api/v1/aktenplan/"+planID, anna, fmt.Sprintf(`{"parent_id":%q}`, idOf(child)))
		if e := c.json(reqValid, 200, "PATCH", "/api/v1/aktenplan/"+planID, anna, fmt.Sprintf(`{"kennzeichen":"120","parent_id":%q}`, plan2ID)); e["kennzeichen"] != "120" || e["parent_id"] != plan2ID {
			t.Fatalf("moved position %v", e)
		}
		c.json(reqValid, 200, "PATCH", "/api/v1/aktenplan/"+planID, anna, `{"kennzeichen":"121","parent_id":null}`)
		c.json(reqInvalid, 422, "PATCH", "/api/v1/aktenplan/"+planID, anna, `{"aufbewahrungsfrist_jahre":999}`)
		c.json(reqValid, 403, "PATCH", "/api/v1/aktenplan/"+planID, bernd, `{"titel":"x"}`)
		c.json(reqValid, 409, "DELETE", "/api/v1/aktenplan/"+planID, anna, "")
		c.json(reqValid, 403, "DELETE", "/api/v1/aktenplan/"+idOf(child), bernd, "")
		c.json(reqValid, 204, "DELETE", "/api/v1/aktenplan/"+idOf(child), anna, "")
		c.json(reqValid, 404, "DELETE", "/api/v1/aktenplan/"+idOf(child), anna, "")
		h := c.json(reqValid, 200, "GET", "/api/v1/aktenplan/"+planID+"/historie?limit=1", bernd, "")
		cur, _ := h["next_cursor"].(string)
		if len(h["items"].([]any)) != 1 || cur == "" {
			t.Fatalf("historie page 1: %v", h)
		}
		c.json(reqValid, 200, "GET", "/api/v1/aktenplan/"+planID+"/historie?limit=1&cursor="+cur, bernd, "")
		c.json(reqInvalid, 400, "GET", "/api/v1/aktenplan/"+planID+"/historie?limit=0", bernd, "")
		c.json(reqInvalid, 400, "GET", "/api/v1/aktenplan/"+planID+"/historie?limit=zehn", bernd, "")

		// --- Akten -------------------------------------------------------
		akte := c.json(reqValid, 201, "POST", "/api/v1/akten", bernd, fmt.Sprintf(
			`{"aktenplan_id":%q,"titel":"Ausbildungsplätze 2026","beschreibung":"Förderung der Ausbildung","metadaten":{"haushaltsjahr":2026,"eilig":false,"stelle":"Referat 12","notiz":null}}`, planID))
		akteID := idOf(akte)
		akte2 := c.json(reqValid, 201, "POST", "/api/v1/akten", bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Zweite Akte","metadaten":null}`, planID))
		akte2ID, akte2Az := idOf(akte2), str(akte2, "aktenzeichen")
		// with Akten filed, the Aktenzeichen stay: no new Kennzeichen
		c.json(reqValid, 409, "PATCH", "/api/v1/aktenplan/"+planID, anna, `{"kennzeichen":"129"}`)
		c.json(reqValid, 422, "POST", "/api/v1/akten", carla, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Fremd"}`, planID))
		c.json(reqInvalid, 422, "POST", "/api/v1/akten", bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"x","metadaten":{"summe":[1,2]}}`, planID))
		c.json(reqInvalid, 422, "POST", "/api/v1/akten", bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"x","metadaten":{"Summe":1}}`, planID))
		c.json(reqUnchecked, 422, "POST", "/api/v1/akten", bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"   "}`, planID))
		c.json(reqInvalid, 400, "POST", "/api/v1/akten", bernd, `{"aktenplan_id":17,"titel":"x"}`)
		c.json(reqInvalid, 400, "POST", "/api/v1/akten", bernd, `{"aktenplan_id":`)
		c.json(reqUnchecked, 400, "POST", "/api/v1/akten", bernd, `{} {}`)
		c.do(exchange{check: reqInvalid, status: 400, method: "POST", path: "/api/v1/akten", token: bernd, ctype: "application/json"})
		c.json(reqInvalid, 413, "POST", "/api/v1/akten", bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":%q}`, planID, strings.Repeat("x", 1<<20)))
		c.json(reqValid, 403, "POST", "/api/v1/akten", doris, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Prüferin"}`, planID))

		l = c.json(reqValid, 200, "GET", "/api/v1/akten?limit=1", bernd, "")
		cur, _ = l["next_cursor"].(string)
		if len(l["items"].([]any)) != 1 || cur == "" {
			t.Fatalf("akten page 1: %v", l)
		}
		c.json(reqValid, 200, "GET", "/api/v1/akten?limit=1&cursor="+cur, bernd, "")
		l = c.json(reqValid, 200, "GET", "/api/v1/akten?status=offen&aktenplan_id="+planID, bernd, "")
		if len(l["items"].([]any)) != 2 || l["next_cursor"] != nil {
			t.Fatalf("akten filter: %v", l)
		}
		c.json(reqInvalid, 422, "GET", "/api/v1/akten?status=kaputt", bernd, "")
		c.json(reqValid, 400, "GET", "/api/v1/akten?cursor=!!nicht-base64!!", bernd, "")
		c.json(reqInvalid, 400, "GET", "/api/v1/akten?limit=501", bernd, "")
		a := c.json(reqValid, 200, "GET", "/api/v1/akten/"+akteID, bernd, "")
		if str(a, "aktenzeichen") != str(akte, "aktenzeichen") || len(a["fruehere_aktenzeichen"].([]any)) != 0 {
			t.Fatalf("akte %v", a)
		}
		c.json(reqValid, 404, "GET", "/api/v1/akten/"+akteID, carla, "")
		c.json(reqValid, 200, "PATCH", "/api/v1/akten/"+akteID, bernd, `{"beschreibung":"Förderung 2026","metadaten":{"haushaltsjahr":2027}}`)
		c.json(reqUnchecked, 422, "PATCH", "/api/v1/akten/"+akteID, bernd, `{"titel":"   "}`)
		c.json(reqInvalid, 400, "PATCH", "/api/v1/akten/"+akteID, bernd, `{"titel":null}`)
		c.json(reqInvalid, 400, "PATCH", "/api/v1/akten/"+akteID, bernd, `null`)
		c.json(reqValid, 200, "GET", "/api/v1/akten/"+akteID+"/historie", bernd, "")
		vg := c.json(reqValid, 201, "POST", "/api/v1/akten/"+akteID+"/vorgaenge", bernd, `{"betreff":"Antrag Müller","metadaten":{"antragsnummer":"A-17"}}`)
		vgID, vgAz := idOf(vg), str(vg, "aktenzeichen")
		c.json(reqValid, 201, "POST", "/api/v1/akten/"+akteID+"/vorgaenge", bernd, `{"betreff":"Antrag Schulze"}`)
		c.json(reqInvalid, 422, "POST", "/api/v1/akten/"+akteID+"/vorgaenge", bernd, `{"betreff":""}`)
		c.json(reqInvalid, 400, "POST", "/api/v1/akten/"+akteID+"/vorgaenge", bernd, `{"betreff":"x","akte_id":"y"}`)
		l = c.json(reqValid, 200, "GET", "/api/v1/akten/"+akteID+"/vorgaenge?limit=1", bernd, "")
		if len(l["items"].([]any)) != 1 || l["next_cursor"] == nil {
			t.Fatalf("vorgaenge page 1: %v", l)
		}
		c.json(reqValid, 200, "GET", "/api/v1/akten/"+akteID+"/vorgaenge", bernd, "")

		// --- Vorgänge and Dokumente -------------------------------------------
		c.json(reqValid, 200, "GET", "/api/v1/vorgaenge/"+vgID, bernd, "")
		c.json(reqValid, 200, "PATCH", "/api/v1/vorgaenge/"+vgID, bernd, `{"betreff":"Antrag Müller (Ausbildung)","metadaten":null}`)
		c.json(reqInvalid, 400, "PATCH", "/api/v1/vorgaenge/"+vgID, bernd, `{"status":"zda"}`)
		up := "/api/v1/vorgaenge/" + vgID + "/dokumente"
		pdf := []byte("%PDF-1.4\n% Bescheid\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		d := c.upload(reqValid, 201, up, bernd,
			part{name: "betreff", data: []byte("Bewilligungsbescheid")},
			part{name: "typ", data: []byte("Bescheid")},
			part{name: "absender", data: []byte("Landesverwaltungsamt")},
			part{name: "empfaenger", data: []byte("Frau Müller")},
			part{name: "dokumentdatum", data: []byte("2026-03-12")},
			part{name: "eingangsdatum", data: []byte("2026-03-14")},
			part{name: "file", filename: "Bescheid_Müller.pdf", contentType: "application/octet-stream", data: pdf})
		dokID := idOf(d)
		if v, _ := d["version"].(map[string]any); v == nil || v["mime_type"] != "application/pdf" {
			t.Fatalf("dokument %v", d)
		}
		c.upload(reqValid, 201, up, bernd, part{name: "betreff", data: []byte("Vermerk")}, part{name: "file", filename: "vermerk.txt", data: []byte("Rücksprache gehalten.")})
		c.upload(reqInvalid, 400, up, bernd, part{name: "betreff", data: []byte("x")}, part{name: "farbe", data: []byte("rot")}, part{name: "file", filename: "a.txt", data: []byte("x")})
		c.upload(reqInvalid, 422, up, bernd, part{name: "betreff", data: []byte("ohne Datei")})
		c.upload(reqInvalid, 422, up, bernd, part{name: "betreff", data: []byte("x")}, part{name: "typ", data: []byte("Liebesbrief")}, part{name: "file", filename: "a.txt", data: []byte("x")})
		c.upload(reqInvalid, 422, up, bernd, part{name: "betreff", data: []byte("x")}, part{name: "dokumentdatum", data: []byte("12.03.2026")}, part{name: "file", filename: "a.txt", data: []byte("x")})
		c.upload(reqUnchecked, 422, up, bernd, part{name: "betreff", data: []byte("leer")}, part{name: "file", filename: "leer.txt"})
		c.upload(reqValid, 413, up, bernd, part{name: "betreff", data: []byte("zu groß")}, part{name: "file", filename: "gross.bin", data: make([]byte, e.maxBytes+1)})
		elf := append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, make([]byte, 120)...)
		elf[16] = 2
		c.upload(reqValid, 415, up, bernd, part{name: "betreff", data: []byte("Programm")}, part{name: "file", filename: "rechnung.pdf", data: elf})
		c.do(exchange{check: reqInvalid, status: 415, method: "POST", path: up, token: bernd, body: []byte(`{"betreff":"x"}`), ctype: "application/json"})
		c.upload(reqValid, 403, up, doris, part{name: "betreff", data: []byte("x")}, part{name: "file", filename: "a.txt", data: []byte("x")})
		l = c.json(reqValid, 200, "GET", up+"?limit=1", bernd, "")
		if len(l["items"].([]any)) != 1 || l["next_cursor"] == nil {
			t.Fatalf("dokumente page 1: %v", l)
		}
		c.json(reqValid, 200, "GET", up, bernd, "")

		dok := "/api/v1/dokumente/" + dokID
		c.json(reqValid, 200, "GET", dok, doris, "")
		c.json(reqValid, 200, "PATCH", dok, bernd, `{"absender":"Thüringer Landesverwaltungsamt","dokumentdatum":null,"typ":"Eingang"}`)
		c.json(reqInvalid, 422, "PATCH", dok, bernd, `{"eingangsdatum":"14.03.2026"}`)
		c.json(reqInvalid, 422, "PATCH", dok, bernd, `{"typ":""}`)
		c.json(reqInvalid, 400, "PATCH", dok, bernd, `{"versionen":3}`)
		c.json(reqValid, 403, "PATCH", dok, doris, `{"betreff":"x"}`)

		// downloads: conditional, ranged, HEAD
		r = c.do(exchange{status: 200, method: "GET", path: dok + "/inhalt", token: bernd})
		etag := r.header.Get("ETag")
		if !bytes.Equal(r.body, pdf) || etag != `"`+str(d["version"].(map[string]any), "sha256")+`"` {
			t.Fatalf("download: etag %q", etag)
		}
		c.do(exchange{status: 304, method: "GET", path: dok + "/inhalt", token: bernd, header: map[string]string{"If-None-Match": etag}})
		r = c.do(exchange{status: 206, method: "GET", path: dok + "/inhalt", token: bernd, header: map[string]string{"Range": "bytes=5-8"}})
		if string(r.body) != string(pdf[5:9]) {
			t.Fatalf("range %q", r.body)
		}
		c.do(exchange{status: 200, method: "GET", path: dok + "/inhalt", token: bernd, header: map[string]string{"Range": "bytes=0-3", "If-Range": `"anders"`}})
		c.do(exchange{status: 416, method: "GET", path: dok + "/inhalt", token: bernd, header: map[string]string{"Range": "bytes=9999-"}})
		c.do(exchange{status: 412, method: "GET", path: dok + "/inhalt", token: bernd, header: map[string]string{"If-Match": `"` + strings.Repeat("0", 64) + `"`}})
		c.do(exchange{status: 403, method: "GET", path: dok + "/inhalt", token: doris})
		c.do(exchange{status: 404, method: "GET", path: dok + "/inhalt", token: carla})
		r = c.do(exchange{status: 200, method: "HEAD", path: dok + "/inhalt", token: bernd})
		if r.header.Get("Content-Length") != strconv.Itoa(len(pdf)) || r.header.Get("ETag") != etag {
			t.Fatalf("HEAD %v", r.header)
		}
		c.do(exchange{status: 404, method: "HEAD", path: dok + "/inhalt", token: carla})

		// versions
		nv := c.upload(reqValid, 201, dok+"/versionen", bernd, part{name: "file", filename: "Bescheid_korrigiert.txt", data: []byte("Korrigierte Fassung: Förderung über 12.000 €.")})
		if nv["nummer"] != 2.0 {
			t.Fatalf("version %v", nv)
		}
		c.upload(reqInvalid, 400, dok+"/versionen", bernd, part{name: "betreff", data: []byte("x")}, part{name: "file", filename: "a.txt", data: []byte("x")})
		c.upload(reqInvalid, 422, dok+"/versionen", bernd)
		c.upload(reqValid, 403, dok+"/versionen", doris, part{name: "file", filename: "a.txt", data: []byte("x")})
		l = c.json(reqValid, 200, "GET", dok+"/versionen", bernd, "")
		if len(l["items"].([]any)) != 2 || l["next_cursor"] != nil {
			t.Fatalf("versionen %v", l)
		}
		c.do(exchange{status: 200, method: "GET", path: dok + "/versionen/1/inhalt", token: bernd})
		c.do(exchange{status: 206, method: "GET", path: dok + "/versionen/1/inhalt", token: bernd, header: map[string]string{"Range": "bytes=0-3"}})
		c.do(exchange{status: 304, method: "GET", path: dok + "/versionen/1/inhalt", token: bernd, header: map[string]string{"If-None-Match": etag}})
		c.do(exchange{status: 200, method: "HEAD", path: dok + "/versionen/2/inhalt", token: bernd})
		c.do(exchange{status: 404, method: "GET", path: dok + "/versionen/9/inhalt", token: bernd})
		c.do(exchange{check: reqInvalid, status: 404, method: "GET", path: dok + "/versionen/abc/inhalt", token: bernd})
		c.json(reqValid, 409, "POST", dok+"/versionen/1/final", bernd, "")
		c.json(reqValid, 403, "POST", dok+"/versionen/2/final", doris, "")
		f := c.json(reqValid, 200, "POST", dok+"/versionen/2/final", bernd, "")
		if f["final"] != true || f["nummer"] != 2.0 {
			t.Fatalf("final %v", f)
		}
		c.json(reqValid, 409, "POST", dok+"/versionen/2/final", bernd, "")
		c.upload(reqValid, 409, dok+"/versionen", bernd, part{name: "file", filename: "c.txt", data: []byte("zu spät")})

		// --- z.d.A. and Wiederaufnahme ------------------------------------------
		vgPath := "/api/v1/vorgaenge/" + vgID
		if z := c.json(reqValid, 200, "POST", vgPath+"/zda", bernd, ""); str(z, "status") != "zda" || z["geschlossen_am"] == nil {
			t.Fatalf("zda %v", z)
		}
		c.json(reqValid, 409, "POST", vgPath+"/zda", bernd, "")
		c.json(reqValid, 409, "PATCH", vgPath, bernd, `{"betreff":"neu"}`)
		c.upload(reqValid, 409, up, bernd, part{name: "betreff", data: []byte("zu spät")}, part{name: "file", filename: "x.txt", data: []byte("x")})
		c.json(reqValid, 409, "PATCH", dok, bernd, `{"betreff":"neu"}`)
		c.do(exchange{status: 200, method: "GET", path: dok + "/inhalt", token: bernd}) // reading stays possible
		c.json(reqValid, 403, "POST", vgPath+"/wiederaufnahme", bernd, "")
		c.json(reqValid, 200, "POST", vgPath+"/wiederaufnahme", anna, "")
		c.json(reqValid, 409, "POST", vgPath+"/wiederaufnahme", anna, "")
		akPath := "/api/v1/akten/" + akteID
		c.json(reqValid, 403, "POST", akPath+"/zda", doris, "")
		c.json(reqValid, 200, "POST", akPath+"/zda", bernd, "")
		c.json(reqValid, 409, "POST", akPath+"/zda", bernd, "")
		c.json(reqValid, 409, "POST", akPath+"/vorgaenge", bernd, `{"betreff":"neu"}`)
		c.json(reqValid, 409, "PATCH", akPath, bernd, `{"titel":"neu"}`)
		c.json(reqValid, 409, "POST", akPath+"/umprotokollierung", anna, fmt.Sprintf(`{"aktenplan_id":%q}`, plan2ID))
		c.json(reqValid, 409, "POST", vgPath+"/wiederaufnahme", anna, "")
		c.json(reqValid, 409, "POST", vgPath+"/verschieben", anna, fmt.Sprintf(`{"akte_id":%q}`, akte2ID))
		c.json(reqValid, 403, "POST", akPath+"/wiederaufnahme", bernd, "")
		c.json(reqValid, 200, "POST", akPath+"/wiederaufnahme", anna, "")
		c.json(reqValid, 409, "POST", akPath+"/wiederaufnahme", anna, "")
		c.json(reqValid, 200, "POST", vgPath+"/wiederaufnahme", anna, "")

		// --- Verschieben and Umprotokollierung ------------------------------------
		c.json(reqValid, 403, "POST", vgPath+"/verschieben", bernd, fmt.Sprintf(`{"akte_id":%q}`, akte2ID))
		c.json(reqValid, 422, "POST", vgPath+"/verschieben", anna, fmt.Sprintf(`{"akte_id":%q}`, akteID))
		c.json(reqInvalid, 422, "POST", vgPath+"/verschieben", anna, `{"akte_id":""}`)
		c.json(reqInvalid, 400, "POST", vgPath+"/verschieben", anna, `{}`+"\n"+`{"akte_id":"x"}`)
		mv := c.json(reqValid, 200, "POST", vgPath+"/verschieben", anna, fmt.Sprintf(`{"akte_id":%q}`, akte2ID))
		if fr := mv["fruehere_aktenzeichen"].([]any); len(fr) != 1 || fr[0].(map[string]any)["aktenzeichen"] != vgAz {
			t.Fatalf("verschoben %v", mv)
		}
		ak2Path := "/api/v1/akten/" + akte2ID
		c.json(reqValid, 403, "POST", ak2Path+"/umprotokollierung", bernd, fmt.Sprintf(`{"aktenplan_id":%q}`, plan2ID))
		c.json(reqValid, 422, "POST", ak2Path+"/umprotokollierung", anna, fmt.Sprintf(`{"aktenplan_id":%q}`, planID))
		c.json(reqInvalid, 400, "POST", ak2Path+"/umprotokollierung", anna, `{"aktenplan_id":17}`)
		um := c.json(reqValid, 200, "POST", ak2Path+"/umprotokollierung", anna, fmt.Sprintf(`{"aktenplan_id":%q}`, plan2ID))
		if !strings.HasPrefix(str(um, "aktenzeichen"), "TFM-122-") || len(um["fruehere_aktenzeichen"].([]any)) != 1 {
			t.Fatalf("umprotokolliert %v", um)
		}
		c.json(reqValid, 200, "GET", ak2Path+"/historie", anna, "")
		c.json(reqValid, 200, "GET", vgPath+"/historie", anna, "")

		// --- Aktenzeichen ---------------------------------------------------
		lk := c.json(reqValid, 200, "GET", "/api/v1/aktenzeichen?az="+urlQuery(akte2Az), bernd, "")
		if lk["id"] != akte2ID || lk["objekt_typ"] != "akte" {
			t.Fatalf("lookup of the former Aktenzeichen: %v", lk)
		}
		lk = c.json(reqValid, 200, "GET", "/api/v1/aktenzeichen?az="+urlQuery(vgAz), bernd, "")
		if lk["id"] != vgID || lk["objekt_typ"] != "vorgang" {
			t.Fatalf("lookup %v", lk)
		}
		c.json(reqValid, 404, "GET", "/api/v1/aktenzeichen?az="+urlQuery(akte2Az), carla, "")
		c.json(reqInvalid, 400, "GET", "/api/v1/aktenzeichen", bernd, "")

		// a closed Aktenplan position takes no new Akten
		c.json(reqValid, 200, "PATCH", "/api/v1/aktenplan/"+plan2ID, anna, `{"geschlossen":true}`)
		c.json(reqValid, 409, "POST", "/api/v1/akten", bernd, fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Zu spät"}`, plan2ID))
		c.json(reqValid, 409, "POST", "/api/v1/aktenplan", anna, fmt.Sprintf(`{"kennzeichen":"122.1","titel":"Unter geschlossen","parent_id":%q}`, plan2ID))

		// --- further areas (sign-in, access, audit query): their own files.
		// A section may add request samples (c.samples) and objects for the
		// sweep below (c.ids, by first path segment after /api/v1/); it must
		// leave the tokens of anna, bernd and carla working.
		for _, section := range contractSections {
			section(c)
		}

		// --- every route: 401 without token, 404 for unknown ids and for
		// other tenants' objects (indistinguishable) ---------------------------
		ids := map[string]string{"aktenplan": planID, "akten": akteID, "vorgaenge": vgID, "dokumente": dokID}
		for k, v := range c.ids {
			ids[k] = v
		}
		samples := map[string]func() ([]byte, string){
			"POST /api/v1/aktenplan":                    jsonSample(`{"kennzeichen":"77","titel":"Beispiel"}`),
			"PATCH /api/v1/aktenplan/{id}":              jsonSample(`{"titel":"Beispiel"}`),
			"POST /api/v1/akten":                        jsonSample(fmt.Sprintf(`{"aktenplan_id":%q,"titel":"Beispiel"}`, planID)),
			"PATCH /api/v1/akten/{id}":                  jsonSample(`{"titel":"Beispiel"}`),
			"POST /api/v1/akten/{id}/umprotokollierung": jsonSample(fmt.Sprintf(`{"aktenplan_id":%q}`, plan2ID)),
			"POST /api/v1/akten/{id}/vorgaenge":         jsonSample(`{"betreff":"Beispiel"}`),
			"PATCH /api/v1/vorgaenge/{id}":              jsonSample(`{"betreff":"Beispiel"}`),
			"POST /api/v1/vorgaenge/{id}/verschieben":   jsonSample(fmt.Sprintf(`{"akte_id":%q}`, akteID)),
			"PATCH /api/v1/dokumente/{id}":              jsonSample(`{"betreff":"Beispiel"}`),
			"POST /api/v1/vorgaenge/{id}/dokumente": multipartSample(part{name: "betreff", data: []byte("Beispiel")},
				part{name: "file", filename: "b.txt", data: []byte("Beispiel")}),
			"POST /api/v1/dokumente/{id}/versionen": multipartSample(part{name: "file", filename: "b.txt", data: []byte("Beispiel")}),
		}
		for k, v := range c.samples {
			samples[k] = v
		}
		const missing = "01900000-0000-7000-8000-000000000000"
		for _, rt := range sweepRoutes(c.m) {
			key := routeKey(rt)
			var body []byte
			var ctype string
			if s := samples[key]; s != nil {
				body, ctype = s()
			} else if op := docOperations(c.m)[key]; op != nil && op.RequestBody != nil && op.RequestBody.Required != nil && *op.RequestBody.Required {
				t.Errorf("%s takes a request body: add a sample to the contract test", key)
				continue
			}
			fill := func(id string) string {
				return strings.NewReplacer("{id}", id, "{nummer}", "1").Replace(rt.Pattern)
			}
			if rt.Auth {
				c.do(exchange{check: reqInvalid, status: 401, method: rt.Method, path: fill(missing), body: body, ctype: ctype})
			}
			if !strings.Contains(rt.Pattern, "{id}") {
				continue
			}
			none := c.do(exchange{status: 404, method: rt.Method, path: fill(missing), token: anna, body: body, ctype: ctype})
			own := ids[strings.Split(rt.Pattern, "/")[3]]
			if own == "" {
				t.Fatalf("no object for %s", key)
			}
			foreign := c.do(exchange{status: 404, method: rt.Method, path: fill(own), token: carla, body: body, ctype: ctype})
			if rt.Method != "HEAD" {
				if nd, fd := none.json(t)["detail"], foreign.json(t)["detail"]; nd != fd {
					t.Errorf("%s: another tenant's object answers %q, an unknown id %q", key, fd, nd)
				}
			}
		}

		// every content GET that reached the content is in the audit trail
		h = c.json(reqValid, 200, "GET", dok+"/historie?limit=500", doris, "")
		got := 0
		for _, it := range h["items"].([]any) {
			if it.(map[string]any)["action"] == "dokument.download" {
				got++
			}
		}
		if got != c.downloads[dokID] {
			t.Errorf("audit trail has %d downloads of the Dokument, the test made %d", got, c.downloads[dokID])
		}

		// --- readyz: a broken blob store makes the node not ready ------------------
		tmp := filepath.Join(e.blobDir, "tmp")
		os.Chmod(tmp, 0o500)
		if os.Geteuid() == 0 {
			os.RemoveAll(tmp) // root ignores permissions
		}
		c.json(reqValid, 503, "GET", "/readyz", "", "")
		os.MkdirAll(tmp, 0o750)
		os.Chmod(tmp, 0o750)
		c.json(reqValid, 200, "GET", "/readyz", "", "")

		// --- coverage ---------------------------------------------------------------
		var uncovered []string
		for _, rt := range sweepRoutes(c.m) {
			if len(c.covered[routeKey(rt)]) == 0 {
				uncovered = append(uncovered, routeKey(rt))
			}
		}
		if len(uncovered) > 0 {
			t.Errorf("routes the contract test never called:\n  %s", strings.Join(uncovered, "\n  "))
		}
		seen := map[int]bool{}
		for _, st := range c.covered {
			for s := range st {
				seen[s] = true
			}
		}
		for _, s := range []int{200, 201, 204, 206, 304, 400, 401, 403, 404, 409, 412, 413, 415, 416, 422, 503} {
			if !seen[s] {
				t.Errorf("status %d never seen", s)
			}
		}
	})
}

// contractSections exercise the routes of further API areas against the
// document; each area's test file registers its section in init. A section
// runs after the records flow, on a fresh env per backend (c.e).
var contractSections []func(c *contract)

// sweepRoutes is web.Routes() plus the HEAD operations the document
// describes for GET routes.
func sweepRoutes(m *v3.Document) []web.Route {
	routes := web.Routes()
	ops := docOperations(m)
	for _, r := range web.Routes() {
		if r.Method == "GET" && ops["HEAD "+r.Pattern] != nil {
			routes = append(routes, web.Route{Method: "HEAD", Pattern: r.Pattern, Auth: r.Auth})
		}
	}
	return routes
}

func jsonSample(body string) func() ([]byte, string) {
	return func() ([]byte, string) { return []byte(body), "application/json" }
}

func multipartSample(parts ...part) func() ([]byte, string) {
	return func() ([]byte, string) {
		r, ct := multipartBody(parts...)
		b, _ := io.ReadAll(r)
		return b, ct
	}
}

func urlQuery(s string) string { return url.QueryEscape(s) }
