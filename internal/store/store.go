// Package store keeps Masthead's content in PostgreSQL or an embedded
// SQLite file through GORM. SQL is written out in each method; where the
// engines differ, the difference sits in a file named for each engine
// (engine_*.go, search_*.go, errors_*.go), chosen once in Open.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/oklog/ulid/v2"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
)

// Engine names a database engine.
type Engine string

// The engines Masthead runs on.
const (
	Postgres Engine = "postgres"
	SQLite   Engine = "sqlite"
)

// Store reads and writes content. It is safe for concurrent use.
type Store struct {
	db      *gorm.DB
	dialect dialect
	clock   *clock.Clock
	queries atomic.Int64
	encode  EventEncoder
	state   contentState
	counts  countCache
	// settings keeps the site's settings between writes (settings.go).
	settings settingsCache
	// writers, on SQLite, lets one transaction write at a time.
	writers chan struct{}
	url     string // for the listener's own connection
}

// EventEncoder turns an event into the payload its deliveries send. The
// store writes the payload in the transaction of the change; the format
// belongs to the webhook package (webhook.Encoder).
type EventEncoder func(content.Event) ([]byte, error)

// Open connects to the database named by url: "postgres://…" for
// PostgreSQL, "sqlite:///abs/path.db" or "sqlite://rel/path.db" for a
// SQLite file (created, with its folder, when missing). It does not
// migrate; call Migrate. The store reads the time from clk (nil: the
// system clock) and encodes webhook events with encode (nil: events are
// not recorded, for tools that write no content).
func Open(ctx context.Context, url string, clk *clock.Clock, encode EventEncoder) (*Store, error) {
	var d dialect
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		d = postgresDialect()
	case strings.HasPrefix(url, "sqlite://"):
		d = sqliteDialect()
	default:
		return nil, fmt.Errorf("database URL must start with postgres:// or sqlite://")
	}
	dialector, err := d.open(url)
	if err != nil {
		return nil, err
	}
	// No connection is made here: a server starts while its database is
	// down and connects once it is back (Ping, Migrate).
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		DisableAutomaticPing:   true,
		NowFunc:                clk.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.engine, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	d.pool(sqlDB)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, dialect: d, clock: clk, encode: encode, url: url}
	if d.engine == SQLite {
		s.writers = make(chan struct{}, 1)
	}
	s.countQueries()
	return s, nil
}

// Engine reports which engine s runs on.
func (s *Store) Engine() Engine { return s.dialect.engine }

// Close closes the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// SQLDB returns the underlying pool, for migrations and tests.
func (s *Store) SQLDB() *sql.DB {
	sqlDB, _ := s.db.DB()
	return sqlDB
}

// Queries returns how many SQL statements s has run; tests and
// benchmarks use it to prove that reader routes run a constant number.
func (s *Store) Queries() int64 { return s.queries.Load() }

func (s *Store) countQueries() {
	s.onStatements("masthead:count", nil, func(*gorm.DB) { s.queries.Add(1) })
}

// onStatements registers before and after (either may be nil) around
// every kind of statement GORM runs, under name: the one place that
// lists them, for counting and timing alike.
func (s *Store) onStatements(name string, before, after func(*gorm.DB)) {
	cb := s.db.Callback()
	if before != nil {
		_ = cb.Query().Before("gorm:query").Register(name+":before", before)
		_ = cb.Row().Before("gorm:row").Register(name+":before", before)
		_ = cb.Raw().Before("gorm:raw").Register(name+":before", before)
		_ = cb.Create().Before("gorm:create").Register(name+":before", before)
		_ = cb.Update().Before("gorm:update").Register(name+":before", before)
		_ = cb.Delete().Before("gorm:delete").Register(name+":before", before)
	}
	if after != nil {
		_ = cb.Query().After("gorm:query").Register(name+":after", after)
		_ = cb.Row().After("gorm:row").Register(name+":after", after)
		_ = cb.Raw().After("gorm:raw").Register(name+":after", after)
		_ = cb.Create().After("gorm:create").Register(name+":after", after)
		_ = cb.Update().After("gorm:update").Register(name+":after", after)
		_ = cb.Delete().After("gorm:delete").Register(name+":after", after)
	}
}

// Now returns the store's current time, in UTC at the precision both
// engines keep.
func (s *Store) Now() time.Time { return s.clock.Now() }

// now is Now, for the store's own use outside transactions.
func (s *Store) now() time.Time { return s.clock.Now() }

