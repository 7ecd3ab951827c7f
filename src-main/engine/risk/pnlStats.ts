import { type PnlStats } from '../../../src-shared/bsde/hedge';
import { tailCount } from './measures';

/**
 * Statistics of a relative-PnL sample X_1..X_n (spec portfolio-bsde.md, "Hedging along simulated paths"):
 *
 *     mean         = (1/n) sum X_i
 *     variance     = (1/(n-1)) sum (X_i - mean)^2                (0 when n = 1)
 *     semivariance = (1/n) sum min(X_i - mean, 0)^2               (downside only)
 *     skew         = m3 / m2^{3/2},  m_p = (1/n) sum (X_i - mean)^p   (0 for a constant sample)
 *
 * Tails, with X_(1) <= .. <= X_(n) the sorted sample and k_alpha = tailCount(n, alpha) = ceil((1 - alpha) n):
 *
 *     var.p1  = X_(k_0.99),        es.p1  = mean of X_(1..k_0.99)          (lower tail: losses)
 *     var.p5  = X_(k_0.95),        es.p5  = mean of X_(1..k_0.95)
 *     var.p95 = X_(n+1-k_0.95),    es.p95 = mean of the k_0.95 largest     (upper tail)
 *     var.p99 = X_(n+1-k_0.99),    es.p99 = mean of the k_0.99 largest
 *
 * so es.p1 <= var.p1 <= var.p5 and var.p95 <= var.p99 <= es.p99. Units are those of X (fractions of |V_0|).
 * @param x the sample, n >= 1, all finite (otherwise throws, naming how many values are not finite).
 */
export function pnlStats(x: ArrayLike<number>): PnlStats {
  const n = x.length;
  if (n === 0) throw new Error('PnL statistics need at least one value (the sample is empty)');
  let bad = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) bad++;
    else sum += v;
  }
  if (bad > 0) throw new Error(`PnL statistics: ${bad} of ${n} values are not finite (NaN or infinite)`);
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let down = 0;
  for (let i = 0; i < n; i++) {
    const e = x[i] - mean;
    const e2 = e * e;
    m2 += e2;
    m3 += e2 * e;
    if (e < 0) down += e2;
  }
  const variance = n > 1 ? m2 / (n - 1) : 0;
  m2 /= n;
  m3 /= n;
  const skew = m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;

  const sorted = Float64Array.from(x).sort();
  const k1 = Math.min(n, tailCount(n, 0.99));
  const k5 = Math.min(n, tailCount(n, 0.95));
  const low = (k: number) => {
    let s = 0;
    for (let i = 0; i < k; i++) s += sorted[i];
    return { v: sorted[k - 1], es: s / k };
  };
  const high = (k: number) => {
    let s = 0;
    for (let i = n - k; i < n; i++) s += sorted[i];
    return { v: sorted[n - k], es: s / k };
  };
  const l1 = low(k1);
  const l5 = low(k5);
  const h95 = high(k5);
  const h99 = high(k1);
  return {
    n,
    mean,
    variance,
    semivariance: down / n,
    skew,
    var: { p1: l1.v, p5: l5.v, p95: h95.v, p99: h99.v },
    es: { p1: l1.es, p5: l5.es, p95: h95.es, p99: h99.es },
    min: sorted[0],
    max: sorted[n - 1],
  };
}
