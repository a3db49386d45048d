-- +goose Up
CREATE TABLE tenants (
    id              TEXT COLLATE "C" PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    az_pattern      TEXT NOT NULL,
    vorgang_pattern TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id         TEXT COLLATE "C" PRIMARY KEY,
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    login      TEXT NOT NULL,
    name       TEXT NOT NULL,
    roles      TEXT NOT NULL,
    active     BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, login)
);

CREATE TABLE api_tokens (
    id         TEXT COLLATE "C" PRIMARY KEY,
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    hash       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);

CREATE TABLE aktenplan (
    id           TEXT COLLATE "C" PRIMARY KEY,
    tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    parent_id    TEXT COLLATE "C" REFERENCES aktenplan(id),
    kennzeichen  TEXT COLLATE "C" NOT NULL,
    titel        TEXT NOT NULL,
    aufbewahrung BIGINT,
    archiv       TEXT NOT NULL DEFAULT '',
    geschlossen  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, kennzeichen)
);
CREATE INDEX aktenplan_parent ON aktenplan (tenant_id, parent_id);

CREATE TABLE counters (
    tenant_id TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    scope     TEXT COLLATE "C" NOT NULL,
    value     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, scope)
);

-- every Aktenzeichen ever assigned: never reused
CREATE TABLE aktenzeichen (
    tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    aktenzeichen TEXT COLLATE "C" NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant_id, aktenzeichen)
);

CREATE TABLE aktenzeichen_historie (
    tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    object_type  TEXT NOT NULL,
    object_id    TEXT COLLATE "C" NOT NULL,
    aktenzeichen TEXT COLLATE "C" NOT NULL,
    until        TIMESTAMPTZ NOT NULL,
    reason       TEXT NOT NULL
);
CREATE INDEX aktenzeichen_historie_object ON aktenzeichen_historie (tenant_id, object_id);

CREATE TABLE akten (
    id           TEXT COLLATE "C" PRIMARY KEY,
    tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    aktenplan_id TEXT COLLATE "C" NOT NULL REFERENCES aktenplan(id),
    aktenzeichen TEXT COLLATE "C" NOT NULL,
    titel        TEXT NOT NULL,
    beschreibung TEXT NOT NULL,
    status       TEXT NOT NULL,
    metadaten    TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    closed_at    TIMESTAMPTZ,
    UNIQUE (tenant_id, aktenzeichen)
);
CREATE INDEX akten_tenant ON akten (tenant_id, id);
CREATE INDEX akten_aktenplan ON akten (tenant_id, aktenplan_id, id);
CREATE INDEX akten_status ON akten (tenant_id, status, id);

CREATE TABLE vorgaenge (
    id           TEXT COLLATE "C" PRIMARY KEY,
    tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    akte_id      TEXT COLLATE "C" NOT NULL REFERENCES akten(id),
    aktenzeichen TEXT COLLATE "C" NOT NULL,
    betreff      TEXT NOT NULL,
    status       TEXT NOT NULL,
    metadaten    TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    closed_at    TIMESTAMPTZ,
    UNIQUE (tenant_id, aktenzeichen)
);
CREATE INDEX vorgaenge_akte ON vorgaenge (akte_id, id);

CREATE TABLE dokumente (
    id            TEXT COLLATE "C" PRIMARY KEY,
    tenant_id     TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    vorgang_id    TEXT COLLATE "C" NOT NULL REFERENCES vorgaenge(id),
    betreff       TEXT NOT NULL,
    typ           TEXT NOT NULL,
    absender      TEXT NOT NULL,
    empfaenger    TEXT NOT NULL,
    dokumentdatum TEXT COLLATE "C",
    eingangsdatum TEXT COLLATE "C",
    versionen     BIGINT NOT NULL,
    final         BOOLEAN NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX dokumente_vorgang ON dokumente (vorgang_id, id);

CREATE TABLE versionen (
    dokument_id TEXT COLLATE "C" NOT NULL REFERENCES dokumente(id),
    tenant_id   TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    nummer      BIGINT NOT NULL,
    sha256      TEXT COLLATE "C" NOT NULL,
    size        BIGINT NOT NULL,
    mime_type   TEXT NOT NULL,
    dateiname   TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    final       BOOLEAN NOT NULL,
    PRIMARY KEY (dokument_id, nummer)
);
CREATE INDEX versionen_sha256 ON versionen (sha256);

CREATE TABLE audit_heads (
    tenant_id TEXT COLLATE "C" PRIMARY KEY REFERENCES tenants(id),
    seq       BIGINT NOT NULL,
    hash      TEXT NOT NULL
);

-- Entries are written in the transaction of the change they record (seq
-- NULL: not yet chained) and linked into the tenant's hash chain right after
-- commit by the chainer, which alone takes the head's lock. So concurrent
-- writers of one tenant never wait for each other's commit.
CREATE TABLE audit_log (
    id           TEXT COLLATE "C" PRIMARY KEY,
    tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    seq          BIGINT,
    at           TIMESTAMPTZ NOT NULL,
    actor_id     TEXT NOT NULL,
    actor        TEXT NOT NULL,
    on_behalf_of TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT COLLATE "C" NOT NULL,
    changes      TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_log_object ON audit_log (tenant_id, object_id, id);
CREATE INDEX audit_log_pending ON audit_log (tenant_id, id) WHERE seq IS NULL;

-- Append-only for the application: a row may only be chained once (seq,
-- prev_hash, hash set while seq is NULL), never changed or deleted. The hash
-- chain detects changes made by anyone who bypasses this trigger.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.seq IS NOT NULL
       OR (NEW.id, NEW.tenant_id, NEW.at, NEW.actor_id, NEW.actor, NEW.on_behalf_of, NEW.action, NEW.object_type, NEW.object_id, NEW.changes)
          IS DISTINCT FROM
          (OLD.id, OLD.tenant_id, OLD.at, OLD.actor_id, OLD.actor, OLD.on_behalf_of, OLD.action, OLD.object_type, OLD.object_id, OLD.changes) THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
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
