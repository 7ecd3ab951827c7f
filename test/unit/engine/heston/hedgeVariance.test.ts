import { describe, expect, it } from 'vitest';
import { H1_MARKET, HESTON_INSTRUMENTS, HESTON_STRATEGIES, type HestonClaim } from '../../../../src-shared/heston/types';
import { runHestonHedge } from '../../../../src-main/engine/heston/hedgeRun';
import { hestonHedgePricer, semiAnalyticGreekSource } from '../../../../src-main/engine/heston/hedgeSources';

/**
 * Hedging a European put under Heston (H1 market, K = 11, T = 0.3, N = 60) with exact Greeks: the book's from
 * the semi-analytic formula, the instruments' too. 1,024 paths (seed 3), every strategy, R = 1, 10, 60, the
 * same paths for every cell. Figures measured by this very setup (printed when VERBOSE_HEDGE=1):
 *
 *   variance of V_T/|V_0|      R = 1     R = 10    R = 60
 *   delta                      3.3e-1    6.3e-2    3.0e-2
 *   delta-vega                 3.2e-2    1.4e-2    2.9e-3
 *   delta-vega-gamma           8.5e-2    2.3e-2    5.6e-3
 *   + vomma                    8.3e-2    4.0e+1    1.2e+0
 *   + vanna                    8.9e-1    3.3e+0    1.2e-1
 *
 * What holds (asserted): delta-vega hedging is an order of magnitude tighter than delta hedging at R = 60; the
 * variance of delta and delta-vega hedging falls as R grows; the trades are self-financing; no system was
 * singular. What the source claims but this does not show: further second-order conditions do not lower the
 * variance here — the 3- and 4-instrument systems reach condition numbers of 1e6..1e8 near maturity and the
 * weights (hundreds of thousands of units) amplify the third-order terms the conditions leave unmatched.
 */
const claim: HestonClaim = { kind: 'put', strike: 11, maturity: 0.3, exerciseDates: 1 };
const rebalance = [1, 10, 60];

describe('Heston hedging with exact (semi-analytic) Greeks, European put', () => {
  const { cells, outcome } = runHestonHedge(
    { market: H1_MARKET, claim, source: semiAnalyticGreekSource(H1_MARKET, claim, 60), instruments: HESTON_INSTRUMENTS.map((i) => i.instrument), pricer: hestonHedgePricer, strategies: [...HESTON_STRATEGIES], rebalance },
    { paths: 1024, seed: 3 },
  );
  const v = (s: string, R: number) => cells.find((c) => c.strategy === s && c.rebalance === R)!.stats.variance;
  if (process.env.VERBOSE_HEDGE) for (const s of HESTON_STRATEGIES) console.log(s.padEnd(30), rebalance.map((R) => v(s, R).toExponential(2)).join('  '));

  it('V_0 is the semi-analytic price of the put', () => {
    expect(outcome.v0).toBeGreaterThan(1);
    expect(outcome.v0).toBeLessThan(1.3);
  });
  it('delta-vega hedging is an order of magnitude tighter than delta hedging at R = 60', () => {
    expect(v('delta-vega', 60)).toBeLessThan(v('delta', 60) / 5);
  });
  it('the variance of delta and delta-vega hedging falls as R grows', () => {
    for (const s of ['delta', 'delta-vega']) {
      expect(v(s, 10)).toBeLessThan(v(s, 1));
      expect(v(s, 60)).toBeLessThan(v(s, 10));
    }
  });
  it('the mean relative PnL of the tight hedges is near 0 (within 4 standard errors)', () => {
    for (const s of ['delta-vega', 'delta-vega-gamma']) {
      const c = cells.find((x) => x.strategy === s && x.rebalance === 60)!;
      expect(Math.abs(c.stats.mean)).toBeLessThan(4 * Math.sqrt(c.stats.variance / 1024) + 5e-3);
    }
  });
  it('every trade is self-financing and no system was singular; condition numbers grow with the conditions', () => {
    for (const c of cells) {
      expect(c.selfFinancingMaxAbs).toBeLessThan(1e-6);
      if (c.cond) expect(c.cond.fallbacks).toBe(0);
    }
    const geo = (s: string) => cells.find((c) => c.strategy === s && c.rebalance === 60)!.cond!.geoMean;
    expect(geo('delta-vega')).toBe(1);
    expect(geo('delta-vega-gamma')).toBeLessThan(geo('delta-vega-gamma-vomma'));
    expect(geo('delta-vega-gamma-vomma')).toBeLessThan(geo('delta-vega-gamma-vomma-vanna'));
  });
});
