package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/masthead/masthead/internal/content"
)

// hourlyRetention is how long hourly buckets are kept before they are
// rolled up into days.
const hourlyRetention = 48 * time.Hour

// AddViews adds counts to the hourly buckets and the articles' totals in
// one transaction: an upsert that adds, so concurrent flushes from several
// replicas sum up. Counts for articles deleted since are dropped.
func (s *Store) AddViews(ctx context.Context, counts []content.ViewCount) error {
	if len(counts) == 0 {
		return nil
	}
	return s.transact(ctx, func(tx *txn) error {
		ids := make([]any, 0, len(counts))
		seen := map[string]bool{}
		for _, c := range counts {
			if !seen[c.ArticleID] {
				seen[c.ArticleID] = true
				ids = append(ids, c.ArticleID)
			}
		}
		var existing []string
		for start := 0; start < len(ids); start += 500 {
			batch := ids[start:min(start+500, len(ids))]
			var found []string
			if err := tx.Raw(`SELECT id FROM articles WHERE id IN (`+placeholders(len(batch))+`)`, batch...).Scan(&found).Error; err != nil {
				return fmt.Errorf("check viewed articles: %w", err)
			}
			existing = append(existing, found...)
		}
		live := make(map[string]bool, len(existing))
		for _, id := range existing {
			live[id] = true
		}
		totals := map[string]int64{}
		var rows []content.ViewCount
		for _, c := range counts {
			if live[c.ArticleID] && c.Views > 0 {
				rows = append(rows, c)
				totals[c.ArticleID] += c.Views
			}
		}
		for start := 0; start < len(rows); start += 300 {
			batch := rows[start:min(start+300, len(rows))]
			values := make([]string, len(batch))
			args := make([]any, 0, 3*len(batch))
			for i, c := range batch {
				values[i] = "(?, ?, ?)"
				args = append(args, c.ArticleID, c.Hour.UTC().Truncate(time.Hour), c.Views)
			}
			err := tx.Exec(`INSERT INTO article_views_hourly (article_id, bucket, views) VALUES `+strings.Join(values, ", ")+`
				ON CONFLICT (article_id, bucket) DO UPDATE SET views = article_views_hourly.views + excluded.views`, args...).Error
			if err != nil {
				return fmt.Errorf("add views: %w", err)
			}
		}
		for id, n := range totals {
			if err := tx.Exec(`UPDATE articles SET view_count = view_count + ? WHERE id = ?`, n, id).Error; err != nil {
				return fmt.Errorf("add view total: %w", err)
			}
		}
		return nil
	})
}

// RollUpViews moves hourly buckets older than 48 hours into daily ones, so
// the bucket tables stay small: about 48 rows plus one a day per article.
func (s *Store) RollUpViews(ctx context.Context) error {
	cutoff := s.now().Truncate(time.Hour).Add(-hourlyRetention)
	return s.transact(ctx, func(tx *txn) error {
		var rows []struct {
			ArticleID string
			Bucket    time.Time
			Views     int64
		}
		if err := tx.Raw(`SELECT article_id, bucket, views FROM article_views_hourly WHERE bucket < ?`, cutoff).Scan(&rows).Error; err != nil {
			return fmt.Errorf("read old hours: %w", err)
		}
		days := map[[2]string]int64{}
		for _, r := range rows {
			day := r.Bucket.UTC().Truncate(24 * time.Hour).Format(time.RFC3339)
			days[[2]string{r.ArticleID, day}] += r.Views
		}
		for k, n := range days {
			day, _ := time.Parse(time.RFC3339, k[1])
			err := tx.Exec(`INSERT INTO article_views_daily (article_id, bucket, views) VALUES (?, ?, ?)
				ON CONFLICT (article_id, bucket) DO UPDATE SET views = article_views_daily.views + excluded.views`, k[0], day, n).Error
			if err != nil {
				return fmt.Errorf("roll up views: %w", err)
			}
		}
		return tx.Exec(`DELETE FROM article_views_hourly WHERE bucket < ?`, cutoff).Error
	})
}

// trendingDecay is the weight an hour's reads lose per hour of age in
// the trending score: 2^(-1/4), so they halve every 4 hours.
const trendingDecay = 0.8408964152537145

