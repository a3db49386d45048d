package oidc

// Test harness: a real OpenID provider (zitadel/oidc's example OP, started
// in-process on a loopback port by package oidctest, which the web tests use
// too), a relying-party web server on another loopback port that calls Start
// and Callback like the web layer would, and a "browser" (http.Client with
// cookie jar) that walks through the flow.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth/oidc/oidctest"
)

func TestMain(m *testing.M) {
	// The example OP logs every request through slog's default logger.
	flag.Parse()
	if !testing.Verbose() {
		slog.SetDefault(slog.New(slog.DiscardHandler))
	}
	os.Exit(m.Run())
}

const (
	clientID       = "aktenwerk"
	clientSecret   = "aktenwerk-test-client-secret-0123456789"
	audClientID    = "aktenwerk-aud"
	portalClientID = "portal"
	portalSecret   = "portal-secret-0123456789abcdef"
)

// testUsers are the persons of the test OP. Their custom claims go into ID
// tokens only (the OP's userinfo endpoint does not serve them).
var testUsers = []oidctest.User{
	{ID: "u-mueller", Username: "M.Mueller", FirstName: "Maria", LastName: "Müller", Email: "maria.mueller@stmi.example",
		Claims: map[string]any{
			"tenant":       "stmi",
			"roles":        []string{"AW-Admins", "AW-SB", "Kantine"},
			"units":        []string{"Z1", "Z2", "Z1"},
			"realm_access": map[string]any{"roles": []string{"AW-Leitung", "offline_access"}},
		}},
	{ID: "u-schulz", Username: "schulz", FirstName: "Stefan", LastName: "Schulz", Email: "stefan.schulz@example",
		Claims: map[string]any{
			// "admin" is one of our role names but not a key of the RoleMap:
			// unmapped values are ignored, whatever they look like.
			"roles": []string{"AW-Revision", "admin"},
		}},
	{ID: "u-bad", Username: "Dr. Bad Login", FirstName: "Bernd", LastName: "Bad", Email: "bernd@example"},
}

// clientSwap sits in front of the OP and turns every request of client
// audClientID into one of portalClientID (authorization request and token
// request). The relying party configured as audClientID thus receives a
// genuine, correctly signed ID token, with its own nonce and PKCE, that was
// issued for another client the OP knows: aud=[portal], azp=portal. (The
// example OP always adds the requesting client to aud, so a storage hook
// cannot produce such a token.)
func clientSwap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); q.Get("client_id") == audClientID {
			q.Set("client_id", portalClientID)
			r.URL.RawQuery = q.Encode()
		}
		if user, _, ok := r.BasicAuth(); ok && user == audClientID {
			r.SetBasicAuth(portalClientID, portalSecret)
		}
		next.ServeHTTP(w, r)
	})
}

// startOP starts the test OP (oidctest) with the given issuer on a loopback
// port. If issuer is "", the OP's issuer is its own base URL.
func startOP(t *testing.T, issuer string, clients []oidctest.Client) *oidctest.OP {
	t.Helper()
	return oidctest.Start(t, oidctest.Options{Issuer: issuer, Users: testUsers, Clients: clients, Wrap: clientSwap})
}

type result struct {
	id       Identity
	returnTo string
	err      error
}

type rpPair struct {
	start, finish *RP // different instances: a login may end on another node
	results       chan result
}

type env struct {
	t      *testing.T
	op     *oidctest.OP
	issuer string
	rpSrv  *httptest.Server
	mu     sync.Mutex
	rps    map[string]*rpPair
	cfgs   map[string]Config
}

func (e *env) rpURL(path string) string { return e.rpSrv.URL + path }

// baseConfig is the configuration of the "main" relying party.
func (e *env) baseConfig(name string) Config {
	return Config{
		Issuer:        e.issuer,
		ClientID:      clientID,
		ClientSecret:  clientSecret,
		RedirectURL:   e.rpURL("/" + name + "/callback"),
		DefaultTenant: "landesverwaltung",
		RoleMap: map[string][]string{
			"AW-Admins":   {"admin"},
			"AW-SB":       {"sachbearbeitung"},
			"AW-Leitung":  {"leitung", "sachbearbeitung"},
			"AW-Revision": {"audit"},
		},
	}
}

// newEnv starts the OP and a relying-party server with several relying
// parties, each under its own path prefix:
//
//	main     client "aktenwerk", default claims
//	nested   client "aktenwerk", roles read from "realm_access.roles"
//	wrongaud client "aktenwerk-aud"; receives ID tokens issued for "portal" (see clientSwap)
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, rps: map[string]*rpPair{}, cfgs: map[string]Config{}}
	e.rpSrv = httptest.NewServer(http.HandlerFunc(e.serveRP))
	t.Cleanup(e.rpSrv.Close)

	clients := []oidctest.Client{
		{ID: clientID, Secret: clientSecret, RedirectURIs: []string{e.rpURL("/main/callback"), e.rpURL("/nested/callback")}},
		{ID: audClientID, Secret: clientSecret, RedirectURIs: []string{e.rpURL("/wrongaud/callback")}},
		{ID: portalClientID, Secret: portalSecret, RedirectURIs: []string{e.rpURL("/wrongaud/callback")}},
	}
	e.op = startOP(t, "", clients)
	e.issuer = e.op.Issuer

	main := e.baseConfig("main")
	nested := e.baseConfig("nested")
	nested.ClaimRoles = "realm_access.roles"
	wrongaud := e.baseConfig("wrongaud")
	wrongaud.ClientID = audClientID
	for name, cfg := range map[string]Config{"main": main, "nested": nested, "wrongaud": wrongaud} {
		e.cfgs[name] = cfg
		e.rps[name] = &rpPair{start: e.newRP(cfg), finish: e.newRP(cfg), results: make(chan result, 8)}
	}
	return e
}

