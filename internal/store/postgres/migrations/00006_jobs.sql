-- +goose Up
-- Durable background jobs (internal/jobs; docs/jobs.md). One row per job that
-- has not finished: queued (ready at run_at, or waiting for a retry after a
-- failed attempt), running (leased by a node until lease_until; the node
-- extends the lease while it works) or dead (attempts used up; kept with the
-- last error until an admin retries or discards it). A job that succeeds is
-- deleted.
CREATE TABLE jobs (
    id           TEXT COLLATE "C" PRIMARY KEY,
    kind         TEXT COLLATE "C" NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT COLLATE "C" NOT NULL CHECK (state IN ('queued', 'running', 'dead')),
    unique_key   TEXT COLLATE "C",
    attempt      INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 0,
    run_at       TIMESTAMPTZ NOT NULL,
    locked_by    TEXT,
    lease_token  TEXT COLLATE "C",
    lease_until  TIMESTAMPTZ,
    last_error   TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    dead_at      TIMESTAMPTZ
);
-- A unique key names work that must be pending at most once.
CREATE UNIQUE INDEX jobs_unique ON jobs (unique_key)
    WHERE unique_key IS NOT NULL AND state <> 'dead';
-- Claiming: the ready jobs of a kind, oldest first (FOR UPDATE SKIP LOCKED).
CREATE INDEX jobs_ready ON jobs (kind, run_at, id) WHERE state = 'queued';
-- Reaping: leases that ran out.
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
-- The dead-letter list.
CREATE INDEX jobs_dead ON jobs (kind, id) WHERE state = 'dead';

-- +goose Down
DROP TABLE jobs;
