-- +goose Up
-- The index rows of an Akte now name its grantees (narrowing terms g/h/p,
-- records.GranteeValues), written by the indexer and rewritten when a grant
-- is made or revoked. Rows indexed before lack them: the Akten with grants
-- are marked, with their subtree, for the indexer.
INSERT INTO search_pending (object_id, object_type, tenant_id, subtree, gen, queued_at)
SELECT a.id, 'akte', a.tenant_id, 1, 1, CURRENT_TIMESTAMP FROM akten a
WHERE EXISTS (SELECT 1 FROM grants g WHERE g.akte_id = a.id AND g.revoked_at IS NULL)
ON CONFLICT (object_id) DO UPDATE SET gen = search_pending.gen + 1, subtree = 1;

-- +goose Down
SELECT 1;
