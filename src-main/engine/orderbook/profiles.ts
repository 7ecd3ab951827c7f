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

/**
 * Profiles of spread, depth and realised volatility per bin of the session clock.
 *
 * @param sessions the stock's sessions
 * @param opts.binSeconds bin width, seconds (> 0; a multiple of rvIntervalSeconds so no return straddles a bin)
 * @param opts.rvIntervalSeconds sampling interval of the volatility, seconds
 * @param opts.secondsPerYear trading seconds per year
 * @param opts.origin first bin start, seconds (default: the earliest row time rounded down to a bin)
 * @returns the bins from the earliest to the latest row (at most MAX_PROFILE_BINS)
 */
export function intradayProfile(
  sessions: ProfileSession[],
  opts: { binSeconds: number; rvIntervalSeconds: number; secondsPerYear: number; origin?: number },
): IntradayProfile {
  const { binSeconds: B, rvIntervalSeconds: dt, secondsPerYear } = opts;
  if (!(B > 0) || !(dt > 0)) throw new Error('intradayProfile: binSeconds and rvIntervalSeconds must be > 0');
  const ratio = B / dt;
  if (Math.abs(ratio - Math.round(ratio)) > 1e-9 * Math.max(1, ratio)) {
    throw new Error(`intradayProfile: binSeconds (${B} s) must be a multiple of rvIntervalSeconds (${dt} s)`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of sessions) {
    if (s.times.length === 0) continue;
    lo = Math.min(lo, s.times[0]);
    hi = Math.max(hi, s.times[s.times.length - 1]);
  }
  const empty: IntradayProfile = { binStart: [], binSeconds: B, rows: [], spreadBp: [], depth: [], rvAnnual: [], returns: [], rvIntervalSeconds: dt };
  if (!(lo <= hi)) return empty;
  const origin = opts.origin ?? Math.floor(lo / B + 1e-9) * B;
  const nBins = Math.min(MAX_PROFILE_BINS, Math.max(1, Math.floor((hi - origin) / B + 1e-9) + 1));
  const rows = new Float64Array(nBins);
  const spreadSum = new Float64Array(nBins);
  const depthSum = new Float64Array(nBins);
  const ssq = new Float64Array(nBins);
  const rets = new Float64Array(nBins);
  const binOf = (t: number): number => Math.floor((t - origin) / B + 1e-9);
  for (const s of sessions) {
    for (let j = 0; j < s.times.length; j++) {
      const b = binOf(s.times[j]);
      if (b < 0 || b >= nBins) continue;
      rows[b]++;
      spreadSum[b] += s.spreadBp[j];
      depthSum[b] += s.depth[j];
    }
    const g = previousTick(s, dt);
    for (let k = 0; k + 1 < g.v.length; k++) {
      const b = binOf(g.t[k]);
      if (b < 0 || b >= nBins) continue;
      const r = Math.log(g.v[k + 1] / g.v[k]);
      ssq[b] += r * r;
      rets[b]++;
    }
  }
  const out: IntradayProfile = { ...empty, binStart: [], rows: [], spreadBp: [], depth: [], rvAnnual: [], returns: [] };
  for (let b = 0; b < nBins; b++) {
    out.binStart.push(origin + b * B);
    out.rows.push(rows[b]);
    out.spreadBp.push(rows[b] > 0 ? spreadSum[b] / rows[b] : null);
    out.depth.push(rows[b] > 0 ? depthSum[b] / rows[b] : null);
    out.returns.push(rets[b]);
    out.rvAnnual.push(rets[b] > 0 ? Math.sqrt((ssq[b] / (rets[b] * dt)) * secondsPerYear) : null);
  }
  return out;
}
