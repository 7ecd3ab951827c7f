import { z } from 'zod';
import { num } from '../zodFields';

/**
 * Training criteria: what "best" means for a hedger (deep-hedging spec, "Training criteria"). A run is trained
 * to minimise one risk measure rho of its PnL V (money, P_0 = 1); smaller is better for all three:
 *
 *     entropic        rho_a(V)    = (1/a) log E[exp(-a V)]                    risk aversion a > 0 (1/money)
 *     expected short. ES_alpha(V) = mean of the ceil((1 - alpha) N) largest losses -V    level 0 < alpha < 1
 *     mean-variance   MV_l(V)     = -E[V] + (l/2) Var(V)   (Var with divisor N)     lambda >= 0 (1/money)
 *
 * Their per-path weights u_k = d rho / d V_k (what backpropagation and DHLNN's linearised inner step use):
 *
 *     entropic:  u_k = -pi_k,  pi = softmax(-a V)
 *     ES:        u_k = -1/m on the m = ceil((1 - alpha) N) worst paths, 0 elsewhere (the sorting-based tail
 *                mean; it is the gradient of the Rockafellar–Uryasev form min_w w + E[(-V - w)^+]/(1 - alpha)
 *                at its minimiser w = VaR whenever (1 - alpha) N is a whole number)
 *     MV:        u_k = (1/N) (-1 + l (V_k - mean V))
 *
 * The source (and this app's experiments E1–E5) train on the entropic loss with a = 1, the default here. Runs
 * stored before criteria existed have no criterion fields and are read as entropic, a = 1 (no migration).
 *
 * Pure and dependency-free apart from zod: the engine (losses and weights), the handlers, the CLI and the
 * renderer (labels, ranking) all use this module.
 */

