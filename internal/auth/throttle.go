package auth

import (
	"sync"
	"time"

	"github.com/masthead/masthead/internal/clock"
)

// Throttle counts failures per key (an e-mail address, a client address)
// in a fixed window and refuses a key that reached its limit until the
// window ends. It lives in memory: each replica throttles on its own.
type Throttle struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	keys   map[string]*window
	clock  *clock.Clock
}

type window struct {
	start    time.Time
	failures int
}

// NewThrottle allows limit failures per key per window, on clk.
func NewThrottle(limit int, per time.Duration, clk *clock.Clock) *Throttle {
	return &Throttle{limit: limit, window: per, keys: map[string]*window{}, clock: clk}
}

// Wait returns how long key must wait before trying again; 0 means go on.
func (t *Throttle) Wait(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, ok := t.keys[key]
	if !ok {
		return 0
	}
	left := w.start.Add(t.window).Sub(t.clock.Now())
	if left <= 0 {
		delete(t.keys, key)
		return 0
	}
	if w.failures >= t.limit {
		return left
	}
	return 0
}

// Fail records a failure for key.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	w, ok := t.keys[key]
	if !ok || now.Sub(w.start) >= t.window {
		w = &window{start: now}
		t.keys[key] = w
		t.sweep(now)
	}
	w.failures++
}

// Reset forgets key's failures, after a success.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// sweep drops ended windows once the map grows, so a flood of distinct
// keys cannot hold memory for long.
func (t *Throttle) sweep(now time.Time) {
	if len(t.keys) < 10_000 {
		return
	}
	for k, w := range t.keys {
		if now.Sub(w.start) >= t.window {
			delete(t.keys, k)
		}
	}
}
