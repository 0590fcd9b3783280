package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

const pageColumns = `id, slug, language, direction, title, body, body_format, body_html, published, version, created_at, updated_at, published_at`

// FindPages returns the pages, by slug: published ones only when public.
func (s *Store) FindPages(ctx context.Context, public bool) ([]content.Page, error) {
	q := `SELECT ` + pageColumns + ` FROM pages`
	if public {
		q += ` WHERE published = TRUE`
	}
	var out []content.Page
	if err := s.conn(ctx).Raw(q + ` ORDER BY slug`).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("find pages: %w", err)
	}
	return utcPages(out), nil
}

// FindPage returns the page with slug or id ref; a draft is not found
// when public.
func (s *Store) FindPage(ctx context.Context, ref string, public bool) (*content.Page, error) {
	return findPage(s.conn(ctx), ref, public)
}

func findPage(db *gorm.DB, ref string, public bool) (*content.Page, error) {
	q := `SELECT ` + pageColumns + ` FROM pages WHERE (id = ? OR slug = ?)`
	if public {
		q += ` AND published = TRUE`
	}
	var rows []content.Page
	if err := db.Raw(q, ref, content.NormalizeSlug(ref)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find page: %w", err)
	}
	if len(rows) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "Page %q not found.", ref)
	}
	return &utcPages(rows)[0], nil
}

func utcPages(pages []content.Page) []content.Page {
	for i := range pages {
		p := &pages[i]
		p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		if p.PublishedAt != nil {
			t := p.PublishedAt.UTC()
			p.PublishedAt = &t
		}
	}
	return pages
}

// SavePage applies u (checked) to the page ref, or creates one when ref
// is "", once pre holds. A slug in use is a conflict.
func (s *Store) SavePage(ctx context.Context, ref string, u content.PageUpdate, pre Precondition) (*content.Page, error) {
	var pg *content.Page
	err := s.transactContent(ctx, func(tx *txn) error {
		if ref == "" {
			pg = &content.Page{ID: NewID(), CreatedAt: tx.now}
		} else {
			var err error
			if pg, err = findPage(tx.DB, ref, false); err != nil {
				return err
			}
			if pre != 0 && int(pre) != pg.Version {
				return content.Errorf(content.EPRECONDITIONFAILED, "Page %q was changed by someone else; reload it and try again.", ref)
			}
		}
		u.Apply(pg, tx.now)
		if pg.Slug == "" {
			return invalid("Page", "slug", "required: the title gives none")
		}
		pg.Version, pg.UpdatedAt = pg.Version+1, tx.now
		var err error
		if pg.Version == 1 {
			err = tx.Exec(`INSERT INTO pages (`+pageColumns+`) VALUES (`+placeholders(13)+`)`, pg.ID, pg.Slug, pg.Language, pg.Direction,
				pg.Title, pg.Body, pg.BodyFormat, pg.BodyHTML, pg.Published, pg.Version, pg.CreatedAt, pg.UpdatedAt, pg.PublishedAt).Error
		} else {
			err = tx.Exec(`UPDATE pages SET slug = ?, language = ?, direction = ?, title = ?, body = ?, body_format = ?, body_html = ?,
				published = ?, version = ?, updated_at = ?, published_at = ? WHERE id = ?`, pg.Slug, pg.Language, pg.Direction, pg.Title,
				pg.Body, pg.BodyFormat, pg.BodyHTML, pg.Published, pg.Version, pg.UpdatedAt, pg.PublishedAt, pg.ID).Error
		}
		return translate(err, "Page")
	})
	if err != nil {
		return nil, err
	}
	return pg, nil
}

// DeletePage removes the page ref.
func (s *Store) DeletePage(ctx context.Context, ref string) error {
	return s.transactContent(ctx, func(tx *txn) error {
		pg, err := findPage(tx.DB, ref, false)
		if err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM pages WHERE id = ?`, pg.ID).Error
	})
}
