package server_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/mmcdole/gofeed"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

func init() {
	// Feeds and sitemaps are XML: the schema check takes them as text.
	for _, ct := range []string{"application/rss+xml", "application/atom+xml", "application/xml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
}

// distributionRoom publishes an Arabic story in news (with a cover,
// tags and two authors) and an English opinion piece, and leaves a
// draft and a scheduled story that no feed may show.
func distributionRoom(t *testing.T, e *env) (editor string, ar, en article) {
	editor = e.newsroom()
	ar = e.draft(editor, map[string]any{"title": "انفجار في مرفأ بيروت", "body": "هز **انفجار** قوي مرفأ بيروت.", "language": "ar",
		"tags": []string{"economy", "سوريا"}, "authors": []string{"levant-desk", "rania-haddad"},
		"cover": map[string]string{"url": "https://cdn.example.com/beirut.png", "alt": "The port"}, "excerpt": "هز انفجار قوي مرفأ بيروت"})
	ar = e.publish(editor, ar.ID, time.Now().UTC().Add(-time.Hour).Format(time.RFC3339))
	en = e.draft(editor, map[string]any{"title": "Why the port matters", "category": "opinion", "format": "opinion", "tags": []string{"economy"}})
	en = e.publish(editor, en.ID, "")
	e.draft(editor, map[string]any{"title": "Draft story"})
	later := e.draft(editor, map[string]any{"title": "Tomorrow's story"})
	e.publish(editor, later.ID, time.Now().UTC().Add(24*time.Hour).Format(time.RFC3339))
	return editor, ar, en
}

func TestFeeds(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		editor, ar, en := distributionRoom(t, e)
		arURL := "https://www.example.com/news/%D8%A7%D9%86%D9%81%D8%AC%D8%A7%D8%B1-%D9%81%D9%8A-%D9%85%D8%B1%D9%81%D8%A3-%D8%A8%D9%8A%D8%B1%D9%88%D8%AA"
		parser := gofeed.NewParser()
		for _, ext := range []string{"rss", "atom", "json"} {
			t.Run(ext, func(t *testing.T) {
				r := e.do(req{method: "GET", path: "/feeds/latest." + ext})
				want(t, r, http.StatusOK, "")
				f, err := parser.ParseString(string(r.Body))
				if err != nil {
					t.Fatalf("parse %s: %v\n%s", ext, err, r.Body)
				}
				if f.FeedType != map[string]string{"rss": "rss", "atom": "atom", "json": "json"}[ext] || len(f.Items) != 2 {
					t.Fatalf("%s feed with %d items: %s", f.FeedType, len(f.Items), r.Body)
				}
				// Newest first: the English piece was published after the Arabic one.
				first, second := f.Items[0], f.Items[1]
				if first.Title != en.Title || second.Title != "انفجار في مرفأ بيروت" {
					t.Fatalf("titles %q, %q", first.Title, second.Title)
				}
				if second.Link != arURL || first.Link != "https://www.example.com/opinion/why-the-port-matters" {
					t.Errorf("links %q, %q: they must point to the public site", second.Link, first.Link)
				}
				if !strings.Contains(second.Content, "<strong>انفجار</strong>") {
					t.Errorf("content %q lacks the HTML body", second.Content)
				}
				authors := []string{}
				for _, a := range second.Authors {
					authors = append(authors, a.Name)
				}
				if ext == "rss" { // one dc:creator each; gofeed lifts only the first to Authors
					authors = second.DublinCoreExt.Creator
				}
				if strings.Join(authors, ", ") != "Levant Desk, Rania Haddad" {
					t.Errorf("authors %q", authors)
				}
				if !strings.Contains(strings.Join(second.Categories, ","), "News") || !strings.Contains(strings.Join(second.Categories, ","), "سوريا") {
					t.Errorf("categories %v", second.Categories)
				}
				if ext != "json" && (len(second.Enclosures) != 1 || second.Enclosures[0].URL != "https://cdn.example.com/beirut.png" || second.Enclosures[0].Type != "image/png") {
					t.Errorf("enclosures %+v", second.Enclosures)
				}
				if second.PublishedParsed == nil || !second.PublishedParsed.Equal(mustTime(t, ar.PublishedAt)) {
					t.Errorf("published %v, want %s", second.PublishedParsed, ar.PublishedAt)
				}
				if f.UpdatedParsed == nil || f.UpdatedParsed.Before(mustTime(t, en.PublishedAt).Truncate(time.Second)) {
					t.Errorf("feed updated %v is before the newest item", f.UpdatedParsed)
				}
				// Per-item language: Arabic entries say so, for right-to-left display.
				switch ext {
				case "rss":
					if !strings.Contains(string(r.Body), "<dc:language>ar</dc:language>") {
						t.Error("RSS items lack dc:language")
					}
				case "atom":
					if !strings.Contains(string(r.Body), `<entry xml:lang="ar">`) {
						t.Error("Atom entries lack xml:lang")
					}
				case "json":
					var jf api.JSONFeed
					if err := json.Unmarshal(r.Body, &jf); err != nil || jf.Items[1].Language != "ar" || jf.Version != "https://jsonfeed.org/version/1.1" {
						t.Errorf("JSON feed: %v %+v", err, jf)
					}
				}

				// Conditional GET.
				etag, lastmod := r.Header.Get("ETag"), r.Header.Get("Last-Modified")
				if etag == "" || lastmod == "" {
					t.Fatal("no ETag or Last-Modified")
				}
				want(t, e.do(req{method: "GET", path: "/feeds/latest." + ext, header: map[string]string{"If-None-Match": etag}}), http.StatusNotModified, "")
				want(t, e.do(req{method: "GET", path: "/feeds/latest." + ext, header: map[string]string{"If-Modified-Since": lastmod}}), http.StatusNotModified, "")
				want(t, e.do(req{method: "GET", path: "/feeds/latest." + ext, header: map[string]string{"If-None-Match": `W/"other"`}}), http.StatusOK, "")
			})
		}

		// A section's feed is all Arabic here: the channel says so.
		r := e.do(req{method: "GET", path: "/feeds/category/news.rss"})
		want(t, r, http.StatusOK, "")
		f, err := parser.ParseString(string(r.Body))
		if err != nil || len(f.Items) != 1 || f.Language != "ar" || f.Link != "https://www.example.com/news" {
			t.Fatalf("news feed: %v, %d items, language %q, link %q", err, len(f.Items), f.Language, f.Link)
		}
		for path, n := range map[string]int{
			"/feeds/tag/economy.atom": 2, "/feeds/tag/%D8%B3%D9%88%D8%B1%D9%8A%D8%A7.json": 1,
			"/feeds/author/rania-haddad.rss": 1, "/feeds/category/opinion.json": 1,
		} {
			r := e.do(req{method: "GET", path: path})
			want(t, r, http.StatusOK, "")
			if f, err := parser.ParseString(string(r.Body)); err != nil || len(f.Items) != n {
				t.Errorf("%s: %v, want %d items", path, err, n)
			}
		}

		// An edit changes the feed's ETag.
		etag := e.do(req{method: "GET", path: "/feeds/latest.atom"}).Header.Get("ETag")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + en.ID, body: map[string]any{"title": "Why the port matters now"}, token: editor}), http.StatusOK, "")
		r = e.do(req{method: "GET", path: "/feeds/latest.atom", header: map[string]string{"If-None-Match": etag}})
		want(t, r, http.StatusOK, "")
		if r.Header.Get("ETag") == etag {
			t.Fatal("ETag did not change after an edit")
		}

		// HEAD answers as GET does, without the body.
		for _, path := range []string{"/feeds/latest.rss", "/feeds/category/news.atom", "/api/v1/articles"} {
			r := e.do(req{method: "HEAD", path: path})
			if r.Status != http.StatusOK || len(r.Body) != 0 || r.Header.Get("Content-Type") == "" {
				t.Errorf("HEAD %s: %d, %d bytes, type %q", path, r.Status, len(r.Body), r.Header.Get("Content-Type"))
			}
		}
		if r := e.do(req{method: "HEAD", path: "/feeds/category/sport.rss"}); r.Status != http.StatusNotFound || len(r.Body) != 0 {
			t.Errorf("HEAD of a missing feed: %d %q", r.Status, r.Body)
		}
		for path, status := range map[string]int{
			"/feeds/category/sport.rss": 404, "/feeds/tag/none.atom": 404, "/feeds/author/nobody.json": 404,
			"/feeds/category/news.xml": 404, "/feeds/section/news.rss": 404, "/feeds/category/.rss": 404,
			"/feeds/latest.rss?limit=5": 400, "/feeds/latest.txt": 404,
		} {
			r := e.do(req{method: "GET", path: path})
			if r.Status != status {
				t.Errorf("%s: %d, want %d", path, r.Status, status)
			}
		}
	})
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type urlset struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
		News    struct {
			Name     string `xml:"publication>name"`
			Language string `xml:"publication>language"`
			Date     string `xml:"publication_date"`
			Title    string `xml:"title"`
		} `xml:"news"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

func (e *env) sitemap(t *testing.T, path string) urlset {
	t.Helper()
	r := e.do(req{method: "GET", path: path})
	want(t, r, http.StatusOK, "")
	var u urlset
	if err := xml.Unmarshal(r.Body, &u); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, r.Body)
	}
	return u
}

func TestSitemaps(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site, c.SitemapPageSize = testSite, 2 })
		editor, ar, en := distributionRoom(t, e)
		old := e.draft(editor, map[string]any{"title": "Old story"})
		old = e.publish(editor, old.ID, time.Now().UTC().Add(-72*time.Hour).Format(time.RFC3339))

		// One sitemap per month of publication, split in pages of 2 here.
		perMonth := map[string]int{}
		var months []string
		for _, a := range []string{old.PublishedAt, ar.PublishedAt, en.PublishedAt} {
			m := a[:7]
			if perMonth[m] == 0 {
				months = append(months, m)
			}
			perMonth[m]++
		}
		var wantLocs []string
		for _, m := range months {
			for part := 1; (part-1)*2 < perMonth[m]; part++ {
				name := "articles-" + m
				if part > 1 {
					name += "-" + string(rune('0'+part))
				}
				wantLocs = append(wantLocs, "https://www.example.com/sitemaps/"+name+".xml")
			}
		}
		wantLocs = append(wantLocs, "https://www.example.com/sitemaps/sections.xml", "https://www.example.com/sitemaps/authors.xml",
			"https://www.example.com/sitemaps/pages.xml", "https://www.example.com/sitemap-news.xml")
		idx := e.sitemap(t, "/sitemap.xml")
		var locs, urls []string
		for _, s := range idx.Sitemaps {
			locs = append(locs, s.Loc)
			if strings.Contains(s.Loc, "/articles-") {
				page := e.sitemap(t, strings.TrimPrefix(s.Loc, "https://www.example.com"))
				if len(page.URLs) == 0 || len(page.URLs) > 2 {
					t.Errorf("%s has %d URLs", s.Loc, len(page.URLs))
				}
				for _, u := range page.URLs {
					urls = append(urls, u.Loc)
					if lm, err := time.Parse(time.RFC3339, u.Lastmod); err != nil || lm.IsZero() {
						t.Errorf("lastmod %q", u.Lastmod)
					}
				}
			}
		}
		if strings.Join(locs, " ") != strings.Join(wantLocs, " ") {
			t.Fatalf("index lists %v, want %v", locs, wantLocs)
		}
		// Oldest first, drafts and scheduled stories left out.
		if len(urls) != 3 || urls[0] != "https://www.example.com/news/old-story" || !strings.Contains(urls[1], "/news/%D8%A7") ||
			urls[2] != "https://www.example.com/opinion/why-the-port-matters" {
			t.Fatalf("article sitemaps list %v", urls)
		}
		want(t, e.do(req{method: "GET", path: "/sitemaps/articles-" + months[len(months)-1] + "-9.xml"}), http.StatusNotFound, content.ENOTFOUND)
		for _, p := range []string{"/sitemaps/articles-0.xml", "/sitemaps/articles-2026-13.xml", "/sitemaps/articles-2026-11-1.xml",
			"/sitemaps/articles-2026-11-x.xml", "/sitemaps/tags.xml", "/sitemaps/articles-2026-11.txt", "/sitemaps/articles-1999-01.xml"} {
			want(t, e.do(req{method: "GET", path: p}), http.StatusNotFound, content.ENOTFOUND)
		}
		want(t, e.do(req{method: "GET", path: "/sitemap.xml?page=2"}), http.StatusBadRequest, content.EINVALID)

		news := e.sitemap(t, "/sitemap-news.xml")
		if len(news.URLs) != 2 {
			t.Fatalf("news sitemap has %d stories, want the 2 of the last 48 hours", len(news.URLs))
		}
		if n := news.URLs[1].News; n.Name != "The Daily" || n.Language != "ar" || n.Title != "انفجار في مرفأ بيروت" || n.Date != ar.PublishedAt {
			t.Errorf("news entry %+v", n)
		}
		if news.URLs[0].News.Language != "en" || news.URLs[0].News.Title != en.Title {
			t.Errorf("news entry %+v", news.URLs[0].News)
		}
		sections := e.sitemap(t, "/sitemaps/sections.xml")
		if len(sections.URLs) != 2 || sections.URLs[0].Loc != "https://www.example.com/news" || sections.URLs[1].Loc != "https://www.example.com/opinion" {
			t.Errorf("sections %+v", sections.URLs)
		}
		authors := e.sitemap(t, "/sitemaps/authors.xml")
		if len(authors.URLs) != 2 || authors.URLs[0].Loc != "https://www.example.com/author/levant-desk" {
			t.Errorf("authors %+v", authors.URLs)
		}
	})
}

func TestJSONLD(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		_, ar, en := distributionRoom(t, e)
		var got struct {
			Data struct {
				JSONLD map[string]any `json:"json_ld"`
			}
		}
		r := e.do(req{method: "GET", path: "/api/v1/articles/" + ar.ID})
		want(t, r, http.StatusOK, "")
		r.decode(t, &got)
		ld := got.Data.JSONLD
		checks := map[string]any{
			"@context": "https://schema.org", "@type": "NewsArticle", "headline": "انفجار في مرفأ بيروت",
			"description": "هز انفجار قوي مرفأ بيروت", "datePublished": ar.PublishedAt, "articleSection": "News",
			"inLanguage": "ar",
		}
		for k, v := range checks {
			if ld[k] != v {
				t.Errorf("json_ld.%s = %v, want %v", k, ld[k], v)
			}
		}
		if page := ld["mainEntityOfPage"].(map[string]any); page["@id"] != ld["url"] || !strings.HasPrefix(ld["url"].(string), "https://www.example.com/news/") {
			t.Errorf("mainEntityOfPage %v, url %v", page, ld["url"])
		}
		authors := ld["author"].([]any)
		if len(authors) != 2 || authors[1].(map[string]any)["@type"] != "Person" || authors[1].(map[string]any)["url"] != "https://www.example.com/author/rania-haddad" {
			t.Errorf("authors %v", authors)
		}
		if pub := ld["publisher"].(map[string]any); pub["name"] != "The Daily" {
			t.Errorf("publisher %v", pub)
		}
		if img := ld["image"].([]any); len(img) != 1 || img[0] != "https://cdn.example.com/beirut.png" {
			t.Errorf("image %v", img)
		}
		r = e.do(req{method: "GET", path: "/api/v1/articles/slug/" + en.Slug})
		want(t, r, http.StatusOK, "")
		r.decode(t, &got)
		if got.Data.JSONLD["@type"] != "OpinionNewsArticle" {
			t.Errorf("opinion typed %v", got.Data.JSONLD["@type"])
		}
	})
}
