package server_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/testdb"
	"github.com/masthead/masthead/internal/webhook"
)

// BenchmarkSitemap measures sitemap generation over a large archive
// (MASTHEAD_SITEMAP_ARTICLES, default 1,000,000): each sitemap fetched
// over HTTP and read to the end, with its time, size and the heap it
// needed (peak above the idle heap, sampled every millisecond):
//
//	MASTHEAD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \\
//	    go test -run '^$' -bench 'Sitemap/postgres' -benchtime 1x -timeout 60m -v ./internal/server/
func BenchmarkSitemap(b *testing.B) {
	n := 1_000_000
	if v := os.Getenv("MASTHEAD_SITEMAP_ARTICLES"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	for _, engine := range testdb.Engines {
		b.Run(string(engine), func(b *testing.B) {
			e := newEnv(b, engine)
			start := time.Now()
			loadArticles(b, e.store, n)
			b.Logf("%s: %d articles loaded in %v", engine, n, time.Since(start).Round(time.Second))
			fetch := func(path string) (d time.Duration, size int64, heap uint64) {
				heap = peakHeap(func() {
					t0 := time.Now()
					resp, err := http.Get(e.srv.URL + path)
					if err != nil {
						b.Fatal(err)
					}
					size, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					d = time.Since(t0)
					if err != nil || resp.StatusCode != http.StatusOK {
						b.Fatalf("%s: %d %v", path, resp.StatusCode, err)
					}
				})
				return d, size, heap
			}
			for b.Loop() {
				total := time.Duration(0)
				d, size, heap := fetch("/sitemap.xml")
				total += d
				b.Logf("%s: /sitemap.xml %v, %d bytes, peak heap +%.1f MB", engine, d.Round(time.Millisecond), size, float64(heap)/1e6)
				var idx urlset
				resp, err := http.Get(e.srv.URL + "/sitemap.xml")
				if err != nil {
					b.Fatal(err)
				}
				err = xml.NewDecoder(resp.Body).Decode(&idx)
				resp.Body.Close()
				if err != nil {
					b.Fatal(err)
				}
				var worst time.Duration
				var worstHeap uint64
				var pages int
				var bytes int64
				for _, sm := range idx.Sitemaps {
					path := strings.TrimPrefix(sm.Loc, "http://localhost:3000")
					if !strings.HasPrefix(path, "/sitemaps/articles-") {
						continue
					}
					d, size, heap := fetch(path)
					pages++
					total += d
					bytes += size
					worst, worstHeap = max(worst, d), max(worstHeap, heap)
				}
				b.Logf("%s: %d article sitemaps, %d bytes, slowest %v, largest peak heap +%.1f MB", engine, pages, bytes, worst.Round(time.Millisecond), float64(worstHeap)/1e6)
				for _, path := range []string{"/sitemap-news.xml", "/sitemaps/sections.xml", "/sitemaps/authors.xml"} {
					d, size, heap := fetch(path)
					total += d
					b.Logf("%s: %s %v, %d bytes, peak heap +%.1f MB", engine, path, d.Round(time.Millisecond), size, float64(heap)/1e6)
				}
				b.Logf("%s: every sitemap of %d articles generated in %v", engine, n, total.Round(time.Millisecond))
				b.ReportMetric(total.Seconds(), "s/all-sitemaps")
			}
		})
	}
}

// BenchmarkWebhookDelivery measures how fast queued events reach
// receivers: 2,000 events (tag.created) queued, then drained by the
// dispatcher as it runs in serve (8 workers), to one webhook (events to
// one endpoint go one at a time, in order) and to 4 (fan-out). The
// receivers are real HTTP servers on loopback that answer 204.
//
//	MASTHEAD_TEST_DATABASE_URL=… go test -run '^$' -bench WebhookDelivery -benchtime 1x -v ./internal/server/
func BenchmarkWebhookDelivery(b *testing.B) {
	const events = 2000
	for _, engine := range testdb.Engines {
		for _, hooks := range []int{1, 4} {
			b.Run(fmt.Sprintf("%s/webhooks=%d", engine, hooks), func(b *testing.B) {
				e := newEnv(b, engine, func(c *server.Config) { c.WebhookAllowPrivate = true })
				var got atomic.Int64
				rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					io.Copy(io.Discard, r.Body)
					got.Add(1)
					w.WriteHeader(http.StatusNoContent)
				}))
				defer rec.Close()
				for range hooks {
					w := &content.Webhook{URL: rec.URL, Events: []string{"tag.*"}, Secret: webhook.NewSecret(), Active: true}
					if err := e.store.CreateWebhook(context.Background(), w); err != nil {
						b.Fatal(err)
					}
				}
				for b.Loop() {
					got.Store(0)
					for i := range events {
						name := fmt.Sprintf("Tag %d %d", i, time.Now().UnixNano())
						if _, err := e.store.CreateTag(context.Background(), content.TagUpdate{Term: content.Term{Name: &name}}); err != nil {
							b.Fatal(err)
						}
					}
					d := webhook.New(e.store, nil, true, e.clock)
					start := time.Now()
					for {
						n, err := d.Deliver(context.Background())
						if err != nil {
							b.Fatal(err)
						}
						if n == 0 {
							break
						}
					}
					took := time.Since(start)
					if got.Load() != int64(events*hooks) {
						b.Fatalf("received %d, want %d", got.Load(), events*hooks)
					}
					b.ReportMetric(float64(events*hooks)/took.Seconds(), "deliveries/s")
					b.Logf("%s: %d deliveries to %d webhooks in %v: %.0f/s", engine, events*hooks, hooks, took.Round(time.Millisecond), float64(events*hooks)/took.Seconds())
				}
			})
		}
	}
}

