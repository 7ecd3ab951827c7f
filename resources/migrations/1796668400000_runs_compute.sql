-- Where a run computes: 'local' (a worker thread of this machine) or 'cluster' (a BullMQ worker on Redis).
-- Runs of the cluster are not marked interrupted when the app restarts: their results wait in Redis.
ALTER TABLE runs ADD COLUMN compute TEXT NOT NULL DEFAULT 'local' CHECK (compute IN ('local', 'cluster'));
