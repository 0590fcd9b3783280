package store

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
)

func sqliteDialect() dialect {
	return dialect{
		engine: SQLite,
		open:   openSQLite,
		// One writer at a time anyway; a few connections serve readers
		// beside it.
		pool:        func(db *sql.DB) { db.SetMaxOpenConns(8) },
		goose:       goose.DialectSQLite3,
		migrateOpts: func() ([]goose.ProviderOption, error) { return nil, nil },
		// group_concat takes no ORDER BY; the order is the rows'.
		joinText:  func(expr string) string { return "group_concat(" + expr + ", ' ')" },
		retryable: sqliteRetryable,
		search:    sqliteSearch{},
		// SQLite never gathers statistics by itself. PRAGMA optimize,
		// as its documentation recommends: 0x10002 looks at every table
		// (ANALYZE where sqlite_stat1 lacks it or its size changed a
		// lot), within a bounded analysis_limit, so it costs milliseconds.
		optimize: "PRAGMA optimize=0x10002",
	}
}

// openSQLite opens "sqlite:///abs/path.db" or "sqlite://rel/path.db",
// creating the file and its folder when missing. Parameters after "?"
// go to the driver as they are (e.g. _pragma=max_page_count(1000) to cap
// the file's size).
func openSQLite(url string) (gorm.Dialector, error) {
	path, params, _ := strings.Cut(strings.TrimPrefix(url, "sqlite://"), "?")
	if path == "" {
		return nil, errors.New("sqlite URL names no file")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	// WAL lets readers run beside the writer; foreign keys are off in
	// SQLite unless asked for; the busy timeout makes a writer wait for
	// another instead of failing; _txlock=immediate takes the write lock
	// at BEGIN so two transactions cannot deadlock.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	if params != "" {
		dsn += "&" + params
	}
	return sqlite.Open(dsn), nil
}
