-- +goose Up
-- The site's settings the newsroom edits through the API (one row, a
-- JSON document; content.Settings), and the navigation menus, each an
-- ordered tree of items kept as one JSON document per menu.
CREATE TABLE site_settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    settings   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE menus (
    name       TEXT PRIMARY KEY,
    items      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