// conn returns the database bound to ctx.
func (s *Store) conn(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// txn is a transaction with the one time its writes record: every row a
// change touches carries the same now.
type txn struct {
	*gorm.DB
	now time.Time
}

// maxTxAttempts bounds how often transact runs a transaction that lost
// to another (a deadlock, a serialisation failure).
const maxTxAttempts = 4

// transact runs fn in one transaction: all of its writes land or none. A
// transaction the engine aborted only because of another one is run
// again, a few times, after a short random pause; fn must therefore
// start from what it reads, not from what an earlier run left behind.
func (s *Store) transact(ctx context.Context, fn func(tx *txn) error) error {
	if s.writers != nil {
		// SQLite has one writer at a time: queue here, in order, rather
		// than in its busy handler, which polls and let one writer of
		// twenty starve past the request deadline under load.
		select {
		case s.writers <- struct{}{}:
			defer func() { <-s.writers }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for attempt := 1; ; attempt++ {
		now := s.now()
		err := s.conn(ctx).Transaction(func(db *gorm.DB) error { return fn(&txn{DB: db, now: now}) })
		if err == nil || attempt == maxTxAttempts || !s.dialect.retryable(err) {
			return err
		}
		pause := time.Duration(attempt) * time.Duration(5+mathrand.IntN(20)) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// NewID returns a new opaque, time-ordered id. Ids made in one process
// in the same millisecond still increase (ulid.Make's monotonic
// entropy), so the events one change fires keep their order.
func NewID() string { return ulid.Make().String() }

// constraint is a kind of constraint violation, as the engines' error
// codes tell it (errors_postgres.go, errors_sqlite.go).
type constraint int

const (
	noConstraint constraint = iota
	uniqueViolation
	foreignKeyViolation
)

// translate turns driver errors into content errors at the edge: a unique
// violation is a conflict, a foreign-key violation a conflict that names
// what still refers to the row; what names what was being done.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	var ce *content.Error
	switch {
	case errors.As(err, &ce):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return content.Errorf(content.ENOTFOUND, "%s not found.", what)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: database deadline exceeded: %w", what, err)
	}
	switch max(postgresConstraint(err), sqliteConstraint(err)) {
	case uniqueViolation:
		return content.Errorf(content.ECONFLICT, "%s already exists.", what)
	case foreignKeyViolation:
		return content.Errorf(content.ECONFLICT, "%s is still in use.", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Fault recognises an error that is not the request's fault nor a bug:
// the database unreachable, restarting or out of connections, a
// deadline passed (EUNAVAILABLE: try again shortly), or its disk full
// (ESTORAGEFULL). Anything else gives nil.
func Fault(err error) *content.Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return &content.Error{Code: content.EUNAVAILABLE, Message: "The request took too long; try again shortly.", RetryAfter: time.Second}
	case sqliteFull(err):
		return &content.Error{Code: content.ESTORAGEFULL, Message: "The disk holding the database is full; reads still work, writes wait until space is freed."}
	case postgresUnavailable(err), sqliteUnavailable(err), unreachable(err):
		return &content.Error{Code: content.EUNAVAILABLE, Message: "The database is unavailable; try again shortly.", RetryAfter: 2 * time.Second}
	}
	return nil
}

// unreachable reports a connection that could not be made or was lost,
// whatever the engine.
func unreachable(err error) bool {
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &oe) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// deleteByID deletes the row id of table; none there is ENOTFOUND naming
// what.
func (s *Store) deleteByID(ctx context.Context, table, what, id string) error {
	res := s.conn(ctx).Exec("DELETE FROM "+table+" WHERE id = ?", id)
	if res.Error != nil {
		return translate(res.Error, what)
	}
	if res.RowsAffected == 0 {
		return content.Errorf(content.ENOTFOUND, "%s %q not found.", what, id)
	}
	return nil
}

// anys turns ids into query arguments.
func anys(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// claim leases up to limit rows of table that are due (the condition
// due, taking the current time once) and not leased by another worker,
// for lease, and returns their ids. The outer condition repeats the lease
// test: on PostgreSQL a concurrent claimer re-checks it after waiting for
// the row lock, so no row is claimed twice.
func (s *Store) claim(ctx context.Context, table, due, order string, limit int, lease time.Duration) ([]any, error) {
	now := s.now()
	var ids []string
	err := s.conn(ctx).Raw(`UPDATE `+table+` SET locked_until = ?
		WHERE id IN (SELECT id FROM `+table+` WHERE `+due+` AND (locked_until IS NULL OR locked_until <= ?) ORDER BY `+order+` LIMIT ?)
		AND (locked_until IS NULL OR locked_until <= ?) RETURNING id`,
		now.Add(lease), now, now, limit, now).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("claim %s: %w", table, err)
	}
	return anys(ids), nil
}

// nullable maps "" to NULL for optional foreign keys.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullTimeAny scans a time that SQLite may hand over as text: the
// result of an expression (a subquery, max()) has no declared column
// type for the driver to convert by.
type nullTimeAny struct {
	Time  time.Time
	Valid bool
}

func (t *nullTimeAny) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		t.Valid = false
		return nil
	case time.Time:
		t.Time, t.Valid = x.UTC(), true
		return nil
	case []byte:
		v = string(x)
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("scan time from %T", v)
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if p, err := time.Parse(layout, s); err == nil {
			t.Time, t.Valid = p.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("scan time from %q", s)
}
