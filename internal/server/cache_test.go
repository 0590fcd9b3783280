package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// get is an anonymous GET, the kind the response cache serves.
func (e *env) get(path string) *response {
	e.t.Helper()
	return e.do(req{method: "GET", path: path})
}

// shows reports whether the anonymous answer at path contains text,
// reading it twice so the second comes from the cache.
func (e *env) shows(path, text string) bool {
	e.t.Helper()
	first, second := e.get(path), e.get(path)
	if string(first.Body) != string(second.Body) {
		e.t.Errorf("%s: two reads with no write between differ", path)
	}
	return strings.Contains(string(second.Body), text)
}

// TestCacheNeverStale: every kind of write readers can see shows on the
// next read of every route that shows it, though each route was cached
// just before; a scheduled story appears on time with no write at all.
func TestCacheNeverStale(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		tok := e.newsroom()
		a := e.publish(tok, e.draft(tok, map[string]any{"title": "Port blast in Beirut", "tags": []string{"economy"}}).ID, "")
		b := e.publish(tok, e.draft(tok, map[string]any{"title": "Beirut port inquiry", "tags": []string{"economy"}}).ID, "")
		routes := []string{
			"/api/v1/articles", "/api/v1/articles?category=news&page=1", "/api/v1/articles/slug/" + a.Slug,
			"/api/v1/articles/" + a.ID + "?include=related,popular", "/api/v1/articles/" + b.ID + "/related",
			"/api/v1/home", "/api/v1/search?q=beirut", "/feeds/latest.json", "/api/v1/categories", "/api/v1/tags",
			"/api/v1/authors/levant-desk",
		}
		for _, r := range routes {
			e.shows(r, "")
		}
		hits := e.server.CacheStats().Hits
		if hits < int64(len(routes)) {
			t.Fatalf("%d cache hits for %d routes read twice: the cache is not in play", hits, len(routes))
		}
		patch := func(path string, body map[string]any) {
			t.Helper()
			want(t, e.do(req{method: "PATCH", path: path, body: body, token: tok}), http.StatusOK, "")
		}
		var harbour article
		for _, step := range []struct {
			what  string
			write func()
			path  string
			text  string
			shown bool
		}{
			{"a new story", func() {
				harbour = e.publish(tok, e.draft(tok, map[string]any{"title": "Harbour cranes return", "category": "opinion"}).ID, "")
			}, "/api/v1/articles", "Harbour cranes return", true},
			{"on the home page", nil, "/api/v1/home", "Harbour cranes return", true},
			{"in search", nil, "/api/v1/search?q=harbour", "Harbour cranes return", true},
			{"in the feed", nil, "/feeds/latest.json", "Harbour cranes return", true},
			{"a section's page total", func() {
				e.publish(tok, e.draft(tok, map[string]any{"title": "Third in the section"}).ID, "")
			}, "/api/v1/articles?category=news&page=1", `"total":3`, true},
			{"an edited title", func() { patch("/api/v1/articles/"+a.ID, map[string]any{"title": "Port blast: dozens hurt"}) },
				"/api/v1/articles/slug/" + a.Slug, "Port blast: dozens hurt", true},
			{"in the list", nil, "/api/v1/articles", "Port blast: dozens hurt", true},
			{"a renamed section", func() { patch("/api/v1/categories/news", map[string]any{"name": "World News"}) },
				"/api/v1/articles/" + a.ID + "?include=related,popular", "World News", true},
			{"in the sections", nil, "/api/v1/categories", "World News", true},
			{"a renamed tag", func() { patch("/api/v1/tags/economy", map[string]any{"name": "The Economy"}) },
				"/api/v1/articles/slug/" + a.Slug, "The Economy", true},
			{"an author's new photo", func() {
				patch("/api/v1/authors/levant-desk", map[string]any{"avatar_url": "https://cdn.example.com/desk.png"})
			}, "/api/v1/articles/slug/" + a.Slug, "https://cdn.example.com/desk.png", true},
			{"on the author's page", nil, "/api/v1/authors/levant-desk", "https://cdn.example.com/desk.png", true},
			{"a pin", func() {
				want(t, e.do(req{method: "PUT", path: "/api/v1/articles/" + b.ID + "/related", body: map[string]any{"ids": []string{harbour.ID}}, token: tok}), http.StatusOK, "")
			}, "/api/v1/articles/" + b.ID + "/related", `"data":[{"id":"` + harbour.ID, true},
			{"an unpublished story", func() {
				want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + b.ID + "/unpublish", token: tok}), http.StatusOK, "")
			}, "/api/v1/articles", b.ID, false},
			{"in search", nil, "/api/v1/search?q=inquiry", b.ID, false},
			{"a deleted story", func() {
				want(t, e.do(req{method: "DELETE", path: "/api/v1/articles/" + a.ID, token: tok}), http.StatusNoContent, "")
			}, "/api/v1/home", a.ID, false},
		} {
			if step.write != nil {
				step.write()
			}
			if got := e.shows(step.path, step.text); got != step.shown {
				t.Errorf("%s: %s shows %q: %v, want %v", step.what, step.path, step.text, got, step.shown)
			}
		}
		if r := e.get("/api/v1/articles/slug/" + a.Slug); r.Status != http.StatusNotFound {
			t.Errorf("deleted story: %d", r.Status)
		}

		// Scheduled: not shown, then shown when its time comes, with no
		// write in between; the cached list knows when it expires.
		// (Sooner than the entries' max-age, so only that can tell.)
		at := e.clock.Now().Add(20 * time.Second).UTC().Format(time.RFC3339)
		c := e.publish(tok, e.draft(tok, map[string]any{"title": "Tomorrow's front page"}).ID, at)
		if e.shows("/api/v1/articles", c.ID) {
			t.Error("a scheduled story is shown before its time")
		}
		e.clock.Advance(22 * time.Second)
		if !e.shows("/api/v1/articles", c.ID) {
			t.Error("a scheduled story is not shown when its time came")
		}
	})
}