// BenchmarkSubscriberExport streams the CSV of 200,000 subscribers over
// HTTP, reporting its time and the heap it needed above idle.
//
//	MASTHEAD_TEST_DATABASE_URL=… go test -run '^$' -bench SubscriberExport -benchtime 1x -v ./internal/server/
func BenchmarkSubscriberExport(b *testing.B) {
	const n = 200_000
	for _, engine := range testdb.Engines {
		b.Run(string(engine), func(b *testing.B) {
			e := newEnv(b, engine)
			editor := e.newsroom()
			tx, err := e.store.SQLDB().Begin()
			if err != nil {
				b.Fatal(err)
			}
			now := time.Now().UTC().Truncate(time.Microsecond)
			rows := make([][]any, 0, n)
			for i := range n {
				rows = append(rows, []any{fmt.Sprintf("sub-%07d", i), fmt.Sprintf("reader%d@example.com", i), []string{"ar", "en"}[i%2],
					[]string{"pending", "confirmed", "confirmed", "unsubscribed"}[i%4], now.Add(-time.Duration(i) * time.Second), now})
			}
			bulkInsert(b, tx, engine, "INSERT INTO subscribers (id, email, language, status, created_at, updated_at)", 6, rows)
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				var took time.Duration
				var size int64
				heap := peakHeap(func() {
					start := time.Now()
					req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/newsletter/subscribers.csv", nil)
					req.Header.Set("Authorization", "Bearer "+editor)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					size, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					took = time.Since(start)
					if resp.StatusCode != http.StatusOK {
						b.Fatalf("status %d", resp.StatusCode)
					}
				})
				b.Logf("%s: %d subscribers exported in %v, %d bytes, peak heap +%.1f MB", engine, n, took.Round(time.Millisecond), size, float64(heap)/1e6)
			}
		})
	}
}

// peakHeap runs fn and returns the highest Go heap above the idle heap
// seen while it ran, sampled every millisecond.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > base.HeapAlloc && m.HeapAlloc-base.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc - base.HeapAlloc)
				}
			}
		}
	}()
	fn()
	close(done)
	return peak.Load()
}
