import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/host/dispatch';
import { type Workstation } from '../../src-main/workstation';
import { type AnyRun } from '../../src-shared/api/runs';
import { type HedgeMetrics, type HedgeRunConfig } from '../../src-shared/hedging/config';
import {
  type ImportMetrics,
  type PathSetSummary,
  type PathsMetrics,
  type PathsPage,
  type ProfileData,
  type SignatureData,
  type TimeUnits,
  type WapExport,
} from '../../src-shared/orderbook/contract';
import { seeded } from '../../src-main/engine/stochastic/rng';
import { openWorkstation } from '../helpers/host';
import { tempDir } from '../helpers/tmp';

/**
 * A generic-layout book (a timestamp column, level-1 and level-2 prices and sizes under their own names) on two
 * trading days, 14:30-15:30 UTC, a row every 2 s, and a 20% jump overnight: the signature plot, intraday
 * profiles and WAP export read it on the day clock, and its path set feeds a hedging run and experiment E4 like
 * any other path set, with no window across the night.
 */

let ws: Workstation;
let dir: string;
beforeAll(async () => {
  dir = tempDir('hw-ob-analysis-');
  ws = await openWorkstation({ dataDir: dir });
});
afterAll(async () => {
  await ws?.close();
});

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await dispatch(ws.handlers, 1, method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
}
async function runJob(method: string, args: unknown): Promise<AnyRun> {
  const { runId } = await call<{ runId: string }>(method, args);
  await ws.jobs.idle();
  const run = ws.runs.get(runId)!;
  expect(run.status, run.error?.message ?? '').toBe('done');
  return run;
}

const DAY = 1704153600; // 2024-01-02 00:00 UTC
const OPEN = 52_200; // 14:30 UTC

