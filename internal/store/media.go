package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

const mediaColumns = `id, hash, type, ext, width, height, bytes, color, placeholder, alpha, focal_x, focal_y,
	alt, caption, credit, filename, created_by, version, created_at, updated_at`

func scanMedia(rows *sql.Rows) ([]*content.Media, error) {
	defer rows.Close()
	var out []*content.Media
	for rows.Next() {
		m := &content.Media{}
		var alt, caption, credit string
		var createdBy sql.NullString
		if err := rows.Scan(&m.ID, &m.Hash, &m.Type, &m.Ext, &m.Width, &m.Height, &m.Bytes, &m.Color, &m.Placeholder,
			&m.Alpha, &m.FocalX, &m.FocalY, &alt, &caption, &credit, &m.Filename, &createdBy, &m.Version,
			&m.CreatedAt, &m.UpdatedAt); err != nil {
			return nil, fmt.Errorf("scan media: %w", err)
		}
		for _, t := range []struct {
			s  string
			to *content.Texts
		}{{alt, &m.Alt}, {caption, &m.Caption}, {credit, &m.Credit}} {
			if err := json.Unmarshal([]byte(t.s), t.to); err != nil {
				return nil, fmt.Errorf("media %s texts: %w", m.ID, err)
			}
		}
		m.CreatedBy = createdBy.String
		m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

func texts(t content.Texts) string {
	if t == nil {
		return "{}"
	}
	b, _ := json.Marshal(t)
	return string(b)
}

func findMedia(db *gorm.DB, where string, args ...any) (*content.Media, error) {
	rows, err := db.Raw(`SELECT `+mediaColumns+` FROM media WHERE `+where, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find media: %w", err)
	}
	list, err := scanMedia(rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "Media item not found.")
	}
	return list[0], nil
}

// FindMedia returns the media item with id.
func (s *Store) FindMedia(ctx context.Context, id string) (*content.Media, error) {
	return findMedia(s.conn(ctx), `id = ?`, id)
}

// FindMediaByHash returns the item whose original has hash: an upload
// of the same file finds the item already kept.
func (s *Store) FindMediaByHash(ctx context.Context, hash string) (*content.Media, error) {
	return findMedia(s.conn(ctx), `hash = ?`, hash)
}

// CreateMedia stores a new item. Another item with the same hash,
// stored meanwhile, is ECONFLICT.
func (s *Store) CreateMedia(ctx context.Context, m *content.Media) error {
	return s.transact(ctx, func(tx *txn) error {
		m.CreatedAt, m.UpdatedAt, m.Version = tx.now, tx.now, 1
		err := tx.Exec(`INSERT INTO media (`+mediaColumns+`) VALUES (`+placeholders(20)+`)`,
			m.ID, m.Hash, m.Type, m.Ext, m.Width, m.Height, m.Bytes, m.Color, m.Placeholder, m.Alpha, m.FocalX, m.FocalY,
			texts(m.Alt), texts(m.Caption), texts(m.Credit), m.Filename, nullable(m.CreatedBy), m.Version,
			m.CreatedAt, m.UpdatedAt).Error
		return translate(err, "Media item")
	})
}

// ListMedia returns page f.Page of the library, newest first, and how
// many items match.
func (s *Store) ListMedia(ctx context.Context, f content.MediaFilter) ([]*content.Media, int, error) {
	var where []string
	var args []any
	if f.Type != "" {
		where, args = append(where, `type = ?`), append(args, f.Type)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// Captions and credits are short JSON texts: a scan of the
		// library, which editors page through, is fine.
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		where = append(where, `(lower(caption) LIKE ? ESCAPE '\' OR lower(credit) LIKE ? ESCAPE '\' OR lower(alt) LIKE ? ESCAPE '\' OR lower(filename) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like)
	}
	cond := "TRUE"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var total int64
	if err := s.conn(ctx).Raw(`SELECT count(*) FROM media WHERE `+cond, args...).Scan(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count media: %w", err)
	}
	rows, err := s.conn(ctx).Raw(fmt.Sprintf(`SELECT %s FROM media WHERE %s ORDER BY created_at DESC, id DESC LIMIT %d OFFSET %d`,
		mediaColumns, cond, f.Limit, (f.Page-1)*f.Limit), args...).Rows()
	if err != nil {
		return nil, 0, fmt.Errorf("list media: %w", err)
	}
	list, err := scanMedia(rows)
	return list, int(total), err
}

// UpdateMedia applies u to the item with id, at version ifVersion when
// not 0, after check (the rules) approves. Covers show the item's texts
// and focal point, so readers' caches are retired.
func (s *Store) UpdateMedia(ctx context.Context, id string, ifVersion int, u content.MediaUpdate, check func(*content.Media) error) (*content.Media, error) {
	var m *content.Media
	err := s.transactContent(ctx, func(tx *txn) error {
		var err error
		if m, err = findMedia(tx.DB, `id = ?`+s.dialect.lockRow, id); err != nil {
			return err
		}
		if ifVersion != 0 && m.Version != ifVersion {
			return content.Errorf(content.EPRECONDITIONFAILED, "Media item was changed by someone else; reload it and try again.")
		}
		if err := check(m); err != nil {
			return err
		}
		u.Apply(m)
		m.Version++
		m.UpdatedAt = tx.now
		return tx.Exec(`UPDATE media SET alt = ?, caption = ?, credit = ?, focal_x = ?, focal_y = ?, version = ?, updated_at = ?
			WHERE id = ?`, texts(m.Alt), texts(m.Caption), texts(m.Credit), m.FocalX, m.FocalY, m.Version, m.UpdatedAt, m.ID).Error
	})
	return m, err
}

// mediaUses lists where the item id is shown.
func mediaUses(db *gorm.DB, id string) ([]content.MediaUse, error) {
	var rows []struct{ Kind, ID, Title string }
	// Bodies are searched, not indexed: a delete is rare, and a scan of
	// the bodies costs milliseconds at 10,000 articles.
	if err := db.Raw(`SELECT 'article cover' AS kind, id, title FROM articles WHERE cover_media_id = ?
		UNION ALL SELECT 'author photo', id, name FROM authors WHERE avatar_media_id = ?
		UNION ALL SELECT 'article body', id, title FROM articles WHERE body_html LIKE ?`,
		id, id, `%"media:`+id+`"%`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("media uses: %w", err)
	}
	uses := make([]content.MediaUse, len(rows))
	for i, r := range rows {
		uses[i] = content.MediaUse{Kind: r.Kind, ID: r.ID, Title: r.Title}
	}
	slices.SortFunc(uses, func(a, b content.MediaUse) int { return strings.Compare(a.Kind+a.ID, b.Kind+b.ID) })
	return uses, nil
}

// DeleteMedia removes the item with id, after check (the rules) approves
// it with the places it is used; those lose the image. It returns the
// item, whose files the caller deletes once the row is gone.
func (s *Store) DeleteMedia(ctx context.Context, id string, check func(*content.Media, []content.MediaUse) error) (*content.Media, error) {
	var m *content.Media
	err := s.transactContent(ctx, func(tx *txn) error {
		var err error
		if m, err = findMedia(tx.DB, `id = ?`+s.dialect.lockRow, id); err != nil {
			return err
		}
		uses, err := mediaUses(tx.DB, id)
		if err != nil {
			return err
		}
		if err := check(m, uses); err != nil {
			return err
		}
		if len(uses) > 0 {
			if err := tx.Exec(`UPDATE articles SET cover_media_id = NULL, updated_at = ? WHERE cover_media_id = ?`, tx.now, id).Error; err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE authors SET avatar_media_id = NULL, updated_at = ? WHERE avatar_media_id = ?`, tx.now, id).Error; err != nil {
				return err
			}
		}
		return tx.Exec(`DELETE FROM media WHERE id = ?`, id).Error
	})
	return m, err
}

