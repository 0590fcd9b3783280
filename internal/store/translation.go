package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// loadTranslations reads the other versions of a; the caller tells who
// may see which (content.CanRead).
func loadTranslations(db *gorm.DB, a *content.Article) ([]content.Translation, error) {
	if a.TranslationGroup == "" {
		return nil, nil
	}
	rows, err := db.Raw(`SELECT a.id, a.slug, a.title, a.language, c.slug, a.status, a.published_at, COALESCE(a.created_by, ''), a.created_at
		FROM articles a JOIN categories c ON c.id = a.category_id
		WHERE a.translation_group = ? AND a.id <> ? ORDER BY a.language`, a.TranslationGroup, a.ID).Rows()
	if err != nil {
		return nil, fmt.Errorf("load translations: %w", err)
	}
	defer rows.Close()
	var out []content.Translation
	for rows.Next() {
		var t content.Translation
		var published sql.NullTime
		if err := rows.Scan(&t.ID, &t.Slug, &t.Title, &t.Language, &t.Category, &t.Status, &published, &t.CreatedBy, &t.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan translation: %w", err)
		}
		t.PublishedAt, t.CreatedAt = nullTime(published), t.CreatedAt.UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

// SetTranslations makes the articles ids the other versions of id (an
// editor's act): the group holds exactly id and ids afterwards, and
// versions it held before and not named leave it. An empty ids unlinks
// id alone: the other versions stay linked to each other. The rules are
// content.TranslationSet.
func (s *Store) SetTranslations(ctx context.Context, id string, ids []string) (*content.Article, error) {
	var a *content.Article
	err := s.transactContent(ctx, func(tx *txn) error {
		self, err := s.findArticle(tx.DB, "a.id = ?", id, nil)
		if err != nil {
			return err
		}
		members := map[string]*content.Article{}
		if len(ids) > 0 {
			rows, err := tx.Raw(`SELECT `+summaryColumns+fromArticles+` WHERE a.id IN (`+placeholders(len(ids))+`)`+s.dialect.lockRow, anys(ids)...).Rows()
			if err != nil {
				return fmt.Errorf("load versions: %w", err)
			}
			list, err := scanArticles(rows, false)
			if err != nil {
				return err
			}
			for _, m := range list {
				members[m.ID] = m
			}
		}
		group, err := content.TranslationSet(self, ids, members)
		if err != nil {
			return err
		}
		// Versions of the group (this article's, or the one a named
		// version is in) that are not named leave it.
		if group != "" && len(ids) > 0 {
			keep := append(slices.Clone(ids), id)
			if err := tx.Exec(`UPDATE articles SET translation_group = NULL WHERE translation_group = ? AND id NOT IN (`+placeholders(len(keep))+`)`,
				append([]any{group}, anys(keep)...)...).Error; err != nil {
				return err
			}
		}
		switch {
		case len(ids) == 0:
			if err := tx.Exec(`UPDATE articles SET translation_group = NULL WHERE id = ?`, id).Error; err != nil {
				return err
			}
		default:
			if group == "" {
				group = NewID()
			}
			all := append(slices.Clone(ids), id)
			if err := tx.Exec(`UPDATE articles SET translation_group = ? WHERE id IN (`+placeholders(len(all))+`)`,
				append([]any{group}, anys(all)...)...).Error; err != nil {
				return translate(err, "Translation")
			}
		}
		// A group left with one version is no group.
		if err := tx.Exec(`UPDATE articles SET translation_group = NULL WHERE translation_group IS NOT NULL AND translation_group IN
			(SELECT translation_group FROM articles WHERE translation_group IS NOT NULL GROUP BY translation_group HAVING count(*) = 1)`).Error; err != nil {
			return err
		}
		a, err = s.findArticle(tx.DB, "a.id = ?", id, nil)
		return err
	})
	return a, err
}

// joinTranslation puts the new article a into the group of target
// (content.TranslationOf), making the group when target has none.
func (s *Store) joinTranslation(tx *txn, a *content.Article, target string) error {
	t, err := s.findArticle(tx.DB, "a.id = ?", target, nil)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return invalid("Article", "translation_of", fmt.Sprintf("unknown article %q", target))
	} else if err != nil {
		return err
	}
	var taken []string
	for _, v := range t.Translations {
		taken = append(taken, v.Language)
	}
	if err := content.TranslationOf(a.Language, t, taken); err != nil {
		return err
	}
	group := t.TranslationGroup
	if group == "" {
		group = NewID()
	}
	if err := tx.Exec(`UPDATE articles SET translation_group = ? WHERE id IN (?, ?)`, group, a.ID, t.ID).Error; err != nil {
		return translate(err, "Translation")
	}
	a.TranslationGroup = group
	a.Translations, err = loadTranslations(tx.DB, a)
	return err
}
