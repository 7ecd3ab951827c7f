-- Experiments and comparisons: a group of runs made by one action (e.g. every cell of a deep-hedging
-- experiment, or delta versus delta-gamma across rebalancing counts), with its own summary table.
CREATE TABLE run_groups (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  label        TEXT NOT NULL DEFAULT '',
  config_json  TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  summary_json TEXT
);

ALTER TABLE runs ADD COLUMN group_id TEXT REFERENCES run_groups (id) ON DELETE SET NULL;
CREATE INDEX runs_group_id ON runs (group_id);
CREATE INDEX runs_kind ON runs (kind, created_at);
