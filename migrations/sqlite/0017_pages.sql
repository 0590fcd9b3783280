-- +goose Up
-- Static pages of the site (About, Contact, Privacy, …), one language
-- each, visible to readers once published.
CREATE TABLE pages (
    id           TEXT PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    language     TEXT NOT NULL,
    direction    TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    body_format  TEXT NOT NULL,
    body_html    TEXT NOT NULL,
    published    BOOLEAN NOT NULL DEFAULT FALSE,
    version      INTEGER NOT NULL,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    published_at DATETIME
);
