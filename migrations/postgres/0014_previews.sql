-- +goose Up
-- Preview links: a draft shown to someone without an editor account, by
-- an opaque token kept only as its SHA-256 (id). One article each, until
-- expires_at, unless revoked first.
CREATE TABLE article_previews (
    id         TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX article_previews_article_idx ON article_previews (article_id);
