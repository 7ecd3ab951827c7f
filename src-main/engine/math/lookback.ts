import { normCdf, normMillsRatio, normPdf, normSf, oneMinusYMills } from './normal';

/**
 * Fixed-strike lookback call on the running maximum, continuous monitoring, closed form of
 * Conze & Viswanathan (1991) (also Goldman, Sosin & Gatto 1979), no dividends. Payoff max(M_T - K, 0)
 * with M_T = max(M_t, max_{t<=u<=T} S_u). With H = max(M, K), s = sigma sqrt(tau), L = ln(S/H) <= 0:
 *
 *     C = e^{-r tau} max(M - K, 0) + G(S, H)
 *     G = S N(d1) - H e^{-r tau} N(d2)
 *         + S e^{-r tau} (sigma^2 / (2r)) [ e^{r tau} N(d1) - (S/H)^{-2r/sigma^2} N(d3) ]
 *     d1 = (L + r tau)/s + s/2,   d2 = d1 - s,   d3 = d1 - delta,   delta = 2 r sqrt(tau) / sigma
 *
 * Typed literally this cancels: with E = 2 r ln(H/S) / sigma^2 the term e^E N(d3) is huge times tiny
 * and the bracket loses ~E/ln 10 digits (S=100, M=100, K=120, sigma 0.03, r 0.1, tau 2 gives -10.21
 * instead of 2.98055) and overflows to NaN for E > 709. Exact rewrite used here, with M(x) = N(x)/n(x)
 * (M(x) = R(-x), R the Mills ratio) and the identities S n(d1) = H e^{-r tau} n(d2) and
 * e^{-r tau} e^E n(d3) = n(d1):
 *
 *     S N(d1) - H e^{-r tau} N(d2)   = S s J(d1, s)
 *     S e^{-r tau} (sigma^2/(2r)) [..] = S s J(d1, delta)
 *     J(a, h) = n(a) (M(a) - M(a - h)) / h        (= n(a) M'(a) = n(a) + a N(a) at h = 0)
 *
 * so G = S s [J(d1, s) + J(d1, delta)], every term positive, no exponential of E formed. J is the mean
 * of n(a) M'(x) over [a - h, a] (M' = 1 + x M > 0); it is evaluated by 8-point Gauss–Legendre
 * quadrature when |h| max(1, a, a - h) <= 0.5 (the integrand is then smooth; for x <= 0 it is
 * n(a)(1 - y R(y)), y = -x, from `oneMinusYMills` without cancellation; for x > 0
 * n(a) + x e^{(x^2 - a^2)/2} N(x)), otherwise as the difference of its two ends written so that
 * neither end overflows (`jDifference`). r = 0 is the h = 0 case of the same function, so the price is
 * continuous in r through 0.
 *
 * Delta in S at fixed running maximum. The density terms cancel and
 *
 *     dC/dS = N(d1) + s J(d1, delta) + n(d1) M(d3),     n(d1) M(d3) = e^{-r tau} (S/H)^{-2r/sigma^2} N(d3),
 *
 * which at r = 0 is N(d1) (2 + L + s^2/2) + s n(d1).
 *
 * Accuracy: price and delta match a 60+-digit mpmath evaluation of the textbook formula
 * (test/reference/lookback_mpmath.py) to ~1e-13 relative at E up to 9e3, r in [-0.1, 0.3], sigma down to
 * 1e-4 and tau down to 1e-8 (test/unit/engine/math/lookbackExact.test.ts).
 */
export interface LookbackArgs {
  /** Current spot S (> 0), units of money (P_0 = 1). */
  spot: number;
  /** Running maximum M observed so far (including today's spot); values below spot are raised to spot. */
  runningMax: number;
  /** Strike K (> 0). */
  strike: number;
  /** Annualised volatility sigma (> 0; 0 gives the deterministic limit). */
  vol: number;
  /** Time to maturity in years; tau <= 0 gives the payoff. */
  tau: number;
  /** Continuously compounded annual rate r; default 0. */
  rate?: number;
}

