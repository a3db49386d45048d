-- +goose Up
-- Full-text search (docs/search.md). One row per indexed piece of an Akte,
-- Vorgang or Dokument: chunk 0 carries the metadata fields and the first
-- part of the text, further chunks carry the rest of a long text (so that
-- both engines index every word: PostgreSQL stores positions only up to
-- 16383). seq is the FTS5 rowid and the recency order of the candidates.
-- The access columns (owner_unit_id, the restriction flags) are kept in
-- step by the store in the same transaction as the change they copy;
-- everything else is rebuilt from search_pending by the indexer.
CREATE TABLE search_docs (
    seq                 INTEGER PRIMARY KEY,
    object_id           TEXT NOT NULL,
    chunk               INTEGER NOT NULL,
    object_type         TEXT NOT NULL CHECK (object_type IN ('akte', 'vorgang', 'dokument')),
    tenant_id           TEXT NOT NULL,
    akte_id             TEXT NOT NULL,
    vorgang_id          TEXT,
    owner_unit_id       TEXT,
    vorgang_restricted  INTEGER NOT NULL DEFAULT 0,
    dokument_restricted INTEGER NOT NULL DEFAULT 0,
    aktenplan_id        TEXT NOT NULL,
    aktenzeichen        TEXT NOT NULL,
    titel               TEXT NOT NULL,
    typ                 TEXT NOT NULL,
    status              TEXT NOT NULL,
    datum               TEXT,
    terms               TEXT NOT NULL,
    indexed_at          TIMESTAMP NOT NULL,
    UNIQUE (object_id, chunk)
);
CREATE INDEX search_docs_akte ON search_docs (akte_id);
CREATE INDEX search_docs_vorgang ON search_docs (vorgang_id);
-- Contentless: the terms live in search_docs (the ranking reads them there).
CREATE VIRTUAL TABLE search_fts USING fts5(terms, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0');

-- Objects whose index rows must be rebuilt. gen counts the marks, so the
-- indexer removes a mark only if nobody marked the object again meanwhile.
-- subtree = 1: the object's Vorgänge and Dokumente too.
CREATE TABLE search_pending (
    object_id   TEXT PRIMARY KEY,
    object_type TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    subtree     INTEGER NOT NULL DEFAULT 0,
    gen         INTEGER NOT NULL DEFAULT 1,
    queued_at   TIMESTAMP NOT NULL
);
CREATE INDEX search_pending_queued ON search_pending (queued_at, object_id);

-- Text recognised in a Dokument's newest version (extraction and OCR jobs).
-- status: ausstehend, laeuft, erkannt, fehlgeschlagen, nicht_unterstuetzt.
CREATE TABLE dokument_texte (
    dokument_id TEXT PRIMARY KEY REFERENCES dokumente(id),
    tenant_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    methode     TEXT NOT NULL DEFAULT '',
    grund       TEXT NOT NULL DEFAULT '',
    ocr         INTEGER NOT NULL DEFAULT 0,
    seiten      INTEGER NOT NULL DEFAULT 0,
    pdfa_sha256 TEXT,
    text        TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX dokument_texte_status ON dokument_texte (status, updated_at);

-- +goose Down
DROP TABLE dokument_texte;
DROP TABLE search_pending;
DROP TABLE search_fts;
DROP TABLE search_docs;
