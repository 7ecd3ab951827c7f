import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workstation } from '../../src-main/workstation';
import { openWorkstation } from '../helpers/host';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

/** Runs SQL on the store from another OS process (as the CLI does), with better-sqlite3. */
function sqlFromOtherProcess(dataDir: string, sql: string): void {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(join(dataDir, 'workstation.sqlite'))});
    db.pragma('busy_timeout = 15000');
    db.exec(${JSON.stringify(sql)});
    db.close();`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
}

const insertRun = (id: string, pid: number) =>
  `INSERT INTO runs (id, kind, model, label, status, config_json, seed, created_at, progress_total, owner_pid)
   VALUES ('${id}', 'hedge', 'bsdh', 'from the CLI', 'queued', '{}', 1, ${Date.now()}, 10, ${pid})`;

let dataDir: string;
let ws: Workstation;
const events: string[][] = [];

beforeAll(async () => {
  dataDir = tempDir();
  ws = await openWorkstation({ dataDir, watchExternalMs: 100 });
  ws.subscribe((event, payload) => {
    if (event === 'runs-changed') events.push((payload as { runIds: string[] }).runIds);
  });
});
afterAll(async () => {
  await ws.close();
});

const waitFor = async (pred: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
};

describe('runs written by another process', () => {
  it('push runs-changed naming the new run, then again when its status changes', async () => {
    sqlFromOtherProcess(dataDir, insertRun('cli-run-1', 999_999));
    await waitFor(() => events.some((ids) => ids.includes('cli-run-1')));
    expect(events.flat()).toContain('cli-run-1');
    expect(ws.runs.get('cli-run-1')?.status).toBe('queued');

    events.length = 0;
    sqlFromOtherProcess(dataDir, `UPDATE runs SET status = 'done', progress_done = 10 WHERE id = 'cli-run-1'`);
    await waitFor(() => events.some((ids) => ids.includes('cli-run-1')));
    expect(events).toEqual([['cli-run-1']]);
  });

  it('stay quiet while nothing changes, and leave out rows this process owns (its job manager reports those)', async () => {
    events.length = 0;
    await new Promise((r) => setTimeout(r, 400));
    expect(events).toEqual([]);
    sqlFromOtherProcess(dataDir, insertRun('own-worker-run', process.pid));
    await new Promise((r) => setTimeout(r, 400));
    expect(events.flat()).not.toContain('own-worker-run');
  });

  it('report a run deleted by another process (the lists drop it)', async () => {
    events.length = 0;
    sqlFromOtherProcess(dataDir, `DELETE FROM runs WHERE id = 'cli-run-1'`);
    await waitFor(() => events.length > 0);
    expect(events.length).toBeGreaterThan(0);
  });
});
