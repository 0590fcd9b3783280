-- +goose Up
-- The change log apps sync from (GET /api/v1/changes): one row each time
-- readers' view of an article changes, written in the transaction of the
-- change. seq orders them and is the sync cursor; rows older than the
-- retention are pruned, and a cursor before the oldest row must resync.
CREATE TABLE article_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('upsert', 'delete')),
    at         DATETIME NOT NULL
);
CREATE INDEX article_changes_at_idx ON article_changes (at);
