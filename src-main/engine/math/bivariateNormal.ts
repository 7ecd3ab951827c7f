import { normCdf } from './normal';

/**
 * Bivariate standard normal distribution function
 *
 *     M(a, b; rho) = P(X <= a, Y <= b),  X, Y standard normal with correlation rho,
 *
 * by Genz's method (A. Genz, "Numerical computation of rectangular bivariate and trivariate normal and t
 * probabilities", Statistics and Computing 14 (2004) 251–260; algorithm BVND after Drezner & Wesolowsky
 * 1990): for |rho| < 0.925 Gauss–Legendre quadrature of Plackett's integral over asin(rho),
 * otherwise the same after a change of variables that removes the singularity at |rho| = 1.
 * Absolute error ~1e-15 (Genz's figure; checked in test/unit/engine/math/bivariateNormal.test.ts against
 * mpmath quadrature, test/reference/stulz_quantlib.py).
 */

/** Gauss–Legendre nodes (in (0, 1), one half of the symmetric set) and weights on [-1, 1], by Newton's method. */
function gaussLegendreHalf(n: number): { x: number[]; w: number[] } {
  const x: number[] = [];
  const w: number[] = [];
  for (let i = 1; i <= n / 2; i++) {
    let z = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x.push(z);
    w.push(2 / ((1 - z * z) * dp * dp));
  }
  return { x, w };
}

const GL6 = gaussLegendreHalf(6);
const GL12 = gaussLegendreHalf(12);
const GL20 = gaussLegendreHalf(20);
const TWO_PI = 2 * Math.PI;

/** P(X > h, Y > k) with correlation r (Genz's BVND). */
function bvnUpper(h: number, k: number, r: number): number {
  const gl = Math.abs(r) < 0.3 ? GL6 : Math.abs(r) < 0.75 ? GL12 : GL20;
  const lg = gl.x.length;
  let hk = h * k;
  let bvn = 0;
  if (Math.abs(r) < 0.925) {
    const hs = (h * h + k * k) / 2;
    const asr = Math.asin(r);
    for (let i = 0; i < lg; i++) {
      for (const sgn of [-1, 1]) {
        const sn = Math.sin((asr * (1 + sgn * gl.x[i])) / 2);
        bvn += gl.w[i] * Math.exp((sn * hk - hs) / (1 - sn * sn));
      }
    }
    return (bvn * asr) / (2 * TWO_PI) + normCdf(-h) * normCdf(-k);
  }
  if (r < 0) {
    k = -k;
    hk = -hk;
  }
  if (Math.abs(r) < 1) {
    const as = (1 - r) * (1 + r);
    let a = Math.sqrt(as);
    const bs = (h - k) * (h - k);
    const c = (4 - hk) / 8;
    const d = (12 - hk) / 16;
    bvn = a * Math.exp(-(bs / as + hk) / 2) * (1 - (c * (bs - as) * (1 - (d * bs) / 5)) / 3 + (c * d * as * as) / 5);
    if (hk > -160) {
      const b = Math.sqrt(bs);
      bvn -= Math.exp(-hk / 2) * Math.sqrt(TWO_PI) * normCdf(-b / a) * b * (1 - (c * bs * (1 - (d * bs) / 5)) / 3);
    }
    a /= 2;
    for (let i = 0; i < lg; i++) {
      for (const sgn of [-1, 1]) {
        const xs = (a * (1 + sgn * gl.x[i])) ** 2;
        const rs = Math.sqrt(1 - xs);
        bvn += a * gl.w[i] * (Math.exp(-bs / (2 * xs) - hk / (1 + rs)) / rs - Math.exp(-(bs / xs + hk) / 2) * (1 + c * xs * (1 + d * xs)));
      }
    }
    bvn = -bvn / TWO_PI;
  }
  if (r > 0) return bvn + normCdf(-Math.max(h, k));
  bvn = -bvn;
  if (k > h) bvn += h < 0 ? normCdf(k) - normCdf(h) : normCdf(-h) - normCdf(-k);
  return bvn;
}

/**
 * M(a, b; rho) = P(X <= a, Y <= b) for standard normals with correlation rho in [-1, 1].
 * @returns a probability in [0, 1], absolute error ~1e-15.
 */
export function bivariateNormalCdf(a: number, b: number, rho: number): number {
  const v = bvnUpper(-a, -b, rho);
  return Math.min(1, Math.max(0, v));
}
