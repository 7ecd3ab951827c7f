import { normCdf, normPdf } from './normal';

/**
 * Fixed-strike lookback call on the running maximum, continuous monitoring, closed form of
 * Conze & Viswanathan (1991) (also Goldman, Sosin & Gatto 1979), no dividends. Payoff max(M_T - K, 0)
 * with M_T = max(M_t, max_{t<=u<=T} S_u). With H = max(M, K):
 *
 *     C = e^{-r tau} max(M - K, 0) + G(S, H)
 *     G = S N(d1) - H e^{-r tau} N(d2)
 *         + S e^{-r tau} (sigma^2 / (2r)) [ e^{r tau} N(d1) - (S/H)^{-2r/sigma^2} N(d1 - 2r sqrt(tau)/sigma) ]
 *     d1 = (ln(S/H) + (r + sigma^2/2) tau) / (sigma sqrt(tau)),   d2 = d1 - sigma sqrt(tau)
 *
 * The bracket / r is 0/0 at r = 0. With L = ln(S/H), X = tau + 2L/sigma^2, delta = 2r sqrt(tau)/sigma,
 * d3 = d1 - delta it is rewritten exactly as
 *
 *     [..]/r = e^{-2rL/sigma^2} [ N(d1) expm1(r X)/r + (2 sqrt(tau)/sigma) (N(d1) - N(d3))/delta ]
 *
 * where expm1(rX)/r -> X and (N(d1) - N(d3))/delta, the mean of n over [d3, d1], is computed by 8-point
 * Gauss–Legendre quadrature when |delta| <= 0.5 (no cancellation), so one formula is accurate for every
 * r including r = 0, where it reduces to (s = sigma sqrt(tau))
 *
 *     G = S N(d1) - H N(d2) + S [ N(d1) (L + s^2/2) + s n(d1) ].
 *
 * Delta in S at fixed running maximum. Using S n(d1) = H e^{-r tau} n(d2) and
 * (S/H)^{-2r/sigma^2} n(d3) = e^{r tau} n(d1) all density terms cancel and
 *
 *     dC/dS = N(d1) + B/S + e^{-r tau} (S/H)^{-2r/sigma^2} N(d3),   B = the bracket term of G,
 *
 * which at r = 0 is N(d1) (2 + L + s^2/2) + s n(d1).
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
 * Mean of the normal density over [a - h, a] (h of either sign): (N(a) - N(a - h)) / h, and n(a) at h = 0.
 * Quadrature for |h| <= 0.5 (relative error ~1e-16), otherwise the difference of the tail-accurate cdf.
 */
export function meanNormPdf(a: number, h: number): number {
  if (Math.abs(h) <= 0.5) {
    const mid = a - 0.5 * h;
    const half = 0.5 * h;
    let sum = 0;
    for (let k = 0; k < 4; k++) sum += GL_W[k] * (normPdf(mid - half * GL_X[k]) + normPdf(mid + half * GL_X[k]));
    return 0.5 * sum;
  }
  const b = a - h;
  // both points in the upper half: use upper tails so that 1 - small does not cancel
  const diff = Math.min(a, b) > 0 ? normCdf(-b) - normCdf(-a) : normCdf(a) - normCdf(b);
  return diff / h;
}

interface LookbackTerms {
  /** N(d1) */
  nd1: number;
  /** S N(d1) - H e^{-r tau} N(d2) */
  vanilla: number;
  /** B / S, the bracket term of G divided by S */
  bracketOverS: number;
  /** e^{-r tau} (S/H)^{-2r/sigma^2} N(d3) */
  reflected: number;
  discount: number;
}

function lookbackTerms(spot: number, h: number, vol: number, tau: number, rate: number): LookbackTerms {
  const sqrtTau = Math.sqrt(tau);
  const s = vol * sqrtTau;
  const logSH = Math.log(spot / h);
  const d1 = (logSH + rate * tau) / s + 0.5 * s;
  const discount = Math.exp(-rate * tau);
  const nd1 = normCdf(d1);
  const vanilla = spot * nd1 - h * discount * normCdf(d1 - s);
  const vol2 = vol * vol;
  const x = tau + (2 * logSH) / vol2;
  const growth = rate === 0 ? x : Math.expm1(rate * x) / rate; // expm1(r X) / r
  const shift = (2 * rate * sqrtTau) / vol; // d1 - d3
  const power = Math.exp((-2 * rate * logSH) / vol2); // (S/H)^{-2r/sigma^2}
  const meanPdf = meanNormPdf(d1, shift);
  const bracketOverS = discount * 0.5 * vol2 * power * (nd1 * growth + ((2 * sqrtTau) / vol) * meanPdf);
  const reflected = rate === 0 ? nd1 : discount * power * normCdf(d1 - shift);
  return { nd1, vanilla, bracketOverS, reflected, discount };
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
  return t.discount * Math.max(m - strike, 0) + t.vanilla + spot * t.bracketOverS;
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
  return t.nd1 + t.bracketOverS + t.reflected;
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
