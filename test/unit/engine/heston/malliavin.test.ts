import { describe, expect, it } from 'vitest';
import { eulerStep, gradMu, gradSigmaColumns, malliavinStep, sigmaBatch, sigmaInvBatch } from '../../../../src-main/engine/heston/malliavin';
import { hestonSigma } from '../../../../src-main/engine/heston/paths';
import { seeded } from '../../../../src-main/engine/stochastic/rng';
import { H1_MARKET, type HestonMarket } from '../../../../src-shared/heston/types';

/**
 * D_n X_{n+1} of one Euler step (spec heston-osm.md eq. from source eq. 18) equals the derivative of the map
 *     b -> X_{n+1}(x_n + sigma(x_n) b, dB_n)
 * at b = 0 (the state at t_n moved as the Brownian increment that produced it moves it): column k is
 * d X_{n+1} / d b_k. Checked against central finite differences of the Euler map at random states, for H1 and
 * a market with negative correlation and a dividend yield.
 */
const markets: Array<[string, HestonMarket]> = [
  ['H1', H1_MARKET],
  ['rho < 0, q > 0', { s0: 100, nu0: 0.04, kappa: 1.5, nubar: 0.05, xi: 0.5, rho: -0.7, r: 0.03, q: 0.02 }],
];

describe.each(markets)('Euler Malliavin derivative (%s)', (_, m) => {
  it('equals central finite differences of b -> X_{n+1}(x_n + sigma(x_n) b, dB_n) at b = 0', () => {
    const rng = seeded(7);
    const dt = 0.3 / 60;
    const rows = 50;
    const S = new Float64Array(rows);
    const nu = new Float64Array(rows);
    const dB = new Float64Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      S[r] = m.s0 * Math.exp(0.2 * rng.normal());
      nu[r] = m.nu0 * Math.exp(0.5 * rng.normal());
      dB[2 * r] = Math.sqrt(dt) * rng.normal();
      dB[2 * r + 1] = Math.sqrt(dt) * rng.normal();
    }
    const D = malliavinStep(m, S, nu, dB, dt);
    const sig = sigmaBatch(m, S, nu);
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < 2; k++) {
        const h = 1e-5;
        const at = (e: number): [number, number] => {
          const s = S[r] + e * sig[4 * r + k];
          const v = nu[r] + e * sig[4 * r + 2 + k];
          return eulerStep(m, s, v, dB[2 * r], dB[2 * r + 1], dt);
        };
        const up = at(h);
        const dn = at(-h);
        for (let i = 0; i < 2; i++) {
          const fd = (up[i] - dn[i]) / (2 * h);
          const got = D[4 * r + 2 * i + k];
          worst = Math.max(worst, Math.abs(got - fd) / (Math.abs(fd) + 1e-8 * (i === 0 ? m.s0 : m.nu0)));
        }
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('reduces to sigma(x_n) when dB = 0 and dt = 0, and sigma matches the path simulator', () => {
    const S = Float64Array.of(m.s0 * 0.9, m.s0 * 1.1);
    const nu = Float64Array.of(m.nu0, 2 * m.nu0);
    const D = malliavinStep(m, S, nu, new Float64Array(4), 0);
    const sig = sigmaBatch(m, S, nu);
    for (let i = 0; i < 8; i++) expect(D[i]).toBeCloseTo(sig[i], 14);
    for (let r = 0; r < 2; r++) hestonSigma(m, S[r], nu[r]).forEach((x, i) => expect(sig[4 * r + i]).toBeCloseTo(x, 14));
    // sigma sigma^{-1} = I
    const inv = sigmaInvBatch(m, S, nu);
    for (let r = 0; r < 2; r++) {
      const a = sig.subarray(4 * r, 4 * r + 4);
      const b = inv.subarray(4 * r, 4 * r + 4);
      const prod = [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3]];
      prod.forEach((v, i) => expect(v).toBeCloseTo(i === 0 || i === 3 ? 1 : 0, 12));
    }
  });

  it('grad mu and the columns of grad sigma are the finite-difference Jacobians of mu and sigma', () => {
    const s = m.s0 * 1.05;
    const v = m.nu0 * 1.3;
    const mu = (x: number, y: number): [number, number] => [(m.r - m.q) * x, m.kappa * (m.nubar - y)];
    const gm = gradMu(m);
    const cols = gradSigmaColumns(m, s, v);
    const hs = 1e-4 * s;
    const hv = 1e-4 * v;
    for (let i = 0; i < 2; i++) {
      expect(gm[2 * i]).toBeCloseTo((mu(s + hs, v)[i] - mu(s - hs, v)[i]) / (2 * hs), 10);
      expect(gm[2 * i + 1]).toBeCloseTo((mu(s, v + hv)[i] - mu(s, v - hv)[i]) / (2 * hv), 10);
      for (let j = 0; j < 2; j++) {
        const sg = (x: number, y: number): number => hestonSigma(m, x, y)[2 * i + j];
        expect(cols[j][2 * i]).toBeCloseTo((sg(s + hs, v) - sg(s - hs, v)) / (2 * hs), 7);
        expect(cols[j][2 * i + 1]).toBeCloseTo((sg(s, v + hv) - sg(s, v - hv)) / (2 * hv), 5);
      }
    }
  });
});
