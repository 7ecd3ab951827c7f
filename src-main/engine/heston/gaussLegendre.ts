/**
 * Gauss–Legendre nodes and weights on [-1, 1]: the roots of P_n by Newton's method from the Tricomi initial
 * guesses x_i ~ cos(pi (i - 1/4) / (n + 1/2)), weights w_i = 2 / ((1 - x_i^2) P_n'(x_i)^2)
 * (Abramowitz & Stegun 25.4.29; Numerical Recipes `gauleg`). Exact for polynomials of degree <= 2n - 1.
 * Cached per n.
 */
const cache = new Map<number, { x: Float64Array; w: Float64Array }>();

export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const hit = cache.get(n);
  if (hit) return hit;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`gaussLegendre: n must be a positive integer, got ${n}`);
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const half = Math.ceil(n / 2);
  for (let i = 0; i < half; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      // Legendre recurrence: (j + 1) P_{j+1} = (2j + 1) z P_j - j P_{j-1}.
      let p0 = 1;
      let p1 = z;
      for (let j = 1; j < n; j++) {
        const p2 = ((2 * j + 1) * z * p1 - j * p0) / (j + 1);
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? z : p1;
      const pnm1 = n === 1 ? 1 : p0;
      dp = (n * (z * pn - pnm1)) / (z * z - 1);
      const dz = pn / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
  }
  const out = { x, w };
  cache.set(n, out);
  return out;
}
