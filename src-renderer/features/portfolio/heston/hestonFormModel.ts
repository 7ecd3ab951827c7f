import { type Req } from '../../../../src-shared/api/contract';
import { HESTON_SOLVER_NAMES, type HestonSolverName } from '../../../../src-shared/heston/contract';
import { HESTON_SCHEMES, type HestonScheme, hestonClaimSchema, hestonMarketSchema } from '../../../../src-shared/heston/config';
import { H1_CLAIM, H1_MARKET, type HestonClaim, type HestonMarket } from '../../../../src-shared/heston/types';
import { type FormCheck } from '../../../forms/useCheckedForm';

/**
 * The Heston form's model (market, claim, solve settings as the text the user typed) and its check, built on the
 * same zod schemas the 'heston-solve' handler validates with. Pure, so it is unit-tested without a screen.
 */
export const MARKET_KEYS = ['s0', 'nu0', 'kappa', 'nubar', 'xi', 'rho', 'r', 'q'] as const;
export type MarketKey = (typeof MARKET_KEYS)[number];

export interface HestonFormValues extends Record<MarketKey, string> {
  kind: 'put' | 'call';
  exercise: 'european' | 'bermudan';
  strike: string;
  maturity: string;
  exerciseDates: string;
  scheme: HestonScheme;
  solver: HestonSolverName;
  /** Blank: the preset's N. */
  steps: string;
  seed: string;
  label: string;
}

export type HestonFieldName = keyof HestonFormValues & string;

/** The request 'heston-solve' takes (minus allowLong). */
export type HestonSolveRequest = Omit<Req<'heston-solve'>, 'allowLong'>;

export function valuesFrom(market: HestonMarket = H1_MARKET, claim: HestonClaim = H1_CLAIM): HestonFormValues {
  return {
    s0: String(market.s0),
    nu0: String(market.nu0),
    kappa: String(market.kappa),
    nubar: String(market.nubar),
    xi: String(market.xi),
    rho: String(market.rho),
    r: String(market.r),
    q: String(market.q),
    kind: claim.kind,
    exercise: claim.exerciseDates > 1 ? 'bermudan' : 'european',
    strike: String(claim.strike),
    maturity: String(claim.maturity),
    exerciseDates: String(claim.exerciseDates > 1 ? claim.exerciseDates : 12),
    scheme: 'osm',
    solver: 'cpu',
    steps: '',
    seed: '1',
    label: '',
  };
}

/** Form text to a number: blank is NaN (the schema then says the field is required or not a number). */
export const parseNum = (t: string | undefined): number => {
  const s = (t ?? '').trim();
  return s === '' ? NaN : Number(s);
};

/** Form text as schema input: blank is missing (the schema says "is required"), else the number typed (NaN says "must be a number"). */
const input = (t: string | undefined): number | undefined => ((t ?? '').trim() === '' ? undefined : Number((t ?? '').trim()));

/** The form's values as far as they parse (for the Feller line and the vol hints while typing). */
export function marketOf(v: HestonFormValues): Record<MarketKey, number> {
  return Object.fromEntries(MARKET_KEYS.map((k) => [k, parseNum(v[k])])) as Record<MarketKey, number>;
}

/** A schema message without its request path ('market.s0 (spot) must be > 0' -> 's0 (spot) must be > 0'): the field it sits under names it. */
export const bare = (message: string): string => message.replace(/^(market|claim)\./, '');

/**
 * Check every field as the handler will, plus the grid: the exercise dates t = k T / E must be grid dates
 * n T / N, i.e. N a multiple of E. `presetSteps` is the N of the chosen preset (used when steps is blank).
 */
export function checkHestonForm(v: HestonFormValues, presetSteps: (s: HestonSolverName) => number | null): FormCheck<HestonFormValues, HestonSolveRequest> {
  const errors: Partial<Record<HestonFieldName, string>> = {};
  const m = hestonMarketSchema.safeParse(Object.fromEntries(MARKET_KEYS.map((k) => [k, input(v[k])])));
  if (!m.success) for (const i of m.error.issues) errors[String(i.path[0]) as HestonFieldName] ??= bare(i.message);
  const dates = v.exercise === 'european' ? 1 : input(v.exerciseDates);
  const c = hestonClaimSchema.safeParse({ kind: v.kind, strike: input(v.strike), maturity: input(v.maturity), exerciseDates: dates });
  if (!c.success) for (const i of c.error.issues) errors[String(i.path[0]) as HestonFieldName] ??= bare(i.message);
  if (v.exercise === 'bermudan' && c.success && c.data.exerciseDates < 2) errors.exerciseDates = 'exerciseDates must be >= 2 for a Bermudan (choose European for 1)';
  if (!(HESTON_SCHEMES as readonly string[]).includes(v.scheme)) errors.scheme = 'scheme must be osm or rdbdp';
  if (!(HESTON_SOLVER_NAMES as readonly string[]).includes(v.solver)) errors.solver = 'solver must be quick or cpu';
  let steps: number | undefined;
  if (v.steps.trim() !== '') {
    steps = parseNum(v.steps);
    if (!Number.isInteger(steps) || steps < 1 || steps > 500) errors.steps = 'steps must be a whole number from 1 to 500';
  }
  const N = steps ?? presetSteps(v.solver);
  if (!errors.steps && !errors.exerciseDates && c.success && N !== null && N % c.data.exerciseDates !== 0) {
    const msg = `the ${c.data.exerciseDates} exercise dates t = k·T/${c.data.exerciseDates} are not on the time grid of N = ${N} steps; use N a multiple of ${c.data.exerciseDates}`;
    if (steps !== undefined) errors.steps = msg;
    else errors.exerciseDates = `${msg} (or set the steps)`;
  }
  let seed: number | undefined;
  if (v.seed.trim() !== '') {
    seed = parseNum(v.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) errors.seed = 'seed must be a whole number from 0 to 4294967295';
  }
  if (v.label.length > 120) errors.label = 'label must be at most 120 characters';
  const ok = Object.keys(errors).length === 0 && m.success && c.success;
  return {
    errors,
    config: ok
      ? {
          market: m.data,
          claim: c.data,
          scheme: v.scheme,
          solver: v.solver,
          ...(steps !== undefined ? { steps } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(v.label.trim() ? { label: v.label.trim() } : {}),
        }
      : null,
  };
}

/** Map a server field path (`market.s0`, `claim.strike`, `steps`) onto the form's field. */
export function formFieldOf(path: string): HestonFieldName | null {
  const last = path.split('.').pop() ?? '';
  const known: string[] = [...MARKET_KEYS, 'kind', 'strike', 'maturity', 'exerciseDates', 'scheme', 'solver', 'steps', 'seed', 'label'];
  return known.includes(last) ? (last as HestonFieldName) : null;
}

/** Parse a stored draft (localStorage) back into form values, or null when it no longer fits. */
export function parseHestonDraft(x: unknown): HestonFormValues | null {
  if (typeof x !== 'object' || x === null) return null;
  const base = valuesFrom();
  const o = x as Record<string, unknown>;
  for (const k of Object.keys(base) as HestonFieldName[]) if (typeof o[k] !== 'string') return null;
  return { ...base, ...(o as Partial<HestonFormValues>) };
}
