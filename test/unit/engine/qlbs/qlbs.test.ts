import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src-main/engine/cancel';
import { evalBanded } from '../../../../src-main/engine/qlbs/bspline';
import { evalRows } from '../../../../src-main/engine/qlbs/linalg';
import { simulateMarket, sliceAt, stateDrift } from '../../../../src-main/engine/qlbs/paths';
import { blackScholes, runQlbs } from '../../../../src-main/engine/qlbs/qlbs';
import { seeded } from '../../../../src-main/engine/stochastic/rng';
import { DEFAULT_QLBS_CONFIG, type QlbsConfig, type QlbsProgressDetail } from '../../../../src-shared/qlbs/config';

const REF = DEFAULT_QLBS_CONFIG;
const dpOnly = (over: Partial<QlbsConfig> = {}): QlbsConfig => ({ ...REF, method: 'dp', ...over });

describe('simulated market', () => {
  it('has the GBM moments: E[S_T] = S0 e^{mu T}, sd of log S_T = sigma sqrt(T), within MC error', () => {
    const m = simulateMarket({ paths: 40_000, steps: 12, s0: 100, mu: 0.05, sigma: 0.15, maturity: 1 }, seeded(9));
    const sT = sliceAt(m, 12);
    const n = sT.length;
    const mean = sT.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(sT.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    expect(Math.abs(mean - 100 * Math.exp(0.05))).toBeLessThan(4 * (sd / Math.sqrt(n)));
    const logs = Array.from(sT, (v) => Math.log(v));
    const lm = logs.reduce((s, v) => s + v, 0) / n;
    const lsd = Math.sqrt(logs.reduce((s, v) => s + (v - lm) ** 2, 0) / n);
    expect(lsd).toBeCloseTo(0.15, 2);
    // X = log S - (mu - sigma^2/2) t dt has mean log S0 at every t.
    expect(lm - stateDrift(0.05, 0.15, 12, 1 / 12)).toBeCloseTo(Math.log(100), 2);
    expect(Array.from(sliceAt(m, 0)).every((s) => s === 100)).toBe(true);
    expect(m.xMin).toBeLessThan(Math.log(100));
    expect(m.xMax).toBeGreaterThan(Math.log(100));
  });
});

describe('on-policy DP: convergence to Black-Scholes', () => {
  it('lambda -> 0: the price minus the hedge cost (risk premium) is linear in lambda and vanishes at 0', () => {
    const at = (lambda: number) => runQlbs(dpOnly({ lambda, paths: 5000 }), { skipOutOfSample: true }).metrics;
    const [m0, m1, m2] = [0, 1e-4, 1e-3].map(at);
    // The pure risk-minimising hedge does not depend on lambda, so the portfolio does not either.
    expect(m1.dpHedgeCost).toBe(m0.dpHedgeCost);
    expect(m2.dpHedgeCost).toBe(m0.dpHedgeCost);
    const prem = (m: typeof m0) => m.dpPrice - m.dpHedgeCost;
    // Zero up to the ridge's shrinkage of the fitted means (reg = 1e-3 against thousands of paths).
    expect(Math.abs(prem(m0))).toBeLessThan(1e-3);
    expect(prem(m2)).toBeGreaterThan(0.1);
    // Q is affine in lambda (the regressions are linear in their targets): exactly linear above the intercept.
    expect((prem(m1) - prem(m0)) * 10).toBeCloseTo(prem(m2) - prem(m0), 8);
  });

  it('mu = r, lambda = 0: the learned hedge costs the Black-Scholes price on fresh paths (within 3 standard errors)', () => {
    for (const seed of [1, 2]) {
      const m = runQlbs(dpOnly({ mu: REF.r, lambda: 0, seed })).metrics;
      expect(Math.abs(m.dpHedgeCostOos - m.bsPrice)).toBeLessThan(3 * m.dpHedgeCostOosStdErr);
      // The in-sample cost is biased low by the regression's leverage (basis size / paths), but close.
      expect(m.dpHedgeCost).toBeLessThan(m.bsPrice);
      expect(m.bsPrice - m.dpHedgeCost).toBeLessThan(0.15);
      expect(m.dpPrice).toBeCloseTo(m.dpHedgeCost, 3);
    }
  });

  it('the in-sample bias shrinks as paths grow: with 100k paths the DP price is within 0.02 of Black-Scholes', () => {
    const m = runQlbs(dpOnly({ mu: REF.r, lambda: 0, paths: 100_000 }), { skipOutOfSample: true }).metrics;
    expect(Math.abs(m.dpPrice - m.bsPrice)).toBeLessThan(0.02);
  }, 30_000);

  it('dt -> 0 (paths growing with the steps): the hedging error shrinks and the price stays at Black-Scholes', () => {
    // With a fixed basis the regression's in-sample bias is about steps x basis / paths, so paths must grow too.
    const sd = ([
      [6, 10_000],
      [24, 40_000],
      [48, 80_000],
    ] as const).map(([steps, paths]) => {
      const m = runQlbs(dpOnly({ mu: REF.r, lambda: 0, steps, paths })).metrics;
      expect(Math.abs(m.dpPrice - m.bsPrice)).toBeLessThan(0.04);
      expect(Math.abs(m.dpHedgeCostOos - m.bsPrice)).toBeLessThan(3.5 * m.dpHedgeCostOosStdErr);
      // Standard deviation of Pi_0 on fresh paths: the real hedging error of the learned hedge.
      return m.dpHedgeCostOosStdErr * Math.sqrt(m.paths);
    });
    expect(sd[1]).toBeLessThan(0.85 * sd[0]);
    expect(sd[2]).toBeLessThan(0.8 * sd[0]);
  }, 60_000);

  it('mu -> r: the learned price departs from Black-Scholes as mu moves away from r and returns as mu -> r', () => {
    const dev = (mu: number) => {
      const m = runQlbs(dpOnly({ mu, lambda: 0, paths: 50_000 }), { skipOutOfSample: true }).metrics;
      return { d: Math.abs(m.dpHedgeCost - m.bsPrice), se: m.dpHedgeCostStdErr };
    };
    const far = dev(REF.r - 0.13);
    const mid = dev(REF.r + 0.12);
    const near = dev(REF.r);
    expect(far.d).toBeGreaterThan(20 * far.se);
    expect(mid.d).toBeGreaterThan(10 * mid.se);
    expect(near.d).toBeLessThan(5 * near.se);
  }, 30_000);
});

describe('on-policy DP: the hedge', () => {
  it('is near the Black-Scholes delta (negative for a put) in the body of the distribution', () => {
    const c = dpOnly({ mu: REF.r, lambda: 0, paths: 50_000 });
    const r = runQlbs(c, { skipOutOfSample: true });
    const market = simulateMarket({ paths: c.paths, steps: c.steps, s0: c.s0, mu: c.mu, sigma: c.sigma, maturity: c.maturity }, seeded(c.seed));
    const dt = c.maturity / c.steps;
    for (const t of [1, 6, 12]) {
      const s = sliceAt(market, t);
      const xs = s.map((v) => Math.log(v) - stateDrift(c.mu, c.sigma, t, dt));
      const banded = evalBanded(r.model.basis, xs);
      const a = new Float64Array(s.length);
      evalRows(a, banded.span, banded.vals, 5, s.length, r.model.phiDp, t * c.basisSize);
      const lo = r.model.sQuantiles[t * 5 + 1];
      const hi = r.model.sQuantiles[t * 5 + 3];
      let ss = 0;
      let count = 0;
      for (let i = 0; i < s.length; i++) {
        if (s[i] < lo || s[i] > hi) continue;
        const delta = blackScholes(c, c.maturity - t * dt, s[i]).delta;
        expect(a[i]).toBeLessThan(0.02);
        expect(Math.abs(a[i] - delta)).toBeLessThan(0.08);
        ss += (a[i] - delta) ** 2;
        count++;
      }
      // Root-mean-square gap over the paths in the body (5%-95% of S_t).
      expect(Math.sqrt(ss / count)).toBeLessThan(0.035);
    }
    expect(r.metrics.dpHedge0).toBeLessThan(0);
    expect(Math.abs(r.metrics.dpHedge0 - r.metrics.bsDelta0)).toBeLessThan(0.02);
  }, 30_000);

  it('calls work too, and call minus put hedge costs obey put-call parity S0 - K e^{-rT}', () => {
    const put = runQlbs(dpOnly({ mu: REF.r, option: 'put' }), { skipOutOfSample: true }).metrics;
    const call = runQlbs(dpOnly({ mu: REF.r, option: 'call' }), { skipOutOfSample: true }).metrics;
    expect(call.dpHedge0).toBeGreaterThan(0);
    // Parity of hedges (d call - d put = 1) up to the in-sample bias of a_0 at 10,000 paths.
    expect(Math.abs(call.dpHedge0 - put.dpHedge0 - 1)).toBeLessThan(0.1);
    expect(call.dpHedgeCost - put.dpHedgeCost).toBeCloseTo(100 - 100 * Math.exp(-REF.r), 1);
    expect(Math.abs(call.dpHedgeCost - call.bsPrice)).toBeLessThan(0.2);
  });

  it('the drift term makes no difference at mu = r and makes the hedge speculative when mu != r', () => {
    const off = runQlbs(dpOnly({ mu: REF.r }), { skipOutOfSample: true }).metrics;
    const onAtR = runQlbs(dpOnly({ mu: REF.r, driftTerm: true }), { skipOutOfSample: true }).metrics;
    expect(onAtR.dpPrice).toBeCloseTo(off.dpPrice, 10);
    const spec = runQlbs(dpOnly({ driftTerm: true }), { skipOutOfSample: true }).metrics;
    // (e^{mu dt} - e^{r dt}) S / (2 gamma lambda) with lambda = 0.001 dwarfs the risk-minimising term.
    expect(spec.dpHedge0).toBeGreaterThan(1);
    expect(spec.dpPrice).toBeGreaterThan(5 * spec.bsPrice);
  });
});

describe('off-policy FQI', () => {
  it('eta -> 0 reproduces the on-policy DP prices and Q-values on the same grid', () => {
    const r = runQlbs({ ...REF, eta: 0 }, { keepQAt: [0, 1, 3, 5], skipOutOfSample: true });
    const m = r.metrics;
    expect(m.fqiPrice!).toBeCloseTo(m.dpPriceFqiGrid!, 3);
    expect(m.fqiHedgeCost).toBe(m.dpHedgeCostFqiGrid);
    expect(m.fqiMaxGap!).toBeLessThan(1e-4);
    for (const t of [1, 3, 5]) {
      const { dp, fqi } = r.fqi!.qAt.get(t)!;
      let d2 = 0;
      let mean = 0;
      for (let i = 0; i < dp.length; i++) {
        d2 += (dp[i] - fqi![i]) ** 2;
        mean += dp[i];
      }
      mean /= dp.length;
      const sd = Math.sqrt(dp.reduce((s, v) => s + (v - mean) ** 2, 0) / dp.length);
      // The quadratic Q fit spans more functions than the on-policy one; path by path they agree to a few %.
      expect(Math.sqrt(d2 / dp.length)).toBeLessThan(0.05 * sd);
    }
    // And the price converges as the noise band shrinks.
    const small = runQlbs({ ...REF, eta: 0.01 }, { skipOutOfSample: true }).metrics;
    expect(Math.abs(small.fqiPrice! - small.dpPriceFqiGrid!)).toBeLessThan(0.005);
  });

  it('with the reference noise band (eta = 0.5, 6 FQI steps) the FQI price is close to DP on the same grid', () => {
    const m = runQlbs(REF, { skipOutOfSample: true }).metrics;
    expect(m.fqiSteps).toBe(6);
    expect(Math.abs(m.fqiPrice! - m.dpPriceFqiGrid!)).toBeLessThan(0.1);
    expect(m.fqiMaxGap!).toBeLessThan(0.05);
    expect(m.fqiHedge0!).toBeLessThan(0);
    expect(Math.abs(m.fqiHedge0! - m.bsDelta0)).toBeLessThan(0.05);
  });

  it('runs in the same pass as DP when fqiSteps = steps, and flags an unstable fit', () => {
    const same = runQlbs({ ...REF, steps: 6, fqiSteps: 6 }, { skipOutOfSample: true }).metrics;
    expect(same.dpPriceFqiGrid).toBe(same.dpPrice);
    // 24 FQI steps on 10,000 paths with reg 1e-3 is past what the regression can carry: the gap says so.
    const unstable = runQlbs({ ...REF, fqiSteps: 24 }, { skipOutOfSample: true }).metrics;
    expect(unstable.fqiMaxGap!).toBeGreaterThan(0.2);
  });
});

describe('runs', () => {
  it('are deterministic, and DP-only and DP + FQI runs with one seed share the DP results', () => {
    const a = runQlbs({ ...REF, paths: 2000 }).metrics;
    const b = runQlbs({ ...REF, paths: 2000 }).metrics;
    const dp = runQlbs({ ...REF, paths: 2000, method: 'dp' }).metrics;
    const strip = (m: typeof a) => ({ ...m, timings: null });
    expect(strip(a)).toEqual(strip(b));
    expect(dp.dpPrice).toBe(a.dpPrice);
    expect(dp.dpHedgeCostOos).toBe(a.dpHedgeCostOos);
    expect(dp.fqiPrice).toBeNull();
  });

  it('report progress per backward step with details, and stop when cancelled', () => {
    const seen: Array<[number, number, QlbsProgressDetail]> = [];
    runQlbs({ ...REF, paths: 1000 }, { hooks: { onProgress: (d, t, detail) => seen.push([d, t, detail as QlbsProgressDetail]) } });
    expect(seen[0][2].phase).toBe('simulate');
    expect(seen.map((s) => s[0])).toEqual(Array.from({ length: 31 }, (_, i) => i));
    expect(seen.every((s) => s[1] === 30)).toBe(true);
    expect(seen[24][2]).toMatchObject({ phase: 'dp', t: 0, steps: 24 });
    expect(seen[30][2]).toMatchObject({ phase: 'fqi', t: 0, steps: 6 });
    expect(seen[5][2].hedgeAtMedian).toBeLessThan(0);

    let calls = 0;
    expect(() => runQlbs({ ...REF, paths: 1000 }, { hooks: { shouldCancel: () => ++calls > 5 } })).toThrow(CancelledError);
  });
});
