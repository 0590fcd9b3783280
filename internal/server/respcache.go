package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"
	"github.com/oklog/ulid/v2"

	"github.com/masthead/masthead/internal/cache"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
)

// Anonymous reads are 99 % of a news site's traffic, mostly of a few
// hundred URLs. cached keeps their finished answers: the bytes,
// compressed once in each encoding (Brotli and gzip), with a strong ETag
// computed from them. An entry is served only while the content state it
// was made under holds (store.ContentState:
// no write readers can see has committed on any replica since, and
// nothing scheduled has come due), and for at most its policy's max-age,
// since view counts and the popular blocks change by themselves. A
// request with an Authorization header neither reads nor fills it.

// cachePolicy is how long a route's answers may be kept, here and by
// browsers and CDNs.
type cachePolicy struct {
	maxAge time.Duration
	// key names the route's kind for CDN purges (Surrogate-Key), beside
	// the ids of what it shows.
	key string
}

var (
	// Lists of articles: the list, search, related.
	listPolicy = cachePolicy{maxAge: 60 * time.Second, key: content.KeyArticles}
	// One article's page.
	pagePolicy = cachePolicy{maxAge: 60 * time.Second, key: "article"}
	// Blocks ranked by reads move with every refresh of the popularity.
	popularPolicy  = cachePolicy{maxAge: 30 * time.Second, key: content.KeyArticles}
	taxonomyPolicy = cachePolicy{maxAge: 300 * time.Second, key: content.KeyTaxonomy}
	feedPolicy     = cachePolicy{maxAge: 300 * time.Second, key: content.KeyArticles}
)

// entityMarks precede the ids of the entities an answer shows: ids in
// JSON, article URNs in feeds. A scan for them costs a fraction of a
// regular expression's (which took 40 % of an uncached list).
var entityMarks = [][]byte{[]byte(`"id":"`), []byte("urn:masthead:article:")}

// entityIDs returns the ULIDs that follow the marks in body, in order.
func entityIDs(body []byte) []string {
	var out []string
	for _, mark := range entityMarks {
		rest := body
		for {
			i := bytes.Index(rest, mark)
			if i < 0 {
				break
			}
			rest = rest[i+len(mark):]
			if len(rest) >= 26 && isULID(rest[:26]) {
				out = append(out, string(rest[:26]))
				rest = rest[26:]
			}
		}
	}
	return out
}

// isULID: 26 characters of Crockford's base32, upper case.
func isULID(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U') {
			return false
		}
	}
	return true
}

// maxKeysLen keeps Surrogate-Key within what CDNs take (16 KB); a
// longer list ends with the kind's key, which covers the rest.
const maxKeysLen = 8 << 10

// surrogateKeys are the policy's key and the ids of the entities in
// body, each once, after the id in the path, which a sparse answer may
// leave out of the body (content.PurgeKeys says which a change purges).
func surrogateKeys(p cachePolicy, pathID string, body []byte) string {
	var b strings.Builder
	b.WriteString(p.key)
	seen := map[string]bool{}
	for _, id := range append([]string{pathID}, entityIDs(body)...) {
		if len(id) != 26 {
			continue
		}
		if seen[id] {
			continue
		}
		if b.Len()+len(id)+1 > maxKeysLen {
			break
		}
		seen[id] = true
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(id)
	}
	return b.String()
}

// queryDefaults are the values reader routes take for parameters left
// out, by route: a query that spells a default out gets the same answer,
// kept once. TestCacheKeys checks each against its route.
var queryDefaults = map[string]map[string]string{
	"/api/v1/articles":             {"limit": strconv.Itoa(content.DefaultLimit), "sort": string(content.SortNewest)},
	"/api/v1/articles/:id":         articlePageDefaults,
	"/api/v1/articles/slug/:slug":  articlePageDefaults,
	"/api/v1/articles/:id/related": {"limit": "6"},
	"/api/v1/articles/popular":     {"limit": "10", "window": string(content.Window24h)},
	"/api/v1/search":               {"limit": strconv.Itoa(content.DefaultLimit), "page": "1"},
	"/api/v1/home":                 {"breaking": "5", "featured": "5", "per_section": "4", "popular": "10", "popular_window": string(content.Window24h)},
	"/api/v1/tags":                 termListDefaults,
	"/api/v1/authors":              termListDefaults,
}

