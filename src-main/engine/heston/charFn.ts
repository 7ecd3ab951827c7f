import { type HestonMarket } from '../../../src-shared/heston/types';

/** A complex number as a plain pair (precomputation only; hot loops work on split re/im arrays). */
export interface Cx {
  re: number;
  im: number;
}

export const cx = (re: number, im = 0): Cx => ({ re, im });
export const cadd = (a: Cx, b: Cx): Cx => ({ re: a.re + b.re, im: a.im + b.im });
export const csub = (a: Cx, b: Cx): Cx => ({ re: a.re - b.re, im: a.im - b.im });
export const cmul = (a: Cx, b: Cx): Cx => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
export const cscale = (a: Cx, s: number): Cx => ({ re: a.re * s, im: a.im * s });
export const cabs = (a: Cx): number => Math.hypot(a.re, a.im);

export function cdiv(a: Cx, b: Cx): Cx {
  // Smith's algorithm (no overflow for large |b|).
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    const t = b.im / b.re;
    const den = b.re + b.im * t;
    return { re: (a.re + a.im * t) / den, im: (a.im - a.re * t) / den };
  }
  const t = b.re / b.im;
  const den = b.re * t + b.im;
  return { re: (a.re * t + a.im) / den, im: (a.im * t - a.re) / den };
}

/** Principal square root (Re >= 0), stable for either sign of the real part. */
export function csqrt(a: Cx): Cx {
  if (a.re === 0 && a.im === 0) return cx(0);
  const m = cabs(a);
  if (a.re >= 0) {
    const t = Math.sqrt(0.5 * (m + a.re));
    return { re: t, im: a.im / (2 * t) };
  }
  const t = Math.sqrt(0.5 * (m - a.re));
  return { re: Math.abs(a.im) / (2 * t), im: a.im >= 0 ? t : -t };
}

export function cexp(a: Cx): Cx {
  const e = Math.exp(a.re);
  return { re: e * Math.cos(a.im), im: e * Math.sin(a.im) };
}

/** e^a - 1 without cancellation for small |a|: (expm1(x) cos y - 2 sin^2(y/2)) + i e^x sin y. */
export function cexpm1(a: Cx): Cx {
  const s = Math.sin(0.5 * a.im);
  return { re: Math.expm1(a.re) * Math.cos(a.im) - 2 * s * s, im: Math.exp(a.re) * Math.sin(a.im) };
}

/** log(1 + a), principal branch, accurate for small |a|: 0.5 log1p(2 Re a + |a|^2) + i atan2(Im a, 1 + Re a). */
export function clog1p(a: Cx): Cx {
  return { re: 0.5 * Math.log1p(2 * a.re + a.re * a.re + a.im * a.im), im: Math.atan2(a.im, 1 + a.re) };
}

/**
 * The exponent of the Heston characteristic function on the Lewis line v = u - i/2, in the "little trap" form
 * of Albrecher, Mayer, Schoutens & Tistaert (2007), "The little Heston trap", eqs. (2)-(4) with g2:
 *
 *     psi(v) = E[exp(i v X)] = exp(C(u, tau) + D(u, tau) nu),   X = ln(S_tau / F),  F = S e^{(r - q) tau},
 *     beta = kappa - rho xi i v = (kappa - rho xi / 2) - i rho xi u,   s = i v + v^2 = u^2 + 1/4 (real),
 *     d = sqrt(beta^2 + xi^2 s)  (principal root),   g = (beta - d) / (beta + d) = -xi^2 s / (beta + d)^2,
 *     D = (beta - d) / xi^2 * (1 - e^{-d tau}) / (1 - g e^{-d tau}) = -s / (beta + d) * (1 - e^{-d tau}) / (1 - g e^{-d tau}),
 *     C = kappa nubar / xi^2 * [(beta - d) tau - 2 ln((1 - g e^{-d tau}) / (1 - g))]
 *       = kappa nubar * [-s tau / (beta + d) - (2 / xi^2) log1p(g (1 - e^{-d tau}) / (1 - g))].
 *
 * The rewritten forms (beta - d = -xi^2 s / (beta + d), expm1, log1p) have no cancellation as xi -> 0, where
 * C + D nubar -> -nubar s tau / 2: the Black–Scholes characteristic function at variance nubar (exact at xi = 0).
 *
 * @param m market (kappa 1/yr, nubar 1/yr, xi 1/sqrt(yr), rho); r, q and s0/nu0 are not used here.
 * @param tau time to maturity in years (> 0).
 * @param u real frequency (>= 0).
 */
export function lewisExponent(m: HestonMarket, tau: number, u: number): { C: Cx; D: Cx } {
  const { kappa, nubar, xi, rho } = m;
  const s = u * u + 0.25;
  const beta = cx(kappa - 0.5 * rho * xi, -rho * xi * u);
  const xi2 = xi * xi;
  const d = csqrt(cadd(cmul(beta, beta), cx(xi2 * s)));
  const bpd = cadd(beta, d);
  const bpd2 = cmul(bpd, bpd);
  const gOverXi2 = cdiv(cx(-s), bpd2);
  const g = cscale(gOverXi2, xi2);
  const E = cscale(cexpm1(cscale(d, -tau)), -1); // 1 - e^{-d tau}
  const oneMinusG = cx(1 - g.re, -g.im);
  const denD = csub(cx(1), cmul(g, csub(cx(1), E))); // 1 - g e^{-d tau}
  const D = cdiv(cmul(cdiv(cx(-s), bpd), E), denD);
  const zOverXi2 = cdiv(cmul(gOverXi2, E), oneMinusG);
  const logTerm = xi2 > 0 ? cscale(clog1p(cscale(zOverXi2, xi2)), 1 / xi2) : zOverXi2;
  const C = cscale(csub(cscale(cdiv(cx(-s), bpd), tau), cscale(logTerm, 2)), kappa * nubar);
  return { C, D };
}
