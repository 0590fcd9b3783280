package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// menuTables names the table and column each kind of target is found by.
var menuTables = map[string][2]string{
	content.TargetSection: {"categories", "slug"}, content.TargetTag: {"tags", "slug"}, content.TargetAuthor: {"authors", "slug"},
	content.TargetArticle: {"articles", "id"}, content.TargetPage: {"pages", "slug"},
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
	rows, err := findNamed(db, "menus", "items", name)
	if err != nil {
		return nil, err
	}
	out := make([]content.Menu, len(rows))
	for i, r := range rows {
		out[i] = content.Menu{Name: r.Name, Version: r.Version, UpdatedAt: r.UpdatedAt}
		if err := json.Unmarshal([]byte(r.Doc), &out[i].Items); err != nil {
			return nil, fmt.Errorf("read menu %s: %w", r.Name, err)
		}
	}
	return out, nil
}

// ReplaceMenu sets the items (checked) of the menu called name, creating
// it, once pre holds (the version read; 0: any). Every section, tag,
// author, page and article it names must exist; an article or page may
// be unpublished yet (readers do not see its item until it is).
func (s *Store) ReplaceMenu(ctx context.Context, name string, items []content.MenuItem, pre Precondition) (*content.Menu, error) {
	var m *content.Menu
	err := s.transactContent(ctx, func(tx *txn) error {
		version, err := nextVersion(tx.DB, "menus", "items", "Menu", name, pre)
		if err != nil {
			return err
		}
		for kind, refs := range content.Refs(items) {
			t := menuTables[kind]
			if gone, err := firstMissing(tx.DB, t[0], t[1], "", refs); err != nil {
				return err
			} else if gone != "" {
				return invalid("Menu", "items", fmt.Sprintf("no %s %q", kind, gone))
			}
		}
		m = &content.Menu{Name: name, Items: items, Version: version, UpdatedAt: tx.now}
		return saveNamed(tx, "menus", "items", name, items, version)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// DeleteMenu removes the menu called name.
func (s *Store) DeleteMenu(ctx context.Context, name string) error {
	return s.deleteNamed(ctx, "menus", "Menu", name)
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
		published := ""
		if kind == content.TargetPage {
			published = " AND published = TRUE"
		}
		var found []string
		if err := db.Raw(`SELECT slug FROM `+menuTables[kind][0]+` WHERE slug IN (`+placeholders(len(list))+`)`+published, anys(list)...).Scan(&found).Error; err != nil {
			return out, fmt.Errorf("menu %ss: %w", kind, err)
		}
		for _, slug := range found {
			out.Slugs[kind+":"+slug] = true
		}
	}
	return out, nil
}
