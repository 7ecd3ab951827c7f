import {
  DEFAULT_HEDGE_CONFIG,
  type HedgeConfig,
  TRAIN_DEFAULTS,
  hedgeConfigSchema,
  isTrainedModel,
} from '../../../src-shared/hedging/config';
import { type FieldError } from '../../../src-shared/api/errors';
import { CRITERION_DEFAULTS, resolvedCriterionFields } from '../../../src-shared/hedging/criteria';

/**
 * The hedging-run form as text the user types, and its validation with the shared `hedgeConfigSchema`
 * (the same schema main validates requests with), so the form and the server agree on what is valid.
 * Training fields are sent only for the trained models (DHMLP, DHNTB, DHLNN), inner-loop fields only for
 * DHLNN, and the optional test sigma only when filled in — a BSDH request stays exactly the foundation's.
 */

export const BASE_NUMERIC = ['strike', 'sigma', 'drift', 'days', 'steps', 'cost', 'paths', 'seed'] as const;
export const TRAIN_NUMERIC = ['epochs', 'trainPaths', 'learningRate', 'monitorPaths'] as const;
export const DHLNN_NUMERIC = ['innerSteps', 'innerTol'] as const;
export const OPTIONAL_NUMERIC = ['testSigma'] as const;
/** The parameter of each training criterion (only the chosen criterion's is sent). */
export const CRITERION_PARAM = { entropic: 'riskAversion', es: 'esLevel', 'mean-variance': 'mvLambda' } as const;
export const CRITERION_NUMERIC = ['riskAversion', 'esLevel', 'mvLambda'] as const;
export const NUMERIC_FIELDS = [...BASE_NUMERIC, ...OPTIONAL_NUMERIC, ...TRAIN_NUMERIC, ...DHLNN_NUMERIC, ...CRITERION_NUMERIC] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
export const FIELD_NAMES = ['model', 'option', 'criterion', ...NUMERIC_FIELDS, 'label'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export type FormValues = Record<FieldName, string>;
export type FieldErrors = Partial<Record<FieldName, string>>;

const isNumericField = (f: string): f is NumericField => (NUMERIC_FIELDS as readonly string[]).includes(f);
const isFieldName = (f: string): f is FieldName => (FIELD_NAMES as readonly string[]).includes(f);

/**
 * The numeric fields that belong in a request for `model`; trained models also send the chosen criterion's
 * parameter (BSDH is measured on the default criterion).
 */
export function fieldsFor(model: string, criterion: string = CRITERION_DEFAULTS.criterion): NumericField[] {
  const out: NumericField[] = [...BASE_NUMERIC, ...OPTIONAL_NUMERIC];
  if (isTrainedModel(model)) {
    out.push(...TRAIN_NUMERIC);
    const param = CRITERION_PARAM[criterion as keyof typeof CRITERION_PARAM];
    if (param) out.push(param);
  }
  if (model === 'dhlnn') out.push(...DHLNN_NUMERIC);
  return out;
}

/** Form text for a config (defaults to the app's example run; training fields to the spec's defaults). */
export function valuesFromConfig(cfg: HedgeConfig = DEFAULT_HEDGE_CONFIG): FormValues {
  const t = cfg.model === 'bsdh' ? null : cfg;
  const d = cfg.model === 'dhlnn' ? cfg : null;
  const c = resolvedCriterionFields(cfg);
  return {
    model: cfg.model,
    option: cfg.option,
    criterion: c.criterion,
    riskAversion: String(c.riskAversion),
    esLevel: String(c.esLevel),
    mvLambda: String(c.mvLambda),
    strike: String(cfg.strike),
    sigma: String(cfg.sigma),
    drift: String(cfg.drift),
    days: String(cfg.days),
    steps: String(cfg.steps),
    cost: String(cfg.cost),
    paths: String(cfg.paths),
    seed: String(cfg.seed),
    testSigma: cfg.testSigma !== undefined ? String(cfg.testSigma) : '',
    epochs: String(t?.epochs ?? TRAIN_DEFAULTS.epochs),
    trainPaths: String(t?.trainPaths ?? TRAIN_DEFAULTS.trainPaths),
    learningRate: String(t?.learningRate ?? TRAIN_DEFAULTS.learningRate),
    monitorPaths: String(t?.monitorPaths ?? TRAIN_DEFAULTS.monitorPaths),
    innerSteps: String(d?.innerSteps ?? TRAIN_DEFAULTS.innerSteps),
    innerTol: String(d?.innerTol ?? TRAIN_DEFAULTS.innerTol),
    label: cfg.label ?? '',
  };
}

/** Text to number: blank -> undefined ("is required"), not a number -> NaN; spaces and `_` may separate digits. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(/[\s_]/g, '');
  if (t === '') return undefined;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return NaN;
  return Number(t);
}

/** `(got "abc")` for text that is not a number, `(got -1)` for a number out of range. */
function gotSuffix(text: string): string {
  const n = parseNumber(text);
  const shown = text.trim();
  return n === undefined ? '' : Number.isFinite(n) ? ` (got ${shown})` : ` (got ${JSON.stringify(shown)})`;
}

export interface FormCheck {
  /** The request to send, when every field is valid. */
  config: HedgeConfig | null;
  errors: FieldErrors;
}

/** Validate every field shown for the chosen model; messages name the field and the rejected value. */
export function checkForm(values: FormValues): FormCheck {
  const errors: FieldErrors = {};
  const candidate: Record<string, unknown> = { model: values.model, option: values.option };
  if (isTrainedModel(values.model)) candidate.criterion = values.criterion;
  for (const f of fieldsFor(values.model, values.criterion)) {
    const n = parseNumber(values[f]);
    if (n === undefined && (OPTIONAL_NUMERIC as readonly string[]).includes(f)) continue;
    if (n !== undefined && !Number.isFinite(n)) {
      errors[f] = `${f} must be a number (got ${JSON.stringify(values[f].trim())})`;
      candidate[f] = values[f];
    } else candidate[f] = n;
  }
  const label = values.label.trim();
  if (label !== '') candidate.label = label;

  const parsed = hedgeConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const f = String(issue.path[0] ?? '');
      if (!isFieldName(f) || errors[f]) continue;
      errors[f] = isNumericField(f) ? issue.message + gotSuffix(values[f]) : issue.message;
    }
  }
  const ok = parsed.success && Object.keys(errors).length === 0;
  return { config: ok ? parsed.data : null, errors };
}

/** Server-side validation errors (AppError.fields) keyed by form field; unknown fields go under `_`. */
export function serverFieldErrors(fields: FieldError[] | undefined): { byField: FieldErrors; other: string[] } {
  const byField: FieldErrors = {};
  const other: string[] = [];
  for (const fe of fields ?? []) {
    const f = fe.field.split('.')[0] ?? '';
    const got = fe.value === undefined ? '' : ` (got ${JSON.stringify(fe.value)})`;
    const text = fe.message.includes('(got') ? fe.message : fe.message + got;
    if (isFieldName(f)) byField[f] = byField[f] ? `${byField[f]}; ${text}` : text;
    else other.push(`${fe.label ?? fe.field}: ${text}`);
  }
  return { byField, other };
}
