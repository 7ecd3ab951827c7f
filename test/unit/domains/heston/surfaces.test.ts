import { describe, expect, it } from 'vitest';
import { evaluateSurfaces, SURFACE_POINTS, surfaceDates, surfaceGrids } from '../../../../src-main/domains/heston/surfaces';
import { semiAnalyticGreekSource } from '../../../../src-main/engine/heston/semiAnalyticSource';
import { hestonEuropeanBatch } from '../../../../src-main/engine/heston/semiAnalytic';
import { surfaceArrayName } from '../../../../src-shared/heston/contract';
import { H1_CLAIM, H1_MARKET } from '../../../../src-shared/heston/types';

describe('Heston Greek surfaces of a solve run', () => {
  it('dates: round(k N / 5), k = 1..4, distinct, inside 1..N-1', () => {
    expect(surfaceDates(60)).toEqual([12, 24, 36, 48]);
    expect(surfaceDates(12)).toEqual([2, 5, 7, 10]);
    expect(surfaceDates(3)).toEqual([1, 2]);
    expect(surfaceDates(1)).toEqual([]);
  });

  it('grids span the simulated paths (S around S0 at early dates, widening later; nu > 0) and are ascending', () => {
    const dates = surfaceGrids(H1_MARKET, 0.3, 12, 5);
    expect(dates.map((d) => d.n)).toEqual([2, 5, 7, 10]);
    for (const d of dates) {
      expect(d.S).toHaveLength(SURFACE_POINTS);
      expect(d.S[0]).toBeLessThan(H1_MARKET.s0);
      expect(d.S.at(-1)).toBeGreaterThan(H1_MARKET.s0);
      expect(d.nu[0]).toBeGreaterThan(0);
      for (let k = 1; k < SURFACE_POINTS; k++) expect(d.S[k]).toBeGreaterThan(d.S[k - 1]!);
    }
    expect(dates[3]!.S.at(-1)! - dates[3]!.S[0]!).toBeGreaterThan(dates[0]!.S.at(-1)! - dates[0]!.S[0]!);
  });

  it('evaluates a source on each date grid, row-major S then nu, dates one after another', () => {
    const claim = { ...H1_CLAIM, exerciseDates: 1 };
    const dates = surfaceGrids(H1_MARKET, 0.3, 12, 5).slice(0, 2);
    const arrays = evaluateSurfaces(semiAnalyticGreekSource(H1_MARKET, claim, 12, 0.3), dates, 'pde');
    const delta = arrays[surfaceArrayName('pde', 'delta')]!;
    expect(delta).toHaveLength(2 * SURFACE_POINTS * SURFACE_POINTS);
    // entry (date 1, S index 3, nu index 7) against the formula at tau = T - t_n
    const d = dates[1]!;
    const direct = hestonEuropeanBatch(H1_MARKET, claim, 0.3 - d.t, Float64Array.of(d.S[3]!), Float64Array.of(d.nu[7]!));
    expect(delta[SURFACE_POINTS * SURFACE_POINTS + 3 * SURFACE_POINTS + 7]).toBeCloseTo(direct.delta[0]!, 12);
  });
});