// TestCacheHTTP: strong ETags from the bytes, 304 for a client that holds
// the answer, gzip for one that takes it, Surrogate-Key for CDNs; editors
// with a token neither read nor fill the anonymous entries.
func TestCacheHTTP(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		for i := range 12 {
			e.publish(tok, e.draft(tok, map[string]any{"title": strings.Repeat("Long title ", 8) + string(rune('A'+i))}).ID, "")
		}
		r := e.get("/api/v1/articles")
		etag := r.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || r.Header.Get("Surrogate-Key") == "" || !strings.Contains(r.Header.Get("Cache-Control"), "s-maxage=") ||
			!strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("headers %v", r.Header)
		}
		// Surrogate keys: the kind, and every entity shown.
		first := e.list("/api/v1/articles?limit=1", "").Data[0]
		keys := strings.Fields(r.Header.Get("Surrogate-Key"))
		if !slices.Contains(keys, "articles") || !slices.Contains(keys, first.ID) || r.Header.Get("Cache-Tag") != strings.Join(keys, ",") {
			t.Errorf("list keys %v, Cache-Tag %q", keys, r.Header.Get("Cache-Tag"))
		}
		var one struct {
			Data struct {
				Category struct{ ID string }
				Tags     []struct{ ID string }
			}
		}
		pg := e.get("/api/v1/articles/slug/" + first.Slug)
		pg.decode(t, &one)
		keys = strings.Fields(pg.Header.Get("Surrogate-Key"))
		if !slices.Contains(keys, first.ID) || !slices.Contains(keys, one.Data.Category.ID) || slices.Contains(keys, "articles") {
			t.Errorf("article page keys %v: want its id and its section's, not the lists' key", keys)
		}
		want(t, e.do(req{method: "GET", path: "/api/v1/articles", header: map[string]string{"If-None-Match": etag}}), http.StatusNotModified, "")
		want(t, e.do(req{method: "GET", path: "/api/v1/articles", header: map[string]string{"If-None-Match": `"other", ` + etag}}), http.StatusNotModified, "")

		// Brotli and gzip, compressed once: the same bytes as plain, and
		// Brotli where the client takes both.
		for ae, want := range map[string]string{"gzip": "gzip", "br": "br", "gzip, deflate, br": "br", "br;q=0, gzip": "gzip", "identity": ""} {
			if got := compressed(t, e.srv.URL+"/api/v1/articles", ae, etag); !bytes.Equal(got.plain, r.Body) || got.encoding != want ||
				(want != "" && got.size >= len(r.Body)) {
				t.Errorf("Accept-Encoding %q: %q, %d bytes for %d, same content %v", ae, got.encoding, got.size, len(r.Body), bytes.Equal(got.plain, r.Body))
			}
		}
		// With the cache off, too.
		off := newEnvAt(t, e.url, noCache)
		if got := compressed(t, off.srv.URL+"/api/v1/articles", "gzip, br", etag); got.encoding != "br" || !bytes.Equal(got.plain, r.Body) {
			t.Errorf("uncached: %q, same content %v", got.encoding, bytes.Equal(got.plain, r.Body))
		}

		// A section renamed: the article page's ETag changes with it.
		id := e.list("/api/v1/articles?limit=1", "").Data[0].ID
		page := e.get("/api/v1/articles/" + id + "?include=related")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/categories/news", body: map[string]any{"name": "World"}, token: tok}), http.StatusOK, "")
		again := e.do(req{method: "GET", path: "/api/v1/articles/" + id + "?include=related", header: map[string]string{"If-None-Match": page.Header.Get("ETag")}})
		if again.Status != http.StatusOK || again.Header.Get("ETag") == page.Header.Get("ETag") {
			t.Errorf("after a section rename: %d, ETag %s (was %s)", again.Status, again.Header.Get("ETag"), page.Header.Get("ETag"))
		}

		// An editor's read of a draft is theirs alone.
		draft := e.draft(tok, map[string]any{"title": "Embargoed"})
		ed := e.do(req{method: "GET", path: "/api/v1/articles/" + draft.ID, token: tok})
		want(t, ed, http.StatusOK, "")
		if ed.Header.Get("Surrogate-Key") != "" || ed.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("an editor's answer went through the cache: %v", ed.Header)
		}
		want(t, e.get("/api/v1/articles/"+draft.ID), http.StatusNotFound, "not_found")
		if l := e.do(req{method: "GET", path: "/api/v1/articles?status=draft", token: tok}); !strings.Contains(string(l.Body), draft.ID) {
			t.Error("the editor's list of drafts came from the anonymous cache")
		}
	})
}

