package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

const browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"

func (e *env) view(id string, body any, ua string) *response {
	e.t.Helper()
	return e.do(req{method: "POST", path: "/api/v1/articles/" + id + "/views", body: body, header: map[string]string{"User-Agent": ua}})
}

func (e *env) viewCount(id string) int64 {
	e.t.Helper()
	a, err := e.store.FindArticle(context.Background(), id, false)
	if err != nil {
		e.t.Fatal(err)
	}
	return a.ViewCount
}

// TestViewsCountExactlyUnderConcurrency fires thousands of concurrent
// reads from distinct visitors (each its own address, behind a trusted
// proxy, as readers reach a site through its CDN) at one article; after
// the flush the total is exact, in the article and in the buckets.
func TestViewsCountExactlyUnderConcurrency(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
		e := newEnv(t, engine, func(c *server.Config) { c.TrustedProxies = []*net.IPNet{loopback} })
		tok := e.newsroom()
		a := e.publish(tok, e.draft(tok, nil).ID, "")
		const readers, each = 50, 60 // 3,000 reads
		var wg sync.WaitGroup
		for r := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					body := fmt.Sprintf(`{"visitor_id":"reader-%d-%d"}`, r, i)
					hr, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/articles/"+a.ID+"/views", stringsReader(body))
					hr.Header.Set("Content-Type", "application/json")
					hr.Header.Set("User-Agent", browser)
					hr.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.1", r, i))
					resp, err := http.DefaultClient.Do(hr)
					if err != nil || resp.StatusCode != http.StatusAccepted {
						t.Errorf("view: %v %v", err, resp)
						return
					}
					resp.Body.Close()
				}
			}()
			// Flush while reads arrive: nothing may fall between two flushes.
			if r%10 == 0 {
				if err := e.views.Flush(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
		}
		wg.Wait()
		if err := e.views.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := e.viewCount(a.ID); got != readers*each {
			t.Fatalf("view_count %d, want %d", got, readers*each)
		}
		var sum int64
		if err := e.store.SQLDB().QueryRow(testdb.Rebind(engine, `SELECT COALESCE(SUM(views), 0) FROM article_views_hourly WHERE article_id = ?`), a.ID).Scan(&sum); err != nil || sum != readers*each {
			t.Fatalf("hourly buckets hold %d (%v), want %d", sum, err, readers*each)
		}
	})
}

func TestViewsDedupeBotsAndVisibility(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		a := e.publish(tok, e.draft(tok, nil).ID, "")
		draft := e.draft(tok, nil)
		counted := func(r *response) bool {
			var out struct{ Data struct{ Counted bool } }
			r.decode(t, &out)
			return out.Data.Counted
		}
		// Anonymous: the same browser twice counts once.
		if r := e.view(a.ID, nil, browser); r.Status != http.StatusAccepted || !counted(r) {
			t.Fatalf("first read: %d %s", r.Status, r.Body)
		}
		if counted(e.view(a.ID, nil, browser)) {
			t.Fatal("reread within 30 minutes counted")
		}
		// Another visitor id counts; bots do not.
		if !counted(e.view(a.ID, map[string]string{"visitor_id": "app-1"}, browser)) {
			t.Fatal("app visitor not counted")
		}
		for _, ua := range []string{"Googlebot/2.1 (+http://www.google.com/bot.html)", "facebookexternalhit/1.1", "curl/8.0", ""} {
			if r := e.view(a.ID, nil, ua); r.Status != http.StatusAccepted || counted(r) {
				t.Errorf("bot %q: %d %s", ua, r.Status, r.Body)
			}
		}
		// Hidden articles are refused, bots or not; bad bodies are 400.
		want(t, e.view(draft.ID, nil, browser), http.StatusNotFound, content.ENOTFOUND)
		want(t, e.view(draft.ID, nil, "Googlebot"), http.StatusNotFound, content.ENOTFOUND)
		want(t, e.view("nope", nil, browser), http.StatusNotFound, content.ENOTFOUND)
		want(t, e.view(a.ID, map[string]any{"visitor_id": 5}, browser), http.StatusBadRequest, content.EINVALID)
		want(t, e.view(a.ID, map[string]any{"visitor_id": ""}, browser), http.StatusBadRequest, content.EINVALID)
		want(t, e.view(a.ID, map[string]any{"view_count": 1000}, browser), http.StatusBadRequest, content.EINVALID)
		// Published now, the draft is counted within a second.
		e.publish(tok, draft.ID, "")
		e.clock.Advance(2 * time.Second)
		if r := e.view(draft.ID, nil, browser); r.Status != http.StatusAccepted {
			t.Fatalf("view of a just-published article: %d %s", r.Status, r.Body)
		}
		// Thirty minutes on, the same browser counts again.
		e.clock.Advance(31 * time.Minute)
		if !counted(e.view(a.ID, nil, browser)) {
			t.Fatal("read after 31 minutes not counted")
		}
		e.views.Flush(context.Background())
		if got := e.viewCount(a.ID); got != 3 {
			t.Fatalf("view_count %d, want 3", got)
		}
	})
}

