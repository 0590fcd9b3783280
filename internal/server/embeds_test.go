package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestEmbeds: players of the allowed providers survive sanitising,
// sandboxed; their blockquote markup survives; everything else is
// stripped; a site that takes fewer providers shows fewer; links to the
// site itself carry no nofollow.
func TestEmbeds(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		tok := e.newsroom()
		body := `<p>Watch:</p>
<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" sandbox="allow-top-navigation" allowfullscreen onload="alert(1)"></iframe>
<iframe src="https://player.vimeo.com/video/76979871"></iframe>
<iframe src="https://evil.example/embed/x"></iframe>
<blockquote class="twitter-tweet"><p>بيان</p><a href="https://twitter.com/x/status/123">x</a></blockquote><script src="https://platform.twitter.com/widgets.js"></script>
<p><a href="https://www.example.com/news/earlier-story">our earlier story</a> and <a href="https://elsewhere.example/report">a report</a></p>`
		a := e.publish(tok, e.draft(tok, map[string]any{"title": "Embeds", "body": body, "body_format": "html"}).ID, "")
		page := func(e *env) string {
			var got struct {
				Data struct {
					BodyHTML string `json:"body_html"`
				}
			}
			r := e.get("/api/v1/articles/" + a.ID)
			want(t, r, http.StatusOK, "")
			r.decode(t, &got)
			return got.Data.BodyHTML
		}
		html := page(e)
		for _, s := range []string{
			`<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"`,
			`referrerpolicy="strict-origin-when-cross-origin"`,
			`<iframe src="https://player.vimeo.com/video/76979871"`,
			`<blockquote class="twitter-tweet">`,
			`<a href="https://www.example.com/news/earlier-story" rel="noreferrer">`,
			`<a href="https://elsewhere.example/report" rel="nofollow noreferrer">`,
		} {
			if !strings.Contains(html, s) {
				t.Errorf("body_html lacks %s:\n%s", s, html)
			}
		}
		for _, s := range []string{"evil.example", "onload", "<script", "allow-top-navigation", "allowfullscreen"} {
			if strings.Contains(html, s) {
				t.Errorf("body_html keeps %s:\n%s", s, html)
			}
		}
		// A site that takes only Vimeo.
		vimeo := newEnvAt(t, e.url, func(c *server.Config) { c.Site = testSite; c.Embeds = []string{"vimeo"} })
		if html := page(vimeo); strings.Contains(html, "youtube.com") || !strings.Contains(html, "player.vimeo.com") {
			t.Errorf("with MASTHEAD_EMBEDS=vimeo:\n%s", html)
		}
	})
}
