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

// TestNamesInEveryLanguage: one section, tag and author with a name per
// language, and no duplicate records: an Arabic story gets the Arabic
// byline and section, an English one the English, any other language the
// fallback; reader routes pick by lang.
func TestNamesInEveryLanguage(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite; c.Site.DefaultLanguage = "en" })
		tok, _ := e.user(content.RoleEditor, "editor@example.com")
		post := func(path string, body map[string]any) *response {
			return e.do(req{method: "POST", path: path, body: body, token: tok})
		}
		// Names only: name becomes the default language's entry.
		sec := post("/api/v1/categories", map[string]any{"names": map[string]string{"ar": "أخبار", "EN": "News"},
			"descriptions": map[string]string{"ar": "تقارير اليوم", "en": "The day's reporting."}})
		want(t, sec, http.StatusCreated, "")
		var cat struct {
			Data struct {
				Slug, Name, Description string
				Names                   map[string]string
			}
		}
		sec.decode(t, &cat)
		if cat.Data.Name != "News" || cat.Data.Slug != "news" || cat.Data.Names["en"] != "News" || cat.Data.Names["ar"] != "أخبار" ||
			cat.Data.Description != "The day's reporting." {
			t.Fatalf("created section %+v", cat.Data)
		}
		want(t, post("/api/v1/tags", map[string]any{"name": "Syria", "names": map[string]string{"ar": "سوريا"}}), http.StatusCreated, "")
		want(t, post("/api/v1/authors", map[string]any{"slug": "levant-desk", "names": map[string]string{"ar": "مكتب المشرق", "en": "Levant Desk"},
			"bios": map[string]string{"ar": "مراسلونا في بيروت", "en": "Our correspondents in Beirut."}}), http.StatusCreated, "")

		story := func(lang, title string) article {
			return e.publish(tok, e.draft(tok, map[string]any{"title": title, "language": lang, "tags": []string{"syria"}}).ID, "")
		}
		ar, en, fr := story("ar", "انفجار في مرفأ بيروت"), story("en", "Port blast in Beirut"), story("fr", "Explosion au port de Beyrouth")
		for _, c := range []struct {
			a                          article
			lang, section, tag, byline string
		}{
			{ar, "ar", "أخبار", "سوريا", "مكتب المشرق"},
			{en, "en", "News", "Syria", "Levant Desk"},
			{fr, "fr", "News", "Syria", "Levant Desk"}, // no French names: the fallback
		} {
			var got struct {
				Data struct {
					Category struct{ Name string }
					Tags     []struct{ Name string }
					Authors  []struct{ Name string }
					JSONLD   struct {
						ArticleSection string `json:"articleSection"`
						Keywords       []string
						Author         []struct{ Name string }
					} `json:"json_ld"`
				}
			}
			r := e.get("/api/v1/articles/slug/" + c.a.Slug)
			want(t, r, http.StatusOK, "")
			r.decode(t, &got)
			d := got.Data
			if d.Category.Name != c.section || len(d.Tags) != 1 || d.Tags[0].Name != c.tag || len(d.Authors) != 1 || d.Authors[0].Name != c.byline ||
				d.JSONLD.ArticleSection != c.section || len(d.JSONLD.Author) != 1 || d.JSONLD.Author[0].Name != c.byline {
				t.Errorf("%s story: %+v", c.lang, d)
			}
			// Lists name them the same way.
			if l := e.get("/api/v1/articles?lang=" + c.lang); !strings.Contains(string(l.Body), `"name":"`+c.byline+`"`) ||
				!strings.Contains(string(l.Body), `"name":"`+c.section+`"`) {
				t.Errorf("%s list: %s", c.lang, l.Body)
			}
		}

		// Reader routes pick by lang; names ride along for switchers.
		for lang, want := range map[string]string{"ar": "أخبار", "en": "News", "fr": "News", "": "News"} {
			r := e.get("/api/v1/categories/news?lang=" + lang)
			if !strings.Contains(string(r.Body), `"name":"`+want+`"`) || !strings.Contains(string(r.Body), `"names":{`) {
				t.Errorf("section in %q: %s", lang, r.Body)
			}
			if r := e.get("/api/v1/categories?lang=" + lang); !strings.Contains(string(r.Body), `"name":"`+want+`"`) {
				t.Errorf("sections in %q: %s", lang, r.Body)
			}
		}
		if r := e.get("/api/v1/authors/levant-desk?lang=ar"); !strings.Contains(string(r.Body), `"name":"مكتب المشرق"`) ||
			!strings.Contains(string(r.Body), `"bio":"مراسلونا في بيروت"`) {
			t.Errorf("author in Arabic: %s", r.Body)
		}
		if r := e.get("/api/v1/tags?lang=ar"); !strings.Contains(string(r.Body), `"name":"سوريا"`) {
			t.Errorf("tags in Arabic: %s", r.Body)
		}
		if r := e.get("/api/v1/home?lang=ar"); !strings.Contains(string(r.Body), `"name":"أخبار"`) {
			t.Errorf("home in Arabic: %s", r.Body)
		}
		if r := e.get("/feeds/category/news.rss?lang=ar"); !strings.Contains(string(r.Body), "<title>The Daily — أخبار</title>") {
			t.Errorf("Arabic section feed: %.400s", r.Body)
		}

		// An edit of the names: name follows the default language's entry;
		// bad input changes nothing.
		r := e.do(req{method: "PATCH", path: "/api/v1/categories/news", token: tok, body: map[string]any{"names": map[string]string{"ar": "الأخبار", "en": "World"}}})
		want(t, r, http.StatusOK, "")
		if !strings.Contains(string(r.Body), `"name":"World"`) {
			t.Errorf("renamed: %s", r.Body)
		}
		before := e.get("/api/v1/categories/news").Body
		for _, c := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"unknown language", map[string]any{"names": map[string]string{"xx-!!": "x"}}, "names"},
			{"empty name", map[string]any{"names": map[string]string{"ar": " "}}, "names.ar"},
			{"html", map[string]any{"names": map[string]string{"en": "<b>News</b>"}}, "names.en"},
			{"one language twice", map[string]any{"names": map[string]string{"en": "News", "EN": "World"}}, "names"},
			{"long description", map[string]any{"descriptions": map[string]string{"en": strings.Repeat("x", content.MaxDescriptionLen+1)}}, "descriptions.en"},
			{"not an object", map[string]any{"names": []string{"News"}}, "names"},
		} {
			r := e.do(req{method: "PATCH", path: "/api/v1/categories/news", token: tok, body: c.body})
			want(t, r, http.StatusBadRequest, content.EINVALID)
			if !strings.Contains(string(r.Body), `"`+c.field+`"`) {
				t.Errorf("%s: %s", c.name, r.Body)
			}
		}
		for _, c := range []struct{ path, field string }{
			{"/api/v1/tags/syria", "names.ar"}, {"/api/v1/authors/levant-desk", "bios.en"},
		} {
			body := map[string]any{"names": map[string]string{"ar": ""}}
			if c.field == "bios.en" {
				body = map[string]any{"bios": map[string]string{"en": "<script>x</script>"}}
			}
			r := e.do(req{method: "PATCH", path: c.path, token: tok, body: body})
			want(t, r, http.StatusBadRequest, content.EINVALID)
			if !strings.Contains(string(r.Body), `"`+c.field+`"`) {
				t.Errorf("%s: %s", c.path, r.Body)
			}
		}
		if after := e.get("/api/v1/categories/news").Body; string(after) != string(before) {
			t.Errorf("a refused edit changed the section:\n%s\n%s", before, after)
		}
		want(t, e.get("/api/v1/categories/news?lang=klingon!"), http.StatusBadRequest, content.EINVALID)
	})
}

