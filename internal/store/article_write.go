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

// Precondition is the version a write expects (from If-Match); 0 means any.
type Precondition int

func (p Precondition) check(a *content.Article) error {
	if p != 0 && int(p) != a.Version {
		return content.Errorf(content.EPRECONDITIONFAILED, "Article was changed since version %d; it is at version %d now.", int(p), a.Version)
	}
	return nil
}

// CreateArticle stores a new draft built from u by who, its author of
// record (content.CanWrite). An unknown category, tag or author is an
// EINVALID error naming it; a taken slug an ECONFLICT (a slug made from
// the title gets a suffix instead). Nothing is stored unless all of it
// is.
func (s *Store) CreateArticle(ctx context.Context, u content.ArticleUpdate, who content.Actor) (*content.Article, error) {
	if err := content.CanWrite(who, &u); err != nil {
		return nil, err
	}
	var a *content.Article
	err := s.transactContent(ctx, func(tx *txn) error {
		a = &content.Article{ID: NewID(), Status: content.StatusDraft, CreatedBy: who.UserID, Version: 1, CreatedAt: tx.now, UpdatedAt: tx.now, ModifiedAt: tx.now}
		u.Apply(a)
		if err := s.resolveRefs(tx, a, &u); err != nil {
			return err
		}
		if err := s.claimSlug(tx, a, u.Slug == nil); err != nil {
			return err
		}
		if err := insertArticle(tx, a); err != nil {
			return err
		}
		if err := s.dialect.search.index(tx, a); err != nil {
			return err
		}
		if err := s.writeBylines(tx, a, true, true); err != nil {
			return err
		}
		if err := keepRevision(tx, a, content.Editorial{}, who.UserID); err != nil {
			return err
		}
		if u.TranslationOf != nil {
			return s.joinTranslation(tx, a, *u.TranslationOf)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateArticle applies u to the article id as who asks
// (content.CanEdit), once the precondition holds.
func (s *Store) UpdateArticle(ctx context.Context, id string, u content.ArticleUpdate, pre Precondition, who content.Actor) (*content.Article, error) {
	return s.writeArticle(ctx, id, pre, who.UserID, func(tx *txn, a *content.Article) error {
		if err := content.CanEdit(who, a); err != nil {
			return err
		}
		if err := content.CanWrite(who, &u); err != nil {
			return err
		}
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
					oldSlug, a.ID, tx.now).Error; err != nil {
					return translate(err, "Old slug")
				}
			}
		}
		return s.writeBylines(tx, a, u.TagRefs != nil, u.AuthorRefs != nil)
	})
}

// AddCorrection appends a public correction to the published article
// id (content.AddCorrection), dated at (nil: now).
func (s *Store) AddCorrection(ctx context.Context, id, text string, at *time.Time, pre Precondition) (*content.Article, error) {
	return s.writeArticle(ctx, id, pre, "", func(tx *txn, a *content.Article) error {
		return content.AddCorrection(a, NewID(), text, at, tx.now)
	})
}

// SetArticleStatus moves the article id to status as who asks, by the
// rule of content.SetStatus.
func (s *Store) SetArticleStatus(ctx context.Context, id string, status content.Status, publishedAt *time.Time, pre Precondition, who content.Actor) (*content.Article, error) {
	return s.writeArticle(ctx, id, pre, who.UserID, func(tx *txn, a *content.Article) error {
		return content.SetStatus(who, a, status, publishedAt, tx.now)
	})
}

// writeArticle loads the article id in a transaction, checks pre, lets
// change edit it, then writes every column back, bumps the version,
// keeps a revision by user id by when what the story says changed, and
// queues the event the change fires. The UPDATE repeats the version it
// read, so a concurrent write makes this one fail with
// EPRECONDITIONFAILED instead of overwriting.
func (s *Store) writeArticle(ctx context.Context, id string, pre Precondition, by string, change func(*txn, *content.Article) error) (*content.Article, error) {
	var a *content.Article
	err := s.transactContent(ctx, func(tx *txn) error {
		var err error
		if a, err = s.lockArticle(tx, id); err != nil {
			return err
		}
		if err := pre.check(a); err != nil {
			return err
		}
		before, read := content.StateOf(a, tx.now), a.Version
		oldSearch, said := searchFieldsOf(a), content.EditorialOf(a)
		a.UpdatedAt = tx.now
		if err := change(tx, a); err != nil {
			return err
		}
		edited := len(said.Changed(content.EditorialOf(a))) > 0
		if edited {
			a.ModifiedAt = tx.now
		}
		a.Settle(tx.now)
		if searchFieldsOf(a) != oldSearch {
			err = s.dialect.search.index(tx, a)
		} else {
			err = s.dialect.search.sync(tx, a)
		}
		if err != nil {
			return err
		}
		a.Version = read + 1
		if err := updateArticle(tx, a, read); err != nil {
			return err
		}
		if edited {
			if err := keepRevision(tx, a, said, by); err != nil {
				return err
			}
		}
		return s.emitArticle(tx, a, before)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// DeleteArticle removes the article id (its tag and author links and old
// slugs go with it) as who asks (content.CanEdit).
func (s *Store) DeleteArticle(ctx context.Context, id string, who content.Actor) error {
	return s.transactContent(ctx, func(tx *txn) error {
		a, err := s.lockArticle(tx, id)
		if err != nil {
			return err
		}
		if err := content.CanEdit(who, a); err != nil {
			return err
		}
		if err := s.dialect.search.unindex(tx, id); err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM articles WHERE id = ?`, id).Error; err != nil {
			return translate(err, "Article")
		}
		tagIDs := make([]string, len(a.Tags))
		for i, t := range a.Tags {
			tagIDs[i] = t.ID
		}
		if err := countTags(tx, tagIDs, nil); err != nil {
			return err
		}
		event := content.DeleteEvent(a, tx.now)
		if err := recordChange(tx, id, event); err != nil {
			return err
		}
		return s.emit(tx, event, content.EventData{Article: eventArticle(a, a.Slug, tx.now)})
	})
}

// PublishBatch is how many due articles one PublishDue call takes.
const PublishBatch = 500

// PublishDue settles scheduled articles whose time has come
// (content.Article.Settle) and reports each with the event it fires,
// once: the status change and the event commit together. It returns how
// many went live.
func (s *Store) PublishDue(ctx context.Context) (int, error) {
	var ids []string
	if err := s.conn(ctx).Raw(`SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= ? ORDER BY published_at LIMIT ?`,
		s.now(), PublishBatch).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("find due articles: %w", err)
	}
	n := 0
	for _, id := range ids {
		went := false
		err := s.transactContent(ctx, func(tx *txn) error {
			a, err := s.lockArticle(tx, id)
			if err != nil {
				return err
			}
			before := content.StateOf(a, tx.now)
			if a.Settle(tx.now); a.Status != content.StatusPublished {
				return nil
			}
			// The status repeats the condition: of two replicas racing,
			// one wins and the other changes nothing.
			res := tx.Exec(`UPDATE articles SET status = ? WHERE id = ? AND status = 'scheduled'`, a.Status, id)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			if err := s.dialect.search.sync(tx, a); err != nil {
				return err
			}
			went = true
			return s.emitArticle(tx, a, before)
		})
		if err != nil {
			return n, fmt.Errorf("publish due article %s: %w", id, err)
		}
		if went {
			n++
		}
	}
	return n, nil
}

// lockArticle loads the article id for a write, locking its row first
// (PostgreSQL; SQLite has one writer at a time): every article write
// takes the article, then its tags in id order, so writers never wait on
// each other in a circle.
func (s *Store) lockArticle(tx *txn, id string) (*content.Article, error) {
	if lock := s.dialect.lockRow; lock != "" {
		var ids []string
		if err := tx.Raw(`SELECT id FROM articles WHERE id = ?`+lock, id).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("lock article: %w", err)
		}
	}
	return s.findArticle(tx.DB, "a.id = ?", id, nil)
}

// insertArticle writes the new row a.
func insertArticle(tx *txn, a *content.Article) error {
	err := tx.Exec(`INSERT INTO articles (id, slug, title, subtitle, excerpt, excerpt_derived, body, body_format,
		body_html, format, language, direction, category_id, source, cover_url, cover_alt, cover_caption,
		cover_credit, featured, breaking, breaking_until, status, published_at, created_by, word_count,
		reading_time, version, created_at, updated_at, cover_media_id, modified_at, corrections)
		VALUES (`+placeholders(32)+`)`,
		a.ID, a.Slug, a.Title, a.Subtitle, a.Excerpt, a.ExcerptDerived, a.Body, a.BodyFormat,
		a.BodyHTML, a.Format, a.Language, a.Direction, a.Category.ID, a.Source, a.Cover.URL, a.Cover.Alt,
		a.Cover.Caption, a.Cover.Credit, a.Featured, a.Breaking, a.BreakingUntil, a.Status, a.PublishedAt,
		nullable(a.CreatedBy), a.WordCount, a.ReadingTime, a.Version, a.CreatedAt, a.UpdatedAt, nullable(a.Cover.MediaID),
		a.ModifiedAt, a.Corrections).Error
	return translate(err, "Article")
}

// updateArticle writes every column of a back, if the row is still at
// version read.
func updateArticle(tx *txn, a *content.Article, read int) error {
	res := tx.Exec(`UPDATE articles SET slug = ?, title = ?, subtitle = ?, excerpt = ?, excerpt_derived = ?,
		body = ?, body_format = ?, body_html = ?, format = ?, language = ?, direction = ?, category_id = ?,
		source = ?, cover_url = ?, cover_alt = ?, cover_caption = ?, cover_credit = ?, featured = ?,
		breaking = ?, breaking_until = ?, status = ?, published_at = ?, word_count = ?, reading_time = ?,
		version = ?, updated_at = ?, cover_media_id = ?, modified_at = ?, corrections = ? WHERE id = ? AND version = ?`,
		a.Slug, a.Title, a.Subtitle, a.Excerpt, a.ExcerptDerived, a.Body, a.BodyFormat, a.BodyHTML,
		a.Format, a.Language, a.Direction, a.Category.ID, a.Source, a.Cover.URL, a.Cover.Alt,
		a.Cover.Caption, a.Cover.Credit, a.Featured, a.Breaking, a.BreakingUntil, a.Status,
		a.PublishedAt, a.WordCount, a.ReadingTime, a.Version, a.UpdatedAt, nullable(a.Cover.MediaID), a.ModifiedAt, a.Corrections, a.ID, read)
	if res.Error != nil {
		return translate(res.Error, "Article")
	}
	if res.RowsAffected == 0 {
		return content.Errorf(content.EPRECONDITIONFAILED, "Article was changed by someone else; reload it and try again.")
	}
	return nil
}

// claimSlug makes a.Slug free for a: a slug taken by another article is
// a conflict, or, when the slug was made from the title, gets a short
// suffix. An old slug of any article gives way to a current one.
func (s *Store) claimSlug(tx *txn, a *content.Article, derived bool) error {
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
func (s *Store) resolveRefs(tx *txn, a *content.Article, u *content.ArticleUpdate) error {
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
		missing, err := resolveTerms(tx.DB, "tags", *u.TagRefs, &tags, func(t content.Tag) (string, string) { return t.ID, t.Slug })
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
		missing, err := resolveTerms(tx.DB, "authors", *u.AuthorRefs, &authors, func(t content.Author) (string, string) { return t.ID, t.Slug })
		if err != nil {
			return err
		}
		if missing != "" {
			p.Add("authors", fmt.Sprintf("unknown author %q", missing))
		}
		a.Authors = authors
	}
	if refs := content.MediaRefs(a.BodyHTML); u.Body != nil && len(refs) > 0 {
		found, err := mediaByID(tx.DB, refs)
		if err != nil {
			return err
		}
		for _, id := range refs {
			if found[id] == nil {
				p.Add("body", fmt.Sprintf("places unknown media item %q", id))
				break
			}
		}
	}
	if u.Cover != nil && u.Cover.MediaID != "" {
		m, err := findMedia(tx.DB, `id = ?`, u.Cover.MediaID)
		switch {
		case content.ErrorCode(err) == content.ENOTFOUND:
			p.Add("cover.media_id", fmt.Sprintf("unknown media item %q", u.Cover.MediaID))
		case err != nil:
			return err
		default:
			a.Cover.Media = m
		}
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

// writeBylines replaces the tag and/or author links of a, keeping the
// tags' article counts.
func (s *Store) writeBylines(tx *txn, a *content.Article, tags, authors bool) error {
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
		if err := countTags(tx, old, ids); err != nil {
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

// countTags moves the article counts of an article's tags from before to
// after: one less for each tag it lost, one more for each it gained. The
// rows are updated one by one in id order, so two writers sharing tags
// take their locks in the same order and never deadlock; and each count
// moves by what this transaction changed, so none drifts.
func countTags(tx *txn, before, after []string) error {
	delta := map[string]int{}
	for _, id := range before {
		delta[id]--
	}
	for _, id := range after {
		delta[id]++
	}
	for _, id := range slices.Sorted(maps.Keys(delta)) {
		if delta[id] == 0 {
			continue
		}
		if err := tx.Exec(`UPDATE tags SET article_count = article_count + ? WHERE id = ?`, delta[id], id).Error; err != nil {
			return fmt.Errorf("count tags: %w", err)
		}
	}
	return nil
}

func replaceLinks(tx *txn, table, column, articleID string, ids []string) error {
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
