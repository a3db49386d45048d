-- +goose Up
-- The tenant a job works for (NULL: the installation), so that a tenant's
-- administrators see and retry their own failed jobs only.
ALTER TABLE jobs ADD COLUMN tenant_id TEXT;
CREATE INDEX jobs_dead_tenant ON jobs (tenant_id, id) WHERE state = 'dead';

-- +goose Down
DROP INDEX jobs_dead_tenant;
ALTER TABLE jobs DROP COLUMN tenant_id;
