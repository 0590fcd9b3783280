package server_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestSoak runs a mixed public and editor load against a real server
// over loopback TCP for MASTHEAD_SOAK (a duration such as 30m), sampling
// the heap (after a collection), goroutines, open files and database
// connections every MASTHEAD_SOAK_EVERY (default 1m), and reports how
// they drifted. It is run on request, not in CI:
//
//	MASTHEAD_SOAK=30m MASTHEAD_TEST_DATABASE_URL=… go test -run TestSoak -v -timeout 0 ./internal/server/
//
// It fails when a request answers 5xx, or when goroutines, open files or
// connections grow by more than 50, or the heap by more than 64 MB,
// between the first sample and the last.
func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("MASTHEAD_SOAK"))
	if err != nil {
		t.Skip("set MASTHEAD_SOAK=30m to run the soak test")
	}
	every := time.Minute
	if v, err := time.ParseDuration(os.Getenv("MASTHEAD_SOAK_EVERY")); err == nil {
		every = v
	}
	for _, engine := range testdb.Engines {
		if os.Getenv("MASTHEAD_SOAK_ENGINE") != "" && os.Getenv("MASTHEAD_SOAK_ENGINE") != string(engine) {
			continue
		}
		t.Run(string(engine), func(t *testing.T) { soak(t, engine, d, every) })
	}
}

type soakSample struct {
	at                        time.Duration
	heapMB                    float64
	goroutines, files, dbConn int
	requests                  int64
}

func soak(t *testing.T, engine store.Engine, d, every time.Duration) {
	e := newEnv(t, engine)
	tok := e.newsroom()
	var slugs []string
	for i := range 200 {
		a := e.draft(tok, map[string]any{"title": fmt.Sprintf("Soak story %d about the port and the market", i), "tags": []string{"economy"}})
		e.publish(tok, a.ID, "")
		slugs = append(slugs, a.Slug)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}, Timeout: 30 * time.Second}
	var requests, failures atomic.Int64
	do := func(method, path, token, body string) {
		hr, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		if body != "" {
			hr.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			hr.Header.Set("Authorization", "Bearer "+token)
		}
		hr.Header.Set("User-Agent", browser)
		resp, err := client.Do(hr)
		requests.Add(1)
		if err != nil {
			failures.Add(1)
			t.Errorf("%s %s: %v", method, path, err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			failures.Add(1)
			t.Errorf("%s %s: %d", method, path, resp.StatusCode)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 { // readers
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for {
				select {
				case <-stop:
					return
				default:
				}
				slug := url.PathEscape(slugs[r.IntN(len(slugs))])
				switch r.IntN(8) {
				case 0:
					do("GET", "/api/v1/articles?limit=20", "", "")
				case 1:
					do("GET", "/api/v1/articles/slug/"+slug+"?include=related,popular", "", "")
				case 2:
					do("GET", "/api/v1/search?q=market", "", "")
				case 3:
					do("GET", "/api/v1/home", "", "")
				case 4:
					do("GET", "/feeds/latest.rss", "", "")
				case 5:
					do("GET", "/api/v1/articles?page=3&category=news", "", "")
				case 6:
					do("GET", "/sitemap.xml", "", "")
				default:
					do("GET", "/api/v1/articles/slug/"+slug, "", "")
				}
			}
		})
	}
	for w := range 2 { // editors
		wg.Go(func() {
			editor := e.login("editor@example.com", testPassword).AccessToken
			issued := time.Now()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if time.Since(issued) > 10*time.Minute {
					editor, issued = e.login("editor@example.com", testPassword).AccessToken, time.Now()
				}
				do("POST", "/api/v1/tags", editor, fmt.Sprintf(`{"name":"Soak %d %d"}`, w, i))
				do("POST", "/api/v1/articles", editor, fmt.Sprintf(`{"title":"Draft %d %d","body":"Text.","language":"en","category":"news","authors":["levant-desk"]}`, w, i))
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
	sample := func(start time.Time) soakSample {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		files, _ := os.ReadDir("/proc/self/fd")
		return soakSample{at: time.Since(start).Round(time.Second), heapMB: float64(m.HeapAlloc) / (1 << 20), goroutines: runtime.NumGoroutine(),
			files: len(files), dbConn: e.store.SQLDB().Stats().OpenConnections, requests: requests.Load()}
	}
	start := time.Now()
	time.Sleep(min(every, d)) // warm up: caches, pools and buffers fill
	samples := []soakSample{sample(start)}
	for time.Since(start) < d {
		time.Sleep(min(every, d-time.Since(start)))
		samples = append(samples, sample(start))
	}
	close(stop)
	wg.Wait()
	t.Logf("%-8s %10s %10s %10s %10s %12s", "at", "heap MB", "goroutines", "open files", "db conns", "requests")
	for _, s := range samples {
		t.Logf("%-8s %10.1f %10d %10d %10d %12d", s.at, s.heapMB, s.goroutines, s.files, s.dbConn, s.requests)
	}
	first, last := samples[0], samples[len(samples)-1]
	t.Logf("drift from %s to %s: heap %+.1f MB, goroutines %+d, open files %+d, db connections %+d; %d requests, %d failed",
		first.at, last.at, last.heapMB-first.heapMB, last.goroutines-first.goroutines, last.files-first.files, last.dbConn-first.dbConn,
		requests.Load(), failures.Load())
	if last.goroutines-first.goroutines > 50 || last.files-first.files > 50 || last.dbConn-first.dbConn > 50 || last.heapMB-first.heapMB > 64 {
		t.Fatal("resources grew under a steady load")
	}
}
