import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/host/dispatch';
import { type Workstation } from '../../src-main/workstation';
import { type EventName, type Events } from '../../src-shared/api/contract';
import { type AppError } from '../../src-shared/api/errors';
import { DEFAULT_QLBS_CONFIG, type QlbsMetrics, type QlbsProgressDetail } from '../../src-shared/qlbs/config';
import { type QlbsCurves, type QlbsPortfolio, type QlbsQSurface } from '../../src-shared/qlbs/contract';
import { type QlbsSweepMetrics } from '../../src-shared/qlbs/sweep';
import { openWorkstation } from '../helpers/host';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const call = (method: string, args: unknown) => dispatch(ws!.handlers, 1, method, args);
const ok = async <T>(method: string, args: unknown): Promise<T> => {
  const r = await call(method, args);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.message}`);
  return r.result as T;
};
const err = async (method: string, args: unknown): Promise<AppError> => {
  const r = await call(method, args);
  expect(r.ok, `${method} should fail`).toBe(false);
  return (r as { error: AppError }).error;
};

function waitFor<E extends EventName>(event: E, runId: string): Promise<Events[E]> {
  return new Promise((resolve) => {
    const off = ws!.subscribe((e, p) => {
      if ((e as string) === event && (p as { runId?: string }).runId === runId) {
        off();
        resolve(p as Events[E]);
      }
    });
  });
}

const small = { ...DEFAULT_QLBS_CONFIG, paths: 4000, label: 'small qlbs' };

describe('QLBS handlers through the contract', () => {
  it('runs DP + FQI as a job with per-step progress, stores metrics and arrays, and serves curves, Q grid and portfolio', async () => {
    ws = await openWorkstation();
    const details: QlbsProgressDetail[] = [];
    ws.subscribe((e, p) => {
      if (e === 'run-progress' && (p as Events['run-progress']).detail) details.push((p as Events['run-progress']).detail as QlbsProgressDetail);
    });
    const { runId } = await ok<{ runId: string }>('qlbs-start', small);
    await waitFor('run-finished', runId);
    const run = ws.runs.get(runId)!;
    expect(run).toMatchObject({ kind: 'qlbs', model: 'fqi', label: 'small qlbs', status: 'done', backend: 'js-float64', seed: 42 });
    expect(run.progress).toEqual({ done: 30, total: 30 });
    // One detail per backward step: 24 DP steps, then 6 FQI steps.
    expect(details.filter((d) => d.phase === 'dp').map((d) => d.t)).toEqual(Array.from({ length: 24 }, (_, i) => 23 - i));
    expect(details.filter((d) => d.phase === 'fqi').map((d) => d.t)).toEqual([5, 4, 3, 2, 1, 0]);

    const m = run.metrics as QlbsMetrics;
    expect(m.bsPrice).toBeCloseTo(4.5296, 4);
    expect(Math.abs(m.dpHedgeCost - m.bsPrice)).toBeLessThan(0.3);
    expect(m.dpPrice).toBeGreaterThan(m.dpHedgeCost);
    expect(Math.abs(m.fqiPrice! - m.dpPriceFqiGrid!)).toBeLessThan(0.15);
    for (const name of ['knots', 'phiDp', 'omegaDp', 'sQuantiles', 'pi0Dp', 'phiFqi', 'wFqi', 'omegaDpFqi', 'pi0Fqi', 'valueDp', 'valueFqi']) {
      expect(ws.runs.getArray(runId, name), name).toBeInstanceOf(Float64Array);
    }
    expect(ws.runs.getArray(runId, 'phiDp')!.length).toBe(24 * 12);
    expect(ws.runs.getArray(runId, 'wFqi')!.length).toBe(6 * 36);
    expect(ws.runs.getArray(runId, 'pi0Dp')!.length).toBe(4000);

    const curves = await ok<QlbsCurves>('qlbs-curves', { runId, times: [0, 10, 12, 23], points: 21 });
    expect(curves.curves.map((c) => c.t)).toEqual([0, 10, 12, 23]);
    expect(curves.curves[0].s).toEqual([100]); // every path starts at S0
    expect(curves.curves[0].dp[0]).toBeCloseTo(m.dpHedge0, 10);
    expect(curves.curves[0].fqi![0]).toBeCloseTo(m.fqiHedge0!, 10);
    expect(curves.curves[1].fqi).toBeNull(); // t = 10 is not on the 6-step FQI grid (every 4th date); t = 12 is
    const mid = curves.curves[2];
    expect(mid.s).toHaveLength(21);
    expect(mid.fqi).toHaveLength(21);
    expect(mid.tauYears).toBeCloseTo(0.5, 12);
    // Put hedges are negative and increase with the spot, like the delta.
    for (let i = 0; i < 21; i++) expect(mid.bs[i]).toBeLessThan(0);
    expect(mid.dp[20]).toBeGreaterThan(mid.dp[0]);
    const iMed = mid.s.findIndex((s) => s >= mid.sQuantiles[1]);
    expect(Math.abs(mid.dp[iMed] - mid.bs[iMed])).toBeLessThan(0.1);

    const surf = await ok<QlbsQSurface>('qlbs-qsurface', { runId, t: 3, sPoints: 11, aPoints: 9 });
    expect(surf.s).toHaveLength(11);
    expect(surf.a).toHaveLength(9);
    expect(surf.q).toHaveLength(99);
    expect(surf.tauYears).toBeCloseTo(0.5, 12);
    expect(Math.min(...surf.q)).toBe(surf.qMin);
    // Q = -(portfolio value) - risk: more negative where the put is deeper in the money (low S).
    expect(surf.dpValue[0]).toBeLessThan(surf.dpValue[10]);
    // The hedge substituted into Q lies inside the action grid.
    for (const h of surf.hedge) expect(h).toBeGreaterThanOrEqual(surf.a[0]);

    const port = await ok<QlbsPortfolio>('qlbs-portfolio', { runId, bins: 40 });
    expect(port.distribution.series).toHaveLength(2);
    expect(port.distribution.edges).toHaveLength(41);
    expect(port.dpMean).toBe(m.dpHedgeCost);
    expect(port.bsPrice).toBe(m.bsPrice);
  });

  it('a DP-only run has no FQI parts; read handlers say what is wrong', async () => {
    ws = await openWorkstation();
    const { runId } = await ok<{ runId: string }>('qlbs-start', { ...small, method: 'dp' });
    await waitFor('run-finished', runId);
    expect(ws.runs.get(runId)!.progress.total).toBe(24);
    expect(ws.runs.getArray(runId, 'wFqi')).toBeNull();
    const curves = await ok<QlbsCurves>('qlbs-curves', { runId, times: [4] });
    expect(curves.curves[0].fqi).toBeNull();
    expect(curves.curves[0].s).toHaveLength(81);
    expect(await err('qlbs-qsurface', { runId, t: 2 })).toMatchObject({ type: 'conflict', code: 'RUN_HAS_NO_FQI' });
    const e = await err('qlbs-curves', { runId, times: [3, 24] });
    expect(e).toMatchObject({ type: 'validation', fields: [{ field: 'times.1', value: 24 }] });
    expect(e.message).toMatch(/between 0 and 23/);
    expect(await err('qlbs-curves', { runId: 'no-such-run-id', times: [0] })).toMatchObject({ type: 'not-found' });
    const port = await ok<QlbsPortfolio>('qlbs-portfolio', { runId });
    expect(port.distribution.series).toHaveLength(1);
    expect(port.fqiMean).toBeNull();
  });

  it.each([
    ['sigma', -0.1, 'sigma', /volatility σ must be >= 0.001/],
    ['steps', 2.5, 'steps', /whole number/],
    ['paths', 10, 'paths', /paths N_MC must be >= 100/],
    ['basisSize', 4, 'basisSize', /basis size M must be >= degree \+ 1 = 5/],
    ['fqiSteps', 5, 'fqiSteps', /FQI steps must divide steps = 24/],
    ['option', 'asian', 'option', /option must be put or call/],
    ['eta', 1.5, 'eta', /noise band η must be <= 1/],
    ['driftTerm', 'yes', 'driftTerm', /driftTerm must be true or false/],
  ])('rejects %s = %j naming the field and the value, and writes nothing', async (key, value, field, msg) => {
    ws = await openWorkstation();
    const e = await err('qlbs-start', { ...small, [key]: value });
    expect(e.type).toBe('validation');
    const f = e.fields!.find((x) => x.field === field)!;
    expect(f.message).toMatch(msg);
    expect(e.message).toContain(f.label ?? field); // named as the form names it (src-shared/api/fieldLabels.ts)
    expect(ws.runs.list()).toHaveLength(0);
  });

  it('rejects the drift term with lambda = 0, too much work, and unknown fields', async () => {
    ws = await openWorkstation();
    expect((await err('qlbs-start', { ...small, driftTerm: true, lambda: 0 })).fields![0]).toMatchObject({ field: 'lambda' });
    expect((await err('qlbs-start', { ...small, paths: 500_000, steps: 100, fqiSteps: 5 })).fields![0].message).toMatch(/paths x steps/);
    expect((await err('qlbs-start', { ...small, rogue: 1 })).fields![0]).toMatchObject({ field: 'rogue', message: 'unknown field "rogue"' });
    expect(ws.runs.list()).toHaveLength(0);
  });

  it('cancels a running job promptly and stores no results', async () => {
    ws = await openWorkstation();
    const { runId } = await ok<{ runId: string }>('qlbs-start', { ...small, method: 'dp', paths: 400_000, steps: 24 });
    await waitFor('run-progress', runId);
    const t0 = Date.now();
    await ok('runs-cancel', { runId });
    await waitFor('run-cancelled', runId);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(ws.runs.get(runId)!.status).toBe('cancelled');
    expect(ws.runs.getArray(runId, 'phiDp')).toBeNull();
    expect(await err('qlbs-portfolio', { runId })).toMatchObject({ type: 'conflict', code: 'RUN_NOT_DONE' });
  });
});

describe('QLBS sweeps', () => {
  it('sweeps mu with live partial results and stores per-value summaries', async () => {
    ws = await openWorkstation();
    const partial: QlbsSweepMetrics[] = [];
    ws.subscribe((e, p) => {
      const d = (p as Events['run-progress']).detail as QlbsSweepMetrics | undefined;
      if (e === 'run-progress' && d?.kind === 'qlbs-sweep') partial.push(d);
    });
    const base = { ...small, method: 'dp' as const, lambda: 0, paths: 3000 };
    delete (base as { label?: string }).label;
    const { runId } = await ok<{ runId: string }>('qlbs-sweep', { base, param: 'mu', values: [-0.1, 0.03, 0.15], repeats: 2 });
    await waitFor('run-finished', runId);
    const run = ws.runs.get(runId)!;
    expect(run).toMatchObject({ kind: 'qlbs-sweep', model: 'sweep-mu', status: 'done' });
    expect(run.label).toMatch(/^Sweep μ -0.1…0.15 \(3 values x 2\)/);
    const m = run.metrics as QlbsSweepMetrics;
    expect(m.values).toEqual([-0.1, 0.03, 0.15]);
    expect(m.done).toBe(6);
    expect(m.computed).toEqual([true, true, true]);
    expect(m.fqiPrice).toBeNull();
    // mu = r is where the learned hedge costs the Black-Scholes price; mu far from r departs.
    const dev = m.dpHedgeCost.mean.map((v) => Math.abs(v! - m.bsPrice[0]!));
    expect(dev[1]).toBeLessThan(dev[0]);
    expect(dev[1]).toBeLessThan(dev[2]);
    expect(m.dpHedgeCost.sd.every((s) => s! > 0)).toBe(true);
    expect(ws.runs.getArray(runId, 'dpPrice')!.length).toBe(6);
    // Partial snapshots arrived after each run, filling in values one by one.
    expect(partial.map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(partial[2].computed).toEqual([true, false, false]);
    expect(partial[2].dpPrice.mean[1]).toBeNull();
  });

  it('an eta sweep runs FQI; bad values are rejected one by one', async () => {
    ws = await openWorkstation();
    const base = { ...small, method: 'dp' as const, paths: 2000 };
    delete (base as { label?: string }).label;
    const { runId } = await ok<{ runId: string }>('qlbs-sweep', { base, param: 'eta', values: [0, 0.5], repeats: 1 });
    await waitFor('run-finished', runId);
    const m = ws.runs.get(runId)!.metrics as QlbsSweepMetrics;
    expect(m.fqiPrice!.mean.every((v) => Number.isFinite(v))).toBe(true);

    const e = await err('qlbs-sweep', { base, param: 'lambda', values: [0.001, -1, 2], repeats: 1 });
    expect(e.fields!.map((f) => f.field)).toEqual(['values.1', 'values.2']);
    expect(e.fields![0].message).toMatch(/lambda = -1: lambda must be >= 0/);
    const big = await err('qlbs-sweep', { base: { ...base, paths: 500_000, steps: 20, fqiSteps: 5 }, param: 'mu', values: [0, 0.1], repeats: 20 });
    expect(big.fields![0].message).toMatch(/the sweep is too large/);
    expect(await err('qlbs-sweep', { base, param: 'sigma', values: [0.1, 0.2], repeats: 1 })).toMatchObject({ fields: [{ field: 'param' }] });
  });
});

describe('CLI qlbs', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  it('qlbs --method dp|fqi --json prints prices, the Black-Scholes price and wall time, and stores the run', async () => {
    const dataDir = tempDir();
    const dp = cli(['qlbs', '--method', 'dp', '--steps', '24', '--paths', '10000', '--seed', '42', '--json', '--data-dir', dataDir]);
    expect(dp.status, dp.stderr).toBe(0);
    const out = JSON.parse(dp.stdout.trim());
    expect(out).toMatchObject({ method: 'dp', status: 'done', steps: 24, paths: 10000, fqiPrice: null });
    for (const k of ['dpPrice', 'dpHedgeCost', 'bsPrice', 'wallSeconds']) expect(Number.isFinite(out[k])).toBe(true);
    expect(out.bsPrice).toBeCloseTo(4.5296, 4);
    const fqi = cli(['qlbs', '--method', 'fqi', '--steps', '24', '--paths', '10000', '--seed', '42', '--json', '--data-dir', dataDir]);
    expect(fqi.status, fqi.stderr).toBe(0);
    const f = JSON.parse(fqi.stdout.trim());
    expect(f).toMatchObject({ method: 'fqi', fqiSteps: 6 });
    expect(f.dpPrice).toBe(out.dpPrice); // same seed, same paths
    expect(Number.isFinite(f.fqiPrice)).toBe(true);
    ws = await openWorkstation({ dataDir });
    expect(ws.runs.list('qlbs').map((r) => r.id).sort()).toEqual([out.runId, f.runId].sort());
  }, 90_000);

  it('rejects bad flags naming the field and value, exits 2 and stores nothing', async () => {
    const dataDir = tempDir();
    const r = cli(['qlbs', '--sigma=-1', '--steps', 'abc', '--data-dir', dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--sigma: volatility σ must be >= 0.001 (0.1%/yr) (got -1)');
    expect(r.stderr).toContain('--steps: DP steps N must be a number (got "abc")');
    ws = await openWorkstation({ dataDir });
    expect(ws.runs.list()).toHaveLength(0);
  }, 90_000);
});
