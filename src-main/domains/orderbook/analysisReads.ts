import { performance } from 'node:perf_hooks';
import { appError } from '../../../src-shared/api/errors';
import { type DatasetSummary, type ProfileData, type SignatureData, type TimeUnits, type WapExport, type WapKind } from '../../../src-shared/orderbook/contract';
import { TooManyPointsError, previousTick } from '../../engine/orderbook/previousTick';
import { TooManyBinsError, intradayProfile, type ProfileSession } from '../../engine/orderbook/profiles';
import { groupSessions, type SessionClock, type SessionRows, type StoredBucket } from '../../engine/orderbook/sessions';
import { signaturePlot } from '../../engine/orderbook/signature';
import { type Db } from '../../store/db';
import { f32, f64, orderbookQueries } from '../../store/queries/orderbook';
import { dataSessionOf, storedClockOrigin, timeUnitsOf } from '../../store/queries/orderbookTimeUnits';
import { type ReadResult } from '../runs/reads';
import { datasetLookups } from './lookups';

/**
 * Order-book analyses of one stock on a read worker (task kinds 'orderbook-signature', 'orderbook-profile' and
 * 'orderbook-wap-export' of src-main/reads/tasks.ts): the signature plot, intraday profiles and the
 * previous-tick WAP export. Each streams the stock's buckets session by session (one UTC day, or one bucket, in
 * memory at a time). Not cached: a data set's time units can change.
 */

/** Rows one WAP export may hold through the app (about 40 bytes of JSON each, under the 32 MiB reply budget). */
export const WAP_EXPORT_MAX_ROWS = 600_000;

interface Ctx {
  ds: DatasetSummary;
  units: TimeUnits;
  clock: SessionClock;
}

function context(db: Db, datasetId: string, stockId: number): Ctx {
  const { mustGet, mustHaveStock } = datasetLookups(orderbookQueries(db));
  const ds = mustGet(datasetId);
  mustHaveStock(datasetId, stockId);
  const session = dataSessionOf(db, datasetId, stockId);
  const units = timeUnitsOf(db, datasetId, ds.layout, session);
  // the clock's zero (seconds after midnight) minus where the stored times start (LOBSTER: the file's START)
  const clock: SessionClock = units.clock === 'bucket' ? { kind: 'bucket' } : { kind: 'day', startSeconds: (units.sessionStartSeconds ?? 0) - storedClockOrigin(ds.source, session) };
  return { ds, units, clock };
}

/** The stock's buckets in time_id order, read one at a time. */
function* buckets(db: Db, datasetId: string, stockId: number): Generator<StoredBucket> {
  const stmt = db.prepare(
    `SELECT time_id, seconds, wap, wap1, bid1, ask1, depth_series FROM orderbook_buckets WHERE dataset_id = ? AND stock_id = ? ORDER BY time_id`,
  );
  for (const r of stmt.iterate(datasetId, stockId) as Iterable<{ time_id: number; seconds: Buffer; wap: Buffer; wap1: Buffer; bid1: Buffer; ask1: Buffer; depth_series: Buffer }>) {
    yield { timeId: r.time_id, seconds: f64(r.seconds), wap: f64(r.wap), wap1: f64(r.wap1), bid1: f32(r.bid1), ask1: f32(r.ask1), depth: f32(r.depth_series) };
  }
}

/** Run `f`, turning a sample with too many grid points into a field error on `field`. */
function tooFine<T>(f: () => T, field: string, value: number): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof TooManyPointsError)) throw e;
    const msg = `${e.message}; use a longer ${field}`;
    throw appError('validation', 'INVALID_INPUT', msg, [{ field, message: msg, value }]);
  }
}

const sessionsOf = (db: Db, c: Ctx, stockId: number): Generator<SessionRows> => groupSessions(buckets(db, c.ds.id, stockId), c.clock, c.ds.bucketSeconds);
const pick = (s: SessionRows, wap: WapKind): Float64Array => (wap === 'level1' ? s.wap1 : s.wap);

/** 'orderbook-signature': realised variance against the sampling interval, with error bars across sessions. */
export function signatureRead(db: Db, args: { datasetId: string; stockId: number; wap?: WapKind }): ReadResult<SignatureData> {
  const t0 = performance.now();
  const c = context(db, args.datasetId, args.stockId);
  const wap = args.wap ?? 'all';
  const series = (function* () {
    for (const s of sessionsOf(db, c, args.stockId)) yield { times: s.times, wap: pick(s, wap) };
  })();
  const sig = signaturePlot(series, { secondsPerYear: c.units.secondsPerYear });
  return {
    result: { datasetId: c.ds.id, stockId: args.stockId, wap, timeUnits: c.units, sessions: sig.sessions, points: sig.points, noise: sig.noise, loadMs: performance.now() - t0 },
    deps: null,
  };
}

/** Largest of 10, 5, 2, 1 s that divides `bin` (or `bin` itself): the default volatility interval of a profile. */
export function defaultRvInterval(bin: number): number {
  for (const d of [10, 5, 2, 1]) if (d <= bin && Math.abs(bin / d - Math.round(bin / d)) < 1e-9) return d;
  return bin;
}

