package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestEditorPublishesArabicStory is the path an editor takes with curl:
// log in, make a section, tag and author, draft in Arabic, publish; a
// reader sees nothing before and finds it by its Arabic slug after.
func TestEditorPublishesArabicStory(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		a := e.draft(tok, map[string]any{
			"title": "انفجار في مرفأ بيروت", "body": "هزّ **انفجار** قوي مرفأ بيروت.", "language": "ar",
			"tags": []string{"سوريا"}, "source": "وكالات",
		})
		if a.Slug != "انفجار-في-مرفأ-بيروت" || a.Direction != "rtl" || a.Status != "draft" {
			t.Fatalf("draft: %+v", a)
		}
		path := "/api/v1/articles/slug/" + url.PathEscape(a.Slug)
		want(t, e.do(req{method: "GET", path: path}), http.StatusNotFound, content.ENOTFOUND)
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID}), http.StatusNotFound, content.ENOTFOUND)
		if got := e.list("/api/v1/articles", ""); len(got.Data) != 0 {
			t.Fatalf("reader list shows a draft: %+v", got.Data)
		}

		e.publish(tok, a.ID, "")
		got := e.list("/api/v1/articles?lang=ar", "")
		if len(got.Data) != 1 || got.Data[0].ID != a.ID {
			t.Fatalf("reader list: %+v", got.Data)
		}
		r := e.do(req{method: "GET", path: path})
		want(t, r, http.StatusOK, "")
		var one struct{ Data article }
		r.decode(t, &one)
		if one.Data.BodyHTML != "<p>هزّ <strong>انفجار</strong> قوي مرفأ بيروت.</p>\n" || one.Data.Tags[0].Slug != "سوريا" || one.Data.Status != "published" {
			t.Fatalf("article: %+v", one.Data)
		}
		if r.Header.Get("ETag") == "" || r.Header.Get("Cache-Control") == "" {
			t.Errorf("reader article lacks ETag or Cache-Control: %v", r.Header)
		}
	})
}

func TestArticleVisibility(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		draft := e.draft(tok, map[string]any{"title": "Draft"})
		archived := e.draft(tok, map[string]any{"title": "Archived"})
		e.publish(tok, archived.ID, "")
		want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + archived.ID + "/archive", token: tok}), http.StatusOK, "")
		scheduled := e.draft(tok, map[string]any{"title": "Scheduled"})
		at := time.Now().UTC().Add(time.Hour)
		if s := e.publish(tok, scheduled.ID, at.Format(time.RFC3339)); s.Status != "scheduled" {
			t.Fatalf("future publish: status %q", s.Status)
		}
		for _, id := range []string{draft.ID, archived.ID, scheduled.ID} {
			want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + id}), http.StatusNotFound, content.ENOTFOUND)
		}
		if got := e.list("/api/v1/articles", ""); len(got.Data) != 0 {
			t.Fatalf("reader list: %+v", got.Data)
		}
		cats := e.do(req{method: "GET", path: "/api/v1/categories/news"})
		if !strings.Contains(string(cats.Body), `"article_count":0`) {
			t.Errorf("category counts invisible articles: %s", cats.Body)
		}
		// Editors list them by status.
		if got := e.list("/api/v1/articles?status=draft,scheduled,archived", tok); len(got.Data) != 3 {
			t.Fatalf("editor status list: %d articles", len(got.Data))
		}
		want(t, e.do(req{method: "GET", path: "/api/v1/articles?status=draft"}), http.StatusUnauthorized, content.EUNAUTHORIZED)

		// The scheduled article appears by itself once its time has come.
		// The clock moves for the tokens too: the editor logs in again.
		e.clock.Advance(2 * time.Hour)
		tok = e.login("editor@example.com", testPassword).AccessToken
		got := e.list("/api/v1/articles", "")
		if len(got.Data) != 1 || got.Data[0].ID != scheduled.ID || got.Data[0].Status != "published" {
			t.Fatalf("after its time: %+v", got.Data)
		}
		// Unpublished: gone again.
		want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + scheduled.ID + "/unpublish", token: tok}), http.StatusOK, "")
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + scheduled.ID}), http.StatusNotFound, content.ENOTFOUND)
		// No reader route shows e-mail addresses or hashes.
		for _, p := range []string{"/api/v1/authors", "/api/v1/articles", "/api/v1/categories", "/api/v1/tags"} {
			body := string(e.do(req{method: "GET", path: p}).Body)
			if strings.Contains(body, "@example.com") || strings.Contains(body, "argon2") {
				t.Errorf("%s leaks: %s", p, body)
			}
		}
	})
}