// TestLangInEveryTemplate: {lang} in the section, tag and author paths is
// filled with the page's language in answers, feeds and sitemaps (the
// default one where a link has none), and the publication is named in the
// reader's language.
func TestLangInEveryTemplate(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		site := testSite
		site.ArticlePath, site.SectionPath, site.TagPath, site.AuthorPath = "/{lang}/{category}/{slug}", "/{lang}/{slug}", "/{lang}/tag/{slug}", "/{lang}/author/{slug}"
		site.DefaultLanguage, site.Names = "en", content.Texts{"ar": "اليومية"}
		e := newEnv(t, engine, func(c *server.Config) { c.Site = site })
		tok := e.newsroom()
		ar := e.publish(tok, e.draft(tok, map[string]any{"title": "انفجار في مرفأ بيروت", "language": "ar"}).ID, "")
		page := string(e.get("/api/v1/articles/" + ar.ID).Body)
		for _, s := range []string{`"url":"https://www.example.com/ar/author/levant-desk"`, `"name":"اليومية"`, `"url":"https://www.example.com/ar/news/`} {
			if !strings.Contains(page, s) {
				t.Errorf("article page lacks %s: %.600s", s, page)
			}
		}
		for path, wants := range map[string][]string{
			"/feeds/category/news.rss?lang=ar": {"<title>اليومية — News</title>", "<link>https://www.example.com/ar/news</link>"},
			"/feeds/category/news.rss":         {"<title>The Daily — News</title>", "<link>https://www.example.com/en/news</link>"},
			"/feeds/latest.atom":               {"https://www.example.com/ar/author/levant-desk"},
			"/sitemaps/sections.xml":           {"<loc>https://www.example.com/en/news</loc>"},
			"/sitemaps/authors.xml":            {"<loc>https://www.example.com/en/author/levant-desk</loc>"},
			"/sitemap-news.xml":                {"<news:name>اليومية</news:name>"},
		} {
			body := string(e.get(path).Body)
			for _, w := range wants {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %s:\n%.800s", path, w, body)
				}
			}
			if strings.Contains(body, "{lang}") {
				t.Errorf("%s prints {lang}", path)
			}
		}
	})
}