function writeBook(): string {
  const rng = seeded(11);
  const lines = ['ts,bidPx1,bidQty1,askPx1,askQty1,bidPx2,bidQty2,askPx2,askQty2'];
  let mid = 100;
  for (const d of [0, 1]) {
    if (d === 1) mid *= 1.2; // the overnight jump
    for (let t = 0; t < 3600; t += 2) {
      mid *= Math.exp(2e-4 * rng.normal());
      const bp = Math.round((mid - 0.01) * 100) / 100;
      const ap = bp + 0.02;
      const q = () => 100 + Math.floor(rng.uniform() * 400);
      lines.push(`${DAY + d * 86_400 + OPEN + t},${bp.toFixed(2)},${q()},${ap.toFixed(2)},${q()},${(bp - 0.01).toFixed(2)},${q()},${(ap + 0.01).toFixed(2)},${q()}`);
    }
  }
  const file = join(dir, 'two_days.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('order-book analysis and paths on a generic (timestamped) layout', () => {
  let datasetId = '';

  it('imports the generic book and reads the signature plot, the profiles and the WAP export on the day clock', async () => {
    const file = writeBook();
    const mapping = {
      layout: 'generic', levels: 2, timestamp: 'ts', timestampUnit: 's',
      bidPrice: ['bidPx1', 'bidPx2'], bidSize: ['bidQty1', 'bidQty2'], askPrice: ['askPx1', 'askPx2'], askSize: ['askQty1', 'askQty2'],
    };
    const imp = await runJob('orderbook-import', { path: file, mapping, stockId: 3, label: 'two days' });
    datasetId = (imp.metrics as ImportMetrics).datasetId;

    const sig = await call<SignatureData>('orderbook-signature', { datasetId, stockId: 3 });
    expect(sig.sessions).toBe(2); // one per UTC day
    expect(sig.timeUnits).toMatchObject({ source: 'default', clock: 'day', sessionHours: 6.5, sessionsPerYear: 252, secondsPerYear: 252 * 6.5 * 3600 });
    expect(sig.points.map((p) => p.intervalSeconds)).toEqual([1, 2, 5, 10, 15, 30, 60, 120, 180, 300, 600]);
    // 1 s and 2 s sample the same 2-second ticks: the same realised variance per session
    expect(sig.points[0].rvMean).toBeCloseTo(sig.points[1].rvMean!, 15);
    expect(sig.points[1].returns).toBe(2 * 1799);

    const prof = await call<ProfileData>('orderbook-profile', { datasetId, stockId: 3, binSeconds: 600 });
    // the clock reads seconds after midnight UTC: 14:30 .. 15:30 in six 10-minute bins
    expect(prof.binStart).toEqual([0, 1, 2, 3, 4, 5].map((k) => OPEN + 600 * k));
    expect(prof.rows).toEqual(Array(6).fill(600)); // 300 rows a bin a day x 2 days
    expect(prof.rvIntervalSeconds).toBe(10);
    for (const s of prof.spreadBp) expect(s!).toBeGreaterThan(0);
    for (const v of prof.rvAnnual) expect(v!).toBeGreaterThan(0);

    // with a session start of 14:30 and 252 sessions of 1 h, the clock starts at 0 and the year is 252 h
    const units = await call<TimeUnits>('orderbook-time-units-set', { datasetId, sessionHours: 1, sessionsPerYear: 252, sessionStartSeconds: OPEN });
    expect(units).toMatchObject({ source: 'dataset', secondsPerYear: 252 * 3600, sessionStartSeconds: OPEN });
    const prof2 = await call<ProfileData>('orderbook-profile', { datasetId, stockId: 3, binSeconds: 600 });
    expect(prof2.binStart[0]).toBe(0);
    // annualised volatility scales with sqrt(seconds per year): 1 h sessions vs 6.5 h
    expect(prof2.rvAnnual[0]!).toBeCloseTo(prof.rvAnnual[0]! / Math.sqrt(6.5), 10);

    const x = await call<WapExport>('orderbook-wap-export', { datasetId, stockId: 3, intervalSeconds: 60 });
    expect(x.session.filter((s) => s === '2024-01-02')).toHaveLength(60); // 0 .. 59 min (last row at 3,598 s)
    expect(x.seconds.slice(0, 3)).toEqual([0, 60, 120]);
  }, 120_000);

  it('builds rolling windows that never span the night, and they feed a BSDH run and experiment E4 like any path set', async () => {
    const run = await runJob('orderbook-build-paths', { datasetId, steps: 30, intervalSeconds: 10, windows: 'rolling', trainFraction: 0.5, label: 'generic rolling' });
    const m = run.metrics as PathsMetrics;
    // per day 3,600 s / 10 s = 360 grid points: floor((360 - 31) / 30) + 1 = 11 windows; day 1 trains, day 2 tests
    expect(m).toMatchObject({ train: 11, test: 11, dropped: 0 });
    // the time units set above (1 h sessions, 252 a year) are the path set's trading time
    expect(m.dtYears).toBeCloseTo(10 / (252 * 3600), 15);
    const page = await call<PathsPage>('orderbook-paths-get', { pathSetId: m.pathSetId, split: 'test', limit: 11 });
    for (const p of page.paths) expect(Math.max(...p) / Math.min(...p)).toBeLessThan(1.1); // the 20% jump is in none

    const set = (await call<PathSetSummary[]>('orderbook-path-sets', { datasetId })).find((s) => s.id === m.pathSetId)!;
    const hedge = await runJob('hedging-start', {
      model: 'bsdh', option: 'lookback', strike: 1, sigma: 0.1, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 100, seed: 5,
      data: { kind: 'paths', datasetId: set.id },
    });
    const cfg = hedge.config as HedgeRunConfig;
    expect(cfg.steps).toBe(30);
    expect(cfg.sigma).toBeCloseTo(set.sigmaTrain, 6);
    expect(cfg.paths).toBe(11);
    const pnl = ws.runs.getArray(hedge.id, 'pnl') as Float64Array;
    expect(pnl.length).toBe(11);
    expect(pnl.every(Number.isFinite)).toBe(true);
    expect((hedge.metrics as HedgeMetrics).testRealisedVol).toBeCloseTo(set.sigmaTest, 3);

    const { groupId, runIds } = await call<{ groupId: string; runIds: string[] }>('hedging-experiment', { id: 'E4', scale: 'quick', seed: 2, pathSetId: set.id });
    expect(runIds).toHaveLength(20);
    await call('hedging-experiment-cancel', { groupId });
    await ws.jobs.idle();
    const first = ws.runs.get(runIds[0])!;
    expect((first.config as HedgeRunConfig & { data?: unknown }).data).toEqual({ kind: 'paths', datasetId: set.id });
  }, 180_000);
});

describe('order-book analysis requests that cannot be answered', () => {
  it('a profile bin that is not a multiple of the volatility interval, or too fine for the clock, is a field error', async () => {
    const file = writeBook();
    const mapping = { layout: 'generic', levels: 1, timestamp: 'ts', timestampUnit: 's', bidPrice: ['bidPx1'], bidSize: ['bidQty1'], askPrice: ['askPx1'], askSize: ['askQty1'] };
    const id = ((await runJob('orderbook-import', { path: file, mapping, stockId: 1, label: 'level 1 only' })).metrics as ImportMetrics).datasetId;
    const bad = await dispatch(ws.handlers, 1, 'orderbook-profile', { datasetId: id, stockId: 1, binSeconds: 45, rvIntervalSeconds: 10 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.fields?.[0].field).toBe('rvIntervalSeconds');
      expect(bad.error.message).toContain('binSeconds (45 s) must be a whole multiple of rvIntervalSeconds (10 s)');
    }
    // 1 s bins over two days' clock (14:30 .. 15:30 = 3,600 bins): more than 2,000
    const fine = await dispatch(ws.handlers, 1, 'orderbook-profile', { datasetId: id, stockId: 1, binSeconds: 1 });
    expect(fine.ok).toBe(false);
    if (!fine.ok) expect(fine.error.fields?.[0].field).toBe('binSeconds');
    const noStock = await dispatch(ws.handlers, 1, 'orderbook-signature', { datasetId: id, stockId: 2 });
    expect(noStock.ok).toBe(false);
    if (!noStock.ok) expect(noStock.error.code).toBe('STOCK_NOT_FOUND');
  }, 60_000);
});
