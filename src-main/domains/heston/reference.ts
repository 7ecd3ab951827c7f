import { type HestonReference } from '../../../src-shared/heston/contract';
import { GREEK_NAMES, type HestonClaim, type HestonGreekSource, type HestonGreeks, type HestonMarket } from '../../../src-shared/heston/types';
import { hestonAdiWithRefinement } from '../../engine/heston/adi';
import { adiGreekSource, adiSurfaceTimes } from '../../engine/heston/adiSource';
import { hestonEuropeanGreeks } from '../../engine/heston/semiAnalytic';
import { semiAnalyticGreekSource } from '../../engine/heston/semiAnalyticSource';

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

export function europeanReference(market: HestonMarket, claim: HestonClaim, steps: number): ReferenceResult {
  const t = performance.now();
  const t0 = hestonEuropeanGreeks(market, claim);
  return { reference: { method: 'semi-analytic', t0, grid: null, refinement: null, wallMs: performance.now() - t }, source: semiAnalyticGreekSource(market, claim, steps, claim.maturity) };
}

/**
 * A Bermudan (or any) claim by the ADI PDE at its default grid, with surfaces at every grid date of the solve (for
 * the Greek source), and at a grid refined 1.5x in S, nu and t: the per-Greek change is the reference's own error
 * estimate. `shouldCancel` is polled after every ADI time step.
 */
export function bermudanReference(market: HestonMarket, claim: HestonClaim, steps: number, shouldCancel?: () => boolean): ReferenceResult {
  const r = hestonAdiWithRefinement({ market, claim, surfaceTimes: adiSurfaceTimes(steps, claim.maturity), onProgress: () => shouldCancel?.() ?? false });
  const size = (g: { ns: number; nv: number; nt: number }) => ({ ns: g.ns, nv: g.nv, nt: g.nt });
  const refinement = r.refinement
    ? { grid: size(r.refinement.grid), change: Object.fromEntries(GREEK_NAMES.map((g) => [g, r.refinement!.t0[g] - r.t0[g]])) as unknown as HestonGreeks }
    : null;
  return {
    reference: { method: 'ADI PDE', t0: r.t0, grid: size(r.gridSize), refinement, wallMs: r.wallMs + (r.refinement?.wallMs ?? 0) },
    source: adiGreekSource(r, steps, claim.maturity),
  };
}
