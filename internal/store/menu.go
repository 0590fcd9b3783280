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

type menuRow struct {
	Name      string
	Items     string
	Version   int
	UpdatedAt time.Time
}

func (r menuRow) menu() (content.Menu, error) {
	m := content.Menu{Name: r.Name, Version: r.Version, UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Items), &m.Items); err != nil {
		return m, fmt.Errorf("read menu %s: %w", r.Name, err)
	}
	return m, nil
}

// FindMenus returns every menu, by name.
func (s *Store) FindMenus(ctx context.Context) ([]content.Menu, error) {
	return findMenus(s.conn(ctx), "")
}

// FindMenu returns the menu called name.
func (s *Store) FindMenu(ctx context.Context, name string) (*content.Menu, error) {
	menus, err := findMenus(s.conn(ctx), name)
	if err != nil {
		return nil, err
	}
	if len(menus) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "Menu %q not found.", name)
	}
	return &menus[0], nil
}

func findMenus(db *gorm.DB, name string) ([]content.Menu, error) {
	q, args := `SELECT name, items, version, updated_at FROM menus`, []any{}
	if name != "" {
		q, args = q+` WHERE name = ?`, append(args, name)
	}
	var rows []menuRow
	if err := db.Raw(q+` ORDER BY name`, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find menus: %w", err)
	}
	out := make([]content.Menu, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = r.menu(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReplaceMenu sets the items (checked) of the menu called name, creating
// it, once pre holds (the version read; 0: any). Every section, tag,
// author and article it names must exist; an article may be unpublished
// yet (readers do not see its item until it is).
func (s *Store) ReplaceMenu(ctx context.Context, name string, items []content.MenuItem, pre Precondition) (*content.Menu, error) {
	var m *content.Menu
	err := s.transactContent(ctx, func(tx *txn) error {
		menus, err := findMenus(tx.DB, name)
		if err != nil {
			return err
		}
		version := 0
		if len(menus) == 1 {
			version = menus[0].Version
		}
		if pre != 0 && int(pre) != version {
			return content.Errorf(content.EPRECONDITIONFAILED, "Menu %q was changed by someone else; reload it and try again.", name)
		}
		for kind, refs := range content.Refs(items) {
			table, column := map[string]string{content.TargetSection: "categories", content.TargetTag: "tags",
				content.TargetAuthor: "authors", content.TargetArticle: "articles", content.TargetPage: "pages"}[kind], "slug"
			if kind == content.TargetArticle {
				column = "id"
			}
			refs = slices.Compact(slices.Sorted(slices.Values(refs)))
			var found []string
			if err := tx.Raw(`SELECT `+column+` FROM `+table+` WHERE `+column+` IN (`+placeholders(len(refs))+`)`, anys(refs)...).Scan(&found).Error; err != nil {
				return err
			}
			for _, r := range refs {
				if !slices.Contains(found, r) {
					return invalid("Menu", "items", fmt.Sprintf("no %s %q", kind, r))
				}
			}
		}
		doc, err := json.Marshal(items)
		if err != nil {
			return err
		}
		m = &content.Menu{Name: name, Items: items, Version: version + 1, UpdatedAt: tx.now}
		return tx.Exec(`INSERT INTO menus (name, items, version, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET items = excluded.items, version = excluded.version, updated_at = excluded.updated_at`,
			name, string(doc), m.Version, m.UpdatedAt).Error
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// DeleteMenu removes the menu called name.
func (s *Store) DeleteMenu(ctx context.Context, name string) error {
	return s.transactContent(ctx, func(tx *txn) error {
		res := tx.Exec(`DELETE FROM menus WHERE name = ?`, name)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return content.Errorf(content.ENOTFOUND, "Menu %q not found.", name)
		}
		return nil
	})
}

// MenuTargets are the content menus point at, as readers can reach it
// now: the slugs of sections, tags and authors that exist, and the
// visible articles by id.
type MenuTargets struct {
	Slugs    map[string]bool // kind + ":" + slug
	Articles map[string]*content.Article
}

// FindMenuTargets resolves what refs (content.Refs) name, one statement
// per kind of target.
func (s *Store) FindMenuTargets(ctx context.Context, refs map[string][]string) (MenuTargets, error) {
	out := MenuTargets{Slugs: map[string]bool{}, Articles: map[string]*content.Article{}}
	db := s.conn(ctx)
	for kind, list := range refs {
		list = slices.Compact(slices.Sorted(slices.Values(list)))
		if kind == content.TargetArticle {
			var rows []struct{ ID, Slug, Language, Category string }
			if err := db.Raw(`SELECT a.id, a.slug, a.language, c.slug AS category`+fromArticles+` WHERE a.id IN (`+placeholders(len(list))+`) AND `+visible,
				append(anys(list), s.now())...).Scan(&rows).Error; err != nil {
				return out, fmt.Errorf("menu articles: %w", err)
			}
			for _, r := range rows {
				out.Articles[r.ID] = &content.Article{ID: r.ID, Slug: r.Slug, Language: r.Language, Category: content.Category{Slug: r.Category}}
			}
			continue
		}
		table, published := map[string]string{content.TargetSection: "categories", content.TargetTag: "tags", content.TargetAuthor: "authors",
			content.TargetPage: "pages"}[kind], ""
		if kind == content.TargetPage {
			published = " AND published = TRUE"
		}
		var found []string
		if err := db.Raw(`SELECT slug FROM `+table+` WHERE slug IN (`+placeholders(len(list))+`)`+published, anys(list)...).Scan(&found).Error; err != nil {
			return out, fmt.Errorf("menu %ss: %w", kind, err)
		}
		for _, slug := range found {
			out.Slugs[kind+":"+slug] = true
		}
	}
	return out, nil
}
