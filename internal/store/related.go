package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// FindRelated returns up to limit reader-visible articles related to the
// visible article id (ENOTFOUND otherwise), best first, as
// content.RankRelated orders them. It runs a fixed number of statements:
// the target and its tags, the pins, the candidates with the signals the
// rule needs, the shortlist's summaries, and their bylines.
func (s *Store) FindRelated(ctx context.Context, id string, limit int, lang string) ([]*content.Article, error) {
	now := s.now()
	db := s.conn(ctx)
	target, err := s.relatedTarget(db, id, now)
	if err != nil {
		return nil, err
	}
	target.Language = target.Article.Language
	if lang != "" {
		target.Language = lang
	}
	cands, err := s.relatedCandidates(db, target, now)
	if err != nil {
		return nil, err
	}
	shortlist := content.ShortlistRelated(target, cands, now)

	// The shortlist, the pins and the target, as summaries: text
	// similarity needs their titles and excerpts.
	want := []string{id}
	for _, a := range target.Pinned {
		want = append(want, a.ID)
	}
	for _, c := range shortlist {
		want = append(want, c.Article.ID)
	}
	articles, err := s.findVisible(db, want, now, false)
	if err != nil {
		return nil, err
	}
	self, ok := articles[id]
	if !ok {
		return nil, content.Errorf(content.ENOTFOUND, "Article %q not found.", id)
	}
	target.Article = self
	target.Pinned = pick(articles, target.Pinned)
	loaded := shortlist[:0]
	for _, c := range shortlist {
		if a, ok := articles[c.Article.ID]; ok {
			loaded = append(loaded, content.RelatedCandidate{Article: a, SharedTags: c.SharedTags})
		}
	}
	out := content.RankRelated(target, loaded, now)
	out = out[:min(len(out), limit)]
	if err := loadBylines(db, out, now); err != nil {
		return nil, err
	}
	return out, nil
}

// relatedTarget loads what ranking needs of the visible article id: its
// section and language, its rarest tags with their counts, and the ids
// of its pins.
func (s *Store) relatedTarget(db *gorm.DB, id string, now time.Time) (content.RelatedTarget, error) {
	t := content.RelatedTarget{Article: &content.Article{ID: id}, TagCounts: map[string]int{}}
	var rows []struct{ CategoryID, Language, TranslationGroup string }
	if err := db.Raw(`SELECT a.category_id, a.language, COALESCE(a.translation_group, '') AS translation_group FROM articles a
		WHERE a.id = ? AND `+visible, id, now).Scan(&rows).Error; err != nil {
		return t, fmt.Errorf("find article: %w", err)
	}
	if len(rows) == 0 {
		return t, content.Errorf(content.ENOTFOUND, "Article %q not found.", id)
	}
	t.Article.Category.ID, t.Article.Language, t.Article.TranslationGroup = rows[0].CategoryID, rows[0].Language, rows[0].TranslationGroup
	var tags []struct {
		TagID        string
		ArticleCount int
	}
	if err := db.Raw(`SELECT at.tag_id, t.article_count FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id = ? ORDER BY t.article_count LIMIT ?`, id, content.MaxRelatedTags).Scan(&tags).Error; err != nil {
		return t, fmt.Errorf("find tags: %w", err)
	}
	for _, tag := range tags {
		t.TagCounts[tag.TagID] = tag.ArticleCount
	}
	var pinned []string
	if err := db.Raw(`SELECT related_id FROM article_related WHERE article_id = ? ORDER BY position`, id).Scan(&pinned).Error; err != nil {
		return t, fmt.Errorf("find pinned: %w", err)
	}
	for _, p := range pinned {
		t.Pinned = append(t.Pinned, &content.Article{ID: p})
	}
	return t, nil
}

