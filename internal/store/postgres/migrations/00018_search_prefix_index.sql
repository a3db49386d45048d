-- +goose Up
-- SQLite only (FTS5 prefix indexes); kept here so that both dialects
-- count the same migrations.
SELECT 1;

-- +goose Down
SELECT 1;
