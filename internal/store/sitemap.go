package store

import (
	"context"
	"database/sql"
	"errors"
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
	// Cover is the cover image (news sitemap only): a media item, or
	// an external URL.
	Cover content.Cover
	// Versions are every reader-visible version of a story told in
	// several languages, this one included (article sitemaps only).
	Versions []SitemapEntry
}

// SitemapMonth is one calendar month (UTC) of reader-visible articles.
type SitemapMonth struct {
	Month time.Time // first instant of the month
	Count int
}

// SitemapMonths counts reader-visible articles per month of publication,
// oldest first. It walks the published-time index from month to month
// that has articles: one statement per such month counts it over its own
// index range and finds the next article after it, so the cost follows
// the months that hold articles, never the span of years between them
// (an archive imported from 1950 costs no more than one from 2020).
func (s *Store) SitemapMonths(ctx context.Context) ([]SitemapMonth, error) {
	now := s.now()
	var first nullTimeAny
	err := s.conn(ctx).Raw(`SELECT a.published_at FROM articles a WHERE `+visible+` ORDER BY a.published_at LIMIT 1`, now).Row().Scan(&first)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sitemap months: %w", err)
	}
	var out []SitemapMonth
	for next := first; next.Valid; {
		m := time.Date(next.Time.Year(), next.Time.Month(), 1, 0, 0, 0, 0, time.UTC)
		end := m.AddDate(0, 1, 0)
		var n int
		err := s.conn(ctx).Raw(`SELECT (SELECT count(*) FROM articles a WHERE `+visible+` AND a.published_at >= ? AND a.published_at < ?),
			(SELECT a.published_at FROM articles a WHERE `+visible+` AND a.published_at >= ? ORDER BY a.published_at LIMIT 1)`,
			now, m, end, now, end).Row().Scan(&n, &next)
		if err != nil {
			return nil, fmt.Errorf("sitemap months: %w", err)
		}
		if n > 0 {
			out = append(out, SitemapMonth{Month: m, Count: n})
		}
	}
	return out, nil
}

