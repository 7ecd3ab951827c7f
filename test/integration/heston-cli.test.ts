import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

/** H1 golden prices: QuantLib's AnalyticHestonEngine (test/reference/heston_quantlib.py -> heston_quantlib.json). */
const ql = JSON.parse(readFileSync(join(ROOT, 'test', 'reference', 'heston_quantlib.json'), 'utf8')) as {
  european: { kind: string; strike: number; maturity: number; price: number; market: { s0: number } }[];
};

describe('CLI heston price', () => {
  it('--json prints the semi-analytic price and five Greeks with units; defaults are H1 (QuantLib price to 1e-10)', () => {
    const r = cli(['heston', 'price', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    const ref = ql.european.find((e) => e.kind === 'put' && e.strike === 11 && e.maturity === 0.3 && e.market.s0 === 10)!;
    expect(Math.abs(out.price - ref.price)).toBeLessThan(1e-10);
    expect(out.market).toEqual({ s0: 10, nu0: 0.0625, kappa: 5, nubar: 0.16, xi: 0.9, rho: 0.1, r: 0.1, q: 0 });
    for (const k of ['price', 'delta', 'vega', 'gamma', 'vomma', 'vanna']) {
      expect(Number.isFinite(out[k])).toBe(true);
      expect(out.units[k]).toMatch(/\S/);
    }
    expect(out.delta).toBeLessThan(0);
    expect(out.feller.holds).toBe(true);
    expect(out.warnings).toEqual([]);
    // The call from the same command satisfies put-call parity.
    const c = JSON.parse(cli(['heston', 'price', '--json', '--option', 'call']).stdout.trim());
    expect(Math.abs(c.price - out.price - (10 - 11 * Math.exp(-0.1 * 0.3)))).toBeLessThan(1e-10);
  }, 90_000);

  it('prints a table with units, warns when Feller fails, and names each bad flag', () => {
    const t = cli(['heston', 'price', '--xi', '1.5', '--strike', '10', '--maturity', '0.5']);
    expect(t.status, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/^vega\s+\S+\s+currency per unit of variance/m);
    expect(t.stdout).toMatch(/Feller.*FAILS/);
    expect(t.stderr).toMatch(/warning: Feller condition fails: 2 kappa nubar = 1\.6\d* < xi\^2 = 2\.25/);
    const bad = cli(['heston', 'price', '--strike=-1', '--option', 'straddle', '--rho', '1', '--s0', 'abc']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--strike: .*must be > 0.*\(got -1\)/);
    expect(bad.stderr).toMatch(/--option: option must be put or call \(got "straddle"\)/);
    expect(bad.stderr).toMatch(/--rho: .*must be < 1/);
    expect(bad.stderr).toMatch(/--s0: .*must be a number \(got "abc"\)/);
    expect(cli(['heston', 'quote']).status).toBe(2);
  }, 90_000);
});
