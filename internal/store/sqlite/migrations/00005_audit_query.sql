-- +goose Up
-- Audit queries (Prüfprotokoll-Abfrage): one index per filter, each ending in
-- id where the result is read in id order (keyset pagination). The object
-- filter already has audit_log_object (tenant_id, object_id, id) from 00001.
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
CREATE INDEX audit_log_actor ON audit_log (tenant_id, actor_id, id);
CREATE INDEX audit_log_action ON audit_log (tenant_id, action, id);
CREATE INDEX audit_log_at ON audit_log (tenant_id, at);

-- +goose Down
DROP INDEX audit_log_at;
DROP INDEX audit_log_action;
DROP INDEX audit_log_actor;
DROP INDEX audit_log_tenant;
