package web_test

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
)

// Single sign-on against the OpenAPI document. The contract server has no
// identity provider configured, so both routes answer the documented 404
// there; the answers of the real flow (302, 303, 401, 503) are checked
// against the document by oidc_test.go (checkOIDCAnswer).
func init() { contractSections = append(contractSections, oidcContract) }

func oidcContract(c *contract) {
	t := c.t
	for _, path := range []string{
		"/api/v1/anmeldung/oidc?ziel=%2Fakten%2F1%3Ftab%3Ddokumente",
		"/api/v1/anmeldung/oidc",
		"/api/v1/anmeldung/oidc/rueckkehr?code=abc&state=def&iss=https%3A%2F%2Fidp.example",
		"/api/v1/anmeldung/oidc/rueckkehr?error=access_denied&state=def",
	} {
		p := c.do(exchange{check: reqValid, status: 404, method: "GET", path: path}).json(t)
		if p["type"] != "/probleme/nicht-gefunden" || !strings.Contains(str(p, "detail"), "Landes-Login ist nicht eingerichtet") {
			t.Errorf("GET %s: %v", path, p)
		}
	}
}

var (
	oidcValidatorOnce sync.Once
	oidcValidator     validator.Validator
)

// checkOIDCAnswer validates a request to an OIDC route (path with query)
// and the server's answer against the OpenAPI document, like the contract
// test does.
func checkOIDCAnswer(t *testing.T, path string, r resp) {
	t.Helper()
	doc, _ := loadOpenAPI(t)
	oidcValidatorOnce.Do(func() {
		v, errs := validator.NewValidator(doc, config.WithFormatAssertions(), config.WithStrictMode(),
			config.WithStrictIgnoredHeadersExtra("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"))
		if len(errs) > 0 {
			t.Fatalf("validator: %v", errs)
		}
		oidcValidator = v
	})
	req, err := http.NewRequest("GET", "http://aktenwerk.invalid"+path, http.NoBody)
	if err != nil {
		t.Fatal(err)
	}
	if ok, errs := oidcValidator.ValidateHttpRequestSync(req); !ok {
		t.Errorf("GET %s: the document refuses the request:\n%s", path, formatErrors(errs))
	}
	res := &http.Response{StatusCode: r.status, Header: r.header, Body: io.NopCloser(bytes.NewReader(r.body)), Request: req}
	if ok, errs := oidcValidator.ValidateHttpResponse(req, res); !ok {
		t.Errorf("GET %s: answer %s does not match the document:\n%s\nbody: %s", path, strconv.Itoa(r.status), formatErrors(errs), truncate(r.body))
	}
}
