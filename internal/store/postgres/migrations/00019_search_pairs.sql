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

-- +goose StatementBegin
-- The tsvector of a term stream as the index keeps it.
CREATE FUNCTION search_tsv(terms text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $f$
    SELECT v || search_pairs(v) FROM to_tsvector('simple', terms) v
$f$;
-- +goose StatementEnd

-- Every indexed row gets its pairs (a rewrite of the table: at 1 M
-- documents measured in docs/benchmarks.md), then fresh statistics, so
-- that the plan of a phrase sees how common its pairs are.
UPDATE search_docs SET tsv = tsv || search_pairs(tsv);
ANALYZE search_docs;

-- +goose Down
UPDATE search_docs d SET tsv = to_tsvector('simple', t.terms) FROM search_terms t WHERE t.seq = d.seq;
DROP FUNCTION search_tsv(text);
DROP FUNCTION search_pairs(tsvector);
