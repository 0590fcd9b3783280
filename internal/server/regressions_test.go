package server_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// Defects found from outside and in review, each pinned by a test.

// A renamed article's old slug redirects to the new one percent-encoded
// (a header is ASCII), keeping the query: include= survives.
func TestMovedArticleKeepsQuery(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		a := e.draft(tok, map[string]any{"title": "مرفأ بيروت", "language": "ar"})
		e.publish(tok, a.ID, "")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, body: map[string]any{"slug": "انفجار-المرفأ"}, token: tok}), http.StatusOK, "")
		r := e.do(req{method: "GET", path: "/api/v1/articles/slug/" + url.PathEscape(a.Slug) + "?include=related&related_limit=3"})
		want(t, r, http.StatusMovedPermanently, "moved_permanently")
		wantLoc := "/api/v1/articles/slug/" + url.PathEscape("انفجار-المرفأ") + "?include=related&related_limit=3"
		if loc := r.Header.Get("Location"); loc != wantLoc {
			t.Fatalf("Location %q, want %q", loc, wantLoc)
		}
		// Following it lands on the page with its blocks.
		r = e.do(req{method: "GET", path: wantLoc})
		want(t, r, http.StatusOK, "")
		if !strings.Contains(string(r.Body), `"related":[`) {
			t.Fatalf("redirect target lost include=: %s", r.Body)
		}
	})
}

// The article page checks its parameters before reading the database,
// and answers every block it was asked for, empty or not.
func TestArticlePageParameters(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, noCache) // counts the statements a request itself runs
		tok := e.newsroom()
		a := e.draft(tok, map[string]any{"title": "Alone"})
		e.publish(tok, a.ID, "")
		for _, q := range []string{"include=nope", "related_limit=99", "popular_window=1y", "extra=1", "include=related&popular_lang=!!"} {
			before := e.store.Queries()
			want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID + "?" + q}), http.StatusBadRequest, content.EINVALID)
			if n := e.store.Queries() - before; n != 0 {
				t.Errorf("?%s ran %d statements before refusing", q, n)
			}
		}
		// Nothing related, nothing popular: both keys, both empty.
		r := e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID + "?include=related,popular"})
		want(t, r, http.StatusOK, "")
		var page struct {
			Data map[string]json.RawMessage `json:"data"`
		}
		r.decode(t, &page)
		for _, key := range []string{"related", "popular"} {
			if got := string(page.Data[key]); got != "[]" {
				t.Errorf("%s = %q, want []", key, got)
			}
		}
		// Not asked for: absent.
		r = e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID})
		if strings.Contains(string(r.Body), `"related"`) || strings.Contains(string(r.Body), `"popular"`) {
			t.Fatalf("blocks not asked for: %s", r.Body)
		}
	})
}

// Feeds name themselves on the site, whatever Host the request carried.
func TestFeedSelfLinkOnSite(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		tok := e.newsroom()
		e.publish(tok, e.draft(tok, nil).ID, "")
		r := e.do(req{method: "GET", path: "/feeds/category/news.atom", header: map[string]string{"Host": "evil.example"}})
		want(t, r, http.StatusOK, "")
		var feed struct {
			ID    string `xml:"id"`
			Links []struct {
				Href string `xml:"href,attr"`
				Rel  string `xml:"rel,attr"`
			} `xml:"link"`
		}
		if err := xml.Unmarshal(r.Body, &feed); err != nil {
			t.Fatal(err)
		}
		self := testSite.URL + "/feeds/category/news.atom"
		if feed.ID != self {
			t.Errorf("feed id %q, want %q", feed.ID, self)
		}
		for _, l := range feed.Links {
			if l.Rel == "self" && l.Href != self {
				t.Errorf("self link %q, want %q", l.Href, self)
			}
		}
	})
}

// Tag and author lists page; meta.total counts them all.
func TestTermListsPage(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		e.newsroom() // 3 tags: Climate, Economy, سوريا; 2 authors
		var got struct {
			Data []struct {
				Name string `json:"name"`
			} `json:"data"`
			Meta struct {
				Limit, Page int
				Total       int
			} `json:"meta"`
		}
		for _, c := range []struct {
			path  string
			names []string
		}{
			{"/api/v1/tags", []string{"Climate", "Economy", "سوريا"}},
			{"/api/v1/tags?limit=2", []string{"Climate", "Economy"}},
			{"/api/v1/tags?limit=2&page=2", []string{"سوريا"}},
			{"/api/v1/tags?limit=2&page=3", nil},
			{"/api/v1/authors?limit=1&page=2", []string{"Rania Haddad"}},
		} {
			r := e.do(req{method: "GET", path: c.path})
			want(t, r, http.StatusOK, "")
			got.Data = nil
			r.decode(t, &got)
			var names []string
			for _, d := range got.Data {
				names = append(names, d.Name)
			}
			wantTotal := 3
			if strings.Contains(c.path, "authors") {
				wantTotal = 2
			}
			if strings.Join(names, ",") != strings.Join(c.names, ",") || got.Meta.Total != wantTotal {
				t.Errorf("%s: %v total %d, want %v total %d", c.path, names, got.Meta.Total, c.names, wantTotal)
			}
		}
		for _, bad := range []string{"/api/v1/tags?limit=0", "/api/v1/tags?limit=1001", "/api/v1/authors?page=0", "/api/v1/tags?sort=name"} {
			want(t, e.do(req{method: "GET", path: bad}), http.StatusBadRequest, content.EINVALID)
		}
	})
}

