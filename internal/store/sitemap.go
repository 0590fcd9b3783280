package store

import (
	"context"
	"fmt"
	"time"

	"github.com/masthead/masthead/internal/content"
)

// Sitemaps read only what a URL entry needs, and stream it: a page of
// 50,000 entries never sits in memory as articles.

// SitemapEntry is one article of a sitemap.
type SitemapEntry struct {
	ID, Slug, Category, Language, Title string
	PublishedAt, UpdatedAt              time.Time
}

// SitemapStats counts reader-visible articles and tells when the last of
// them changed (zero when there are none).
func (s *Store) SitemapStats(ctx context.Context) (count int, lastmod time.Time, err error) {
	now := s.now()
	var lastmodAny nullTimeAny
	err = s.conn(ctx).Raw(`SELECT (SELECT count(*) FROM articles a WHERE `+visible+`) AS n,
		(SELECT a.updated_at FROM articles a WHERE `+visible+` ORDER BY a.updated_at DESC, a.id DESC LIMIT 1) AS lastmod`,
		now, now).Row().Scan(&count, &lastmodAny)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("sitemap stats: %w", err)
	}
	return count, lastmodAny.Time, nil
}

// EachSitemapArticle streams reader-visible articles oldest first,
// skipping offset and stopping after limit, so sitemap page k keeps its
// articles as new ones are published.
func (s *Store) EachSitemapArticle(ctx context.Context, offset, limit int, fn func(*SitemapEntry) error) error {
	rows, err := s.conn(ctx).Raw(`SELECT a.id, a.slug, c.slug, a.language, a.updated_at`+fromArticles+
		` WHERE `+visible+` ORDER BY a.published_at, a.id LIMIT ? OFFSET ?`, s.now(), limit, offset).Rows()
	if err != nil {
		return fmt.Errorf("sitemap articles: %w", err)
	}
	defer rows.Close()
	var e SitemapEntry
	for rows.Next() {
		if err := rows.Scan(&e.ID, &e.Slug, &e.Category, &e.Language, &e.UpdatedAt); err != nil {
			return fmt.Errorf("sitemap articles: %w", err)
		}
		e.UpdatedAt = e.UpdatedAt.UTC()
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// NewsSitemap returns up to limit reader-visible articles published
// since, newest first, for a news sitemap.
func (s *Store) NewsSitemap(ctx context.Context, since time.Time, limit int) ([]SitemapEntry, error) {
	now := s.now()
	rows, err := s.conn(ctx).Raw(`SELECT a.id, a.slug, c.slug, a.language, a.title, a.published_at, a.updated_at`+fromArticles+
		` WHERE `+visible+` AND a.published_at >= ? ORDER BY a.published_at DESC, a.id DESC LIMIT ?`, now, since.UTC(), limit).Rows()
	if err != nil {
		return nil, fmt.Errorf("news sitemap: %w", err)
	}
	defer rows.Close()
	var out []SitemapEntry
	for rows.Next() {
		var e SitemapEntry
		if err := rows.Scan(&e.ID, &e.Slug, &e.Category, &e.Language, &e.Title, &e.PublishedAt, &e.UpdatedAt); err != nil {
			return nil, fmt.Errorf("news sitemap: %w", err)
		}
		e.PublishedAt, e.UpdatedAt = e.PublishedAt.UTC(), e.UpdatedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// TermLastmod is a section or author page with the time of its newest
// reader-visible article.
type TermLastmod struct {
	Slug    string
	Lastmod time.Time
}

// SitemapSections returns every section that has a reader-visible
// article, with the newest one's publication time: one index probe each.
func (s *Store) SitemapSections(ctx context.Context) ([]TermLastmod, error) {
	return s.termLastmods(ctx, `SELECT c.slug, (SELECT a.published_at FROM articles a WHERE a.category_id = c.id AND `+visible+`
		ORDER BY a.published_at DESC LIMIT 1) AS lastmod FROM categories c ORDER BY c.position, c.slug`)
}

// SitemapAuthors is SitemapSections for authors.
func (s *Store) SitemapAuthors(ctx context.Context) ([]TermLastmod, error) {
	return s.termLastmods(ctx, `SELECT au.slug, (SELECT max(a.published_at) FROM article_authors aa JOIN articles a ON a.id = aa.article_id
		WHERE aa.author_id = au.id AND `+visible+`) AS lastmod FROM authors au ORDER BY au.slug LIMIT 50000`)
}

func (s *Store) termLastmods(ctx context.Context, q string) ([]TermLastmod, error) {
	rows, err := s.conn(ctx).Raw(q, s.now()).Rows()
	if err != nil {
		return nil, fmt.Errorf("sitemap terms: %w", err)
	}
	defer rows.Close()
	var out []TermLastmod
	for rows.Next() {
		var slug string
		var lastmod nullTimeAny
		if err := rows.Scan(&slug, &lastmod); err != nil {
			return nil, fmt.Errorf("sitemap terms: %w", err)
		}
		if lastmod.Valid {
			out = append(out, TermLastmod{Slug: slug, Lastmod: lastmod.Time.UTC()})
		}
	}
	return out, rows.Err()
}

// FeedArticles is FindArticles for a feed: the newest reader-visible
// articles with their bodies.
func (s *Store) FeedArticles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, error) {
	f.Statuses, f.Page, f.Cursor, f.WithBody, f.Sort = nil, 0, nil, true, content.SortNewest
	page, err := s.FindArticles(ctx, f)
	if err != nil {
		return nil, err
	}
	return page.Articles, nil
}
