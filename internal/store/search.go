package store

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
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

// pgConfig picks the text-search configuration an article is indexed and
// queried with: PostgreSQL's Arabic and English stemmers for those
// languages, "simple" (no stemming) for the rest.
func pgConfig(lang string) string {
	switch base, _, _ := strings.Cut(lang, "-"); base {
	case "ar":
		return "arabic"
	case "en":
		return "english"
	}
	return "simple"
}

// pgConfigs are the configurations pgConfig gives.
var pgConfigs = []string{"english", "arabic", "simple"}

// searchFields are the normalised texts an article is found by.
func searchFields(a *content.Article) (title, lead, body string) {
	return content.NormalizeSearch(a.Title),
		content.NormalizeSearch(strings.TrimSpace(a.Subtitle + "\n" + a.Excerpt)),
		content.NormalizeSearch(content.PlainText(a.BodyHTML))
}

// indexArticle writes a's search entry, in the caller's transaction.
func (s *Store) indexArticle(tx *gorm.DB, a *content.Article) error {
	title, lead, body := searchFields(a)
	if s.engine == Postgres {
		cfg := pgConfig(a.Language)
		err := tx.Exec(`INSERT INTO article_search (id, status, published_at, language, category_id, search_config, search_doc, search_text)
			VALUES (?, ?, ?, ?, ?, ?,
				setweight(to_tsvector(CAST(? AS regconfig), ?), 'A')
				|| setweight(to_tsvector(CAST(? AS regconfig), ?), 'B')
				|| setweight(to_tsvector(CAST(? AS regconfig), ?), 'C'), ?)
			ON CONFLICT (id) DO UPDATE SET status = excluded.status, published_at = excluded.published_at,
				language = excluded.language, category_id = excluded.category_id, search_config = excluded.search_config,
				search_doc = excluded.search_doc, search_text = excluded.search_text`,
			a.ID, a.Status, a.PublishedAt, a.Language, a.Category.ID, cfg,
			cfg, title, cfg, lead, cfg, body, title+"\n"+lead+"\n"+body).Error
		if err != nil {
			return fmt.Errorf("index article: %w", err)
		}
		return nil
	}
	// SQLite: the article keeps its FTS row id; a new one takes the next.
	// Writers are serialised (BEGIN IMMEDIATE), so max+1 cannot collide.
	var rowid []int64
	if err := tx.Raw(`SELECT COALESCE(fts_rowid, (SELECT COALESCE(MAX(fts_rowid), 0) + 1 FROM articles)) FROM articles WHERE id = ?`, a.ID).Scan(&rowid).Error; err != nil || len(rowid) == 0 {
		return fmt.Errorf("index article: %w", err)
	}
	if err := tx.Exec(`DELETE FROM article_fts WHERE rowid = ?`, rowid[0]).Error; err != nil {
		return fmt.Errorf("index article: %w", err)
	}
	if err := tx.Exec(`INSERT INTO article_fts (rowid, title, lead, body) VALUES (?, ?, ?, ?)`, rowid[0], title, lead, body).Error; err != nil {
		return fmt.Errorf("index article: %w", err)
	}
	if err := tx.Exec(`UPDATE articles SET fts_rowid = ? WHERE id = ?`, rowid[0], a.ID).Error; err != nil {
		return fmt.Errorf("index article: %w", err)
	}
	return nil
}

// syncSearch copies a's status, time, language and section to its search
// row when its text did not change (PostgreSQL; SQLite's FTS rows carry
// text only and are joined to the article).
func (s *Store) syncSearch(tx *gorm.DB, a *content.Article) error {
	if s.engine != Postgres {
		return nil
	}
	err := tx.Exec(`UPDATE article_search SET status = ?, published_at = ?, language = ?, category_id = ? WHERE id = ?`,
		a.Status, a.PublishedAt, a.Language, a.Category.ID, a.ID).Error
	if err != nil {
		return fmt.Errorf("sync search row: %w", err)
	}
	return nil
}

// unindexArticle removes the article's search entry (SQLite keeps it in
// a table of its own; on PostgreSQL it goes with the row).
func (s *Store) unindexArticle(tx *gorm.DB, id string) error {
	if s.engine == Postgres {
		return nil
	}
	return tx.Exec(`DELETE FROM article_fts WHERE rowid = (SELECT fts_rowid FROM articles WHERE id = ?)`, id).Error
}

