-- +goose Up
-- modified_at is the editorial update time readers see as "Updated …":
-- it moves with edits of what a story says and with corrections, not
-- with flags, status or view counts. corrections are the public notes
-- appended to a published story, a JSON array of {id, text, at}.
ALTER TABLE articles ADD COLUMN modified_at DATETIME;
UPDATE articles SET modified_at = updated_at;
ALTER TABLE articles ADD COLUMN corrections TEXT NOT NULL DEFAULT '[]';
