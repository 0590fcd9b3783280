package store

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"

	"github.com/masthead/masthead/migrations"
)

// migrationTable records applied migrations.
const migrationTable = "schema_migrations"

// MigrationStatus is one migration and whether it was applied.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

func (s *Store) provider(log *slog.Logger) (*goose.Provider, error) {
	opts, err := s.dialect.migrateOpts()
	if err != nil {
		return nil, err
	}
	opts = append(opts, goose.WithTableName(migrationTable), goose.WithDisableGlobalRegistry(true))
	if log != nil {
		opts = append(opts, goose.WithSlog(log))
	}
	fsys, err := fs.Sub(migrations.FS, string(s.Engine()))
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(s.dialect.goose, s.SQLDB(), fsys, opts...)
}

// Migrate applies every pending migration, each in its own transaction,
// logging each one to log (nil for quiet).
func (s *Store) Migrate(ctx context.Context, log *slog.Logger) error {
	p, err := s.provider(log)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", s.Engine(), err)
	}
	return nil
}

// MigrationStatus lists every known migration and whether it was applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := s.provider(nil)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	list, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationStatus, len(list))
	for i, m := range list {
		out[i] = MigrationStatus{Version: m.Source.Version, Name: m.Source.Path, Applied: m.State == goose.StateApplied}
	}
	return out, nil
}
