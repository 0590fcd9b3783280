// Package views counts article reads. Reads are deduplicated and summed in
// memory and written in batches, so a busy article is not a hot row: at
// most one upsert per article and hour per flush, every few seconds.
//
// What a crash can lose: the reads counted since the last flush (at most
// FlushEvery, 5 seconds by default). A graceful stop flushes first.
package views

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"log/slog"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
)

// Timings.
const (
	DedupeWindow = 30 * time.Minute // one visitor's rereads within it count once
	FlushEvery   = 5 * time.Second
	RefreshEvery = time.Minute // popularity windows and trending
	// Visibility answers are cached briefly: a hot article costs one query
	// per 5 seconds, a story just published is counted within a second,
	// and one just unpublished stops being counted within 5 seconds.
	visibleTTL         = 5 * time.Second
	hiddenTTL          = time.Second
	maxVisibilityCache = 100_000
	// maxSeen bounds the dedupe memory (about 100 MB): a flood of made-up
	// visitor ids empties it rather than exhausting the process, at the
	// price of counting some rereads in that window twice.
	maxSeen = 2_000_000
	// MaxPerClient is how many reads of one article one client address
	// counts per DedupeWindow, whatever visitor ids it sends: a script
	// making up ids counts at most this many, while a newsroom or a
	// carrier's NAT with more readers of one story in half an hour than
	// this undercounts.
	MaxPerClient = 20
)

// bots matches the user agents of crawlers, previewers and scripts.
var bots = regexp.MustCompile(`(?i)bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|` +
	`curl|wget|python|go-http-client|java/|okhttp|headless|lighthouse|pingdom|monitor|scrapy|httpclient|feedfetcher`)

// IsBot reports whether a user agent belongs to a crawler or a script.
func IsBot(userAgent string) bool { return userAgent == "" || bots.MatchString(userAgent) }

type hourKey struct {
	article string
	hour    int64 // unix hour
}

type clientReads struct {
	since time.Time
	n     int
}

type visibility struct {
	visible bool
	until   time.Time
}

// Store is what the counter needs of the database.
type Store interface {
	ArticleVisible(ctx context.Context, id string) (bool, error)
	AddViews(ctx context.Context, counts []content.ViewCount) error
	RollUpViews(ctx context.Context) error
	RefreshPopularity(ctx context.Context) error
}

// Counter counts reads. Create it with New, start Run, and Close it after
// the HTTP server has drained.
type Counter struct {
	store Store
	clock *clock.Clock
	log   *slog.Logger
	salt  []byte

	mu      sync.Mutex
	pending map[hourKey]int64
	seen    map[[16]byte]time.Time
	clients map[[16]byte]*clientReads // per client address and article

	visMu sync.Mutex
	vis   map[string]visibility

	flushMu   sync.Mutex   // one flush at a time
	lastFlush atomic.Int64 // unix nanoseconds of the last flush that wrote
}

// New returns a Counter writing to s, telling the time by clk.
func New(s Store, log *slog.Logger, clk *clock.Clock) *Counter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	salt := make([]byte, 32)
	rand.Read(salt)
	return &Counter{
		store: s, clock: clk, log: log, salt: salt,
		pending: map[hourKey]int64{}, seen: map[[16]byte]time.Time{}, clients: map[[16]byte]*clientReads{},
		vis: map[string]visibility{},
	}
}

// Visitor names an anonymous visitor by a salted hash of address and user
// agent. The salt lives only in memory: the hash cannot be reversed or
// matched against another process's.
func (c *Counter) Visitor(addr, userAgent string) string {
	h := sha256.New()
	h.Write(c.salt)
	h.Write([]byte(addr + "\x00" + userAgent))
	return string(h.Sum(nil)[:16])
}

// Record counts one read of the article id by visitor from the client
// address addr. It returns ENOTFOUND for an article readers may not see,
// and false when the read is not counted: the same visitor read it
// within DedupeWindow, or the address has counted MaxPerClient reads of
// it in that window already.
func (c *Counter) Record(ctx context.Context, id, visitor, addr string) (bool, error) {
	if ok, err := c.visible(ctx, id); err != nil {
		return false, err
	} else if !ok {
		return false, content.Errorf(content.ENOTFOUND, "Article %q not found.", id)
	}
	k, ck := key16(visitor, id), key16("addr:"+addr, id)
	now := c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if last, ok := c.seen[k]; ok && now.Sub(last) < DedupeWindow {
		return false, nil
	}
	cr := c.clients[ck]
	if cr == nil || now.Sub(cr.since) >= DedupeWindow {
		cr = &clientReads{since: now}
		c.clients[ck] = cr
	}
	if cr.n >= MaxPerClient {
		return false, nil
	}
	cr.n++
	if len(c.seen) >= maxSeen || len(c.clients) >= maxSeen {
		c.seen, c.clients = make(map[[16]byte]time.Time), make(map[[16]byte]*clientReads)
		c.log.Warn("view dedupe memory full; starting over", "entries", maxSeen)
	}
	c.seen[k] = now
	c.pending[hourKey{id, now.Unix() / 3600}]++
	return true, nil
}