export const CRITERION_KINDS = ['entropic', 'es', 'mean-variance'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

export type Criterion = { kind: 'entropic'; a: number } | { kind: 'es'; alpha: number } | { kind: 'mean-variance'; lambda: number };

/** The criterion fields of a run config (all optional; absent = the defaults below). */
export interface CriterionFields {
  criterion?: CriterionKind;
  /** Entropic risk aversion a (1/money). */
  riskAversion?: number;
  /** ES level alpha (0.9 = mean of the worst 10% of paths). */
  esLevel?: number;
  /** Mean-variance weight lambda of the variance (1/money). */
  mvLambda?: number;
}

/**
 * Defaults: the source's entropic loss with a = 1; ES at 90% (the level the source reports); lambda = 100 /money,
 * which at a PnL standard deviation of 5e-3 (the at-the-money 30-day examples) makes the variance term
 * (lambda/2) Var = 1.25e-3 comparable to the mean transaction cost.
 */
export const CRITERION_DEFAULTS = { criterion: 'entropic', riskAversion: 1, esLevel: 0.9, mvLambda: 100 } as const satisfies Required<CriterionFields>;

/** Zod fields of the criterion, spread into every model's config schema (names as the form shows them). */
export const criterionSchemaFields = {
  criterion: z.enum(CRITERION_KINDS, { error: 'criterion must be entropic, es or mean-variance' }).optional(),
  riskAversion: num('risk aversion a').gt(0, 'risk aversion a must be > 0').max(1000, 'risk aversion a must be <= 1000 (1/money)').optional(),
  esLevel: num('ES level alpha').gt(0, 'ES level alpha must be > 0').lt(1, 'ES level alpha must be < 1 (0.9 = worst 10% of paths)').optional(),
  mvLambda: num('mean-variance lambda').min(0, 'mean-variance lambda must be >= 0').max(1e6, 'mean-variance lambda must be <= 1e6 (1/money)').optional(),
};

/** The criterion fields with defaults filled in (what a run stores). */
export function resolvedCriterionFields(c: CriterionFields): Required<CriterionFields> {
  return {
    criterion: c.criterion ?? CRITERION_DEFAULTS.criterion,
    riskAversion: c.riskAversion ?? CRITERION_DEFAULTS.riskAversion,
    esLevel: c.esLevel ?? CRITERION_DEFAULTS.esLevel,
    mvLambda: c.mvLambda ?? CRITERION_DEFAULTS.mvLambda,
  };
}

/** The criterion a run trains on (old runs without the fields: entropic a = 1). */
export function criterionOf(c: CriterionFields | null | undefined): Criterion {
  const f = resolvedCriterionFields(c ?? {});
  if (f.criterion === 'es') return { kind: 'es', alpha: f.esLevel };
  if (f.criterion === 'mean-variance') return { kind: 'mean-variance', lambda: f.mvLambda };
  return { kind: 'entropic', a: f.riskAversion };
}

/** Criterion fields that select `c` (for configs, forms and the CLI). */
export function criterionFieldsOf(c: Criterion): CriterionFields {
  if (c.kind === 'es') return { criterion: 'es', esLevel: c.alpha };
  if (c.kind === 'mean-variance') return { criterion: 'mean-variance', mvLambda: c.lambda };
  return { criterion: 'entropic', riskAversion: c.a };
}

const short = (x: number): string => String(Number(x.toPrecision(6)));
const pct = (alpha: number): string => `${short(alpha * 100)}%`;

/** Screen label: "entropic (a = 1)", "ES 90%", "mean-variance (λ = 100)". */
export function criterionLabel(c: Criterion): string {
  if (c.kind === 'es') return `ES ${pct(c.alpha)}`;
  if (c.kind === 'mean-variance') return `mean-variance (λ = ${short(c.lambda)})`;
  return `entropic (a = ${short(c.a)})`;
}

/** Stable key of a criterion with its parameter, for `HedgeMetrics.measures`: "entropic:1", "es:0.9", "mean-variance:100". */
export function criterionKey(c: Criterion): string {
  const p = c.kind === 'es' ? c.alpha : c.kind === 'mean-variance' ? c.lambda : c.a;
  return `${c.kind}:${short(p)}`;
}

export function sameCriterion(x: Criterion, y: Criterion): boolean {
  return criterionKey(x) === criterionKey(y);
}

/** Parse a key made by `criterionKey` (null when malformed). */
export function criterionFromKey(key: string): Criterion | null {
  const i = key.lastIndexOf(':');
  const kind = key.slice(0, i);
  const p = Number(key.slice(i + 1));
  if (!Number.isFinite(p)) return null;
  if (kind === 'entropic' && p > 0) return { kind, a: p };
  if (kind === 'es' && p > 0 && p < 1) return { kind, alpha: p };
  if (kind === 'mean-variance' && p >= 0) return { kind, lambda: p };
  return null;
}

/**
 * The measures every run reports, so that any comparison can rank on any of them: entropic at a = 1 and at
 * the run's a, ES at 90% and at the run's alpha, mean-variance at the run's lambda (duplicates removed).
 */
export function reportedCriteria(c: CriterionFields | null | undefined): Criterion[] {
  const f = resolvedCriterionFields(c ?? {});
  const all: Criterion[] = [
    { kind: 'entropic', a: 1 },
    { kind: 'entropic', a: f.riskAversion },
    { kind: 'es', alpha: 0.9 },
    { kind: 'es', alpha: f.esLevel },
    { kind: 'mean-variance', lambda: f.mvLambda },
  ];
  const seen = new Set<string>();
  return all.filter((x) => (seen.has(criterionKey(x)) ? false : (seen.add(criterionKey(x)), true)));
}

/** Number of tail paths m = ceil((1 - alpha) N), with the tail fraction rounded to 1e-9 first (0.05 * 20 = 1, not 2). At least 1. */
export function tailCount(n: number, alpha: number): number {
  const tailPpb = Math.round((1 - alpha) * 1e9);
  return Math.max(1, Math.min(n, Math.ceil((tailPpb * n) / 1e9)));
}

/**
 * rho(V) of a PnL sample on criterion `c` (formulas in the module doc). Money.
 * @param pnl V_k per path, money, length N >= 1.
 */
export function criterionRisk(pnl: ArrayLike<number>, c: Criterion): number {
  const n = pnl.length;
  if (n === 0) return NaN;
  if (c.kind === 'entropic') {
    let top = -Infinity;
    for (let k = 0; k < n; k++) top = Math.max(top, -c.a * pnl[k]);
    if (!Number.isFinite(top)) return top / c.a;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += Math.exp(-c.a * pnl[k] - top);
    return (top + Math.log(sum / n)) / c.a;
  }
  if (c.kind === 'es') {
    const losses = Float64Array.from(pnl, (v) => -v).sort();
    const m = tailCount(n, c.alpha);
    let s = 0;
    for (let j = n - m; j < n; j++) s += losses[j];
    return s / m;
  }
  let mean = 0;
  for (let k = 0; k < n; k++) mean += pnl[k];
  mean /= n;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (pnl[k] - mean) ** 2;
  return -mean + 0.5 * c.lambda * (ss / n);
}

/**
 * Per-path weights u_k = d rho / d V_k of criterion `c` at the sample `pnl` (formulas in the module doc).
 * ES ties at the tail boundary are broken by path index (a subgradient). Sum of u: -1 for all three.
 * @returns Float64Array of length N (1/1, dimensionless).
 */
export function criterionWeights(pnl: ArrayLike<number>, c: Criterion): Float64Array {
  const n = pnl.length;
  const u = new Float64Array(n);
  if (c.kind === 'entropic') {
    let top = -Infinity;
    for (let k = 0; k < n; k++) top = Math.max(top, -c.a * pnl[k]);
    let sum = 0;
    for (let k = 0; k < n; k++) sum += u[k] = Math.exp(-c.a * pnl[k] - top);
    for (let k = 0; k < n; k++) u[k] = -u[k] / sum;
    return u;
  }
  if (c.kind === 'es') {
    const order = Array.from({ length: n }, (_, k) => k).sort((i, j) => pnl[i] - pnl[j] || i - j);
    const m = tailCount(n, c.alpha);
    for (let j = 0; j < m; j++) u[order[j]] = -1 / m;
    return u;
  }
  let mean = 0;
  for (let k = 0; k < n; k++) mean += pnl[k];
  mean /= n;
  for (let k = 0; k < n; k++) u[k] = (-1 + c.lambda * (pnl[k] - mean)) / n;
  return u;
}
