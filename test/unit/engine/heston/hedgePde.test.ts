import { describe, expect, it } from 'vitest';
import { H1_MARKET, HESTON_INSTRUMENTS, type HestonClaim } from '../../../../src-shared/heston/types';
import { runHestonHedge } from '../../../../src-main/engine/heston/hedgeRun';
import { hestonHedgePricer, pdeGreekSource, semiAnalyticGreekSource } from '../../../../src-main/engine/heston/hedgeSources';

/**
 * Hedging with the ADI PDE's Greeks ('pde') against the exact semi-analytic ones on a European put (H1 market,
 * K = 11, T = 0.3, N = 12), 256 paths (seed 5), delta and delta-vega at R = 12: the PDE source gives V_0 and
 * hedges as good as the exact Greeks (same paths).
 */
const claim: HestonClaim = { kind: 'put', strike: 11, maturity: 0.3, exerciseDates: 1 };
const base = { market: H1_MARKET, claim, instruments: HESTON_INSTRUMENTS.map((i) => i.instrument), pricer: hestonHedgePricer, strategies: ['delta', 'delta-vega'] as const, rebalance: [12] };

describe('hedging with the PDE (ADI) Greeks', () => {
  it('matches hedging with the exact Greeks on the same paths', () => {
    let calls = 0;
    const pde = runHestonHedge({ ...base, strategies: [...base.strategies], source: pdeGreekSource(H1_MARKET, claim, 12, () => void calls++) }, { paths: 256, seed: 5 });
    const exact = runHestonHedge({ ...base, strategies: [...base.strategies], source: semiAnalyticGreekSource(H1_MARKET, claim, 12) }, { paths: 256, seed: 5 });
    expect(calls).toBeGreaterThan(10);
    expect(Math.abs(pde.outcome.v0 - exact.outcome.v0)).toBeLessThan(2e-3 * exact.outcome.v0);
    for (let c = 0; c < 2; c++) {
      const a = pde.cells[c].stats;
      const b = exact.cells[c].stats;
      expect(Math.abs(a.variance / b.variance - 1)).toBeLessThan(0.1);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(0.01);
    }
    expect(pde.cells[1].stats.variance).toBeLessThan(pde.cells[0].stats.variance / 2);
  });
});
