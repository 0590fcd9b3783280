package server_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

type adsAnswer struct {
	Data []struct {
		Name      string
		Paragraph int
		Creatives []struct {
			ID, Kind, ClickURL, HTML string
			Unsanitized              bool
			Image                    *struct{ URL string }
		} `json:"creatives"`
	}
}

// TestAds: placements show on the pages, sections, formats and languages
// they target, creatives in schedule only, a schedule boundary ends the
// cached answer on time, pages embed them with include=ads, raw HTML is
// for admins, and bad placements are refused without storing anything.
func TestAds(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		editor := e.newsroom()
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		put := func(token, name string, body any) *response {
			return e.do(req{method: "PUT", path: "/api/v1/ads/placements/" + name, token: token, body: body})
		}
		image := func(alt string) map[string]any {
			return map[string]any{"kind": "image", "image": map[string]string{"url": "https://cdn.example.com/" + alt + ".png"},
				"click_url": "https://advertiser.example.com/" + alt, "alt": alt}
		}
		soon := e.clock.Now().Add(2 * time.Second).UTC()
		want(t, put(editor, "top-leaderboard", map[string]any{"sizes": []map[string]int{{"width": 970, "height": 90}, {"width": 320, "height": 50}},
			"pages": []string{"home", "article"}, "creatives": []any{image("winter"), func() map[string]any {
				m := image("later")
				m["start"] = soon.Format(time.RFC3339Nano)
				return m
			}()}}), http.StatusOK, "")
		want(t, put(editor, "in-article-1", map[string]any{"sizes": []map[string]int{{"width": 300, "height": 250}}, "pages": []string{"article"},
			"sections": []string{"news"}, "exclude_formats": []string{"opinion"}, "paragraph": 3,
			"creatives": []any{map[string]any{"kind": "unit", "unit": "/1234/article/box", "language": "ar"}}}), http.StatusOK, "")
		want(t, put(admin, "sidebar-1", map[string]any{"sizes": []map[string]int{{"width": 300, "height": 600}}, "pages": []string{"home"},
			"creatives": []any{map[string]any{"kind": "html", "html": "<div id=ad></div><script src=https://ads.example.com/x.js></script>"}}}), http.StatusOK, "")

		names := func(path string) string {
			t.Helper()
			var got adsAnswer
			r := e.get(path)
			want(t, r, http.StatusOK, "")
			r.decode(t, &got)
			var out []string
			for _, p := range got.Data {
				out = append(out, p.Name+":"+strconv.Itoa(len(p.Creatives)))
			}
			return strings.Join(out, ",")
		}
		for path, w := range map[string]string{
			"/api/v1/ads?page=home": "sidebar-1:1,top-leaderboard:1",
			"/api/v1/ads?page=article&section=news&format=news&lang=ar":    "in-article-1:1,top-leaderboard:1",
			"/api/v1/ads?page=article&section=news&format=news&lang=en":    "top-leaderboard:1", // the unit is Arabic only
			"/api/v1/ads?page=article&section=news&format=opinion&lang=ar": "top-leaderboard:1", // no in-article ads on opinion
			"/api/v1/ads?page=article&section=opinion&lang=ar":             "top-leaderboard:1",
			"/api/v1/ads?page=section&section=news":                        "",
		} {
			if got := names(path); got != w {
				t.Errorf("%s: %s, want %s", path, got, w)
			}
		}
		var got adsAnswer
		e.get("/api/v1/ads?page=home").decode(t, &got)
		if c := got.Data[0].Creatives[0]; c.Kind != "html" || !c.Unsanitized || !strings.Contains(c.HTML, "<script") {
			t.Errorf("the raw creative is not answered as set, marked: %+v", c)
		}

		// A schedule boundary ends the cached answer on time.
		time.Sleep(time.Until(soon) + 300*time.Millisecond)
		if got := names("/api/v1/ads?page=home"); got != "sidebar-1:1,top-leaderboard:2" {
			t.Errorf("after the later creative's start: %s", got)
		}

		// Pages embed their ads with the rest of their chrome.
		a := e.publish(editor, e.draft(editor, map[string]any{"title": "انفجار في مرفأ بيروت", "language": "ar"}).ID, "")
		page := string(e.get("/api/v1/articles/" + a.ID + "?include=ads").Body)
		if !strings.Contains(page, `"name":"in-article-1","sizes":[{"width":300,"height":250}]`) || !strings.Contains(page, `"paragraph":3`) {
			t.Errorf("article page with include=ads: %.600s", page)
		}
		if home := string(e.get("/api/v1/home?include=ads").Body); !strings.Contains(home, `"ads":[{"name":"sidebar-1"`) {
			t.Errorf("home with include=ads: %.400s", home)
		}

		// Bad placements: a clear 4xx, nothing stored.
		for _, c := range []struct {
			name   string
			token  string
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{"no size", editor, map[string]any{"sizes": []any{}, "pages": []string{"home"}}, 400, content.EINVALID, "sizes"},
			{"0x0", editor, map[string]any{"sizes": []map[string]int{{"width": 0, "height": 0}}, "pages": []string{"home"}}, 400, content.EINVALID, "sizes[0]"},
			{"99999x1", editor, map[string]any{"sizes": []map[string]int{{"width": 99999, "height": 1}}, "pages": []string{"home"}}, 400, content.EINVALID, "sizes[0]"},
			{"unknown page", editor, map[string]any{"sizes": []map[string]int{{"width": 1, "height": 1}}, "pages": []string{"search"}}, 400, content.EINVALID, "pages"},
			{"javascript click", editor, map[string]any{"sizes": []map[string]int{{"width": 728, "height": 90}}, "pages": []string{"home"},
				"creatives": []any{map[string]any{"kind": "image", "image": map[string]string{"url": "https://cdn.example.com/a.png"}, "click_url": "javascript:alert(1)", "alt": "x"}}}, 400, content.EINVALID, "creatives[0].click_url"},
			{"schedule backwards", editor, map[string]any{"sizes": []map[string]int{{"width": 728, "height": 90}}, "pages": []string{"home"},
				"creatives": []any{map[string]any{"kind": "unit", "unit": "/1/a", "start": "2027-01-02T00:00:00Z", "end": "2027-01-01T00:00:00Z"}}}, 400, content.EINVALID, "creatives[0].end"},
			{"raw html from an editor", editor, map[string]any{"sizes": []map[string]int{{"width": 728, "height": 90}}, "pages": []string{"home"},
				"creatives": []any{map[string]any{"kind": "html", "html": "<b>x</b>"}}}, 403, content.EFORBIDDEN, ""},
			{"unknown section", editor, map[string]any{"sizes": []map[string]int{{"width": 728, "height": 90}}, "pages": []string{"article"}, "sections": []string{"sport"}}, 400, content.EINVALID, "sections"},
			{"paragraph off the story", editor, map[string]any{"sizes": []map[string]int{{"width": 300, "height": 250}}, "pages": []string{"home"}, "paragraph": 2}, 400, content.EINVALID, "paragraph"},
			{"bad unit", editor, map[string]any{"sizes": []map[string]int{{"width": 728, "height": 90}}, "pages": []string{"home"},
				"creatives": []any{map[string]any{"kind": "unit", "unit": "leaderboard"}}}, 400, content.EINVALID, "creatives[0].unit"},
			{"unknown field", editor, map[string]any{"sizes": []map[string]int{{"width": 728, "height": 90}}, "pages": []string{"home"}, "cpm": 3}, 400, content.EINVALID, "cpm"},
			{"a writer", "", nil, 401, content.EUNAUTHORIZED, ""},
		} {
			r := put(c.token, "top-leaderboard", c.body)
			want(t, r, c.status, c.code)
			if c.field != "" && !strings.Contains(string(r.Body), `"`+c.field+`"`) {
				t.Errorf("%s: %s", c.name, r.Body)
			}
		}
		want(t, put(editor, "Top Leaderboard", map[string]any{"sizes": []map[string]int{{"width": 1, "height": 1}}, "pages": []string{"home"}}), http.StatusBadRequest, content.EINVALID)
		if got := names("/api/v1/ads?page=home"); got != "sidebar-1:1,top-leaderboard:2" {
			t.Errorf("refused placements changed what shows: %s", got)
		}
		want(t, e.do(req{method: "DELETE", path: "/api/v1/ads/placements/sidebar-1", token: editor}), http.StatusNoContent, "")
		if got := names("/api/v1/ads?page=home"); got != "top-leaderboard:2" {
			t.Errorf("after deleting the sidebar: %s", got)
		}
		want(t, e.get("/api/v1/ads?page=obituary"), http.StatusBadRequest, content.EINVALID)
	})
}