type decoded struct {
	encoding string
	size     int
	plain    []byte
}

// compressed fetches u taking the encodings in ae, checks the ETag is
// that of the plain answer, and decodes the body.
func compressed(t *testing.T, u, ae, etag string) decoded {
	t.Helper()
	hr, _ := http.NewRequest("GET", u, nil)
	hr.Header.Set("Accept-Encoding", ae)
	resp, err := http.DefaultTransport.RoundTrip(hr)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("ETag") != etag || resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Fatalf("%s: %v", ae, resp.Header)
	}
	d := decoded{encoding: resp.Header.Get("Content-Encoding"), size: len(body), plain: body}
	var zr io.Reader
	switch d.encoding {
	case "gzip":
		if zr, err = gzip.NewReader(bytes.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	case "br":
		zr = brotli.NewReader(bytes.NewReader(body))
	default:
		return d
	}
	if d.plain, err = io.ReadAll(zr); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCacheReplicas: two servers on one database; a write on one shows on
// the other's cached answer within a second. On PostgreSQL the listening
// replica would trust its state for seconds: only the notification can
// make it in time.
func TestCacheReplicas(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		u := testdb.URL(t, engine)
		one, two := newEnvAt(t, u), newEnvAt(t, u)
		for start := time.Now(); engine == store.Postgres && !two.store.Listening(); time.Sleep(5 * time.Millisecond) {
			if time.Since(start) > 10*time.Second {
				t.Fatal("the replica does not listen")
			}
		}
		tok := one.newsroom()
		two.shows("/api/v1/articles", "")
		a := one.publish(tok, one.draft(tok, map[string]any{"title": "Seen everywhere"}).ID, "")
		start := time.Now()
		for !strings.Contains(string(two.get("/api/v1/articles").Body), a.ID) {
			if time.Since(start) > time.Second {
				t.Fatal("the other replica still serves the old list after 1 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Logf("%s: the other replica showed the write after %v", engine, time.Since(start).Round(time.Millisecond))
	})
}

// TestCacheStampede: a thousand readers asking at once for a story that
// was just published run its queries once.
func TestCacheStampede(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		a := e.publish(tok, e.draft(tok, map[string]any{"title": "Breaking: the port is on fire", "breaking": true}).ID, "")
		path := e.srv.URL + "/api/v1/articles/slug/" + a.Slug
		before := e.store.Queries()
		const readers = 1000
		etags := make(chan string, readers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: readers, MaxConnsPerHost: 0}}
		for range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				resp, err := client.Get(path)
				if err != nil {
					etags <- err.Error()
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				etags <- resp.Status + " " + resp.Header.Get("ETag")
			}()
		}
		began := time.Now()
		close(start)
		wg.Wait()
		close(etags)
		seen := map[string]int{}
		for s := range etags {
			seen[s]++
		}
		// One fill (a few statements), and the content state read again
		// at most every store.StateMaxAge while the readers are served
		// (a second or more under the race detector); not one fill each.
		ran, took := e.store.Queries()-before, time.Since(began)
		if limit := 4 + 3*(1+int64(took/store.StateMaxAge)); len(seen) != 1 || ran > limit {
			t.Errorf("%d readers in %v: answers %v; %d statements ran, want at most %d", readers, took, seen, ran, limit)
		}
		t.Logf("%s: %d readers at once in %v, %d statements", engine, readers, took.Round(time.Millisecond), ran)
	})
}

