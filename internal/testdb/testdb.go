// Package testdb gives each test a fresh, migrated database: a SQLite file
// in the test's temporary folder always, and a uniquely named PostgreSQL
// database when MASTHEAD_TEST_DATABASE_URL is set. Each is dropped when
// the test ends.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for CREATE and DROP DATABASE

	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/webhook"
)

// Engines lists the engines tests run on: SQLite always, PostgreSQL when
// MASTHEAD_TEST_DATABASE_URL is set. Under MASTHEAD_TEST_REQUIRE_POSTGRES=1
// a missing URL fails the tests instead of skipping PostgreSQL.
var Engines = engines()

func engines() []store.Engine {
	if os.Getenv("MASTHEAD_TEST_DATABASE_URL") != "" {
		return []store.Engine{store.SQLite, store.Postgres}
	}
	return []store.Engine{store.SQLite}
}

// Open returns a store on a new, migrated database of the given engine,
// on the system clock, whose webhook payloads carry no site links.
func Open(tb testing.TB, engine store.Engine) *store.Store {
	tb.Helper()
	return OpenWith(tb, engine, nil, content.Site{})
}

// OpenWith is Open telling the time by clk, with webhook payloads linking
// to site, as run() wires a store.
func OpenWith(tb testing.TB, engine store.Engine, clk *clock.Clock, site content.Site) *store.Store {
	tb.Helper()
	return openURL(tb, URL(tb, engine), clk, site)
}

// OpenURL opens and migrates the database at u (from URL), for a test
// that runs two servers on one database.
func OpenURL(tb testing.TB, u string, clk *clock.Clock, site content.Site) *store.Store {
	tb.Helper()
	return openURL(tb, u, clk, site)
}

// URL creates an empty database of the given engine, dropped at the end of
// the test, and returns its URL.
func URL(tb testing.TB, engine store.Engine) string {
	tb.Helper()
	if engine == store.SQLite {
		return "sqlite://" + filepath.Join(tb.TempDir(), "masthead.db")
	}
	admin := os.Getenv("MASTHEAD_TEST_DATABASE_URL")
	if admin == "" {
		tb.Fatal("testdb: MASTHEAD_TEST_DATABASE_URL is not set")
	}
	buf := make([]byte, 6)
	rand.Read(buf)
	name := "masthead_test_" + hex.EncodeToString(buf)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("testdb: create database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			tb.Errorf("testdb: %v", err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("testdb: drop database: %v", err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("testdb: parse MASTHEAD_TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func openURL(tb testing.TB, u string, clk *clock.Clock, site content.Site) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, u, clk, webhook.Encoder(site))
	if err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx, nil); err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	return s
}

// Run runs fn as a subtest once per engine.
func Run(t *testing.T, fn func(t *testing.T, engine store.Engine)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

// Main runs a package's tests, as its TestMain. Under
// MASTHEAD_TEST_REQUIRE_POSTGRES=1 without MASTHEAD_TEST_DATABASE_URL it
// fails at once instead of letting PostgreSQL tests be skipped.
func Main(m *testing.M) {
	if os.Getenv("MASTHEAD_TEST_REQUIRE_POSTGRES") == "1" && os.Getenv("MASTHEAD_TEST_DATABASE_URL") == "" {
		fmt.Fprintln(os.Stderr, "testdb: MASTHEAD_TEST_REQUIRE_POSTGRES=1 but MASTHEAD_TEST_DATABASE_URL is not set")
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// Rebind writes ? placeholders as the engine's driver wants them, for
// tests that query the database directly.
func Rebind(engine store.Engine, q string) string {
	if engine != store.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