func TestArticleListFiltersAndPaging(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		ids := map[string]bool{}
		for i := 0; i < 25; i++ {
			fields := map[string]any{"title": fmt.Sprintf("Story %02d", i), "tags": []string{"economy"}}
			if i%5 == 0 {
				fields["category"], fields["tags"], fields["language"] = "syria", []string{"climate"}, "ar"
			}
			if i%7 == 0 {
				fields["featured"], fields["format"] = true, "analysis"
			}
			if i == 3 {
				fields["breaking"] = true
				fields["breaking_until"] = time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
			}
			if i == 4 {
				fields["breaking"], fields["breaking_until"] = true, "2026-01-01T00:00:00Z" // over
			}
			a := e.draft(tok, fields)
			e.publish(tok, a.ID, base.Add(time.Duration(i)*time.Hour).Format(time.RFC3339))
			ids[a.ID] = true
		}
		count := func(q string) int { return len(e.list("/api/v1/articles?limit=100&"+q, "").Data) }
		for q, n := range map[string]int{
			"": 25, "category=news": 25, "category=syria": 5, "category=opinion": 0, "tag=climate": 5,
			"tag=economy": 20, "lang=ar": 5, "lang=en": 20, "featured=true": 4, "featured=false": 21,
			"format=analysis": 4, "breaking=true": 1, "breaking=false": 24, "author=levant-desk": 25,
			"since=2026-01-01T10:00:00Z": 15, "until=2026-01-01T10:00:00Z": 10,
			"since=2026-01-01T10:00:00Z&until=2026-01-01T12:00:00Z": 2, "tag=nope": 0,
			"sort=-updated_at&since=2026-01-01T10:00:00Z": 15, "page=1&category=syria": 5,
		} {
			if got := count(q); got != n {
				t.Errorf("%s: %d articles, want %d", q, got, n)
			}
		}
		// Keyset paging walks everything once, in order, for each sort.
		for _, sort := range []string{"-published_at", "published_at", "-updated_at"} {
			seen := map[string]bool{}
			var prev string
			path := "/api/v1/articles?limit=7&sort=" + sort
			for pages := 0; ; pages++ {
				l := e.list(path, "")
				for _, a := range l.Data {
					if seen[a.ID] {
						t.Fatalf("%s: %s twice", sort, a.ID)
					}
					seen[a.ID] = true
					if sort != "-updated_at" && prev != "" && (sort == "-published_at") != (a.PublishedAt < prev) {
						t.Fatalf("%s: out of order: %s after %s", sort, a.PublishedAt, prev)
					}
					prev = a.PublishedAt
				}
				if l.Meta.NextCursor == "" {
					break
				}
				if pages > 10 {
					t.Fatal("cursor paging does not end")
				}
				path = "/api/v1/articles?limit=7&sort=" + url.QueryEscape(sort) + "&cursor=" + l.Meta.NextCursor
			}
			if len(seen) != 25 {
				t.Fatalf("%s: cursor paging saw %d of 25", sort, len(seen))
			}
		}
		// Offset paging carries the total.
		l := e.list("/api/v1/articles?limit=10&page=3", "")
		if len(l.Data) != 5 || l.Meta.Total == nil || *l.Meta.Total != 25 || l.Meta.Page != 3 {
			t.Fatalf("page 3: %d items, meta %+v", len(l.Data), l.Meta)
		}
		// fields= picks summary fields.
		r := e.do(req{method: "GET", path: "/api/v1/articles?limit=1&fields=id,title"})
		var picked struct{ Data []map[string]any }
		r.decode(t, &picked)
		if diff := cmp.Diff([]string{"id", "title"}, keys(picked.Data[0])); diff != "" {
			t.Errorf("fields=id,title (-want +got):\n%s", diff)
		}
	})
}

