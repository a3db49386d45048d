// Package oidctest starts a real OpenID provider for tests: zitadel/oidc's
// example OP (example/server/exampleop with example/server/storage),
// in-process on a loopback port, with the test's own users and clients.
//
// Custom claims of a user (tenant, roles, units, realm_access, …) go into
// ID tokens only, never into the userinfo answer, which is what many real
// providers do with non-standard claims. Profile claims (preferred_username,
// name, email) come from the userinfo endpoint: the example OP keeps them
// out of the ID token when it issues an access token (OIDC Core 5.4).
//
// The package is for tests only; production code must not import it.
package oidctest

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Password is the password of every test user at the OP's login form.
const Password = "Geheim-2024!"

// Paths of the example OP.
const (
	// AuthPath is the authorization endpoint.
	AuthPath = "/auth"
	// LoginPath shows (GET) and accepts (POST) the login form.
	LoginPath = "/login/username"
)

// User is a person known to the OP. ID is the subject ("sub").
type User struct {
	ID, Username, FirstName, LastName, Email string
	// Claims are added to the user's ID tokens (only there).
	Claims map[string]any
}

// Client is a relying party registered at the OP (a confidential web
// client with client_secret_basic).
type Client struct {
	ID, Secret   string
	RedirectURIs []string
}

// Options configure Start.
type Options struct {
	// Issuer is the OP's issuer identifier; "" means its own base URL
	// (http://127.0.0.1:port).
	Issuer  string
	Users   []User
	Clients []Client
	// Wrap, if set, wraps the OP's handler, e.g. to rewrite requests.
	Wrap func(http.Handler) http.Handler
}

// OP is a running provider.
type OP struct {
	*httptest.Server
	// Issuer is the issuer identifier the OP puts into its discovery
	// document and tokens.
	Issuer string

	mu     sync.Mutex
	claims map[string]map[string]any
	down   bool
}

// Start starts an OP on a loopback port; it stops when the test ends.
func Start(t testing.TB, o Options) *OP {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	issuer := o.Issuer
	if issuer == "" {
		issuer = "http://" + srv.Listener.Addr().String()
	}
	p := &OP{Server: srv, Issuer: issuer, claims: map[string]map[string]any{}}
	users := userStore{}
	for _, u := range o.Users {
		users[u.ID] = &storage.User{ID: u.ID, Username: u.Username, Password: Password, FirstName: u.FirstName,
			LastName: u.LastName, Email: u.Email, EmailVerified: true, PreferredLanguage: language.German}
		p.claims[u.ID] = maps.Clone(u.Claims)
	}
	clients := map[string]*storage.Client{}
	for _, c := range o.Clients {
		clients[c.ID] = storage.WebClient(c.ID, c.Secret, c.RedirectURIs...)
	}
	st := &claimStorage{Storage: storage.NewStorageWithClients(users, clients), op: p}
	var h http.Handler = exampleop.SetupServer(issuer, st, nil, false)
	if o.Wrap != nil {
		h = o.Wrap(h)
	}
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.isDown() {
			http.Error(w, "provider down", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	})
	srv.Start()
	t.Cleanup(srv.Close)
	return p
}

// SetClaims replaces the ID token claims of a user (for the next tokens).
func (p *OP) SetClaims(userID string, claims map[string]any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.claims[userID] = maps.Clone(claims)
}

// SetDown makes the OP answer every request with 503 (down) or serve again.
func (p *OP) SetDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
}

func (p *OP) isDown() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.down
}

func (p *OP) claimsOf(userID string) map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.claims[userID])
}

// userStore implements storage.UserStore with the test's users.
type userStore map[string]*storage.User

func (u userStore) GetUserByID(id string) *storage.User { return u[id] }
func (u userStore) GetUserByUsername(name string) *storage.User {
	for _, usr := range u {
		if usr.Username == name {
			return usr
		}
	}
	return nil
}
func (u userStore) ExampleClientID() string { return storage.ServiceUserID }

// claimStorage wraps the example storage and adds custom claims to ID tokens.
type claimStorage struct {
	*storage.Storage
	op *OP
}

func (s *claimStorage) SetUserinfoFromRequest(ctx context.Context, ui *zoidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, req, scopes); err != nil {
		return err
	}
	for k, v := range s.op.claimsOf(req.GetSubject()) {
		ui.AppendClaims(k, v)
	}
	return nil
}

var loginFormID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// SubmitLogin fills in and sends the OP's login form that resp (with body)
// shows, as user username with Password, using c (a client with cookie
// jar). It returns the final response of c and its body.
func SubmitLogin(t testing.TB, c *http.Client, resp *http.Response, body, username string) (*http.Response, string) {
	t.Helper()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != LoginPath {
		t.Fatalf("expected the OP login page, got %d at %s: %.200s", resp.StatusCode, resp.Request.URL, body)
	}
	m := loginFormID.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("login form has no id field: %.300s", body)
	}
	action := resp.Request.URL.ResolveReference(&url.URL{Path: LoginPath})
	r2, err := c.PostForm(action.String(), url.Values{"id": {m[1]}, "username": {username}, "password": {Password}})
	if err != nil {
		t.Fatalf("POST login: %v", err)
	}
	defer r2.Body.Close()
	b, _ := io.ReadAll(r2.Body)
	return r2, string(b)
}
