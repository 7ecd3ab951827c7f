import { beforeAll, describe, expect, it } from 'vitest';
import { solveHeston } from '../../../src-main/engine/heston/solver';
import { chooseBackend } from '../../../src-main/engine/tensor/backend';
import { HESTON_SOLVER_PRESETS, hestonSolveConfigSchema } from '../../../src-shared/heston/config';
import { H1_CLAIM, H1_MARKET } from '../../../src-shared/heston/types';
import { H1_QUANTLIB } from '../../reference/hestonH1Reference';

/**
 * H1 (the spec's Bermudan put, 12 exercise dates) by OSM at the `quick` preset (N = 12: one time step per
 * exercise date, 32 x 3 networks; about 7 s of CPU) against QuantLib's ADI price and Greeks
 * (test/reference/heston_osm_reference.py). Measured with seeds 1, 2, 3: price +0.5%, +0.9%, +1.3% (the
 * coarse grid's Euler bias is part of it), Delta 0.9%, 2.2%, 0.5%, Vega 1.3%, 0.5%, 1.0%, Gamma -8%, -13%,
 * -11%. Bounds: price within 2%, Delta within 5%, Vega within 10% (the issue's, but price relaxed for N = 12),
 * Gamma within 30%.
 */
let t0: Awaited<ReturnType<typeof solveHeston>>['t0'];

beforeAll(async () => {
  await chooseBackend();
  const cfg = hestonSolveConfigSchema.parse({ market: H1_MARKET, claim: H1_CLAIM, scheme: 'osm', seed: 1, ...HESTON_SOLVER_PRESETS.quick.config });
  const sol = await solveHeston(cfg);
  t0 = sol.t0;
  sol.dispose();
}, 180_000);

describe('H1 by OSM (quick preset) against QuantLib', () => {
  const rel = (k: 'price' | 'delta' | 'vega'): number => Math.abs(t0[k] - H1_QUANTLIB[k]) / Math.abs(H1_QUANTLIB[k]);
  it('prices within 2% of the ADI reference 1.18090', () => expect(rel('price')).toBeLessThan(0.02));
  it('Delta within 5% of -0.68377', () => expect(rel('delta')).toBeLessThan(0.05));
  it('Vega within 10% of 1.6725', () => expect(rel('vega')).toBeLessThan(0.1));
  it('Gamma within 30% of 0.27463 (OSM second-order Greek at a small budget)', () => {
    expect(Math.abs(t0.gamma - H1_QUANTLIB.gamma) / H1_QUANTLIB.gamma).toBeLessThan(0.3);
  });
});
