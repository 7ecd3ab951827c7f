import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { H1_MARKET } from '../../src-shared/heston/types';
import { openWorkstation } from '../helpers/host';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

/** A finished 'heston-solve' row of a European put on N = 10 steps (what the hedge reads of a solve run). */
async function storedSolve(dataDir: string): Promise<string> {
  const ws = await openWorkstation({ dataDir });
  const id = randomUUID();
  ws.runs.create({ id, kind: 'heston-solve' as never, model: 'osm', label: 'cli solve', config: { market: H1_MARKET, claim: { kind: 'put', strike: 11, maturity: 0.3, exerciseDates: 1 }, solver: {} }, seed: 1, total: 1, groupId: null });
  ws.runs.markRunning(id, 'js-float64');
  ws.runs.finish(id, { wallMs: 1, metrics: { scheme: 'osm', steps: 10, horizon: 0.3, dt: 0.03, solution: null, solutionArrays: [] }, arrays: {} });
  await ws.close();
  return id;
}

describe('CLI bsde hedge on a Heston solve run', () => {
  it('detects the run kind, runs heston-hedge and prints every (strategy, R) cell as JSON', async () => {
    const dataDir = tempDir();
    const solveRunId = await storedSolve(dataDir);
    const r = cli(['bsde', 'hedge', solveRunId, '--strategy', 'delta,delta-vega', '--rebalance', '2,10', '--greeks', 'semi-analytic', '--paths', '64', '--seed', '2', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out).toMatchObject({ status: 'done', kind: 'heston-hedge', solveRunId, greeks: 'semi-analytic', steps: 10, paths: 64, seed: 2 });
    expect(out.cells.map((c: { strategy: string; rebalance: number }) => `${c.strategy}@${c.rebalance}`)).toEqual(['delta@2', 'delta@10', 'delta-vega@2', 'delta-vega@10']);
    for (const c of out.cells) {
      expect(c.stats.n).toBe(64);
      expect(c.stats.es.p1).toBeLessThanOrEqual(c.stats.var.p1);
    }
    expect(out.cells[3].cond).toMatchObject({ solves: 640, fallbacks: 0 });

    const text = cli(['bsde', 'hedge', solveRunId, '--strategy', 'delta-vega', '--rebalance', '3', '--greeks', 'semi-analytic', '--paths', '32', '--data-dir', dataDir]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/delta-vega\s+3\*/);
    expect(text.stdout).toContain('nearest grid dates');

    const bad = cli(['bsde', 'hedge', solveRunId, '--strategy', 'gamma', '--json', '--data-dir', dataDir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr + bad.stdout).toMatch(/strategy must be one of delta, delta-vega/);
  }, 200_000);
});
