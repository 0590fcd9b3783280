-- +goose Up
-- Related articles: how many articles carry each tag (rarer tags say more
-- about a story), kept by the store on every write; and the related
-- articles editors pin, in their order.
ALTER TABLE tags ADD COLUMN article_count INTEGER NOT NULL DEFAULT 0;
UPDATE tags SET article_count = (SELECT count(*) FROM article_tags at WHERE at.tag_id = tags.id);

CREATE TABLE article_related (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    related_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, related_id)
);
CREATE INDEX article_related_related_id_idx ON article_related (related_id);
