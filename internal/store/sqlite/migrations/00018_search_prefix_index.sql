-- +goose Up
-- FTS5 prefix indexes for prefixes of 3 to 6 characters: a prefix query
-- (Betr*) otherwise merges the doclists of every term in its range. At
-- 1,000,000 documents "betr*" took 120 ms and "gene*" 37 ms for the newest
-- 501 rows, with the prefix index 0.3 ms; a prefix of another length still
-- works, as before, without it. The index grows by about 1 GiB at that
-- size (docs/benchmarks.md). FTS5 cannot add a prefix index to an existing
-- table: it is built again from the term streams (search_terms), in this
-- migration's transaction, so a crash leaves the old table.
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(terms, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '3 4 5 6');
INSERT INTO search_fts (rowid, terms) SELECT seq, terms FROM search_terms;

-- +goose Down
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(terms, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO search_fts (rowid, terms) SELECT seq, terms FROM search_terms;
