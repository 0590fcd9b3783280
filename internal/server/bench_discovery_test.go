package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/testdb"
)

// discoveryArticles is the archive size of the discovery benchmarks.
const discoveryArticles = 100_000

// searchQueries are what readers type: common and rarer words, both
// languages, a phrase, an exclusion, an OR.
// Mostly words from the middle ranks of the archive's vocabulary, as
// searched-for words are in a real archive, and one common word
// ("inflation"); the benchmark logs how many stories each matches.
var searchQueries = []string{
	"festival", "المهرجان", `"oil price"`, "summit -treaty", "kw9x", "kwaz OR kwb1",
	"الجسر المدينة", "refugees camp", "concert", "المباراة", "ambassador", "inflation",
}

// BenchmarkDiscovery measures the discovery routes over 100,000 articles
// (500 tags, 20 sections) with reads counted for 20,000 of them. Each
// case warms up on a dozen requests, times 300 one after another (p50,
// p99: the time a request takes), then measures throughput with many in
// flight:
//
//	MASTHEAD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \\
//	    go test -run '^$' -bench Discovery -benchtime 3s -timeout 30m ./internal/server/
func BenchmarkDiscovery(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(string(engine), func(b *testing.B) {
			e := newEnv(b, engine)
			start := time.Now()
			slugs := loadArchive(b, e.store, discoveryArticles)
			seedViews(b, e, 20_000)
			b.Logf("%s: archive loaded and indexed in %v", engine, time.Since(start).Round(time.Second))
			for _, q := range searchQueries {
				_, total, err := e.store.Search(context.Background(), content.SearchQuery{Text: content.NormalizeSearch(q), Limit: 1, Page: 1})
				if err != nil {
					b.Fatal(err)
				}
				b.Logf("%s: search %q matches %d", engine, q, total)
			}
			id := func(i int) string { return fmt.Sprintf("art-%06d", i%discoveryArticles) }
			for _, bc := range []struct {
				name string
				path func(i int) string
			}{
				{"related", func(i int) string { return "/api/v1/articles/" + id(i*7919) + "/related" }},
				{"popular_24h", func(int) string { return "/api/v1/articles/popular" }},
				{"popular_trending_section", func(i int) string {
					return fmt.Sprintf("/api/v1/articles/popular?window=trending&category=section-%02d", i%4)
				}},
				{"search", func(i int) string {
					return "/api/v1/search?q=" + url.QueryEscape(searchQueries[i%len(searchQueries)])
				}},
				{"article_page", func(i int) string {
					return "/api/v1/articles/slug/" + slugs[(i*7919)%len(slugs)] + "?include=related,popular"
				}},
				{"home", func(int) string { return "/api/v1/home" }},
			} {
				b.Run(bc.name, func(b *testing.B) {
					// Warm up on the first dozen paths: every search query once,
					// a few related and page ones.
					for i := range len(searchQueries) {
						serve(e, bc.path(i))
					}
					lat := make([]time.Duration, 300)
					queries := e.store.Queries()
					for i := range lat {
						t0 := time.Now()
						if code := serve(e, bc.path(i)); code != http.StatusOK {
							b.Fatalf("%s: status %d", bc.path(i), code)
						}
						lat[i] = time.Since(t0)
					}
					perRequest := float64(e.store.Queries()-queries) / float64(len(lat))
					slices.Sort(lat)
					b.SetParallelism(8)
					b.ReportAllocs()
					b.ResetTimer()
					t0 := time.Now()
					var n atomic.Int64
					b.RunParallel(func(pb *testing.PB) {
						i := rand.IntN(100_000)
						for pb.Next() {
							i++
							n.Add(1)
							if code := serve(e, bc.path(i)); code != http.StatusOK {
								b.Errorf("%s: status %d", bc.path(i), code)
								return
							}
						}
					})
					b.ReportMetric(float64(n.Load())/time.Since(t0).Seconds(), "req/s")
					b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
					b.ReportMetric(perRequest, "sql/req")
				})
			}
		})
	}
}

