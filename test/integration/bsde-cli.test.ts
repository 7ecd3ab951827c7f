import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkstation } from '../helpers/host';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

describe('CLI bsde', () => {
  it('solve --preset B1 --assets 2 --scheme osm --json prints run id, wall time, t = 0 Greeks and the geometric-basket errors', async () => {
    const dataDir = tempDir();
    const r = cli(['bsde', 'solve', '--preset', 'B1', '--assets', '2', '--scheme', 'osm', '--solver', 'tiny', '--steps', '2', '--iterations-last', '200', '--iterations-other', '50', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(out.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.wallSeconds).toBeGreaterThan(0);
    expect(out.t0.delta).toHaveLength(2);
    expect(out.t0.gamma).toHaveLength(2);
    expect(out.geometricBasketErrors).toHaveLength(1);
    const g = out.geometricBasketErrors[0];
    expect(g.method).toBe('closed form');
    for (const k of ['price', 'delta', 'gamma']) expect(Number.isFinite(g.errors[k])).toBe(true);
    expect(Math.abs(out.t0.price - g.reference.price) / g.reference.price).toBeCloseTo(g.errors.price, 12);
    // no bare regression s.e. posing as the price's error: it is named as the regression's, and the price error
    // is the measured gap to the closed form
    expect(out.t0.priceStdErr).toBeUndefined();
    expect(out.t0.regressionStdErr).toBeGreaterThan(0);
    expect(out.t0.priceError.kind).toBe('reference');
    expect(out.t0.priceError.value).toBeCloseTo(Math.abs(out.t0.price - g.reference.price), 12);
    expect(out.options[0].priceError.kind).toBe('reference');
    const ws = await openWorkstation({ dataDir });
    try {
      const run = ws.runs.get(out.runId)!;
      expect(run.status).toBe('done');
      expect(run.kind).toBe('bsde-solve');
    } finally {
      await ws.close();
    }
  }, 150_000);

  it('solve --seeds 2 stores two solves and reports the spread of the prices over the seeds', async () => {
    const dataDir = tempDir();
    const r = cli(['bsde', 'solve', '--preset', 'B1', '--assets', '2', '--solver', 'tiny', '--steps', '2', '--iterations-last', '100', '--iterations-other', '30', '--seed', '5', '--seeds', '2', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    const s = out.seedSpread;
    expect(s.seedList).toEqual([5, 6]);
    expect(new Set(s.runIds).size).toBe(2);
    expect(s.book.prices[0]).toBe(out.t0.price);
    expect(s.book.prices[1]).not.toBe(s.book.prices[0]);
    expect(s.book.mean).toBeCloseTo((s.book.prices[0] + s.book.prices[1]) / 2, 12);
    expect(s.book.std).toBeCloseTo(Math.abs(s.book.prices[0] - s.book.prices[1]) / Math.SQRT2, 12);
    expect(s.note).toMatch(/bias common to all seeds is not included/);
  }, 200_000);

  it('solve --threads 2 (a helper thread inside the job worker) gives the same bits as --threads 1; --threads 3 is refused', async () => {
    const dataDir = tempDir();
    const args = ['bsde', 'solve', '--preset', 'B1', '--assets', '2', '--solver', 'tiny', '--steps', '2', '--iterations-last', '100', '--iterations-other', '30', '--json', '--data-dir', dataDir];
    const one = cli([...args, '--threads', '1']);
    const two = cli([...args, '--threads', '2']);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    const a = JSON.parse(one.stdout.trim());
    const b = JSON.parse(two.stdout.trim());
    expect(b.runId).not.toBe(a.runId);
    expect(b.t0.price).toBe(a.t0.price);
    expect(b.t0.delta).toEqual(a.t0.delta);
    expect(b.t0.gamma).toEqual(a.t0.gamma);
    const bad = cli([...args, '--threads', '3']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--threads must be 1 or 2 (got "3")');
  }, 200_000);

  it('hedge RUN_ID --rebalance --strategy delta-gamma --paths --json prints the relative-PnL statistics', async () => {
    const dataDir = tempDir();
    const solved = cli(['bsde', 'solve', '--preset', 'B1', '--assets', '2', '--solver', 'tiny', '--steps', '4', '--iterations-last', '150', '--iterations-other', '40', '--json', '--data-dir', dataDir]);
    expect(solved.status, solved.stderr).toBe(0);
    const { runId } = JSON.parse(solved.stdout.trim());
    const r = cli(['bsde', 'hedge', runId, '--rebalance', '4', '--strategy', 'delta-gamma', '--paths', '256', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out).toMatchObject({ status: 'done', solveRunId: runId, strategy: 'delta-gamma', greeks: 'network', rebalance: 4, steps: 4, paths: 256 });
    for (const k of ['mean', 'variance', 'semivariance', 'skew']) expect(Number.isFinite(out.stats[k])).toBe(true);
    for (const k of ['p1', 'p5', 'p95', 'p99']) expect(out.stats.es[k]).toBeTypeOf('number');
    expect(out.stats.es.p1).toBeLessThanOrEqual(out.stats.var.p1);
    expect(out.lsqr.solves).toBe(256 * 4);
    const bad = cli(['bsde', 'hedge', runId, '--rebalance', '3', '--json', '--data-dir', dataDir]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr + bad.stdout).toContain('choose one of 1, 2, 4');
  }, 150_000);

  it('rejects bad flags naming the field, exits 2 and starts no run', async () => {
    const dataDir = tempDir();
    const r = cli(['bsde', 'solve', '--preset', 'B1', '--assets', '2', '--width', '0', '--scheme', 'euler', '--data-dir', dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--width: width must be >= 2 (got 0)');
    expect(r.stderr).toContain('--scheme: scheme must be osm or rdbdp (got "euler")');
    const ws = await openWorkstation({ dataDir });
    expect(ws.runs.list('bsde-solve')).toHaveLength(0);
    await ws.close();
  }, 90_000);
});
