package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// snapshot is what a bad request must leave as it was.
type snapshot struct {
	articles, categories, tags, authors, users int
	article                                    string
}

func (e *env) snapshot(articleID, token string) snapshot {
	e.t.Helper()
	ctx := context.Background()
	page, err := e.store.FindArticles(ctx, content.ArticleFilter{Statuses: content.Statuses, Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	cats, _ := e.store.FindCategories(ctx, false)
	all := content.TermPage{Limit: content.MaxTermLimit, Page: 1}
	tags, _, _ := e.store.FindTags(ctx, all)
	authors, _, _ := e.store.FindAuthors(ctx, all)
	users, _ := e.store.CountUsers(ctx)
	a := e.do(req{method: "GET", path: "/api/v1/articles/" + articleID, token: token})
	return snapshot{len(page.Articles), len(cats), len(tags), len(authors), users, string(a.Body[:strings.LastIndex(string(a.Body), "}")])}
}

// TestWriteRoutesRefuseBadInput sends every write route the bad input the
// internet will send it. Each answer is a 4xx in the error shape (do
// fails the test on a 5xx), and nothing stored changes.
func TestWriteRoutesRefuseBadInput(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		admin, userID := e.user(content.RoleAdmin, "admin@example.com")
		a := e.draft(tok, map[string]any{"title": "Untouched"})
		before := e.snapshot(a.ID, tok)

		routes := []struct {
			method, path, token string
			owned               string         // a server-owned field to send
			wrongType           map[string]any // a field of the wrong type
		}{
			{"POST", "/api/v1/articles", tok, "status", map[string]any{"title": 42}},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, "body_html", map[string]any{"tags": "economy"}},
			{"POST", "/api/v1/articles/" + a.ID + "/publish", tok, "status", map[string]any{"published_at": "tomorrow"}},
			{"POST", "/api/v1/categories", tok, "article_count", map[string]any{"position": "first"}},
			{"PATCH", "/api/v1/categories/news", tok, "id", map[string]any{"name": []string{"x"}}},
			{"POST", "/api/v1/tags", tok, "created_at", map[string]any{"name": true}},
			{"PATCH", "/api/v1/tags/economy", tok, "id", map[string]any{"slug": 7}},
			{"POST", "/api/v1/authors", tok, "id", map[string]any{"bio": 1.5}},
			{"PATCH", "/api/v1/authors/levant-desk", tok, "updated_at", map[string]any{"avatar_url": false}},
			{"POST", "/api/v1/users", admin, "password_hash", map[string]any{"disabled": "no"}},
			{"PATCH", "/api/v1/users/" + userID, admin, "created_at", map[string]any{"role": 1}},
			{"POST", "/api/v1/auth/login", "", "id", map[string]any{"email": 1}},
			{"POST", "/api/v1/auth/refresh", "", "id", map[string]any{"refresh_token": 1}},
			{"POST", "/api/v1/auth/password", admin, "id", map[string]any{"new_password": 1}},
		}
		huge := `{"title": "` + strings.Repeat("x", 2<<20) + `"}`
		for _, rt := range routes {
			cases := []struct {
				name        string
				body        any
				contentType string
				status      int
				code        string
			}{
				{"MalformedJSON", `{"title": `, "", 400, content.EINVALID},
				{"NotAnObject", `["title"]`, "", 400, content.EINVALID},
				{"TrailingGarbage", `{} {}`, "", 400, content.EINVALID},
				{"WrongType", rt.wrongType, "", 400, content.EINVALID},
				{"UnknownField", map[string]any{"colour": "red"}, "", 400, content.EINVALID},
				{"ServerOwnedField", map[string]any{rt.owned: "x"}, "", 400, content.EINVALID},
				{"BadUTF8", []byte("{\"title\": \"\xff\xfe\"}"), "", 400, content.EINVALID},
				{"TooLarge", huge, "", 413, content.ETOOLARGE},
				{"NotJSON", "title=x", "application/x-www-form-urlencoded", 415, content.EUNSUPPORTEDMEDIA},
			}
			for _, tc := range cases {
				r := e.do(req{method: rt.method, path: rt.path, token: rt.token, body: tc.body, contentType: tc.contentType})
				if r.Status != tc.status || r.errorCode() != tc.code {
					t.Errorf("%s %s %s: got %d %s", rt.method, rt.path, tc.name, r.Status, r.Body)
				}
				if tc.name == "ServerOwnedField" && r.fields()[rt.owned] == "" {
					t.Errorf("%s %s: server-owned %q not named: %s", rt.method, rt.path, rt.owned, r.Body)
				}
			}
		}

		// Field checks, each naming the field.
		long := strings.Repeat("ب", 301)
		fieldCases := []struct {
			method, path, token string
			body                map[string]any
			field               string
		}{
			{"POST", "/api/v1/articles", tok, map[string]any{"body": "x", "language": "en", "category": "news", "authors": []string{"levant-desk"}}, "title"},
			{"POST", "/api/v1/articles", tok, map[string]any{"title": "x", "language": "en", "category": "news", "authors": []string{"levant-desk"}}, "body"},
			{"POST", "/api/v1/articles", tok, map[string]any{"title": "x", "body": "x", "category": "news", "authors": []string{"levant-desk"}}, "language"},
			{"POST", "/api/v1/articles", tok, map[string]any{"title": "x", "body": "x", "language": "en", "authors": []string{"levant-desk"}}, "category"},
			{"POST", "/api/v1/articles", tok, map[string]any{"title": "x", "body": "x", "language": "en", "category": "news"}, "authors"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"title": long}, "title"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"title": "   "}, "title"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"title": "a\x00b"}, "title"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"title": "<script>alert(1)</script>"}, "title"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"subtitle": "<img src=x onerror=alert(1)>"}, "subtitle"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"body": "nul \x00 byte"}, "body"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"format": "poem"}, "format"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"body_format": "docx"}, "body_format"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"language": "klingon!"}, "language"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"slug": "Has Spaces"}, "slug"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"slug": "news\u202e"}, "slug"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"slug": "zero\u200bwidth"}, "slug"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"slug": "'; DROP TABLE articles; --"}, "slug"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"category": "' OR 1=1 --"}, "category"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"tags": []string{"economy", "no-such-tag"}}, "tags"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"authors": []string{}}, "authors"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"authors": []string{"<script>"}}, "authors"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"cover": map[string]any{"url": "javascript:alert(1)"}}, "cover.url"},
			{"PATCH", "/api/v1/articles/" + a.ID, tok, map[string]any{"breaking_until": "soon"}, "breaking_until"},
			{"POST", "/api/v1/categories", tok, map[string]any{"name": "Sub", "parent": "syria"}, "parent"},
			{"POST", "/api/v1/categories", tok, map[string]any{"name": "X", "position": -1}, "position"},
			{"POST", "/api/v1/categories", tok, map[string]any{"name": "!!!"}, "slug"},
			{"PATCH", "/api/v1/categories/news", tok, map[string]any{"parent": "news"}, "parent"},
			{"POST", "/api/v1/tags", tok, map[string]any{"name": strings.Repeat("t", 121)}, "name"},
			{"POST", "/api/v1/authors", tok, map[string]any{"name": "A", "avatar_url": "ftp://x"}, "avatar_url"},
			{"POST", "/api/v1/authors", tok, map[string]any{"name": "A", "user_id": "nobody"}, "user_id"},
			{"POST", "/api/v1/auth/login", "", map[string]any{"email": "", "password": ""}, "email"},
			{"POST", "/api/v1/auth/password", admin, map[string]any{"current_password": testPassword, "new_password": "short"}, "new_password"},
		}
		for _, tc := range fieldCases {
			r := e.do(req{method: tc.method, path: tc.path, token: tc.token, body: tc.body})
			if r.Status != http.StatusBadRequest || r.fields()[tc.field] == "" {
				t.Errorf("%s %s %v: got %d %s, want 400 naming %s", tc.method, tc.path, tc.body, r.Status, r.Body, tc.field)
			}
		}
		// Conflicts: taken slugs, also after NFC normalisation.
		want(t, e.do(req{method: "POST", path: "/api/v1/tags", body: map[string]any{"name": "Economy again", "slug": "economy"}, token: tok}), http.StatusConflict, content.ECONFLICT)
		want(t, e.do(req{method: "POST", path: "/api/v1/categories", body: map[string]any{"name": "Café", "slug": "cafe\u0301"}, token: tok}), http.StatusCreated, "")
		want(t, e.do(req{method: "POST", path: "/api/v1/categories", body: map[string]any{"name": "Café 2", "slug": "caf\u00e9"}, token: tok}), http.StatusConflict, content.ECONFLICT)
		want(t, e.do(req{method: "DELETE", path: "/api/v1/categories/news", token: tok}), http.StatusConflict, content.ECONFLICT)
		want(t, e.do(req{method: "DELETE", path: "/api/v1/authors/levant-desk", token: tok}), http.StatusConflict, content.ECONFLICT)
		want(t, e.do(req{method: "DELETE", path: "/api/v1/categories/cafe\u0301", token: tok}), http.StatusNoContent, "")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, body: map[string]any{"title": "x"}, token: tok, header: map[string]string{"If-Match": "nonsense"}}), http.StatusPreconditionFailed, content.EPRECONDITIONFAILED)

		if after := e.snapshot(a.ID, tok); after != before {
			t.Errorf("bad input changed what is stored:\nbefore %+v\nafter  %+v", before, after)
		}
		// SQL metacharacters in text are data, stored and returned verbatim.
		sneaky := `Robert'); DROP TABLE articles; -- "quoted" \ backslash`
		r := e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, body: map[string]any{"title": sneaky}, token: tok})
		want(t, r, http.StatusOK, "")
		var got struct{ Data article }
		r.decode(t, &got)
		if got.Data.Title != sneaky {
			t.Errorf("title stored as %q", got.Data.Title)
		}
	})
}

