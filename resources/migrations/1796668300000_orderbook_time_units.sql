-- Trading-time units of an order-book data set (spec orderbook.md "Time units"): the session length and the
-- sessions per year that annualise its intraday figures (signature plot, intraday profiles), and where its
-- session clock starts (seconds after midnight UTC; NULL = midnight). A data set without a row uses the spec's
-- default, 252 sessions of 6.5 hours. See src-main/store/queries/orderbookTimeUnits.ts.
CREATE TABLE orderbook_time_units (
  dataset_id             TEXT PRIMARY KEY REFERENCES orderbook_datasets (id) ON DELETE CASCADE,
  session_hours          REAL NOT NULL CHECK (session_hours > 0 AND session_hours <= 24),
  sessions_per_year      REAL NOT NULL CHECK (sessions_per_year > 0 AND sessions_per_year <= 366),
  session_start_seconds  REAL CHECK (session_start_seconds IS NULL OR (session_start_seconds >= 0 AND session_start_seconds < 86400)),
  updated_at             INTEGER NOT NULL
);
