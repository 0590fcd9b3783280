package auth_test

import (
	"testing"
	"time"

	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/clock"
)

func TestBackoff(t *testing.T) {
	clk := clock.New()
	b := auth.NewBackoff(3, time.Second, time.Minute, clk)
	for i := 1; i <= 3; i++ {
		b.Fail("k")
		if w := b.Wait("k"); w != 0 {
			t.Fatalf("after %d failures (free 3): wait %v", i, w)
		}
	}
	// Then 1 s, 2 s, 4 s, … up to a minute.
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute} {
		b.Fail("k")
		if w := b.Wait("k"); w < want-10*time.Millisecond || w > want {
			t.Fatalf("failure %d: wait %v, want %v", i+4, w, want)
		}
	}
	if b.Wait("other") != 0 {
		t.Fatal("another key waits")
	}
	// The wait runs out by itself; the count is forgotten a Max later.
	clk.Advance(time.Minute - time.Second)
	if w := b.Wait("k"); w == 0 || w > time.Second {
		t.Fatalf("near the end of the wait: %v", w)
	}
	clk.Advance(2 * time.Second)
	if w := b.Wait("k"); w != 0 || b.Failures("k") != 0 {
		t.Fatalf("a minute after the last failure: wait %v, %d failures remembered", w, b.Failures("k"))
	}
	b.Fail("k")
	b.Reset("k")
	if b.Failures("k") != 0 {
		t.Fatal("Reset kept failures")
	}
}