func keys(m map[string]any) []string {
	var out []string
	for _, k := range []string{"id", "slug", "title", "excerpt", "tags"} {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	if len(out) != len(m) {
		out = append(out, "…others")
	}
	return out
}

func TestArticleListBadQueries(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		e.newsroom()
		bad := []string{
			"limit=0", "limit=101", "limit=-1", "limit=abc", "limit=99999999999999999999", "page=0", "page=-3",
			"page=10001", "page=1e9", "cursor=garbage", "cursor=" + url.QueryEscape("eyJrIjoi"), "page=2&cursor=x",
			"sort=title", "sort=-id", "sort=" + url.QueryEscape("published_at;DROP TABLE articles"),
			"format=poem", "lang=" + url.QueryEscape("not a language!"), "featured=maybe", "breaking=yes",
			"since=yesterday", "until=2026-13-45", "fields=body", "fields=id,password_hash", "status=deleted",
			"colour=red", "category=%00", "tag=%ff%fe", "title=" + url.QueryEscape("<script>alert(1)</script>"),
			"category=" + strings.Repeat("x", 3000),
		}
		for _, q := range bad {
			r := e.do(req{method: "GET", path: "/api/v1/articles?" + q})
			if r.Status != http.StatusBadRequest || r.errorCode() != content.EINVALID {
				t.Errorf("%s: got %d %s", q, r.Status, r.Body)
			}
		}
		// SQL metacharacters and script tags in filter values are data:
		// they match nothing and break nothing.
		for _, q := range []string{
			"category=" + url.QueryEscape("' OR 1=1 --"), "tag=" + url.QueryEscape("\"; DROP TABLE articles; --"),
			"author=" + url.QueryEscape("<script>alert(1)</script>"), "category=" + url.QueryEscape("news' UNION SELECT * FROM users --"),
		} {
			if l := e.list("/api/v1/articles?"+q, ""); len(l.Data) != 0 {
				t.Errorf("%s matched %d articles", q, len(l.Data))
			}
		}
		for _, p := range []string{"/api/v1/articles/slug/%27%20OR%201%3D1--", "/api/v1/articles/%3Cscript%3E", "/api/v1/tags/%27%3B--", "/api/v1/categories/%E2%80%AEnews"} {
			want(t, e.do(req{method: "GET", path: p}), http.StatusNotFound, content.ENOTFOUND)
		}
		// Every route with a path parameter refuses NUL, invalid UTF-8 and
		// control characters in it before any query runs.
		editor, _ := e.user(content.RoleAdmin, "admin@example.com")
		for _, route := range []struct{ method, path string }{
			{"GET", "/api/v1/articles/%s"}, {"GET", "/api/v1/articles/slug/%s"}, {"GET", "/api/v1/categories/%s"},
			{"GET", "/api/v1/tags/%s"}, {"GET", "/api/v1/authors/%s"}, {"GET", "/api/v1/users/%s"},
			{"DELETE", "/api/v1/articles/%s"}, {"DELETE", "/api/v1/categories/%s"}, {"DELETE", "/api/v1/tags/%s"},
			{"DELETE", "/api/v1/authors/%s"}, {"POST", "/api/v1/articles/%s/unpublish"}, {"POST", "/api/v1/articles/%s/archive"},
		} {
			for _, bad := range []string{"%00", "a%ffb", "x%1by", "%7f"} {
				r := e.do(req{method: route.method, path: fmt.Sprintf(route.path, bad), token: editor})
				if r.Status != http.StatusBadRequest || r.errorCode() != content.EINVALID {
					t.Errorf("%s %s: got %d %s", route.method, fmt.Sprintf(route.path, bad), r.Status, r.Body)
				}
			}
		}
		want(t, e.do(req{method: "GET", path: "/api/v1/tags?order=name"}), http.StatusBadRequest, content.EINVALID)
	})
}