var (
	articlePageDefaults = map[string]string{"related_limit": "6", "popular_limit": "5", "popular_window": string(content.Window24h)}
	termListDefaults    = map[string]string{"limit": strconv.Itoa(content.DefaultTermLimit), "page": "1"}
)

// cacheKey is the route's path and its query in a canonical form:
// parameters in order, defaults left out.
func cacheKey(c echo.Context) string {
	r := c.Request()
	if r.URL.RawQuery == "" {
		return r.URL.Path
	}
	q := r.URL.Query()
	for name, def := range queryDefaults[c.Path()] {
		if v, ok := q[name]; ok && len(v) == 1 && v[0] == def {
			delete(q, name)
		}
	}
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

// cacheControl is what browsers and shared caches are told: fresh for
// max-age, then served stale while revalidating for as long again, and
// for a day when the API is down.
func (p cachePolicy) cacheControl() string {
	s := strconv.Itoa(int(p.maxAge.Seconds()))
	return "public, max-age=" + s + ", s-maxage=" + s + ", stale-while-revalidate=" + s + ", stale-if-error=86400"
}

// entry is a finished answer.
type entry struct {
	state   store.ContentState
	expires time.Time
	route   string // the route's pattern, for metrics
	header  http.Header
	// hitHeader is header with what the middleware adds to every
	// answer, for serveHit, which runs none of it.
	hitHeader http.Header
	body      []byte
	gzipped   []byte // nil when not worth it, or not asked for
	brotli    []byte // likewise
	etag      string
	keys      string // Surrogate-Key
	// length, gzLength and brLength are Content-Length of each form.
	length, gzLength, brLength string
}

var (
	gzipEncoding   = []string{"gzip"}
	brotliEncoding = []string{"br"}
)

// encodings says which compressed forms an entry is made in.
type encodings struct{ gzip, br bool }

// gzipWriters and brotliWriters are reused: each holds a compressor's
// state (~800 KB for gzip), which a burst of fills would otherwise
// allocate apiece. Brotli level 5 made a 10.8 KB list 15 % smaller than
// gzip's best speed in 1.3 ms (gzip: 0.7 ms); level 6 gained nothing more
// for 2.5 times the time.
var (
	gzipWriters = sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
		return w
	}}
	brotliWriters = sync.Pool{New: func() any { return brotli.NewWriterLevel(io.Discard, 5) }}
)

// compressor is what gzip.Writer and brotli.Writer both are.
type compressor interface {
	io.WriteCloser
	Reset(io.Writer)
}

// compressed is body compressed by a writer of pool.
func compressed(pool *sync.Pool, body []byte) []byte {
	var b bytes.Buffer
	w := pool.Get().(compressor)
	w.Reset(&b)
	_, _ = w.Write(body)
	_ = w.Close()
	pool.Put(w)
	return b.Bytes()
}

func (e *entry) size() int64 { return int64(len(e.body) + len(e.gzipped) + len(e.brotli) + 512) }

// cached serves a reader route through the response cache.
func (s *Server) cached(p cachePolicy) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.Method != http.MethodGet || r.Header.Get(echo.HeaderAuthorization) != "" || c.QueryParam("preview") != "" {
				return next(c) // a preview link may be revoked at any time
			}
			now := s.clock.Now()
			key := cacheKey(c)
			var st store.ContentState
			fresh := func(e *entry) bool { return e.state.Valid(st, now) && now.Before(e.expires) }
			if s.cache.Enabled() {
				var err error
				if st, err = s.store.ContentState(r.Context()); err != nil {
					return next(c) // state unknown: nothing cached may be trusted
				}
				if e, ok := s.cache.Get(key, fresh); ok {
					s.cache.Hit()
					s.alias(r, key)
					return writeEntry(c.Response(), r, e, e.header)
				}
			}
			var herr error
			e := s.cache.Fill(key, fresh, func() (*entry, int64, bool) {
				// Compress once for everyone when keeping; otherwise
				// only as this client takes it.
				enc := encodings{gzip: true, br: true}
				if !s.cache.Enabled() {
					ae := r.Header.Get(echo.HeaderAcceptEncoding)
					enc.br = accepts(ae, "br")
					enc.gzip = !enc.br && accepts(ae, "gzip")
				}
				e, err := s.record(c, next, p, st, now, enc)
				if err != nil {
					herr = err
					return nil, 0, false
				}
				return e, e.size(), e != nil && s.cache.Enabled()
			})
			if herr != nil {
				return herr
			}
			if e == nil {
				return nil // answered as it was, not cacheable
			}
			if s.cache.Enabled() {
				s.alias(r, key)
			}
			return writeEntry(c.Response(), r, e, e.header)
		}
	}
}

