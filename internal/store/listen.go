package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// On PostgreSQL every content write also sends a NOTIFY on
// contentChannel, delivered when its transaction commits. A replica that
// listens learns of another's write within milliseconds instead of at
// its next poll, and while it listens it re-reads the generation only as
// a safety net (listeningMaxAge), in case a notification is lost.
const (
	contentChannel  = "masthead_content"
	listeningMaxAge = 5 * time.Second
)

// Listener returns the worker that keeps this replica listening for
// other replicas' writes, or nil on SQLite (one process; its state is
// read from the file every StateMaxAge, which costs microseconds).
func (s *Store) Listener(log *slog.Logger) *Listener {
	if s.dialect.engine != Postgres {
		return nil
	}
	return &Listener{s: s, log: log}
}

// Listener is the LISTEN side of contentChannel: one connection of its
// own, outside the pool, reconnecting with backoff when it drops.
type Listener struct {
	s   *Store
	log *slog.Logger
}

// Run listens until ctx ends.
func (l *Listener) Run(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		start := time.Now()
		err := l.listen(ctx)
		// Whatever was missed while not listening: every answer kept so
		// far is dropped (cold, not possibly stale), and the state is
		// polled every StateMaxAge until listening again.
		l.s.state.lost()
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(start) > time.Minute {
			backoff = 100 * time.Millisecond
		}
		if l.log != nil {
			l.log.Warn("content notifications lost; polling until reconnected", "err", err, "retry_in", backoff)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
	return nil
}

// listen holds one listening connection until it fails or ctx ends.
func (l *Listener) listen(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(l.s.url)
	if err != nil {
		return err
	}
	cfg.RuntimeParams["application_name"] = ListenerApplication
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+contentChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Listening from here on; a write committed before this point is in
	// the generation read next, so the state is read afresh.
	l.s.state.listening(true)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		l.s.state.changed()
	}
}

// ListenerApplication is the application_name of listening connections,
// so operators (and tests) can find them in pg_stat_activity.
const ListenerApplication = "masthead listener"

// Listening reports whether this replica currently hears other
// replicas' writes as they commit.
func (s *Store) Listening() bool {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	return s.state.heard
}
