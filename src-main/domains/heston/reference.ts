import { type HestonReference } from '../../../src-shared/heston/contract';
import { type HestonClaim, type HestonGreekSource, type HestonMarket } from '../../../src-shared/heston/types';
import { hestonEuropeanBatch, hestonEuropeanGreeks } from '../../engine/heston/semiAnalytic';

/**
 * The engine's own reference for a solve run: European claims by the semi-analytic formula (exact to its
 * quadrature; no grid, no refinement), Bermudan claims by the 2-D ADI PDE at its default grid and at a refined
 * grid (the change is the reference's own error estimate). Also a Greek source of the reference at the solve's
 * grid dates, for the surfaces.
 */
export interface ReferenceResult {
  reference: HestonReference;
  source: HestonGreekSource;
}

/** Semi-analytic Greek source of a European claim at t_n = n T / steps (never exercised before T). */
export function europeanSource(market: HestonMarket, claim: HestonClaim, steps: number): HestonGreekSource {
  const horizon = claim.maturity;
  return {
    steps,
    horizon,
    at(n, S, nu) {
      const tau = horizon - (n * horizon) / steps;
      const g = hestonEuropeanBatch(market, claim, tau, S, nu);
      const exercise = new Uint8Array(S.length);
      if (n === steps) for (let i = 0; i < S.length; i++) exercise[i] = g.price[i]! > 0 ? 1 : 0;
      return { ...g, exercise };
    },
  };
}

export function europeanReference(market: HestonMarket, claim: HestonClaim, steps: number): ReferenceResult {
  const t = performance.now();
  const t0 = hestonEuropeanGreeks(market, claim);
  return { reference: { method: 'semi-analytic', t0, grid: null, refinement: null, wallMs: performance.now() - t }, source: europeanSource(market, claim, steps) };
}
