package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// postgresSearch keeps a weighted tsvector per article in the narrow
// article_search table (title A, subtitle and excerpt B, body C) under
// the Arabic, English or simple configuration of its language, with the
// columns the reader filters need, so matching and ranking never read
// wide article rows.
type postgresSearch struct{}

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

// index writes a's search row, in the caller's transaction.
func (postgresSearch) index(tx *txn, a *content.Article) error {
	title, lead, body := searchFields(a)
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

// sync copies a's status, time, language and section to its search row
// when its text did not change.
func (postgresSearch) sync(tx *txn, a *content.Article) error {
	err := tx.Exec(`UPDATE article_search SET status = ?, published_at = ?, language = ?, category_id = ? WHERE id = ?`,
		a.Status, a.PublishedAt, a.Language, a.Category.ID, a.ID).Error
	if err != nil {
		return fmt.Errorf("sync search row: %w", err)
	}
	return nil
}

// unindex does nothing: the search row goes with the article (ON DELETE
// CASCADE).
func (postgresSearch) unindex(*txn, string) error { return nil }

// unindexed lists the articles without a search row.
func (postgresSearch) unindexed() string {
	return `SELECT id FROM articles WHERE id NOT IN (SELECT id FROM article_search)`
}

// searchPostgres hands the reader's text to websearch_to_tsquery, which
// accepts quotes, OR and -word and never fails on odd input, once per
// configuration (only the language's when one is given). A query with an
// exclusion matches each article with the parse of its own configuration,
// so the exclusion means the same on both sides; others match any parse.
func (postgresSearch) search(db *gorm.DB, q content.SearchQuery, where string, args []any, now time.Time) ([]SearchHit, int, error) {
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
	total, err := countMatches(db, from, append(append([]any{}, qargs...), args...))
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
	// best, the top score of all ranked, scales the page's scores to 0-1.
	inner := `SELECT s.id, s.score, max(s.score) OVER () AS best, s.query FROM (SELECT r.id, r.published_at, ts_rank(r.search_doc, ` + query + `)
			+ 0.01 / (1 + EXTRACT(EPOCH FROM (CAST(? AS timestamptz) - r.published_at)) / 2592000.0) AS score,
			` + query + ` AS query FROM (` + recent + `) r) s
		ORDER BY s.score DESC, s.published_at DESC, s.id DESC LIMIT ? OFFSET ?`
	innerArgs := append(append([]any{now}, qargs...), args...)
	innerArgs = append(innerArgs, q.Limit, (q.Page-1)*q.Limit)
	sql := `SELECT ` + summaryColumns + `,
		ts_headline(CAST(x.search_config AS regconfig), x.search_text, h.query, ?), h.score, h.best
		FROM (` + inner + `) h JOIN articles a ON a.id = h.id JOIN article_search x ON x.id = h.id
		JOIN categories c ON c.id = a.category_id
		ORDER BY h.score DESC, a.published_at DESC, a.id DESC`
	opts := "StartSel=" + content.SnippetStart + ", StopSel=" + content.SnippetEnd + ", MaxWords=30, MinWords=12, MaxFragments=1"
	return scanHits(db, sql, append([]any{opts}, innerArgs...), int(total), now)
}

func negated(terms []content.SearchTerm) bool {
	for _, t := range terms {
		if t.Not {
			return true
		}
	}
	return false
}