// TestErrorShape checks that echo's own errors leave in our shape too.
func TestErrorShape(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		want(t, e.do(req{method: "GET", path: "/api/v1/nope"}), http.StatusNotFound, content.ENOTFOUND)
		want(t, e.do(req{method: "GET", path: "/nope"}), http.StatusNotFound, content.ENOTFOUND)
		r := e.do(req{method: "PUT", path: "/api/v1/articles"})
		want(t, r, http.StatusMethodNotAllowed, content.EMETHODNOTALLOWED)
		if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Errorf("Allow %q", allow)
		}
		r = e.do(req{method: "GET", path: "/api/v1/articles"})
		for h, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"} {
			if r.Header.Get(h) != v {
				t.Errorf("%s: %q", h, r.Header.Get(h))
			}
		}
		if r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Error("CORS header without an allow-list")
		}
		for _, p := range []string{"/healthz", "/readyz", "/openapi.json", "/openapi.yaml", "/docs", "/docs/swagger-ui-bundle.js", "/docs/init.js"} {
			if r := e.do(req{method: "GET", path: p}); r.Status != http.StatusOK {
				t.Errorf("%s: %d", p, r.Status)
			}
		}
		want(t, e.do(req{method: "GET", path: "/docs/../../etc/passwd"}), http.StatusNotFound, content.ENOTFOUND)
	})
}

