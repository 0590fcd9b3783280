// Package worker is the one way Masthead runs background work: each
// worker is a Run(ctx) error that works until ctx ends, hands back what it
// holds and returns; run() starts them together and waits for every one.
package worker

import (
	"context"
	"log/slog"
	"time"
)

// Worker is background work.
type Worker interface {
	// Run works until ctx ends, then returns once what it held is done or
	// handed back. An error stops the process.
	Run(ctx context.Context) error
}

// Poller runs Step at once and then every Every until its context ends.
// A Step that reports more work runs again at once, so a backlog drains
// without waiting for ticks. Step errors are logged, not fatal: the next
// tick tries again.
type Poller struct {
	Name  string
	Every time.Duration
	Step  func(ctx context.Context) (more bool, err error)
	Log   *slog.Logger
}

// Run implements Worker.
func (p Poller) Run(ctx context.Context) error {
	t := time.NewTicker(p.Every)
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			more, err := p.Step(ctx)
			if err != nil && ctx.Err() == nil && p.Log != nil {
				p.Log.Error(p.Name, "err", err)
			}
			if !more || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
