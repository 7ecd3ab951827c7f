import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hestonEuropeanGreeks } from '../../src-main/engine/heston/semiAnalytic';
import { GREEK_NAMES, H1_CLAIM, H1_MARKET } from '../../src-shared/heston/types';
import { openWorkstation } from '../helpers/host';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 150_000 });

describe('CLI bsde solve --preset H1', () => {
  it('--exercise-dates 1 --solver quick --json prints the t = 0 Greeks beside the semi-analytic reference with errors and stores the run', async () => {
    const dataDir = tempDir();
    const r = cli(['bsde', 'solve', '--preset', 'H1', '--exercise-dates', '1', '--solver', 'quick', '--steps', '4', '--seed', '2', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(out).toMatchObject({ preset: 'H1', scheme: 'osm', steps: 4, status: 'done' });
    expect(out.claim).toEqual({ ...H1_CLAIM, exerciseDates: 1 });
    expect(out.feller).toMatchObject({ holds: true, lhs: 1.6 });
    // independent of the run: the formula at the H1 market
    const exact = hestonEuropeanGreeks(H1_MARKET, { ...H1_CLAIM });
    expect(out.reference.method).toBe('semi-analytic');
    for (const g of GREEK_NAMES) {
      expect(Number.isFinite(out.t0[g])).toBe(true);
      expect(out.reference.t0[g]).toBeCloseTo(exact[g], 12);
      expect(out.errors[g].abs).toBeCloseTo(Math.abs(out.t0[g] - exact[g]), 12);
    }
    expect(out.wallSeconds).toBeGreaterThan(0);
    const ws = await openWorkstation({ dataDir });
    try {
      const run = ws.runs.get(out.runId)!;
      expect(run.kind).toBe('heston-solve');
      expect(run.status).toBe('done');
    } finally {
      await ws.close();
    }
  }, 180_000);

  it('rejects a bad scheme or solver naming the field, exits 2 and stores no run', async () => {
    const dataDir = tempDir();
    const r = cli(['bsde', 'solve', '--preset', 'H1', '--scheme', 'euler', '--solver', 'huge', '--data-dir', dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/scheme must be osm or rdbdp/);
    expect(r.stderr + r.stdout).toMatch(/--solver: solver preset must be quick or cpu/);
    const ws = await openWorkstation({ dataDir });
    try {
      expect(ws.runs.list('heston-solve')).toHaveLength(0);
    } finally {
      await ws.close();
    }
  });
});
