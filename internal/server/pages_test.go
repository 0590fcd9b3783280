package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestPages: static pages per language, sanitised, visible to readers
// once published, in sitemaps and menus; bad input stores nothing.
func TestPages(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		tok := e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		post := func(token string, body map[string]any) *response {
			return e.do(req{method: "POST", path: "/api/v1/pages", token: token, body: body})
		}
		want(t, post(tok, map[string]any{"title": "About us", "body": "We report. <script>alert(1)</script>", "language": "en"}), http.StatusCreated, "")
		want(t, post(tok, map[string]any{"title": "من نحن", "body": "نحن غرفة أخبار.", "language": "ar", "published": true}), http.StatusCreated, "")
		want(t, e.get("/api/v1/pages/about-us"), http.StatusNotFound, content.ENOTFOUND) // a draft
		if r := e.do(req{method: "GET", path: "/api/v1/pages/about-us", token: tok}); r.Status != http.StatusOK || strings.Contains(string(r.Body), "<script") {
			t.Errorf("the editor's view of the draft: %d %s", r.Status, r.Body)
		}
		r := e.do(req{method: "PATCH", path: "/api/v1/pages/about-us", token: tok, body: map[string]any{"published": true}, header: map[string]string{"If-Match": `"1"`}})
		want(t, r, http.StatusOK, "")
		page := string(e.get("/api/v1/pages/about-us").Body)
		if !strings.Contains(page, `"url":"https://www.example.com/about-us"`) || !strings.Contains(page, `"published":true`) || strings.Contains(page, "<script") {
			t.Errorf("published page: %s", page)
		}
		ar := string(e.get("/api/v1/pages/" + "من-نحن").Body)
		if !strings.Contains(ar, `"direction":"rtl"`) {
			t.Errorf("Arabic page: %s", ar)
		}
		if sm := string(e.get("/sitemaps/pages.xml").Body); !strings.Contains(sm, "<loc>https://www.example.com/about-us</loc>") {
			t.Errorf("pages sitemap: %s", sm)
		}
		if idx := string(e.get("/sitemap.xml").Body); !strings.Contains(idx, "/sitemaps/pages.xml") {
			t.Errorf("sitemap index: %s", idx)
		}
		// Menus point at pages; an unpublished one drops out.
		want(t, e.do(req{method: "PUT", path: "/api/v1/menus/footer", token: tok, body: map[string]any{"items": []any{
			map[string]any{"labels": map[string]string{"en": "About"}, "kind": "page", "ref": "about-us"}}}}), http.StatusOK, "")
		if m := string(e.get("/api/v1/menus/footer").Body); !strings.Contains(m, `"url":"https://www.example.com/about-us"`) {
			t.Errorf("footer: %s", m)
		}
		want(t, e.do(req{method: "PATCH", path: "/api/v1/pages/about-us", token: tok, body: map[string]any{"published": false}}), http.StatusOK, "")
		if m := string(e.get("/api/v1/menus/footer").Body); strings.Contains(m, "about-us") {
			t.Errorf("an unpublished page stays in the footer: %s", m)
		}

		// Bad input: a clear 4xx, nothing stored.
		for _, c := range []struct {
			name   string
			token  string
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{"no title", tok, map[string]any{"body": "x", "language": "en"}, 400, content.EINVALID, "title"},
			{"bad language", tok, map[string]any{"title": "x", "body": "x", "language": "english!"}, 400, content.EINVALID, "language"},
			{"bad format", tok, map[string]any{"title": "x", "body": "x", "language": "en", "body_format": "rtf"}, 400, content.EINVALID, "body_format"},
			{"slug taken", tok, map[string]any{"title": "About us", "slug": "about-us", "body": "x", "language": "en"}, 409, content.ECONFLICT, ""},
			{"unknown field", tok, map[string]any{"title": "x", "body": "x", "language": "en", "layout": "wide"}, 400, content.EINVALID, "layout"},
			{"a writer", writer, map[string]any{"title": "x", "body": "x", "language": "en"}, 403, content.EFORBIDDEN, ""},
		} {
			r := post(c.token, c.body)
			want(t, r, c.status, c.code)
			if c.field != "" && !strings.Contains(string(r.Body), `"`+c.field+`"`) {
				t.Errorf("%s: %s", c.name, r.Body)
			}
		}
		if r := e.do(req{method: "GET", path: "/api/v1/pages", token: tok}); strings.Count(string(r.Body), `"slug"`) != 2 {
			t.Errorf("refused pages were stored: %s", r.Body)
		}
		want(t, e.do(req{method: "DELETE", path: "/api/v1/pages/about-us", token: tok}), http.StatusNoContent, "")
		want(t, e.do(req{method: "GET", path: "/api/v1/pages/about-us", token: tok}), http.StatusNotFound, content.ENOTFOUND)
	})
}
