import { type Req } from '../../../src-shared/api/contract';
import { DEFAULT_HEDGE, type GreekSource, REBALANCE_PRESETS, type Strategy, hedgeConfigSchema } from '../../../src-shared/bsde/hedge';

/**
 * The hedge form's model (pure, unit-tested): text values keyed by the request's field paths (so server
 * field errors land on the right input), parsing, and the checks the server would make that the form can
 * make first — R must divide the path grid's N (network Greeks: the solve's N; closed form: the steps field,
 * blank = the solve's N) and the gamma instruments must outlive the grid horizon T.
 */
export type FieldKey =
  | 'strategy'
  | 'greeks'
  | 'rebalance'
  | 'steps'
  | 'paths'
  | 'instruments.maturity'
  | 'instruments.putMoneyness'
  | 'instruments.exchangeRatio'
  | 'seed'
  | 'label';

export type HedgeValues = Record<FieldKey, string>;

export const defaultValues = (): HedgeValues => ({
  strategy: DEFAULT_HEDGE.strategy,
  greeks: DEFAULT_HEDGE.greeks,
  rebalance: String(DEFAULT_HEDGE.rebalance),
  steps: '',
  paths: String(DEFAULT_HEDGE.paths),
  'instruments.maturity': String(DEFAULT_HEDGE.instruments.maturity),
  'instruments.putMoneyness': String(DEFAULT_HEDGE.instruments.putMoneyness),
  'instruments.exchangeRatio': String(DEFAULT_HEDGE.instruments.exchangeRatio),
  seed: String(DEFAULT_HEDGE.seed),
  label: '',
});

/** What the form needs to know of the solve run it hedges. */
export interface SolveFacts {
  solveRunId: string;
  /** The solve's grid N. */
  steps: number;
  /** The solve's grid horizon T (years). */
  horizon: number;
  /** Why the book has no closed-form Greeks (null: it has them). */
  closedFormIssue: string | null;
}

/**
 * Why a book has no closed-form Greeks along paths: those exist for European geometric-basket, single-asset
 * and exchange options only (the server's rule, src-main/engine/bsde/greekSource.ts `closedFormIssue`).
 */
export function closedFormIssue(options: Array<{ label: string; payoff: string; exercise: string; exerciseDates: number }>): string | null {
  for (const [j, o] of options.entries()) {
    const who = `option ${j + 1}${o.label ? ` (${o.label})` : ''}`;
    if (o.exercise === 'bermudan' && o.exerciseDates > 1) return `${who} is Bermudan: closed-form Greeks exist only for European options; use network Greeks`;
    if (!['geometric-call', 'geometric-put', 'call', 'put', 'exchange'].includes(o.payoff)) return `${who} (${o.payoff}) has no closed form; use network Greeks`;
  }
  return null;
}

const parse = (t: string): number => (t.trim() === '' ? NaN : Number(t.trim()));

/** The path grid N the hedge will use. */
export function gridSteps(v: HedgeValues, solve: SolveFacts): number {
  if (v.greeks !== 'closed-form' || v.steps.trim() === '') return solve.steps;
  return parse(v.steps);
}

export interface RebalanceChoice {
  r: number;
  preset: boolean;
}

/** R offered for a grid of N steps: the presets 1, 2, 4, 12, 24, 60, 120 that divide N, then N's other divisors. */
export function rebalanceChoices(N: number): RebalanceChoice[] {
  if (!Number.isInteger(N) || N < 1) return [];
  const presets = REBALANCE_PRESETS.filter((r) => N % r === 0).map((r) => ({ r, preset: true }));
  const others: RebalanceChoice[] = [];
  for (let r = 1; r <= Math.min(N, 1000); r++) if (N % r === 0 && !presets.some((p) => p.r === r)) others.push({ r, preset: false });
  return [...presets, ...others];
}

export type HedgeRequest = Req<'bsde-hedge'>;

export interface FormCheck {
  request: HedgeRequest | null;
  errors: Partial<Record<FieldKey, string>>;
  N: number;
}

/** Parse and check the form against the contract's schema and the solve's grid. */
export function checkForm(v: HedgeValues, solve: SolveFacts): FormCheck {
  const closed = v.greeks === 'closed-form';
  const stepsRaw = closed && v.steps.trim() !== '' ? parse(v.steps) : null;
  const settings = {
    strategy: v.strategy as Strategy,
    greeks: v.greeks as GreekSource,
    rebalance: parse(v.rebalance),
    paths: parse(v.paths),
    steps: stepsRaw,
    instruments: {
      maturity: parse(v['instruments.maturity']),
      putMoneyness: parse(v['instruments.putMoneyness']),
      exchangeRatio: parse(v['instruments.exchangeRatio']),
    },
    seed: parse(v.seed),
  };
  const errors: Partial<Record<FieldKey, string>> = {};
  const r = hedgeConfigSchema.safeParse(settings);
  if (!r.success) for (const i of r.error.issues) errors[i.path.join('.') as FieldKey] ??= i.message;
  const N = gridSteps(v, solve);
  if (!errors.steps && !errors.rebalance && Number.isInteger(N) && Number.isInteger(settings.rebalance) && N % settings.rebalance !== 0) {
    errors.rebalance = `R = ${settings.rebalance} does not divide the grid N = ${N}; pick one of ${rebalanceChoices(N)
      .map((c) => c.r)
      .join(', ')}${closed ? ' or change the steps' : ''}`;
  }
  if (closed && solve.closedFormIssue) errors.greeks ??= solve.closedFormIssue;
  if (v.strategy === 'delta-gamma' && !errors['instruments.maturity'] && settings.instruments.maturity < solve.horizon) {
    errors['instruments.maturity'] = `instruments.maturity must be at least the grid horizon T = ${solve.horizon} years`;
  }
  if (v.label.length > 120) errors.label = 'label must be at most 120 characters';
  const ok = r.success && Object.keys(errors).length === 0;
  const request: HedgeRequest | null = ok ? { solveRunId: solve.solveRunId, ...r.data, ...(v.label.trim() ? { label: v.label.trim() } : {}) } : null;
  return { request, errors, N };
}

/** Server field errors by form field ('instruments.maturity', 'rebalance', ...; unknown paths go to the form). */
export function serverFieldErrors(fields: Array<{ field: string; label?: string; message: string }> | undefined): { byField: Partial<Record<FieldKey, string>>; other: string[] } {
  const keys = new Set<string>(Object.keys(defaultValues()));
  const byField: Partial<Record<FieldKey, string>> = {};
  const other: string[] = [];
  for (const f of fields ?? []) {
    if (keys.has(f.field)) byField[f.field as FieldKey] ??= f.message;
    else other.push(`${f.label ?? f.field}: ${f.message}`);
  }
  return { byField, other };
}
