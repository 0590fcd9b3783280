package auth

import (
	"sync"
	"time"

	"github.com/masthead/masthead/internal/clock"
)

// Backoff counts failures per key and says how long the key must wait
// before its next try: nothing for the first Free failures, then Base,
// doubling with each further failure up to Max. A key's failures are
// forgotten Max after its last one, or at once on Reset after a
// success. It lives in memory: each replica counts on its own.
type Backoff struct {
	Free      int
	Base, Max time.Duration

	clock *clock.Clock
	mu    sync.Mutex
	keys  map[string]*strikes
}

type strikes struct {
	failures int
	last     time.Time
}

// NewBackoff returns a Backoff on clk.
func NewBackoff(free int, base, max time.Duration, clk *clock.Clock) *Backoff {
	return &Backoff{Free: free, Base: base, Max: max, clock: clk, keys: map[string]*strikes{}}
}

// Failures returns key's failures still remembered.
func (b *Backoff) Failures(key string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s := b.live(key, b.clock.Now()); s != nil {
		return s.failures
	}
	return 0
}

// Wait returns how long key must wait before trying again; 0 means go on.
func (b *Backoff) Wait(key string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	s := b.live(key, now)
	if s == nil {
		return 0
	}
	return max(0, s.last.Add(b.delay(s.failures)).Sub(now))
}

// Fail records a failure for key and returns how many it has now.
func (b *Backoff) Fail(key string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	s := b.live(key, now)
	if s == nil {
		s = &strikes{}
		b.keys[key] = s
		b.sweep(now)
	}
	s.failures++
	s.last = now
	return s.failures
}

// Reset forgets key's failures, after a success.
func (b *Backoff) Reset(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.keys, key)
}

// delay is the wait after n failures.
func (b *Backoff) delay(n int) time.Duration {
	if n <= b.Free {
		return 0
	}
	d := b.Base
	for i := b.Free + 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// live returns key's strikes unless they are forgotten by now.
func (b *Backoff) live(key string, now time.Time) *strikes {
	s, ok := b.keys[key]
	if ok && now.Sub(s.last) >= b.Max {
		delete(b.keys, key)
		return nil
	}
	return s
}

// sweep drops forgotten keys once the map grows, so a flood of distinct
// keys cannot hold memory for long.
func (b *Backoff) sweep(now time.Time) {
	if len(b.keys) < 10_000 {
		return
	}
	for k, s := range b.keys {
		if now.Sub(s.last) >= b.Max {
			delete(b.keys, k)
		}
	}
}
