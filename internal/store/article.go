package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
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
		var breakingUntil, publishedAt sql.NullTime
		var createdBy sql.NullString
		dest := []any{&a.ID, &a.Slug, &a.Title, &a.Subtitle, &a.Excerpt, &a.Format, &a.Language, &a.Direction,
			&a.Category.ID, &a.Category.Slug, &a.Category.Name, &a.Source,
			&a.Cover.URL, &a.Cover.Alt, &a.Cover.Caption, &a.Cover.Credit, &a.Featured, &a.Breaking,
			&breakingUntil, &a.Status, &publishedAt, &createdBy, &a.WordCount, &a.ReadingTime,
			&a.Version, &a.CreatedAt, &a.UpdatedAt, &a.ViewCount}
		if full {
			dest = append(dest, &a.ExcerptDerived, &a.Body, &a.BodyFormat, &a.BodyHTML)
		}
		for _, e := range extra {
			dest = append(dest, e(a)...)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan article: %w", err)
		}
		a.BreakingUntil, a.PublishedAt = nullTime(breakingUntil), nullTime(publishedAt)
		a.CreatedBy = createdBy.String
		a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
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
		a.category_id, c.slug AS category_slug, c.name AS category_name, a.source,
		a.cover_url, a.cover_alt, a.cover_caption, a.cover_credit, a.featured, a.breaking,
		a.breaking_until, a.status, a.published_at, a.created_by, a.word_count, a.reading_time,
		a.version, a.created_at, a.updated_at, a.view_count`
	fullColumns  = summaryColumns + `, a.excerpt_derived, a.body, a.body_format, a.body_html`
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

// FindArticles returns one page of articles matching f, summaries only
// (no body), each with its section, tags and authors. It runs a constant
// number of statements whatever the page size: the page with its
// sections, the tags and authors of all its articles, and, for offset
// paging, the total.
func (s *Store) FindArticles(ctx context.Context, f content.ArticleFilter) (*content.ArticlePage, error) {
	now := s.now()
	var (
		where []string
		args  []any
	)
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }

	// Reader lists sort on published_at; editor lists include drafts,
	// which have none yet, so they fall back to the creation time.
	key, editor := "a.published_at", len(f.Statuses) > 0
	if editor {
		key = "COALESCE(a.published_at, a.created_at)"
		var ors []string
		for _, st := range f.Statuses {
			switch st {
			case content.StatusPublished:
				ors = append(ors, "(a.status = 'published' OR a.status = 'scheduled' AND a.published_at <= ?)")
				args = append(args, now)
			case content.StatusScheduled:
				ors = append(ors, "(a.status = 'scheduled' AND a.published_at > ?)")
				args = append(args, now)
			default:
				ors = append(ors, "a.status = ?")
				args = append(args, string(st))
			}
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	} else {
		add(visible, now)
	}
	published := key // since and until filter on it whatever the sort
	if f.Sort == content.SortRecentlyEdited {
		key = "a.updated_at"
	}
	if f.CreatedBy != "" {
		add("a.created_by = ?", f.CreatedBy)
	}
	if f.Category != "" {
		add(inSection, f.Category, f.Category)
	}
	if f.Tag != "" {
		add(hasTag, f.Tag)
	}
	if f.Author != "" {
		add(`a.id IN (SELECT aa.article_id FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE au.slug = ?)`, f.Author)
	}
	if f.Format != "" {
		add("a.format = ?", f.Format)
	}
	if f.Language != "" {
		add("a.language = ?", f.Language)
	}
	if f.Featured != nil {
		if *f.Featured {
			add("a.featured = TRUE")
		} else {
			add("a.featured = FALSE")
		}
	}
	if f.Breaking != nil {
		cond := "(a.breaking = TRUE AND (a.breaking_until IS NULL OR a.breaking_until > ?))"
		if !*f.Breaking {
			cond = "NOT " + cond
		}
		add(cond, now)
	}
	if f.Since != nil {
		add(published+" >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		add(published+" < ?", f.Until.UTC())
	}

	page := &content.ArticlePage{}
	if f.Page > 0 {
		// The section join looks redundant but steers SQLite to an index
		// (1.5 ms) instead of a table scan (37 ms) at 10,000 articles.
		q := "SELECT count(*)" + fromArticles + " WHERE " + strings.Join(where, " AND ")
		var total int64
		if err := s.conn(ctx).Raw(q, args...).Scan(&total).Error; err != nil {
			return nil, fmt.Errorf("count articles: %w", err)
		}
		page.Total = int(total)
	}

	dir, cmp := "DESC", "<"
	if f.Sort == content.SortOldest {
		dir, cmp = "ASC", ">"
	}
	if f.Cursor != nil {
		add("("+key+", a.id) "+cmp+" (?, ?)", f.Cursor.Key.UTC(), f.Cursor.ID)
	}
	columns := summaryColumns
	if f.WithBody {
		columns = fullColumns
	}
	q := "SELECT " + columns + fromArticles + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY " + key + " " + dir + ", a.id " + dir + " LIMIT ?"
	args = append(args, f.Limit+1) // one more tells whether a next page exists
	if f.Page > 0 {
		q += " OFFSET ?"
		args = append(args, (f.Page-1)*f.Limit)
	}
	rows, err := s.conn(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find articles: %w", err)
	}
	if page.Articles, err = scanArticles(rows, f.WithBody); err != nil {
		return nil, fmt.Errorf("find articles: %w", err)
	}
	more := len(page.Articles) > f.Limit
	if more {
		page.Articles = page.Articles[:f.Limit]
	}
	if more && f.Page == 0 {
		last := page.Articles[len(page.Articles)-1]
		c := &content.Cursor{ID: last.ID, Key: last.CreatedAt}
		switch {
		case f.Sort == content.SortRecentlyEdited:
			c.Key = last.UpdatedAt
		case last.PublishedAt != nil:
			c.Key = *last.PublishedAt
		}
		page.Next = c
	}
	if err := s.loadBylines(s.conn(ctx), page.Articles); err != nil {
		return nil, err
	}
	return page, nil
}

// loadBylines fills the tags and authors of articles in one statement.
func (s *Store) loadBylines(db *gorm.DB, articles []*content.Article) error {
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
	rows, err := db.Raw(`SELECT 'tag' AS kind, at.article_id, at.position, t.id, t.slug, t.name, '' AS avatar_url
		FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN (`+in+`)
		UNION ALL
		SELECT 'author', aa.article_id, aa.position, au.id, au.slug, au.name, au.avatar_url
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
		if err := rows.Scan(&b.kind, &b.articleID, &b.position, &b.who.ID, &b.who.Slug, &b.who.Name, &b.who.AvatarURL); err != nil {
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
			a.Tags = append(a.Tags, content.Tag{ID: b.who.ID, Slug: b.who.Slug, Name: b.who.Name})
		} else {
			a.Authors = append(a.Authors, b.who)
		}
	}
	return nil
}

