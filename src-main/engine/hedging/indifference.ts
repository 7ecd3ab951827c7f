/**
 * The second term of the indifference price (deep-hedging spec, eq. 7): the smallest entropic risk of
 * hedging NO liability. Here the hedger is a static holding h bought at t_0 for cost c |h| P_0 and held
 * to T (with drift 0 the optimal dynamic hedge without liability is near 0, so a static position is the
 * natural cheap estimate):
 *
 *     f(h) = rho_a( h (P_n - P_0) - c |h| P_0 ),   noLiabilityRisk = min_h f(h) <= f(0) = 0.
 *
 * f is convex (entropic risk is convex and monotone; the PnL is concave in h). Its one-sided slopes at 0
 * are -mean(P_n - P_0) +- c P_0, so whenever |mean(P_n - P_0)| <= c P_0 the minimum is h = 0 and the
 * result is exactly 0. Otherwise, on the descending side, with w = +-(P_n - P_0) - c P_0 and h = +-u:
 * phi(u) = (1/a) log mean exp(-a u w) has phi'(u) = -E_pi[w], phi''(u) = a Var_pi[w] (pi_k ~ exp(-a u w_k)),
 * minimised by safeguarded Newton on a bracket. With cost 0 and drift 0 the sample's mean is not exactly 0,
 * so the result is slightly negative (about -mean^2 / (2 a var)): that is sampling noise, not a bug.
 *
 * Holdings are limited to |h| <= `STATIC_HOLDING_BOUND` (100 units of the asset per option, 100x the
 * largest European delta). Without a bound the minimum is -infinity whenever no path of the sample loses
 * on the profitable side (e.g. drift 2/yr, sigma 0.1, 30 days: every one of 5000 paths gains), and the
 * unconstrained optimum h ~ mu / (a sigma^2) is already 50 at mu = 0.5, sigma = 0.1. `atBound` says when
 * the bound was active.
 */

/** phi(u), phi'(u), phi''(u) for phi(u) = (1/a) log mean exp(-a u w). */
function phiAt(w: Float64Array, u: number, a: number, center: number): { value: number; slope: number; curvature: number } {
  const n = w.length;
  let top = -Infinity;
  for (let k = 0; k < n; k++) if (-a * u * w[k] > top) top = -a * u * w[k];
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(-a * u * w[k] - top);
    const dw = w[k] - center;
    s0 += e;
    s1 += e * dw;
    s2 += e * dw * dw;
  }
  const meanShift = s1 / s0; // E_pi[w] - center
  return {
    value: (top + Math.log(s0 / n)) / a,
    slope: -(meanShift + center),
    curvature: a * Math.max(0, s2 / s0 - meanShift * meanShift),
  };
}

/** Largest |h| considered, units of the asset per option (see the module doc). */
export const STATIC_HOLDING_BOUND = 100;

/**
 * Minimum over static holdings h of the entropic risk of h (P_n - P_0) - c |h| P_0.
 * @param terminal P_n of every path, length N (money).
 * @param spot0 P_0 (money; spec: 1).
 * @param cost proportional cost rate c.
 * @param a entropic risk aversion (default 1).
 * @returns risk (money, <= 0), the minimising holding h (asset units, |h| <= 100) and whether the bound was hit.
 */
export function staticNoLiabilityRisk(
  terminal: Float64Array,
  spot0: number,
  cost: number,
  a = 1,
): { risk: number; holding: number; atBound: boolean } {
  const n = terminal.length;
  let mean = 0;
  for (let k = 0; k < n; k++) mean += terminal[k] - spot0;
  mean /= n;
  const c = cost * spot0;
  if (mean <= c && mean >= -c) return { risk: 0, holding: 0, atBound: false };
  const side = mean > c ? 1 : -1; // long if the sample drifts up by more than the cost
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) w[k] = side * (terminal[k] - spot0) - c;
  const center = side * mean - c; // plain mean of w (> 0)
  // bracket [lo, hi]: slope < 0 at lo, > 0 at hi; start from the Newton step at 0 and double
  let var0 = 0;
  for (let k = 0; k < n; k++) var0 += (w[k] - center) ** 2;
  var0 /= n;
  let lo = 0;
  let hi: number;
  let u = Math.min(STATIC_HOLDING_BOUND, var0 > 0 ? center / (a * var0) : 1);
  for (;;) {
    if (phiAt(w, u, a, center).slope > 0) {
      hi = u;
      break;
    }
    lo = u;
    if (u >= STATIC_HOLDING_BOUND) {
      return { risk: phiAt(w, STATIC_HOLDING_BOUND, a, center).value, holding: side * STATIC_HOLDING_BOUND, atBound: true };
    }
    u = Math.min(STATIC_HOLDING_BOUND, 2 * u);
  }
  // safeguarded Newton on phi' = 0 within [lo, hi]
  u = 0.5 * (lo + hi);
  for (let it = 0; it < 100; it++) {
    const p = phiAt(w, u, a, center);
    if (p.slope > 0) hi = u;
    else lo = u;
    let next = p.curvature > 0 ? u - p.slope / p.curvature : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - u) <= 1e-13 * Math.max(1, u) || hi - lo <= 1e-13 * hi) {
      u = next;
      break;
    }
    u = next;
  }
  return { risk: Math.min(0, phiAt(w, u, a, center).value), holding: side * u, atBound: false };
}
