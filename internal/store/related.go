package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// How related articles are chosen. Candidates are the most recent
// articles of each tag the article has (by id, which orders by creation)
// and the latest of its section. Each is scored:
//
//	score = 3 × Σ over shared tags 1/ln(2 + articles with that tag)
//	      + 0.75 if in the same section
//	      + 1 if in the same language
//	      + 2 × Jaccard similarity of title and excerpt words
//	      + 0.5 / (1 + age in days / 30)
//
// so a tag on half the archive adds little and a rare one much, and at
// equal overlap last week's story beats one from five years ago. Ties go
// to the newer article, then the greater id. Pinned articles come first,
// in their order. The section's latest fill the block when too few
// articles share anything.
const (
	relatedPerTag      = 300 // candidates read per shared tag
	relatedFromSection = 50
	relatedShortlist   = 30 // best by cheap signals, then compared by text
	maxRelatedTags     = 20
)

// MaxPinned is how many related articles editors may pin.
const MaxPinned = 24

// FindRelated returns up to limit reader-visible articles related to the
// visible article id (ENOTFOUND otherwise), best first.
func (s *Store) FindRelated(ctx context.Context, id string, limit int) ([]*content.Article, error) {
	now := s.now()
	db := s.conn(ctx)
	var target []struct {
		CategoryID, Language string
	}
	if err := db.Raw(`SELECT a.category_id, a.language FROM articles a WHERE a.id = ? AND `+visible, id, now).Scan(&target).Error; err != nil {
		return nil, fmt.Errorf("find article: %w", err)
	}
	if len(target) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "Article %q not found.", id)
	}
	var tags []struct {
		TagID        string
		ArticleCount int
	}
	if err := db.Raw(`SELECT at.tag_id, t.article_count FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id = ? ORDER BY t.article_count LIMIT ?`, id, maxRelatedTags).Scan(&tags).Error; err != nil {
		return nil, fmt.Errorf("find tags: %w", err)
	}
	pinned, err := s.FindPinned(ctx, id)
	if err != nil {
		return nil, err
	}

	// Candidates with the cheap signals, in one statement: a row per
	// shared tag, and a row with no tag for each of the section's latest.
	weight := map[string]float64{}
	var parts []string
	var args []any
	for _, t := range tags {
		weight[t.TagID] = 1 / math.Log(2+float64(t.ArticleCount))
		parts = append(parts, `SELECT * FROM (SELECT article_id, tag_id FROM article_tags WHERE tag_id = ? AND article_id <> ?
			ORDER BY article_id DESC LIMIT ?) t`+fmt.Sprint(len(parts)))
		args = append(args, t.TagID, id, relatedPerTag)
	}
	parts = append(parts, `SELECT * FROM (SELECT a.id AS article_id, '' AS tag_id FROM articles a WHERE a.category_id = ? AND a.id <> ?
		AND `+visible+` ORDER BY a.published_at DESC, a.id DESC LIMIT ?) s`)
	args = append(args, target[0].CategoryID, id, now, relatedFromSection)
	q := `SELECT a.id, a.category_id, a.language, a.published_at, x.tag_id FROM (` + strings.Join(parts, " UNION ALL ") + `) x
		JOIN articles a ON a.id = x.article_id WHERE ` + visible
	rows, err := db.Raw(q, append(args, now)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find related candidates: %w", err)
	}
	defer rows.Close()
	type candidate struct {
		id        string
		score     float64
		published time.Time
	}
	byID := map[string]*candidate{}
	for rows.Next() {
		var cid, category, language, tag string
		var published time.Time
		if err := rows.Scan(&cid, &category, &language, &published, &tag); err != nil {
			return nil, fmt.Errorf("scan related candidate: %w", err)
		}
		c, ok := byID[cid]
		if !ok {
			c = &candidate{id: cid, published: published.UTC()}
			if category == target[0].CategoryID {
				c.score += 0.75
			}
			if language == target[0].Language {
				c.score += 1
			}
			c.score += 0.5 / (1 + now.Sub(c.published).Hours()/24/30)
			byID[cid] = c
		}
		c.score += 3 * weight[tag] // 0 for the section's rows
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find related candidates: %w", err)
	}
	ranked := make([]*candidate, 0, len(byID))
	for _, c := range byID {
		ranked = append(ranked, c)
	}
	better := func(x, y *candidate) int {
		switch {
		case x.score != y.score:
			if x.score > y.score {
				return -1
			}
			return 1
		case !x.published.Equal(y.published):
			return y.published.Compare(x.published)
		}
		return strings.Compare(y.id, x.id)
	}
	slices.SortFunc(ranked, better)
	ranked = ranked[:min(len(ranked), relatedShortlist)]

	// The shortlist and the pins, as summaries; then text similarity.
	want := append(slices.Clone(pinned), id)
	for _, c := range ranked {
		want = append(want, c.id)
	}
	articles, err := s.findSummaries(db, want)
	if err != nil {
		return nil, err
	}
	self, ok := articles[id]
	if !ok {
		return nil, content.Errorf(content.ENOTFOUND, "Article %q not found.", id)
	}
	words := textWords(self)
	for _, c := range ranked {
		if a, ok := articles[c.id]; ok {
			c.score += 2 * jaccard(words, textWords(a))
		}
	}
	slices.SortFunc(ranked, better)

	out := make([]*content.Article, 0, limit)
	taken := map[string]bool{id: true}
	for _, pid := range pinned {
		if a, ok := articles[pid]; ok && !taken[pid] && len(out) < limit {
			out, taken[pid] = append(out, a), true
		}
	}
	for _, c := range ranked {
		if a, ok := articles[c.id]; ok && !taken[c.id] && len(out) < limit {
			out, taken[c.id] = append(out, a), true
		}
	}
	if err := s.loadBylines(db, out); err != nil {
		return nil, err
	}
	return out, nil
}