// record runs the handler into a buffer and makes an entry of a 200
// answer. Any other answer is written through as it was, and nil
// returned.
func (s *Server) record(c echo.Context, next echo.HandlerFunc, p cachePolicy, st store.ContentState, now time.Time, enc encodings) (*entry, error) {
	r := c.Request()
	// The entry is the whole answer, whatever this client holds.
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	r.Header.Del("If-None-Match")
	r.Header.Del("If-Modified-Since")
	defer func() {
		if inm != "" {
			r.Header.Set("If-None-Match", inm)
		}
		if ims != "" {
			r.Header.Set("If-Modified-Since", ims)
		}
	}()
	res := c.Response()
	orig := res.Writer
	rec := &recorder{header: http.Header{}}
	res.Writer = rec
	err := next(c)
	res.Writer = orig
	if err != nil || rec.status != http.StatusOK {
		// Write through what the handler wrote, if anything.
		if res.Committed && err == nil {
			for k, v := range rec.header {
				orig.Header()[k] = v
			}
			orig.WriteHeader(rec.status)
			_, _ = orig.Write(rec.body.Bytes())
		}
		return nil, err
	}
	body := rec.body.Bytes()
	sum := sha256.Sum256(body)
	e := &entry{
		state: st, expires: now.Add(p.maxAge), route: c.Path(), header: rec.header, body: body,
		etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`, keys: surrogateKeys(p, c.Param("id"), body),
	}
	if compressible(e.header.Get(echo.HeaderContentType)) && len(body) >= 1024 {
		if enc.gzip {
			e.gzipped = compressed(&gzipWriters, body)
		}
		if enc.br {
			e.brotli = compressed(&brotliWriters, body)
		}
	}
	e.header.Set("ETag", e.etag)
	e.header.Set(echo.HeaderCacheControl, p.cacheControl())
	e.header.Set(echo.HeaderVary, "Accept-Encoding, Authorization")
	if e.keys != "" {
		e.header.Set("Surrogate-Key", e.keys)
		e.header.Set("Cache-Tag", strings.ReplaceAll(e.keys, " ", ","))
	}
	for k, v := range e.header {
		// Clipped: a later Add on a request's copy must not write into
		// the entry that other requests share.
		e.header[k] = slices.Clip(v)
	}
	e.hitHeader = securityHeaderSet.Clone()
	maps.Copy(e.hitHeader, e.header)
	e.length = strconv.Itoa(len(e.body))
	e.gzLength = strconv.Itoa(len(e.gzipped))
	e.brLength = strconv.Itoa(len(e.brotli))
	// The handler's answer has been sent to the recorder: let the entry
	// be written again to the client.
	res.Committed, res.Size = false, 0
	return e, nil
}

// requestURL is r's path and query as the client sent them.
func requestURL(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return r.URL.Path
	}
	return r.URL.Path + "?" + r.URL.RawQuery
}

// alias remembers that r's URL is served by the entry at key, when the
// two differ (parameters in another order, defaults spelled out), so
// that serveHit finds it. Both are a function of the URL alone.
func (s *Server) alias(r *http.Request, key string) {
	if u := requestURL(r); u != key {
		s.aliases.Fill(u, func(string) bool { return true }, func() (string, int64, bool) {
			return key, int64(len(u) + len(key) + 128), true
		})
	}
}

// aliasBytes bounds the aliases' memory; each takes some 200 bytes.
const aliasBytes = 2 << 20

// serveHit answers an anonymous GET or HEAD from the cache before any
// routing or middleware, when the URL, as sent or by an alias, is the key
// of a fresh entry: then a hit is a lookup and a write. Entries are made
// only from 200 answers, so the URL has already passed every check the
// middleware makes of a URL; what depends on the request itself
// (Authorization, an Origin under CORS, oversized headers, a server still
// starting) takes the routed path. It reports whether it answered.
func (s *Server) serveHit(w http.ResponseWriter, r *http.Request) bool {
	if !s.cache.Enabled() || (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
		r.Header[echo.HeaderAuthorization] != nil || (s.cors && r.Header[echo.HeaderOrigin] != nil) ||
		headerSize(r) > MaxRequestHeaders {
		return false
	}
	start := time.Now()
	now := s.clock.Now()
	if starting, _ := s.ready.state(now); starting != "" {
		return false
	}
	key := requestURL(r)
	if k, ok := s.aliases.Get(key, func(string) bool { return true }); ok {
		key = k
	}
	st, err := s.store.ContentState(r.Context())
	if err != nil {
		return false
	}
	e, ok := s.cache.Get(key, func(e *entry) bool { return e.state.Valid(st, now) && now.Before(e.expires) })
	if !ok {
		return false
	}
	s.cache.Hit()
	id := ulid.Make().String()
	w.Header()[echo.HeaderXRequestID] = []string{id}
	rw := &countingWriter{ResponseWriter: w, head: r.Method == http.MethodHead}
	_ = writeEntry(rw, r, e, e.hitHeader) // a failed write is the client gone
	s.logRequest(r, id, e.route, rw.status, rw.size, start, s.echo.IPExtractor(r))
	return true
}

// countingWriter keeps the status and size for the access log, and
// drops the body of an answer to HEAD.
type countingWriter struct {
	http.ResponseWriter
	head   bool
	status int
	size   int64
}

func (w *countingWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if w.head {
		return len(b), nil
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += int64(n)
	return n, err
}

// writeEntry answers from e with header (e's, or its hitHeader): 304
// when the client holds it, else the bytes, in Brotli or gzip when the
// client takes either (Brotli first).
func writeEntry(w http.ResponseWriter, r *http.Request, e *entry, header http.Header) error {
	// The headers were made when the entry was: here they are copied,
	// already canonical, which is most of what a hit costs.
	h := w.Header()
	for k, v := range header {
		h[k] = v
	}
	if notModifiedSince(r, e) {
		delete(h, echo.HeaderContentType)
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body, length := e.body, e.length
	if e.gzipped != nil || e.brotli != nil {
		switch ae := r.Header.Get(echo.HeaderAcceptEncoding); {
		case e.brotli != nil && accepts(ae, "br"):
			h[echo.HeaderContentEncoding] = brotliEncoding
			body, length = e.brotli, e.brLength
		case e.gzipped != nil && accepts(ae, "gzip"):
			h[echo.HeaderContentEncoding] = gzipEncoding
			body, length = e.gzipped, e.gzLength
		}
	}
	h[echo.HeaderContentLength] = []string{length}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}

// notModifiedSince: the client's copy is e, by If-None-Match, or when
// it sent none, by If-Modified-Since against e's Last-Modified (feeds).
func notModifiedSince(r *http.Request, e *entry) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagMatch(inm, e.etag)
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	if err != nil {
		return false
	}
	lastmod, err := http.ParseTime(e.header.Get(echo.HeaderLastModified))
	return err == nil && !lastmod.After(ims)
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// accepts reads Accept-Encoding: coding is taken, unless given q=0.
func accepts(ae, coding string) bool {
	for part := range strings.SplitSeq(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), coding) {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// compressible: JSON and XML; images and the like are compressed already.
func compressible(contentType string) bool {
	return strings.Contains(contentType, "json") || strings.Contains(contentType, "xml")
}

// recorder is a ResponseWriter into memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// Flush lets streaming handlers (feeds, sitemaps) write as they would.
func (r *recorder) Flush() {}

// CacheStats reports the response cache's counters.
func (s *Server) CacheStats() cache.Stats { return s.cache.Stats() }
