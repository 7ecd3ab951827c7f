-- LOBSTER pairs (spec orderbook.md, format 3): where a data set came from, stock names and trading sessions
-- (for trading-time annualisation), per-bucket message statistics and trading halts.
-- See src-main/store/queries/orderbook.ts and src-main/domains/orderbook/lobsterImport.ts.

-- 'book' (competition / generic files) or 'lobster' (message + orderbook pairs).
ALTER TABLE orderbook_datasets ADD COLUMN source TEXT NOT NULL DEFAULT 'book';

-- LOBSTER: the ticker (with the date when a ticker has several days) and the session from the file name,
-- seconds after midnight. NULL for other sources.
ALTER TABLE orderbook_stocks ADD COLUMN name TEXT;
ALTER TABLE orderbook_stocks ADD COLUMN session_date TEXT;
ALTER TABLE orderbook_stocks ADD COLUMN session_start_seconds REAL;
ALTER TABLE orderbook_stocks ADD COLUMN session_end_seconds REAL;

-- Message statistics of one bucket (time_id = bucket index on the session clock): messages by event type
-- 1..7, shares executed visibly (type 4) and against hidden orders (type 5), executions (type 4 or 5), and
-- messages inside a halt. A bucket can have messages and no stored book row (all rows one-sided or halted).
CREATE TABLE orderbook_bucket_events (
  dataset_id      TEXT NOT NULL REFERENCES orderbook_datasets (id) ON DELETE CASCADE,
  stock_id        INTEGER NOT NULL,
  time_id         INTEGER NOT NULL,
  type1           INTEGER NOT NULL,
  type2           INTEGER NOT NULL,
  type3           INTEGER NOT NULL,
  type4           INTEGER NOT NULL,
  type5           INTEGER NOT NULL,
  type6           INTEGER NOT NULL,
  type7           INTEGER NOT NULL,
  visible_volume  REAL NOT NULL,
  hidden_volume   REAL NOT NULL,
  trades          INTEGER NOT NULL,
  halted_rows     INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, stock_id, time_id)
);

-- Trading halts (type-7 messages: price -1 halts, 1 resumes trading), seconds since the session start;
-- end_second NULL when the file ends halted; row = 1-based row of the halt message in the pair.
CREATE TABLE orderbook_halts (
  dataset_id    TEXT NOT NULL REFERENCES orderbook_datasets (id) ON DELETE CASCADE,
  stock_id      INTEGER NOT NULL,
  start_second  REAL NOT NULL,
  end_second    REAL,
  row           INTEGER NOT NULL
);
CREATE INDEX orderbook_halts_stock ON orderbook_halts (dataset_id, stock_id);