// EachSitemapArticle streams the reader-visible articles published in
// [from, to), oldest first, skipping offset and stopping after limit: a
// range of the published-time index, so any page costs about the same.
func (s *Store) EachSitemapArticle(ctx context.Context, from, to time.Time, offset, limit int, fn func(*SitemapEntry) error) error {
	now := s.now()
	versions, err := s.sitemapVersions(ctx, from, to, now)
	if err != nil {
		return err
	}
	rows, err := s.conn(ctx).Raw(`SELECT a.id, a.slug, c.slug, a.language, a.updated_at, COALESCE(a.translation_group, '')`+fromArticles+
		` WHERE `+visible+` AND a.published_at >= ? AND a.published_at < ? ORDER BY a.published_at, a.id LIMIT ? OFFSET ?`,
		now, from.UTC(), to.UTC(), limit, offset).Rows()
	if err != nil {
		return fmt.Errorf("sitemap articles: %w", err)
	}
	defer rows.Close()
	var e SitemapEntry
	var group string
	for rows.Next() {
		if err := rows.Scan(&e.ID, &e.Slug, &e.Category, &e.Language, &e.UpdatedAt, &group); err != nil {
			return fmt.Errorf("sitemap articles: %w", err)
		}
		e.UpdatedAt, e.Versions = e.UpdatedAt.UTC(), nil
		if v := versions[group]; len(v) > 1 {
			e.Versions = v
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sitemapVersions reads, by translation group, the visible versions of
// the stories published in [from, to) that have any: one statement per
// sitemap file, however many entries link alternates.
func (s *Store) sitemapVersions(ctx context.Context, from, to, now time.Time) (map[string][]SitemapEntry, error) {
	rows, err := s.conn(ctx).Raw(`SELECT a.translation_group, a.id, a.slug, c.slug, a.language`+fromArticles+
		` WHERE `+visible+` AND a.translation_group IN (SELECT g.translation_group FROM articles g WHERE g.translation_group IS NOT NULL
			AND g.status IN ('published', 'scheduled') AND g.published_at <= ? AND g.published_at >= ? AND g.published_at < ?)
		ORDER BY a.language`, now, now, from.UTC(), to.UTC()).Rows()
	if err != nil {
		return nil, fmt.Errorf("sitemap versions: %w", err)
	}
	defer rows.Close()
	out := map[string][]SitemapEntry{}
	for rows.Next() {
		var group string
		var e SitemapEntry
		if err := rows.Scan(&group, &e.ID, &e.Slug, &e.Category, &e.Language); err != nil {
			return nil, fmt.Errorf("sitemap versions: %w", err)
		}
		out[group] = append(out[group], e)
	}
	return out, rows.Err()
}

// NewsSitemap returns up to limit reader-visible articles published
// since, newest first, for a news sitemap.
func (s *Store) NewsSitemap(ctx context.Context, since time.Time, limit int) ([]SitemapEntry, error) {
	now := s.now()
	rows, err := s.conn(ctx).Raw(`SELECT a.id, a.slug, c.slug, a.language, a.title, a.published_at, a.updated_at,
		a.cover_url, COALESCE(a.cover_media_id, '')`+fromArticles+
		` WHERE `+visible+` AND a.published_at >= ? ORDER BY a.published_at DESC, a.id DESC LIMIT ?`, now, since.UTC(), limit).Rows()
	if err != nil {
		return nil, fmt.Errorf("news sitemap: %w", err)
	}
	defer rows.Close()
	var out []SitemapEntry
	for rows.Next() {
		var e SitemapEntry
		if err := rows.Scan(&e.ID, &e.Slug, &e.Category, &e.Language, &e.Title, &e.PublishedAt, &e.UpdatedAt,
			&e.Cover.URL, &e.Cover.MediaID); err != nil {
			return nil, fmt.Errorf("news sitemap: %w", err)
		}
		e.PublishedAt, e.UpdatedAt = e.PublishedAt.UTC(), e.UpdatedAt.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("news sitemap: %w", err)
	}
	var ids []string
	for _, e := range out {
		if e.Cover.MediaID != "" {
			ids = append(ids, e.Cover.MediaID)
		}
	}
	byID, err := mediaByID(s.conn(ctx), ids)
	for i := range out {
		out[i].Cover.Media = byID[out[i].Cover.MediaID]
	}
	return out, err
}

// TermLastmod is a section or author page with the time of its newest
// reader-visible article (zero when not known).
type TermLastmod struct {
	Slug    string
	Lastmod time.Time
}

// SitemapSections returns every section that has a reader-visible
// article, with the newest one's publication time: one index probe each.
func (s *Store) SitemapSections(ctx context.Context) ([]TermLastmod, error) {
	return s.termLastmods(ctx, `SELECT slug, lastmod FROM (SELECT c.slug, c.position,
		(SELECT a.published_at FROM articles a WHERE a.category_id = c.id AND `+visible+`
		ORDER BY a.published_at DESC LIMIT 1) AS lastmod FROM categories c) t
		WHERE lastmod IS NOT NULL ORDER BY position, slug`, s.now())
}

// authorWindow is how many of the newest articles the author sitemap
// reads to date its entries; an author with nothing among them is
// listed without lastmod.
const authorWindow = 20_000

// SitemapAuthors returns every author with a reader-visible article.
// Finding each one's newest article exactly would read all of their
// articles; instead the newest authorWindow articles are read once, and
// an author found there gets that article's time as lastmod.
func (s *Store) SitemapAuthors(ctx context.Context) ([]TermLastmod, error) {
	now := s.now()
	return s.termLastmods(ctx, `SELECT au.slug, r.lastmod FROM authors au
		LEFT JOIN (SELECT aa.author_id, max(a.published_at) AS lastmod
			FROM (SELECT a.id, a.published_at FROM articles a WHERE `+visible+` ORDER BY a.published_at DESC LIMIT ?) a
			JOIN article_authors aa ON aa.article_id = a.id GROUP BY aa.author_id) r ON r.author_id = au.id
		WHERE EXISTS (SELECT 1 FROM article_authors aa JOIN articles a ON a.id = aa.article_id WHERE aa.author_id = au.id AND `+visible+`)
		ORDER BY au.slug LIMIT 50000`, now, authorWindow, now)
}

func (s *Store) termLastmods(ctx context.Context, q string, args ...any) ([]TermLastmod, error) {
	rows, err := s.conn(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("sitemap terms: %w", err)
	}
	defer rows.Close()
	var out []TermLastmod
	for rows.Next() {
		var t TermLastmod
		var lastmod nullTimeAny
		if err := rows.Scan(&t.Slug, &lastmod); err != nil {
			return nil, fmt.Errorf("sitemap terms: %w", err)
		}
		t.Lastmod = lastmod.Time // zero when unknown
		out = append(out, t)
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
