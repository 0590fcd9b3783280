package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// listening starts s's listener, as serve does, until the test ends, and
// waits until it listens.
func listening(t *testing.T, s *store.Store) {
	t.Helper()
	l := s.Listener(nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the listener to connect", s.Listening)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for start := time.Now(); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestContentNotifications: on PostgreSQL a write on one replica reaches
// another's content state as it commits, though the listening replica
// trusts what it read for seconds; a replica that loses its listening
// connection invalidates everything it held, and listens again.
func TestContentNotifications(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		if engine == store.SQLite {
			if testdb.Open(t, engine).Listener(nil) != nil {
				t.Error("a listener on SQLite: one process, nothing to hear")
			}
			return
		}
		notifications(t, testdb.URL(t, engine))
	})
}

func notifications(t *testing.T, u string) {
	ctx := context.Background()
	one, two := testdb.OpenURL(t, u, nil, content.Site{}), testdb.OpenURL(t, u, nil, content.Site{})
	listening(t, two)

	before, err := two.ContentState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := one.CreateCategory(ctx, content.CategoryUpdate{Term: content.Term{Name: ptr("News")}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitFor(t, "the other replica to see the write", func() bool {
		st, err := two.ContentState(ctx)
		return err == nil && st.Generation != before.Generation
	})
	if took := time.Since(start); took > time.Second {
		t.Errorf("the write reached the other replica after %v", took)
	}

	// The listening connection drops (a restart of the database, a
	// network cut): whatever was cached is invalid, though nothing was
	// written, and the listener connects again.
	held, err := two.ContentState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := one.SQLDB().QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND datname = current_database()`, store.ListenerApplication).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminate the listener: %d, %v", n, err)
	}
	waitFor(t, "the replica to notice", func() bool {
		st, err := two.ContentState(ctx)
		return err == nil && !held.Valid(st, time.Now())
	})
	waitFor(t, "the listener to reconnect", two.Listening)
}
