-- +goose Up
-- Organisationseinheiten (Abteilung › Referat › Sachgebiet) of a tenant.
CREATE TABLE org_units (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    parent_id  TEXT REFERENCES org_units(id),
    kennung    TEXT NOT NULL,
    name       TEXT NOT NULL,
    typ        TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, kennung)
);
CREATE INDEX org_units_parent ON org_units (tenant_id, parent_id);

-- Membership of users in units, with their position there.
CREATE TABLE user_units (
    user_id  TEXT NOT NULL REFERENCES users(id),
    unit_id  TEXT NOT NULL REFERENCES org_units(id),
    position TEXT NOT NULL,
    PRIMARY KEY (user_id, unit_id)
);
CREATE INDEX user_units_unit ON user_units (unit_id);

-- +goose Down
DROP TABLE user_units;
DROP TABLE org_units;
