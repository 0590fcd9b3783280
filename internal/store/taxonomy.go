package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

type categoryRow struct {
	content.Category
	ParentID   *string
	ParentSlug *string
}

func (r categoryRow) category() content.Category {
	c := r.Category
	if r.ParentID != nil {
		c.ParentID = *r.ParentID
	}
	if r.ParentSlug != nil {
		c.ParentSlug = *r.ParentSlug
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c
}

// categorySelect reads sections with their parent's slug and the count of
// their visible articles, in one statement.
const categorySelect = `SELECT c.id, c.slug, c.name, c.description, c.names, c.descriptions, c.parent_id, p.slug AS parent_slug,
	c.position, c.created_at, c.updated_at,
	(SELECT count(*) FROM articles a WHERE a.category_id = c.id AND ` + visible + `) AS article_count
	FROM categories c LEFT JOIN categories p ON p.id = c.parent_id`

// FindCategories returns every section: top-level ones by position, each
// followed by its children by position. With counts, each carries the
// number of its visible articles, which costs a count per section.
func (s *Store) FindCategories(ctx context.Context, counts bool) ([]content.Category, error) {
	var rows []categoryRow
	q, args := categorySelect, []any{s.now()}
	if !counts {
		q, args = strings.Replace(q, "(SELECT count(*) FROM articles a WHERE a.category_id = c.id AND "+visible+")", "0", 1), nil
	}
	err := s.conn(ctx).Raw(q+` ORDER BY COALESCE(p.position, c.position), COALESCE(p.name, c.name),
		c.parent_id IS NOT NULL, c.position, c.name`, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find categories: %w", err)
	}
	out := make([]content.Category, len(rows))
	for i, r := range rows {
		out[i] = r.category()
	}
	return out, nil
}

// FindCategory returns the section with the given id or slug.
func (s *Store) FindCategory(ctx context.Context, ref string) (*content.Category, error) {
	return s.findCategory(s.conn(ctx), ref)
}

func (s *Store) findCategory(db *gorm.DB, ref string) (*content.Category, error) {
	var rows []categoryRow
	if err := db.Raw(categorySelect+` WHERE c.id = ? OR c.slug = ?`, s.now(), ref, content.NormalizeSlug(ref)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find category: %w", err)
	}
	if len(rows) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "Category %q not found.", ref)
	}
	c := rows[0].category()
	return &c, nil
}

// CreateCategory stores a new section. A parent must be a top-level
// section (content.CheckParent).
func (s *Store) CreateCategory(ctx context.Context, u content.CategoryUpdate) (*content.Category, error) {
	c := &content.Category{}
	err := s.transactContent(ctx, func(tx *txn) error {
		c.ID, c.CreatedAt, c.UpdatedAt = NewID(), tx.now, tx.now
		return s.saveCategory(tx, c, u, "")
	})
	return c, err
}

// UpdateCategory applies u to the section with id or slug ref.
func (s *Store) UpdateCategory(ctx context.Context, ref string, u content.CategoryUpdate) (*content.Category, error) {
	var c *content.Category
	err := s.transactContent(ctx, func(tx *txn) error {
		var err error
		if c, err = s.findCategory(tx.DB, ref); err != nil {
			return err
		}
		c.UpdatedAt = tx.now
		return s.saveCategory(tx, c, u, c.Slug)
	})
	return c, err
}

