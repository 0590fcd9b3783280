package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/masthead/masthead/docs"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/media"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
	"github.com/masthead/masthead/internal/views"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var testSecret = []byte("test-secret-that-is-at-least-32-bytes-long")

// published is the OpenAPI 3 document the server serves; every response
// a test receives is validated against it.
var published = sync.OnceValues(func() (routers.Router, error) { return router(false) })

// publishedSparse is the document as it applies to a fields= answer,
// whose articles hold only the fields asked for, as the parameter says:
// the article schemas' required lists do not apply. Tests of fields=
// check which keys came.
var publishedSparse = sync.OnceValues(func() (routers.Router, error) { return router(true) })

func router(sparse bool) (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPIJSON)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	if sparse {
		for _, name := range []string{"api.ArticleSummary", "api.Article", "api.SearchResult"} {
			doc.Components.Schemas[name].Value.Required = nil
		}
	}
	return gorillamux.NewRouter(doc)
}

// noCache turns the response cache off, for tests that count what one
// request does.
func noCache(c *server.Config) { c.NoCache = true }

// env is a real server over a real database, reached over HTTP.
type env struct {
	t      testing.TB
	store  *store.Store
	tokens *auth.Tokens
	srv    *httptest.Server
	server *server.Server
	views  *views.Counter
	clock  *clock.Clock // the one clock of the store, the counter and the tokens
	url    string       // the database's, for a second server on it
}

func newEnv(t testing.TB, engine store.Engine, opts ...func(*server.Config)) *env {
	t.Helper()
	return newEnvAt(t, testdb.URL(t, engine), opts...)
}

