import { type HedgeMetrics } from '../../../src-shared/hedging/config';

/**
 * Risk measures of a PnL sample (deep-hedging spec, "Risk measures"; smaller is better). Losses are
 * L = -PNL. For a tail level alpha (0.9, 0.95, 0.99) let k = ceil((1 - alpha) N):
 *
 *     ES_alpha  = mean of the k largest losses
 *     VaR_alpha = the smallest of those k losses (the k-th largest loss), so ES_alpha >= VaR_alpha
 *     rho_a     = (1/a) log( (1/N) sum_k exp(-a PNL_k) )   (entropic, computed by log-sum-exp)
 *
 * All values are in the units of the PnL (money, P_0 = 1).
 */

/** Summary figures of a PnL sample: the risk part of `HedgeMetrics` (std with divisor N - 1, entropic with a). */
export type RiskSummary = Pick<HedgeMetrics, 'mean' | 'std' | 'entropic' | 'var90' | 'var95' | 'var99' | 'es90' | 'es95' | 'es99'>;

/**
 * Entropic risk rho_a(PNL) = (1/a) log E[exp(-a PNL)], by log-sum-exp (no overflow for large losses).
 * @param pnl sample of length N >= 1, money.
 * @param a risk aversion > 0, 1/money (spec: 1).
 * @returns money; equals -PNL for a constant sample, >= -mean(PNL) (Jensen).
 */
export function entropicRisk(pnl: ArrayLike<number>, a = 1): number {
  const n = pnl.length;
  if (n === 0) return NaN;
  let top = -Infinity;
  for (let k = 0; k < n; k++) if (-a * pnl[k] > top) top = -a * pnl[k];
  if (!Number.isFinite(top)) return top / a;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp(-a * pnl[k] - top);
  return (top + Math.log(sum / n)) / a;
}

/**
 * Number of tail samples k = ceil((1 - alpha) N), computed without the float trap (1 - 0.95) * 20 =
 * 1.0000000000000009 (which would give 2): the tail fraction is rounded to 1e-9 first. At least 1.
 */
export function tailCount(n: number, alpha: number): number {
  const tailPpb = Math.round((1 - alpha) * 1e9); // parts per billion, an integer
  return Math.max(1, Math.ceil((tailPpb * n) / 1e9));
}

/**
 * VaR and ES at level alpha from losses sorted ascending (L = -PNL).
 * @param sortedLosses ascending, length N >= 1.
 */
export function tailRiskFromSortedLosses(sortedLosses: ArrayLike<number>, alpha: number): { var: number; es: number } {
  const n = sortedLosses.length;
  const k = Math.min(n, tailCount(n, alpha));
  let sum = 0;
  for (let j = n - k; j < n; j++) sum += sortedLosses[j];
  return { var: sortedLosses[n - k], es: sum / k };
}

/** Losses L = -PNL sorted ascending (a new array). */
export function sortedLosses(pnl: ArrayLike<number>): Float64Array {
  const losses = new Float64Array(pnl.length);
  for (let k = 0; k < pnl.length; k++) losses[k] = -pnl[k];
  return losses.sort();
}

/** Value at risk at level alpha: the k-th largest loss, k = ceil((1 - alpha) N). Money. */
export function valueAtRisk(pnl: ArrayLike<number>, alpha: number): number {
  return tailRiskFromSortedLosses(sortedLosses(pnl), alpha).var;
}

/** Expected shortfall at level alpha: mean of the k largest losses, k = ceil((1 - alpha) N). Money. */
export function expectedShortfall(pnl: ArrayLike<number>, alpha: number): number {
  return tailRiskFromSortedLosses(sortedLosses(pnl), alpha).es;
}

/**
 * Mean, sample std, entropic loss, VaR and ES at 90/95/99% of a PnL sample (one sort, O(N log N)).
 * @param pnl length N >= 2, money.
 * @param a entropic risk aversion, default 1.
 */
export function riskSummary(pnl: ArrayLike<number>, a = 1): RiskSummary {
  const n = pnl.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += pnl[k];
  const mean = sum / n;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (pnl[k] - mean) * (pnl[k] - mean);
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  const losses = sortedLosses(pnl);
  const t90 = tailRiskFromSortedLosses(losses, 0.9);
  const t95 = tailRiskFromSortedLosses(losses, 0.95);
  const t99 = tailRiskFromSortedLosses(losses, 0.99);
  return {
    mean,
    std,
    entropic: entropicRisk(pnl, a),
    var90: t90.var,
    var95: t95.var,
    var99: t99.var,
    es90: t90.es,
    es95: t95.es,
    es99: t99.es,
  };
}