// RefreshPopularity recomputes each article's window sums and trending
// score from the buckets, replacing the table in one transaction.
//
// Windows are aligned to buckets: 1h is the current and the previous
// hour, 24h the last 24 hourly buckets, 7d and 30d whole days back plus
// the hours kept. Trending weights each hourly bucket of the last 48
// hours by 2^(-age/4h), so what is rising now outranks yesterday's peak.
func (s *Store) RefreshPopularity(ctx context.Context) error {
	hour := s.now().Truncate(time.Hour)
	day := hour.Truncate(24 * time.Hour)
	var trend strings.Builder
	var trendArgs []any
	trend.WriteString("CASE")
	for h := 0; h < 48; h++ {
		trend.WriteString(" WHEN hourly = 1 AND bucket >= ? THEN views * CAST(? AS DOUBLE PRECISION)")
		weight := 1.0
		for range h {
			weight *= trendingDecay
		}
		trendArgs = append(trendArgs, hour.Add(-time.Duration(h)*time.Hour), weight)
	}
	trend.WriteString(" ELSE 0 END")
	args := []any{hour.Add(-time.Hour), hour.Add(-23 * time.Hour), day.Add(-7 * 24 * time.Hour), day.Add(-30 * 24 * time.Hour)}
	args = append(args, trendArgs...)
	args = append(args, day.Add(-30*24*time.Hour), day.Add(-30*24*time.Hour))
	return s.transact(ctx, func(tx *txn) error {
		if err := tx.Exec(`DELETE FROM article_popularity`).Error; err != nil {
			return fmt.Errorf("clear popularity: %w", err)
		}
		err := tx.Exec(`INSERT INTO article_popularity (article_id, views_1h, views_24h, views_7d, views_30d, trending)
			SELECT article_id,
				SUM(CASE WHEN hourly = 1 AND bucket >= ? THEN views ELSE 0 END),
				SUM(CASE WHEN hourly = 1 AND bucket >= ? THEN views ELSE 0 END),
				SUM(CASE WHEN bucket >= ? THEN views ELSE 0 END),
				SUM(CASE WHEN bucket >= ? THEN views ELSE 0 END),
				SUM(`+trend.String()+`)
			FROM (SELECT article_id, bucket, views, 1 AS hourly FROM article_views_hourly WHERE bucket >= ?
				UNION ALL
				SELECT article_id, bucket, views, 0 AS hourly FROM article_views_daily WHERE bucket >= ?) v
			GROUP BY article_id`, args...).Error
		if err != nil {
			return fmt.Errorf("refresh popularity: %w", err)
		}
		return nil
	})
}

// popularOrder maps a window to the column that ranks it; every one has
// an index.
var popularOrder = map[content.Window]string{
	content.Window1h: "p.views_1h", content.Window24h: "p.views_24h", content.Window7d: "p.views_7d",
	content.Window30d: "p.views_30d", content.WindowTrending: "p.trending",
}

// FindPopular returns the most read visible articles in f's window, most
// read first (ties: newer first), as summaries with their view counts.
func (s *Store) FindPopular(ctx context.Context, f content.PopularFilter) ([]*content.Article, error) {
	where := []string{visible}
	args := []any{s.now()}
	if f.Category != "" {
		where = append(where, inSection)
		args = append(args, f.Category, f.Category)
	}
	if f.Language != "" {
		where = append(where, "a.language = ?")
		args = append(args, f.Language)
	}
	if f.Exclude != "" {
		where = append(where, "a.id <> ?")
		args = append(args, f.Exclude)
	}
	var q string
	if col, ok := popularOrder[f.Window]; ok {
		// CROSS JOIN makes SQLite walk the window's index and stop at the
		// limit, instead of sorting every visible article; PostgreSQL
		// plans it as a plain join.
		q = "SELECT " + summaryColumns + " FROM article_popularity p CROSS JOIN articles a" +
			" JOIN categories c ON c.id = a.category_id WHERE a.id = p.article_id AND " + col + " > 0 AND " + strings.Join(where, " AND ") +
			" ORDER BY " + col + " DESC, a.published_at DESC, a.id DESC LIMIT ?"
	} else { // all time
		q = "SELECT " + summaryColumns + fromArticles + " WHERE a.view_count > 0 AND " + strings.Join(where, " AND ") +
			" ORDER BY a.view_count DESC, a.published_at DESC, a.id DESC LIMIT ?"
	}
	rows, err := s.conn(ctx).Raw(q, append(args, f.Limit)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find popular: %w", err)
	}
	list, err := scanArticles(rows, false)
	if err != nil {
		return nil, fmt.Errorf("find popular: %w", err)
	}
	if err := loadBylines(s.conn(ctx), list, s.now()); err != nil {
		return nil, err
	}
	return list, nil
}

// ArticleVisible reports whether readers may see the article id now.
func (s *Store) ArticleVisible(ctx context.Context, id string) (bool, error) {
	var n int64
	if err := s.conn(ctx).Raw(`SELECT count(*) FROM articles a WHERE a.id = ? AND `+visible, id, s.now()).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("check article: %w", err)
	}
	return n > 0, nil
}
