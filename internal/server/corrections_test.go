package server_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

type corrected struct {
	Data struct {
		ID          string
		Version     int
		ModifiedAt  time.Time `json:"modified_at"`
		PublishedAt time.Time `json:"published_at"`
		UpdatedAt   time.Time `json:"updated_at"`
		Corrections []struct {
			ID, Text string
			At       time.Time
		}
		JSONLD struct {
			DateModified time.Time `json:"dateModified"`
			Correction   []struct {
				Type          string    `json:"@type"`
				Text          string    `json:"text"`
				DatePublished time.Time `json:"datePublished"`
			} `json:"correction"`
		} `json:"json_ld"`
	}
}

// TestCorrections: editors append public corrections to published
// stories; readers see them at once, in the article, its structured data
// and its feed entry; modified_at moves with editorial edits and
// corrections only; bad input changes nothing.
func TestCorrections(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		read := func(id string) corrected {
			t.Helper()
			var out corrected
			r := e.get("/api/v1/articles/" + id)
			want(t, r, http.StatusOK, "")
			r.decode(t, &out)
			return out
		}
		correct := func(id string, body map[string]any, header map[string]string, token string) *response {
			return e.do(req{method: "POST", path: "/api/v1/articles/" + id + "/corrections", body: body, header: header, token: token})
		}

		// Only a published story takes corrections.
		draft := e.draft(tok, map[string]any{"title": "Port blast"})
		want(t, correct(draft.ID, map[string]any{"text": "x"}, nil, tok), http.StatusConflict, content.ECONFLICT)
		soon := e.draft(tok, map[string]any{"title": "Embargoed"})
		e.publish(tok, soon.ID, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
		want(t, correct(soon.ID, map[string]any{"text": "x"}, nil, tok), http.StatusConflict, content.ECONFLICT)

		a := e.publish(tok, draft.ID, "")
		first := read(a.ID)
		if len(first.Data.Corrections) != 0 || first.Data.Corrections == nil && strings.Contains(string(e.get("/api/v1/articles/"+a.ID).Body), `"corrections":null`) {
			t.Fatalf("a new story's corrections: %+v", first.Data.Corrections)
		}
		// A flag is not an editorial edit; a title is.
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, token: tok, body: map[string]any{"breaking": true}}), http.StatusOK, "")
		flagged := read(a.ID)
		if !flagged.Data.ModifiedAt.Equal(first.Data.ModifiedAt) || !flagged.Data.UpdatedAt.After(first.Data.UpdatedAt) {
			t.Errorf("breaking: modified_at %v → %v, updated_at %v → %v", first.Data.ModifiedAt, flagged.Data.ModifiedAt, first.Data.UpdatedAt, flagged.Data.UpdatedAt)
		}
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, token: tok, body: map[string]any{"title": "Port blast in Beirut"}}), http.StatusOK, "")
		edited := read(a.ID)
		if !edited.Data.ModifiedAt.After(flagged.Data.ModifiedAt) {
			t.Errorf("a title edit left modified_at at %v", edited.Data.ModifiedAt)
		}

		// Bad input: a clear 4xx, nothing stored.
		for _, c := range []struct {
			name   string
			body   map[string]any
			header map[string]string
			token  string
			status int
			code   string
			field  string
		}{
			{"no text", map[string]any{}, nil, tok, 400, content.EINVALID, "text"},
			{"blank text", map[string]any{"text": "  "}, nil, tok, 400, content.EINVALID, "text"},
			{"markup", map[string]any{"text": "<script>alert(1)</script>"}, nil, tok, 400, content.EINVALID, "text"},
			{"too long", map[string]any{"text": strings.Repeat("x", content.MaxCorrectionLen+1)}, nil, tok, 400, content.EINVALID, "text"},
			{"in the future", map[string]any{"text": "x", "at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, nil, tok, 400, content.EINVALID, "at"},
			{"before publication", map[string]any{"text": "x", "at": "2020-01-01T00:00:00Z"}, nil, tok, 400, content.EINVALID, "at"},
			{"not a time", map[string]any{"text": "x", "at": "yesterday"}, nil, tok, 400, content.EINVALID, ""},
			{"unknown field", map[string]any{"text": "x", "by": "me"}, nil, tok, 400, content.EINVALID, "by"},
			{"stale version", map[string]any{"text": "x"}, map[string]string{"If-Match": `"1"`}, tok, 412, content.EPRECONDITIONFAILED, ""},
			{"a writer", map[string]any{"text": "x"}, nil, writer, 403, content.EFORBIDDEN, ""},
			{"anonymous", map[string]any{"text": "x"}, nil, "", 401, content.EUNAUTHORIZED, ""},
		} {
			r := correct(a.ID, c.body, c.header, c.token)
			want(t, r, c.status, c.code)
			if c.field != "" && !strings.Contains(string(r.Body), `"`+c.field+`"`) {
				t.Errorf("%s: %s", c.name, r.Body)
			}
		}
		want(t, correct("01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z", map[string]any{"text": "x"}, nil, tok), http.StatusNotFound, content.ENOTFOUND)
		if again := read(a.ID); again.Data.Version != edited.Data.Version || len(again.Data.Corrections) != 0 {
			t.Fatalf("refused corrections changed the story: version %d → %d, %d corrections", edited.Data.Version, again.Data.Version, len(again.Data.Corrections))
		}

		// A correction: readers see it at once (the cached page included).
		r := correct(a.ID, map[string]any{"text": "An earlier version gave the wrong number of injured."}, map[string]string{"If-Match": `"` + strconv.Itoa(edited.Data.Version) + `"`}, tok)
		want(t, r, http.StatusCreated, "")
		got := read(a.ID)
		d := got.Data
		if len(d.Corrections) != 1 || d.Corrections[0].Text != "An earlier version gave the wrong number of injured." || d.Corrections[0].ID == "" ||
			!d.ModifiedAt.After(edited.Data.ModifiedAt) || d.Version != edited.Data.Version+1 {
			t.Fatalf("after a correction: %+v", d)
		}
		if len(d.JSONLD.Correction) != 1 || d.JSONLD.Correction[0].Type != "CorrectionComment" || !d.JSONLD.Correction[0].DatePublished.Equal(d.Corrections[0].At) ||
			!d.JSONLD.DateModified.Equal(d.ModifiedAt) {
			t.Errorf("json_ld: %+v", d.JSONLD)
		}
		// An older one, dated: kept in date order.
		at := d.PublishedAt.Add(d.Corrections[0].At.Sub(d.PublishedAt) / 2).UTC().Format(time.RFC3339Nano)
		want(t, correct(a.ID, map[string]any{"text": "The port's name was misspelt.", "at": at}, nil, tok), http.StatusCreated, "")
		if cs := read(a.ID).Data.Corrections; len(cs) != 2 || cs[0].Text != "The port's name was misspelt." {
			t.Errorf("corrections in date order: %+v", cs)
		}
		// The feed shows the entry as updated.
		feed := string(e.get("/feeds/latest.json").Body)
		if !strings.Contains(feed, `"date_modified":"`+read(a.ID).Data.ModifiedAt.Format(time.RFC3339Nano)) {
			t.Errorf("feed entry not updated: %.600s", feed)
		}
	})
}
