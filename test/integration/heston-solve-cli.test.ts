import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GREEK_NAMES, H1_CLAIM, H1_MARKET } from '../../src-shared/heston/types';
import { openWorkstation } from '../helpers/host';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

const golden = JSON.parse(readFileSync(join(ROOT, 'test', 'reference', 'heston_quantlib.json'), 'utf8')) as { bermudan: Array<{ exercise: number | string; price: number; delta: number; gamma: number }> };

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 150_000 });

describe('CLI bsde solve --preset H1', () => {
  it('--solver quick --json: H1 (Bermudan put, 12 dates) with price and five Greeks beside the ADI PDE reference and errors; the run is stored', async () => {
    const dataDir = tempDir();
    const r = cli(['bsde', 'solve', '--preset', 'H1', '--solver', 'quick', '--seed', '2', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(out).toMatchObject({ preset: 'H1', scheme: 'osm', steps: 12, status: 'done' });
    expect(out.market).toEqual(H1_MARKET);
    expect(out.claim).toEqual(H1_CLAIM);
    expect(out.feller).toMatchObject({ holds: true, lhs: 1.6 });
    expect(out.reference.method).toBe('ADI PDE');
    // the engine's PDE against QuantLib's FdHestonVanillaEngine with BermudanExercise at H1 (test/reference/heston_quantlib.py
    // -> heston_quantlib.json, 400 x 400 x 200 grid)
    const ql = golden.bermudan.find((b) => b.exercise === 12)!;
    expect(Math.abs(out.reference.t0.price - ql.price)).toBeLessThan(1e-3);
    expect(Math.abs(out.reference.t0.delta - ql.delta)).toBeLessThan(1e-3);
    expect(Math.abs(out.reference.t0.gamma - ql.gamma)).toBeLessThan(1e-2);
    expect(Math.abs(out.reference.refinement.change.price)).toBeLessThan(1e-3);
    for (const g of GREEK_NAMES) {
      expect(Number.isFinite(out.t0[g])).toBe(true);
      expect(out.errors[g].abs).toBeCloseTo(Math.abs(out.t0[g] - out.reference.t0[g]), 12);
    }
    // quick is coarse; its price must still be this put's (the 1% is for the cpu preset)
    expect(out.errors.price.rel).toBeLessThan(0.05);
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