func TestSlugRedirectAndETag(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		a := e.draft(tok, map[string]any{"title": "Old Title"})
		a = e.publish(tok, a.ID, "")
		etag := fmt.Sprintf(`"%d"`, a.Version)

		// A stale If-Match is refused and changes nothing.
		r := e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, body: map[string]any{"slug": "new-title"}, token: tok, header: map[string]string{"If-Match": etag}})
		want(t, r, http.StatusOK, "")
		r = e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, body: map[string]any{"title": "Lost update"}, token: tok, header: map[string]string{"If-Match": etag}})
		want(t, r, http.StatusPreconditionFailed, content.EPRECONDITIONFAILED)
		r = e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID})
		var cur struct{ Data article }
		r.decode(t, &cur)
		if cur.Data.Title != "Old Title" || cur.Data.Slug != "new-title" {
			t.Fatalf("after stale write: %+v", cur.Data)
		}
		// If-None-Match with the current ETag: 304.
		r = e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID, header: map[string]string{"If-None-Match": r.Header.Get("ETag")}})
		want(t, r, http.StatusNotModified, "")

		// The old slug answers 301 to the new one.
		r = e.do(req{method: "GET", path: "/api/v1/articles/slug/old-title"})
		want(t, r, http.StatusMovedPermanently, "moved_permanently")
		if loc := r.Header.Get("Location"); loc != "/api/v1/articles/slug/new-title" {
			t.Fatalf("Location %q", loc)
		}
		// A new article may take the old slug; then it is that article's.
		b := e.draft(tok, map[string]any{"title": "Other", "slug": "old-title"})
		e.publish(tok, b.ID, "")
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/slug/old-title"}), http.StatusOK, "")
		// Taking a current slug is a conflict.
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + b.ID, body: map[string]any{"slug": "new-title"}, token: tok}), http.StatusConflict, content.ECONFLICT)
		// Same title twice: the second gets a suffix.
		c := e.draft(tok, map[string]any{"title": "Old Title"})
		if c.Slug == "old-title" || !strings.HasPrefix(c.Slug, "old-title-") {
			t.Fatalf("duplicate title slug %q", c.Slug)
		}
	})
}

func TestBodySanitised(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		for _, tc := range []struct{ format, body string }{
			{"html", `<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a><img src=x onerror="alert(1)"></p>`},
			{"markdown", "Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"},
		} {
			a := e.draft(tok, map[string]any{"body_format": tc.format, "body": tc.body})
			for _, bad := range []string{"<script", "onclick", "onerror", "javascript:"} {
				if strings.Contains(strings.ToLower(a.BodyHTML), bad) {
					t.Errorf("%s body_html keeps %q: %s", tc.format, bad, a.BodyHTML)
				}
			}
			if strings.Contains(a.Excerpt, "<") {
				t.Errorf("excerpt has markup: %q", a.Excerpt)
			}
		}
	})
}

// TestReaderQueriesAreConstant proves there is no N+1: a page of 20
// runs as many statements as a page of 2.
func TestReaderQueriesAreConstant(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, noCache) // counts the statements a request itself runs
		tok := e.newsroom()
		var last article
		for i := 0; i < 20; i++ {
			last = e.draft(tok, map[string]any{"title": fmt.Sprintf("S%d", i), "tags": []string{"economy", "climate"}, "authors": []string{"levant-desk", "rania-haddad"}})
			e.publish(tok, last.ID, "")
		}
		queries := func(path string) int64 {
			before := e.store.Queries()
			e.list(path, "")
			return e.store.Queries() - before
		}
		small, big := queries("/api/v1/articles?limit=2"), queries("/api/v1/articles?limit=20")
		if small != big || big > 2 {
			t.Errorf("list: %d statements for 2 articles, %d for 20; want the same, at most 2", small, big)
		}
		// Offset paging counts once per filter and content state: the
		// first reads the state (at most every store.StateMaxAge, for all
		// requests) and counts; the next, with no write between, only
		// reads its page.
		start := time.Now()
		if n := queries("/api/v1/articles?limit=20&page=1"); n > 6 {
			t.Errorf("offset list: %d statements", n)
		}
		if n := queries("/api/v1/articles?limit=10&page=2"); n > 2 && time.Since(start) < store.StateMaxAge {
			t.Errorf("offset list again: %d statements; the count was not reused", n)
		}
		before := e.store.Queries()
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/slug/" + last.Slug}), http.StatusOK, "")
		if n := e.store.Queries() - before; n > 2 {
			t.Errorf("get by slug: %d statements", n)
		}
		if n := queries("/api/v1/categories"); n != 1 {
			t.Errorf("categories: %d statements", n)
		}
	})
}
