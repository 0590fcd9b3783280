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

type siteAnswer struct {
	Data struct {
		Name, Description, Copyright string
		Names                        map[string]string
		DefaultLanguage              string `json:"default_language"`
		Languages                    []string
		Logo                         *struct{ URL string }
		Social                       map[string]string
		Newsletter                   struct {
			Title, Button string
			Sections      []string
		}
		Version int
	}
}

// TestSiteSettings: the site's settings are served to readers from the
// environment until admins set them through the API, which then wins in
// every answer, feed and json_ld at once; bad input changes nothing.
func TestSiteSettings(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		editor := e.newsroom()
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		get := func(path string) siteAnswer {
			t.Helper()
			var out siteAnswer
			r := e.get(path)
			want(t, r, http.StatusOK, "")
			r.decode(t, &out)
			return out
		}
		fresh := get("/api/v1/site")
		if fresh.Data.Name != "The Daily" || fresh.Data.Version != 1 || fresh.Data.Social == nil {
			t.Fatalf("a fresh site: %+v", fresh.Data)
		}
		patch := func(token string, body map[string]any, ifMatch string) *response {
			h := map[string]string{}
			if ifMatch != "" {
				h["If-Match"] = ifMatch
			}
			return e.do(req{method: "PATCH", path: "/api/v1/site", token: token, body: body, header: h})
		}
		r := patch(admin, map[string]any{
			"names": map[string]string{"ar": "اليومية"}, "descriptions": map[string]string{"ar": "أخبار المشرق", "en": "News from the Levant."},
			"languages": []string{"ar", "EN"}, "default_language": "ar", "logo": map[string]string{"url": "https://cdn.example.com/logo.png"},
			"social": map[string]string{"x": "@thedaily", "telegram": "https://t.me/thedaily"}, "copyright": map[string]string{"ar": "© اليومية", "en": "© The Daily"},
			"contact_email": "desk@example.com",
			"newsletter": map[string]any{"title": map[string]string{"ar": "اشترك في نشرتنا", "en": "Subscribe to our mailing list to get the new updates!"},
				"button": map[string]string{"ar": "اشترك", "en": "Subscribe"}, "sections": []string{"news", "opinion"}},
		}, `"1"`)
		want(t, r, http.StatusOK, "")
		if r.Header.Get("ETag") != `"2"` {
			t.Errorf("ETag %q", r.Header.Get("ETag"))
		}
		for lang, w := range map[string][3]string{
			"ar": {"اليومية", "أخبار المشرق", "اشترك في نشرتنا"},
			"en": {"The Daily", "News from the Levant.", "Subscribe to our mailing list to get the new updates!"},
			"":   {"اليومية", "أخبار المشرق", "اشترك في نشرتنا"}, // the default language, now Arabic
		} {
			got := get("/api/v1/site?lang=" + lang).Data
			if got.Name != w[0] || got.Description != w[1] || got.Newsletter.Title != w[2] || got.Logo == nil ||
				got.Logo.URL != "https://cdn.example.com/logo.png" || got.Social["x"] != "@thedaily" || got.Version != 2 ||
				strings.Join(got.Languages, ",") != "ar,en" || strings.Join(got.Newsletter.Sections, ",") != "news,opinion" {
				t.Errorf("site in %q: %+v", lang, got)
			}
		}
		// Feeds and structured data read the same settings.
		a := e.publish(editor, e.draft(editor, map[string]any{"title": "انفجار في مرفأ بيروت", "language": "ar"}).ID, "")
		if feed := string(e.get("/feeds/latest.rss?lang=ar").Body); !strings.Contains(feed, "<title>اليومية</title>") {
			t.Errorf("Arabic feed title: %.300s", feed)
		}
		if page := string(e.get("/api/v1/articles/" + a.ID).Body); !strings.Contains(page, `"publisher":{"@type":"NewsMediaOrganization","name":"اليومية"`) ||
			!strings.Contains(page, `"logo":{"@type":"ImageObject","url":"https://cdn.example.com/logo.png"}`) {
			t.Errorf("json_ld publisher: %.1200s", page)
		}

		// Bad input: a clear 4xx, nothing stored.
		for _, c := range []struct {
			name   string
			token  string
			body   map[string]any
			match  string
			status int
			code   string
			field  string
		}{
			{"an editor", editor, map[string]any{"name": "x"}, "", 403, content.EFORBIDDEN, ""},
			{"anonymous", "", map[string]any{"name": "x"}, "", 401, content.EUNAUTHORIZED, ""},
			{"unknown field", admin, map[string]any{"theme": "dark"}, "", 400, content.EINVALID, "theme"},
			{"empty name", admin, map[string]any{"name": " "}, "", 400, content.EINVALID, "name"},
			{"logo not http", admin, map[string]any{"logo": map[string]string{"url": "javascript:alert(1)"}}, "", 400, content.EINVALID, "logo.url"},
			{"logo media unknown", admin, map[string]any{"logo": map[string]string{"media_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"}}, "", 400, content.EINVALID, "logo.media_id"},
			{"bad language", admin, map[string]any{"languages": []string{"ar", "not a tag"}}, "", 400, content.EINVALID, "languages"},
			{"default not offered", admin, map[string]any{"languages": []string{"en"}, "default_language": "ar"}, "", 400, content.EINVALID, "default_language"},
			{"unknown network", admin, map[string]any{"social": map[string]string{"myspace": "x"}}, "", 400, content.EINVALID, "social"},
			{"bad handle", admin, map[string]any{"social": map[string]string{"x": "<script>"}}, "", 400, content.EINVALID, "social.x"},
			{"bad email", admin, map[string]any{"contact_email": "desk"}, "", 400, content.EINVALID, "contact_email"},
			{"unknown section", admin, map[string]any{"newsletter": map[string]any{"sections": []string{"sport"}}}, "", 400, content.EINVALID, "newsletter.sections"},
			{"names in no language", admin, map[string]any{"names": map[string]string{"xx yy": "x"}}, "", 400, content.EINVALID, "names"},
			{"stale version", admin, map[string]any{"name": "x"}, `"1"`, 412, content.EPRECONDITIONFAILED, ""},
		} {
			r := patch(c.token, c.body, c.match)
			want(t, r, c.status, c.code)
			if c.field != "" && !strings.Contains(string(r.Body), `"`+c.field+`"`) {
				t.Errorf("%s: %s", c.name, r.Body)
			}
		}
		if got := get("/api/v1/site").Data; got.Version != 2 || got.Name != "اليومية" {
			t.Errorf("refused edits changed the settings: %+v", got)
		}
	})
}
