-- Portfolio books (spec portfolio-bsde.md "Book"): assets, correlation and options as one JSON document per
-- version. Editing a version that a run used creates a new version; runs keep pointing at the version they
-- used (portfolio_version_runs), so a stored solve can always be traced to the exact book it solved.
CREATE TABLE portfolio_books (
  id          TEXT PRIMARY KEY,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  -- Preset the book was seeded from (e.g. 'B1'), NULL for a book made by the user.
  preset      TEXT
);

CREATE TABLE portfolio_versions (
  book_id       TEXT NOT NULL REFERENCES portfolio_books (id) ON DELETE CASCADE,
  version       INTEGER NOT NULL CHECK (version >= 1),
  name          TEXT NOT NULL,
  content_json  TEXT NOT NULL,
  -- sha256 of the canonical JSON of the content (finds an identical book, e.g. a preset solved twice).
  content_hash  TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (book_id, version)
);
CREATE INDEX portfolio_versions_hash ON portfolio_versions (content_hash);

-- Which book version each solver run used. Deleting the run removes the link; a version with links cannot
-- be deleted (no ON DELETE on the version side).
CREATE TABLE portfolio_version_runs (
  run_id   TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  book_id  TEXT NOT NULL,
  version  INTEGER NOT NULL,
  FOREIGN KEY (book_id, version) REFERENCES portfolio_versions (book_id, version)
);
CREATE INDEX portfolio_version_runs_version ON portfolio_version_runs (book_id, version);
