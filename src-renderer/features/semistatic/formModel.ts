import { type FieldError } from '../../../src-shared/api/errors';
import { MC_MAX_PATHS, type SemistaticMcConfig, semistaticMcSchema } from '../../../src-shared/semistatic/contract';
import { DEFAULT_PARAMS, type SemistaticParams, semistaticParamsSchema } from '../../../src-shared/semistatic/params';
import { fieldLabel, labelMessage } from '../../../src-shared/api/fieldLabels';

/** Field names as the semistatic form labels them (src-shared/api/fieldLabels.ts). */
const SEMISTATIC = { domain: 'semistatic' };

/**
 * The semistatic form as typed text, validated with the same shared schemas main uses, so the form and
 * the handlers agree on what is valid. The delay is typed in steps or as a fraction H of the horizon,
 * the market's variance as sigmahat or as the ratio s2 = sigmahat²/sigma².
 */

export const PARAM_FIELDS = ['n', 'delay', 'delayFraction', 'sigma', 'sigmahat', 'ratio2', 'mu', 's0', 'riskAversion'] as const;
export type ParamField = (typeof PARAM_FIELDS)[number];
export const MC_FIELDS = ['paths', 'seed'] as const;
export type McField = (typeof MC_FIELDS)[number];
export type FieldName = ParamField | McField;

export type DelayMode = 'steps' | 'fraction';
export type VarianceMode = 'ratio' | 'sigmahat';

export interface FormValues {
  text: Record<FieldName, string>;
  delayMode: DelayMode;
  varianceMode: VarianceMode;
}
export type FieldErrors = Partial<Record<FieldName, string>>;

export const DEFAULT_MC = { paths: 400_000, seed: 1 };

export function defaultValues(): FormValues {
  return {
    delayMode: 'steps',
    varianceMode: 'ratio',
    text: {
      n: String(DEFAULT_PARAMS.n),
      delay: String(DEFAULT_PARAMS.delay),
      delayFraction: String(DEFAULT_PARAMS.delay / DEFAULT_PARAMS.n),
      sigma: String(DEFAULT_PARAMS.sigma),
      sigmahat: String(Number((DEFAULT_PARAMS.sigma * Math.sqrt(DEFAULT_PARAMS.ratio2)).toPrecision(6))),
      ratio2: String(DEFAULT_PARAMS.ratio2),
      mu: String(DEFAULT_PARAMS.mu),
      s0: String(DEFAULT_PARAMS.s0),
      riskAversion: String(DEFAULT_PARAMS.riskAversion),
      paths: String(DEFAULT_MC.paths),
      seed: String(DEFAULT_MC.seed),
    },
  };
}

/** Text to number: blank -> undefined, not a number -> NaN; spaces, `_` and `,` may separate digits. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(/[\s_,]/g, '');
  if (t === '') return undefined;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return NaN;
  return Number(t);
}

/** The fields the current modes use (the other alternative of each pair is ignored). */
export function activeParamFields(v: FormValues): ParamField[] {
  return PARAM_FIELDS.filter(
    (f) =>
      !(f === 'delay' && v.delayMode !== 'steps') &&
      !(f === 'delayFraction' && v.delayMode !== 'fraction') &&
      !(f === 'sigmahat' && v.varianceMode !== 'sigmahat') &&
      !(f === 'ratio2' && v.varianceMode !== 'ratio'),
  );
}

const isField = (f: string): f is FieldName => (PARAM_FIELDS as readonly string[]).includes(f) || (MC_FIELDS as readonly string[]).includes(f);

function collect(v: FormValues, fields: readonly FieldName[], errors: FieldErrors): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const n = parseNumber(v.text[f]);
    if (n === undefined) {
      if (f === 's0' || f === 'riskAversion') continue; // optional: defaults 100 and 1
      errors[f] = `${fieldLabel(f, SEMISTATIC)} is required`;
      out[f] = undefined;
    } else if (!Number.isFinite(n)) {
      errors[f] = `${fieldLabel(f, SEMISTATIC)} must be a number (got ${JSON.stringify(v.text[f].trim())})`;
      out[f] = v.text[f];
    } else out[f] = n;
  }
  return out;
}

function addIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, v: FormValues, errors: FieldErrors): void {
  for (const iss of issues) {
    const f = String(iss.path[0] ?? '');
    if (!isField(f) || errors[f]) continue;
    const n = parseNumber(v.text[f]);
    const message = labelMessage(iss.message, iss.path, SEMISTATIC);
    errors[f] = n !== undefined && Number.isFinite(n) && !message.includes('(got') ? `${message} (got ${v.text[f].trim()})` : message;
  }
}

export interface ParamsCheck {
  request: SemistaticParams | null;
  errors: FieldErrors;
}

/** Validate the problem parameters. */
export function checkParams(v: FormValues): ParamsCheck {
  const errors: FieldErrors = {};
  const candidate = collect(v, activeParamFields(v), errors);
  const parsed = semistaticParamsSchema.safeParse(candidate);
  if (!parsed.success) addIssues(parsed.error.issues, v, errors);
  return { request: parsed.success && Object.keys(errors).length === 0 ? (candidate as SemistaticParams) : null, errors };
}

export interface McCheck {
  request: SemistaticMcConfig | null;
  errors: FieldErrors;
}

/** Validate parameters + paths + seed for a Monte Carlo run. */
export function checkMc(v: FormValues): McCheck {
  const errors: FieldErrors = {};
  const candidate = { ...collect(v, activeParamFields(v), errors), ...collect(v, MC_FIELDS, errors) };
  const parsed = semistaticMcSchema.safeParse(candidate);
  if (!parsed.success) addIssues(parsed.error.issues, v, errors);
  return { request: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors };
}

/** Server-side validation errors keyed by form field; others as text. */
export function serverFieldErrors(fields: FieldError[] | undefined): { byField: FieldErrors; other: string[] } {
  const byField: FieldErrors = {};
  const other: string[] = [];
  for (const fe of fields ?? []) {
    const f = fe.field.split('.')[0] ?? '';
    const text = fe.message.includes('(got') ? fe.message : `${fe.message} (got ${JSON.stringify(fe.value)})`;
    if (isField(f)) byField[f] = byField[f] ? `${byField[f]}; ${text}` : text;
    else other.push(`${fe.label ?? fe.field}: ${text}`);
  }
  return { byField, other };
}

export { MC_MAX_PATHS };