// newEnvAt is newEnv on the database at u: two envs on one database are
// two replicas.
func newEnvAt(t testing.TB, u string, opts ...func(*server.Config)) *env {
	t.Helper()
	clk := clock.New()
	tokens, err := auth.NewTokens(testSecret, clk)
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.Config{Tokens: tokens, Clock: clk}
	for _, o := range opts {
		o(&cfg)
	}
	// The store is wired as run() wires it: on the one clock, with
	// webhook payloads linking to the site.
	s := testdb.OpenURL(t, u, clk, cfg.Site)
	counter := views.New(s, nil, clk)
	cfg.Store, cfg.Views = s, counter
	if cfg.Media == nil {
		cfg.Media = &media.Library{Storage: media.Disk{Dir: t.TempDir()}, Limits: media.DefaultLimits}
	}
	cfg.Media.Store = s
	if l := s.Listener(nil); l != nil {
		// As serve runs it: this replica hears the others' writes.
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { l.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	srv := server.New(cfg)
	hs := httptest.NewUnstartedServer(srv)
	hs.Config.MaxHeaderBytes = server.MaxHeaderBytes // as serve sets it
	hs.Start()
	t.Cleanup(hs.Close)
	return &env{t: t, store: s, tokens: tokens, srv: hs, server: srv, views: counter, clock: clk, url: u}
}

// response is what a request got back.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// decode unmarshals the body into v.
func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// errorCode returns the error code of an error body ("" when none).
func (r *response) errorCode() string {
	var e struct {
		Error struct {
			Code      string `json:"code"`
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

func (r *response) fields() map[string]string {
	var e struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Fields
}

// req describes one request.
type req struct {
	method, path string
	body         any // marshalled as JSON; a string or []byte is sent as is
	token        string
	header       map[string]string
	contentType  string
}

// do sends r and checks the response against the published schema.
func (e *env) do(r req) *response {
	e.t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		body = bytes.NewReader(js)
	}
	hr, err := http.NewRequest(r.method, e.srv.URL+r.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		ct := r.contentType
		if ct == "" {
			ct = "application/json"
		}
		hr.Header.Set("Content-Type", ct)
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	out := &response{Status: resp.StatusCode, Header: resp.Header, Body: got}
	e.validate(hr, out)
	// 503 and 507 are the answers to faults (database away, disk full),
	// which tests cause on purpose and check with want.
	if resp.StatusCode >= 500 && resp.StatusCode != http.StatusServiceUnavailable && resp.StatusCode != http.StatusInsufficientStorage {
		e.t.Errorf("%s %s: status %d: %s", r.method, r.path, resp.StatusCode, got)
	}
	if resp.StatusCode >= 400 && (out.errorCode() == "" || !strings.Contains(string(got), `"request_id"`)) && r.method != http.MethodHead {
		e.t.Errorf("%s %s: status %d without the error shape: %s", r.method, r.path, resp.StatusCode, got)
	}
	return out
}

// validate checks a response against the published OpenAPI document:
// documented status, headers and body schema.
func (e *env) validate(hr *http.Request, r *response) {
	e.t.Helper()
	router, err := published()
	if hr.URL.Query().Has("fields") {
		router, err = publishedSparse()
	}
	if err != nil {
		e.t.Fatalf("published OpenAPI document: %v", err)
	}
	if hr.Method == http.MethodHead {
		return // HEAD is GET without a body; the document lists GET
	}
	route, params, err := router.FindRoute(hr)
	if err != nil {
		if strings.HasPrefix(hr.URL.Path, "/api/") && r.Status != http.StatusNotFound && r.Status != http.StatusMethodNotAllowed {
			e.t.Errorf("%s %s answered %d but is not in the published document", hr.Method, hr.URL.Path, r.Status)
		}
		return
	}
	// The cache's headers are where the document says: on every anonymous
	// 200 of a cached operation, and nowhere else.
	if r.Status == http.StatusOK {
		declared := false
		if ok := route.Operation.Responses.Status(200); ok != nil && ok.Value != nil {
			_, declared = ok.Value.Headers["Surrogate-Key"]
		}
		got := r.Header.Get("Surrogate-Key") != ""
		// A token or a preview link keeps an answer out of every cache.
		anonymous := hr.Header.Get("Authorization") == "" && !hr.URL.Query().Has("preview")
		if got && !declared || declared && anonymous && !got {
			e.t.Errorf("%s %s: Surrogate-Key sent %v, documented %v: update cachedOperations in cmd/openapigen/contract.go or the route's cache", hr.Method, hr.URL.Path, got, declared)
		}
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: hr, PathParams: params, Route: route, Options: opts},
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		e.t.Errorf("%s %s: response %d does not match the published schema: %v\nbody: %.500s", hr.Method, hr.URL.Path, r.Status, err, r.Body)
	}
}

// want checks a response's status and, for errors, its code.
func want(t testing.TB, r *response, status int, code string) {
	t.Helper()
	if r.Status != status || r.errorCode() != code {
		t.Fatalf("got %d %q, want %d %q: %s", r.Status, r.errorCode(), status, code, r.Body)
	}
}

// user creates a user with the given role and returns an access token.
func (e *env) user(role content.Role, email string) (token, id string) {
	e.t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	u := &content.User{Email: email, Name: string(role), Role: role, PasswordHash: hash}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return e.login(email, testPassword).AccessToken, u.ID
}

const testPassword = "Correct-Horse-Battery-9"

type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

func (e *env) login(email, password string) tokens {
	e.t.Helper()
	r := e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": email, "password": password}})
	want(e.t, r, http.StatusOK, "")
	var out struct{ Data tokens }
	r.decode(e.t, &out)
	return out.Data
}

// newsroom makes sections news (with child syria) and opinion, tags and
// authors, and returns an editor's token.
func (e *env) newsroom() string {
	e.t.Helper()
	tok, _ := e.user(content.RoleEditor, "editor@example.com")
	for _, b := range []map[string]any{
		{"name": "News", "position": 1}, {"name": "Opinion", "position": 2}, {"name": "Syria", "parent": "news"},
	} {
		want(e.t, e.do(req{method: "POST", path: "/api/v1/categories", body: b, token: tok}), http.StatusCreated, "")
	}
	for _, name := range []string{"Economy", "Climate", "سوريا"} {
		want(e.t, e.do(req{method: "POST", path: "/api/v1/tags", body: map[string]any{"name": name}, token: tok}), http.StatusCreated, "")
	}
	for _, name := range []string{"Levant Desk", "Rania Haddad"} {
		want(e.t, e.do(req{method: "POST", path: "/api/v1/authors", body: map[string]any{"name": name}, token: tok}), http.StatusCreated, "")
	}
	return tok
}

type article struct {
	ID          string `json:"id"`
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Status      string `json:"status"`
	BodyHTML    string `json:"body_html"`
	Version     int    `json:"version"`
	PublishedAt string `json:"published_at"`
	Direction   string `json:"direction"`
	Excerpt     string `json:"excerpt"`
	Category    struct {
		Slug string `json:"slug"`
	} `json:"category"`
	Tags []struct {
		Slug string `json:"slug"`
	} `json:"tags"`
	Authors []struct {
		Slug string `json:"slug"`
	} `json:"authors"`
}

// draft creates a draft with the given overrides and returns it.
func (e *env) draft(token string, fields map[string]any) article {
	e.t.Helper()
	body := map[string]any{"title": "Story", "body": "Some *text*.", "language": "en", "category": "news", "authors": []string{"levant-desk"}}
	for k, v := range fields {
		body[k] = v
	}
	r := e.do(req{method: "POST", path: "/api/v1/articles", body: body, token: token})
	want(e.t, r, http.StatusCreated, "")
	var out struct{ Data article }
	r.decode(e.t, &out)
	return out.Data
}

// publish publishes id, at a given RFC 3339 time when at is not "".
func (e *env) publish(token, id, at string) article {
	e.t.Helper()
	var body any
	if at != "" {
		body = map[string]string{"published_at": at}
	}
	r := e.do(req{method: "POST", path: "/api/v1/articles/" + id + "/publish", body: body, token: token})
	want(e.t, r, http.StatusOK, "")
	var out struct{ Data article }
	r.decode(e.t, &out)
	return out.Data
}

type list struct {
	Data []article `json:"data"`
	Meta struct {
		Limit      int    `json:"limit"`
		Page       int    `json:"page"`
		Total      *int   `json:"total"`
		NextCursor string `json:"next_cursor"`
	} `json:"meta"`
}

func (e *env) list(path, token string) list {
	e.t.Helper()
	r := e.do(req{method: "GET", path: path, token: token})
	want(e.t, r, http.StatusOK, "")
	var out list
	r.decode(e.t, &out)
	return out
}
