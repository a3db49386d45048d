-- +goose Up
CREATE TABLE tenants (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    az_pattern      TEXT NOT NULL,
    vorgang_pattern TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    login      TEXT NOT NULL,
    name       TEXT NOT NULL,
    roles      TEXT NOT NULL,
    active     BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, login)
);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    hash       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE TABLE aktenplan (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    parent_id    TEXT REFERENCES aktenplan(id),
    kennzeichen  TEXT NOT NULL,
    titel        TEXT NOT NULL,
    aufbewahrung INTEGER,
    archiv       TEXT NOT NULL DEFAULT '',
    geschlossen  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, kennzeichen)
);
CREATE INDEX aktenplan_parent ON aktenplan (tenant_id, parent_id);

CREATE TABLE counters (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    scope     TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, scope)
);

-- every Aktenzeichen ever assigned: never reused
CREATE TABLE aktenzeichen (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    aktenzeichen TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, aktenzeichen)
);

CREATE TABLE aktenzeichen_historie (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    aktenzeichen TEXT NOT NULL,
    until        TIMESTAMP NOT NULL,
    reason       TEXT NOT NULL
);
CREATE INDEX aktenzeichen_historie_object ON aktenzeichen_historie (tenant_id, object_id);

CREATE TABLE akten (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    aktenplan_id TEXT NOT NULL REFERENCES aktenplan(id),
    aktenzeichen TEXT NOT NULL,
    titel        TEXT NOT NULL,
    beschreibung TEXT NOT NULL,
    status       TEXT NOT NULL,
    metadaten    TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    closed_at    TIMESTAMP,
    UNIQUE (tenant_id, aktenzeichen)
);
CREATE INDEX akten_tenant ON akten (tenant_id, id);
CREATE INDEX akten_aktenplan ON akten (tenant_id, aktenplan_id, id);
CREATE INDEX akten_status ON akten (tenant_id, status, id);

CREATE TABLE vorgaenge (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    akte_id      TEXT NOT NULL REFERENCES akten(id),
    aktenzeichen TEXT NOT NULL,
    betreff      TEXT NOT NULL,
    status       TEXT NOT NULL,
    metadaten    TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    closed_at    TIMESTAMP,
    UNIQUE (tenant_id, aktenzeichen)
);
CREATE INDEX vorgaenge_akte ON vorgaenge (akte_id, id);

CREATE TABLE dokumente (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    vorgang_id    TEXT NOT NULL REFERENCES vorgaenge(id),
    betreff       TEXT NOT NULL,
    typ           TEXT NOT NULL,
    absender      TEXT NOT NULL,
    empfaenger    TEXT NOT NULL,
    dokumentdatum TEXT,
    eingangsdatum TEXT,
    versionen     INTEGER NOT NULL,
    final         BOOLEAN NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX dokumente_vorgang ON dokumente (vorgang_id, id);

CREATE TABLE versionen (
    dokument_id TEXT NOT NULL REFERENCES dokumente(id),
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    nummer      INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    mime_type   TEXT NOT NULL,
    dateiname   TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    final       BOOLEAN NOT NULL,
    PRIMARY KEY (dokument_id, nummer)
);
CREATE INDEX versionen_sha256 ON versionen (sha256);

CREATE TABLE audit_heads (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL
);

-- Entries are written in the transaction of the change they record (seq
-- NULL: not yet chained) and linked into the tenant's hash chain right after
-- commit by the chainer, which alone takes the head's lock. So concurrent
-- writers of one tenant never wait for each other's commit.
CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    seq          INTEGER,
    at           TIMESTAMP NOT NULL,
    actor_id     TEXT NOT NULL,
    actor        TEXT NOT NULL,
    on_behalf_of TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    changes      TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_log_object ON audit_log (tenant_id, object_id, id);
CREATE INDEX audit_log_pending ON audit_log (tenant_id, id) WHERE seq IS NULL;

-- Append-only for the application: a row may only be chained once (seq,
-- prev_hash, hash set while seq is NULL), never changed or deleted. The hash
-- chain detects changes made by anyone who bypasses these triggers.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.seq IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.tenant_id IS NOT OLD.tenant_id OR NEW.at IS NOT OLD.at
  OR NEW.actor_id IS NOT OLD.actor_id OR NEW.actor IS NOT OLD.actor OR NEW.on_behalf_of IS NOT OLD.on_behalf_of
  OR NEW.action IS NOT OLD.action OR NEW.object_type IS NOT OLD.object_type OR NEW.object_id IS NOT OLD.object_id
  OR NEW.changes IS NOT OLD.changes
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
DROP TABLE audit_heads;
DROP TABLE versionen;
DROP TABLE dokumente;
DROP TABLE vorgaenge;
DROP TABLE akten;
DROP TABLE aktenzeichen_historie;
DROP TABLE aktenzeichen;
DROP TABLE counters;
DROP TABLE aktenplan;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE tenants;