// FindArticle returns the article with the given id, with its body,
// section, tags and authors. With public set, an article readers may not
// see is not found.
func (s *Store) FindArticle(ctx context.Context, id string, public bool) (*content.Article, error) {
	return s.findArticle(ctx, s.conn(ctx), "a.id = ?", id, public)
}

// FindArticleBySlug is FindArticle by slug. A slug the article had before
// a rename gives a *content.Moved error carrying the current slug.
func (s *Store) FindArticleBySlug(ctx context.Context, slug string, public bool) (*content.Article, error) {
	slug = content.NormalizeSlug(slug)
	a, err := s.findArticle(ctx, s.conn(ctx), "a.slug = ?", slug, public)
	if content.ErrorCode(err) != content.ENOTFOUND {
		return a, err
	}
	q := `SELECT a.slug FROM article_slugs os JOIN articles a ON a.id = os.article_id WHERE os.slug = ?`
	args := []any{slug}
	if public {
		q += " AND " + visible
		args = append(args, s.now())
	}
	var current []string
	if err := s.conn(ctx).Raw(q, args...).Scan(&current).Error; err != nil {
		return nil, fmt.Errorf("find old slug: %w", err)
	}
	if len(current) == 1 {
		return nil, &content.Moved{Slug: current[0]}
	}
	return nil, err
}

