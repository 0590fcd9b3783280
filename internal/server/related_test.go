package server_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

func (e *env) related(id, q string) []string {
	e.t.Helper()
	var out []string
	for _, a := range e.list("/api/v1/articles/"+id+"/related"+q, "").Data {
		out = append(out, a.Title)
	}
	return out
}

func TestRelated(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		for _, name := range []string{"Port", "Lebanon"} {
			want(t, e.do(req{method: "POST", path: "/api/v1/tags", body: map[string]any{"name": name}, token: tok}), http.StatusCreated, "")
		}
		publish := func(fields map[string]any, at time.Time) article {
			return e.publish(tok, e.draft(tok, fields).ID, at.Format(time.RFC3339))
		}
		now := time.Now().UTC()
		// "lebanon" is on most of the archive; "port" on three stories.
		for i := range 8 {
			publish(map[string]any{"title": fmt.Sprintf("Filler %d", i), "category": "opinion", "tags": []string{"lebanon"}}, now.Add(-time.Duration(i+1)*time.Hour))
		}
		a := publish(map[string]any{"title": "Port explosion in Beirut kills dozens", "tags": []string{"port", "lebanon"}}, now.Add(-time.Hour))
		publish(map[string]any{"title": "Fresh port story", "category": "opinion", "tags": []string{"port"}}, now.Add(-48*time.Hour))
		publish(map[string]any{"title": "Old port story", "category": "opinion", "tags": []string{"port"}}, now.Add(-5*365*24*time.Hour))
		publish(map[string]any{"title": "Beirut port explosion aftermath", "category": "news"}, now.Add(-72*time.Hour))
		draft := e.draft(tok, map[string]any{"title": "Draft port story", "tags": []string{"port"}})

		got := e.related(a.ID, "?limit=24")
		if slices.Contains(got, a.Title) || slices.Contains(got, "Draft port story") {
			t.Fatalf("related shows itself or a draft: %v", got)
		}
		pos := func(title string) int {
			i := slices.Index(got, title)
			if i < 0 {
				t.Fatalf("%q not related: %v", title, got)
			}
			return i
		}
		// Equal overlap: the fresher story first. A rare shared tag beats a
		// common one, even years old.
		if pos("Fresh port story") > pos("Old port story") {
			t.Errorf("freshness: %v", got)
		}
		if pos("Old port story") > pos("Filler 0") {
			t.Errorf("rare tag below common tag: %v", got)
		}
		// Same section and like words, no shared tag: still in, above fillers.
		if pos("Beirut port explosion aftermath") > pos("Filler 7") {
			t.Errorf("text and section likeness: %v", got)
		}
		if def := e.related(a.ID, ""); len(def) != 6 {
			t.Errorf("default limit gives %d", len(def))
		}

		// Pins lead, in their order; a pinned draft waits for publication.
		ids := map[string]string{}
		for _, l := range []string{"Filler 5", "Old port story"} {
			for _, x := range e.list("/api/v1/articles?limit=100", "").Data {
				if x.Title == l {
					ids[l] = x.ID
				}
			}
		}
		r := e.do(req{method: "PUT", path: "/api/v1/articles/" + a.ID + "/related", token: tok,
			body: map[string]any{"ids": []string{ids["Filler 5"], draft.ID, ids["Old port story"]}}})
		want(t, r, http.StatusOK, "")
		got = e.related(a.ID, "?limit=3")
		if strings.Join(got, "|") != "Filler 5|Old port story|Fresh port story" {
			t.Errorf("pinned: %v", got)
		}
		// Unpublished, retagged and deleted articles leave at once.
		fresh := ""
		for _, x := range e.list("/api/v1/articles?limit=100", "").Data {
			if x.Title == "Fresh port story" {
				fresh = x.ID
			}
		}
		want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + fresh + "/unpublish", token: tok}), http.StatusOK, "")
		want(t, e.do(req{method: "DELETE", path: "/api/v1/articles/" + ids["Filler 5"], token: tok}), http.StatusNoContent, "")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + ids["Old port story"], body: map[string]any{"tags": []string{}}, token: tok}), http.StatusOK, "")
		got = e.related(a.ID, "?limit=24")
		if slices.Contains(got, "Fresh port story") || slices.Contains(got, "Filler 5") {
			t.Errorf("after unpublish and delete: %v", got)
		}
		if slices.Index(got, "Old port story") != 0 {
			t.Errorf("a pinned article leads whatever its tags: %v", got)
		}

		// Nothing shared: the section's latest fill the block.
		lone := publish(map[string]any{"title": "Zzz", "category": "syria"}, now)
		publish(map[string]any{"title": "Yyy", "category": "syria"}, now.Add(-time.Hour))
		if got := e.related(lone.ID, ""); !slices.Contains(got, "Yyy") {
			t.Errorf("fill from section: %v", got)
		}

		// Bad input.
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID + "/related?limit=25"}), http.StatusBadRequest, content.EINVALID)
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID + "/related?x=1"}), http.StatusBadRequest, content.EINVALID)
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + draft.ID + "/related"}), http.StatusNotFound, content.ENOTFOUND)
		put := func(body any, token string) *response {
			return e.do(req{method: "PUT", path: "/api/v1/articles/" + a.ID + "/related", body: body, token: token})
		}
		want(t, put(map[string]any{"ids": []string{"nope"}}, tok), http.StatusBadRequest, content.EINVALID)
		want(t, put(map[string]any{"ids": []string{a.ID}}, tok), http.StatusBadRequest, content.EINVALID)
		want(t, put(map[string]any{"ids": []string{fresh, fresh}}, tok), http.StatusBadRequest, content.EINVALID)
		want(t, put(map[string]any{"ids": make([]string, 25)}, tok), http.StatusBadRequest, content.EINVALID)
		want(t, put(map[string]any{}, tok), http.StatusBadRequest, content.EINVALID)
		want(t, put(map[string]any{"ids": "x"}, tok), http.StatusBadRequest, content.EINVALID)
		writer, _ := e.user(content.RoleWriter, "w@example.com")
		want(t, put(map[string]any{"ids": []string{}}, writer), http.StatusForbidden, content.EFORBIDDEN)
		want(t, put(map[string]any{"ids": []string{}}, tok), http.StatusOK, "")
		// Unpinned and untagged, in another section: it shares nothing now.
		got = e.related(a.ID, "?limit=24")
		if slices.Contains(got, "Old port story") {
			t.Errorf("after unpin and retag: %v", got)
		}
	})
}
