-- +goose Up
-- Full-text search: an FTS5 table the store keeps in step with articles in
-- the same transaction, holding normalised text (Arabic diacritics
-- dropped, letter forms unified). Columns weigh title above lead (subtitle
-- and excerpt) above body in bm25.
CREATE VIRTUAL TABLE article_fts USING fts5(
    article_id UNINDEXED,
    title,
    lead,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
