-- +goose Up
-- Ad placements, each a JSON document (content.Placement) with its
-- creatives; ad_schedule holds every creative's start and end so that a
-- schedule boundary ends cached answers on time (ContentState.Due).
CREATE TABLE ad_placements (
    name       TEXT PRIMARY KEY,
    placement  TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE TABLE ad_schedule (
    placement TEXT NOT NULL REFERENCES ad_placements (name) ON DELETE CASCADE,
    at        DATETIME NOT NULL
);
CREATE INDEX ad_schedule_at_idx ON ad_schedule (at);
CREATE INDEX ad_schedule_placement_idx ON ad_schedule (placement);
