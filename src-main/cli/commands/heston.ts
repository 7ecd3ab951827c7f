import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fellerHolds } from '../../../src-shared/heston/types';
import { HESTON_PRICE_DEFAULTS as D, hestonPriceArgsSchema } from '../../../src-shared/heston/priceSchema';
import { hestonEuropeanGreeks } from '../../engine/heston/semiAnalytic';
import { fieldErrors } from '../../host/dispatch';
import { fail, fmt, num, printTable, reportError } from '../common';

const M = D.market;
export const usage = `heston price [options] [--json]    semi-analytic European price and five Greeks under Heston (no run stored)
  --option put|call       European option                                   (default ${D.option.kind})
  --strike K              strike, currency                                  (default ${D.option.strike})
  --maturity T            years                                             (default ${D.option.maturity})
  --s0 S                  spot, currency                                    (default ${M.s0})
  --nu0 V                 initial variance (vol^2), per year                (default ${M.nu0})
  --kappa K               mean-reversion speed, per year                    (default ${M.kappa})
  --nubar V               long-run variance (vol^2), per year               (default ${M.nubar})
  --xi X                  vol of variance, per sqrt(year)                   (default ${M.xi})
  --rho R                 correlation of the two Brownian motions           (default ${M.rho})
  --r R                   risk-free rate, continuously compounded per year  (default ${M.r})
  --q Q                   dividend yield, continuously compounded per year  (default ${M.q})
  --json                  print one JSON object
  Defaults: the spec's market H1 (heston-osm.md). Vega, Vomma, Vanna are with respect to the variance nu0.`;

/** Units of each output, for the table and the JSON. */
const UNITS = {
  price: 'currency',
  delta: 'per unit of S, dimensionless (dP/dS)',
  vega: 'currency per unit of variance (dP/dnu0)',
  gamma: 'per currency (d2P/dS2)',
  vomma: 'currency per variance^2 (d2P/dnu0^2)',
  vanna: 'per unit of variance (d2P/dS dnu0)',
} as const;

/** `cli heston price …`: validate with zod, price with the semi-analytic formula, print with units. */
export async function heston(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'price') return fail(`unknown heston subcommand ${sub === undefined ? '(none)' : `"${sub}"`}\n\n${usage}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      option: { type: 'string', default: D.option.kind },
      strike: { type: 'string' },
      maturity: { type: 'string' },
      s0: { type: 'string' },
      nu0: { type: 'string' },
      kappa: { type: 'string' },
      nubar: { type: 'string' },
      xi: { type: 'string' },
      rho: { type: 'string' },
      r: { type: 'string' },
      q: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const market = {
    s0: num(values.s0) ?? M.s0,
    nu0: num(values.nu0) ?? M.nu0,
    kappa: num(values.kappa) ?? M.kappa,
    nubar: num(values.nubar) ?? M.nubar,
    xi: num(values.xi) ?? M.xi,
    rho: num(values.rho) ?? M.rho,
    r: num(values.r) ?? M.r,
    q: num(values.q) ?? M.q,
  };
  const option = { kind: values.option, strike: num(values.strike) ?? D.option.strike, maturity: num(values.maturity) ?? D.option.maturity };
  const raw = { market, option };
  const parsed = hestonPriceArgsSchema.safeParse(raw);
  if (!parsed.success) {
    // Report flag names (--strike, --option), not the nested paths.
    const fields = fieldErrors(parsed.error.issues, raw).map((f) => {
      const last = f.field.split('.').pop()!;
      return { ...f, field: last === 'kind' ? 'option' : last };
    });
    return reportError({ type: 'validation', code: 'INVALID_INPUT', message: 'invalid arguments', fields }, values.json);
  }
  const { market: m, option: o } = parsed.data;
  const feller = { holds: fellerHolds(m), twoKappaNubar: 2 * m.kappa * m.nubar, xiSquared: m.xi * m.xi };
  const warnings = feller.holds
    ? []
    : [
        `Feller condition fails: 2 kappa nubar = ${fmt(feller.twoKappaNubar)} < xi^2 = ${fmt(feller.xiSquared)}; the variance can reach 0 (the formula still holds, Euler paths and PDE grids near nu = 0 need care)`,
      ];
  const t0 = performance.now();
  const g = hestonEuropeanGreeks(m, o);
  const wallMs = performance.now() - t0;
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (values.json) {
    const out = { method: 'semi-analytic (Heston 1993, little-trap form, Lewis integral)', market: m, option: o, ...g, units: UNITS, feller, warnings, wallMs };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  printTable([
    ['option', `European ${o.kind}, K = ${o.strike}, T = ${o.maturity} yr`],
    ['market', `S0 ${m.s0}, nu0 ${m.nu0} /yr, kappa ${m.kappa} /yr, nubar ${m.nubar} /yr, xi ${m.xi} /sqrt(yr), rho ${m.rho}, r ${m.r} /yr, q ${m.q} /yr`],
    ['Feller 2 kappa nubar >= xi^2', `${feller.holds ? 'holds' : 'FAILS'} (${fmt(feller.twoKappaNubar)} vs ${fmt(feller.xiSquared)})`],
    ...(Object.keys(UNITS) as (keyof typeof UNITS)[]).map((k): [string, string] => [k, `${fmt(g[k])}  ${UNITS[k]}`]),
    ['compute (ms)', wallMs],
  ]);
}
