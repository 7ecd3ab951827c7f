import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, readMigrations } from './migrate';

export type Db = Database.Database;

export interface OpenOptions {
  /** Folder that holds `workstation.sqlite` (created if missing). */
  dataDir: string;
  /** Folder of migration files; defaults to resources/migrations found from the app root. */
  migrationsDir?: string;
  /** Path of a better-sqlite3 binary built for another ABI (Electron in development). */
  nativeBinding?: string;
}

/** Where resources/ lives: next to package.json, found by walking up from this file (source or bundle). */
export function findResourcesDir(start: string = __dirname): string {
  const candidates = [process.env.HEDGE_RESOURCES_DIR, (process as { resourcesPath?: string }).resourcesPath]
    .filter((x): x is string => !!x)
    .map((p) => (p.endsWith('resources') ? p : join(p, 'resources')));
  let dir = resolve(start);
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'resources'));
    dir = resolve(dir, '..');
  }
  const hit = candidates.find((c) => existsSync(join(c, 'migrations')));
  if (!hit) throw new Error(`resources/migrations not found (looked in ${candidates.join(', ')})`);
  return hit;
}

/** Open (creating if needed) the store in WAL mode with foreign keys on, and bring its schema up to date. */
export function openDb(opts: OpenOptions): Db {
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, 'workstation.sqlite');
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 15000');
  migrate(db, readMigrations(opts.migrationsDir ?? join(findResourcesDir(), 'migrations')));
  return db;
}

/**
 * A read-only connection to an existing store (read workers: reads never block on or take part in writes;
 * WAL lets them read the last committed state while the host or a job writes).
 */
export function openReadOnly(opts: { file: string; nativeBinding?: string }): Db {
  const db = new Database(opts.file, { readonly: true, fileMustExist: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  db.pragma('busy_timeout = 15000');
  return db;
}
