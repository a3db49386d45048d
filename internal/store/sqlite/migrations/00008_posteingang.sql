-- +goose Up
-- Posteingang: what arrived (upload, watch folder, IMAP, later the portal)
-- and waits to be assigned to a Vorgang by the Registratur. unit_id NULL:
-- the tenant's central Posteingang (Poststelle). source_ref identifies the
-- item at its source (a mail's account/UIDVALIDITY/UID, a file's folder,
-- name and hash), so that a source offering it again after a crash does
-- not import it twice; a mail is also known by its Message-ID.
CREATE TABLE posteingang (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    unit_id       TEXT REFERENCES org_units(id),
    quelle        TEXT NOT NULL CHECK (quelle IN ('upload', 'ordner', 'imap', 'portal')),
    source_ref    TEXT NOT NULL,
    message_id    TEXT,
    betreff       TEXT NOT NULL,
    absender      TEXT NOT NULL,
    eingegangen_am TIMESTAMP NOT NULL,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    mime_type     TEXT NOT NULL,
    dateiname     TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('offen', 'zugeordnet')),
    text_status   TEXT NOT NULL,
    text_grund    TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    vorschlaege   TEXT NOT NULL DEFAULT '[]',
    vorgang_id    TEXT,
    dokument_ids  TEXT NOT NULL DEFAULT '[]',
    zugeordnet_von TEXT,
    zugeordnet_am TIMESTAMP,
    created_by    TEXT NOT NULL,
    UNIQUE (tenant_id, quelle, source_ref)
);
CREATE UNIQUE INDEX posteingang_message ON posteingang (tenant_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX posteingang_list ON posteingang (tenant_id, status, id);
CREATE INDEX posteingang_sha ON posteingang (sha256);

-- Attachments of a mail item: each becomes a Dokument of its own.
CREATE TABLE posteingang_anhaenge (
    item_id   TEXT NOT NULL REFERENCES posteingang(id),
    nr        INTEGER NOT NULL,
    dateiname TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    size      INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    PRIMARY KEY (item_id, nr)
);
CREATE INDEX posteingang_anhaenge_sha ON posteingang_anhaenge (sha256);

-- +goose Down
DROP TABLE posteingang_anhaenge;
DROP TABLE posteingang;
