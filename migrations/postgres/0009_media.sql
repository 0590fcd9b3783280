-- +goose Up
-- The media library: uploaded images, kept in the media storage (a folder
-- or an S3 bucket) under their id; this table holds what pages need
-- without reading the file. Texts per language are JSON objects
-- ({"ar": "…", "en": "…"}).
CREATE TABLE media (
    id          TEXT PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    ext         TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    bytes       BIGINT NOT NULL,
    color       TEXT NOT NULL,
    placeholder TEXT NOT NULL,
    alpha       BOOLEAN NOT NULL,
    focal_x     DOUBLE PRECISION NOT NULL,
    focal_y     DOUBLE PRECISION NOT NULL,
    alt         TEXT NOT NULL,
    caption     TEXT NOT NULL,
    credit      TEXT NOT NULL,
    filename    TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    version     INTEGER NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
-- The library, newest first, and by type.
CREATE INDEX media_created_idx ON media (created_at DESC, id DESC);
CREATE INDEX media_type_idx ON media (type, created_at DESC, id DESC);

-- A cover from the library; cover_url stays for external images. The
-- index answers "where is this item used" when it is deleted.
ALTER TABLE articles ADD COLUMN cover_media_id TEXT REFERENCES media (id);
CREATE INDEX articles_cover_media_idx ON articles (cover_media_id) WHERE cover_media_id IS NOT NULL;

-- An author's photo from the library; avatar_url stays for external
-- images.
ALTER TABLE authors ADD COLUMN avatar_media_id TEXT REFERENCES media (id);
CREATE INDEX authors_avatar_media_idx ON authors (avatar_media_id) WHERE avatar_media_id IS NOT NULL;
