package server_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/testdb"
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
			fetch := func(path string) (time.Duration, int64, uint64) {
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
				t0 := time.Now()
				resp, err := http.Get(e.srv.URL + path)
				if err != nil {
					b.Fatal(err)
				}
				size, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				close(done)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d %v", path, resp.StatusCode, err)
				}
				return d, size, peak.Load()
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