// findSummaries loads the visible articles among ids, by id.
func (s *Store) findSummaries(db *gorm.DB, ids []string) (map[string]*content.Article, error) {
	args := make([]any, 0, len(ids)+1)
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := db.Raw(`SELECT `+summaryColumns+fromArticles+` WHERE a.id IN (`+placeholders(len(ids))+`) AND `+visible,
		append(args, s.now())...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find articles: %w", err)
	}
	list, err := scanArticles(rows, false)
	if err != nil {
		return nil, fmt.Errorf("find articles: %w", err)
	}
	out := make(map[string]*content.Article, len(list))
	for _, a := range list {
		out[a.ID] = a
	}
	return out, nil
}

// stopWords are too common to say two stories are alike.
var stopWords = map[string]bool{
	"the": true, "and": true, "for": true, "with": true, "that": true, "from": true, "this": true, "are": true,
	"was": true, "has": true, "have": true, "its": true, "after": true, "over": true, "into": true, "says": true,
	"في": true, "من": true, "على": true, "الي": true, "عن": true, "مع": true, "هذا": true, "هذه": true, "التي": true,
	"الذي": true, "بعد": true, "قبل": true, "كان": true, "وقال": true, "قال": true, "ان": true,
}

// textWords returns the set of meaningful normalised words of a's title
// and excerpt.
func textWords(a *content.Article) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.FieldsFunc(content.NormalizeSearch(a.Title+" "+a.Excerpt), func(r rune) bool {
		return !(r >= '0' && r <= '9') && !isLetter(r)
	}) {
		if len([]rune(w)) >= 3 && !stopWords[w] {
			set[w] = true
		}
	}
	return set
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	shared := 0
	for w := range a {
		if b[w] {
			shared++
		}
	}
	return float64(shared) / float64(len(a)+len(b)-shared)
}

// PinRelated replaces the articles pinned as related to id. Every one
// must exist and differ from id; an unknown one is EINVALID naming it.
func (s *Store) PinRelated(ctx context.Context, id string, related []string) error {
	return s.transact(ctx, func(tx *gorm.DB) error {
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

func isLetter(r rune) bool { return unicode.IsLetter(r) }
