-- +goose Up
-- Saved searches: a user's query with its filters (JSON: objekt,
-- aktenplan, typ, status, jahr) under a name, per tenant and user; nobody
-- else reads them (records/savedsearches.go).
CREATE TABLE saved_searches (
    id         TEXT COLLATE "C" PRIMARY KEY,
    tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants(id),
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    filter     TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, user_id, name)
);
CREATE INDEX saved_searches_user ON saved_searches (tenant_id, user_id, id);

-- +goose Down
DROP TABLE saved_searches;