func TestPopular(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		var ids []string
		for i := range 4 {
			fields := map[string]any{"title": fmt.Sprintf("Story %d", i)}
			if i == 3 {
				fields["category"], fields["language"] = "syria", "ar"
			}
			ids = append(ids, e.publish(tok, e.draft(tok, fields).ID, "").ID)
		}
		// Story 1 read 5 times, story 3 three times, story 0 once; story 2 never.
		for i, n := range []int{1, 5, 0, 3} {
			for v := range n {
				e.view(ids[i], map[string]string{"visitor_id": fmt.Sprint("v", v)}, browser)
			}
		}
		// An old peak: story 0 had 100 reads three days ago.
		old := time.Now().UTC().Truncate(time.Hour).Add(-72 * time.Hour)
		if err := e.store.AddViews(context.Background(), []content.ViewCount{{ArticleID: ids[0], Hour: old, Views: 100}}); err != nil {
			t.Fatal(err)
		}
		if err := e.views.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := e.views.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		order := func(q string) []string {
			var out []string
			for _, a := range e.list("/api/v1/articles/popular"+q, "").Data {
				out = append(out, a.Title)
			}
			return out
		}
		for q, wantTitles := range map[string][]string{
			"":                    {"Story 1", "Story 3", "Story 0"},
			"?window=7d":          {"Story 0", "Story 1", "Story 3"},
			"?window=all":         {"Story 0", "Story 1", "Story 3"},
			"?window=trending":    {"Story 1", "Story 3", "Story 0"},
			"?window=1h&limit=1":  {"Story 1"},
			"?category=syria":     {"Story 3"},
			"?lang=ar&window=30d": {"Story 3"},
			"?category=opinion":   nil,
		} {
			if got := order(q); fmt.Sprint(got) != fmt.Sprint(wantTitles) {
				t.Errorf("popular%s: %v, want %v", q, got, wantTitles)
			}
		}
		// The rolled-up day keeps the old reads.
		var daily int64
		e.store.SQLDB().QueryRow(testdb.Rebind(engine, `SELECT COALESCE(SUM(views), 0) FROM article_views_daily WHERE article_id = ?`), ids[0]).Scan(&daily)
		if daily != 100 {
			t.Errorf("daily bucket %d, want 100", daily)
		}
		// Unpublished articles leave the block at once.
		want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + ids[1] + "/unpublish", token: tok}), http.StatusOK, "")
		if got := order(""); fmt.Sprint(got) != fmt.Sprint([]string{"Story 3", "Story 0"}) {
			t.Errorf("after unpublish: %v", got)
		}
		for _, q := range []string{"window=2h", "limit=51", "limit=0", "lang=!!", "sort=views", "category=%00"} {
			want(t, e.do(req{method: "GET", path: "/api/v1/articles/popular?" + q}), http.StatusBadRequest, content.EINVALID)
		}
	})
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
