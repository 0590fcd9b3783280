-- +goose Up
-- Tag counts are kept by deltas from now on; heal any drift the earlier
-- recount left under concurrent writes.
UPDATE tags SET article_count = (SELECT count(*) FROM article_tags at WHERE at.tag_id = tags.id);
