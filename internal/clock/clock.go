// Package clock is Masthead's one clock. run() makes one and passes it
// to every constructor, so everything that asks the time agrees, and a
// test that moves it moves it for the store, the workers and the tokens
// at once.
package clock

import (
	"sync/atomic"
	"time"
)

// Clock tells the time in UTC at microsecond precision, the precision
// both databases keep. The nil *Clock is the system clock.
type Clock struct {
	offset atomic.Int64 // nanoseconds added to the system time
}

// New returns a clock that follows the system time.
func New() *Clock { return &Clock{} }

// Now returns the current time.
func (c *Clock) Now() time.Time {
	t := time.Now()
	if c != nil {
		t = t.Add(time.Duration(c.offset.Load()))
	}
	return t.UTC().Truncate(time.Microsecond)
}

// Advance moves the clock by d (negative moves it back); tests use it.
func (c *Clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// Reset makes the clock follow the system time again.
func (c *Clock) Reset() { c.offset.Store(0) }