func (s *Store) findArticle(ctx context.Context, db *gorm.DB, cond string, arg any, public bool) (*content.Article, error) {
	q := "SELECT " + fullColumns + fromArticles + " WHERE " + cond
	args := []any{arg}
	if public {
		q += " AND " + visible
		args = append(args, s.now())
	}
	rows, err := db.Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find article: %w", err)
	}
	list, err := scanArticles(rows, true)
	if err != nil {
		return nil, fmt.Errorf("find article: %w", err)
	}
	if len(list) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "Article %q not found.", arg)
	}
	a := list[0]
	if err := s.loadBylines(db, []*content.Article{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// Guard decides, inside the write's transaction, whether the write may go
// on given the article as stored; it returns a content error to refuse.
type Guard func(*content.Article) error

// Precondition is the version a write expects (from If-Match); 0 means any.
type Precondition int

func (p Precondition) check(a *content.Article) error {
	if p != 0 && int(p) != a.Version {
		return content.Errorf(content.EPRECONDITIONFAILED, "Article was changed since version %d; it is at version %d now.", int(p), a.Version)
	}
	return nil
}

// CreateArticle stores a new draft built from u by the user createdBy.
// An unknown category, tag or author is an EINVALID error naming it; a
// taken slug an ECONFLICT (a slug made from the title gets a suffix
// instead). Nothing is stored unless all of it is.
func (s *Store) CreateArticle(ctx context.Context, u content.ArticleUpdate, createdBy string) (*content.Article, error) {
	now := s.now()
	a := &content.Article{ID: NewID(), Status: content.StatusDraft, CreatedBy: createdBy, Version: 1, CreatedAt: now, UpdatedAt: now}
	u.Apply(a)
	err := s.transact(ctx, func(tx *gorm.DB) error {
		if err := s.resolveRefs(tx, a, &u); err != nil {
			return err
		}
		if err := s.claimSlug(tx, a, u.Slug == nil); err != nil {
			return err
		}
		err := tx.Exec(`INSERT INTO articles (id, slug, title, subtitle, excerpt, excerpt_derived, body, body_format,
			body_html, format, language, direction, category_id, source, cover_url, cover_alt, cover_caption,
			cover_credit, featured, breaking, breaking_until, status, published_at, created_by, word_count,
			reading_time, version, created_at, updated_at)
			VALUES (`+placeholders(29)+`)`,
			a.ID, a.Slug, a.Title, a.Subtitle, a.Excerpt, a.ExcerptDerived, a.Body, a.BodyFormat,
			a.BodyHTML, a.Format, a.Language, a.Direction, a.Category.ID, a.Source, a.Cover.URL, a.Cover.Alt,
			a.Cover.Caption, a.Cover.Credit, a.Featured, a.Breaking, a.BreakingUntil, a.Status, a.PublishedAt,
			nullable(a.CreatedBy), a.WordCount, a.ReadingTime, a.Version, a.CreatedAt, a.UpdatedAt).Error
		if err != nil {
			return translate(err, "Article")
		}
		if err := s.indexArticle(tx, a); err != nil {
			return err
		}
		return s.writeBylines(tx, a, true, true)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateArticle applies u to the article id, after guard and the
// precondition have accepted the stored article.
func (s *Store) UpdateArticle(ctx context.Context, id string, u content.ArticleUpdate, pre Precondition, guard Guard) (*content.Article, error) {
	return s.writeArticle(ctx, id, pre, guard, func(tx *gorm.DB, a *content.Article) error {
		oldSlug, wasPublic := a.Slug, a.Status != content.StatusDraft
		u.Apply(a)
		if err := s.resolveRefs(tx, a, &u); err != nil {
			return err
		}
		if a.Slug != oldSlug {
			if err := s.claimSlug(tx, a, false); err != nil {
				return err
			}
			// Readers may have the old slug in links; keep it resolving.
			if wasPublic {
				if err := tx.Exec(`INSERT INTO article_slugs (slug, article_id, created_at) VALUES (?, ?, ?)`,
					oldSlug, a.ID, a.UpdatedAt).Error; err != nil {
					return translate(err, "Old slug")
				}
			}
		}
		return s.writeBylines(tx, a, u.TagRefs != nil, u.AuthorRefs != nil)
	})
}

// SetArticleStatus moves the article id to status: published (at
// publishedAt, or now; a future time schedules it), draft or archived.
func (s *Store) SetArticleStatus(ctx context.Context, id string, status content.Status, publishedAt *time.Time, pre Precondition, guard Guard) (*content.Article, error) {
	return s.writeArticle(ctx, id, pre, guard, func(tx *gorm.DB, a *content.Article) error {
		now := a.UpdatedAt
		switch status {
		case content.StatusPublished:
			at := now
			if publishedAt != nil {
				at = publishedAt.UTC().Truncate(time.Microsecond)
			}
			a.PublishedAt, a.Status = &at, content.StatusPublished
			if at.After(now) {
				a.Status = content.StatusScheduled
			}
		case content.StatusDraft:
			a.Status, a.PublishedAt = content.StatusDraft, nil
		case content.StatusArchived:
			a.Status = content.StatusArchived
		}
		return nil
	})
}

// writeArticle loads the article id in a transaction, checks guard and
// pre, lets change edit it, then writes every column back and bumps the
// version. The UPDATE repeats the version it read, so a concurrent write
// makes this one fail with EPRECONDITIONFAILED instead of overwriting.
func (s *Store) writeArticle(ctx context.Context, id string, pre Precondition, guard Guard, change func(*gorm.DB, *content.Article) error) (*content.Article, error) {
	var a *content.Article
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if a, err = s.findArticle(ctx, tx, "a.id = ?", id, false); err != nil {
			return err
		}
		if guard != nil {
			if err := guard(a); err != nil {
				return err
			}
		}
		if err := pre.check(a); err != nil {
			return err
		}
		read := a.Version
		a.UpdatedAt = s.now()
		t1, l1, b1 := searchFields(a)
		lang, oldSlug := a.Language, a.Slug
		wasVisible, announced := a.Visible(a.UpdatedAt), a.Status == content.StatusPublished
		if err := change(tx, a); err != nil {
			return err
		}
		// A scheduled article whose time has come is published: its going
		// live is reported now if PublishDue has not done it yet.
		if a.Status == content.StatusScheduled && a.Visible(a.UpdatedAt) {
			a.Status = content.StatusPublished
		}
		if t2, l2, b2 := searchFields(a); t1 != t2 || l1 != l2 || b1 != b2 || lang != a.Language {
			if err := s.indexArticle(tx, a); err != nil {
				return err
			}
		} else if err := s.syncSearch(tx, a); err != nil {
			return err
		}
		a.Version = read + 1
		res := tx.Exec(`UPDATE articles SET slug = ?, title = ?, subtitle = ?, excerpt = ?, excerpt_derived = ?,
			body = ?, body_format = ?, body_html = ?, format = ?, language = ?, direction = ?, category_id = ?,
			source = ?, cover_url = ?, cover_alt = ?, cover_caption = ?, cover_credit = ?, featured = ?,
			breaking = ?, breaking_until = ?, status = ?, published_at = ?, word_count = ?, reading_time = ?,
			version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			a.Slug, a.Title, a.Subtitle, a.Excerpt, a.ExcerptDerived, a.Body, a.BodyFormat, a.BodyHTML,
			a.Format, a.Language, a.Direction, a.Category.ID, a.Source, a.Cover.URL, a.Cover.Alt,
			a.Cover.Caption, a.Cover.Credit, a.Featured, a.Breaking, a.BreakingUntil, a.Status,
			a.PublishedAt, a.WordCount, a.ReadingTime, a.Version, a.UpdatedAt, a.ID, read)
		if res.Error != nil {
			return translate(res.Error, "Article")
		}
		if res.RowsAffected == 0 {
			return content.Errorf(content.EPRECONDITIONFAILED, "Article was changed by someone else; reload it and try again.")
		}
		return s.emitArticle(tx, a, wasVisible, announced, oldSlug)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// DeleteArticle removes the article id (its tag and author links and old
// slugs go with it) once guard has accepted it.
func (s *Store) DeleteArticle(ctx context.Context, id string, guard Guard) error {
	return s.transact(ctx, func(tx *gorm.DB) error {
		a, err := s.findArticle(ctx, tx, "a.id = ?", id, false)
		if err != nil {
			return err
		}
		if guard != nil {
			if err := guard(a); err != nil {
				return err
			}
		}
		if err := s.unindexArticle(tx, id); err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM articles WHERE id = ?`, id).Error; err != nil {
			return translate(err, "Article")
		}
		tagIDs := make([]string, len(a.Tags))
		for i, t := range a.Tags {
			tagIDs[i] = t.ID
		}
		if err := recountTags(tx, tagIDs); err != nil {
			return err
		}
		if a.Visible(s.now()) {
			return s.emit(tx, content.EventArticleDeleted, content.EventData{Article: s.eventArticle(a, a.Slug)})
		}
		return nil
	})
}

// claimSlug makes a.Slug free for a: a slug taken by another article is
// a conflict, or, when the slug was made from the title, gets a short
// suffix. An old slug of any article gives way to a current one.
func (s *Store) claimSlug(tx *gorm.DB, a *content.Article, derived bool) error {
	if a.Slug == "" {
		a.Slug = strings.ToLower(a.ID)
	}
	for i := 0; ; i++ {
		var n int64
		if err := tx.Raw(`SELECT count(*) FROM articles WHERE slug = ? AND id <> ?`, a.Slug, a.ID).Scan(&n).Error; err != nil {
			return fmt.Errorf("check slug: %w", err)
		}
		if n == 0 {
			break
		}
		if !derived || i > 0 {
			return &content.Error{Code: content.ECONFLICT, Message: fmt.Sprintf("Slug %q is taken.", a.Slug), Fields: map[string]string{"slug": "taken"}}
		}
		suffix := strings.ToLower(a.ID[len(a.ID)-6:])
		a.Slug = strings.TrimRight(truncateRunes(a.Slug, content.MaxSlugLen-7), "-") + "-" + suffix
	}
	return tx.Exec(`DELETE FROM article_slugs WHERE slug = ?`, a.Slug).Error
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// resolveRefs turns the category, tag and author refs of u (ids or slugs)
// into rows, reporting every unknown one by name.
func (s *Store) resolveRefs(tx *gorm.DB, a *content.Article, u *content.ArticleUpdate) error {
	var p content.Problems
	if u.CategoryRef != nil {
		var cats []content.Category
		ref := strings.TrimSpace(*u.CategoryRef)
		if err := tx.Raw(`SELECT id, slug, name FROM categories WHERE id = ? OR slug = ?`, ref, content.NormalizeSlug(ref)).Scan(&cats).Error; err != nil {
			return fmt.Errorf("resolve category: %w", err)
		}
		if len(cats) == 0 {
			p.Add("category", fmt.Sprintf("unknown category %q", ref))
		} else {
			a.Category = cats[0]
		}
	}
	if u.TagRefs != nil {
		var tags []content.Tag
		missing, err := resolveTerms(tx, "tags", *u.TagRefs, &tags, func(t content.Tag) (string, string) { return t.ID, t.Slug })
		if err != nil {
			return err
		}
		if missing != "" {
			p.Add("tags", fmt.Sprintf("unknown tag %q", missing))
		}
		a.Tags = tags
	}
	if u.AuthorRefs != nil {
		var authors []content.Author
		missing, err := resolveTerms(tx, "authors", *u.AuthorRefs, &authors, func(t content.Author) (string, string) { return t.ID, t.Slug })
		if err != nil {
			return err
		}
		if missing != "" {
			p.Add("authors", fmt.Sprintf("unknown author %q", missing))
		}
		a.Authors = authors
	}
	return p.Err("Article")
}

// resolveTerms loads the rows of table named by refs, in the order of
// refs and without repeats, into out. It returns the first unknown ref.
func resolveTerms[T any](tx *gorm.DB, table string, refs []string, out *[]T, key func(T) (id, slug string)) (string, error) {
	if len(refs) == 0 {
		*out = []T{}
		return "", nil
	}
	args := make([]any, 0, 2*len(refs))
	for _, r := range refs {
		args = append(args, strings.TrimSpace(r))
	}
	for _, r := range refs {
		args = append(args, content.NormalizeSlug(strings.TrimSpace(r)))
	}
	var rows []T
	q := "SELECT * FROM " + table + " WHERE id IN (" + placeholders(len(refs)) + ") OR slug IN (" + placeholders(len(refs)) + ")"
	if err := tx.Raw(q, args...).Scan(&rows).Error; err != nil {
		return "", fmt.Errorf("resolve %s: %w", table, err)
	}
	found := map[string]T{}
	for _, r := range rows {
		id, slug := key(r)
		found[id], found[slug] = r, r
	}
	seen := map[string]bool{}
	*out = (*out)[:0]
	for _, r := range refs {
		r = strings.TrimSpace(r)
		row, ok := found[r]
		if !ok {
			row, ok = found[content.NormalizeSlug(r)]
		}
		if !ok {
			return r, nil
		}
		if id, _ := key(row); !seen[id] {
			seen[id] = true
			*out = append(*out, row)
		}
	}
	return "", nil
}

// writeBylines replaces the tag and/or author links of a.
func (s *Store) writeBylines(tx *gorm.DB, a *content.Article, tags, authors bool) error {
	if tags {
		var old []string
		if err := tx.Raw(`SELECT tag_id FROM article_tags WHERE article_id = ?`, a.ID).Scan(&old).Error; err != nil {
			return fmt.Errorf("read tags: %w", err)
		}
		ids := make([]string, len(a.Tags))
		for i, t := range a.Tags {
			ids[i] = t.ID
		}
		if err := replaceLinks(tx, "article_tags", "tag_id", a.ID, ids); err != nil {
			return err
		}
		if err := recountTags(tx, append(old, ids...)); err != nil {
			return err
		}
	}
	if authors {
		ids := make([]string, len(a.Authors))
		for i, au := range a.Authors {
			ids[i] = au.ID
		}
		if err := replaceLinks(tx, "article_authors", "author_id", a.ID, ids); err != nil {
			return err
		}
	}
	return nil
}

// recountTags sets the article counts of the given tags from their links.
func recountTags(tx *gorm.DB, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := tx.Exec(`UPDATE tags SET article_count = (SELECT count(*) FROM article_tags at WHERE at.tag_id = tags.id)
		WHERE id IN (`+placeholders(len(args))+`)`, args...).Error
	if err != nil {
		return fmt.Errorf("recount tags: %w", err)
	}
	return nil
}

func replaceLinks(tx *gorm.DB, table, column, articleID string, ids []string) error {
	if err := tx.Exec("DELETE FROM "+table+" WHERE article_id = ?", articleID).Error; err != nil {
		return fmt.Errorf("clear %s: %w", table, err)
	}
	if len(ids) == 0 {
		return nil
	}
	values := make([]string, len(ids))
	args := make([]any, 0, 3*len(ids))
	for i, id := range ids {
		values[i] = "(?, ?, ?)"
		args = append(args, articleID, id, i)
	}
	err := tx.Exec("INSERT INTO "+table+" (article_id, "+column+", position) VALUES "+strings.Join(values, ", "), args...).Error
	if err != nil {
		return translate(err, "Article link")
	}
	return nil
}

// FindLatestBySection returns the latest visible articles of each given
// section (its sub-sections included), at most perSection each, in one
// statement: a LIMITed, index-backed subquery per section. sections maps
// each section id to the ids it covers.
func (s *Store) FindLatestBySection(ctx context.Context, sections map[string][]string, perSection int, lang string) (map[string][]*content.Article, error) {
	out := map[string][]*content.Article{}
	if len(sections) == 0 {
		return out, nil
	}
	now := s.now()
	var parts []string
	var args []any
	for section, ids := range sections {
		cond := visible + " AND a.category_id IN (" + placeholders(len(ids)) + ")"
		args = append(args, section, now)
		for _, id := range ids {
			args = append(args, id)
		}
		if lang != "" {
			cond += " AND a.language = ?"
			args = append(args, lang)
		}
		parts = append(parts, `SELECT * FROM (SELECT `+summaryColumns+`, ? AS section`+fromArticles+` WHERE `+cond+
			` ORDER BY a.published_at DESC, a.id DESC LIMIT ?) s`+fmt.Sprint(len(parts)))
		args = append(args, perSection)
	}
	rows, err := s.conn(ctx).Raw(strings.Join(parts, " UNION ALL "), args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find latest by section: %w", err)
	}
	sectionOf := map[*content.Article]*string{}
	list, err := scanArticles(rows, false, func(a *content.Article) []any {
		var sec string
		sectionOf[a] = &sec
		return []any{&sec}
	})
	if err != nil {
		return nil, fmt.Errorf("find latest by section: %w", err)
	}
	if err := s.loadBylines(s.conn(ctx), list); err != nil {
		return nil, err
	}
	for _, a := range list {
		sec := *sectionOf[a]
		out[sec] = append(out[sec], a)
	}
	return out, nil
}
