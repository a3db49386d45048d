-- +goose Up
-- The thumbnail (PNG, first page, 160 px wide) made of a version by the
-- job "miniatur.erstellen": a derived blob like the searchable PDF/A copy,
-- referenced here so that the blob check and clean-up keep it. NULL: none
-- (not yet made, or the content cannot give one).
ALTER TABLE versionen ADD COLUMN miniatur_sha256 TEXT COLLATE "C";
CREATE INDEX versionen_miniatur ON versionen (miniatur_sha256) WHERE miniatur_sha256 IS NOT NULL;

-- +goose Down
DROP INDEX versionen_miniatur;
ALTER TABLE versionen DROP COLUMN miniatur_sha256;
