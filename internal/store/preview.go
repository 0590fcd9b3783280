package store

import (
	"context"
	"fmt"
	"time"

	"github.com/masthead/masthead/internal/content"
)

// CreatePreview issues a preview link to the article id lasting ttl, as
// who asks (content.CanEdit: writers for their own stories), kept by the
// hash of its token: the token itself is never stored.
func (s *Store) CreatePreview(ctx context.Context, id, hash string, ttl time.Duration, who content.Actor) (*content.Preview, error) {
	var p *content.Preview
	err := s.transact(ctx, func(tx *txn) error {
		a, err := s.findArticle(tx.DB, "a.id = ?", id, nil)
		if err != nil {
			return err
		}
		if err := content.CanEdit(who, a); err != nil {
			return err
		}
		p = &content.Preview{ID: hash, ArticleID: a.ID, CreatedBy: who.UserID, CreatedAt: tx.now, ExpiresAt: tx.now.Add(ttl)}
		return tx.Exec(`INSERT INTO article_previews (id, article_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			p.ID, p.ArticleID, nullable(p.CreatedBy), p.CreatedAt, p.ExpiresAt).Error
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// RevokePreviews ends every preview link of the article id at once, as
// who asks (content.CanEdit), and reports how many were live.
func (s *Store) RevokePreviews(ctx context.Context, id string, who content.Actor) (int, error) {
	var n int64
	err := s.transact(ctx, func(tx *txn) error {
		a, err := s.findArticle(tx.DB, "a.id = ?", id, nil)
		if err != nil {
			return err
		}
		if err := content.CanEdit(who, a); err != nil {
			return err
		}
		res := tx.Exec(`UPDATE article_previews SET revoked_at = ? WHERE article_id = ? AND revoked_at IS NULL AND expires_at > ?`, tx.now, a.ID, tx.now)
		n = res.RowsAffected
		return res.Error
	})
	return int(n), err
}

// FindPreview returns the preview link whose token hashes to hash, or
// nil when there is none (never issued, or altered).
func (s *Store) FindPreview(ctx context.Context, hash string) (*content.Preview, error) {
	var rows []struct {
		ID, ArticleID        string
		CreatedBy            *string
		CreatedAt, ExpiresAt time.Time
		RevokedAt            *time.Time
	}
	if err := s.conn(ctx).Raw(`SELECT id, article_id, created_by, created_at, expires_at, revoked_at FROM article_previews WHERE id = ?`,
		hash).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find preview: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0]
	p := &content.Preview{ID: r.ID, ArticleID: r.ArticleID, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), RevokedAt: r.RevokedAt}
	if r.CreatedBy != nil {
		p.CreatedBy = *r.CreatedBy
	}
	return p, nil
}
