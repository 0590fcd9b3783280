package store

import (
	"database/sql"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
)

// dialect is what differs between the engines: how to connect and pool,
// how migrations run, which errors are worth a retry, the odd function
// spelled differently, and the search index (search_*.go). Each engine
// fills one in its own file (engine_postgres.go, engine_sqlite.go); Open
// picks it by URL.
type dialect struct {
	engine Engine
	// open turns a database URL into GORM's dialector.
	open func(url string) (gorm.Dialector, error)
	// pool sizes the connection pool.
	pool func(*sql.DB)
	// goose is the migration dialect; migrateOpts adds what the engine
	// needs (PostgreSQL: a lock so replicas migrate one at a time).
	goose       goose.Dialect
	migrateOpts func() ([]goose.ProviderOption, error)
	// joinText aggregates expr into one string separated by spaces, in
	// order (the subscriber's sections).
	joinText func(expr string) string
	// lockRow ends a SELECT of one table's rows to lock them for the
	// transaction ("" where writers are serialised anyway).
	lockRow string
	// retryable tells a transaction that failed only because of another
	// (deadlock, serialisation failure, busy database) and may run again.
	retryable func(error) bool
	// search keeps and queries the full-text index.
	search searcher
	// optimize refreshes the planner's statistics where the engine does
	// not by itself ("" where it does: PostgreSQL's autovacuum).
	optimize string
}
