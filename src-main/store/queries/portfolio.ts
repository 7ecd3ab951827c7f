import { createHash, randomUUID } from 'node:crypto';
import { type Db } from '../db';
import { type BookContent } from '../../../src-shared/portfolio/book';
import { type BookSummary, type SaveResult, type StoredBook, type VersionInfo } from '../../../src-shared/portfolio/contract';

/** JSON with object keys sorted, so equal books hash equally whatever order their keys were written in. */
export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (x && typeof x === 'object') {
    return `{${Object.keys(x as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((x as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x);
}

export const contentHash = (b: BookContent): string => createHash('sha256').update(canonicalJson(b)).digest('hex');

interface VersionRow {
  book_id: string;
  version: number;
  name: string;
  content_json: string;
  created_at: number;
  updated_at: number;
  preset: string | null;
  runs: number;
  latest: number;
}

/** Every read and write of the portfolio tables (books, versions, the runs that used a version). */
export function portfolioQueries(db: Db) {
  const s = {
    list: db.prepare(`
      SELECT b.id AS book_id, b.preset, b.updated_at, v.name, v.version AS latest, v.content_json,
             (SELECT COUNT(*) FROM portfolio_versions WHERE book_id = b.id) AS versions,
             (SELECT COUNT(*) FROM portfolio_version_runs WHERE book_id = b.id) AS runs
      FROM portfolio_books b
      JOIN portfolio_versions v ON v.book_id = b.id AND v.version = (SELECT MAX(version) FROM portfolio_versions WHERE book_id = b.id)
      ORDER BY b.updated_at DESC, b.id`),
    getVersion: db.prepare(`
      SELECT v.*, b.preset,
             (SELECT COUNT(*) FROM portfolio_version_runs r WHERE r.book_id = v.book_id AND r.version = v.version) AS runs,
             (SELECT MAX(version) FROM portfolio_versions WHERE book_id = v.book_id) AS latest
      FROM portfolio_versions v JOIN portfolio_books b ON b.id = v.book_id
      WHERE v.book_id = ? AND v.version = COALESCE(?, (SELECT MAX(version) FROM portfolio_versions WHERE book_id = ?))`),
    versions: db.prepare(`
      SELECT v.version, v.name, v.created_at, v.updated_at,
             (SELECT COUNT(*) FROM portfolio_version_runs r WHERE r.book_id = v.book_id AND r.version = v.version) AS runs
      FROM portfolio_versions v WHERE v.book_id = ? ORDER BY v.version DESC`),
    insertBook: db.prepare(`INSERT INTO portfolio_books (id, created_at, updated_at, preset) VALUES (?, ?, ?, ?)`),
    touchBook: db.prepare(`UPDATE portfolio_books SET updated_at = ? WHERE id = ?`),
    insertVersion: db.prepare(
      `INSERT INTO portfolio_versions (book_id, version, name, content_json, content_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateVersion: db.prepare(`UPDATE portfolio_versions SET name = ?, content_json = ?, content_hash = ?, updated_at = ? WHERE book_id = ? AND version = ?`),
    hashOf: db.prepare(`SELECT content_hash FROM portfolio_versions WHERE book_id = ? AND version = ?`),
    byHash: db.prepare(`
      SELECT v.book_id, v.version FROM portfolio_versions v
      WHERE v.content_hash = ? AND v.version = (SELECT MAX(version) FROM portfolio_versions WHERE book_id = v.book_id)
      ORDER BY v.created_at LIMIT 1`),
    runsOfBook: db.prepare(`SELECT COUNT(*) AS n FROM portfolio_version_runs WHERE book_id = ?`),
    deleteBook: db.prepare(`DELETE FROM portfolio_books WHERE id = ?`),
    link: db.prepare(`INSERT INTO portfolio_version_runs (run_id, book_id, version) VALUES (?, ?, ?)`),
    meta: db.prepare(`SELECT value FROM app_meta WHERE key = ?`),
    setMeta: db.prepare(`INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)`),
  };

  const toStored = (r: VersionRow): StoredBook => ({
    bookId: r.book_id,
    version: r.version,
    latestVersion: r.latest,
    runs: r.runs,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    preset: r.preset,
    book: JSON.parse(r.content_json) as BookContent,
  });

  const insertNew = (book: BookContent, preset: string | null, now = Date.now()): { bookId: string; version: number } => {
    const id = randomUUID();
    s.insertBook.run(id, now, now, preset);
    s.insertVersion.run(id, 1, book.name, JSON.stringify(book), contentHash(book), now, now);
    return { bookId: id, version: 1 };
  };

  return {
    list(): BookSummary[] {
      return (s.list.all() as Array<{ book_id: string; preset: string | null; updated_at: number; name: string; latest: number; content_json: string; versions: number; runs: number }>).map((r) => {
        const b = JSON.parse(r.content_json) as BookContent;
        return { bookId: r.book_id, name: r.name, latestVersion: r.latest, versions: r.versions, assets: b.assets.length, options: b.options.length, runs: r.runs, preset: r.preset, updatedAt: r.updated_at };
      });
    },
    /** The given version, or the latest when `version` is null. */
    get(bookId: string, version: number | null = null): StoredBook | null {
      const r = s.getVersion.get(bookId, version, bookId) as VersionRow | undefined;
      return r ? toStored(r) : null;
    },
    versions(bookId: string): VersionInfo[] {
      return (s.versions.all(bookId) as Array<{ version: number; name: string; created_at: number; updated_at: number; runs: number }>).map((r) => ({
        version: r.version,
        name: r.name,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        runs: r.runs,
      }));
    },
    /**
     * Save a book (one transaction). New book -> version 1. Existing book: unchanged content -> nothing;
     * editing the latest version with no runs -> updated in place; otherwise (runs used it, or the edit
     * started from an older version) -> a new version on top.
     */
    save(bookId: string | null, baseVersion: number | null, book: BookContent): SaveResult | null {
      return db.transaction((): SaveResult | null => {
        if (bookId === null) return { ...insertNew(book, null), action: 'created' };
        const latest = this.get(bookId);
        if (!latest) return null;
        const base = baseVersion ?? latest.version;
        const now = Date.now();
        const hash = contentHash(book);
        if (base === latest.version && (s.hashOf.get(bookId, latest.version) as { content_hash: string }).content_hash === hash) {
          return { bookId, version: latest.version, action: 'unchanged' };
        }
        s.touchBook.run(now, bookId);
        if (base === latest.version && latest.runs === 0) {
          s.updateVersion.run(book.name, JSON.stringify(book), hash, now, bookId, latest.version);
          return { bookId, version: latest.version, action: 'updated' };
        }
        const version = latest.version + 1;
        s.insertVersion.run(bookId, version, book.name, JSON.stringify(book), hash, now, now);
        return { bookId, version, action: 'new-version' };
      })();
    },
    duplicate(bookId: string, version: number | null, name?: string): { bookId: string; version: number } | null {
      return db.transaction(() => {
        const src = this.get(bookId, version);
        if (!src) return null;
        return insertNew({ ...src.book, name: name ?? `${src.book.name} (copy)`.slice(0, 80) }, null);
      })();
    },
    /** Runs of any version of the book. */
    runCount(bookId: string): number {
      return (s.runsOfBook.get(bookId) as { n: number }).n;
    },
    delete(bookId: string): boolean {
      return s.deleteBook.run(bookId).changes === 1;
    },
    /** The latest version of some book with exactly this content, or a new book holding it. */
    findOrCreate(book: BookContent, preset: string | null): { bookId: string; version: number; created: boolean } {
      return db.transaction(() => {
        const hit = s.byHash.get(contentHash(book)) as { book_id: string; version: number } | undefined;
        if (hit) return { bookId: hit.book_id, version: hit.version, created: false };
        return { ...insertNew(book, preset), created: true };
      })();
    },
    linkRun(runId: string, bookId: string, version: number): void {
      s.link.run(runId, bookId, version);
    },
    /** Insert the preset books once per store (recorded in app_meta). */
    seedOnce(books: Array<{ book: BookContent; preset: string }>): number {
      return db.transaction(() => {
        if (s.meta.get('portfolio-presets-seeded')) return 0;
        // Decreasing timestamps keep the presets in their given order in the newest-first list.
        const now = Date.now();
        books.forEach((b, i) => insertNew(b.book, b.preset, now - i));
        s.setMeta.run('portfolio-presets-seeded', String(Date.now()));
        return books.length;
      })();
    },
  };
}

export type PortfolioQueries = ReturnType<typeof portfolioQueries>;
