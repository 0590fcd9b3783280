-- +goose Up
-- Every save of an article's editorial fields: who, when, which fields
-- changed, the values before (previous) and after (snapshot), as JSON.
-- Saves of a draft by one person within ten minutes are one revision
-- (content.RevisionWindow); a published story keeps them all.
CREATE TABLE article_revisions (
    id         TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    created_at DATETIME NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    fields     TEXT NOT NULL,
    previous   TEXT NOT NULL,
    snapshot   TEXT NOT NULL
);
CREATE INDEX article_revisions_article_idx ON article_revisions (article_id, created_at, id);
