-- +goose Up
-- See the SQLite migration: index rows of Akten with grants are rebuilt so
-- that they carry the grantee narrowing terms.
INSERT INTO search_pending (object_id, object_type, tenant_id, subtree, gen, queued_at)
SELECT a.id, 'akte', a.tenant_id, TRUE, 1, now() FROM akten a
WHERE EXISTS (SELECT 1 FROM grants g WHERE g.akte_id = a.id AND g.revoked_at IS NULL)
ON CONFLICT (object_id) DO UPDATE SET gen = search_pending.gen + 1, subtree = TRUE;

-- +goose Down
SELECT 1;
