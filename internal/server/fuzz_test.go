package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
)

// Fuzz targets for the HTTP decoders: JSON bodies of every write route,
// query strings of the reader routes (cursors among them). Whatever the
// input, the answer is never a 5xx, and an error comes in the one shape.
// They drive the real handler stack over a real SQLite store; .ci/run
// runs each for a bounded time and the corpus is kept in testdata/fuzz.

// fuzzRoutes are the write routes a body is fuzzed against; %s is an
// article id, %t a tag slug.
var fuzzRoutes = []struct{ method, path string }{
	{"POST", "/api/v1/articles"}, {"PATCH", "/api/v1/articles/%s"}, {"POST", "/api/v1/articles/%s/publish"},
	{"PUT", "/api/v1/articles/%s/related"}, {"POST", "/api/v1/articles/%s/views"},
	{"POST", "/api/v1/categories"}, {"PATCH", "/api/v1/categories/news"}, {"POST", "/api/v1/tags"}, {"PATCH", "/api/v1/tags/economy"},
	{"POST", "/api/v1/authors"}, {"PATCH", "/api/v1/authors/levant-desk"}, {"POST", "/api/v1/users"},
	{"POST", "/api/v1/auth/login"}, {"POST", "/api/v1/auth/refresh"}, {"POST", "/api/v1/auth/password"},
	{"POST", "/api/v1/newsletter/subscriptions"}, {"POST", "/api/v1/newsletter/confirm"}, {"POST", "/api/v1/newsletter/unsubscribe"},
	{"POST", "/api/v1/webhooks"},
}

// fuzzEnv is a server with content to write to, and an admin's token.
func fuzzEnv(f *testing.F) (*env, string, string) {
	e := newEnv(f, store.SQLite)
	e.newsroom()
	admin, _ := e.user(content.RoleAdmin, "admin@example.com")
	a := e.draft(admin, nil)
	return e, admin, a.ID
}

// serve sends one request in-process and checks the answer's shape.
func serveFuzz(t *testing.T, e *env, method, target, token string, body []byte) {
	hr := httptest.NewRequest(method, "/", bytes.NewReader(body))
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return // not a request a client could send
	}
	hr.URL, hr.RequestURI = u, target
	hr.Header.Set("Content-Type", "application/json")
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.server.ServeHTTP(rec, hr)
	if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("%s %s %q: %d %s", method, target, body, rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		var shape struct {
			Error struct {
				Code      string `json:"code"`
				RequestID string `json:"request_id"`
			} `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &shape); err != nil || shape.Error.Code == "" || shape.Error.RequestID == "" {
			t.Fatalf("%s %s %q: %d without the error shape: %s", method, target, body, rec.Code, rec.Body)
		}
	}
}

func FuzzWriteRoutes(f *testing.F) {
	e, admin, id := fuzzEnv(f)
	for i := range fuzzRoutes {
		for _, b := range []string{`{}`, `{"title":"x","body":"y","language":"ar","category":"news","authors":["levant-desk"]}`,
			`{"name":"\u202Ex"}`, `{"published_at":"0000-01-01T00:00:00Z"}`, `{"ids":["` + id + `"]}`, `{"email":"a@b.c","password":"x"}`,
			`{"url":"http://169.254.169.254/","events":["*"]}`, `[]`, `{"title":1}`, `{"tags":"x"}`, "\x00", `{"a":` + strings.Repeat("[", 500)} {
			f.Add(uint8(i), []byte(b))
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		r := fuzzRoutes[int(route)%len(fuzzRoutes)]
		serveFuzz(t, e, r.method, strings.ReplaceAll(r.path, "%s", id), admin, body)
	})
}

func FuzzReaderQueries(f *testing.F) {
	e, admin, id := fuzzEnv(f)
	paths := []string{"/api/v1/articles", "/api/v1/search", "/api/v1/home", "/api/v1/articles/popular",
		"/api/v1/articles/" + id, "/api/v1/articles/" + id + "/related", "/api/v1/tags", "/api/v1/newsletter/subscribers",
		"/feeds/latest.rss", "/sitemap.xml"}
	for i := range paths {
		for _, q := range []string{"", "limit=0", "cursor=eyJrIjoiMDAwMS0wMS0wMVQwMDowMDowMFoiLCJpIjoiXHUwMDAwIiwicyI6Ii1wdWJsaXNoZWRfYXQifQ",
			"q=%D9%85%D8%B1%D9%81%D8%A3", "since=0001-01-01T00:00:00Z", "page=99999", "include=related,popular&popular_window=7d",
			"category=%00", "q=\"unclosed", "fields=id,nope", "status=draft&lang=xx-yy-zz", "%%%", "sort=-published_at&cursor=!"} {
			f.Add(uint8(i), q, false)
			f.Add(uint8(i), q, true)
		}
	}
	f.Fuzz(func(t *testing.T, path uint8, query string, withToken bool) {
		token := ""
		if withToken {
			token = admin
		}
		serveFuzz(t, e, "GET", paths[int(path)%len(paths)]+"?"+query, token, nil)
	})
}