// IndexMissing indexes the articles that have no search entry yet (rows
// written before search existed, or loaded in bulk), logging progress.
func (s *Store) IndexMissing(ctx context.Context, log *slog.Logger) error {
	q := `SELECT id FROM articles WHERE id NOT IN (SELECT id FROM article_search)`
	if s.engine == SQLite {
		q = `SELECT id FROM articles WHERE fts_rowid IS NULL`
	}
	var ids []string
	if err := s.conn(ctx).Raw(q).Scan(&ids).Error; err != nil {
		return fmt.Errorf("find unindexed articles: %w", err)
	}
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(start+500, len(ids))]
		err := s.transact(ctx, func(tx *gorm.DB) error {
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
				if err := s.indexArticle(tx, a); err != nil {
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
	if s.engine == Postgres {
		return s.searchPostgres(ctx, q, strings.Join(where, " AND "), args, now)
	}
	return s.searchSQLite(ctx, q, strings.Join(where, " AND "), args, now)
}

// searchPostgres hands the reader's text to websearch_to_tsquery, which
// accepts quotes, OR and -word and never fails on odd input, once per
// configuration (only the language's when one is given). A query with an
// exclusion matches each article with the parse of its own configuration,
// so the exclusion means the same on both sides; others match any parse.
func (s *Store) searchPostgres(ctx context.Context, q content.SearchQuery, where string, args []any, now any) ([]SearchHit, int, error) {
	configs := pgConfigs
	if q.Language != "" {
		configs = []string{pgConfig(q.Language)}
	}
	var parse, match, pick []string
	var qargs []any
	for i, cfg := range configs {
		col := fmt.Sprintf("q%d", i)
		// cfg comes from pgConfigs, never from the request.
		parse = append(parse, "websearch_to_tsquery('"+cfg+"', ?) AS "+col)
		match = append(match, "(a.search_config = '"+cfg+"' AND a.search_doc @@ tq."+col+")")
		pick = append(pick, "WHEN '"+cfg+"' THEN tq."+col)
		qargs = append(qargs, q.Text)
	}
	query := `CASE a.search_config ` + strings.Join(pick, " ") + ` END`
	if len(configs) > 1 && !negated(content.ParseSearch(q.Text)) {
		// Without exclusions a document may match any parse: one index
		// probe with the OR of the parses, no per-row recheck, and the
		// same for ranking. An exclusion needs each article's own parse.
		all := make([]string, len(configs))
		for i := range configs {
			all[i] = fmt.Sprintf("tq.q%d", i)
		}
		query = "(" + strings.Join(all, " || ") + ")"
		match = []string{"a.search_doc @@ " + query}
	}
	// a is the article's narrow search row: the where clause reads the
	// same column names there.
	from := ` FROM article_search a, (SELECT ` + strings.Join(parse, ", ") + `) tq WHERE (` + strings.Join(match, " OR ") + `) AND ` + where
	total, err := s.countMatches(ctx, from, append(append([]any{}, qargs...), args...))
	if err != nil {
		return nil, 0, err
	}
	if total == 0 {
		return nil, 0, nil
	}
	// Rank the newest matches only (ts_rank reads each document, so
	// ranking every match of a common word costs a scan), carrying only
	// the columns ranking needs, then cut the page; snippets and summaries
	// are made for its rows only.
	recent := `SELECT a.id, a.published_at, a.search_doc, tq.*` + from +
		` ORDER BY a.published_at DESC, a.id DESC LIMIT ` + strconv.Itoa(content.SearchRankWindow)
	query = strings.ReplaceAll(strings.ReplaceAll(query, "tq.", "r."), "a.search_config", "r.search_config")
	if strings.Contains(query, "r.search_config") {
		recent = strings.Replace(recent, "a.search_doc,", "a.search_doc, a.search_config,", 1)
	}
	inner := `SELECT r.id, ts_rank(r.search_doc, ` + query + `)
			+ 0.01 / (1 + EXTRACT(EPOCH FROM (CAST(? AS timestamptz) - r.published_at)) / 2592000.0) AS score,
			` + query + ` AS query FROM (` + recent + `) r
		ORDER BY score DESC, r.published_at DESC, r.id DESC LIMIT ? OFFSET ?`
	innerArgs := append(append([]any{now}, qargs...), args...)
	innerArgs = append(innerArgs, q.Limit, (q.Page-1)*q.Limit)
	sql := `SELECT ` + summaryColumns + `,
		ts_headline(CAST(x.search_config AS regconfig), x.search_text, h.query, ?), h.score
		FROM (` + inner + `) h JOIN articles a ON a.id = h.id JOIN article_search x ON x.id = h.id
		JOIN categories c ON c.id = a.category_id
		ORDER BY h.score DESC, a.published_at DESC, a.id DESC`
	opts := "StartSel=" + content.SnippetStart + ", StopSel=" + content.SnippetEnd + ", MaxWords=30, MinWords=12, MaxFragments=1"
	return s.scanHits(ctx, sql, append([]any{opts}, innerArgs...), int(total))
}

// searchSQLite translates the reader's text into an FTS5 query of quoted
// terms, so no input can be read as FTS5 syntax.
func (s *Store) searchSQLite(ctx context.Context, q content.SearchQuery, where string, args []any, now any) ([]SearchHit, int, error) {
	match := fts5Query(content.ParseSearch(q.Text))
	if match == "" {
		return nil, 0, nil
	}
	from := ` FROM article_fts JOIN articles a ON a.fts_rowid = article_fts.rowid WHERE article_fts MATCH ? AND ` + where
	total, err := s.countMatches(ctx, from, append([]any{match}, args...))
	if err != nil {
		return nil, 0, err
	}
	if total == 0 {
		return nil, 0, nil
	}
	// bm25 is lower for better matches; the score is its negation.
	score := `(-bm25(article_fts, 10.0, 4.0, 1.0) + 0.5 / (1 + (julianday(?) - julianday(a.published_at)) / 30.0))`
	sql := `SELECT ` + summaryColumns + `, snippet(article_fts, -1, ?, ?, '…', 24), ` + score + ` AS score` +
		` FROM article_fts JOIN articles a ON a.fts_rowid = article_fts.rowid JOIN categories c ON c.id = a.category_id` +
		` WHERE article_fts MATCH ? AND ` + where + ` ORDER BY score DESC, a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`
	all := append([]any{content.SnippetStart, content.SnippetEnd, now, match}, args...)
	all = append(all, q.Limit, (q.Page-1)*q.Limit)
	return s.scanHits(ctx, sql, all, int(total))
}

// countMatches counts what from finds, up to content.MaxSearchTotal + 1:
// past that the exact number costs more than it tells a reader.
func (s *Store) countMatches(ctx context.Context, from string, args []any) (int64, error) {
	var n int64
	q := `SELECT count(*) FROM (SELECT 1` + from + ` LIMIT ?) m`
	if err := s.conn(ctx).Raw(q, append(args, content.MaxSearchTotal+1)...).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("count search: %w", err)
	}
	return n, nil
}

func (s *Store) scanHits(ctx context.Context, sql string, args []any, total int) ([]SearchHit, int, error) {
	rows, err := s.conn(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	var hits []SearchHit
	list, err := scanArticles(rows, false, func(a *content.Article) []any {
		hits = append(hits, SearchHit{Article: a})
		h := &hits[len(hits)-1]
		return []any{&h.Snippet, &h.Score}
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	if err := s.loadBylines(s.conn(ctx), list); err != nil {
		return nil, 0, err
	}
	return hits, total, nil
}

func negated(terms []content.SearchTerm) bool {
	for _, t := range terms {
		if t.Not {
			return true
		}
	}
	return false
}

// fts5Query writes terms as an FTS5 expression: every word quoted, so
// none is taken for an operator; phrases as quoted strings; OR between
// the terms so joined; excluded terms after NOT. A query with nothing to
// match gives "".
func fts5Query(terms []content.SearchTerm) string {
	var pos, neg []string
	for _, t := range terms {
		phrase := `"` + strings.Join(t.Words, " ") + `"`
		switch {
		case t.Not:
			neg = append(neg, phrase)
		case t.OrPrev && len(pos) > 0:
			pos[len(pos)-1] = "(" + pos[len(pos)-1] + " OR " + phrase + ")"
		default:
			pos = append(pos, phrase)
		}
	}
	if len(pos) == 0 {
		return ""
	}
	q := strings.Join(pos, " AND ")
	for _, n := range neg {
		q = "(" + q + ") NOT " + n
	}
	return q
}
