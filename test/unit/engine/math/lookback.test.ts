import { describe, expect, it } from 'vitest';
import { bsCallPrice } from '../../../../src-main/engine/math/blackScholes';
import {
  lookbackCallDelta,
  lookbackCallDeltaZeroRate,
  lookbackCallPrice,
  lookbackJ,
} from '../../../../src-main/engine/math/lookback';
import { normCdf, normPdf } from '../../../../src-main/engine/math/normal';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

/** The textbook Conze–Viswanathan formula typed in literally (accurate for r not near 0). */
function naiveCv(S: number, M: number, K: number, vol: number, tau: number, r: number): number {
  const H = Math.max(M, K);
  const s = vol * Math.sqrt(tau);
  const d1 = (Math.log(S / H) + (r + (vol * vol) / 2) * tau) / s;
  const d2 = d1 - s;
  const df = Math.exp(-r * tau);
  const bracket =
    Math.exp(r * tau) * normCdf(d1) - Math.pow(S / H, (-2 * r) / (vol * vol)) * normCdf(d1 - (2 * r * Math.sqrt(tau)) / vol);
  return df * Math.max(M - K, 0) + S * normCdf(d1) - H * df * normCdf(d2) + S * df * ((vol * vol) / (2 * r)) * bracket;
}

/** The r = 0 limit derived by hand: S N(d1) - H N(d2) + S [N(d1)(L + s^2/2) + s n(d1)]. */
function zeroRateCv(S: number, M: number, K: number, vol: number, tau: number): number {
  const H = Math.max(M, K);
  const s = vol * Math.sqrt(tau);
  const L = Math.log(S / H);
  const d1 = L / s + s / 2;
  return Math.max(M - K, 0) + S * normCdf(d1) - H * normCdf(d1 - s) + S * (normCdf(d1) * (L + (s * s) / 2) + s * normPdf(d1));
}

const cases = [
  { spot: 1, runningMax: 1, strike: 1, vol: 0.1, tau: 30 / 365 },
  { spot: 1, runningMax: 1, strike: 1.2, vol: 0.1, tau: 30 / 365 },
  { spot: 0.97, runningMax: 1.02, strike: 1, vol: 0.2, tau: 0.5 },
  { spot: 0.9, runningMax: 1.1, strike: 1.3, vol: 0.35, tau: 1 },
  { spot: 1.05, runningMax: 1.05, strike: 0.9, vol: 0.15, tau: 0.02 },
];

