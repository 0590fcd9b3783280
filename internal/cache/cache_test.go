package cache

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// These unit-test the map's own logic; the server's tests drive it
// through real requests on both databases.

func always[V any](V) bool { return true }

func TestFillOnce(t *testing.T) {
	c := New[string](1 << 20)
	var runs, started atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started.Add(1)
			if v := c.Fill("k", always[string], func() (string, int64, bool) { runs.Add(1); <-release; return "v", 1, true }); v != "v" {
				t.Errorf("got %q", v)
			}
		}()
	}
	for started.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // all are in Fill: one filling, the rest waiting
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("%d fills for one key, want 1", n)
	}
	if v, ok := c.Get("k", func(string) bool { return true }); !ok || v != "v" {
		t.Errorf("Get after fill: %q %v", v, ok)
	}
	if _, ok := c.Get("k", func(string) bool { return false }); ok {
		t.Error("a stale value was served")
	}
}

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New[int](800) // entries of 100 bytes at most (an eighth)
	for i, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		c.Fill(k, always[int], func() (int, int64, bool) { return i, 100, true })
	}
	c.Get("a", func(int) bool { return true }) // a is used again
	c.Fill("i", always[int], func() (int, int64, bool) { return 9, 100, true })
	if _, ok := c.Get("a", func(int) bool { return true }); !ok {
		t.Error("the entry used last was evicted")
	}
	if _, ok := c.Get("b", func(int) bool { return true }); ok {
		t.Error("the least recently used entry was kept")
	}
	if s := c.Stats(); s.Bytes > 800 || s.Evictions != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestPanickingFillReleasesWaiters(t *testing.T) {
	c := New[string](1 << 20)
	func() {
		defer func() { _ = recover() }()
		c.Fill("k", always[string], func() (string, int64, bool) { panic("boom") })
	}()
	if v := c.Fill("k", always[string], func() (string, int64, bool) { return "v", 1, true }); v != "v" {
		t.Errorf("after a panicking fill: %q", v)
	}
}
