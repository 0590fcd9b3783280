package server

import (
	"sync"
	"time"
)

// Readiness says whether the server takes traffic. A server starts
// before its database answers: until Started, every API route answers
// 503 with the reason and /readyz says why. Draining, on a graceful stop,
// turns /readyz to 503 so a load balancer stops sending, while requests
// that still arrive are served.
type Readiness struct {
	mu       sync.Mutex
	starting string // why the server is not started yet; "" once it is
	draining bool
	full     time.Time // when a write last found the disk full
}

// NewReadiness returns a Readiness still starting, for reason.
func NewReadiness(reason string) *Readiness { return &Readiness{starting: reason} }

// Starting records why the server is not started yet.
func (r *Readiness) Starting(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.starting = reason
}

// Started records that the database is reached and migrated.
func (r *Readiness) Started() { r.Starting("") }

// Drain records that the server is stopping.
func (r *Readiness) Drain() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.draining = true
}

// diskFull notes that a write found the disk full at now.
func (r *Readiness) diskFull(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.full = now
}

// fullFor is how long a full disk keeps /readyz at 503 after the last
// write that found it so.
const fullFor = 30 * time.Second

// state returns why the server is not started ("" when it is), why it
// is not ready for more traffic ("" when it is).
func (r *Readiness) state(now time.Time) (starting, notReady string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.starting != "":
		return r.starting, r.starting
	case r.draining:
		return "", "shutting down"
	case !r.full.IsZero() && now.Sub(r.full) < fullFor:
		return "", "the disk holding the database is full"
	}
	return "", ""
}
