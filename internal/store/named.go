package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// Menus and ad placements are named JSON documents with a version, a
// table each: (name, document column, version, updated_at).

// namedDoc is one row of such a table.
type namedDoc struct {
	Name      string
	Doc       string
	Version   int
	UpdatedAt time.Time
}

// findNamed reads the documents of table by name (all when name is "").
func findNamed(db *gorm.DB, table, column, name string) ([]namedDoc, error) {
	q, args := `SELECT name, `+column+` AS doc, version, updated_at FROM `+table, []any{}
	if name != "" {
		q, args = q+` WHERE name = ?`, append(args, name)
	}
	var rows []namedDoc
	if err := db.Raw(q+` ORDER BY name`, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find %s: %w", table, err)
	}
	for i := range rows {
		rows[i].UpdatedAt = rows[i].UpdatedAt.UTC()
	}
	return rows, nil
}

// nextVersion checks pre (the version read; 0: any) against the stored
// document named name, if any, and returns the version a save makes.
func nextVersion(db *gorm.DB, table, column, what, name string, pre Precondition) (int, error) {
	rows, err := findNamed(db, table, column, name)
	if err != nil {
		return 0, err
	}
	version := 0
	if len(rows) == 1 {
		version = rows[0].Version
	}
	if pre != 0 && int(pre) != version {
		return 0, content.Errorf(content.EPRECONDITIONFAILED, "%s %q was changed by someone else; reload it and try again.", what, name)
	}
	return version + 1, nil
}

// saveNamed writes doc as the document named name, at version.
func saveNamed(tx *txn, table, column, name string, doc any, version int) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO `+table+` (name, `+column+`, version, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET `+column+` = excluded.`+column+`, version = excluded.version, updated_at = excluded.updated_at`,
		name, string(b), version, tx.now).Error
}

// deleteNamed removes the document named name from table.
func (s *Store) deleteNamed(ctx context.Context, table, what, name string) error {
	return s.transactContent(ctx, func(tx *txn) error {
		res := tx.Exec(`DELETE FROM `+table+` WHERE name = ?`, name)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return content.Errorf(content.ENOTFOUND, "%s %q not found.", what, name)
		}
		return nil
	})
}

// firstMissing returns the first of refs that no row of table holds in
// column (and, when where is set, with it too), or "".
func firstMissing(db *gorm.DB, table, column, where string, refs []string) (string, error) {
	refs = slices.Compact(slices.Sorted(slices.Values(refs)))
	if len(refs) == 0 {
		return "", nil
	}
	q := `SELECT ` + column + ` FROM ` + table + ` WHERE ` + column + ` IN (` + placeholders(len(refs)) + `)`
	if where != "" {
		q += ` AND ` + where
	}
	var found []string
	if err := db.Raw(q, anys(refs)...).Scan(&found).Error; err != nil {
		return "", fmt.Errorf("find %s: %w", strings.TrimSuffix(table, "s"), err)
	}
	for _, r := range refs {
		if !slices.Contains(found, r) {
			return r, nil
		}
	}
	return "", nil
}
