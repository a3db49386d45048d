-- +goose Up
-- PostgreSQL only (a larger statistics target for the search plan); kept
-- here so that both dialects count the same migrations.
SELECT 1;

-- +goose Down
SELECT 1;
