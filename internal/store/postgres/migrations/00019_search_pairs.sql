-- +goose Up
-- Word pairs for phrase queries (search.PairTerm). The GIN index over
-- tsv keeps no positions, so a phrase of two common words was checked on
-- every row holding both (at 1 M documents "Erlass bleibt": 1.1 s). Each
-- tsvector now also holds, without positions, one term ǂǂaǂb for every
-- two lexemes a, b at adjacent positions; a phrase query ANDs them and the
-- index narrows to the rows that can match. The pairs are taken from the
-- stored tsvector itself, so they follow exactly the positions the <->
-- operator sees (the parser's own tokens, at most 256 positions per
-- lexeme, none beyond 16383). Only lexemes of ASCII letters and digits,
-- together at most 64 bytes, form pairs: the query side (PairTerm) uses
-- the same rule, so it never asks for a pair the index cannot hold.
-- +goose StatementBegin
CREATE FUNCTION search_pairs(t tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $f$
    WITH w AS (
        SELECT u.lexeme, p
        FROM unnest(t) u, unnest(u.positions) p
        WHERE u.lexeme ~ '^[0-9a-z]+$'
    )
    SELECT array_to_tsvector(ARRAY(
        SELECT DISTINCT 'ǂǂ' || a.lexeme || 'ǂ' || b.lexeme
        FROM w a JOIN w b ON b.p = a.p + 1
        WHERE octet_length(a.lexeme) + octet_length(b.lexeme) <= 64))
$f$;
-- +goose StatementEnd

-- A trigger adds the pairs to every tsvector written, by this version or
-- by a node of the previous one during a rolling update. Adding them
-- twice changes nothing (pairs have no positions, so they form no pairs).
-- +goose StatementBegin
CREATE FUNCTION search_docs_pairs() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    NEW.tsv := NEW.tsv || search_pairs(NEW.tsv);
    RETURN NEW;
END
$f$;
-- +goose StatementEnd
CREATE TRIGGER search_docs_pairs BEFORE INSERT OR UPDATE OF tsv ON search_docs
    FOR EACH ROW EXECUTE FUNCTION search_docs_pairs();

-- The rows written before are given their pairs in the background, newest
-- first, not here: at 1 M rows that is a rewrite of the table taking many
-- minutes (docs/benchmarks.md), and the server should start at once.
-- next_seq is the newest row still without pairs; 0: none is left, and
-- only then do phrase queries ask for pairs (sqldb.BackfillSearch).
CREATE TABLE search_backfill (
    name     TEXT PRIMARY KEY,
    next_seq BIGINT NOT NULL
);
INSERT INTO search_backfill (name, next_seq) SELECT 'pairs', COALESCE(MAX(seq), 0) FROM search_docs;

-- +goose Down
DROP TABLE search_backfill;
DROP TRIGGER search_docs_pairs ON search_docs;
DROP FUNCTION search_docs_pairs();
UPDATE search_docs d SET tsv = to_tsvector('simple', t.terms) FROM search_terms t WHERE t.seq = d.seq;
DROP FUNCTION search_pairs(tsvector);