var score = regexp.MustCompile(`"score":[0-9.e-]+`)

// TestCacheKeys: a query that spells out a route's defaults, or names
// its parameters in another order, is the same answer and the same
// entry; one that changes a value is not.
func TestCacheKeys(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		off := newEnvAt(t, e.url, noCache) // the answers the handlers give
		tok := e.newsroom()
		a := e.publish(tok, e.draft(tok, map[string]any{"title": "Port blast in Beirut", "tags": []string{"economy"}}).ID, "")
		e.publish(tok, e.draft(tok, map[string]any{"title": "Beirut port inquiry", "tags": []string{"economy"}}).ID, "")
		for route, defaults := range server.QueryDefaults() {
			path := strings.NewReplacer(":id", a.ID, ":slug", a.Slug).Replace(route)
			var spelled []string
			if route == "/api/v1/search" {
				path += "?q=beirut"
				spelled = append(spelled, "q=beirut")
			}
			for name, v := range defaults {
				spelled = append(spelled, name+"="+v)
			}
			slices.Sort(spelled)
			plain := e.get(path)
			hits := e.server.CacheStats().Hits
			backward := slices.Clone(spelled)
			slices.Reverse(backward)
			for _, q := range []string{strings.Join(spelled, "&"), strings.Join(backward, "&")} {
				spelt := strings.Split(path, "?")[0] + "?" + q
				for _, r := range []*response{e.get(spelt), off.get(spelt)} {
					// Search scores decay with the clock, between any two reads.
					same := bytes.Equal(score.ReplaceAll(r.Body, nil), score.ReplaceAll(plain.Body, nil))
					if r.Status != http.StatusOK || !same {
						t.Errorf("%s: %d, same answer as %s: %v", spelt, r.Status, path, same)
					}
				}
			}
			if got := e.server.CacheStats().Hits - hits; got != 2 {
				t.Errorf("%s with its defaults spelled out: %d hits, want 2", path, got)
			}
		}
		hits := e.server.CacheStats().Hits
		for _, q := range []string{"limit=1&sort=-published_at", "sort=-published_at&limit=1", "limit=2"} {
			if r := e.get("/api/v1/articles?" + q); r.Status != http.StatusOK {
				t.Errorf("%s: %d", q, r.Status)
			}
		}
		if got := e.server.CacheStats().Hits - hits; got != 1 {
			t.Errorf("%d hits, want 1 (the same query reordered)", got)
		}
	})
}

