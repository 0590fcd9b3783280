-- +goose Up
-- Distribution: newsletter subscribers with double opt-in and their mail
-- outbox, and webhooks with their event outbox and delivery attempts.

-- A subscriber's address is unique; erasure deletes the row, and with it
-- its sections, tokens and queued mail.
CREATE TABLE subscribers (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE, -- lower-cased
    language        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    mail_day        TEXT NOT NULL DEFAULT '', -- UTC day (YYYY-MM-DD) of mail_count
    mail_count      INTEGER NOT NULL DEFAULT 0, -- confirmation mails queued that day
    confirmed_at    TIMESTAMPTZ,
    unsubscribed_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX subscribers_created_idx ON subscribers (created_at DESC, id DESC);
CREATE INDEX subscribers_status_idx ON subscribers (status, created_at DESC, id DESC);
CREATE INDEX subscribers_language_idx ON subscribers (language, created_at DESC, id DESC);

CREATE TABLE subscriber_categories (
    subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    category_id   TEXT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (subscriber_id, category_id)
);
CREATE INDEX subscriber_categories_category_idx ON subscriber_categories (category_id, subscriber_id);

-- Tokens sent in mail, kept only as SHA-256 hashes. A confirmation token
-- is single-use and expires; an unsubscribe token works until erasure.
CREATE TABLE subscriber_tokens (
    token_hash    TEXT PRIMARY KEY,
    subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    purpose       TEXT NOT NULL CHECK (purpose IN ('confirm', 'unsubscribe')),
    expires_at    TIMESTAMPTZ,
    used_at       TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX subscriber_tokens_subscriber_idx ON subscriber_tokens (subscriber_id);

-- Mail to send. A row names what to send, not the text: tokens are made
-- when the mail is sent, so no usable token is ever at rest. A worker
-- claims due rows with a lease (locked_until), so a crashed sender's
-- rows are taken up again.
CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    subscriber_id   TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('confirm')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_until    TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         TIMESTAMPTZ,
    failed_at       TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_subscriber_idx ON mail_outbox (subscriber_id);

CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY,
    url         TEXT NOT NULL,
    events      TEXT NOT NULL, -- space-separated patterns: article.published, category.*, *
    secret      TEXT NOT NULL, -- signs payloads; must be kept to sign
    description TEXT NOT NULL DEFAULT '',
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- An event is written in the same transaction as the change it reports,
-- with one delivery per webhook it matched.
CREATE TABLE webhook_events (
    id         TEXT PRIMARY KEY,
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL, -- the JSON body, exactly as signed and sent
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    webhook_id      TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_until    TIMESTAMPTZ,
    last_status     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id);

CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    status_code INTEGER NOT NULL, -- 0 when no response came
    error       TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
