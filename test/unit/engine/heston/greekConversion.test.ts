import { describe, expect, it } from 'vitest';
import { greeksFromZG, greeksFromZM, zgFromDerivatives } from '../../../../src-main/engine/heston/greekConversion';
import { seeded } from '../../../../src-main/engine/stochastic/rng';
import { H1_MARKET, type HestonMarket } from '../../../../src-shared/heston/types';

/**
 * The spec's index-pinning test (heston-osm.md "Converting to Greeks"): u(S, nu) = S^2 nu + 3 S nu^2, with
 * Z = grad u sigma and G = grad_x Z written out by hand from the product rule (not through the code under test);
 * the conversion must return grad u and the Hessian of u to 1e-12 (relative) at random states.
 */
const u = {
  dS: (s: number, v: number) => 2 * s * v + 3 * v * v,
  dV: (s: number, v: number) => s * s + 6 * s * v,
  dSS: (_s: number, v: number) => 2 * v,
  dSV: (s: number, v: number) => 2 * s + 6 * v,
  dVV: (s: number) => 6 * s,
};

function exactZG(m: HestonMarket, s: number, v: number): { z: number[]; G: number[] } {
  const sv = Math.sqrt(v);
  const rb = Math.sqrt(1 - m.rho * m.rho);
  const [uS, uV, uSS, uSV, uVV] = [u.dS(s, v), u.dV(s, v), u.dSS(s, v), u.dSV(s, v), u.dVV(s)];
  // Z_0 = uS S sqrt(nu) + uV xi rho sqrt(nu);  Z_1 = uV xi rhoBar sqrt(nu)
  const z = [uS * s * sv + uV * m.xi * m.rho * sv, uV * m.xi * rb * sv];
  const G = [
    uSS * s * sv + uS * sv + uSV * m.xi * m.rho * sv,
    uSV * s * sv + (uS * s) / (2 * sv) + uVV * m.xi * m.rho * sv + (uV * m.xi * m.rho) / (2 * sv),
    uSV * m.xi * rb * sv,
    uVV * m.xi * rb * sv + (uV * m.xi * rb) / (2 * sv),
  ];
  return { z, G };
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe.each<[string, HestonMarket]>([
  ['H1', H1_MARKET],
  ['rho = -0.8', { ...H1_MARKET, rho: -0.8, xi: 0.3 }],
])('(Z, G) -> Greeks (%s)', (_, m) => {
  const rng = seeded(3);
  const states = Array.from({ length: 40 }, () => [m.s0 * Math.exp(0.3 * rng.normal()), m.nu0 * Math.exp(0.6 * rng.normal())]);

  it('returns the gradient and Hessian of u = S^2 nu + 3 S nu^2 to 1e-12', () => {
    for (const [s, v] of states) {
      const { z, G } = exactZG(m, s, v);
      const g = greeksFromZG(m, s, v, z, G);
      expect(rel(g.delta, u.dS(s, v))).toBeLessThan(1e-12);
      expect(rel(g.vega, u.dV(s, v))).toBeLessThan(1e-12);
      expect(rel(g.gamma, u.dSS(s, v))).toBeLessThan(1e-12);
      expect(rel(g.vanna, u.dSV(s, v))).toBeLessThan(1e-12);
      expect(rel(g.vomma, u.dVV(s))).toBeLessThan(1e-12);
    }
  });

  it('accepts the network output M = G sigma (OSM) and round-trips through the inverse map', () => {
    for (const [s, v] of states) {
      const { z, G } = exactZG(m, s, v);
      const sv = Math.sqrt(v);
      const sig = [s * sv, 0, m.xi * m.rho * sv, m.xi * Math.sqrt(1 - m.rho * m.rho) * sv];
      const M = [G[0] * sig[0] + G[1] * sig[2], G[0] * sig[1] + G[1] * sig[3], G[2] * sig[0] + G[3] * sig[2], G[2] * sig[1] + G[3] * sig[3]];
      const g = greeksFromZM(m, s, v, z, M);
      expect(rel(g.gamma, u.dSS(s, v))).toBeLessThan(1e-12);
      expect(rel(g.vanna, u.dSV(s, v))).toBeLessThan(1e-12);
      expect(rel(g.vomma, u.dVV(s))).toBeLessThan(1e-12);
      const back = zgFromDerivatives(m, s, v, [u.dS(s, v), u.dV(s, v)], [u.dSS(s, v), u.dSV(s, v), u.dSV(s, v), u.dVV(s)]);
      back.z.forEach((x, i) => expect(rel(x, z[i])).toBeLessThan(1e-12));
      back.G.forEach((x, i) => expect(rel(x, G[i])).toBeLessThan(1e-12));
    }
  });

  it('without the A term (the constant-sigma formula) the Hessian would be wrong: the term matters here', () => {
    const [s, v] = states[0];
    const { z, G } = exactZG(m, s, v);
    const sv = Math.sqrt(v);
    // H' = sigma^{-T} G (dropping A): its SS entry differs from u_SS by (sigma^{-T} A)_SS = u_S / S.
    const naive = G[0] / (s * sv) - ((m.xi * m.rho * sv) / (s * sv * m.xi * Math.sqrt(1 - m.rho * m.rho) * sv)) * G[2];
    expect(Math.abs(naive - u.dSS(s, v))).toBeGreaterThan(0.1 * Math.abs(u.dS(s, v) / s));
    expect(rel(greeksFromZG(m, s, v, z, G).gamma, u.dSS(s, v))).toBeLessThan(1e-12);
  });
});
