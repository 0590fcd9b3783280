package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// What a reader sees changes in two ways: by a write (an article saved,
// published or deleted, a section renamed, a pin set), and by the clock
// (a scheduled story comes due, a breaking flag expires). Caches of
// reader answers key on ContentState, which covers both: the generation
// in content_state, bumped in the transaction of every such write on any
// replica, and the next time the clock changes the visible set.

// ContentState is the content generation and when it next changes by
// itself.
type ContentState struct {
	Generation int64
	// Due is when the visible set next changes with no write; zero when
	// nothing is scheduled or expiring.
	Due time.Time
	// epoch counts the times this replica stopped hearing other
	// replicas' writes: what was cached before cannot be trusted after.
	epoch int64
}

// Valid reports whether an answer computed under st still holds under
// cur at now.
func (st ContentState) Valid(cur ContentState, now time.Time) bool {
	return st.Generation == cur.Generation && st.epoch == cur.epoch && (st.Due.IsZero() || now.Before(st.Due))
}

// StateMaxAge is how long a replica that does not listen for other
// replicas' writes (SQLite, or PostgreSQL while its listening connection
// is down) trusts the generation it last read: a write elsewhere reaches
// this one's caches within it.
const StateMaxAge = 250 * time.Millisecond

// contentState is the store's view of ContentState: read from the
// database at most every StateMaxAge (listeningMaxAge while notified of
// writes), and at once after a local write or a notification.
type contentState struct {
	mu    sync.Mutex
	st    ContentState
	read  time.Time // when st was read; zero: never, or after a failure
	heard bool      // a listener is connected
	epoch int64
}

func (c *contentState) maxAge() time.Duration {
	if c.heard {
		return listeningMaxAge
	}
	return StateMaxAge
}

// changed marks the state as outdated: the next ContentState reads it.
func (c *contentState) changed() {
	c.mu.Lock()
	c.read = time.Time{}
	c.mu.Unlock()
}

// listening records that notifications are heard from now on.
func (c *contentState) listening(on bool) {
	c.mu.Lock()
	c.heard, c.read = on, time.Time{}
	c.mu.Unlock()
}

// lost records that notifications may have been missed: a new epoch
// invalidates everything cached under the old one.
func (c *contentState) lost() {
	c.mu.Lock()
	c.heard, c.read = false, time.Time{}
	c.epoch++
	c.mu.Unlock()
}

// ContentState returns the current content state, reading it from the
// database when the one held is older than its maximum age, or the clock has
// passed its Due. An error means the state is unknown: callers must not
// serve cached answers.
func (s *Store) ContentState(ctx context.Context) (ContentState, error) {
	now := s.now()
	c := &s.state
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.read.IsZero() && now.Sub(c.read) < c.maxAge() && now.Sub(c.read) >= 0 && (c.st.Due.IsZero() || now.Before(c.st.Due)) {
		return c.st, nil
	}
	return s.readState(ctx, now)
}

// readState reads the generation, and when it changed or the due time
// passed, the next due time. c.mu is held.
func (s *Store) readState(ctx context.Context, now time.Time) (ContentState, error) {
	c := &s.state
	var gen int64
	if err := s.conn(ctx).Raw(`SELECT generation FROM content_state WHERE id = 1`).Scan(&gen).Error; err != nil {
		c.read = time.Time{}
		return ContentState{}, fmt.Errorf("read content state: %w", err)
	}
	st := ContentState{Generation: gen, Due: c.st.Due, epoch: c.epoch}
	if c.read.IsZero() || gen != c.st.Generation || (!st.Due.IsZero() && !now.Before(st.Due)) {
		// One statement: the next scheduled story, the next breaking
		// flag to expire and the next ad to start or end. The rows
		// themselves, not min(): SQLite gives an aggregate of a DATETIME
		// column back as text.
		var next []time.Time
		if err := s.conn(ctx).Raw(`SELECT t FROM (SELECT published_at AS t FROM articles WHERE status = 'scheduled' AND published_at > ? ORDER BY published_at LIMIT 1) x
			UNION ALL SELECT t FROM (SELECT breaking_until AS t FROM articles WHERE breaking = TRUE AND breaking_until > ? ORDER BY breaking_until LIMIT 1) y
			UNION ALL SELECT t FROM (SELECT at AS t FROM ad_schedule WHERE at > ? ORDER BY at LIMIT 1) z`, now, now, now).Scan(&next).Error; err != nil {
			c.read = time.Time{}
			return ContentState{}, fmt.Errorf("read content state: %w", err)
		}
		var due time.Time
		for _, t := range next {
			if due.IsZero() || t.Before(due) {
				due = t
			}
		}
		st.Due = due.UTC()
	}
	c.st, c.read = st, now
	return st, nil
}

// transactContent is transact for writes readers can see: the generation
// is bumped in the same transaction, so no replica can cache what the
// write replaced under the new generation; after the commit this
// replica reads the new state at once.
func (s *Store) transactContent(ctx context.Context, fn func(tx *txn) error) error {
	err := s.transact(ctx, func(tx *txn) error {
		if err := fn(tx); err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE content_state SET generation = generation + 1 WHERE id = 1`).Error; err != nil {
			return err
		}
		if s.dialect.engine == Postgres {
			// Sent on commit, to every listening replica.
			return tx.Exec(`NOTIFY ` + contentChannel).Error
		}
		return nil
	})
	if err == nil {
		s.state.changed() // the next ContentState reads it again
	}
	return err
}

// countCache keeps the totals of reader lists (page=N) per filter, under
// the content state they were counted in: a count over thousands of rows
// runs once per filter and write, not once per request.
type countCache struct {
	mu sync.Mutex
	m  map[string]countEntry
}

type countEntry struct {
	st ContentState
	n  int
}

// maxCounts bounds the cache; past it, it starts over.
const maxCounts = 4096

func (c *countCache) get(key string, cur ContentState, now time.Time) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !e.st.Valid(cur, now) {
		return 0, false
	}
	return e.n, true
}

func (c *countCache) put(key string, st ContentState, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCounts {
		c.m = make(map[string]countEntry)
	}
	c.m[key] = countEntry{st: st, n: n}
}
