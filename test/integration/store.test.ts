import { mkdirSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { findResourcesDir, openDb } from '../../src-main/store/db';
import { migrate, readMigrations } from '../../src-main/store/migrate';
import { runQueries } from '../../src-main/store/queries/runs';
import { DEFAULT_HEDGE_CONFIG, type HedgeMetrics } from '../../src-shared/hedging/config';
import { tempDir } from '../helpers/tmp';

const MIGRATIONS = join(findResourcesDir(), 'migrations');
const metrics = (x: number): HedgeMetrics => ({
  paths: 3, mean: x, std: 1, entropic: 2, var90: 1, var95: 1, var99: 1, es90: 1, es95: 1, es99: 1,
  indifferencePrice: 0.5, noLiabilityRisk: 0, premium: 0.01, meanCost: 0.001,
});
const newRun = (id: string) => ({ id, kind: 'hedge' as const, model: 'bsdh', label: id, config: DEFAULT_HEDGE_CONFIG, seed: 1, total: 3 });

describe('migrations', () => {
  it('creates a fresh database with every table, in WAL mode, and is idempotent', () => {
    const dir = tempDir();
    const db = openDb({ dataDir: dir });
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['runs', 'run_arrays', 'app_meta', 'schema_migrations']));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = openDb({ dataDir: dir });
    expect(migrate(again, readMigrations(MIGRATIONS)).applied).toEqual([]);
    again.close();
  });

  it('upgrades an older database forward, keeping its data', () => {
    const dir = tempDir();
    const oldSet = tempDir();
    for (const f of readdirSync(MIGRATIONS)) copyFileSync(join(MIGRATIONS, f), join(oldSet, f));
    const db = new Database(join(dir, 'workstation.sqlite'));
    migrate(db, readMigrations(oldSet));
    runQueries(db).create(newRun('aaaaaaaa-1'));
    // A later version ships one more migration.
    writeFileSync(join(oldSet, '9999999999999_add_notes.sql'), `ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';`);
    const res = migrate(db, readMigrations(oldSet));
    expect(res.applied).toEqual(['9999999999999_add_notes']);
    const row = db.prepare(`SELECT id, notes FROM runs`).get() as { id: string; notes: string };
    expect(row).toEqual({ id: 'aaaaaaaa-1', notes: '' });
    db.close();
  });

  it('refuses a migration edited after it was applied, and a database from a newer version', () => {
    const set = tempDir();
    const file = readdirSync(MIGRATIONS)[0];
    copyFileSync(join(MIGRATIONS, file), join(set, file));
    const db = new Database(':memory:');
    migrate(db, readMigrations(set));
    writeFileSync(join(set, file), `-- edited\n${readMigrations(set)[0].sql}`);
    expect(() => migrate(db, readMigrations(set))).toThrow(/edited after it was applied/);
    const empty = tempDir();
    mkdirSync(empty, { recursive: true });
    expect(() => migrate(db, readMigrations(empty))).toThrow(/newer version/);
  });

  it('rolls back a failing migration as a whole', () => {
    const set = tempDir();
    writeFileSync(join(set, '1000000000000_good.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(set, '1000000000001_bad.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
    const db = new Database(':memory:');
    expect(() => migrate(db, readMigrations(set))).toThrow();
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
  });
});

describe('run queries', () => {
  it('stores results and arrays together and reads the arrays back bit for bit', () => {
    const db = openDb({ dataDir: tempDir() });
    const q = runQueries(db);
    q.create(newRun('bbbbbbbb-1'));
    expect(q.markRunning('bbbbbbbb-1', 'js-float64')).toBe(true);
    const pnl = new Float64Array([-0.1, 0.25, Math.PI, -Number.MIN_VALUE]);
    q.finish('bbbbbbbb-1', { wallMs: 12.5, metrics: metrics(0.1), arrays: { pnl } });
    const r = q.get('bbbbbbbb-1')!;
    expect(r.status).toBe('done');
    expect((r.metrics as HedgeMetrics).mean).toBe(0.1);
    expect(r.progress.done).toBe(3);
    expect(Array.from(q.getArray('bbbbbbbb-1', 'pnl')!)).toEqual(Array.from(pnl));
  });

  it('does not store a result for a run that is no longer running (nothing half-written)', () => {
    const db = openDb({ dataDir: tempDir() });
    const q = runQueries(db);
    q.create(newRun('cccccccc-1'));
    q.markRunning('cccccccc-1', 'x');
    q.end('cccccccc-1', 'cancelled', null);
    expect(() => q.finish('cccccccc-1', { wallMs: 1, metrics: metrics(0), arrays: { pnl: new Float64Array(3) } })).toThrow(/no longer running/);
    expect(q.getArray('cccccccc-1', 'pnl')).toBeNull();
    expect(q.get('cccccccc-1')!.status).toBe('cancelled');
    expect(q.end('cccccccc-1', 'failed', null)).toBe(false);
  });

  it('marks runs left in progress by a dead process as interrupted, never done, and keeps live owners', () => {
    const dir = tempDir();
    const db = openDb({ dataDir: dir });
    const q = runQueries(db);
    q.create(newRun('dddddddd-1'));
    q.markRunning('dddddddd-1', 'x');
    q.create(newRun('dddddddd-2'));
    q.create(newRun('dddddddd-3'));
    db.prepare(`UPDATE runs SET owner_pid = 999999 WHERE id IN ('dddddddd-1','dddddddd-2')`).run();
    db.prepare(`UPDATE runs SET owner_pid = 12345 WHERE id = 'dddddddd-3'`).run();
    const interrupted = q.markInterrupted((pid) => pid === 12345);
    expect(interrupted.sort()).toEqual(['dddddddd-1', 'dddddddd-2']);
    expect(q.get('dddddddd-1')!.status).toBe('interrupted');
    expect(q.get('dddddddd-1')!.error!.code).toBe('INTERRUPTED');
    expect(q.get('dddddddd-3')!.status).toBe('queued');
  });

  it('deletes runs with their arrays', () => {
    const db = openDb({ dataDir: tempDir() });
    const q = runQueries(db);
    q.create(newRun('eeeeeeee-1'));
    q.markRunning('eeeeeeee-1', 'x');
    q.finish('eeeeeeee-1', { wallMs: 1, metrics: metrics(0), arrays: { pnl: new Float64Array(3) } });
    expect(q.delete(['eeeeeeee-1', 'eeeeeeee-9'])).toBe(1);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM run_arrays`).get()).toEqual({ n: 0 });
  });
});