func TestCORSAllowList(t *testing.T) {
	t.Parallel() // each test owns its databases
	e := newEnv(t, store.SQLite, func(c *server.Config) { c.CORSOrigins = []string{"https://www.example.com"} })
	for range 2 { // the second from the response cache
		r := e.do(req{method: "GET", path: "/api/v1/articles", header: map[string]string{"Origin": "https://www.example.com"}})
		if r.Header.Get("Access-Control-Allow-Origin") != "https://www.example.com" {
			t.Errorf("allowed origin: %v", r.Header)
		}
	}
	r := e.do(req{method: "GET", path: "/api/v1/articles", header: map[string]string{"Origin": "https://evil.example"}})
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin allowed: %v", r.Header)
	}
}

// TestForwardedForNeedsTrust: the login throttle keys on the client
// address, so a spoofed X-Forwarded-For must not let one client reset it.
func TestForwardedForNeedsTrust(t *testing.T) {
	t.Parallel() // each test owns its databases
	e := newEnv(t, store.SQLite)
	for i := 0; i < 50; i++ {
		e.do(req{method: "POST", path: "/api/v1/auth/login", header: map[string]string{"X-Forwarded-For": "203.0.113." + string(rune('0'+i%10))},
			body: map[string]string{"email": fmt.Sprintf("u%d@example.com", i), "password": "Wrong-Password-1"}})
	}
	r := e.do(req{method: "POST", path: "/api/v1/auth/login", header: map[string]string{"X-Forwarded-For": "198.51.100.7"},
		body: map[string]string{"email": "fresh@example.com", "password": "Wrong-Password-1"}})
	want(t, r, http.StatusTooManyRequests, content.ERATELIMITED)
}
