-- Runs: one row per job (hedging run, later training and solver runs). Arrays live in run_arrays as blobs.
CREATE TABLE runs (
  id             TEXT PRIMARY KEY,
  kind           TEXT NOT NULL,
  model          TEXT NOT NULL,
  label          TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL CHECK (status IN ('queued','running','done','failed','cancelled','interrupted')),
  config_json    TEXT NOT NULL,
  seed           INTEGER NOT NULL,
  backend        TEXT,
  created_at     INTEGER NOT NULL,
  started_at     INTEGER,
  finished_at    INTEGER,
  wall_ms        REAL,
  progress_done  INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT 0,
  metrics_json   TEXT,
  error_json     TEXT,
  owner_pid      INTEGER
);
CREATE INDEX runs_created_at ON runs (created_at);
CREATE INDEX runs_status ON runs (status);

-- Typed arrays of a run (PnL samples, costs...): little-endian bytes of a Float64Array/Float32Array/Int32Array.
CREATE TABLE run_arrays (
  run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name    TEXT NOT NULL,
  dtype   TEXT NOT NULL CHECK (dtype IN ('f64','f32','i32')),
  length  INTEGER NOT NULL,
  data    BLOB NOT NULL,
  PRIMARY KEY (run_id, name)
);

CREATE TABLE app_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
