-- +goose Up
-- Reads, counted in time buckets: hourly for the last 48 hours, then
-- rolled up into days. view_count is the all-time total, added to at
-- each flush of the in-memory buffer.
ALTER TABLE articles ADD COLUMN view_count BIGINT NOT NULL DEFAULT 0;

CREATE TABLE article_views_hourly (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    bucket     TIMESTAMPTZ NOT NULL, -- start of the hour, UTC
    views      BIGINT NOT NULL,
    PRIMARY KEY (article_id, bucket)
);
CREATE INDEX article_views_hourly_bucket_idx ON article_views_hourly (bucket);

CREATE TABLE article_views_daily (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    bucket     TIMESTAMPTZ NOT NULL, -- start of the day, UTC
    views      BIGINT NOT NULL,
    PRIMARY KEY (article_id, bucket)
);
CREATE INDEX article_views_daily_bucket_idx ON article_views_daily (bucket);

-- Per-article sums over each window and the trending score, recomputed
-- from the buckets every minute, so "popular" is an index walk.
CREATE TABLE article_popularity (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    views_1h   BIGINT NOT NULL,
    views_24h  BIGINT NOT NULL,
    views_7d   BIGINT NOT NULL,
    views_30d  BIGINT NOT NULL,
    trending   DOUBLE PRECISION NOT NULL
);
CREATE INDEX article_popularity_1h_idx ON article_popularity (views_1h DESC, article_id);
CREATE INDEX article_popularity_24h_idx ON article_popularity (views_24h DESC, article_id);
CREATE INDEX article_popularity_7d_idx ON article_popularity (views_7d DESC, article_id);
CREATE INDEX article_popularity_30d_idx ON article_popularity (views_30d DESC, article_id);
CREATE INDEX article_popularity_trending_idx ON article_popularity (trending DESC, article_id);
CREATE INDEX articles_live_views_idx ON articles (view_count DESC, id)
    WHERE status IN ('published', 'scheduled');
