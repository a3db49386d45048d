-- +goose Up
-- The state of the thumbnail of a version and of a Posteingang item, so
-- that a sweeper finds what still needs one (a job lost between commit and
-- enqueue, versions stored before thumbnails existed) in bounded batches
-- and never retries what cannot have one (intake/thumbjob.go):
--   ausstehend  nothing asked yet (the hook's job may be under way)
--   eingereiht  a job was enqueued by the sweeper or failed in a way a retry
--               may cure; from here on the job queue owns it (retries, dead
--               letters) and the sweeper leaves it alone
--   erstellt    miniatur_sha256 is set
--   keine       the type or the content cannot give a thumbnail
-- Versions that already have a thumbnail are erstellt; all others start as
-- ausstehend and are found by the sweeper (oldest first).
ALTER TABLE versionen ADD COLUMN miniatur_status TEXT NOT NULL DEFAULT 'ausstehend';
UPDATE versionen SET miniatur_status = 'erstellt' WHERE miniatur_sha256 IS NOT NULL;
CREATE INDEX versionen_miniatur_ausstehend ON versionen (created_at, dokument_id, nummer) WHERE miniatur_status = 'ausstehend';

-- A Posteingang item's thumbnail, made by the same job from the item's
-- content; referenced here so that the blob check and clean-up keep it.
ALTER TABLE posteingang ADD COLUMN miniatur_sha256 TEXT;
ALTER TABLE posteingang ADD COLUMN miniatur_status TEXT NOT NULL DEFAULT 'ausstehend';
CREATE INDEX posteingang_miniatur ON posteingang (miniatur_sha256) WHERE miniatur_sha256 IS NOT NULL;
CREATE INDEX posteingang_miniatur_ausstehend ON posteingang (eingegangen_am, id) WHERE miniatur_status = 'ausstehend';

-- +goose Down
DROP INDEX posteingang_miniatur_ausstehend;
DROP INDEX posteingang_miniatur;
ALTER TABLE posteingang DROP COLUMN miniatur_status;
ALTER TABLE posteingang DROP COLUMN miniatur_sha256;
DROP INDEX versionen_miniatur_ausstehend;
ALTER TABLE versionen DROP COLUMN miniatur_status;
