package store

import (
	"time"

	"github.com/masthead/masthead/internal/content"
)

// ReaderListSQL is the page and count statements of a reader list, for
// the plan test to EXPLAIN.
func ReaderListSQL(s *Store, f content.ArticleFilter, now time.Time) (page string, pageArgs []any, count string, countArgs []any) {
	var sections []string
	if f.Category != "" {
		sections, _ = s.sectionIDs(s.db, f.Category)
	}
	q := articleQuery(f, now, sections)
	page, pageArgs = q.pageSQL(f)
	return page, pageArgs, "SELECT count(*)" + fromArticles + " WHERE " + q.condition(), q.args
}
