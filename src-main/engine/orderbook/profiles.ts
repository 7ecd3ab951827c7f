import { type IntradayProfile } from '../../../src-shared/orderbook/contract';
import { previousTick } from './previousTick';

export type { IntradayProfile };

/**
 * Intraday profiles of one stock (spec orderbook.md "Signature plot" / issue 15 "intraday profile"): per bin of
 * the session clock, the mean level-1 spread, the mean displayed depth and the realised volatility, the last
 * annualised in trading time (a year of `secondsPerYear` trading seconds, e.g. 252 sessions of 6.5 h).
 */

/** One session's rows: times on the session clock with the WAP, spread and depth of each book row. */
export interface ProfileSession {
  /** Seconds of the session clock, non-decreasing. */
  times: ArrayLike<number>;
  /** WAP (price units); non-positive or non-finite values are skipped for the volatility. */
  wap: ArrayLike<number>;
  /** Level-1 relative spread of each row, basis points of the mid. */
  spreadBp: ArrayLike<number>;
  /** Total displayed size of each row (both sides, all levels), shares. */
  depth: ArrayLike<number>;
}

/** Most bins one profile may have. */
export const MAX_PROFILE_BINS = 2000;

/** Thrown as soon as the bins would be more than MAX_PROFILE_BINS (`span`: the span reached so far, seconds). */
export class TooManyBinsError extends Error {
  constructor(readonly span: number, readonly binSeconds: number) {
    super(`bins of ${binSeconds} s over ${Math.round(span)} s of the session clock would make more than ${MAX_PROFILE_BINS} bins`);
  }
}

interface Acc {
  rows: number;
  spread: number;
  depth: number;
  ssq: number;
  returns: number;
}

/**
 * Profiles of spread, depth and realised volatility per bin of the session clock, sessions streamed (only the
 * per-bin sums are kept). Bin k covers [k binSeconds, (k + 1) binSeconds) of the clock.
 *
 * @param sessions the stock's sessions, read once in order
 * @param opts.binSeconds bin width, seconds (> 0; a multiple of rvIntervalSeconds so no return straddles a bin)
 * @param opts.rvIntervalSeconds sampling interval of the volatility, seconds
 * @param opts.secondsPerYear trading seconds per year
 * @returns the bins from the earliest to the latest row (throws TooManyBinsError past MAX_PROFILE_BINS)
 */
export function intradayProfile(
  sessions: Iterable<ProfileSession>,
  opts: { binSeconds: number; rvIntervalSeconds: number; secondsPerYear: number },
): IntradayProfile & { sessions: number } {
  const { binSeconds: B, rvIntervalSeconds: dt, secondsPerYear } = opts;
  if (!(B > 0) || !(dt > 0)) throw new Error('intradayProfile: binSeconds and rvIntervalSeconds must be > 0');
  const ratio = B / dt;
  if (Math.abs(ratio - Math.round(ratio)) > 1e-9 * Math.max(1, ratio)) {
    throw new Error(`intradayProfile: binSeconds (${B} s) must be a multiple of rvIntervalSeconds (${dt} s)`);
  }
  const bins = new Map<number, Acc>();
  let kMin = Infinity;
  let kMax = -Infinity;
  const acc = (t: number): Acc => {
    const k = Math.floor(t / B + 1e-9);
    let a = bins.get(k);
    if (!a) {
      kMin = Math.min(kMin, k);
      kMax = Math.max(kMax, k);
      if (kMax - kMin + 1 > MAX_PROFILE_BINS) throw new TooManyBinsError((kMax - kMin + 1) * B, B);
      a = { rows: 0, spread: 0, depth: 0, ssq: 0, returns: 0 };
      bins.set(k, a);
    }
    return a;
  };
  let count = 0;
  for (const s of sessions) {
    count++;
    for (let j = 0; j < s.times.length; j++) {
      const a = acc(s.times[j]);
      a.rows++;
      a.spread += s.spreadBp[j];
      a.depth += s.depth[j];
    }
    const g = previousTick(s, dt);
    for (let k = 0; k + 1 < g.v.length; k++) {
      const a = acc(g.t[k]);
      const r = Math.log(g.v[k + 1] / g.v[k]);
      a.ssq += r * r;
      a.returns++;
    }
  }
  const out: IntradayProfile & { sessions: number } = { binStart: [], binSeconds: B, rows: [], spreadBp: [], depth: [], rvAnnual: [], returns: [], rvIntervalSeconds: dt, sessions: count };
  for (let k = kMin; k <= kMax; k++) {
    const a = bins.get(k) ?? { rows: 0, spread: 0, depth: 0, ssq: 0, returns: 0 };
    out.binStart.push(k * B);
    out.rows.push(a.rows);
    out.spreadBp.push(a.rows > 0 ? a.spread / a.rows : null);
    out.depth.push(a.rows > 0 ? a.depth / a.rows : null);
    out.returns.push(a.returns);
    out.rvAnnual.push(a.returns > 0 ? Math.sqrt((a.ssq / (a.returns * dt)) * secondsPerYear) : null);
  }
  return out;
}
