import { z } from 'zod';
import { num } from '../zodFields';
import { diagnoseCorrelation } from './correlation';

/**
 * A book (spec portfolio-bsde.md "Market" and "Book"): d assets under Black–Scholes with drifts mu_a
 * (physical measure), volatilities sigma_a, dividend yields q_a and correlation rho; a risk-free rate r; and
 * J options, each with a payoff on some of the assets, a maturity, European or Bermudan exercise and a
 * quantity n_j held. Everything a solver run needs is in this one JSON object (runs store a copy).
 */

/** Payoffs of the spec's list (source table 7 plus vanillas and the exchange option). */
export const PAYOFF_TYPES = [
  'geometric-call',
  'geometric-put',
  'arithmetic-call',
  'arithmetic-put',
  'max-call',
  'min-put',
  'cash-or-nothing',
  'call',
  'put',
  'exchange',
] as const;
export type PayoffType = (typeof PAYOFF_TYPES)[number];

/** What each payoff pays at exercise, for labels and the editor's help text. */
export const PAYOFF_INFO: Record<PayoffType, { label: string; formula: string; arity: 'one' | 'two' | 'many'; strike2?: string }> = {
  'geometric-call': { label: 'Geometric basket call', formula: 'max((Π S_a)^(1/k) − K, 0)', arity: 'many' },
  'geometric-put': { label: 'Geometric basket put', formula: 'max(K − (Π S_a)^(1/k), 0)', arity: 'many' },
  'arithmetic-call': { label: 'Arithmetic basket call', formula: 'max(Σ S_a / k − K, 0)', arity: 'many' },
  'arithmetic-put': { label: 'Arithmetic basket put', formula: 'max(K − Σ S_a / k, 0)', arity: 'many' },
  'max-call': { label: 'Call on the max', formula: 'max(max_a S_a − K, 0)', arity: 'many' },
  'min-put': { label: 'Put on the min', formula: 'max(K − min_a S_a, 0)', arity: 'many' },
  'cash-or-nothing': { label: 'Cash-or-nothing (range)', formula: '1 if l ≤ S_a ≤ u for every asset, else 0', arity: 'many', strike2: 'upper bound u' },
  call: { label: 'Call', formula: 'max(S − K, 0)', arity: 'one' },
  put: { label: 'Put', formula: 'max(K − S, 0)', arity: 'one' },
  exchange: { label: 'Exchange (Margrabe)', formula: 'max(S_a − k S_b, 0)', arity: 'two' },
};

export const MAX_ASSETS = 50;
export const MAX_OPTIONS = 100;
export const MAX_EXERCISE_DATES = 1000;

export const assetSchema = z
  .object({
    name: z.string().trim().min(1, 'asset name is required').max(24, 'asset name must be at most 24 characters'),
    s0: num('S0').gt(0, 'S0 must be > 0').max(1e7, 'S0 must be <= 1e7'),
    mu: num('mu').min(-2, 'mu must be >= -2 (per year)').max(2, 'mu must be <= 2 (per year)'),
    sigma: num('sigma').gt(0, 'sigma must be > 0').max(3, 'sigma must be <= 3 (300%/yr)'),
    q: num('dividend yield').min(-0.5, 'dividend yield must be >= -0.5').max(1, 'dividend yield must be <= 1 (per year)'),
  })
  .strict();
export type Asset = z.output<typeof assetSchema>;

export const optionSchema = z
  .object({
    label: z.string().max(60, 'label must be at most 60 characters'),
    payoff: z.enum(PAYOFF_TYPES, { error: `payoff must be one of: ${PAYOFF_TYPES.join(', ')}` }),
    /** Names of the assets the option is written on (order matters for the exchange option: [a, b]). */
    assets: z.array(z.string().max(24)).min(1, 'an option needs at least one asset').max(MAX_ASSETS),
    /** K (money); the exchange ratio k for the exchange option; the lower bound l for cash-or-nothing. */
    strike: num('strike').gt(0, 'strike must be > 0'),
    /** Upper bound u of cash-or-nothing; null otherwise. */
    strike2: num('upper strike').gt(0, 'upper strike must be > 0').nullable(),
    /** Years from t = 0. */
    maturity: num('maturity').gt(0, 'maturity must be > 0 (years)').max(30, 'maturity must be <= 30 years'),
    exercise: z.enum(['european', 'bermudan'], { error: 'exercise must be european or bermudan' }),
    /** Bermudan: E equally spaced dates k T_j / E, k = 1..E (the last is maturity). Ignored for European. */
    exerciseDates: num('exercise dates')
      .int('exercise dates must be a whole number')
      .min(1, 'exercise dates must be >= 1')
      .max(MAX_EXERCISE_DATES, `exercise dates must be <= ${MAX_EXERCISE_DATES}`),
    /** Units held (negative = short). */
    quantity: num('quantity').refine((x) => x !== 0, 'quantity must be non-zero (negative = short)').refine((x) => Math.abs(x) <= 1e9, 'quantity must be within ±1e9'),
  })
  .strict();
export type BookOption = z.output<typeof optionSchema>;

/** The fields of a book (without its store identity). */
export const bookContentShape = {
  name: z.string().trim().min(1, 'name is required').max(80, 'name must be at most 80 characters'),
  rate: num('rate r').min(-0.2, 'rate r must be >= -0.2').max(1, 'rate r must be <= 1 (per year)'),
  assets: z.array(assetSchema).min(1, 'a book needs at least one asset').max(MAX_ASSETS, `at most ${MAX_ASSETS} assets`),
  correlation: z.array(z.array(num('correlation').min(-1, 'correlation must be >= -1').max(1, 'correlation must be <= 1'))),
  options: z.array(optionSchema).min(1, 'a book needs at least one option').max(MAX_OPTIONS, `at most ${MAX_OPTIONS} options`),
};

