-- +goose Up
-- Reader lists must pick the partial articles_live_* indexes even on a
-- database that has never been analysed (SQLite collects no statistics by
-- itself): an index leading with status matched the reader predicate
-- status IN ('published', 'scheduled') too, and without statistics SQLite
-- chose it, read every published row and sorted them. The editor lists by
-- status get partial indexes of their own, which no reader query matches.
DROP INDEX articles_status_idx;
CREATE INDEX articles_draft_idx ON articles (updated_at DESC, id DESC) WHERE status = 'draft';
CREATE INDEX articles_archived_idx ON articles (updated_at DESC, id DESC) WHERE status = 'archived';

-- The content generation: bumped in the transaction of every write that
-- changes what readers see. Each server caches reader answers under the
-- generation it last read, so a write on any replica retires them all.
CREATE TABLE content_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO content_state (id, generation) VALUES (1, 0);
-- When the visible set next changes by itself: the next scheduled story
-- due, the next breaking flag to expire. Few rows each.
CREATE INDEX articles_scheduled_idx ON articles (published_at) WHERE status = 'scheduled';
CREATE INDEX articles_breaking_until_idx ON articles (breaking_until) WHERE breaking = TRUE;

-- Search ranks its matches before reading any article row: what the
-- visibility and language filters need is in this index, so counting and
-- ranking thousands of matches never reads a body.
CREATE INDEX articles_fts_live_idx ON articles (fts_rowid, status, published_at, language, id);
