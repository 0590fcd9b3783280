package store

import (
	"context"
	"encoding/json"
	"fmt"

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
	rows, err := findNamed(db, "ad_placements", "placement", name)
	if err != nil {
		return nil, err
	}
	out := make([]content.Placement, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r.Doc), &out[i]); err != nil {
			return nil, fmt.Errorf("read placement %s: %w", r.Name, err)
		}
		out[i].Name, out[i].Version, out[i].UpdatedAt = r.Name, r.Version, r.UpdatedAt
	}
	return out, nil
}

// ReplacePlacement sets the placement called name to p (checked),
// creating it, once pre holds (the version read; 0: any). Sections and
// media items it names must exist; creatives without an id get one. Its
// schedule boundaries are kept apart so cached pages end on time.
func (s *Store) ReplacePlacement(ctx context.Context, name string, p content.Placement, pre Precondition) (*content.Placement, error) {
	err := s.transactContent(ctx, func(tx *txn) error {
		version, err := nextVersion(tx.DB, "ad_placements", "placement", "Placement", name, pre)
		if err != nil {
			return err
		}
		if gone, err := firstMissing(tx.DB, "categories", "slug", "", p.Sections); err != nil {
			return err
		} else if gone != "" {
			return invalid("Placement", "sections", fmt.Sprintf("no section %q", gone))
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
		p.Name, p.Version, p.UpdatedAt = name, version, tx.now
		if err := saveNamed(tx, "ad_placements", "placement", name, p, version); err != nil {
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
	return s.deleteNamed(ctx, "ad_placements", "Placement", name)
}
