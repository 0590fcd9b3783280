package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestSparseFields: every route that answers articles takes fields= and
// answers exactly the fields named, the blocks asked for included, and
// refuses a field its articles do not have.
func TestSparseFields(t *testing.T) {
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		var ids []string
		for i, title := range []string{"Port blast in Beirut", "Beirut port reopens", "Blast inquiry in Beirut"} {
			a := e.draft(tok, map[string]any{"title": title, "tags": []string{"economy"}, "featured": i == 0, "breaking": i == 1})
			e.publish(tok, a.ID, "")
			ids = append(ids, a.ID)
			want(t, e.view(a.ID, nil, browser), http.StatusAccepted, "")
		}
		if err := e.views.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		// Each case: the path, and where in the answer the articles are.
		for _, c := range []struct {
			path string
			at   func(map[string]any) []any
			want []string
		}{
			{"/api/v1/articles?fields=id,title", under("data"), []string{"id", "title"}},
			{"/api/v1/articles/" + ids[0] + "/related?fields=slug,cover", under("data"), []string{"slug"}}, // no cover: absent, as always
			{"/api/v1/articles/popular?window=all&fields=id,view_count", under("data"), []string{"id", "view_count"}},
			{"/api/v1/search?q=beirut&fields=id,snippet,score", under("data"), []string{"id", "score", "snippet"}},
			{"/api/v1/home?fields=id,breaking", func(m map[string]any) []any {
				d := m["data"].(map[string]any)
				out := append(append(d["breaking"].([]any), d["featured"].([]any)...), d["popular"].([]any)...)
				for _, s := range d["sections"].([]any) {
					out = append(out, s.(map[string]any)["articles"].([]any)...)
				}
				return out
			}, []string{"breaking", "id"}},
			{"/api/v1/articles/" + ids[0] + "?fields=id,body_html,version", one, []string{"body_html", "id", "version"}},
			{"/api/v1/articles/" + ids[0] + "?fields=title,body_html&include=related,popular", one, []string{"body_html", "popular", "related", "title"}},
			{"/api/v1/changes?fields=id,updated_at,body_html", func(m map[string]any) []any {
				var out []any
				for _, ch := range m["data"].([]any) {
					out = append(out, ch.(map[string]any)["article"])
				}
				return out
			}, []string{"body_html", "id", "updated_at"}},
		} {
			r := e.do(req{method: "GET", path: c.path})
			want(t, r, http.StatusOK, "")
			var body map[string]any
			r.decode(t, &body)
			items := c.at(body)
			if len(items) == 0 {
				t.Errorf("%s: no articles", c.path)
			}
			for _, it := range items {
				if got := sortedKeys(it.(map[string]any)); !slices.Equal(got, c.want) {
					t.Errorf("%s: fields %v, want %v", c.path, got, c.want)
				}
			}
			if etag := r.Header.Get("ETag"); !strings.Contains(c.path, "/changes") && etag == "" || etag == fmt.Sprintf("%q", "1") || etag == fmt.Sprintf("%q", "2") {
				t.Errorf("%s: ETag %s: a sparse answer carries an ETag of its own bytes, not the article's version", c.path, etag)
			}
		}
		// Embedded blocks show the summary fields named.
		r := e.do(req{method: "GET", path: "/api/v1/articles/" + ids[0] + "?fields=title,body_html&include=related"})
		var one struct {
			Data struct{ Related []map[string]any }
		}
		r.decode(t, &one)
		if len(one.Data.Related) == 0 {
			t.Fatal("no related articles")
		}
		for _, it := range one.Data.Related {
			if got := sortedKeys(it); !slices.Equal(got, []string{"title"}) {
				t.Errorf("related block with fields=title,body_html: %v, want [title]", got)
			}
		}
		// A field the articles do not have is a 400 naming it.
		for _, path := range []string{
			"/api/v1/articles?fields=body", "/api/v1/articles/" + ids[0] + "/related?fields=snippet",
			"/api/v1/articles/popular?fields=password_hash", "/api/v1/search?q=beirut&fields=body_html",
			"/api/v1/home?fields=json_ld", "/api/v1/articles/" + ids[0] + "?fields=id,,title",
			"/api/v1/changes?fields=json_ld",
		} {
			r := e.do(req{method: "GET", path: path})
			want(t, r, http.StatusBadRequest, "invalid")
			if !strings.Contains(r.fields()["fields"], "unknown field") {
				t.Errorf("%s: fields problem %q", path, r.fields()["fields"])
			}
		}
	})
}

func under(key string) func(map[string]any) []any {
	return func(m map[string]any) []any { return m[key].([]any) }
}

func one(m map[string]any) []any { return []any{m["data"]} }

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
