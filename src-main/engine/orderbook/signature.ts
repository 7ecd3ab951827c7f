import { type NoiseEstimate, type SignaturePoint } from '../../../src-shared/orderbook/contract';
import { previousTick, realisedVariance, type TickSeries } from './previousTick';

export type { NoiseEstimate, SignaturePoint };

/**
 * The signature plot (spec orderbook.md "Signature plot"): realised variance of a stock's WAP against the
 * sampling interval, previous-tick sampling, 1 s .. 10 min. Each session (a bucket, or a trading day on a clock
 * layout) gives one realised variance per interval; a point of the plot is the mean over sessions with its
 * standard error (the spread across sessions / sqrt(sessions)).
 *
 * With an efficient log price of variance `sigma^2` per second observed with i.i.d. noise of variance `eta^2`
 * per observation, a session's realised variance at interval dt is in expectation
 * `E[RV(dt)] = sigma^2 T + 2 eta^2 N(dt)`, N(dt) the grid returns over which the observation changed
 * (about T / dt when ticks are denser than the grid): annualised, `sigma^2 + 2 eta^2 / dt` per second, which
 * rises steeply at small intervals. The slope of RV against N over the small intervals estimates `2 eta^2`
 * (the noise estimator of Zhang, Mykland and Aït-Sahalia 2005, eq. (2.5) generalised to several intervals).
 */

/** The intervals of the plot, seconds: 1 s .. 10 min. */
export const SIGNATURE_INTERVALS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 300, 600] as const;
/** Intervals used for the noise slope by default: up to 10 s. */
export const NOISE_MAX_INTERVAL = 10;

export interface SignaturePlot {
  points: SignaturePoint[];
  noise: NoiseEstimate | null;
  /** Sessions given (some may have too few ticks for any return). */
  sessions: number;
}

/** A finite number, or null (JSON has no NaN). */
const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Mean and standard error of the mean of `xs` (NaN error with fewer than two values). */
export function meanAndSe(xs: ArrayLike<number>): { mean: number; se: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, se: NaN };
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const mean = s / n;
  if (n < 2) return { mean, se: NaN };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - mean) ** 2;
  return { mean, se: Math.sqrt(ss / (n - 1) / n) };
}

/** Ordinary least-squares slope of y on x (NaN when x has no spread). */
export function olsSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

/**
 * The signature plot of a stock from its sessions.
 *
 * @param sessions one tick series per session (times on the session clock, seconds), read once in order
 * @param opts.intervals sampling intervals, seconds (default {@link SIGNATURE_INTERVALS})
 * @param opts.secondsPerYear trading seconds per year for the annualised column (e.g. 252 x 6.5 h)
 * @param opts.noiseMaxInterval largest interval in the noise slope, seconds (default 10)
 * @returns one point per interval (in the given order) and the noise estimate
 */
export function signaturePlot(
  sessions: Iterable<TickSeries>,
  opts: { intervals?: readonly number[]; secondsPerYear: number; noiseMaxInterval?: number },
): SignaturePlot {
  const intervals = opts.intervals ?? SIGNATURE_INTERVALS;
  const noiseMax = opts.noiseMaxInterval ?? NOISE_MAX_INTERVAL;
  const I = intervals.length;
  // per interval: per-session RV and annualised RV; per session: the slope of RV on the change count (noise)
  const rvBy: number[][] = intervals.map(() => []);
  const annBy: number[][] = intervals.map(() => []);
  const returnsBy = new Array<number>(I).fill(0);
  const small = intervals.map((dt, i) => ({ dt, i })).filter((p) => p.dt <= noiseMax + 1e-9);
  const slopes: number[] = [];
  let S = 0;
  // one session at a time (streamed: nothing of a session is kept but its per-interval figures)
  for (const session of sessions) {
    S++;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < I; i++) {
      const dt = intervals[i];
      const r = realisedVariance(previousTick(session, dt), dt);
      if (r.returns === 0) continue;
      rvBy[i].push(r.rv);
      annBy[i].push((r.rv / r.spanSeconds) * opts.secondsPerYear);
      returnsBy[i] += r.returns;
      if (dt <= noiseMax + 1e-9) {
        xs.push(r.changes);
        ys.push(r.rv);
      }
    }
    if (xs.length >= 2) {
      const b = olsSlope(xs, ys);
      if (Number.isFinite(b)) slopes.push(b);
    }
  }
  const points = intervals.map((dt, i): SignaturePoint => {
    const rv = meanAndSe(rvBy[i]);
    const an = meanAndSe(annBy[i]);
    return { intervalSeconds: dt, sessions: rvBy[i].length, returns: returnsBy[i], rvMean: fin(rv.mean), rvSe: fin(rv.se), annualVariance: fin(an.mean), annualVarianceSe: fin(an.se) };
  });
  const slope = meanAndSe(slopes);
  const noise: NoiseEstimate | null = slopes.length
    ? { variance: slope.mean / 2, se: fin(slope.se / 2), sessions: slopes.length, intervals: small.map((p) => p.dt) }
    : null;
  return { points, noise, sessions: S };
}
