-- +goose Up
-- Full-text search: an FTS5 table the store keeps in step with articles in
-- the same transaction, holding normalised text (Arabic diacritics
-- dropped, letter forms unified). Columns weigh title above lead (subtitle
-- and excerpt) above body in bm25. articles.fts_rowid links each article
-- to its row, so updates and joins are lookups, not scans.
CREATE VIRTUAL TABLE article_fts USING fts5(
    title,
    lead,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
ALTER TABLE articles ADD COLUMN fts_rowid INTEGER;
CREATE UNIQUE INDEX articles_fts_rowid_idx ON articles (fts_rowid);