func (e *env) newRP(cfg Config) *RP {
	e.t.Helper()
	rp, err := New(context.Background(), cfg, &http.Client{})
	if err != nil {
		e.t.Fatalf("New: %v", err)
	}
	return rp
}

// serveRP is the relying party's web server: /{name}/login, /{name}/callback,
// and every other path answers "landed <path>" (the application).
func (e *env) serveRP(w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)
	e.mu.Lock()
	pair := e.rps[parts[0]]
	e.mu.Unlock()
	if pair != nil && len(parts) == 2 {
		switch parts[1] {
		case "login":
			pair.start.Start(w, r, r.URL.Query().Get("return_to"))
			return
		case "callback":
			id, rt, err := pair.finish.Callback(w, r)
			pair.results <- result{id, rt, err}
			if err != nil {
				status := http.StatusInternalServerError
				if apperr.KindOf(err) == apperr.KindUnauthorized {
					status = http.StatusUnauthorized
				}
				msg := "Interner Fehler"
				if ae, ok := apperr.As(err); ok {
					msg = ae.Message
				}
				http.Error(w, msg, status)
				return
			}
			http.Redirect(w, r, rt, http.StatusFound)
			return
		}
	}
	fmt.Fprintf(w, "landed %s", r.URL.RequestURI())
}

func (e *env) takeResult(name string) result {
	e.t.Helper()
	select {
	case r := <-e.rps[name].results:
		return r
	default:
		e.t.Fatalf("relying party %s: callback was not called", name)
		return result{}
	}
}

// browser is an http.Client with a cookie jar that follows redirects. With
// stopAtCallback it does not follow the provider's redirect to a callback
// but returns it, so that a test can inspect or alter it.
type browser struct {
	t              *testing.T
	e              *env
	jar            *cookiejar.Jar
	c              *http.Client
	stopAtCallback bool
	authRequests   []*url.URL // authorization requests seen at the OP
}

func (e *env) newBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: e.t, e: e, jar: jar}
	opURL, _ := url.Parse(e.op.URL)
	rpURL, _ := url.Parse(e.rpSrv.URL)
	b.c = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) > 20 {
			return errors.New("too many redirects")
		}
		if req.URL.Host == opURL.Host && req.URL.Path == oidctest.AuthPath {
			b.authRequests = append(b.authRequests, req.URL)
		}
		if b.stopAtCallback && req.URL.Host == rpURL.Host && strings.HasSuffix(req.URL.Path, "/callback") {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

func (b *browser) get(u string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// submitLogin fills the OP's login form shown in resp/body.
func (b *browser) submitLogin(resp *http.Response, body, username string) (*http.Response, string) {
	b.t.Helper()
	return oidctest.SubmitLogin(b.t, b.c, resp, body, username)
}

// login runs the whole flow like a browser and returns the final response.
func (b *browser) login(rp, returnTo, username string) (*http.Response, string) {
	b.t.Helper()
	resp, body := b.get(b.e.rpURL("/" + rp + "/login?return_to=" + url.QueryEscape(returnTo)))
	return b.submitLogin(resp, body, username)
}

// toCallback runs the flow up to the provider's redirect to our callback and
// returns that callback URL without requesting it.
func (b *browser) toCallback(rp, returnTo, username string) *url.URL {
	b.t.Helper()
	b.stopAtCallback = true
	defer func() { b.stopAtCallback = false }()
	resp, body := b.login(rp, returnTo, username)
	return b.callbackLocation(resp, body)
}

func (b *browser) callbackLocation(resp *http.Response, body string) *url.URL {
	b.t.Helper()
	if resp.StatusCode != http.StatusFound {
		b.t.Fatalf("expected a redirect to the callback, got %d at %s: %.200s", resp.StatusCode, resp.Request.URL, body)
	}
	loc, err := resp.Location()
	if err != nil {
		b.t.Fatalf("callback location: %v", err)
	}
	return loc
}

// stateCookie returns the state cookie the jar would send to u.
func (b *browser) stateCookie(u *url.URL) *http.Cookie {
	b.t.Helper()
	var found *http.Cookie
	for _, c := range b.jar.Cookies(u) {
		if strings.HasPrefix(c.Name, cookiePrefix) {
			if found != nil {
				b.t.Fatalf("more than one state cookie for %s", u)
			}
			found = c
		}
	}
	return found
}

func (b *browser) setCookie(u *url.URL, name, value string) {
	b.jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: u.Path}})
}
