package views_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/views"
)

// fakeStore is an in-memory views.Store whose writes can fail. The real
// store is tested on both databases in internal/server; this one tests
// the counter's keep-on-failure logic without a database.
type fakeStore struct {
	down  bool
	added map[string]int64
}

func (f *fakeStore) ArticleVisible(_ context.Context, id string) (bool, error) {
	return id != "draft", nil
}
func (f *fakeStore) RollUpViews(context.Context) error       { return nil }
func (f *fakeStore) RefreshPopularity(context.Context) error { return nil }

func (f *fakeStore) AddViews(_ context.Context, counts []content.ViewCount) error {
	if f.down {
		return errors.New("database down")
	}
	for _, c := range counts {
		f.added[c.ArticleID] += c.Views
	}
	return nil
}

func TestCounterKeepsReadsWhenAFlushFails(t *testing.T) {
	ctx := context.Background()
	st := &fakeStore{added: map[string]int64{}}
	c := views.New(st, nil, clock.New())
	read := func(id, visitor string) bool {
		t.Helper()
		ok, err := c.Record(ctx, id, visitor, "198.51.100.7")
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !read("a", "v1") || !read("a", "v2") || read("a", "v1") {
		t.Fatal("two visitors count once each; a reread within the window does not")
	}
	if _, err := c.Record(ctx, "draft", "v1", "198.51.100.7"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("read of a draft: %v, want not_found", err)
	}
	st.down = true
	if err := c.Flush(ctx); err == nil {
		t.Fatal("flush with the database down succeeded")
	}
	read("a", "v3")
	st.down = false
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if st.added["a"] != 3 {
		t.Fatalf("%d reads written, want the 2 kept from the failed flush and 1 since", st.added["a"])
	}
	if err := c.Flush(ctx); err != nil || st.added["a"] != 3 {
		t.Fatalf("a second flush wrote again: %d, %v", st.added["a"], err)
	}
}

// A script sending made-up visitor ids from one address counts at most
// MaxPerClient reads of an article per window; another address and
// another article count apart, and the next window counts again.
func TestCounterCapsReadsPerClient(t *testing.T) {
	ctx := context.Background()
	clk := clock.New()
	st := &fakeStore{added: map[string]int64{}}
	c := views.New(st, nil, clk)
	counted := func(id, visitor, addr string) int {
		n := 0
		for i := range 100 {
			ok, err := c.Record(ctx, id, fmt.Sprintf("%s-%d", visitor, i), addr)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				n++
			}
		}
		return n
	}
	if n := counted("a", "bot", "203.0.113.1"); n != views.MaxPerClient {
		t.Fatalf("100 made-up visitors from one address: %d counted, want %d", n, views.MaxPerClient)
	}
	if n := counted("b", "bot", "203.0.113.1"); n != views.MaxPerClient {
		t.Fatalf("another article: %d counted", n)
	}
	if n := counted("a", "reader", "203.0.113.2"); n != views.MaxPerClient {
		t.Fatalf("another address: %d counted", n)
	}
	clk.Advance(views.DedupeWindow)
	if n := counted("a", "later", "203.0.113.1"); n != views.MaxPerClient {
		t.Fatalf("the next window: %d counted", n)
	}
}