// saveCategory applies u to c, resolves and checks its parent, and
// writes it: an insert when oldSlug is "", else an update.
func (s *Store) saveCategory(tx *txn, c *content.Category, u content.CategoryUpdate, oldSlug string) error {
	u.Apply(c)
	if u.ParentRef != nil {
		c.ParentID, c.ParentSlug = "", ""
		if p := strings.TrimSpace(*u.ParentRef); p != "" {
			parent, err := s.findCategory(tx.DB, p)
			if content.ErrorCode(err) == content.ENOTFOUND {
				return invalid("Category", "parent", fmt.Sprintf("unknown category %q", p))
			} else if err != nil {
				return err
			}
			var children int64
			if err := tx.Raw(`SELECT count(*) FROM categories WHERE parent_id = ?`, c.ID).Scan(&children).Error; err != nil {
				return err
			}
			if err := content.CheckParent(c, parent, children > 0); err != nil {
				return err
			}
			c.ParentID, c.ParentSlug = parent.ID, parent.Slug
		}
	}
	w := termWrite{kind: "category", what: "Category", oldSlug: oldSlug, term: content.EventTerm{ID: c.ID, Slug: c.Slug, Name: c.Name}}
	if oldSlug == "" {
		return s.saveTerm(tx, w, `INSERT INTO categories (id, slug, name, description, names, descriptions, parent_id, position, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Slug, c.Name, c.Description, c.Names, c.Descriptions, nullable(c.ParentID), c.Position,
			c.CreatedAt, c.UpdatedAt)
	}
	return s.saveTerm(tx, w, `UPDATE categories SET slug = ?, name = ?, description = ?, names = ?, descriptions = ?, parent_id = ?, position = ?,
		updated_at = ? WHERE id = ?`, c.Slug, c.Name, c.Description, c.Names, c.Descriptions, nullable(c.ParentID), c.Position, c.UpdatedAt, c.ID)
}

// DeleteCategory removes an empty section; one with articles or children
// is a conflict.
func (s *Store) DeleteCategory(ctx context.Context, ref string) error {
	return s.deleteTerm(ctx, "categories", "Category", ref)
}

// FindTags returns page p of the tags by name, and how many there are.
func (s *Store) FindTags(ctx context.Context, p content.TermPage) ([]content.Tag, int, error) {
	var tags []content.Tag
	total, err := s.findTermPage(ctx, "tags", `SELECT id, slug, name, names, created_at, updated_at FROM tags`, p, &tags)
	return tags, total, err
}

// findTermPage reads page p of table, ordered by name, into out with the
// statement sel, and counts the whole table.
func (s *Store) findTermPage(ctx context.Context, table, sel string, p content.TermPage, out any) (int, error) {
	var total int64
	if err := s.conn(ctx).Raw(`SELECT count(*) FROM ` + table).Scan(&total).Error; err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	err := s.conn(ctx).Raw(sel+` ORDER BY name, id LIMIT ? OFFSET ?`, p.Limit, (p.Page-1)*p.Limit).Scan(out).Error
	if err != nil {
		return 0, fmt.Errorf("find %s: %w", table, err)
	}
	return int(total), nil
}

// FindTag returns the tag with the given id or slug.
func (s *Store) FindTag(ctx context.Context, ref string) (*content.Tag, error) {
	return findTerm[content.Tag](s.conn(ctx), "tags", "Tag", ref)
}

// CreateTag stores a new tag.
func (s *Store) CreateTag(ctx context.Context, u content.TagUpdate) (*content.Tag, error) {
	t := &content.Tag{}
	err := s.transactContent(ctx, func(tx *txn) error {
		t.ID, t.CreatedAt, t.UpdatedAt = NewID(), tx.now, tx.now
		u.Apply(t)
		return s.saveTerm(tx, termWrite{kind: "tag", what: "Tag", term: content.EventTerm{ID: t.ID, Slug: t.Slug, Name: t.Name}},
			`INSERT INTO tags (id, slug, name, names, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, t.ID, t.Slug, t.Name, t.Names, t.CreatedAt, t.UpdatedAt)
	})
	return t, err
}

// UpdateTag applies u to the tag with id or slug ref.
func (s *Store) UpdateTag(ctx context.Context, ref string, u content.TagUpdate) (*content.Tag, error) {
	var t *content.Tag
	err := s.transactContent(ctx, func(tx *txn) error {
		var err error
		if t, err = findTerm[content.Tag](tx.DB, "tags", "Tag", ref); err != nil {
			return err
		}
		oldSlug := t.Slug
		u.Apply(t)
		t.UpdatedAt = tx.now
		return s.saveTerm(tx, termWrite{kind: "tag", what: "Tag", oldSlug: oldSlug, term: content.EventTerm{ID: t.ID, Slug: t.Slug, Name: t.Name}},
			`UPDATE tags SET slug = ?, name = ?, names = ?, updated_at = ? WHERE id = ?`, t.Slug, t.Name, t.Names, t.UpdatedAt, t.ID)
	})
	return t, err
}

