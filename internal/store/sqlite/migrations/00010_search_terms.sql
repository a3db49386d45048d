-- +goose Up
-- The analysed term streams move out of search_docs into their own table:
-- the candidate query walks search_docs rows (access columns, filters),
-- and only the few hundred rows it returns need their terms (for the
-- ranking in Go). Narrow rows keep that walk cheap.
CREATE TABLE search_terms (
    seq   INTEGER PRIMARY KEY,
    terms TEXT NOT NULL
);
INSERT INTO search_terms (seq, terms) SELECT seq, terms FROM search_docs;
ALTER TABLE search_docs DROP COLUMN terms;

-- +goose Down
ALTER TABLE search_docs ADD COLUMN terms TEXT NOT NULL DEFAULT '';
UPDATE search_docs SET terms = (SELECT t.terms FROM search_terms t WHERE t.seq = search_docs.seq);
DROP TABLE search_terms;
