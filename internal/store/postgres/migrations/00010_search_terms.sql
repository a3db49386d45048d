-- +goose Up
-- See the SQLite migration: the term streams move into their own table, so
-- that search_docs rows stay narrow and their tsvector is read without a
-- TOAST fetch when the planner walks the newest rows (frequent words).
CREATE TABLE search_terms (
    seq   BIGINT PRIMARY KEY,
    terms TEXT NOT NULL
);
INSERT INTO search_terms (seq, terms) SELECT seq, terms FROM search_docs;
ALTER TABLE search_docs DROP COLUMN terms;
-- lz4 decompresses several times faster than pglz (PostgreSQL 14+, when
-- built with it; Debian's is). Without lz4 the default stays.
-- +goose StatementBegin
DO $$
BEGIN
    ALTER TABLE search_docs ALTER COLUMN tsv SET COMPRESSION lz4;
    ALTER TABLE search_terms ALTER COLUMN terms SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'lz4 compression not available: %', SQLERRM;
END
$$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE search_docs ADD COLUMN terms TEXT NOT NULL DEFAULT '';
UPDATE search_docs d SET terms = t.terms FROM search_terms t WHERE t.seq = d.seq;
DROP TABLE search_terms;
