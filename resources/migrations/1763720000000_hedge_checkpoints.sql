-- Deep hedging: network weights and optimiser state of a training run after an epoch, for resuming a
-- cancelled or interrupted run from its last saved epoch and for evaluating a run at a snapshot epoch.
-- The latest checkpoint of a run is replaced every epoch; rows with keep = 1 (snapshot and final epochs)
-- stay. Blobs are little-endian float64 vectors in the flat layout of engine/hedging/network.ts.
CREATE TABLE hedge_checkpoints (
  run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  epoch        INTEGER NOT NULL,
  keep         INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  layout_json  TEXT NOT NULL,
  params       BLOB NOT NULL,
  adam_m       BLOB NOT NULL,
  adam_v       BLOB NOT NULL,
  adam_t       INTEGER NOT NULL,
  history_json TEXT NOT NULL,
  PRIMARY KEY (run_id, epoch)
);