// loadImages fills the covers of articles and the photos of their
// authors that are media items, in one statement.
func loadImages(db *gorm.DB, articles []*content.Article) error {
	var authors []*content.Author
	var ids []string
	for _, a := range articles {
		if a.Cover.MediaID != "" {
			ids = append(ids, a.Cover.MediaID)
		}
		ids = append(ids, content.MediaRefs(a.BodyHTML)...)
		for i := range a.Authors {
			if au := &a.Authors[i]; au.AvatarMediaID != "" {
				ids, authors = append(ids, au.AvatarMediaID), append(authors, au)
			}
		}
	}
	byID, err := mediaByID(db, ids)
	if err != nil {
		return err
	}
	for _, a := range articles {
		if a.Cover.MediaID != "" {
			a.Cover.Media = byID[a.Cover.MediaID]
		}
		if refs := content.MediaRefs(a.BodyHTML); len(refs) > 0 {
			a.BodyMedia = make(map[string]*content.Media, len(refs))
			for _, id := range refs {
				if m := byID[id]; m != nil {
					a.BodyMedia[id] = m
				}
			}
		}
	}
	for _, au := range authors {
		au.Avatar = byID[au.AvatarMediaID]
	}
	return nil
}

// loadAvatars fills the photos of authors that are media items.
func loadAvatars(db *gorm.DB, authors []content.Author) error {
	var ids []string
	for _, a := range authors {
		if a.AvatarMediaID != "" {
			ids = append(ids, a.AvatarMediaID)
		}
	}
	byID, err := mediaByID(db, ids)
	for i := range authors {
		if id := authors[i].AvatarMediaID; id != "" {
			authors[i].Avatar = byID[id]
		}
	}
	return err
}

// mediaByID loads the media items with ids, in one statement.
func mediaByID(db *gorm.DB, ids []string) (map[string]*content.Media, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	rows, err := db.Raw(`SELECT `+mediaColumns+` FROM media WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("load images: %w", err)
	}
	list, err := scanMedia(rows)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*content.Media, len(list))
	for _, m := range list {
		byID[m.ID] = m
	}
	return byID, nil
}

// escapeLike escapes LIKE's wildcards in s (with ESCAPE '\').
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
