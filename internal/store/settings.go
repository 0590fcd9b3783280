package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// settingsCache keeps the settings as last read, with the content state
// they were read under: any write readers can see, on any replica, makes
// the next read go to the database.
type settingsCache struct {
	mu    sync.Mutex
	state ContentState
	st    *content.Settings
}

// Settings returns the site's settings (empty ones on a fresh install).
// Reader routes ask for them often, so they are kept in memory until a
// write is seen (ContentState). The caller must not change them.
func (s *Store) Settings(ctx context.Context) (*content.Settings, error) {
	cur, err := s.ContentState(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.settings
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st != nil && c.state.Generation == cur.Generation && c.state.epoch == cur.epoch {
		return c.st, nil
	}
	st, err := readSettings(s.conn(ctx))
	if err != nil {
		return nil, err
	}
	c.state, c.st = cur, st
	return st, nil
}

func readSettings(db *gorm.DB) (*content.Settings, error) {
	var rows []struct {
		Settings  string
		Version   int
		UpdatedAt time.Time
	}
	if err := db.Raw(`SELECT settings, version, updated_at FROM site_settings WHERE id = 1`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	st := &content.Settings{Version: 1} // a fresh install's: the environment's
	if len(rows) == 0 {
		return st, nil
	}
	if err := json.Unmarshal([]byte(rows[0].Settings), st); err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	st.Version, st.UpdatedAt = rows[0].Version, rows[0].UpdatedAt.UTC()
	if st.Logo.MediaID != "" {
		// Read with the settings, so every structured-data publisher
		// block has it without a statement of its own.
		var err error
		if st.LogoMedia, err = findMedia(db, `id = ?`, st.Logo.MediaID); content.ErrorCode(err) == content.ENOTFOUND {
			st.LogoMedia = nil
		} else if err != nil {
			return nil, err
		}
	}
	return st, nil
}

// UpdateSettings applies u (checked) to the settings, once pre holds
// (the version read; 0: any). Media items and sections it names must
// exist. Readers' caches see the change at once.
func (s *Store) UpdateSettings(ctx context.Context, u content.SettingsUpdate, pre Precondition) (*content.Settings, error) {
	var st *content.Settings
	err := s.transactContent(ctx, func(tx *txn) error {
		var err error
		if st, err = readSettings(tx.DB); err != nil {
			return err
		}
		if pre != 0 && int(pre) != st.Version {
			return content.Errorf(content.EPRECONDITIONFAILED, "The settings were changed by someone else; reload them and try again.")
		}
		for _, f := range []struct {
			name string
			pic  *content.Picture
		}{{"logo", u.Logo}, {"favicon", u.Favicon}, {"og_image", u.OGImage}} {
			if f.pic == nil || f.pic.MediaID == "" {
				continue
			}
			if _, err := findMedia(tx.DB, `id = ?`, f.pic.MediaID); content.ErrorCode(err) == content.ENOTFOUND {
				return invalid("Settings", f.name+".media_id", fmt.Sprintf("unknown media item %q", f.pic.MediaID))
			} else if err != nil {
				return err
			}
		}
		if u.Newsletter != nil && len(u.Newsletter.Sections) > 0 {
			var n int64
			if err := tx.Raw(`SELECT count(*) FROM categories WHERE slug IN (`+placeholders(len(u.Newsletter.Sections))+`)`,
				anys(u.Newsletter.Sections)...).Scan(&n).Error; err != nil {
				return err
			}
			if int(n) != len(u.Newsletter.Sections) {
				return invalid("Settings", "newsletter.sections", "names a section that does not exist, or one twice")
			}
		}
		u.Apply(st)
		doc, err := json.Marshal(st)
		if err != nil {
			return err
		}
		st.Version, st.UpdatedAt = st.Version+1, tx.now
		return tx.Exec(`INSERT INTO site_settings (id, settings, version, updated_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, version = excluded.version, updated_at = excluded.updated_at`,
			string(doc), st.Version, st.UpdatedAt).Error
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}
