package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// FindPlacements returns every ad placement with all its creatives, by
// name.
func (s *Store) FindPlacements(ctx context.Context) ([]content.Placement, error) {
	return findPlacements(s.conn(ctx), "")
}

// FindPlacement returns the placement called name.
func (s *Store) FindPlacement(ctx context.Context, name string) (*content.Placement, error) {
	list, err := findPlacements(s.conn(ctx), name)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "Placement %q not found.", name)
	}
	return &list[0], nil
}

func findPlacements(db *gorm.DB, name string) ([]content.Placement, error) {
	q, args := `SELECT name, placement, version, updated_at FROM ad_placements`, []any{}
	if name != "" {
		q, args = q+` WHERE name = ?`, append(args, name)
	}
	var rows []struct {
		Name, Placement string
		Version         int
		UpdatedAt       time.Time
	}
	if err := db.Raw(q+` ORDER BY name`, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find placements: %w", err)
	}
	out := make([]content.Placement, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r.Placement), &out[i]); err != nil {
			return nil, fmt.Errorf("read placement %s: %w", r.Name, err)
		}
		out[i].Name, out[i].Version, out[i].UpdatedAt = r.Name, r.Version, r.UpdatedAt.UTC()
	}
	return out, nil
}

// ReplacePlacement sets the placement called name to p (checked),
// creating it, once pre holds (the version read; 0: any). Sections and
// media items it names must exist; creatives without an id get one. Its
// schedule boundaries are kept apart so cached pages end on time.
func (s *Store) ReplacePlacement(ctx context.Context, name string, p content.Placement, pre Precondition) (*content.Placement, error) {
	err := s.transactContent(ctx, func(tx *txn) error {
		old, err := findPlacements(tx.DB, name)
		if err != nil {
			return err
		}
		version := 0
		if len(old) == 1 {
			version = old[0].Version
		}
		if pre != 0 && int(pre) != version {
			return content.Errorf(content.EPRECONDITIONFAILED, "Placement %q was changed by someone else; reload it and try again.", name)
		}
		if len(p.Sections) > 0 {
			sections := slices.Compact(slices.Sorted(slices.Values(p.Sections)))
			var found []string
			if err := tx.Raw(`SELECT slug FROM categories WHERE slug IN (`+placeholders(len(sections))+`)`, anys(sections)...).Scan(&found).Error; err != nil {
				return err
			}
			for _, sec := range sections {
				if !slices.Contains(found, sec) {
					return invalid("Placement", "sections", fmt.Sprintf("no section %q", sec))
				}
			}
		}
		for i := range p.Creatives {
			c := &p.Creatives[i]
			if c.ID == "" {
				c.ID = NewID()
			}
			if c.Image.MediaID != "" {
				if _, err := findMedia(tx.DB, `id = ?`, c.Image.MediaID); content.ErrorCode(err) == content.ENOTFOUND {
					return invalid("Placement", fmt.Sprintf("creatives[%d].image.media_id", i), fmt.Sprintf("unknown media item %q", c.Image.MediaID))
				} else if err != nil {
					return err
				}
			}
		}
		p.Name, p.Version, p.UpdatedAt = name, version+1, tx.now
		doc, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO ad_placements (name, placement, version, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET placement = excluded.placement, version = excluded.version, updated_at = excluded.updated_at`,
			name, string(doc), p.Version, p.UpdatedAt).Error; err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM ad_schedule WHERE placement = ?`, name).Error; err != nil {
			return err
		}
		for _, at := range p.Boundaries() {
			if at.After(tx.now) {
				if err := tx.Exec(`INSERT INTO ad_schedule (placement, at) VALUES (?, ?)`, name, at.UTC()).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// DeletePlacement removes the placement called name.
func (s *Store) DeletePlacement(ctx context.Context, name string) error {
	return s.transactContent(ctx, func(tx *txn) error {
		res := tx.Exec(`DELETE FROM ad_placements WHERE name = ?`, name)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return content.Errorf(content.ENOTFOUND, "Placement %q not found.", name)
		}
		return nil
	})
}