// Error messages say what is invalid once.
func TestInvalidMessagesNotDoubled(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		for _, r := range []*response{
			e.do(req{method: "POST", path: "/api/v1/newsletter/subscriptions", body: map[string]any{"email": "not an address"}}),
			e.do(req{method: "POST", path: "/api/v1/webhooks", body: map[string]any{"url": "https://hooks.example.com/x", "events": []string{"nope"}}, token: admin}),
		} {
			want(t, r, http.StatusBadRequest, content.EINVALID)
			if strings.Count(string(r.Body), "is invalid") != 1 {
				t.Errorf("message: %s", r.Body)
			}
		}
	})
}

// A newcomer's first requests find their way: the API index links the
// collections and the docs; / and /docs/ lead to the docs page.
func TestFirstRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	r := e.do(req{method: "GET", path: "/api/v1"})
	want(t, r, http.StatusOK, "")
	var index struct {
		Data struct {
			Docs  string            `json:"docs"`
			Links map[string]string `json:"links"`
		} `json:"data"`
	}
	r.decode(t, &index)
	if index.Data.Docs != "/docs" || index.Data.Links["articles"] != "/api/v1/articles" {
		t.Fatalf("index: %s", r.Body)
	}
	for path, loc := range map[string]string{"/": "/docs", "/docs/": "/docs"} {
		r := e.do(req{method: "GET", path: path})
		if r.Status/100 != 3 || r.Header.Get("Location") != loc {
			t.Errorf("%s: %d to %q", path, r.Status, r.Header.Get("Location"))
		}
	}
}

// TestSyncChanges: an app keeps an offline copy through /changes:
// upserts with the article as readers see it now, tombstones for what
// was unpublished or deleted, each article once, paged, cursors that
// expire after the retention with 410.
func TestSyncChanges(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		type changes struct {
			Data []struct {
				Type    string `json:"type"`
				ID      string `json:"id"`
				Article *struct {
					Title string `json:"title"`
				} `json:"article"`
			} `json:"data"`
			Meta struct {
				NextCursor string `json:"next_cursor"`
				HasMore    bool   `json:"has_more"`
			} `json:"meta"`
		}
		get := func(query string) changes {
			t.Helper()
			r := e.do(req{method: "GET", path: "/api/v1/changes?" + query})
			want(t, r, http.StatusOK, "")
			var c changes
			r.decode(t, &c)
			return c
		}
		summary := func(c changes) string {
			var parts []string
			for _, d := range c.Data {
				s := d.Type + ":" + d.ID
				if d.Article != nil {
					s += ":" + d.Article.Title
				}
				parts = append(parts, s)
			}
			return strings.Join(parts, " ")
		}
		start := get("since=latest")
		a := e.draft(tok, map[string]any{"title": "A"})
		b := e.draft(tok, map[string]any{"title": "B"})
		e.draft(tok, map[string]any{"title": "Never published"})
		e.publish(tok, a.ID, "")
		e.publish(tok, b.ID, "")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, token: tok, body: map[string]any{"title": "A, edited"}}), http.StatusOK, "")
		want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + b.ID + "/unpublish", token: tok}), http.StatusOK, "")
		got := get("since=" + start.Meta.NextCursor)
		if s := summary(got); s != "upsert:"+a.ID+":A, edited delete:"+b.ID || got.Meta.HasMore {
			t.Fatalf("changes: %s (more %v)", s, got.Meta.HasMore)
		}
		if again := get("since=" + got.Meta.NextCursor); len(again.Data) != 0 || again.Meta.NextCursor != got.Meta.NextCursor {
			t.Fatalf("nothing new: %s", summary(again))
		}
		// Paged: one at a time.
		first := get("limit=1&since=" + start.Meta.NextCursor)
		if len(first.Data) != 1 || !first.Meta.HasMore {
			t.Fatalf("first page: %s (more %v)", summary(first), first.Meta.HasMore)
		}
		want(t, e.do(req{method: "DELETE", path: "/api/v1/articles/" + a.ID, token: tok}), http.StatusNoContent, "")
		if s := summary(get("since=" + got.Meta.NextCursor)); s != "delete:"+a.ID {
			t.Fatalf("after deleting: %s", s)
		}
		// updated_since on the list too.
		r := e.do(req{method: "GET", path: "/api/v1/articles?updated_since=2099-01-01T00:00:00Z"})
		want(t, r, http.StatusOK, "")
		if strings.Contains(string(r.Body), `"id"`) {
			t.Fatalf("updated_since in the future listed %s", r.Body)
		}
		for _, bad := range []string{"since=x", "since=latest&limit=0", "limit=501"} {
			want(t, e.do(req{method: "GET", path: "/api/v1/changes?" + bad}), http.StatusBadRequest, content.EINVALID)
		}
		// Thirty-one days on, the log is pruned: the old cursor must resync.
		e.clock.Advance(31 * 24 * time.Hour)
		tok = e.login("editor@example.com", testPassword).AccessToken
		e.publish(tok, e.draft(tok, map[string]any{"title": "Later"}).ID, "")
		if err := e.store.PruneChanges(context.Background(), e.clock.Now().Add(-content.ChangeRetention)); err != nil {
			t.Fatal(err)
		}
		want(t, e.do(req{method: "GET", path: "/api/v1/changes?since=" + start.Meta.NextCursor}), http.StatusGone, content.ECURSOREXPIRED)
	})
}
