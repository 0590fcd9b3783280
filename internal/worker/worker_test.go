package worker_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/worker"
)

func TestPoller(t *testing.T) {
	t.Run("OK drains a backlog without waiting for ticks", func(t *testing.T) {
		var calls atomic.Int32
		ctx, cancel := context.WithCancel(context.Background())
		p := worker.Poller{Name: "test", Every: time.Hour, Step: func(context.Context) (bool, error) {
			if calls.Add(1) == 3 {
				cancel()
				return false, nil
			}
			return true, nil
		}}
		done := make(chan error)
		go func() { done <- p.Run(ctx) }()
		select {
		case err := <-done:
			if err != nil || calls.Load() != 3 {
				t.Fatalf("Run = %v after %d steps, want nil after 3", err, calls.Load())
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}
	})
	t.Run("ErrStep waits for the next tick", func(t *testing.T) {
		var calls atomic.Int32
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Millisecond)
		defer cancel()
		p := worker.Poller{Name: "test", Every: 50 * time.Millisecond, Step: func(context.Context) (bool, error) {
			calls.Add(1)
			return true, errors.New("database down")
		}}
		if err := p.Run(ctx); err != nil {
			t.Fatal(err)
		}
		// At start and on two or three ticks: a failing step does not spin.
		if n := calls.Load(); n < 2 || n > 4 {
			t.Fatalf("%d steps in 120 ms at a 50 ms tick, want 2 to 4", n)
		}
	})
}
