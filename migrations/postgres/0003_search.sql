-- +goose Up
-- Full-text search. The store fills these from text it has normalised
-- (Arabic diacritics dropped, letter forms unified): search_doc weights
-- the title (A) above subtitle and excerpt (B) above the body (C), with
-- the text-search configuration of the article's language; search_text
-- is the same text, for ts_headline snippets.
ALTER TABLE articles ADD COLUMN search_doc tsvector;
ALTER TABLE articles ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN search_config TEXT NOT NULL DEFAULT 'simple';
CREATE INDEX articles_search_idx ON articles USING GIN (search_doc);
