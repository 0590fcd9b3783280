package server_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestConcurrentWritersShareTags: twenty editors create, retag and
// delete articles with overlapping tags at once, for 20 seconds
// (MASTHEAD_CONCURRENCY_SECONDS to change it). Nothing may fail but a
// 409 or 412, and afterwards every tag's article_count equals its links.
// On PostgreSQL this deadlocked and drifted while counts were recomputed
// over all of an article's tags in one UPDATE.
func TestConcurrentWritersShareTags(t *testing.T) {
	t.Parallel()
	seconds := 20
	if v, err := strconv.Atoi(os.Getenv("MASTHEAD_CONCURRENCY_SECONDS")); err == nil {
		seconds = v
	}
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		tags := []string{"elections", "lebanon", "syria", "economy-2", "climate-2", "gaza"}
		for _, name := range tags {
			want(t, e.do(req{method: "POST", path: "/api/v1/tags", body: map[string]any{"name": name}, token: tok}), http.StatusCreated, "")
		}
		pick := func(r *rand.Rand) []string {
			n := 1 + r.IntN(4)
			out := make([]string, 0, n)
			for _, i := range r.Perm(len(tags))[:n] {
				out = append(out, tags[i])
			}
			return out
		}
		var requests, refused atomic.Int64
		var mu sync.Mutex
		statuses := map[int]int{}
		count := func(r *response) {
			requests.Add(1)
			if r.Status >= 300 {
				mu.Lock()
				statuses[r.Status]++
				mu.Unlock()
				if r.Status != http.StatusConflict && r.Status != http.StatusPreconditionFailed {
					refused.Add(1)
					t.Errorf("status %d: %s", r.Status, r.Body)
				}
			}
		}
		stop := time.Now().Add(time.Duration(seconds) * time.Second)
		var wg sync.WaitGroup
		for w := range 20 {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(w), 7))
				for i := 0; time.Now().Before(stop); i++ {
					res := e.do(req{method: "POST", path: "/api/v1/articles", token: tok, body: map[string]any{
						"title": fmt.Sprintf("Writer %d story %d", w, i), "body": "Text.", "language": "en",
						"category": "news", "authors": []string{"levant-desk"}, "tags": pick(r)}})
					count(res)
					var created struct{ Data article }
					if res.Status != http.StatusCreated {
						continue
					}
					res.decode(t, &created)
					count(e.do(req{method: "PATCH", path: "/api/v1/articles/" + created.Data.ID, token: tok,
						body: map[string]any{"tags": pick(r)}}))
					if i%3 == 2 {
						count(e.do(req{method: "DELETE", path: "/api/v1/articles/" + created.Data.ID, token: tok}))
					}
				}
			})
		}
		wg.Wait()
		var drifted []string
		rows, err := e.store.SQLDB().Query(`SELECT t.slug, t.article_count, (SELECT count(*) FROM article_tags at WHERE at.tag_id = t.id) FROM tags t`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var slug string
			var stored, links int
			if err := rows.Scan(&slug, &stored, &links); err != nil {
				t.Fatal(err)
			}
			if stored != links {
				drifted = append(drifted, fmt.Sprintf("%s: %d stored, %d links", slug, stored, links))
			}
		}
		t.Logf("%s: %d requests in %d s, non-2xx by status %v", engine, requests.Load(), seconds, statuses)
		if len(drifted) > 0 || refused.Load() > 0 {
			t.Fatalf("%d requests refused; counters drifted: %v", refused.Load(), drifted)
		}
		if requests.Load() < 100 {
			t.Fatalf("only %d requests ran", requests.Load())
		}
	})
}