// seedViews writes read counts for n articles: Zipf-distributed, over
// the last 30 days (hourly for the last 48 hours, daily before), then
// computes the popularity windows.
func seedViews(b testing.TB, e *env, n int) {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	zipf := rand.NewZipf(rng, 1.2, 1, 5000)
	hour := time.Now().UTC().Truncate(time.Hour)
	day := hour.Truncate(24 * time.Hour)
	var hourly, daily [][]any
	totals := map[string]int64{}
	for i := range n {
		id := fmt.Sprintf("art-%06d", (i*7)%discoveryArticles)
		for h := range 3 {
			v := int64(zipf.Uint64())
			hourly = append(hourly, []any{id, hour.Add(-time.Duration(rng.IntN(47)+h*0) * time.Hour), v})
			totals[id] += v
		}
		for d := 3; d < 6; d++ {
			v := int64(zipf.Uint64())
			daily = append(daily, []any{id, day.Add(-time.Duration(d*5) * 24 * time.Hour), v})
			totals[id] += v
		}
	}
	// Hours may repeat for one article: sum them first.
	hourly = sumRows(hourly)
	tx, err := e.store.SQLDB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	bulkInsert(b, tx, e.store.Engine(), "INSERT INTO article_views_hourly (article_id, bucket, views)", 3, hourly)
	bulkInsert(b, tx, e.store.Engine(), "INSERT INTO article_views_daily (article_id, bucket, views)", 3, daily)
	for id, v := range totals {
		if _, err := tx.Exec(testdb.Rebind(e.store.Engine(), `UPDATE articles SET view_count = ? WHERE id = ?`), v, id); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := e.views.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
}

func sumRows(rows [][]any) [][]any {
	sums := map[string]int64{}
	keys := map[string][]any{}
	var order []string
	for _, r := range rows {
		k := r[0].(string) + r[1].(time.Time).String()
		if _, ok := sums[k]; !ok {
			order = append(order, k)
			keys[k] = r[:2]
		}
		sums[k] += r[2].(int64)
	}
	out := make([][]any, len(order))
	for i, k := range order {
		out[i] = []any{keys[k][0], keys[k][1], sums[k]}
	}
	return out
}

// BenchmarkViewIngestion fires reads from distinct visitors at 1,000
// articles through the handler stack while the buffer flushes every 5
// seconds, then checks that every accepted read was written: zero lost.
func BenchmarkViewIngestion(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(string(engine), func(b *testing.B) {
			e := newEnv(b, engine)
			loadArchive(b, e.store, 1000)
			ctx, cancel := context.WithCancel(context.Background())
			var flushWG sync.WaitGroup
			flushWG.Add(1)
			go func() {
				defer flushWG.Done()
				t := time.NewTicker(5 * time.Second)
				defer t.Stop()
				for {
					select {
					case <-ctx.Done():
						return
					case <-t.C:
						if err := e.views.Flush(context.Background()); err != nil {
							b.Error(err)
						}
					}
				}
			}()
			var visitor, accepted atomic.Int64
			queries := e.store.Queries()
			b.SetParallelism(8)
			b.ResetTimer()
			t0 := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					v := visitor.Add(1)
					body := fmt.Sprintf(`{"visitor_id":"v%d"}`, v)
					r := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/api/v1/articles/art-%06d/views", v%1000), strings.NewReader(body))
					r.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					e.server.ServeHTTP(rec, r)
					if rec.Code != http.StatusAccepted {
						b.Errorf("status %d: %s", rec.Code, rec.Body)
						return
					}
					accepted.Add(1)
				}
			})
			elapsed := time.Since(t0)
			b.StopTimer()
			cancel()
			flushWG.Wait()
			if err := e.views.Flush(context.Background()); err != nil {
				b.Fatal(err)
			}
			var total int64
			if err := e.store.SQLDB().QueryRow(`SELECT COALESCE(SUM(view_count), 0) FROM articles`).Scan(&total); err != nil {
				b.Fatal(err)
			}
			if total != accepted.Load() {
				b.Fatalf("lost counts: %d accepted, %d written", accepted.Load(), total)
			}
			b.ReportMetric(float64(accepted.Load())/elapsed.Seconds(), "views/s")
			b.ReportMetric(float64(e.store.Queries()-queries)/elapsed.Seconds(), "sql/s")
		})
	}
}
