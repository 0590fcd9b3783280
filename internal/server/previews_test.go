package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestPreviews: a preview link shows one draft to whoever holds it, by id
// and by slug, never through a cache, until it expires or is revoked;
// a link that is altered or for another article shows nothing.
func TestPreviews(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		editor := e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		other, _ := e.user(content.RoleWriter, "other@example.com")
		draft := e.draft(writer, map[string]any{"title": "Embargoed: the port inquiry"})
		second := e.draft(editor, map[string]any{"title": "Another draft"})
		mint := func(id, token string, body any) *response {
			return e.do(req{method: "POST", path: "/api/v1/articles/" + id + "/previews", token: token, body: body})
		}
		var minted struct {
			Data struct {
				Token, URL string
				ExpiresAt  time.Time `json:"expires_at"`
			}
		}
		r := mint(draft.ID, writer, nil)
		want(t, r, http.StatusCreated, "")
		r.decode(t, &minted)
		tok := minted.Data.Token
		if !strings.HasPrefix(tok, "mhp_") || !strings.Contains(minted.Data.URL, url.QueryEscape(tok)) ||
			minted.Data.ExpiresAt.Sub(time.Now()) < 23*time.Hour {
			t.Fatalf("minted %+v", minted.Data)
		}

		q := "?preview=" + url.QueryEscape(tok)
		want(t, e.get("/api/v1/articles/"+draft.ID), http.StatusNotFound, content.ENOTFOUND)
		for range 2 { // the second would be a cache hit if it were kept
			for _, path := range []string{"/api/v1/articles/" + draft.ID + q, "/api/v1/articles/slug/" + url.PathEscape(draft.Slug) + q + "&include=related"} {
				r := e.get(path)
				want(t, r, http.StatusOK, "")
				if !strings.Contains(string(r.Body), "Embargoed: the port inquiry") || r.Header.Get("Cache-Control") != "private, no-store" ||
					r.Header.Get("X-Robots-Tag") != "noindex" || r.Header.Get("Surrogate-Key") != "" {
					t.Errorf("%s: %v %.200s", path, r.Header, r.Body)
				}
			}
		}

		// Links that show nothing: altered, for another article, unknown.
		altered := tok[:len(tok)-1] + "A"
		if strings.HasSuffix(tok, "A") {
			altered = tok[:len(tok)-1] + "B"
		}
		for _, c := range []struct{ path, token string }{
			{"/api/v1/articles/" + draft.ID, altered},
			{"/api/v1/articles/" + second.ID, tok},
			{"/api/v1/articles/" + draft.ID, "mhp_nothing"},
		} {
			r := e.get(c.path + "?preview=" + url.QueryEscape(c.token))
			want(t, r, http.StatusForbidden, content.EFORBIDDEN)
			if strings.Contains(string(r.Body), "Embargoed") || strings.Contains(string(r.Body), "Another draft") {
				t.Errorf("a refused preview told the story: %s", r.Body)
			}
		}

		// Bad requests for a link.
		for _, c := range []struct {
			name   string
			id     string
			token  string
			body   any
			status int
			code   string
		}{
			{"too short", draft.ID, writer, map[string]any{"expires_in": 10}, 400, content.EINVALID},
			{"too long", draft.ID, writer, map[string]any{"expires_in": 365 * 24 * 3600}, 400, content.EINVALID},
			{"not a number", draft.ID, writer, map[string]any{"expires_in": "soon"}, 400, content.EINVALID},
			{"unknown field", draft.ID, writer, map[string]any{"article": "x"}, 400, content.EINVALID},
			{"someone else's story", draft.ID, other, nil, 403, content.EFORBIDDEN},
			{"anonymous", draft.ID, "", nil, 401, content.EUNAUTHORIZED},
			{"no such article", "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z", editor, nil, 404, content.ENOTFOUND},
		} {
			r := mint(c.id, c.token, c.body)
			want(t, r, c.status, c.code)
		}
		want(t, e.do(req{method: "DELETE", path: "/api/v1/articles/" + draft.ID + "/previews", token: other}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.get("/api/v1/articles/"+draft.ID+q), http.StatusOK, "")

		// Expiry, on the server's clock.
		r = mint(draft.ID, editor, map[string]any{"expires_in": 60})
		want(t, r, http.StatusCreated, "")
		r.decode(t, &minted)
		short := "?preview=" + url.QueryEscape(minted.Data.Token)
		want(t, e.get("/api/v1/articles/"+draft.ID+short), http.StatusOK, "")
		e.clock.Advance(2 * time.Minute)
		r = e.get("/api/v1/articles/" + draft.ID + short)
		want(t, r, http.StatusForbidden, content.EFORBIDDEN)
		if !strings.Contains(string(r.Body), "expired") {
			t.Errorf("expired: %s", r.Body)
		}
		e.clock.Reset()

		// Revoked: every live link of the article at once.
		want(t, e.do(req{method: "DELETE", path: "/api/v1/articles/" + draft.ID + "/previews", token: writer}), http.StatusNoContent, "")
		r = e.get("/api/v1/articles/" + draft.ID + q)
		want(t, r, http.StatusForbidden, content.EFORBIDDEN)
		if !strings.Contains(string(r.Body), "revoked") {
			t.Errorf("revoked: %s", r.Body)
		}
	})
}
