import { afterEach, describe, expect, it } from 'vitest';
import { type Workstation } from '../../src-main/workstation';
import { storedHestonSolution } from '../../src-main/domains/heston/storedSolution';
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
    const { solution: sol } = storedHestonSolution(ws.runs, runId);
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

  it('a Bermudan is checked against the ADI PDE with its refined grid; the PDE surfaces come from the same solve', async () => {
    ws = await openWorkstation();
    const claim = { ...H1_CLAIM, exerciseDates: 2 };
    const { runId } = await ok<{ runId: string }>('heston-solve', { ...quick, claim, scheme: 'rdbdp' });
    await ws.jobs.idle();
    const run = ws.runs.get(runId)!;
    expect(run.status, JSON.stringify(run.error)).toBe('done');
    const m = run.metrics as HestonSolveMetrics;
    expect(m.scheme).toBe('rdbdp');
    const ref = m.reference!;
    expect(ref.method).toBe('ADI PDE');
    expect(ref.grid).not.toBeNull();
    expect(ref.refinement!.grid.ns).toBeGreaterThan(ref.grid!.ns);
    // the PDE's own error estimate is small against the price (h1 measured ~1e-4 relative on H1)
    expect(Math.abs(ref.refinement!.change.price)).toBeLessThan(2e-3 * ref.t0.price);
    // Bermudan with 2 dates: worth at least the European put, and the learned price is near the PDE's
    expect(ref.t0.price).toBeGreaterThanOrEqual(hestonEuropeanGreeks(H1_MARKET, claim).price - 1e-3);
    expect(m.errors!.price.rel!).toBeLessThan(0.1);
    for (const g of GREEK_NAMES) expect(m.errors![g].abs).toBeCloseTo(Math.abs(m.t0[g] - ref.t0[g]), 12);
    const s = await ok<HestonSurface>('heston-surface', { runId, date: 1, greek: 'price' });
    expect(s.pde).toHaveLength(s.S.length * s.nu.length);
    // a put's price falls as S rises, in the PDE surface at every nu
    for (let j = 0; j < s.nu.length; j++) expect(s.pde![j]!).toBeGreaterThan(s.pde![(s.S.length - 1) * s.nu.length + j]!);
    expect((await call('heston-surface', { runId, date: 9, greek: 'price' })) as Err).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('reports progress while it trains and stops on cancel, storing no results', async () => {
    ws = await openWorkstation();
    const seen: Array<{ done: number; total: number }> = [];
    let runId = '';
    const firstProgress = new Promise<void>((resolve) => {
      ws!.subscribe((event, payload) => {
        const p = payload as { runId: string; done: number; total: number };
        if (event === 'run-progress' && p.runId === runId) {
          seen.push(p);
          resolve();
        }
      });
    });
    ({ runId } = await ok<{ runId: string }>('heston-solve', { ...quick, solver: 'cpu', steps: undefined, claim: H1_CLAIM }));
    await firstProgress;
    await ok('runs-cancel', { runId });
    await ws.jobs.idle();
    const run = ws.runs.get(runId)!;
    expect(run.status).toBe('cancelled');
    expect(run.metrics).toBeNull();
    expect(seen[0]!.total).toBe(run.progress.total);
    expect(seen.at(-1)!.done).toBeLessThan(seen[0]!.total);
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
