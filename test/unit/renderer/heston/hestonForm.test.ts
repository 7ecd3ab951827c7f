import { describe, expect, it } from 'vitest';
import { checkHestonForm, formFieldOf, parseHestonDraft, valuesFrom } from '../../../../src-renderer/features/portfolio/heston/hestonFormModel';
import { fellerInfo } from '../../../../src-shared/heston/market';
import { hestonSchemas } from '../../../../src-shared/heston/contract';
import { H1_CLAIM, H1_MARKET } from '../../../../src-shared/heston/types';

const N = (s: string): number | null => (s === 'quick' ? 12 : 60);

describe('Heston form model', () => {
  it('H1 by default gives the request the handler accepts: the H1 market and Bermudan put', () => {
    const c = checkHestonForm(valuesFrom(), N);
    expect(c.errors).toEqual({});
    expect(c.config).toMatchObject({ market: H1_MARKET, claim: H1_CLAIM, scheme: 'osm', solver: 'cpu', seed: 1 });
    expect(hestonSchemas['heston-solve'].safeParse(c.config).success).toBe(true);
  });

  it('names each bad field with what is allowed, and refuses to build a request', () => {
    const c = checkHestonForm({ ...valuesFrom(), nu0: '-0.1', rho: '1', strike: '', seed: '1.5' }, N);
    expect(c.config).toBeNull();
    expect(c.errors.nu0).toMatch(/^nu0 .*must be > 0/);
    expect(c.errors.rho).toMatch(/rho must be < 1/);
    expect(c.errors.strike).toMatch(/strike is required/);
    expect(c.errors.seed).toMatch(/seed must be a whole number/);
    expect(c.errors.s0).toBeUndefined();
  });

  it('European sends one exercise date; Bermudan dates must lie on the grid of the preset or the given steps', () => {
    const eu = checkHestonForm({ ...valuesFrom(), exercise: 'european', exerciseDates: '7' }, N);
    expect(eu.config?.claim.exerciseDates).toBe(1);
    const off = checkHestonForm({ ...valuesFrom(), exerciseDates: '7' }, N);
    expect(off.errors.exerciseDates).toMatch(/not on the time grid of N = 60 steps; use N a multiple of 7/);
    const offSteps = checkHestonForm({ ...valuesFrom(), steps: '18' }, N);
    expect(offSteps.errors.steps).toMatch(/N = 18 .* multiple of 12/);
    const ok = checkHestonForm({ ...valuesFrom(), exerciseDates: '6', solver: 'quick' }, N);
    expect(ok.errors).toEqual({});
    expect(ok.config?.claim.exerciseDates).toBe(6);
  });

  it('maps server field paths onto the form and reads back only drafts that still fit', () => {
    expect(formFieldOf('market.nu0')).toBe('nu0');
    expect(formFieldOf('claim.exerciseDates')).toBe('exerciseDates');
    expect(formFieldOf('allowLong')).toBeNull();
    expect(parseHestonDraft({ ...valuesFrom(), s0: '12' })?.s0).toBe('12');
    expect(parseHestonDraft({ s0: 12 })).toBeNull();
    expect(parseHestonDraft('x')).toBeNull();
  });

  it('Feller: 2 kappa nubar against xi^2 (H1: 1.6 >= 0.81 holds; xi = 1.5 fails)', () => {
    expect(fellerInfo(H1_MARKET)).toMatchObject({ holds: true });
    expect(fellerInfo(H1_MARKET).lhs).toBeCloseTo(1.6, 14);
    expect(fellerInfo(H1_MARKET).rhs).toBeCloseTo(0.81, 14);
    expect(fellerInfo({ ...H1_MARKET, xi: 1.5 }).holds).toBe(false);
  });
});