// key16 names a (who, article) pair by 16 bytes of a hash.
func key16(who, id string) [16]byte {
	sum := sha256.Sum256([]byte(who + "\x00" + id))
	var k [16]byte
	copy(k[:], sum[:16])
	return k
}

// visible asks the store, caching answers briefly: a read of a hot
// article must not cost a query.
func (c *Counter) visible(ctx context.Context, id string) (bool, error) {
	now := c.clock.Now()
	c.visMu.Lock()
	v, ok := c.vis[id]
	c.visMu.Unlock()
	if ok && now.Before(v.until) {
		return v.visible, nil
	}
	visible, err := c.store.ArticleVisible(ctx, id)
	if err != nil {
		return false, err
	}
	c.visMu.Lock()
	if len(c.vis) >= maxVisibilityCache {
		c.vis = map[string]visibility{}
	}
	ttl := hiddenTTL
	if visible {
		ttl = visibleTTL
	}
	c.vis[id] = visibility{visible: visible, until: now.Add(ttl)}
	c.visMu.Unlock()
	return visible, nil
}

// Flush writes the counted reads. On failure they go back into the buffer
// for the next flush, so nothing counted is lost while the process lives.
func (c *Counter) Flush(ctx context.Context) error {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	now := c.clock.Now()
	c.mu.Lock()
	pending := c.pending
	c.pending = map[hourKey]int64{}
	for k, t := range c.seen {
		if now.Sub(t) >= DedupeWindow {
			delete(c.seen, k)
		}
	}
	for k, cr := range c.clients {
		if now.Sub(cr.since) >= DedupeWindow {
			delete(c.clients, k)
		}
	}
	c.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	counts := make([]content.ViewCount, 0, len(pending))
	for k, n := range pending {
		counts = append(counts, content.ViewCount{ArticleID: k.article, Hour: time.Unix(k.hour*3600, 0).UTC(), Views: n})
	}
	if err := c.store.AddViews(ctx, counts); err != nil {
		c.mu.Lock()
		for k, n := range pending {
			c.pending[k] += n
		}
		c.mu.Unlock()
		return err
	}
	c.lastFlush.Store(now.UnixNano())
	return nil
}

// Buffered returns how many (article, hour) counts wait for the next
// flush, and when a flush last wrote (zero before the first).
func (c *Counter) Buffered() (int, time.Time) {
	c.mu.Lock()
	n := len(c.pending)
	c.mu.Unlock()
	var last time.Time
	if ns := c.lastFlush.Load(); ns != 0 {
		last = time.Unix(0, ns)
	}
	return n, last
}

// Refresh rolls old buckets up and recomputes the popularity windows.
func (c *Counter) Refresh(ctx context.Context) error {
	if err := c.store.RollUpViews(ctx); err != nil {
		return err
	}
	return c.store.RefreshPopularity(ctx)
}

// Run flushes every FlushEvery and refreshes popularity every
// RefreshEvery until ctx ends (a worker.Worker). Call Close afterwards,
// once no request can count a read, for the last flush.
func (c *Counter) Run(ctx context.Context) error {
	flush := time.NewTicker(FlushEvery)
	defer flush.Stop()
	refresh := time.NewTicker(RefreshEvery)
	defer refresh.Stop()
	if err := c.Refresh(ctx); err != nil && ctx.Err() == nil {
		c.log.Error("refresh popularity", "err", err)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-flush.C:
			if err := c.Flush(ctx); err != nil && ctx.Err() == nil {
				c.log.Error("flush views", "err", err)
			}
		case <-refresh.C:
			if err := c.Refresh(ctx); err != nil && ctx.Err() == nil {
				c.log.Error("refresh popularity", "err", err)
			}
		}
	}
}

// Close writes what is still buffered; call it once the HTTP server has
// stopped taking requests.
func (c *Counter) Close(ctx context.Context) error {
	if err := c.Flush(ctx); err != nil {
		return err
	}
	return c.Refresh(ctx)
}
