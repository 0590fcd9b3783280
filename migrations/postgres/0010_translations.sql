-- +goose Up
-- A story in several languages: its versions share a translation group
-- (the id of the group, an opaque ULID), one version per language.
ALTER TABLE articles ADD COLUMN translation_group TEXT;
CREATE UNIQUE INDEX articles_translation_idx ON articles (translation_group, language) WHERE translation_group IS NOT NULL;
