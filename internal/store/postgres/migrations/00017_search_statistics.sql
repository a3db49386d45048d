-- +goose Up
-- The search plan (sqldb/search.go) estimates how many rows a query
-- matches from the most common elements of search_docs.tsv. With the
-- default statistics target PostgreSQL keeps about 1,000 of them; at
-- 1,000,000 documents the rarest listed is in 1.8 % of the rows, so every
-- word below that was estimated at 0.9 % and rare words were fetched in
-- windows meant for frequent ones. With 1,000 the list holds about 9,500
-- elements down to 0.08 % (ANALYZE of 1 M rows: 15 s instead of 2 s, run
-- by autovacuum in the background). Measured in docs/benchmarks.md.
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS 1000;

-- +goose Down
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS -1;
