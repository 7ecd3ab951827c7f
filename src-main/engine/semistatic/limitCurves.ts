import { type SemistaticLimitCurves } from '../../../src-shared/semistatic/contract';
import { continuousLimit, discreteKernel, kappaKernel, kappaMinusKappa0, limitEntropy } from './limit';

/**
 * The continuous-limit pictures (spec "What the view shows"): kappa against t with the discrete kernels of
 * several n converging to it, and the limit entropy against H (one line per s2) and against s2 (one line
 * per H). Pure; O(sum of n + grid sizes).
 */

export const DEFAULT_LIMIT_NS = [10, 40, 160, 640];
const RATIO_FAMILY = [0.25, 0.5, 0.8, 1.25, 2, 4];
const DELAY_FAMILY = [0.05, 0.1, 0.25, 0.5, 0.75];
const KAPPA_POINTS = 601;
const GRID_POINTS = 120;

const uniq = (xs: number[]): number[] => [...new Set(xs.map((x) => Number(x.toPrecision(12))))].sort((p, q) => p - q);

/**
 * Max |discrete - limit| over points away from the multiples of H (the jump at H, where D = round(H n) puts
 * the discrete one up to 1/(2n) off, and the kinks after it): the window is min(2/n, H/4), at least 0.6/n.
 */
export function kernelError(n: number, H: number, tt: Float64Array, y: Float64Array, eval_: (t: number) => number): number {
  const window = Math.max(0.6 / n, Math.min(2 / n, H / 4));
  let worst = 0;
  for (let k = 0; k < tt.length; k++) {
    const t = tt[k];
    const nearJump = Math.abs(t / H - Math.round(t / H)) * H < window;
    if (nearJump) continue;
    worst = Math.max(worst, Math.abs(y[k] - eval_(t)));
  }
  return worst;
}

export function limitCurves(H: number, s2: number, ns: number[] = DEFAULT_LIMIT_NS): SemistaticLimitCurves {
  const lim = continuousLimit(H, s2);
  const kernel = kappaKernel(lim);
  const f = (t: number): number => kappaMinusKappa0(kernel, t);

  // Limit curve on [0, 1] with the jump at t = H drawn as a vertical step.
  const t: number[] = [];
  const limit: number[] = [];
  for (let k = 0; k < KAPPA_POINTS; k++) {
    const x = k / (KAPPA_POINTS - 1);
    if (t.length && t[t.length - 1] < H && x > H) {
      t.push(H, H);
      limit.push(0, f(H));
    }
    t.push(x);
    limit.push(f(x));
  }

  const discrete: SemistaticLimitCurves['kappa']['discrete'] = [];
  const skipped: string[] = [];
  for (const n of uniq(ns)) {
    const D = Math.round(H * n);
    if (D < 1) {
      skipped.push(`n = ${n}: D = round(H n) = 0 (no delay at this n)`);
      continue;
    }
    if (D >= n) {
      skipped.push(`n = ${n}: D = round(H n) = ${D} is not < n`);
      continue;
    }
    const dk = discreteKernel(n, D, s2);
    discrete.push({ n, D, t: Array.from(dk.t), y: Array.from(dk.y), maxError: kernelError(n, H, dk.t, dk.y, f) });
  }

  const hGrid = Array.from({ length: GRID_POINTS }, (_, k) => 0.01 + (0.98 * k) / (GRID_POINTS - 1));
  const rGrid = Array.from({ length: GRID_POINTS }, (_, k) => Math.exp(Math.log(0.05) + ((Math.log(20) - Math.log(0.05)) * k) / (GRID_POINTS - 1)));
  const ratios = uniq([...RATIO_FAMILY, s2]);
  const delays = uniq([...DELAY_FAMILY, H]);
  return {
    delayFraction: H,
    ratio2: s2,
    ahat: lim.ahat,
    alpha: lim.alpha,
    kappa0: lim.kappa0,
    entropy: lim.entropy,
    kappa: { t, limit, discrete, skipped },
    valueVsDelay: { delayFraction: hGrid, series: ratios.map((r) => ({ ratio2: r, entropy: hGrid.map((h) => limitEntropy(h, r)) })) },
    valueVsRatio: { ratio2: rGrid, series: delays.map((h) => ({ delayFraction: h, entropy: rGrid.map((r) => limitEntropy(h, r)) })) },
  };
}