// DeleteTag removes a tag from the archive and from every article.
func (s *Store) DeleteTag(ctx context.Context, ref string) error {
	return s.deleteTerm(ctx, "tags", "Tag", ref)
}

type authorRow struct {
	content.Author
	UserID        *string
	AvatarMediaID *string
}

func (r authorRow) author() content.Author {
	a := r.Author
	if r.UserID != nil {
		a.UserID = *r.UserID
	}
	if r.AvatarMediaID != nil {
		a.AvatarMediaID = *r.AvatarMediaID
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a
}

// FindAuthors returns page p of the authors by name, and how many there
// are.
func (s *Store) FindAuthors(ctx context.Context, p content.TermPage) ([]content.Author, int, error) {
	var rows []authorRow
	total, err := s.findTermPage(ctx, "authors", `SELECT * FROM authors`, p, &rows)
	if err != nil {
		return nil, 0, err
	}
	out := make([]content.Author, len(rows))
	for i, r := range rows {
		out[i] = r.author()
	}
	return out, total, loadAvatars(s.conn(ctx), out)
}

// FindAuthor returns the author with the given id or slug.
func (s *Store) FindAuthor(ctx context.Context, ref string) (*content.Author, error) {
	r, err := findTerm[authorRow](s.conn(ctx), "authors", "Author", ref)
	if err != nil {
		return nil, err
	}
	a := []content.Author{r.author()}
	return &a[0], loadAvatars(s.conn(ctx), a)
}

// FindAuthorByUser returns the author linked to a user account.
func (s *Store) FindAuthorByUser(ctx context.Context, userID string) (*content.Author, error) {
	var rows []authorRow
	if err := s.conn(ctx).Raw(`SELECT * FROM authors WHERE user_id = ?`, userID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find author by user: %w", err)
	}
	if len(rows) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "No author is linked to this user.")
	}
	a := rows[0].author()
	return &a, nil
}

// CreateAuthor stores a new author. A linked user must exist and have
// no other author.
func (s *Store) CreateAuthor(ctx context.Context, u content.AuthorUpdate) (*content.Author, error) {
	a := &content.Author{}
	err := s.transactContent(ctx, func(tx *txn) error {
		a.ID, a.CreatedAt, a.UpdatedAt = NewID(), tx.now, tx.now
		return s.saveAuthor(tx, a, u, "")
	})
	return a, err
}

// UpdateAuthor applies u to the author with id or slug ref.
func (s *Store) UpdateAuthor(ctx context.Context, ref string, u content.AuthorUpdate) (*content.Author, error) {
	a := &content.Author{}
	err := s.transactContent(ctx, func(tx *txn) error {
		r, err := findTerm[authorRow](tx.DB, "authors", "Author", ref)
		if err != nil {
			return err
		}
		*a = r.author()
		a.UpdatedAt = tx.now
		return s.saveAuthor(tx, a, u, a.Slug)
	})
	return a, err
}

