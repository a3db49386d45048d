-- +goose Up
-- Pending sign-ins: the web form's second step (TOTP or recovery code)
-- after a correct password. id is the SHA-256 of the token the form
-- carries (the token itself is never stored); bound to tenant and user,
-- expires after five minutes, used once, a few code attempts at most
-- (internal/auth/pending.go). Expired rows are removed on the way.
CREATE TABLE pending_logins (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX pending_logins_expires ON pending_logins (expires_at);

-- A user's recently opened Akten (start page), newest first (highest seq:
-- a per-user counter, so that the order is exact even within one clock
-- tick), a bounded number per user (records/recent.go). The Akte may
-- belong to another tenant (a grant); visibility is checked again when the
-- list is read, so an Akte no longer visible is not shown.
CREATE TABLE recent_akten (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id   TEXT NOT NULL REFERENCES users(id),
    akte_id   TEXT NOT NULL REFERENCES akten(id),
    opened_at TIMESTAMP NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (user_id, akte_id)
);
CREATE INDEX recent_akten_user ON recent_akten (user_id, seq);

-- +goose Down
DROP TABLE recent_akten;
DROP TABLE pending_logins;
