-- Order-book data sets (imported files), their stocks and buckets with the WAP series as typed-array blobs,
-- and the hedging path sets built from them. See src-main/store/queries/orderbook.ts.

-- One import: a file or a folder of book files. Visible once its import run is done (or it has no run).
CREATE TABLE orderbook_datasets (
  id              TEXT PRIMARY KEY,
  label           TEXT NOT NULL,
  source_path     TEXT NOT NULL,
  format          TEXT NOT NULL CHECK (format IN ('parquet','csv','mixed')),
  layout          TEXT NOT NULL CHECK (layout IN ('competition','generic')),
  levels          INTEGER NOT NULL,
  bucket_seconds  REAL NOT NULL,
  -- sha256 over the files' contents, their stock ids and the column mapping: the same input is stored once.
  content_hash    TEXT NOT NULL,
  files           INTEGER NOT NULL,
  stocks          INTEGER NOT NULL,
  buckets         INTEGER NOT NULL,
  rows            INTEGER NOT NULL,
  rejected_rows   INTEGER NOT NULL,
  mapping_json    TEXT NOT NULL,
  rejects_json    TEXT NOT NULL,
  stats_json      TEXT NOT NULL,
  import_seconds  REAL,
  import_run_id   TEXT REFERENCES runs (id) ON DELETE SET NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX orderbook_datasets_hash ON orderbook_datasets (content_hash);

CREATE TABLE orderbook_files (
  dataset_id  TEXT NOT NULL REFERENCES orderbook_datasets (id) ON DELETE CASCADE,
  path        TEXT NOT NULL,
  format      TEXT NOT NULL,
  stock_id    INTEGER NOT NULL,
  rows        INTEGER NOT NULL,
  rejected    INTEGER NOT NULL,
  bytes       INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  PRIMARY KEY (dataset_id, path)
);

CREATE TABLE orderbook_stocks (
  dataset_id     TEXT NOT NULL REFERENCES orderbook_datasets (id) ON DELETE CASCADE,
  stock_id       INTEGER NOT NULL,
  buckets        INTEGER NOT NULL,
  rows           INTEGER NOT NULL,
  first_time_id  INTEGER NOT NULL,
  last_time_id   INTEGER NOT NULL,
  stats_json     TEXT NOT NULL,
  PRIMARY KEY (dataset_id, stock_id)
);

-- One bucket (time_id) of one stock: statistics first, then the series (little-endian typed arrays, one entry
-- per book row in time order): seconds f64, wap f64 (all levels), wap1 f64 (level 1), bid1/ask1/depth f32.
CREATE TABLE orderbook_buckets (
  dataset_id    TEXT NOT NULL REFERENCES orderbook_datasets (id) ON DELETE CASCADE,
  stock_id      INTEGER NOT NULL,
  time_id       INTEGER NOT NULL,
  rows          INTEGER NOT NULL,
  first_second  REAL NOT NULL,
  last_second   REAL NOT NULL,
  rv            REAL,
  rv1           REAL,
  spread_bp     REAL NOT NULL,
  depth         REAL NOT NULL,
  wap_open      REAL NOT NULL,
  wap_close     REAL NOT NULL,
  wap_min       REAL NOT NULL,
  wap_max       REAL NOT NULL,
  seconds       BLOB NOT NULL,
  wap           BLOB NOT NULL,
  wap1          BLOB NOT NULL,
  bid1          BLOB NOT NULL,
  ask1          BLOB NOT NULL,
  depth_series  BLOB NOT NULL,
  PRIMARY KEY (dataset_id, stock_id, time_id)
);

-- Hedging windows built from a data set's WAP series (spec orderbook.md "Paths for hedging").
CREATE TABLE orderbook_path_sets (
  id               TEXT PRIMARY KEY,
  dataset_id       TEXT REFERENCES orderbook_datasets (id) ON DELETE SET NULL,
  label            TEXT NOT NULL,
  config_json      TEXT NOT NULL,
  steps            INTEGER NOT NULL,
  interval_seconds REAL NOT NULL,
  dt_years         REAL NOT NULL,
  wap              TEXT NOT NULL,
  windows          TEXT NOT NULL,
  train_count      INTEGER NOT NULL,
  test_count       INTEGER NOT NULL,
  dropped          INTEGER NOT NULL,
  sigma_train      REAL,
  sigma_test       REAL,
  cut_time_id      REAL NOT NULL,
  build_run_id     TEXT REFERENCES runs (id) ON DELETE SET NULL,
  created_at       INTEGER NOT NULL
);

-- Windows in chunks (so a page can be read without loading everything): paths f64 count x (steps + 1),
-- stock_ids i32, time_ids i32, start_seconds f64.
CREATE TABLE orderbook_path_chunks (
  path_set_id    TEXT NOT NULL REFERENCES orderbook_path_sets (id) ON DELETE CASCADE,
  split          TEXT NOT NULL CHECK (split IN ('train','test')),
  chunk          INTEGER NOT NULL,
  first_window   INTEGER NOT NULL,
  count          INTEGER NOT NULL,
  stock_ids      BLOB NOT NULL,
  time_ids       BLOB NOT NULL,
  start_seconds  BLOB NOT NULL,
  paths          BLOB NOT NULL,
  PRIMARY KEY (path_set_id, split, chunk)
);
