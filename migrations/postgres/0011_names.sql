-- +goose Up
-- Names in every language: sections, tags and authors keep one slug and
-- a name (and description, bio) per language as a JSON object keyed by
-- language tag, beside the plain column that readers of any other
-- language get.
ALTER TABLE categories ADD COLUMN names TEXT NOT NULL DEFAULT '{}';
ALTER TABLE categories ADD COLUMN descriptions TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tags ADD COLUMN names TEXT NOT NULL DEFAULT '{}';
ALTER TABLE authors ADD COLUMN names TEXT NOT NULL DEFAULT '{}';
ALTER TABLE authors ADD COLUMN bios TEXT NOT NULL DEFAULT '{}';