// 8-point Gauss–Legendre on [-1, 1]: nodes +-GL_X[k], weights GL_W[k] (sum of weights = 2).
const GL_X = [0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

/**
 * n(a) M'(x) at x = a - t, M(x) = N(x)/n(x), M' = 1 + x M, without overflow or cancellation. The offset t
 * is passed instead of x so that n(a)/n(x) = e^{-t (2a - t)/2} does not inherit the rounding of a - x.
 */
function scaledMillsSlope(a: number, t: number): number {
  const x = a - t;
  if (x <= 0) return normPdf(a) * oneMinusYMills(-x);
  return normPdf(a) + x * Math.exp(-0.5 * t * (2 * a - t)) * normCdf(x);
}

/**
 * n(a) M(b), M(b) = N(b)/n(b): for b <= 0 as n(a) R(-b) (Mills ratio), for b > 0 as
 * e^{-(a - b)(a + b)/2} N(b). Equals N(a) at b = a.
 */
function scaledMills(a: number, b: number): number {
  if (b <= 0) return normPdf(a) * normMillsRatio(-b);
  return Math.exp(-0.5 * (a - b) * (a + b)) * normCdf(b);
}

/** J(a, h) = (N(a) - n(a) M(a - h)) / h from its two ends, for |h| not small (see the module doc). */
function jDifference(a: number, h: number): number {
  const b = a - h;
  if (a <= 0 && b <= 0) return (normPdf(a) * (normMillsRatio(-a) - normMillsRatio(-b))) / h;
  if (a > 0 && b > 0) {
    // N(a) - e^{-c} N(b) = -expm1(-c) - Q(a) + n(a) R(b), c = (a - b)(a + b)/2, Q the upper tail
    const c = 0.5 * h * (a + b);
    return (-Math.expm1(-c) - normSf(a) + normPdf(a) * normMillsRatio(b)) / h;
  }
  return (normCdf(a) - scaledMills(a, b)) / h;
}

/**
 * J(a, h) = n(a) (M(a) - M(a - h)) / h with M(x) = N(x)/n(x); J(a, 0) = n(a) + a N(a). Positive for
 * every a, h. Dimensionless.
 * @param a upper end (d1).
 * @param h width (s for the vanilla part, delta = 2 r sqrt(tau)/sigma for the reflected part; any sign).
 */
export function lookbackJ(a: number, h: number): number {
  if (Math.abs(h) * Math.max(1, a, a - h) > 0.5) return jDifference(a, h);
  if (h === 0) return scaledMillsSlope(a, 0);
  // nodes x = a - t, t = (h/2)(1 +- GL_X[k]) in (0, h)
  const half = 0.5 * h;
  let sum = 0;
  for (let k = 0; k < 4; k++) sum += GL_W[k] * (scaledMillsSlope(a, half * (1 + GL_X[k])) + scaledMillsSlope(a, half * (1 - GL_X[k])));
  return 0.5 * sum;
}

interface LookbackTerms {
  /** N(d1) */
  nd1: number;
  /** s */
  s: number;
  /** J(d1, s): S s J = S N(d1) - H e^{-r tau} N(d2) */
  jVanilla: number;
  /** J(d1, delta): S s J = the bracket term B of G */
  jReflected: number;
  /** n(d1) M(d3) = e^{-r tau} (S/H)^{-2r/sigma^2} N(d3) */
  reflected: number;
  discount: number;
}

function lookbackTerms(spot: number, h: number, vol: number, tau: number, rate: number): LookbackTerms {
  const sqrtTau = Math.sqrt(tau);
  const s = vol * sqrtTau;
  const logSH = Math.log(spot / h);
  const d1 = (logSH + rate * tau) / s + 0.5 * s;
  const shift = (2 * rate * sqrtTau) / vol; // d1 - d3
  return {
    nd1: normCdf(d1),
    s,
    jVanilla: lookbackJ(d1, s),
    jReflected: lookbackJ(d1, shift),
    reflected: shift === 0 ? normCdf(d1) : scaledMills(d1, d1 - shift),
    discount: Math.exp(-rate * tau),
  };
}

/**
 * Fixed-strike lookback call value (continuous monitoring), see the module doc for the formula.
 * @returns price in units of money. At tau <= 0: max(max(M, S) - K, 0); with vol = 0 the deterministic
 *   value e^{-r tau} max(max(M, S e^{max(r,0) tau}) - K, 0).
 */
export function lookbackCallPrice({ spot, runningMax, strike, vol, tau, rate = 0 }: LookbackArgs): number {
  const m = Math.max(runningMax, spot);
  if (tau <= 0) return Math.max(m - strike, 0);
  if (!(vol > 0)) {
    const top = Math.max(m, spot * Math.exp(Math.max(rate, 0) * tau));
    return Math.exp(-rate * tau) * Math.max(top - strike, 0);
  }
  const h = Math.max(m, strike);
  const t = lookbackTerms(spot, h, vol, tau, rate);
  return t.discount * Math.max(m - strike, 0) + spot * t.s * (t.jVanilla + t.jReflected);
}

/**
 * Delta dC/dS of the fixed-strike lookback call at fixed running maximum (units of the asset per option):
 * N(d1) + B/S + e^{-r tau} (S/H)^{-2r/sigma^2} N(d1 - 2r sqrt(tau)/sigma); at r = 0
 * N(d1) (2 + ln(S/H) + s^2/2) + s n(d1). At tau <= 0 (or vol = 0): 1 if S >= max(M, K) (S sets the
 * maximum), else 0.
 */
export function lookbackCallDelta({ spot, runningMax, strike, vol, tau, rate = 0 }: LookbackArgs): number {
  const m = Math.max(runningMax, spot);
  const h = Math.max(m, strike);
  if (tau <= 0 || !(vol > 0)) {
    const grown = tau > 0 ? spot * Math.exp(Math.max(rate, 0) * tau) : spot;
    return grown >= h ? (tau > 0 ? Math.exp((Math.max(rate, 0) - rate) * tau) : 1) : 0;
  }
  const t = lookbackTerms(spot, h, vol, tau, rate);
  return t.nd1 + t.s * t.jReflected + t.reflected;
}

/**
 * Lookback delta at r = 0 from precomputed logs, for hot loops:
 * N(d1) (2 + L + s^2/2) + s n(d1), d1 = L/s + s/2.
 * @param logSpotOverH L = ln(S / max(M, K)) <= 0.
 * @param s total volatility sigma sqrt(tau) > 0.
 */
export function lookbackCallDeltaZeroRate(logSpotOverH: number, s: number): number {
  const d1 = logSpotOverH / s + 0.5 * s;
  return normCdf(d1) * (2 + logSpotOverH + 0.5 * s * s) + s * normPdf(d1);
}