export interface BookContent {
  name: string;
  rate: number;
  assets: Asset[];
  correlation: number[][];
  options: BookOption[];
}

export interface BookIssue {
  path: (string | number)[];
  message: string;
}

const fmt = (x: number): string => String(Number(x.toPrecision(6)));

/**
 * Checks beyond each field's own range, each naming the cell: unique asset names, a d x d symmetric
 * correlation with unit diagonal that is positive definite (naming the entries that break it), options
 * written on assets that exist (in the right number for the payoff), cash-or-nothing bounds l < u.
 */
export function checkBook(b: BookContent): BookIssue[] {
  const issues: BookIssue[] = [];
  const d = b.assets.length;
  const names = new Map<string, number>();
  b.assets.forEach((a, i) => {
    const prev = names.get(a.name);
    if (prev !== undefined) issues.push({ path: ['assets', i, 'name'], message: `asset name "${a.name}" is already used by asset ${prev + 1}; names must be unique` });
    else names.set(a.name, i);
  });
  let shapeOk = b.correlation.length === d;
  if (!shapeOk) issues.push({ path: ['correlation'], message: `correlation must be ${d} x ${d} (one row per asset), got ${b.correlation.length} rows` });
  b.correlation.forEach((row, i) => {
    if (row.length !== d) {
      shapeOk = false;
      issues.push({ path: ['correlation', i], message: `correlation row ${i + 1} must have ${d} entries, got ${row.length}` });
    }
  });
  if (shapeOk) {
    let symOk = true;
    for (let i = 0; i < d; i++) {
      if (b.correlation[i][i] !== 1) {
        symOk = false;
        issues.push({ path: ['correlation', i, i], message: `diagonal correlation(${b.assets[i].name}, ${b.assets[i].name}) must be 1, got ${fmt(b.correlation[i][i])}` });
      }
      for (let j = i + 1; j < d; j++) {
        if (Math.abs(b.correlation[i][j] - b.correlation[j][i]) > 1e-12) {
          symOk = false;
          issues.push({
            path: ['correlation', i, j],
            message: `correlation(${b.assets[i].name}, ${b.assets[j].name}) = ${fmt(b.correlation[i][j])} differs from correlation(${b.assets[j].name}, ${b.assets[i].name}) = ${fmt(b.correlation[j][i])}; the matrix must be symmetric`,
          });
        }
      }
    }
    if (symOk && b.correlation.every((r) => r.every(Number.isFinite))) {
      const diag = diagnoseCorrelation(b.correlation);
      if (!diag.positiveDefinite) {
        const lam = diag.minEigenvalue.toExponential(2);
        if (diag.culprits.length === 0) {
          issues.push({ path: ['correlation'], message: `correlation matrix is not positive definite (smallest eigenvalue ${lam})` });
        }
        for (const c of diag.culprits) {
          issues.push({
            path: ['correlation', c.i, c.j],
            message:
              `correlation matrix is not positive definite (smallest eigenvalue ${lam}, Cholesky fails at ${b.assets[diag.failingPivot ?? 0]?.name ?? '?'}): ` +
              `correlation(${b.assets[c.i].name}, ${b.assets[c.j].name}) = ${fmt(c.value)} is among the entries that break it; move it toward 0`,
          });
        }
      }
    }
  }
  b.options.forEach((o, j) => {
    const who = `option ${j + 1}${o.label ? ` (${o.label})` : ''}`;
    const seen = new Set<string>();
    o.assets.forEach((name, k) => {
      if (!names.has(name)) issues.push({ path: ['options', j, 'assets', k], message: `${who} is written on asset "${name}", which is not in the book (assets: ${[...names.keys()].join(', ')})` });
      if (seen.has(name)) issues.push({ path: ['options', j, 'assets', k], message: `${who} lists asset "${name}" twice` });
      seen.add(name);
    });
    const arity = PAYOFF_INFO[o.payoff].arity;
    if (arity === 'one' && o.assets.length !== 1) issues.push({ path: ['options', j, 'assets'], message: `${who}: a ${o.payoff} is written on exactly one asset, got ${o.assets.length}` });
    if (arity === 'two' && o.assets.length !== 2) issues.push({ path: ['options', j, 'assets'], message: `${who}: an exchange option needs exactly two assets [a, b] (pays max(S_a − k S_b, 0)), got ${o.assets.length}` });
    if (o.payoff === 'cash-or-nothing') {
      if (o.strike2 === null) issues.push({ path: ['options', j, 'strike2'], message: `${who}: cash-or-nothing needs an upper bound u (strike 2)` });
      else if (!(o.strike2 > o.strike)) issues.push({ path: ['options', j, 'strike2'], message: `${who}: upper bound u = ${fmt(o.strike2)} must be > lower bound l = ${fmt(o.strike)}` });
    }
  });
  return issues;
}

/** The zod schema of a book's content: field ranges plus {@link checkBook}, issues naming the cell. */
export const bookContentSchema = z
  .object(bookContentShape)
  .strict()
  .superRefine((b, ctx) => {
    for (const i of checkBook(b)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  });

/** Index of each asset name in the book. */
export function assetIndex(b: Pick<BookContent, 'assets'>): Map<string, number> {
  return new Map(b.assets.map((a, i) => [a.name, i]));
}

/** A short label for an option: its own, or e.g. "geometric-call K=100 on 5 assets". */
export function optionLabel(o: BookOption, j: number): string {
  if (o.label.trim()) return o.label.trim();
  const on = o.assets.length <= 2 ? o.assets.join('/') : `${o.assets.length} assets`;
  return `#${j + 1} ${o.payoff} K=${fmt(o.strike)} on ${on}`;
}