// relatedCandidates reads the candidates with the signals ranking needs,
// in one statement: a row per shared tag, and a row with no tag for each
// of the section's latest.
func (s *Store) relatedCandidates(db *gorm.DB, t content.RelatedTarget, now time.Time) ([]content.RelatedCandidate, error) {
	var parts []string
	var args []any
	for _, tag := range slices.Sorted(maps.Keys(t.TagCounts)) {
		parts = append(parts, `SELECT * FROM (SELECT article_id, tag_id FROM article_tags WHERE tag_id = ? AND article_id <> ?
			ORDER BY article_id DESC LIMIT ?) t`+fmt.Sprint(len(parts)))
		args = append(args, tag, t.Article.ID, content.RelatedPerTag)
	}
	parts = append(parts, `SELECT * FROM (SELECT a.id AS article_id, '' AS tag_id FROM articles a WHERE a.category_id = ? AND a.id <> ?
		AND `+visible+` ORDER BY a.published_at DESC, a.id DESC LIMIT ?) s`)
	args = append(args, t.Article.Category.ID, t.Article.ID, now, content.RelatedFromSection)
	q := `SELECT a.id, a.category_id, a.language, COALESCE(a.translation_group, ''), a.published_at, x.tag_id FROM (` + strings.Join(parts, " UNION ALL ") + `) x
		JOIN articles a ON a.id = x.article_id WHERE ` + visible
	rows, err := db.Raw(q, append(args, now)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find related candidates: %w", err)
	}
	defer rows.Close()
	var out []content.RelatedCandidate
	index := map[string]int{}
	for rows.Next() {
		a := &content.Article{}
		var published time.Time
		var tag string
		if err := rows.Scan(&a.ID, &a.Category.ID, &a.Language, &a.TranslationGroup, &published, &tag); err != nil {
			return nil, fmt.Errorf("scan related candidate: %w", err)
		}
		i, ok := index[a.ID]
		if !ok {
			published = published.UTC()
			a.PublishedAt = &published
			i, index[a.ID] = len(out), len(out)
			out = append(out, content.RelatedCandidate{Article: a})
		}
		if tag != "" {
			out[i].SharedTags = append(out[i].SharedTags, tag)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find related candidates: %w", err)
	}
	for _, c := range out {
		slices.Sort(c.SharedTags) // scores sum in one order, so ties stay ties
	}
	return out, nil
}

// pick returns the loaded articles of list, in its order, leaving out
// those not loaded.
func pick(loaded map[string]*content.Article, list []*content.Article) []*content.Article {
	var out []*content.Article
	for _, a := range list {
		if l, ok := loaded[a.ID]; ok {
			out = append(out, l)
		}
	}
	return out
}

// findVisible loads the visible articles among ids, by id.
// With full, the articles come with their text.
func (s *Store) findVisible(db *gorm.DB, ids []string, now time.Time, full bool) (map[string]*content.Article, error) {
	cols := summaryColumns
	if full {
		cols = fullColumns
	}
	rows, err := db.Raw(`SELECT `+cols+fromArticles+` WHERE a.id IN (`+placeholders(len(ids))+`) AND `+visible,
		append(anys(ids), now)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find articles: %w", err)
	}
	list, err := scanArticles(rows, full)
	if err != nil {
		return nil, fmt.Errorf("find articles: %w", err)
	}
	out := make(map[string]*content.Article, len(list))
	for _, a := range list {
		out[a.ID] = a
	}
	return out, nil
}

// PinRelated replaces the articles pinned as related to id. Every one
// must exist and differ from id; an unknown one is EINVALID naming it.
func (s *Store) PinRelated(ctx context.Context, id string, related []string) error {
	return s.transactContent(ctx, func(tx *txn) error {
		var n int64
		if err := tx.Raw(`SELECT count(*) FROM articles WHERE id = ?`, id).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return content.Errorf(content.ENOTFOUND, "Article %q not found.", id)
		}
		if len(related) > 0 {
			args := make([]any, len(related))
			for i, r := range related {
				args[i] = r
			}
			var found []string
			if err := tx.Raw(`SELECT id FROM articles WHERE id IN (`+placeholders(len(args))+`)`, args...).Scan(&found).Error; err != nil {
				return err
			}
			for _, r := range related {
				if !slices.Contains(found, r) {
					return invalid("Related articles", "ids", fmt.Sprintf("unknown article %q", r))
				}
			}
		}
		if err := tx.Exec(`DELETE FROM article_related WHERE article_id = ?`, id).Error; err != nil {
			return err
		}
		for i, r := range related {
			if err := tx.Exec(`INSERT INTO article_related (article_id, related_id, position) VALUES (?, ?, ?)`, id, r, i).Error; err != nil {
				return translate(err, "Related article")
			}
		}
		return nil
	})
}

// FindPinned returns the ids pinned as related to id, in order.
func (s *Store) FindPinned(ctx context.Context, id string) ([]string, error) {
	var ids []string
	if err := s.conn(ctx).Raw(`SELECT related_id FROM article_related WHERE article_id = ? ORDER BY position`, id).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("find pinned: %w", err)
	}
	return ids, nil
}
