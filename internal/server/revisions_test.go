package server_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

type revisionList struct {
	Data []struct {
		ID        string
		Version   int
		CreatedBy string `json:"created_by"`
		Fields    []string
	}
	Meta struct{ Total int }
}

// TestRevisions: every editorial save is kept (a draft's quick saves by
// one person as one), listed, shown in full and restorable as a new
// revision; flags keep none; bad input changes nothing.
func TestRevisions(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		other, otherID := e.user(content.RoleEditor, "second@example.com")
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		want(t, e.do(req{method: "POST", path: "/api/v1/tags", token: tok, body: map[string]any{"name": "Temporary"}}), http.StatusCreated, "")
		list := func(id string) revisionList {
			t.Helper()
			var out revisionList
			r := e.do(req{method: "GET", path: "/api/v1/articles/" + id + "/revisions", token: tok})
			want(t, r, http.StatusOK, "")
			r.decode(t, &out)
			return out
		}
		patch := func(id, token string, body map[string]any) article {
			t.Helper()
			r := e.do(req{method: "PATCH", path: "/api/v1/articles/" + id, token: token, body: body})
			want(t, r, http.StatusOK, "")
			var out struct{ Data article }
			r.decode(t, &out)
			return out.Data
		}

		a := e.draft(tok, map[string]any{"title": "Port blast", "tags": []string{"temporary"}})
		patch(a.ID, tok, map[string]any{"body": "A blast shook the port."})
		patch(a.ID, tok, map[string]any{"subtitle": "Dozens hurt"})
		if l := list(a.ID); l.Meta.Total != 1 || !slices.Contains(l.Data[0].Fields, "subtitle") || !slices.Contains(l.Data[0].Fields, "title") {
			t.Fatalf("a draft's quick saves by one editor: %+v", l)
		}
		patch(a.ID, other, map[string]any{"title": "Port blast in Beirut", "tags": []string{}})
		e.publish(tok, a.ID, "")
		patch(a.ID, tok, map[string]any{"breaking": true}) // a flag: no revision
		patch(a.ID, tok, map[string]any{"title": "Blast at Beirut port"})
		last := patch(a.ID, tok, map[string]any{"title": "Blast at Beirut port kills three"})
		l := list(a.ID)
		if l.Meta.Total != 4 || len(l.Data) != 4 || l.Data[0].Version <= l.Data[1].Version || l.Data[2].CreatedBy != otherID ||
			!slices.Equal(l.Data[0].Fields, []string{"title"}) || !slices.Equal(l.Data[2].Fields, []string{"title", "tags"}) {
			t.Fatalf("revisions %+v", l)
		}

		// One in full: the values before and after.
		var one struct {
			Data struct {
				ID       string
				Previous struct{ Title string }
				Snapshot struct {
					Title string
					Tags  []string
				}
			}
		}
		r := e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID + "/revisions/" + l.Data[1].ID, token: tok})
		want(t, r, http.StatusOK, "")
		r.decode(t, &one)
		if one.Data.Previous.Title != "Port blast in Beirut" || one.Data.Snapshot.Title != "Blast at Beirut port" || one.Data.Snapshot.Tags == nil {
			t.Errorf("revision in full: %s", r.Body)
		}

		// Bad input: a clear 4xx, nothing changed.
		restore := func(id, rev string, ifMatch, token string) *response {
			h := map[string]string{}
			if ifMatch != "" {
				h["If-Match"] = ifMatch
			}
			return e.do(req{method: "POST", path: "/api/v1/articles/" + id + "/revisions/" + rev + "/restore", header: h, token: token})
		}
		b := e.draft(tok, map[string]any{"title": "Another story"})
		cur := `"` + strconv.Itoa(last.Version) + `"`
		want(t, restore(a.ID, l.Data[1].ID, `"1"`, tok), http.StatusPreconditionFailed, content.EPRECONDITIONFAILED)
		want(t, restore(b.ID, l.Data[1].ID, "", tok), http.StatusNotFound, content.ENOTFOUND) // another article's revision
		want(t, restore(a.ID, "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z", cur, tok), http.StatusNotFound, content.ENOTFOUND)
		want(t, restore(a.ID, l.Data[1].ID, cur, writer), http.StatusForbidden, content.EFORBIDDEN)
		want(t, restore(a.ID, l.Data[1].ID, cur, ""), http.StatusUnauthorized, content.EUNAUTHORIZED)
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID + "/revisions", token: writer}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z/revisions", token: tok}), http.StatusNotFound, content.ENOTFOUND)
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID + "/revisions?limit=0", token: tok}), http.StatusBadRequest, content.EINVALID)
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + b.ID + "/revisions/" + l.Data[1].ID, token: tok}), http.StatusNotFound, content.ENOTFOUND)
		// The first revision names a tag deleted since.
		want(t, e.do(req{method: "DELETE", path: "/api/v1/tags/temporary", token: tok}), http.StatusNoContent, "")
		r = restore(a.ID, l.Data[3].ID, cur, tok)
		want(t, r, http.StatusBadRequest, content.EINVALID)
		if !strings.Contains(string(r.Body), `"tags"`) {
			t.Errorf("restore with a deleted tag: %s", r.Body)
		}
		if got := list(a.ID); got.Meta.Total != 4 {
			t.Fatalf("refused restores changed the history: %+v", got)
		}
		if page := e.get("/api/v1/articles/" + a.ID); !strings.Contains(string(page.Body), "Blast at Beirut port kills three") {
			t.Fatalf("refused restores changed the story: %s", page.Body)
		}

		// Restore: the story reads as it did, readers see it at once, and
		// the restore is a revision of its own.
		r = restore(a.ID, l.Data[1].ID, cur, tok)
		want(t, r, http.StatusOK, "")
		if page := e.get("/api/v1/articles/" + a.ID); !strings.Contains(string(page.Body), `"title":"Blast at Beirut port"`) ||
			!strings.Contains(string(page.Body), `"breaking":true`) {
			t.Errorf("after restore: %.300s", page.Body)
		}
		if got := list(a.ID); got.Meta.Total != 5 || !slices.Equal(got.Data[0].Fields, []string{"title"}) {
			t.Errorf("after restore: %+v", got)
		}
	})
}
