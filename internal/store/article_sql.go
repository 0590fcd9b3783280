package store

// Shared SQL of the article reads and writes: the column lists, the
// reader-visibility predicate, scanning rows and loading bylines.

import (
	"database/sql"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// scanArticles reads rows of summaryColumns (or fullColumns, when full)
// column by column: on the hot path this is several times cheaper than
// reflection-based scanning. extra, when given, returns more destinations
// for columns after the article's.
func scanArticles(rows *sql.Rows, full bool, extra ...func(*content.Article) []any) ([]*content.Article, error) {
	defer rows.Close()
	var out []*content.Article
	for rows.Next() {
		a := &content.Article{}
		var breakingUntil, publishedAt, modifiedAt sql.NullTime
		var createdBy, coverMedia, group sql.NullString
		dest := []any{&a.ID, &a.Slug, &a.Title, &a.Subtitle, &a.Excerpt, &a.Format, &a.Language, &a.Direction,
			&a.Category.ID, &a.Category.Slug, &a.Category.Name, &a.Category.Names, &a.Source,
			&a.Cover.URL, &a.Cover.Alt, &a.Cover.Caption, &a.Cover.Credit, &a.Featured, &a.Breaking,
			&breakingUntil, &a.Status, &publishedAt, &createdBy, &a.WordCount, &a.ReadingTime,
			&a.Version, &a.CreatedAt, &a.UpdatedAt, &a.ViewCount, &coverMedia, &group, &modifiedAt}
		if full {
			dest = append(dest, &a.ExcerptDerived, &a.Body, &a.BodyFormat, &a.BodyHTML, &a.Corrections)
		}
		for _, e := range extra {
			dest = append(dest, e(a)...)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan article: %w", err)
		}
		a.BreakingUntil, a.PublishedAt = nullTime(breakingUntil), nullTime(publishedAt)
		a.CreatedBy, a.Cover.MediaID, a.TranslationGroup = createdBy.String, coverMedia.String, group.String
		a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
		a.ModifiedAt = a.UpdatedAt
		if modifiedAt.Valid {
			a.ModifiedAt = modifiedAt.Time.UTC()
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// Column lists: summaries leave out the body, which is most of a row.
const (
	summaryColumns = `a.id, a.slug, a.title, a.subtitle, a.excerpt, a.format, a.language, a.direction,
		a.category_id, c.slug AS category_slug, c.name AS category_name, c.names AS category_names, a.source,
		a.cover_url, a.cover_alt, a.cover_caption, a.cover_credit, a.featured, a.breaking,
		a.breaking_until, a.status, a.published_at, a.created_by, a.word_count, a.reading_time,
		a.version, a.created_at, a.updated_at, a.view_count, a.cover_media_id, a.translation_group, a.modified_at`
	fullColumns  = summaryColumns + `, a.excerpt_derived, a.body, a.body_format, a.body_html, a.corrections`
	fromArticles = ` FROM articles a JOIN categories c ON c.id = a.category_id`
	// visible is the reader-visibility predicate. It repeats the partial
	// indexes' predicate word for word so both planners can use them.
	visible = `a.status IN ('published', 'scheduled') AND a.published_at <= ?`
	// inSection filters on a section by slug, its sub-sections included;
	// it takes the slug twice.
	inSection = `a.category_id IN (SELECT cc.id FROM categories cc WHERE cc.slug = ?
		OR cc.parent_id IN (SELECT p.id FROM categories p WHERE p.slug = ?))`
	// hasTag filters on a tag by slug.
	hasTag = `a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.slug = ?)`
)

// loadBylines fills the tags and authors of articles in one statement,
// and their covers and the authors' photos from the library in another
// when they have any.
func loadBylines(db *gorm.DB, articles []*content.Article, now time.Time) error {
	if len(articles) == 0 {
		return nil
	}
	ids := make([]any, 0, 2*len(articles))
	byID := make(map[string]*content.Article, len(articles))
	for _, a := range articles {
		ids, byID[a.ID] = append(ids, a.ID), a
		a.Tags, a.Authors = []content.Tag{}, []content.Author{}
	}
	ids = append(ids, ids...)
	in := placeholders(len(articles))
	rows, err := db.Raw(`SELECT 'tag' AS kind, at.article_id, at.position, t.id, t.slug, t.name, t.names, '' AS avatar_url, '' AS avatar_media_id
		FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN (`+in+`)
		UNION ALL
		SELECT 'author', aa.article_id, aa.position, au.id, au.slug, au.name, au.names, au.avatar_url, COALESCE(au.avatar_media_id, '')
		FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id IN (`+in+`)`, ids...).Rows()
	if err != nil {
		return fmt.Errorf("load bylines: %w", err)
	}
	defer rows.Close()
	// Rows come unordered: sorting them here is cheaper than a
	// collation-aware sort on text ids in the database.
	type byline struct {
		kind, articleID string
		position        int
		who             content.Author // a tag uses ID, Slug and Name
	}
	var all []byline
	for rows.Next() {
		var b byline
		if err := rows.Scan(&b.kind, &b.articleID, &b.position, &b.who.ID, &b.who.Slug, &b.who.Name, &b.who.Names, &b.who.AvatarURL, &b.who.AvatarMediaID); err != nil {
			return fmt.Errorf("scan byline: %w", err)
		}
		all = append(all, b)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load bylines: %w", err)
	}
	slices.SortFunc(all, func(x, y byline) int { return x.position - y.position })
	for _, b := range all {
		a := byID[b.articleID]
		if b.kind == "tag" {
			a.Tags = append(a.Tags, content.Tag{ID: b.who.ID, Slug: b.who.Slug, Name: b.who.Name, Names: b.who.Names})
		} else {
			a.Authors = append(a.Authors, b.who)
		}
	}
	for _, a := range articles {
		a.Localize()
	}
	if err := loadLanguages(db, articles, now); err != nil {
		return err
	}
	return loadImages(db, articles)
}

// loadLanguages fills the languages readers can read the articles told
// in several languages in, at now, and their other visible versions
// (Translations; a single article's read replaces them with every
// version, for the caller to filter): one statement, run only when the
// list holds such an article.
func loadLanguages(db *gorm.DB, articles []*content.Article, now time.Time) error {
	var groups []string
	for _, a := range articles {
		if a.TranslationGroup != "" {
			groups = append(groups, a.TranslationGroup)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	groups = slices.Compact(slices.Sorted(slices.Values(groups)))
	rows, err := db.Raw(`SELECT a.translation_group, a.language, a.id, a.slug, a.title, c.slug, a.status, a.published_at
		FROM articles a JOIN categories c ON c.id = a.category_id WHERE a.translation_group IN (`+placeholders(len(groups))+`)
		AND `+visible+` ORDER BY a.language`, append(anys(groups), now)...).Rows()
	if err != nil {
		return fmt.Errorf("load languages: %w", err)
	}
	defer rows.Close()
	byGroup := map[string][]content.Translation{}
	for rows.Next() {
		var group string
		var t content.Translation
		var published sql.NullTime
		if err := rows.Scan(&group, &t.Language, &t.ID, &t.Slug, &t.Title, &t.Category, &t.Status, &published); err != nil {
			return fmt.Errorf("load languages: %w", err)
		}
		t.PublishedAt = nullTime(published)
		byGroup[group] = append(byGroup[group], t)
	}
	for _, a := range articles {
		if versions := byGroup[a.TranslationGroup]; a.TranslationGroup != "" && len(versions) > 1 {
			a.Languages, a.Translations = make([]string, 0, len(versions)), nil
			for _, t := range versions {
				a.Languages = append(a.Languages, t.Language)
				if t.ID != a.ID {
					a.Translations = append(a.Translations, t)
				}
			}
		}
	}
	return rows.Err()
}
