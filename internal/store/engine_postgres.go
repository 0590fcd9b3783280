package store

import (
	"database/sql"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

func postgresDialect() dialect {
	return dialect{
		engine: Postgres,
		open: func(url string) (gorm.Dialector, error) {
			return postgres.Open(withGenericPlans(url)), nil
		},
		pool: func(db *sql.DB) {
			db.SetMaxOpenConns(32)
			db.SetMaxIdleConns(32)
		},
		goose: goose.DialectPostgres,
		// An advisory lock held for the whole run: two replicas starting
		// together migrate one after the other, the second finding nothing
		// to do.
		migrateOpts: func() ([]goose.ProviderOption, error) {
			locker, err := lock.NewPostgresSessionLocker()
			if err != nil {
				return nil, err
			}
			return []goose.ProviderOption{goose.WithSessionLocker(locker)}, nil
		},
		joinText:  func(expr string) string { return "string_agg(" + expr + ", ' ' ORDER BY " + expr + ")" },
		lockRow:   " FOR UPDATE",
		retryable: postgresRetryable,
		search:    postgresSearch{},
	}
}

// withGenericPlans asks PostgreSQL to plan each prepared statement once
// per connection. Reader queries are short and their plans do not depend
// on the values bound, so re-planning each execution (the default for a
// statement's first runs) would cost more than running it.
func withGenericPlans(url string) string {
	if strings.Contains(url, "plan_cache_mode=") {
		return url
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "plan_cache_mode=force_generic_plan"
}
