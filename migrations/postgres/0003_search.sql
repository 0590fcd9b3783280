-- +goose Up
-- Full-text search. The store fills this table from text it has
-- normalised (Arabic diacritics dropped, letter forms unified): search_doc
-- weights the title (A) above subtitle and excerpt (B) above the body (C),
-- with the text-search configuration of the article's language;
-- search_text is the same text, for ts_headline snippets. Status, time,
-- language and section are copied from the article on every write, so a
-- search filters and ranks on these narrow rows (the long values live in
-- TOAST) instead of reading a wide article row per match.
CREATE TABLE article_search (
    id            TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    published_at  TIMESTAMPTZ,
    language      TEXT NOT NULL,
    category_id   TEXT NOT NULL,
    search_config TEXT NOT NULL,
    search_doc    tsvector NOT NULL,
    search_text   TEXT NOT NULL
) WITH (toast_tuple_target = 128);
ALTER TABLE article_search ALTER COLUMN search_doc SET STORAGE EXTERNAL;
ALTER TABLE article_search ALTER COLUMN search_text SET STORAGE EXTERNAL;
CREATE INDEX article_search_doc_idx ON article_search USING GIN (search_doc);
