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

type menuAnswer struct {
	Data struct {
		Name    string
		Version int
		Items   []struct {
			Label, Kind, Ref, URL string
			Children              []struct{ Label, Kind, Ref, URL string }
		}
	}
}

// TestMenus: a menu in two languages resolves its targets into the
// site's addresses, drops items whose target is gone, embeds in the
// article page and home with include=menus,site, and refuses bad trees
// without storing anything.
func TestMenus(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		tok := e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		story := e.publish(tok, e.draft(tok, map[string]any{"title": "Port blast in Beirut"}).ID, "")
		draft := e.draft(tok, map[string]any{"title": "Embargoed"})
		put := func(token string, body any, ifMatch string) *response {
			h := map[string]string{}
			if ifMatch != "" {
				h["If-Match"] = ifMatch
			}
			return e.do(req{method: "PUT", path: "/api/v1/menus/header", token: token, body: body, header: h})
		}
		item := func(ar, en, kind, ref string, children ...map[string]any) map[string]any {
			m := map[string]any{"labels": map[string]string{"ar": ar, "en": en}, "kind": kind, "ref": ref}
			if len(children) > 0 {
				m["children"] = children
			}
			return m
		}
		header := map[string]any{"items": []any{
			item("أخبار", "News", "section", "news", item("سوريا", "Syria", "section", "syria"), item("الاقتصاد", "Economy", "tag", "economy")),
			item("رأي", "Opinion", "section", "opinion"),
			item("القصة", "The story", "article", story.ID),
			item("قيد النشر", "Soon", "article", draft.ID), // hidden until published
			item("من نحن", "About", "path", "/about"),
			item("بودكاست", "Podcast", "url", "https://podcasts.example.com/daily"),
		}}
		r := put(tok, header, "")
		want(t, r, http.StatusOK, "")
		if r.Header.Get("ETag") != `"1"` {
			t.Errorf("ETag %q", r.Header.Get("ETag"))
		}
		var got menuAnswer
		e.get("/api/v1/menus/header?lang=ar").decode(t, &got)
		items := got.Data.Items
		if len(items) != 5 || items[0].Label != "أخبار" || items[0].URL != "https://www.example.com/news" || len(items[0].Children) != 2 ||
			items[0].Children[1].URL != "https://www.example.com/tag/economy" || items[2].URL != "https://www.example.com/news/"+story.Slug ||
			items[3].URL != "https://www.example.com/about" || items[4].URL != "https://podcasts.example.com/daily" {
			t.Fatalf("header in Arabic: %+v", items)
		}
		e.get("/api/v1/menus/header?lang=en").decode(t, &got)
		if got.Data.Items[0].Label != "News" || got.Data.Items[0].Children[0].Label != "Syria" {
			t.Errorf("header in English: %+v", got.Data.Items)
		}
		// What goes away leaves the menu, not crashes it: an unpublished
		// story, a deleted section; a published one comes in.
		e.publish(tok, draft.ID, "")
		want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + story.ID + "/unpublish", token: tok}), http.StatusOK, "")
		want(t, e.do(req{method: "DELETE", path: "/api/v1/categories/opinion", token: tok}), http.StatusNoContent, "")
		e.get("/api/v1/menus/header?lang=en").decode(t, &got)
		var labels []string
		for _, it := range got.Data.Items {
			labels = append(labels, it.Label)
		}
		if strings.Join(labels, ",") != "News,Soon,About,Podcast" {
			t.Errorf("after unpublishing, publishing and deleting: %v", labels)
		}

		// The page's chrome in the same request as the story and home.
		page := string(e.get("/api/v1/articles/" + draft.ID + "?include=menus,site").Body)
		if !strings.Contains(page, `"menus":[{"name":"header"`) || !strings.Contains(page, `"site":{"name":"The Daily"`) {
			t.Errorf("article page with include=menus,site: %.400s", page)
		}
		home := string(e.get("/api/v1/home?lang=ar&include=menus,site").Body)
		if !strings.Contains(home, `"label":"أخبار"`) || !strings.Contains(home, `"site":{`) {
			t.Errorf("home with include=menus,site: %.400s", home)
		}
		want(t, e.get("/api/v1/home?include=ads,bogus"), http.StatusBadRequest, content.EINVALID)

		// Bad input: a clear 4xx, nothing stored.
		deep := item("أ", "A", "section", "news", item("ب", "B", "section", "news", item("ج", "C", "section", "news")))
		for _, c := range []struct {
			name   string
			token  string
			body   any
			match  string
			status int
			code   string
			field  string
		}{
			{"three levels", tok, map[string]any{"items": []any{deep}}, "", 400, content.EINVALID, "children"},
			{"empty label", tok, map[string]any{"items": []any{item("", "News", "section", "news")}}, "", 400, content.EINVALID, "items[0].labels.ar"},
			{"no labels", tok, map[string]any{"items": []any{map[string]any{"labels": map[string]string{}, "kind": "section", "ref": "news"}}}, "", 400, content.EINVALID, "items[0].labels"},
			{"unknown language", tok, map[string]any{"items": []any{map[string]any{"labels": map[string]string{"xx yy": "x"}, "kind": "section", "ref": "news"}}}, "", 400, content.EINVALID, "items[0].labels"},
			{"unknown kind", tok, map[string]any{"items": []any{item("أ", "A", "video", "about")}}, "", 400, content.EINVALID, "items[0].kind"},
			{"missing section", tok, map[string]any{"items": []any{item("أ", "A", "section", "sport")}}, "", 400, content.EINVALID, "items"},
			{"missing article", tok, map[string]any{"items": []any{item("أ", "A", "article", "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z")}}, "", 400, content.EINVALID, "items"},
			{"javascript url", tok, map[string]any{"items": []any{item("أ", "A", "url", "javascript:alert(1)")}}, "", 400, content.EINVALID, "items[0].ref"},
			{"protocol-relative path", tok, map[string]any{"items": []any{item("أ", "A", "path", "//evil.example")}}, "", 400, content.EINVALID, "items[0].ref"},
			{"no items", tok, map[string]any{}, "", 400, content.EINVALID, "items"},
			{"stale version", tok, header, `"7"`, 412, content.EPRECONDITIONFAILED, ""},
			{"a writer", writer, header, "", 403, content.EFORBIDDEN, ""},
		} {
			r := put(c.token, c.body, c.match)
			want(t, r, c.status, c.code)
			if c.field != "" && !strings.Contains(string(r.Body), `"`+c.field) {
				t.Errorf("%s: %s", c.name, r.Body)
			}
		}
		want(t, e.do(req{method: "PUT", path: "/api/v1/menus/Header!", token: tok, body: header}), http.StatusBadRequest, content.EINVALID)
		if e.get("/api/v1/menus/header").decode(t, &got); got.Data.Version != 1 {
			t.Errorf("refused menus changed the stored one: version %d", got.Data.Version)
		}
		want(t, e.do(req{method: "DELETE", path: "/api/v1/menus/header", token: tok}), http.StatusNoContent, "")
		want(t, e.get("/api/v1/menus/header"), http.StatusNotFound, content.ENOTFOUND)
	})
}