describe('lookbackCallPrice', () => {
  it('agrees with the textbook formula where that is accurate (|r| >= 1e-2)', () => {
    for (const c of cases)
      for (const rate of [0.05, -0.02, 0.01]) {
        const got = lookbackCallPrice({ ...c, rate });
        expect(Math.abs(got - naiveCv(c.spot, c.runningMax, c.strike, c.vol, c.tau, rate))).toBeLessThan(1e-13);
      }
  });

  it('at r = 0 equals the hand-derived limit and is continuous in r through 0', () => {
    for (const c of cases) {
      const p0 = lookbackCallPrice(c);
      expect(Math.abs(p0 - zeroRateCv(c.spot, c.runningMax, c.strike, c.vol, c.tau))).toBeLessThan(1e-15);
      for (const rate of [1e-12, -1e-12, 1e-9, 1e-7]) {
        // first order in r: dC/dr is O(price * tau), so the change is below |r| here
        expect(Math.abs(lookbackCallPrice({ ...c, rate }) - p0)).toBeLessThan(Math.abs(rate) + 1e-16);
      }
      // the textbook formula at r = 1e-4 is still accurate to ~1e-12 (cancellation eps * sigma^2 / r)
      const r = 1e-4;
      expect(Math.abs(lookbackCallPrice({ ...c, rate: r }) - naiveCv(c.spot, c.runningMax, c.strike, c.vol, c.tau, r))).toBeLessThan(1e-11);
    }
  });

  it('is worth at least the European call and the locked-in max(M - K, 0), grows with vol, with M above K', () => {
    for (const c of cases) {
      const p = lookbackCallPrice(c);
      expect(p).toBeGreaterThanOrEqual(bsCallPrice({ spot: c.spot, strike: c.strike, vol: c.vol, tau: c.tau }));
      expect(p).toBeGreaterThanOrEqual(Math.max(c.runningMax - c.strike, 0));
      // M matters only through H = max(M, K): strictly increasing once M > K, flat below K
      const higherM = lookbackCallPrice({ ...c, runningMax: c.runningMax * 1.01 });
      if (c.runningMax * 1.01 > c.strike) expect(higherM).toBeGreaterThan(p);
      else expect(higherM).toBe(p);
      expect(lookbackCallPrice({ ...c, vol: c.vol * 1.1 })).toBeGreaterThan(p);
    }
  });

  it('tends to the payoff max(M - K, 0) as tau -> 0 and equals it at tau <= 0', () => {
    expect(lookbackCallPrice({ spot: 1, runningMax: 1.1, strike: 1, vol: 0.2, tau: 1e-10 })).toBeCloseTo(0.1, 9);
    expect(lookbackCallPrice({ spot: 0.9, runningMax: 0.95, strike: 1, vol: 0.2, tau: 1e-10 })).toBeLessThan(1e-300);
    expect(lookbackCallPrice({ spot: 1, runningMax: 1.1, strike: 1, vol: 0.2, tau: 0 })).toBeCloseTo(0.1, 15);
    // at S = M the option keeps O(sigma sqrt(tau)) time value
    const s = 0.2 * Math.sqrt(1e-8);
    const atMax = lookbackCallPrice({ spot: 1, runningMax: 1, strike: 0.9, vol: 0.2, tau: 1e-8 });
    expect(atMax - 0.1).toBeGreaterThan(0);
    expect(atMax - 0.1).toBeLessThan(2 * s);
    // a running max below the spot is raised to the spot
    expect(lookbackCallPrice({ spot: 1.2, runningMax: 1, strike: 1, vol: 0.2, tau: 0 })).toBeCloseTo(0.2, 15);
  });

  it('matches an exact-simulation Monte Carlo (terminal value + Brownian-bridge maximum), 4e5 paths', () => {
    // Given log S_T - log S_0 = x, the continuous maximum of the Brownian path over [0, tau] is exactly
    // (x + sqrt(x^2 - 2 sigma^2 tau ln U)) / 2 (reflection principle), so no monitoring bias.
    const rng = seeded(20240501);
    for (const c of [cases[2], { ...cases[3], rate: 0.05 }]) {
      const rate = 'rate' in c ? c.rate : 0;
      const n = 400_000;
      const s = c.vol * Math.sqrt(c.tau);
      const mu = (rate - 0.5 * c.vol * c.vol) * c.tau;
      let sum = 0;
      let sumSq = 0;
      for (let k = 0; k < n; k++) {
        const x = mu + s * rng.normal();
        const top = 0.5 * (x + Math.sqrt(x * x - 2 * s * s * Math.log(rng.uniform())));
        const m = Math.max(c.runningMax, c.spot * Math.exp(top));
        const v = Math.exp(-rate * c.tau) * Math.max(m - c.strike, 0);
        sum += v;
        sumSq += v * v;
      }
      const mean = sum / n;
      const se = Math.sqrt((sumSq / n - mean * mean) / (n - 1));
      expect(Math.abs(mean - lookbackCallPrice({ ...c, rate }))).toBeLessThan(4 * se);
    }
  });

  it('matches a discretely monitored Monte Carlo once the Broadie–Glasserman–Kou shift is applied', () => {
    // 100k paths x 1000 steps, r = 0: the discrete max is biased low by about exp(-0.5826 sigma sqrt(dt));
    // multiplying the simulated maximum by exp(+0.5826 sigma sqrt(dt)) removes the O(sqrt(dt)) bias.
    const c = { spot: 1, runningMax: 1, strike: 1, vol: 0.3, tau: 0.25 };
    const steps = 1000;
    const n = 100_000;
    const dt = c.tau / steps;
    const a = c.vol * Math.sqrt(dt);
    const b = -0.5 * c.vol * c.vol * dt;
    const shift = Math.exp(0.5826 * a);
    const rng = seeded(7);
    const z = new Float64Array(steps);
    let sumRaw = 0;
    let sumBgk = 0;
    let sumSq = 0;
    for (let k = 0; k < n; k++) {
      rng.fillNormal(z);
      let x = 0;
      let top = 0;
      for (let i = 0; i < steps; i++) {
        x += a * z[i] + b;
        if (x > top) top = x;
      }
      const raw = Math.max(Math.exp(top) - c.strike, 0);
      const bgk = Math.max(Math.exp(top) * shift - c.strike, 0);
      sumRaw += raw;
      sumBgk += bgk;
      sumSq += bgk * bgk;
    }
    const exact = lookbackCallPrice(c);
    const raw = sumRaw / n;
    const bgk = sumBgk / n;
    const se = Math.sqrt((sumSq / n - bgk * bgk) / (n - 1));
    // the uncorrected discrete price is visibly low: bias ~ 0.5826 sigma sqrt(dt) * E[M] ~ 2.8e-3 >> se
    expect(exact - raw).toBeGreaterThan(4 * se);
    expect(Math.abs(bgk - exact)).toBeLessThan(4 * se + 2e-4);
  });
});

