import { describe, expect, it } from 'vitest';
import { HESTON_SOLVER_PRESETS, hestonPresetConfig, hestonProgressTotal, hestonSolveConfigSchema } from '../../../../src-shared/heston/config';
import { H1_CLAIM, H1_MARKET } from '../../../../src-shared/heston/types';

/** The Heston solve schema: defaults, presets, and errors that name the field and say how to fix it. */
const good = () => ({ market: { ...H1_MARKET }, claim: { ...H1_CLAIM }, scheme: 'osm', seed: 1, ...HESTON_SOLVER_PRESETS.quick.config });
const firstError = (input: unknown): { path: string; message: string } => {
  const r = hestonSolveConfigSchema.safeParse(input);
  if (r.success) throw new Error('expected a validation error');
  return { path: r.error.issues[0].path.join('.'), message: r.error.issues[0].message };
};

describe('hestonSolveConfigSchema', () => {
  it('accepts both presets on H1 and defaults steps to the spec grid N = 60 and refit to true', () => {
    expect(hestonPresetConfig('quick').steps).toBe(12);
    expect(hestonPresetConfig('cpu').steps).toBe(60);
    expect(hestonPresetConfig('cpu', 'rdbdp').scheme).toBe('rdbdp');
    const { steps: _s, refit: _r, ...rest } = good();
    const parsed = hestonSolveConfigSchema.parse(rest);
    expect(parsed.steps).toBe(60);
    expect(parsed.refit).toBe(true);
  });

  it.each([
    [{ market: { ...H1_MARKET, nu0: 0 } }, 'market.nu0', /nu0.*> 0/],
    [{ market: { ...H1_MARKET, kappa: -1 } }, 'market.kappa', /kappa.*> 0/],
    [{ market: { ...H1_MARKET, nubar: 0 } }, 'market.nubar', /nubar.*> 0/],
    [{ market: { ...H1_MARKET, xi: 0 } }, 'market.xi', /xi.*> 0/],
    [{ market: { ...H1_MARKET, rho: 1 } }, 'market.rho', /rho must be < 1/],
    [{ market: { ...H1_MARKET, rho: -1 } }, 'market.rho', /rho must be > -1/],
    [{ market: { ...H1_MARKET, s0: 'ten' } }, 'market.s0', /s0 must be a number/],
    [{ claim: { ...H1_CLAIM, strike: -1 } }, 'claim.strike', /strike must be > 0/],
    [{ claim: { ...H1_CLAIM, kind: 'digital' } }, 'claim.kind', /put or call/],
    [{ scheme: 'lsm' }, 'scheme', /osm or rdbdp/],
    [{ width: 1.5 }, 'width', /whole number/],
    [{ steps: 13 }, 'steps', /multiple of claim.exerciseDates \(12\).*e\.g\. 12/],
  ])('rejects %j naming %s', (patch, path, msg) => {
    const e = firstError({ ...good(), ...patch });
    expect(e.path).toBe(path);
    expect(e.message).toMatch(msg);
  });

  it('counts progress in Adam iterations (2 stages for OSM) plus t = 0 chunks', () => {
    const c = hestonPresetConfig('quick');
    expect(hestonProgressTotal(c)).toBe(2 * (c.iterationsLast + 10 * c.iterationsOther) + Math.ceil(c.t0Samples / 4096));
    expect(hestonProgressTotal({ ...c, scheme: 'rdbdp' })).toBe(c.iterationsLast + 10 * c.iterationsOther + Math.ceil(c.t0Samples / 4096));
  });
});
