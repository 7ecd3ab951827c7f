import { describe, expect, it } from 'vitest';
import { bsDivDelta, bsDivGamma, bsDivPrice } from '../../../../src-main/engine/math/blackScholesDividend';
import { type BasketMarket, geometricBasketEuropean, geometricBasketParams } from '../../../../src-main/engine/math/geometricBasket';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

const market = (d: number): BasketMarket => ({
  spots: Array.from({ length: d }, (_, i) => 90 + 5 * i),
  vols: Array.from({ length: d }, (_, i) => 0.15 + 0.05 * (i % 3)),
  divs: Array.from({ length: d }, (_, i) => 0.01 * i),
  corr: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0.3 + 0.1 * ((i + j) % 2)))),
  rate: 0.03,
});

describe('geometric basket closed form', () => {
  it('with one asset is Black-Scholes with that asset dividend', () => {
    const m = { spots: [100], vols: [0.25], divs: [0.02], corr: [[1]], rate: 0.01 };
    const r = geometricBasketEuropean('call', m, [0], 105, 1);
    const bs = { spot: 100, strike: 105, vol: 0.25, tau: 1, rate: 0.01, div: 0.02 };
    expect(r.price).toBeCloseTo(bsDivPrice('call', bs), 12);
    expect(r.delta[0]).toBeCloseTo(bsDivDelta('call', bs), 12);
    expect(r.gamma[0][0]).toBeCloseTo(bsDivGamma(bs), 12);
  });

  it('B1 (d = 5, sigma 0.25, rho 0.75, q 0.02, r 0): s_G^2 = 0.05 and q_G = 0.02625', () => {
    const d = 5;
    const m: BasketMarket = { spots: Array(d).fill(100), vols: Array(d).fill(0.25), divs: Array(d).fill(0.02), rate: 0, corr: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0.75))) };
    const p = geometricBasketParams(m, [0, 1, 2, 3, 4]);
    expect(p.vol ** 2).toBeCloseTo(0.05, 14);
    expect(p.div).toBeCloseTo(0.02625, 14);
    expect(p.g0).toBeCloseTo(100, 12);
  });

  it('Delta vector and Gamma matrix are the derivatives of the price (central differences), on a subset of assets', () => {
    const m = market(4);
    const assets = [0, 2, 3];
    for (const side of ['call', 'put'] as const) {
      const r = geometricBasketEuropean(side, m, assets, 100, 0.75);
      const h = 1e-3;
      const bump = (a: number, f: number) => ({ ...m, spots: m.spots.map((s, i) => (i === a ? s * (1 + f) : s)) });
      for (let a = 0; a < 4; a++) {
        const fd = (geometricBasketEuropean(side, bump(a, h), assets, 100, 0.75).price - geometricBasketEuropean(side, bump(a, -h), assets, 100, 0.75).price) / (2 * h * m.spots[a]);
        expect(r.delta[a]).toBeCloseTo(fd, 5);
        for (let b = 0; b < 4; b++) {
          const g = (geometricBasketEuropean(side, bump(a, h), assets, 100, 0.75).delta[b] - geometricBasketEuropean(side, bump(a, -h), assets, 100, 0.75).delta[b]) / (2 * h * m.spots[a]);
          expect(r.gamma[a][b]).toBeCloseTo(g, 6);
        }
      }
      expect(r.delta[1]).toBe(0);
    }
  });

  it('matches a Monte Carlo price of the correlated 5-asset basket within 4 standard errors', () => {
    const d = 5;
    const m = market(d);
    const assets = [0, 1, 2, 3, 4];
    const T = 1;
    // Cholesky of the correlation.
    const L = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let j = 0; j < d; j++) {
      let s = m.corr[j][j];
      for (let k = 0; k < j; k++) s -= L[j][k] ** 2;
      L[j][j] = Math.sqrt(s);
      for (let i = j + 1; i < d; i++) {
        let t = m.corr[i][j];
        for (let k = 0; k < j; k++) t -= L[i][k] * L[j][k];
        L[i][j] = t / L[j][j];
      }
    }
    const rng = seeded(3);
    const n = 200_000;
    let sum = 0;
    let sum2 = 0;
    const z = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) z[a] = rng.normal();
      let logG = 0;
      for (let a = 0; a < d; a++) {
        let w = 0;
        for (let k = 0; k <= a; k++) w += L[a][k] * z[k];
        logG += (Math.log(m.spots[a]) + (m.rate - m.divs[a] - 0.5 * m.vols[a] ** 2) * T + m.vols[a] * Math.sqrt(T) * w) / d;
      }
      const pay = Math.exp(-m.rate * T) * Math.max(Math.exp(logG) - 100, 0);
      sum += pay;
      sum2 += pay * pay;
    }
    const mean = sum / n;
    const se = Math.sqrt((sum2 / n - mean * mean) / n);
    expect(Math.abs(mean - geometricBasketEuropean('call', m, assets, 100, T).price)).toBeLessThan(4 * se);
  });
});
