import { type FieldError } from '../../../src-shared/api/errors';
import { DEFAULT_QLBS_CONFIG, type QlbsConfig, qlbsConfigSchema } from '../../../src-shared/qlbs/config';
import { fieldLabel, labelMessage } from '../../../src-shared/api/fieldLabels';

/** Field names as the QLBS form labels them (src-shared/api/fieldLabels.ts). */
const QLBS = { domain: 'qlbs' };

/**
 * The QLBS form as text the user types, validated with the shared `qlbsConfigSchema` (the same schema the
 * main process checks 'qlbs-start' with), so the form and the server agree on what is valid.
 */

/** Text to number: blank -> undefined ("is required"), not a number -> NaN; spaces and `_` may separate digits. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(/[\s_]/g, '');
  if (t === '') return undefined;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return NaN;
  return Number(t);
}

export const QLBS_NUMERIC = [
  's0',
  'strike',
  'mu',
  'sigma',
  'r',
  'maturity',
  'steps',
  'fqiSteps',
  'paths',
  'lambda',
  'reg',
  'basisSize',
  'degree',
  'eta',
  'seed',
] as const;
export type QlbsNumericField = (typeof QLBS_NUMERIC)[number];
export const QLBS_FIELDS = ['method', 'option', ...QLBS_NUMERIC, 'driftTerm', 'label'] as const;
export type QlbsFieldName = (typeof QLBS_FIELDS)[number];

export type QlbsFormValues = Record<Exclude<QlbsFieldName, 'driftTerm'>, string> & { driftTerm: boolean };
export type QlbsFieldErrors = Partial<Record<QlbsFieldName, string>>;

const isNumeric = (f: string): f is QlbsNumericField => (QLBS_NUMERIC as readonly string[]).includes(f);
const isField = (f: string): f is QlbsFieldName => (QLBS_FIELDS as readonly string[]).includes(f);

/** Form text for a config (defaults to the spec's reference setting). */
export function qlbsValuesFromConfig(c: QlbsConfig = DEFAULT_QLBS_CONFIG): QlbsFormValues {
  const v = {} as QlbsFormValues;
  for (const f of QLBS_NUMERIC) v[f] = String(c[f]);
  v.method = c.method;
  v.option = c.option;
  v.driftTerm = c.driftTerm ?? false;
  v.label = c.label ?? '';
  return v;
}

export interface QlbsFormCheck {
  config: QlbsConfig | null;
  errors: QlbsFieldErrors;
}

/** Validate every field; messages name the field and the rejected value. */
export function checkQlbsForm(values: QlbsFormValues): QlbsFormCheck {
  const errors: QlbsFieldErrors = {};
  const candidate: Record<string, unknown> = { method: values.method, option: values.option, driftTerm: values.driftTerm };
  for (const f of QLBS_NUMERIC) {
    const n = parseNumber(values[f]);
    if (n !== undefined && !Number.isFinite(n)) {
      errors[f] = `${fieldLabel(f, QLBS)} must be a number (got ${JSON.stringify(values[f].trim())})`;
      candidate[f] = values[f];
    } else candidate[f] = n;
  }
  const label = values.label.trim();
  if (label !== '') candidate.label = label;
  const parsed = qlbsConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const f = String(issue.path[0] ?? '');
      if (!isField(f) || errors[f]) continue;
      const text = isNumeric(f) ? values[f].trim() : '';
      const message = labelMessage(issue.message, issue.path, QLBS);
      errors[f] = isNumeric(f) && text !== '' && !message.includes('(got') ? `${message} (got ${text})` : message;
    }
  }
  const ok = parsed.success && Object.keys(errors).length === 0;
  return { config: ok ? parsed.data : null, errors };
}

/** Server-side validation errors keyed by form field; others (e.g. `values.2` of a sweep) under `other`. */
export function qlbsServerErrors(fields: FieldError[] | undefined): { byField: QlbsFieldErrors; other: string[] } {
  const byField: QlbsFieldErrors = {};
  const other: string[] = [];
  for (const fe of fields ?? []) {
    const f = fe.field.split('.')[0] ?? '';
    const got = fe.value === undefined ? '' : ` (got ${JSON.stringify(fe.value)})`;
    const text = fe.message.includes('(got') ? fe.message : fe.message + got;
    if (isField(f)) byField[f] = byField[f] ? `${byField[f]}; ${text}` : text;
    else other.push(`${fe.label ?? fe.field}: ${text}`);
  }
  return { byField, other };
}
