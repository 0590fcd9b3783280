package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

type versioned struct {
	Data struct {
		ID           string
		Translations []struct{ Language, ID, Slug, Title, URL string }
		JSONLD       struct {
			WorkTranslation []struct {
				ID string `json:"@id"`
			} `json:"workTranslation"`
			TranslationOfWork *struct {
				ID         string `json:"@id"`
				InLanguage string `json:"inLanguage"`
			} `json:"translationOfWork"`
		} `json:"json_ld"`
	}
}

func (e *env) versions(path, token string) versioned {
	e.t.Helper()
	var v versioned
	r := e.do(req{method: "GET", path: path, token: token})
	want(e.t, r, http.StatusOK, "")
	r.decode(e.t, &v)
	return v
}

func langs(v versioned) string {
	var out []string
	for _, t := range v.Data.Translations {
		out = append(out, t.Language)
	}
	return strings.Join(out, ",")
}

// TestTranslations: an Arabic story and its English version, linked by
// an editor: each page links the other, never a draft; structured data
// and sitemaps carry the alternates; every bad link is refused.
func TestTranslations(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		site := testSite
		site.DefaultLanguage = "ar" // the x-default of every story
		e := newEnv(t, engine, func(c *server.Config) { c.Site = site })
		tok := e.newsroom()
		ar := e.publish(tok, e.draft(tok, map[string]any{"title": "انفجار في مرفأ بيروت", "language": "ar"}).ID, "")
		time.Sleep(2 * time.Millisecond) // the Arabic version is the first written
		en := e.publish(tok, e.draft(tok, map[string]any{"title": "Explosion at Beirut port"}).ID, "")
		fr := e.draft(tok, map[string]any{"title": "Explosion au port de Beyrouth", "language": "fr"})
		put := func(id string, ids ...string) *response {
			if ids == nil {
				ids = []string{}
			}
			return e.do(req{method: "PUT", path: "/api/v1/articles/" + id + "/translations", token: tok, body: map[string]any{"ids": ids}})
		}
		want(t, put(ar.ID, en.ID, fr.ID), http.StatusOK, "")

		if got := langs(e.versions("/api/v1/articles/"+ar.ID, tok)); got != "en,fr" {
			t.Errorf("the editor sees %q", got)
		}
		arPage := e.versions("/api/v1/articles/"+ar.ID, "")
		if got := langs(arPage); got != "en" || arPage.Data.Translations[0].URL != testSite.URL+"/news/"+en.Slug {
			t.Errorf("readers see %+v, want the English version only (the French one is a draft)", arPage.Data.Translations)
		}
		if ld := arPage.Data.JSONLD; len(ld.WorkTranslation) != 1 || ld.TranslationOfWork != nil {
			t.Errorf("the first version's json_ld: %+v", ld)
		}
		enPage := e.versions("/api/v1/articles/slug/"+en.Slug, "")
		if got := langs(enPage); got != "ar" {
			t.Errorf("the English page links %q", got)
		}
		if w := enPage.Data.JSONLD.TranslationOfWork; w == nil || w.InLanguage != "ar" || !strings.HasSuffix(w.ID, "/news/"+url.PathEscape(ar.Slug)) {
			t.Errorf("the English version's translationOfWork: %+v", w)
		}
		// Published later, the French version appears on the cached page.
		e.publish(tok, fr.ID, "")
		if got := langs(e.versions("/api/v1/articles/"+ar.ID, "")); got != "en,fr" {
			t.Errorf("after the French version is published, readers see %q", got)
		}
		// Lists carry the languages a story can be read in.
		var l struct {
			Data []struct {
				ID        string
				Languages []string
			}
		}
		e.get("/api/v1/articles").decode(t, &l)
		for _, it := range l.Data {
			if (it.ID == ar.ID || it.ID == en.ID) && strings.Join(it.Languages, ",") != "ar,en,fr" {
				t.Errorf("list item %s: languages %v", it.ID, it.Languages)
			}
		}

		// Related: in the page's language, never the story's own versions.
		e.publish(tok, e.draft(tok, map[string]any{"title": "Port inquiry", "tags": []string{"economy"}}).ID, "")
		e.publish(tok, e.draft(tok, map[string]any{"title": "تحقيق المرفأ", "language": "ar", "tags": []string{"economy"}}).ID, "")
		for path, want := range map[string]string{"/api/v1/articles/" + ar.ID + "/related": "ar", "/api/v1/articles/" + ar.ID + "/related?lang=en": "en"} {
			l := e.list(path, "")
			if len(l.Data) == 0 {
				t.Errorf("%s: empty", path)
			}
			for _, a := range l.Data {
				if a.ID == en.ID || a.ID == fr.ID || !strings.Contains(string(e.get("/api/v1/articles/"+a.ID).Body), `"language":"`+want+`"`) {
					t.Errorf("%s lists %s (%s)", path, a.ID, a.Title)
				}
			}
		}

		// Feeds per language.
		var feed struct {
			Language string `json:"language"`
			FeedURL  string `json:"feed_url"`
			Items    []struct{ Language string }
		}
		e.get("/feeds/latest.json?lang=ar").decode(t, &feed)
		if feed.Language != "ar" || !strings.HasSuffix(feed.FeedURL, "/feeds/latest.json?lang=ar") || len(feed.Items) != 2 {
			t.Errorf("the Arabic feed: %s, %s, %d items", feed.Language, feed.FeedURL, len(feed.Items))
		}
		for _, it := range feed.Items {
			if it.Language != "ar" {
				t.Errorf("an item in %s in the Arabic feed", it.Language)
			}
		}
		want(t, e.get("/feeds/category/news.rss?lang=!!"), http.StatusBadRequest, "invalid")
		// Feed entries link the other versions readers can read.
		for _, path := range []string{"/feeds/latest.atom", "/feeds/latest.rss"} {
			body := string(e.get(path).Body)
			enURL := testSite.URL + "/news/" + url.PathEscape(en.Slug)
			if !strings.Contains(body, `href="`+enURL+`" rel="alternate" type="text/html" hreflang="en"`) ||
				!strings.Contains(body, `hreflang="ar"`) {
				t.Errorf("%s lacks the alternates:\n%.1500s", path, body)
			}
		}

		// Sitemaps: each version lists every version as an alternate.
		sm := string(e.get("/sitemaps/articles-" + time.Now().UTC().Format("2006-01") + ".xml").Body)
		for lang, a := range map[string]article{"ar": ar, "en": en} {
			if n := strings.Count(sm, `hreflang="`+lang+`" href="`+testSite.URL+"/news/"+url.PathEscape(a.Slug)+`"`); n != 3 {
				t.Errorf("%s is an alternate of %d entries, want 3: %s", a.Slug, n, sm)
			}
		}
		if n := strings.Count(sm, `hreflang="x-default" href="`+testSite.URL+"/news/"+url.PathEscape(ar.Slug)+`"`); n != 3 {
			t.Errorf("x-default names the Arabic version in %d entries, want 3", n)
		}
		for _, hl := range []string{`hreflang="ar"`, `hreflang="en"`, `hreflang="fr"`} {
			if strings.Count(sm, hl) != 3 {
				t.Errorf("%s appears %d times, want 3", hl, strings.Count(sm, hl))
			}
		}

		// Bad links, each refused, nothing changed.
		other := e.publish(tok, e.draft(tok, map[string]any{"title": "Another story"}).ID, "")
		de := e.draft(tok, map[string]any{"title": "Explosion im Hafen", "language": "de"})
		want(t, put(other.ID, de.ID), http.StatusOK, "") // another story, in its own group
		for name, r := range map[string]*response{
			"itself":         put(ar.ID, ar.ID),
			"unknown":        put(ar.ID, "01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"),
			"two in english": put(ar.ID, en.ID, other.ID),
			"no ids": e.do(req{method: "PUT", path: "/api/v1/articles/" + ar.ID + "/translations", token: tok,
				body: map[string]any{}}),
		} {
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		want(t, put(ar.ID, en.ID, fr.ID, de.ID), http.StatusConflict, "conflict") // de is another story's
		want(t, e.draft2(tok, map[string]any{"title": "نسخة ثانية", "language": "ar", "translation_of": en.ID}), http.StatusConflict, "conflict")
		want(t, e.draft2(tok, map[string]any{"translation_of": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"}), http.StatusBadRequest, "invalid")
		writer, _ := e.user("writer", "writer@example.com")
		want(t, e.do(req{method: "PUT", path: "/api/v1/articles/" + ar.ID + "/translations", token: writer, body: map[string]any{"ids": []string{}}}), http.StatusForbidden, "forbidden")
		if got := langs(e.versions("/api/v1/articles/"+ar.ID, tok)); got != "en,fr" {
			t.Errorf("after refused links, the group is %q", got)
		}

		// A new version joins on create.
		tr := e.draft(tok, map[string]any{"title": "Liman patlaması", "language": "tr", "translation_of": en.ID})
		if got := langs(e.versions("/api/v1/articles/"+ar.ID, tok)); got != "en,fr,tr" {
			t.Errorf("after translation_of, the group is %q", got)
		}
		// Deleting one version leaves the others; unlinking leaves the
		// rest linked, and a version left alone is linked to nothing.
		want(t, e.do(req{method: "DELETE", path: "/api/v1/articles/" + tr.ID, token: tok}), http.StatusNoContent, "")
		want(t, put(en.ID), http.StatusOK, "")
		if got, alone := langs(e.versions("/api/v1/articles/"+ar.ID, tok)), langs(e.versions("/api/v1/articles/"+en.ID, tok)); got != "fr" || alone != "" {
			t.Errorf("after unlinking the English version: ar links %q, en links %q", got, alone)
		}
		want(t, put(ar.ID), http.StatusOK, "")
		if got := langs(e.versions("/api/v1/articles/"+fr.ID, tok)); got != "" {
			t.Errorf("the French version, left alone, links %q", got)
		}
		// Joining through a version already linked: the group is exactly
		// what was named.
		want(t, put(fr.ID, en.ID), http.StatusOK, "")
		want(t, put(ar.ID, fr.ID), http.StatusOK, "")
		if got, en := langs(e.versions("/api/v1/articles/"+ar.ID, tok)), langs(e.versions("/api/v1/articles/"+en.ID, tok)); got != "fr" || en != "" {
			t.Errorf("after linking ar to fr: ar links %q, en links %q", got, en)
		}
	})
}
