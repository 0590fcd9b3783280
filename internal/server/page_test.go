package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestOneRequestPages: the article page and the front page each come
// whole from one request, in a constant number of statements.
func TestOneRequestPages(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, noCache) // counts the statements a request itself runs
		tok := e.newsroom()
		var ar []article
		for i := range 6 {
			fields := map[string]any{"title": fmt.Sprintf("خبر %d", i), "language": "ar", "tags": []string{"economy"}}
			if i%2 == 1 {
				fields["category"] = "syria"
			}
			if i == 0 {
				fields["breaking"] = true
			}
			if i == 1 {
				fields["featured"] = true
			}
			ar = append(ar, e.publish(tok, e.draft(tok, fields).ID, time.Now().UTC().Add(-time.Duration(i)*time.Hour).Format(time.RFC3339)))
		}
		en := e.publish(tok, e.draft(tok, map[string]any{"title": "English story", "category": "opinion", "tags": []string{"economy"}}).ID, "")
		for i, a := range append(ar, en) {
			for v := range i + 1 {
				e.view(a.ID, map[string]string{"visitor_id": fmt.Sprint(v)}, browser)
			}
		}
		e.views.Flush(context.Background())
		e.views.Refresh(context.Background())

		before := e.store.Queries()
		r := e.do(req{method: "GET", path: "/api/v1/articles/slug/" + url.PathEscape(ar[0].Slug) + "?include=related,popular"})
		statements := e.store.Queries() - before
		want(t, r, http.StatusOK, "")
		var page struct {
			Data struct {
				ID      string
				Related []article
				Popular []article
			}
		}
		r.decode(t, &page)
		// Related: the five other Arabic stories, not the English one
		// (the block is in the page's language).
		if len(page.Data.Related) != 5 || len(page.Data.Popular) != 5 {
			t.Fatalf("related %d, popular %d", len(page.Data.Related), len(page.Data.Popular))
		}
		for _, r := range page.Data.Related {
			if r.Title == "English story" {
				t.Error("the related block of an Arabic page shows an English story")
			}
		}
		for _, p := range page.Data.Popular {
			if p.ID == ar[0].ID || p.Title == "English story" {
				t.Errorf("popular block shows %q on an Arabic page about %q", p.Title, ar[0].Title)
			}
		}
		if page.Data.Popular[0].ID != ar[5].ID {
			t.Errorf("most read first: %+v", page.Data.Popular[0])
		}
		if statements > 12 {
			t.Errorf("article page with blocks: %d statements", statements)
		}
		r = e.do(req{method: "GET", path: "/api/v1/articles/" + ar[0].ID + "?include=popular&popular_lang=en&popular_limit=1"})
		page.Data.Related, page.Data.Popular = nil, nil
		r.decode(t, &page)
		if len(page.Data.Popular) != 1 || page.Data.Popular[0].Title != "English story" || page.Data.Related != nil {
			t.Errorf("include=popular, English: %+v", page.Data)
		}
		for _, q := range []string{"include=comments", "related_limit=0", "popular_window=1y", "popular_limit=99", "foo=1"} {
			want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + ar[0].ID + "?" + q}), http.StatusBadRequest, content.EINVALID)
		}

		before = e.store.Queries()
		r = e.do(req{method: "GET", path: "/api/v1/home?per_section=2&popular=3"})
		statements = e.store.Queries() - before
		want(t, r, http.StatusOK, "")
		var home struct {
			Data struct {
				Breaking, Featured, Popular []article
				Sections                    []struct {
					Category struct{ Slug string }
					Articles []article
				}
			}
		}
		r.decode(t, &home)
		d := home.Data
		if len(d.Breaking) != 1 || d.Breaking[0].ID != ar[0].ID || len(d.Featured) != 1 || d.Featured[0].ID != ar[1].ID || len(d.Popular) != 3 {
			t.Fatalf("home blocks: %+v", d)
		}
		if len(d.Sections) != 2 || d.Sections[0].Category.Slug != "news" || d.Sections[1].Category.Slug != "opinion" {
			t.Fatalf("sections: %+v", d.Sections)
		}
		if len(d.Sections[0].Articles) != 2 || d.Sections[0].Articles[0].ID != ar[0].ID || d.Sections[0].Articles[1].ID != ar[1].ID {
			t.Errorf("news (with syria) latest: %+v", d.Sections[0].Articles)
		}
		if statements > 11 {
			t.Errorf("home: %d statements", statements)
		}
		r = e.do(req{method: "GET", path: "/api/v1/home?lang=en&breaking=0&featured=0&popular=0"})
		home.Data.Sections = nil
		r.decode(t, &home)
		if len(home.Data.Breaking)+len(home.Data.Featured)+len(home.Data.Popular) != 0 || len(home.Data.Sections[1].Articles) != 1 || len(home.Data.Sections[0].Articles) != 0 {
			t.Errorf("english home: %+v", home.Data)
		}
		for _, q := range []string{"per_section=0", "per_section=21", "breaking=-1", "popular=21", "lang=??", "sections=9", "popular_window=x"} {
			want(t, e.do(req{method: "GET", path: "/api/v1/home?" + q}), http.StatusBadRequest, content.EINVALID)
		}
	})
}
