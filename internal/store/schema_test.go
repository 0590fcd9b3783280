package store_test

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// schema is what the migrations leave behind, in terms both engines
// share: tables with their columns (type mapped to a common name,
// nullability) and indexes (unique, partial, columns).
type schema struct {
	Columns map[string]string // "table.column" → "type null|not null"
	Indexes map[string]string // "table.index" → "unique? partial? (columns)"
	Uniques []string          // "table(columns)" of primary keys and unique constraints
}

// Intended differences: each engine's full-text search lives in tables
// and columns of its own (search_postgres.go, search_sqlite.go), and
// goose's bookkeeping is its own business.
var (
	onlyPostgres = regexp.MustCompile(`^article_search\b`)
	onlySQLite   = regexp.MustCompile(`^article_fts(_\w+)?\b|^articles\.(fts_rowid|articles_fts_rowid_idx|articles_fts_live_idx)$`)
	notOurs      = regexp.MustCompile(`^schema_migrations\b`)
)

// TestSchemasMatch migrates both engines and compares what they hold:
// the migration folders must not drift apart beyond the allow-list.
func TestSchemasMatch(t *testing.T) {
	if len(testdb.Engines) < 2 {
		t.Skip("needs PostgreSQL too: set MASTHEAD_TEST_DATABASE_URL")
	}
	t.Parallel()
	pg := readSchema(t, testdb.Open(t, store.Postgres))
	lite := readSchema(t, testdb.Open(t, store.SQLite))
	drop := func(s schema, only *regexp.Regexp) schema {
		keep := func(m map[string]string) map[string]string {
			out := map[string]string{}
			for k, v := range m {
				if !only.MatchString(k) && !notOurs.MatchString(k) {
					out[k] = v
				}
			}
			return out
		}
		u := slices.DeleteFunc(slices.Clone(s.Uniques), func(k string) bool { return only.MatchString(k) || notOurs.MatchString(k) })
		return schema{Columns: keep(s.Columns), Indexes: keep(s.Indexes), Uniques: u}
	}
	if diff := cmp.Diff(drop(pg, onlyPostgres), drop(lite, onlySQLite)); diff != "" {
		t.Fatalf("schemas differ (-postgres +sqlite):\n%s", diff)
	}
	if len(pg.Columns) < 50 || len(pg.Indexes) < 20 {
		t.Fatalf("read %d columns and %d indexes: the schema reader missed something", len(pg.Columns), len(pg.Indexes))
	}
}

// commonType maps each engine's column type to one name.
func commonType(t string) string {
	switch t = strings.ToLower(t); t {
	case "text", "character varying":
		return "text"
	case "integer", "bigint", "smallint":
		return "integer"
	case "boolean":
		return "boolean"
	case "timestamp with time zone", "timestamptz", "datetime":
		return "timestamp"
	case "double precision", "real": // SQLite's REAL is an 8-byte float
		return "real"
	}
	return t
}

func nullability(notNull bool) string {
	if notNull {
		return "not null"
	}
	return "null"
}

func readSchema(t *testing.T, s *store.Store) schema {
	t.Helper()
	db := s.SQLDB()
	out := schema{Columns: map[string]string{}, Indexes: map[string]string{}}
	query := func(q string, scan func(*sql.Rows) error, args ...any) {
		t.Helper()
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if s.Engine() == store.Postgres {
		query(`SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
			WHERE table_schema = 'public'`, func(r *sql.Rows) error {
			var table, col, typ, nullable string
			err := r.Scan(&table, &col, &typ, &nullable)
			out.Columns[table+"."+col] = commonType(typ) + " " + nullability(nullable == "NO")
			return err
		})
		// Indexes made by CREATE INDEX (not backing a constraint), and the
		// column sets of primary keys and unique constraints.
		query(`SELECT t.relname, i.relname, ix.indisunique, ix.indpred IS NOT NULL, c.conname IS NOT NULL,
				array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(n, o)
					JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o), ',')
			FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_constraint c ON c.conindid = ix.indexrelid AND c.conrelid = ix.indrelid AND c.contype IN ('p', 'u')
			WHERE n.nspname = 'public'`, func(r *sql.Rows) error {
			var table, index, cols string
			var unique, partial, constraint bool
			err := r.Scan(&table, &index, &unique, &partial, &constraint, &cols)
			if constraint {
				out.Uniques = append(out.Uniques, table+"("+cols+")")
			} else {
				out.Indexes[table+"."+index] = describeIndex(unique, partial, cols)
			}
			return err
		})
	} else {
		var tables []string
		query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`, func(r *sql.Rows) error {
			var name string
			err := r.Scan(&name)
			tables = append(tables, name)
			return err
		})
		for _, table := range tables {
			query(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, func(r *sql.Rows) error {
				var col, typ string
				var notNull, pk int
				err := r.Scan(&col, &typ, &notNull, &pk)
				// SQLite lets a primary key column be NULL unless told; ours are
				// all declared NOT NULL or INTEGER PRIMARY KEY on PostgreSQL's side.
				out.Columns[table+"."+col] = commonType(typ) + " " + nullability(notNull == 1 || pk > 0)
				return err
			}, table)
			var indexes []struct {
				name, origin  string
				unique, parts bool
			}
			query(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, func(r *sql.Rows) error {
				var ix struct {
					name, origin  string
					unique, parts bool
				}
				err := r.Scan(&ix.name, &ix.unique, &ix.origin, &ix.parts)
				indexes = append(indexes, ix)
				return err
			}, table)
			for _, ix := range indexes {
				var cols []string
				query(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, func(r *sql.Rows) error {
					var c string
					err := r.Scan(&c)
					cols = append(cols, c)
					return err
				}, ix.name)
				if ix.origin == "c" {
					out.Indexes[table+"."+ix.name] = describeIndex(ix.unique, ix.parts, strings.Join(cols, ","))
				} else {
					out.Uniques = append(out.Uniques, table+"("+strings.Join(cols, ",")+")")
				}
			}
			// A rowid table's INTEGER PRIMARY KEY has no index of its own.
			query(`SELECT group_concat(name, ',') FROM (SELECT name, type FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk)
				HAVING count(*) = 1 AND max(type) = 'INTEGER'`, func(r *sql.Rows) error {
				var cols string
				err := r.Scan(&cols)
				out.Uniques = append(out.Uniques, table+"("+cols+")")
				return err
			}, table)
		}
	}
	slices.Sort(out.Uniques)
	return out
}

func describeIndex(unique, partial bool, cols string) string {
	return fmt.Sprintf("unique=%t partial=%t (%s)", unique, partial, cols)
}
