package store

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// SearchHit is one search result: the article summary, a snippet with
// matches between content.SnippetStart and content.SnippetEnd, and its
// score (higher is better).
type SearchHit struct {
	Article *content.Article
	Snippet string
	Score   float64
}

// searcher is where the engines differ most: each keeps its own index
// and queries it its own way (search_postgres.go, search_sqlite.go).
// Open picks one; article writes call it without asking which.
type searcher interface {
	// index writes a's entry, in the caller's transaction.
	index(tx *txn, a *content.Article) error
	// sync updates what filters read when a's text did not change.
	sync(tx *txn, a *content.Article) error
	// unindex removes the entry of the article id before it goes.
	unindex(tx *txn, id string) error
	// unindexed is a statement listing the ids of articles without one.
	unindexed() string
	// search runs q over the visible articles matching where and args.
	search(db *gorm.DB, q content.SearchQuery, where string, args []any, now time.Time) ([]SearchHit, int, error)
}

// searchText is what an article is found by, normalised: when it has
// not changed, a write needs no new index entry.
type searchText struct{ title, lead, body, language string }

func searchFieldsOf(a *content.Article) searchText {
	title, lead, body := searchFields(a)
	return searchText{title, lead, body, a.Language}
}

// searchFields are the normalised texts an article is found by.
func searchFields(a *content.Article) (title, lead, body string) {
	return content.NormalizeSearch(a.Title),
		content.NormalizeSearch(strings.TrimSpace(a.Subtitle + "\n" + a.Excerpt)),
		content.NormalizeSearch(content.PlainText(a.BodyHTML))
}

// Optimize brings the planner's statistics up to date where the engine
// does not do it by itself; serve runs it at start and periodically.
// The reader queries use the right indexes without statistics too
// (TestReaderPlans); statistics keep the rest good as tables grow.
func (s *Store) Optimize(ctx context.Context) error {
	if s.dialect.optimize == "" {
		return nil
	}
	if err := s.conn(ctx).Exec(s.dialect.optimize).Error; err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	return nil
}

// IndexMissing indexes the articles that have no search entry yet (rows
// written before search existed, or loaded in bulk), logging progress.
func (s *Store) IndexMissing(ctx context.Context, log *slog.Logger) error {
	var ids []string
	if err := s.conn(ctx).Raw(s.dialect.search.unindexed()).Scan(&ids).Error; err != nil {
		return fmt.Errorf("find unindexed articles: %w", err)
	}
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(start+500, len(ids))]
		err := s.transactContent(ctx, func(tx *txn) error {
			args := make([]any, len(batch))
			for i, id := range batch {
				args[i] = id
			}
			var rows []struct {
				ID, Title, Subtitle, Excerpt, BodyHTML, Language, CategoryID, Status string
				PublishedAt                                                          *time.Time
			}
			if err := tx.Raw(`SELECT id, title, subtitle, excerpt, body_html, language, category_id, status, published_at
				FROM articles WHERE id IN (`+placeholders(len(args))+`)`, args...).Scan(&rows).Error; err != nil {
				return err
			}
			for _, r := range rows {
				a := &content.Article{ID: r.ID, Title: r.Title, Subtitle: r.Subtitle, Excerpt: r.Excerpt, BodyHTML: r.BodyHTML,
					Language: r.Language, Category: content.Category{ID: r.CategoryID}, Status: content.Status(r.Status), PublishedAt: r.PublishedAt}
				if err := s.dialect.search.index(tx, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("index articles: %w", err)
		}
		if log != nil {
			log.Info("search index", "indexed", start+len(batch), "of", len(ids))
		}
	}
	return nil
}

// Search finds visible articles matching q, best first, with the total.
// The ranking is the engine's own (ts_rank with title, lead and body
// weighted A, B, C on PostgreSQL; bm25 with weights 10, 4, 1 on SQLite)
// plus a small boost for freshness that fades over about a month, so at
// equal relevance the newer story wins. A query with no searchable words
// finds nothing.
func (s *Store) Search(ctx context.Context, q content.SearchQuery) ([]SearchHit, int, error) {
	now := s.now()
	where := []string{visible}
	args := []any{now}
	if q.Language != "" {
		where = append(where, "a.language = ?")
		args = append(args, q.Language)
	}
	if q.Category != "" {
		where = append(where, inSection)
		args = append(args, q.Category, q.Category)
	}
	if q.Tag != "" {
		where = append(where, hasTag)
		args = append(args, q.Tag)
	}
	if q.Since != nil {
		where = append(where, "a.published_at >= ?")
		args = append(args, q.Since.UTC())
	}
	if q.Until != nil {
		where = append(where, "a.published_at < ?")
		args = append(args, q.Until.UTC())
	}
	return s.dialect.search.search(s.conn(ctx), q, strings.Join(where, " AND "), args, now)
}

// countMatches counts what from finds, up to content.MaxSearchTotal + 1:
// past that the exact number costs more than it tells a reader.
func countMatches(db *gorm.DB, from string, args []any) (int64, error) {
	var n int64
	q := `SELECT count(*) FROM (SELECT 1` + from + ` LIMIT ?) m`
	if err := db.Raw(q, append(args, content.MaxSearchTotal+1)...).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("count search: %w", err)
	}
	return n, nil
}

func scanHits(db *gorm.DB, sql string, args []any, total int, now time.Time) ([]SearchHit, int, error) {
	rows, err := db.Raw(sql, args...).Rows()
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	var hits []SearchHit
	var best []float64
	list, err := scanArticles(rows, false, func(a *content.Article) []any {
		hits = append(hits, SearchHit{Article: a})
		best = append(best, 0)
		return []any{&hits[len(hits)-1].Snippet, &hits[len(hits)-1].Score, &best[len(best)-1]}
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	for i := range hits {
		hits[i].Score = content.RelativeScore(hits[i].Score, best[i])
	}
	if err := loadBylines(db, list, now); err != nil {
		return nil, 0, err
	}
	if err := originalSnippets(db, hits); err != nil {
		return nil, 0, err
	}
	return hits, total, nil
}

// originalSnippets shows each hit's snippet, cut from the normalised
// index, in the words that were written (content.OriginalSnippet): the
// bodies of the page's hits in one statement.
func originalSnippets(db *gorm.DB, hits []SearchHit) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.Article.ID
	}
	var rows []struct{ ID, BodyHTML string }
	if err := db.Raw(`SELECT id, body_html FROM articles WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids)...).Scan(&rows).Error; err != nil {
		return fmt.Errorf("search snippets: %w", err)
	}
	bodies := make(map[string]string, len(rows))
	for _, r := range rows {
		bodies[r.ID] = r.BodyHTML
	}
	for i := range hits {
		a := hits[i].Article
		// The fields as the index joins them: a snippet may run from one
		// into the next (PostgreSQL's does).
		written := a.Title + "\n" + strings.TrimSpace(a.Subtitle+"\n"+a.Excerpt) + "\n" + content.PlainText(bodies[a.ID])
		hits[i].Snippet = content.OriginalSnippet(hits[i].Snippet, written)
	}
	return nil
}