// saveAuthor applies u to a, checks a newly linked user, and writes it:
// an insert when oldSlug is "", else an update.
func (s *Store) saveAuthor(tx *txn, a *content.Author, u content.AuthorUpdate, oldSlug string) error {
	u.Apply(a)
	if a.AvatarMediaID != "" {
		m, err := findMedia(tx.DB, `id = ?`, a.AvatarMediaID)
		if content.ErrorCode(err) == content.ENOTFOUND {
			return invalid("Author", "avatar_media_id", fmt.Sprintf("unknown media item %q", a.AvatarMediaID))
		} else if err != nil {
			return err
		}
		a.Avatar = m
	}
	if a.UserID != "" && u.UserID != nil {
		var n int64
		if err := tx.Raw(`SELECT count(*) FROM users WHERE id = ?`, a.UserID).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return invalid("Author", "user_id", fmt.Sprintf("unknown user %q", a.UserID))
		}
	}
	w := termWrite{kind: "author", what: "Author", oldSlug: oldSlug, term: content.EventTerm{ID: a.ID, Slug: a.Slug, Name: a.Name}}
	if oldSlug == "" {
		return s.saveTerm(tx, w, `INSERT INTO authors (id, slug, name, bio, names, bios, avatar_url, avatar_media_id, user_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Slug, a.Name, a.Bio, a.Names, a.Bios, a.AvatarURL, nullable(a.AvatarMediaID), nullable(a.UserID),
			a.CreatedAt, a.UpdatedAt)
	}
	return s.saveTerm(tx, w, `UPDATE authors SET slug = ?, name = ?, bio = ?, names = ?, bios = ?, avatar_url = ?, avatar_media_id = ?, user_id = ?,
		updated_at = ? WHERE id = ?`, a.Slug, a.Name, a.Bio, a.Names, a.Bios, a.AvatarURL, nullable(a.AvatarMediaID), nullable(a.UserID), a.UpdatedAt, a.ID)
}

// DeleteAuthor removes an author without articles; one with articles is a
// conflict, since every article keeps a byline.
func (s *Store) DeleteAuthor(ctx context.Context, ref string) error {
	return s.deleteTerm(ctx, "authors", "Author", ref)
}

func findTerm[T any](db *gorm.DB, table, what, ref string) (*T, error) {
	var rows []T
	if err := db.Raw("SELECT * FROM "+table+" WHERE id = ? OR slug = ?", ref, content.NormalizeSlug(ref)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find %s: %w", strings.ToLower(what), err)
	}
	if len(rows) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "%s %q not found.", what, ref)
	}
	return &rows[0], nil
}

func (s *Store) deleteTerm(ctx context.Context, table, what, ref string) error {
	return s.transactContent(ctx, func(tx *txn) error {
		var rows []content.EventTerm
		if err := tx.Raw("SELECT id, slug, name FROM "+table+" WHERE id = ? OR slug = ?", ref, content.NormalizeSlug(ref)).Scan(&rows).Error; err != nil {
			return fmt.Errorf("find %s: %w", strings.ToLower(what), err)
		}
		if len(rows) == 0 {
			return content.Errorf(content.ENOTFOUND, "%s %q not found.", what, ref)
		}
		if err := tx.Exec("DELETE FROM "+table+" WHERE id = ?", rows[0].ID).Error; err != nil {
			if content.ErrorCode(translate(err, what)) == content.ECONFLICT {
				return content.Errorf(content.ECONFLICT, "%s %q still has articles or sub-sections; move them first.", what, ref)
			}
			return translate(err, what)
		}
		return s.emitTerm(tx, strings.ToLower(what), "deleted", rows[0])
	})
}

// termWrite describes a section, tag or author write for saveTerm.
type termWrite struct {
	kind, what string // "tag", "Tag"
	oldSlug    string // "" for a create
	term       content.EventTerm
}

// saveTerm is the skeleton every section, tag and author write shares:
// the slug must be valid and free; the statement writes the row; the
// event (kind.created or kind.updated) is queued with the change.
func (s *Store) saveTerm(tx *txn, w termWrite, statement string, args ...any) error {
	if msg := content.CheckSlug(w.term.Slug); msg != "" {
		return invalid(w.what, "slug", msg+" (set one explicitly)")
	}
	if err := tx.Exec(statement, args...).Error; err != nil {
		return slugConflict(err, w.what, w.term.Slug)
	}
	verb := "updated"
	if w.oldSlug == "" {
		verb = "created"
	}
	w.term.PreviousSlug = w.oldSlug
	return s.emitTerm(tx, w.kind, verb, w.term)
}

// invalid returns an EINVALID error about one field of what.
func invalid(what, field, msg string) error {
	return &content.Error{Code: content.EINVALID, Message: what + " is invalid.", Fields: map[string]string{field: msg}}
}

// slugConflict translates a write error, naming the slug on a conflict.
func slugConflict(err error, what, slug string) error {
	err = translate(err, what)
	if content.ErrorCode(err) == content.ECONFLICT {
		return &content.Error{Code: content.ECONFLICT, Message: fmt.Sprintf("%s slug %q is taken.", what, slug), Fields: map[string]string{"slug": "taken"}}
	}
	return err
}
