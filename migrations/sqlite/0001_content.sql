-- +goose Up
-- The content model: users and their sessions, sections, tags, authors,
-- articles and the joins between them. Times are UTC.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE, -- stored lower-cased: unique case-insensitively
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'writer')),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);

-- A session is one login; its refresh tokens rotate, and a spent one
-- presented again revokes the session.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    revoked_at DATETIME
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY, -- SHA-256 of the token; the token itself is never stored
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    used_at    DATETIME
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

CREATE TABLE categories (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    parent_id   TEXT REFERENCES categories (id) ON DELETE RESTRICT,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX categories_parent_id_idx ON categories (parent_id);
CREATE INDEX categories_position_idx ON categories (position, name);

CREATE TABLE tags (
    id         TEXT PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX tags_name_idx ON tags (name);

CREATE TABLE authors (
    id         TEXT PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    bio        TEXT NOT NULL DEFAULT '',
    avatar_url TEXT NOT NULL DEFAULT '',
    user_id    TEXT UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX authors_name_idx ON authors (name);

CREATE TABLE articles (
    id              TEXT PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    subtitle        TEXT NOT NULL DEFAULT '',
    excerpt         TEXT NOT NULL DEFAULT '',
    excerpt_derived BOOLEAN NOT NULL DEFAULT 1,
    body            TEXT NOT NULL,
    body_format     TEXT NOT NULL CHECK (body_format IN ('markdown', 'html')),
    body_html       TEXT NOT NULL,
    format          TEXT NOT NULL,
    language        TEXT NOT NULL,
    direction       TEXT NOT NULL CHECK (direction IN ('rtl', 'ltr')),
    category_id     TEXT NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    source          TEXT NOT NULL DEFAULT '',
    cover_url       TEXT NOT NULL DEFAULT '',
    cover_alt       TEXT NOT NULL DEFAULT '',
    cover_caption   TEXT NOT NULL DEFAULT '',
    cover_credit    TEXT NOT NULL DEFAULT '',
    featured        BOOLEAN NOT NULL DEFAULT 0,
    breaking        BOOLEAN NOT NULL DEFAULT 0,
    breaking_until  DATETIME,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    published_at    DATETIME,
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    word_count      INTEGER NOT NULL DEFAULT 0,
    reading_time    INTEGER NOT NULL DEFAULT 1,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);

-- Reader lists see only status IN ('published', 'scheduled') with
-- published_at <= now, so their indexes are partial on that status set;
-- queries repeat the predicate word for word so both planners use them.
CREATE INDEX articles_live_published_idx ON articles (published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled');
CREATE INDEX articles_live_updated_idx ON articles (updated_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled');
CREATE INDEX articles_live_category_idx ON articles (category_id, published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled');
CREATE INDEX articles_live_format_idx ON articles (format, published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled');
CREATE INDEX articles_live_language_idx ON articles (language, published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled');
CREATE INDEX articles_live_featured_idx ON articles (published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled') AND featured = TRUE;
CREATE INDEX articles_live_breaking_idx ON articles (published_at DESC, id DESC)
    WHERE status IN ('published', 'scheduled') AND breaking = TRUE;
-- Editors list by status and by their own articles.
CREATE INDEX articles_status_idx ON articles (status, updated_at DESC, id DESC);
CREATE INDEX articles_created_by_idx ON articles (created_by, updated_at DESC);

CREATE TABLE article_tags (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag_id_idx ON article_tags (tag_id, article_id);

-- An author with articles cannot be deleted: every article keeps a byline.
CREATE TABLE article_authors (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  TEXT NOT NULL REFERENCES authors (id) ON DELETE RESTRICT,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author_id_idx ON article_authors (author_id, article_id);

-- Slugs an article had while published keep resolving (301) after a rename.
CREATE TABLE article_slugs (
    slug       TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL
);
CREATE INDEX article_slugs_article_id_idx ON article_slugs (article_id);