// observed records what the server reports of each answered request.
type observed struct {
	mu     sync.Mutex
	routes []string
}

func (o *observed) Observe(route, method string, status int, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.routes = append(o.routes, method+" "+route+" "+strconv.Itoa(status))
}

// TestCacheHitBeforeRouting: a hit is answered before routing and
// middleware, yet carries everything the routed answer does, is logged
// and counted under its route, and never stands in for a refusal.
func TestCacheHitBeforeRouting(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		var log bytes.Buffer
		var logMu sync.Mutex
		obs := &observed{}
		e := newEnv(t, engine, func(c *server.Config) {
			c.AccessLog = slog.New(slog.NewJSONHandler(lockedWriter{&logMu, &log}, nil))
			c.Metrics = obs
		})
		tok := e.newsroom()
		e.publish(tok, e.draft(tok, map[string]any{"title": "Port blast in Beirut"}).ID, "")

		first := e.get("/api/v1/articles?page=1")
		hits := e.server.CacheStats().Hits
		second := e.get("/api/v1/articles?page=1")
		if e.server.CacheStats().Hits != hits+1 {
			t.Fatalf("the second read was not a hit: %+v", e.server.CacheStats())
		}
		for _, h := range []string{"ETag", "Cache-Control", "Vary", "Surrogate-Key", "Content-Type", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} {
			if second.Header.Get(h) == "" || second.Header.Get(h) != first.Header.Get(h) {
				t.Errorf("%s: hit %q, routed %q", h, second.Header.Get(h), first.Header.Get(h))
			}
		}
		if id := second.Header.Get("X-Request-Id"); id == "" || id == first.Header.Get("X-Request-Id") {
			t.Errorf("request ids %q, %q: want a fresh one per request", first.Header.Get("X-Request-Id"), id)
		}
		if !bytes.Equal(first.Body, second.Body) {
			t.Error("the hit's body differs")
		}

		// The same entry by another spelling of its URL: routed once,
		// then a hit before routing too.
		for range 2 {
			if r := e.get("/api/v1/articles?limit=20&page=1"); r.Header.Get("ETag") != first.Header.Get("ETag") {
				t.Errorf("defaults spelled out: ETag %q, want %q", r.Header.Get("ETag"), first.Header.Get("ETag"))
			}
		}
		if got := e.server.CacheStats().Hits; got != hits+3 {
			t.Errorf("hits %d, want %d", got, hits+3)
		}

		// HEAD: the headers of the GET, no body.
		head := e.do(req{method: "HEAD", path: "/api/v1/articles?page=1"})
		if head.Status != http.StatusOK || len(head.Body) != 0 || head.Header.Get("Content-Length") != strconv.Itoa(len(first.Body)) ||
			head.Header.Get("ETag") != first.Header.Get("ETag") {
			t.Errorf("HEAD: %d, %d bytes, %v", head.Status, len(head.Body), head.Header)
		}
		// 304 from the hit path.
		want(t, e.do(req{method: "GET", path: "/api/v1/articles?page=1", header: map[string]string{"If-None-Match": first.Header.Get("ETag")}}), http.StatusNotModified, "")
		// A URL the routed path refuses is refused, cached neighbours or not.
		want(t, e.get("/api/v1/articles?page=1&bogus=1"), http.StatusBadRequest, "invalid")

		// Logged and counted under the route's pattern.
		logMu.Lock()
		lines := strings.Count(log.String(), `"path":"/api/v1/articles"`)
		logMu.Unlock()
		if lines < 7 {
			t.Errorf("%d access log lines for the list, want 7 or more:\n%s", lines, log.String())
		}
		obs.mu.Lock()
		defer obs.mu.Unlock()
		if !slices.Contains(obs.routes, "GET /api/v1/articles 304") || !slices.Contains(obs.routes, "HEAD /api/v1/articles 200") {
			t.Errorf("observed %v", obs.routes)
		}
	})
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
