-- +goose Up
-- Need-to-know: the owning unit of an Akte (NULL: the whole tenant, for
-- authorities without an org structure), restrictions of Vorgänge and
-- Dokumente (VS-NfD, Personalsache) to named users, and grants.
ALTER TABLE akten ADD COLUMN owner_unit_id TEXT REFERENCES org_units(id);
CREATE INDEX akten_owner ON akten (tenant_id, owner_unit_id);
ALTER TABLE vorgaenge ADD COLUMN restriction TEXT;
ALTER TABLE dokumente ADD COLUMN restriction TEXT;

-- Users who may see a restricted Vorgang or Dokument.
CREATE TABLE restriction_users (
    object_id TEXT NOT NULL,
    user_id   TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (object_id, user_id)
);
CREATE INDEX restriction_users_user ON restriction_users (user_id);

-- Freigaben (Beteiligung): an Akte shared with a user, a unit or a whole
-- tenant, possibly of another tenant. tenant_id is the Akte's tenant.
CREATE TABLE grants (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    akte_id           TEXT NOT NULL REFERENCES akten(id),
    grantee_tenant_id TEXT NOT NULL REFERENCES tenants(id),
    grantee_unit_id   TEXT REFERENCES org_units(id),
    grantee_user_id   TEXT REFERENCES users(id),
    level             TEXT NOT NULL,
    expires_at        TIMESTAMP,
    created_by        TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    revoked_at        TIMESTAMP
);
CREATE INDEX grants_akte ON grants (akte_id);
CREATE INDEX grants_grantee ON grants (grantee_tenant_id, akte_id);

-- Vertretung: vertreter acts for vertretene from von until bis.
CREATE TABLE vertretungen (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    vertretene_id TEXT NOT NULL REFERENCES users(id),
    vertreter_id  TEXT NOT NULL REFERENCES users(id),
    von           TIMESTAMP NOT NULL,
    bis           TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP
);
CREATE INDEX vertretungen_vertretene ON vertretungen (vertretene_id, von);
CREATE INDEX vertretungen_vertreter ON vertretungen (vertreter_id, von);

-- Accounts: people or service accounts (integrations: portal, scanner);
-- local password (argon2id, PHC string), TOTP, external (OIDC) subject.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX users_external ON users (external_id) WHERE external_id IS NOT NULL;

-- One-time recovery codes for the second factor (hashes only).
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users(id),
    hash    TEXT NOT NULL,
    used_at TIMESTAMP,
    PRIMARY KEY (user_id, hash)
);

-- Token scopes: comma-separated (read,write,admin,audit).
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read,write,admin,audit';

-- Browser sessions, shared by every node. id is the SHA-256 of the
-- cookie secret, so a database dump does not hand out sessions.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    csrf         TEXT NOT NULL,
    method       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    remote_addr  TEXT NOT NULL,
    user_agent   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Login throttling per account and per address, shared by every node.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

-- Aktenzeichen typed by a user of another tenant (shared Akten).
CREATE INDEX aktenzeichen_az ON aktenzeichen (aktenzeichen);

-- +goose Down
DROP INDEX aktenzeichen_az;
DROP TABLE login_throttle;
DROP TABLE sessions;
ALTER TABLE api_tokens DROP COLUMN scopes;
DROP TABLE recovery_codes;
DROP INDEX users_external;
ALTER TABLE users DROP COLUMN external_id;
ALTER TABLE users DROP COLUMN totp_enabled;
ALTER TABLE users DROP COLUMN totp_secret;
ALTER TABLE users DROP COLUMN password_hash;
ALTER TABLE users DROP COLUMN kind;
DROP TABLE vertretungen;
DROP TABLE grants;
DROP TABLE restriction_users;
ALTER TABLE dokumente DROP COLUMN restriction;
ALTER TABLE vorgaenge DROP COLUMN restriction;
DROP INDEX akten_owner;
ALTER TABLE akten DROP COLUMN owner_unit_id;
