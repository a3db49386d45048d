-- +goose Up
-- Installation-wide operators (Betrieb): accounts that may list and create
-- tenants in the web application, besides being administrators of their
-- own tenant. Granted and withdrawn only by the operator's CLI
-- (aktenwerk user betrieb), never by a tenant's administrator; the first
-- administrator of a new installation gets it (records/betrieb.go).
CREATE TABLE betrieb (
    user_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id),
    granted_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE betrieb;