describe('lookbackCallDelta', () => {
  it('is the derivative of the price in the spot at fixed running maximum (finite differences)', () => {
    for (const c of cases)
      for (const rate of [0, 0.05, -0.02, 1e-9]) {
        if (c.spot === c.runningMax) continue; // S = M: the max moves with S, one-sided
        const h = 1e-6 * c.spot;
        const fd = (lookbackCallPrice({ ...c, rate, spot: c.spot + h }) - lookbackCallPrice({ ...c, rate, spot: c.spot - h })) / (2 * h);
        expect(Math.abs(fd - lookbackCallDelta({ ...c, rate }))).toBeLessThan(1e-7);
      }
  });

  it('at S = M equals the left derivative (spot moving down below a fixed maximum)', () => {
    for (const c of cases.filter((x) => x.spot === x.runningMax)) {
      const h = 1e-7;
      const p = (sp: number) => lookbackCallPrice({ ...c, spot: sp });
      const left = (3 * p(c.spot) - 4 * p(c.spot - h) + p(c.spot - 2 * h)) / (2 * h);
      expect(Math.abs(left - lookbackCallDelta(c))).toBeLessThan(1e-6);
    }
  });

  it('at r = 0 equals N(d1) (2 + L + s^2/2) + s n(d1), also via the hot-loop helper', () => {
    for (const c of cases) {
      const H = Math.max(c.runningMax, c.strike);
      const s = c.vol * Math.sqrt(c.tau);
      const L = Math.log(c.spot / H);
      const d1 = L / s + s / 2;
      const want = normCdf(d1) * (2 + L + (s * s) / 2) + s * normPdf(d1);
      expect(lookbackCallDelta(c)).toBeCloseTo(want, 14);
      expect(lookbackCallDeltaZeroRate(L, s)).toBeCloseTo(want, 15);
    }
  });

  it('lies in [0, ...) and has the tau -> 0 limits 0 below the maximum and 1 at it', () => {
    expect(lookbackCallDelta({ spot: 0.95, runningMax: 1, strike: 0.9, vol: 0.2, tau: 1e-10 })).toBeLessThan(1e-12);
    expect(lookbackCallDelta({ spot: 1, runningMax: 1, strike: 0.9, vol: 0.2, tau: 1e-12 })).toBeCloseTo(1, 5);
    expect(lookbackCallDelta({ spot: 1, runningMax: 1, strike: 0.9, vol: 0.2, tau: 0 })).toBe(1);
    expect(lookbackCallDelta({ spot: 0.95, runningMax: 1, strike: 0.9, vol: 0.2, tau: 0 })).toBe(0);
    for (const c of cases) expect(lookbackCallDelta(c)).toBeGreaterThanOrEqual(0);
  });
});

describe('lookbackJ', () => {
  it('is n(a) (M(a) - M(a - h)) / h, M = N/n, with n(a) + a N(a) at h = 0, on both sides of the quadrature switch', () => {
    for (const a of [-3, -0.5, 0, 0.7, 2.5])
      for (const h of [-2, -0.6, -0.5, -1e-3, 1e-3, 0.3, 0.5, 0.51, 1.5]) {
        const b = a - h;
        const want = (normCdf(a) - (normPdf(a) * normCdf(b)) / normPdf(b)) / h;
        // the direct formula itself cancels for small h (relative ~eps / |h|)
        expect(Math.abs(lookbackJ(a, h) / want - 1)).toBeLessThan(Math.abs(h) < 0.01 ? 1e-10 : 1e-13);
      }
    expect(lookbackJ(0.4, 0)).toBeCloseTo(normPdf(0.4) + 0.4 * normCdf(0.4), 15);
  });
});
