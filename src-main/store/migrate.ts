import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

/**
 * Forward-only migrations: files `<epoch-ms>_<name>.sql` in one folder, applied in order of their number,
 * each in its own transaction together with its row in `schema_migrations`. A file that was applied and then
 * edited is refused (its checksum no longer matches): shipped migrations are never edited, only added.
 */
export interface MigrationFile {
  id: string;
  version: number;
  sql: string;
  checksum: string;
}

const FILE_RE = /^(\d{10,16})_([a-z0-9_-]+)\.sql$/i;

export function readMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => FILE_RE.test(f))
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      return {
        id: f.replace(/\.sql$/i, ''),
        version: Number(FILE_RE.exec(f)![1]),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
}

export interface MigrateResult {
  applied: string[];
  current: string | null;
}

export function migrate(db: Database.Database, migrations: MigrationFile[]): MigrateResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Map(
    (db.prepare('SELECT id, checksum FROM schema_migrations').all() as Array<{ id: string; checksum: string }>).map(
      (r) => [r.id, r.checksum],
    ),
  );
  const known = new Set(migrations.map((m) => m.id));
  for (const id of done.keys()) {
    if (!known.has(id)) {
      throw new Error(
        `database was written by a newer version of the app (migration ${id} is unknown to this version); ` +
          'update the app or point it at another data directory',
      );
    }
  }
  const applied: string[] = [];
  const insert = db.prepare('INSERT INTO schema_migrations (id, version, checksum, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of migrations) {
    const prior = done.get(m.id);
    if (prior !== undefined) {
      if (prior !== m.checksum) throw new Error(`migration ${m.id} was edited after it was applied; add a new migration instead`);
      continue;
    }
    db.transaction(() => {
      db.exec(m.sql);
      insert.run(m.id, m.version, m.checksum, Date.now());
    })();
    applied.push(m.id);
  }
  return { applied, current: migrations.length ? migrations[migrations.length - 1].id : null };
}
