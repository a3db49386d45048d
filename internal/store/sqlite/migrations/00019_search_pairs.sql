-- +goose Up
-- PostgreSQL only (word pairs for phrase queries in the tsvector; FTS5
-- keeps positions in its index); kept here so that both dialects count
-- the same migrations.
SELECT 1;

-- +goose Down
SELECT 1;