/** 'orderbook-profile': spread, depth and annualised realised volatility per bin of the session clock. */
export function profileRead(
  db: Db,
  args: { datasetId: string; stockId: number; wap?: WapKind; binSeconds?: number; rvIntervalSeconds?: number },
): ReadResult<ProfileData> {
  const t0 = performance.now();
  const c = context(db, args.datasetId, args.stockId);
  const wap = args.wap ?? 'all';
  // bucket clock: 10 bins per bucket (60 s for the competition's 600 s); day clock: half hours
  const bin = args.binSeconds ?? (c.units.clock === 'bucket' ? c.ds.bucketSeconds / 10 : 1800);
  const dt = args.rvIntervalSeconds ?? defaultRvInterval(bin);
  const ratio = bin / dt;
  if (Math.abs(ratio - Math.round(ratio)) > 1e-9 * Math.max(1, ratio)) {
    const msg = `binSeconds (${bin} s) must be a whole multiple of rvIntervalSeconds (${dt} s), so no return straddles two bins; e.g. rvIntervalSeconds ${defaultRvInterval(bin)}`;
    throw appError('validation', 'INVALID_INPUT', msg, [{ field: 'rvIntervalSeconds', message: msg, value: dt }]);
  }
  const sessions = (function* (): Generator<ProfileSession> {
    for (const s of sessionsOf(db, c, args.stockId)) yield { times: s.times, wap: pick(s, wap), spreadBp: s.spreadBp, depth: s.depth };
  })();
  let p;
  try {
    p = tooFine(() => intradayProfile(sessions, { binSeconds: bin, rvIntervalSeconds: dt, secondsPerYear: c.units.secondsPerYear }), 'rvIntervalSeconds', dt);
  } catch (e) {
    if (!(e instanceof TooManyBinsError)) throw e;
    const msg = `${e.message}; use a larger binSeconds (the session clock spans at most a day, so 60 s or more always fits)`;
    throw appError('validation', 'INVALID_INPUT', msg, [{ field: 'binSeconds', message: msg, value: bin }]);
  }
  return {
    result: { ...p, datasetId: c.ds.id, stockId: args.stockId, wap, timeUnits: c.units, loadMs: performance.now() - t0 },
    deps: null,
  };
}

/**
 * The previous-tick WAP of a stock on the grid `k x intervalSeconds` of each session's clock, from its first
 * to its last usable observation (engine/orderbook/previousTick.ts), session after session. `onRow` receives
 * each row; `maxRows` stops with TOO_MANY_ROWS past that many.
 */
export function forEachWapRow(
  db: Db,
  args: { datasetId: string; stockId: number; intervalSeconds: number; wap?: WapKind },
  onRow: (session: number | string, seconds: number, value: number) => void,
  maxRows = Infinity,
): { ctx: Ctx; rows: number } {
  const c = context(db, args.datasetId, args.stockId);
  const wap = args.wap ?? 'all';
  let rows = 0;
  for (const s of sessionsOf(db, c, args.stockId)) {
    const g = tooFine(() => previousTick({ times: s.times, wap: pick(s, wap) }, args.intervalSeconds), 'intervalSeconds', args.intervalSeconds);
    if (rows + g.t.length > maxRows) {
      const msg = `the export would have more than ${maxRows.toLocaleString('en-US')} rows at ${args.intervalSeconds} s; use a longer interval, or the CLI (\`orderbook wap … --out FILE\`), which has no limit`;
      throw appError('validation', 'TOO_MANY_ROWS', msg, [{ field: 'intervalSeconds', message: msg, value: args.intervalSeconds }]);
    }
    const key = c.clock.kind === 'bucket' ? s.key : s.label;
    // round the grid time to the interval's precision (k dt in floating point can read 0.30000000000000004)
    for (let i = 0; i < g.t.length; i++) onRow(key, Number(g.t[i].toPrecision(12)), g.v[i]);
    rows += g.t.length;
  }
  return { ctx: c, rows };
}

/** 'orderbook-wap-export': the previous-tick WAP series as columns (at most WAP_EXPORT_MAX_ROWS rows). */
export function wapExportRead(db: Db, args: { datasetId: string; stockId: number; intervalSeconds: number; wap?: WapKind }): ReadResult<WapExport> {
  const session: Array<number | string> = [];
  const seconds: number[] = [];
  const value: number[] = [];
  const { ctx } = forEachWapRow(
    db,
    args,
    (k, t, v) => {
      session.push(k);
      seconds.push(t);
      value.push(v);
    },
    WAP_EXPORT_MAX_ROWS,
  );
  return {
    result: {
      datasetId: ctx.ds.id,
      datasetLabel: ctx.ds.label,
      stockId: args.stockId,
      wap: args.wap ?? 'all',
      intervalSeconds: args.intervalSeconds,
      timeUnits: ctx.units,
      session,
      seconds,
      value,
    },
    deps: null,
  };
}
