import { afterEach, describe, expect, it } from 'vitest';
import { type Workstation } from '../../src-main/workstation';
import { loadHestonSolution } from '../../src-main/engine/heston/solver';
import { hestonEuropeanGreeks } from '../../src-main/engine/heston/semiAnalytic';
import { type HestonSolveMetrics, type HestonSurface } from '../../src-shared/heston/contract';
import { H1_CLAIM, H1_MARKET, GREEK_NAMES } from '../../src-shared/heston/types';
import { openWorkstation } from '../helpers/host';
import { type Err, rpc } from '../helpers/rpc';

let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const { call, ok } = rpc(() => ws!);
/** A European put on the H1 market (semi-analytic reference), the quick preset at N = 4: seconds. */
const european = { ...H1_CLAIM, exerciseDates: 1 };
const quick = { market: H1_MARKET, claim: european, scheme: 'osm', solver: 'quick', steps: 4, seed: 3 };

describe('heston-solve handler and store', () => {
  it('a quick solve stores its run; after loadHestonSolution the stored networks reproduce the t = 0 Greeks and the surfaces', async () => {
    ws = await openWorkstation();
    const { runId } = await ok<{ runId: string }>('heston-solve', quick);
    await ws.jobs.idle();
    const run = ws.runs.get(runId)!;
    expect(run.status, JSON.stringify(run.error)).toBe('done');
    expect(run.kind).toBe('heston-solve');
    expect(run.model).toBe('osm');
    const config = run.config as { market: unknown; claim: unknown; solver: { steps: number; seed: number; preset: string; scheme: string } };
    expect(config.market).toEqual(H1_MARKET);
    expect(config.claim).toEqual(european);
    expect(config.solver).toMatchObject({ steps: 4, seed: 3, preset: 'quick', scheme: 'osm' });
    const m = run.metrics as HestonSolveMetrics;
    // the reference is the semi-analytic formula, computed independently here; errors are |value - reference|
    const exact = hestonEuropeanGreeks(H1_MARKET, european);
    expect(m.reference?.method).toBe('semi-analytic');
    for (const g of GREEK_NAMES) {
      expect(m.reference!.t0[g]).toBeCloseTo(exact[g], 12);
      expect(m.errors![g].abs).toBeCloseTo(Math.abs(m.t0[g] - exact[g]), 12);
    }
    // a quick solve is rough but must be a price of this put: within 10% of the formula
    expect(Math.abs(m.t0.price - exact.price) / exact.price).toBeLessThan(0.1);
    expect(m.errors!.price.rel).toBeCloseTo(Math.abs(m.t0.price - exact.price) / exact.price, 12);

    // reload from the store: the networks come back from the run's arrays and give the same Greeks
    const arrays = Object.fromEntries(m.solutionArrays.map((k) => [k, ws!.runs.getArray(runId, k) as Float32Array]));
    const sol = loadHestonSolution(m.solution, arrays);
    try {
      for (const g of GREEK_NAMES) expect(sol.t0[g]).toBe(m.t0[g]);
      const d = m.surfaces!.dates[0]!;
      const surface = await ok<HestonSurface>('heston-surface', { runId, date: 0, greek: 'delta' });
      expect(surface.S).toEqual(d.S);
      expect(surface.network).toHaveLength(d.S.length * d.nu.length);
      const S = Float64Array.from(d.S.flatMap((s) => d.nu.map(() => s)));
      const nu = Float64Array.from(d.S.flatMap(() => d.nu));
      const again = sol.source.at(d.n, S, nu);
      for (let k = 0; k < S.length; k += 37) expect(again.delta[k]).toBeCloseTo(surface.network[k]!, 10);
      // the PDE side of a European is the formula at tau = T - t_n
      expect(surface.pde).not.toBeNull();
    } finally {
      sol.dispose();
    }
  });

  it('rejects bad input naming the field, and exercise dates off the grid, before any run is stored', async () => {
    ws = await openWorkstation();
    const bad = (await call('heston-solve', { ...quick, market: { ...H1_MARKET, nu0: -0.1 } })) as Err;
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('INVALID_INPUT');
    expect(bad.error.fields?.[0]?.field).toBe('market.nu0');
    const offGrid = (await call('heston-solve', { ...quick, claim: H1_CLAIM, steps: 18 })) as Err;
    expect(offGrid.ok).toBe(false);
    expect(offGrid.error.fields?.map((f) => f.field)).toContain('steps');
    expect(offGrid.error.message).toMatch(/multiple of/);
    expect(ws.runs.list('heston-solve')).toHaveLength(0);
  });
});
