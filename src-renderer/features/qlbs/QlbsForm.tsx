import { useEffect, useMemo, useState } from 'react';
import { QLBS_MAX_PATHS, type QlbsConfig } from '../../../src-shared/qlbs/config';
import { fmtInt, fmtPct, fmtPlain, fmtSig } from '../../app/format';
import { FormField } from '../../components/FormField';
import { useSubmit } from '../../hooks/useSubmit';
import { call } from '../../ipc/client';
import {
  checkQlbsForm,
  parseNumber,
  type QlbsFieldName,
  type QlbsFormValues,
  type QlbsNumericField,
  qlbsServerErrors,
  qlbsValuesFromConfig,
} from './formModel';
import styles from './qlbs.module.css';
import { cx } from '../../styles/cx';

interface Props {
  onStarted(runId: string): void;
  /** When set (and its nonce changes), the form is refilled from this config. */
  prefill: { config: QlbsConfig; nonce: number } | null;
  /** The current valid config (null while a field is invalid), for the sweep panel's base. */
  onConfigChange(config: QlbsConfig | null): void;
  connected: boolean;
}

const num = (v: QlbsFormValues, f: QlbsNumericField): number | undefined => {
  const n = parseNumber(v[f]);
  return n !== undefined && Number.isFinite(n) ? n : undefined;
};

interface NumericSpec {
  name: QlbsNumericField;
  label: string;
  unit: string;
  /** Shown only with method DP + FQI. */
  fqiOnly?: boolean;
  hint(v: QlbsFormValues): string;
}

const NUMERIC: NumericSpec[] = [
  { name: 's0', label: 'Spot S₀', unit: 'money', hint: () => 'price of the asset at t = 0' },
  {
    name: 'strike',
    label: 'Strike K',
    unit: 'money',
    hint: (v) => {
      const k = num(v, 'strike');
      const s = num(v, 's0');
      if (k === undefined || s === undefined || s <= 0) return 'strike of the European option';
      const m = k / s;
      const put = v.option === 'put';
      const where = m === 1 ? 'at the money' : (m > 1) === put ? 'in the money' : 'out of the money';
      return `K/S₀ = ${fmtPlain(m)} · ${where}`;
    },
  },
  {
    name: 'mu',
    label: 'Drift μ',
    unit: '/yr',
    hint: (v) => {
      const mu = num(v, 'mu');
      const r = num(v, 'r');
      if (mu === undefined) return 'real-world drift of the simulated paths';
      return r === undefined ? `${fmtPct(mu)} per year, real world` : `${fmtPct(mu)}/yr real world · μ − r = ${fmtPct(mu - r)}`;
    },
  },
  {
    name: 'sigma',
    label: 'Volatility σ',
    unit: '/yr',
    hint: (v) => {
      const s = num(v, 'sigma');
      return s === undefined ? 'annualised volatility' : `${fmtPct(s)} per year (annualised)`;
    },
  },
  {
    name: 'r',
    label: 'Rate r',
    unit: '/yr',
    hint: (v) => {
      const r = num(v, 'r');
      return r === undefined ? 'risk-free rate, continuous' : `${fmtPct(r)}/yr risk-free · discount γ = e^(−rΔt)`;
    },
  },
  {
    name: 'maturity',
    label: 'Maturity T',
    unit: 'years',
    hint: (v) => {
      const t = num(v, 'maturity');
      return t === undefined ? 'time to expiry in years' : `${fmtSig(t * 365, 4)} calendar days`;
    },
  },
  {
    name: 'steps',
    label: 'DP steps N',
    unit: 'steps',
    hint: (v) => {
      const t = num(v, 'maturity');
      const n = num(v, 'steps');
      return t === undefined || n === undefined || n <= 0 ? 'hedge dates of the on-policy DP' : `Δt = T/N = ${fmtSig(t / n, 3)} yr ≈ ${fmtSig((365 * t) / n, 3)} days`;
    },
  },
  {
    name: 'fqiSteps',
    label: 'FQI steps',
    unit: 'steps',
    fqiOnly: true,
    hint: (v) => {
      const n = num(v, 'steps');
      const f = num(v, 'fqiSteps');
      if (n === undefined || f === undefined || f <= 0 || n % f !== 0) return 'must divide the DP steps';
      return f === n ? 'FQI on every DP date' : `FQI on every ${n / f}th date of the same paths`;
    },
  },
  {
    name: 'paths',
    label: 'Paths N_MC',
    unit: 'paths',
    hint: (v) => {
      const p = num(v, 'paths');
      const n = num(v, 'steps');
      return p === undefined || n === undefined ? `Monte Carlo paths, ≤ ${fmtInt(QLBS_MAX_PATHS)}` : `paths × steps = ${fmtInt(p * n)}`;
    },
  },
  { name: 'lambda', label: 'Risk aversion λ', unit: '1/money', hint: () => 'reward − λ Var(Π_t); price = hedge cost + risk premium' },
  { name: 'reg', label: 'Ridge reg', unit: '', hint: () => 'added to the diagonal of every regression' },
  { name: 'basisSize', label: 'Basis size M', unit: 'functions', hint: () => 'B-splines on M collocation sites over the state range' },
  {
    name: 'degree',
    label: 'Spline degree p',
    unit: '',
    hint: (v) => {
      const p = num(v, 'degree');
      return p === undefined ? 'B-spline degree (order p + 1)' : `order p + 1 = ${p + 1} (the spec's reference: degree 4)`;
    },
  },
  {
    name: 'eta',
    label: 'Noise band η',
    unit: '±',
    fqiOnly: true,
    hint: (v) => {
      const e = num(v, 'eta');
      return e === undefined ? 'FQI behaviour actions a = ξ a*' : `FQI actions a = ξ a*, ξ ~ U[${fmtPlain(1 - e)}, ${fmtPlain(1 + e)}]`;
    },
  },
  { name: 'seed', label: 'Seed', unit: 'int', hint: () => 'same seed → same paths (replayable)' },
];

/** The QLBS run form: validated field by field as the user types, with server errors shown in place. */
export function QlbsForm({ onStarted, prefill, onConfigChange, connected }: Props) {
  const [values, setValues] = useState<QlbsFormValues>(() => qlbsValuesFromConfig());
  const { busy, formError, serverErrors, submit, clearErrors, clearField } = useSubmit(qlbsServerErrors);
  const check = useMemo(() => checkQlbsForm(values), [values]);

  useEffect(() => onConfigChange(check.config), [check.config, onConfigChange]);
  useEffect(() => {
    if (prefill) {
      setValues(qlbsValuesFromConfig(prefill.config));
      clearErrors();
    }
  }, [prefill]);

  const set = <F extends QlbsFieldName>(f: F, value: QlbsFormValues[F]): void => {
    setValues((v) => ({ ...v, [f]: value }));
    clearField(f);
  };

  const start = async (): Promise<void> => {
    const config = check.config;
    if (!config) return;
    await submit(async () => {
      const { runId } = await call('qlbs-start', config);
      onStarted(runId);
    });
  };

  const errorOf = (f: QlbsFieldName): string | undefined => check.errors[f] ?? serverErrors[f];
  const invalidCount = Object.keys(check.errors).length;
  const fqi = values.method === 'fqi';

  return (
    <form
      className={cx('hedge-form', styles.form)}
      data-testid="qlbs-form"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
      noValidate
    >
      <div className="panel-title">
        New QLBS run
        <button
          type="button"
          className="link-button"
          data-testid="qlbs-defaults"
          title="Reset every field to the spec's reference setting"
          onClick={() => {
            setValues(qlbsValuesFromConfig());
            clearErrors();
          }}
        >
          reference setting
        </button>
      </div>

      <FormField prefix="qlbs-" name="method" label="Method" error={errorOf('method')} hint={fqi ? 'on-policy DP, then off-policy FQI' : 'on-policy dynamic programming'}>
        <select id="qlbs-field-method" data-testid="qlbs-field-method" value={values.method} onChange={(e) => set('method', e.target.value)}>
          <option value="fqi">DP + FQI</option>
          <option value="dp">DP only</option>
        </select>
      </FormField>
      <FormField prefix="qlbs-" name="option" label="Option" error={errorOf('option')} hint="European; the portfolio replicates it">
        <select id="qlbs-field-option" data-testid="qlbs-field-option" value={values.option} onChange={(e) => set('option', e.target.value)}>
          <option value="put">Put</option>
          <option value="call">Call</option>
        </select>
      </FormField>

      {NUMERIC.filter((s) => fqi || !s.fqiOnly).map((s) => (
        <FormField key={s.name} prefix="qlbs-" name={s.name} label={s.label} unit={s.unit} error={errorOf(s.name)} hint={s.hint(values)}>
          <input
            id={`qlbs-field-${s.name}`}
            data-testid={`qlbs-field-${s.name}`}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            spellCheck={false}
            value={values[s.name]}
            aria-invalid={errorOf(s.name) ? true : undefined}
            onChange={(e) => set(s.name, e.target.value)}
          />
        </FormField>
      ))}

      <div className={cx('field', errorOf('driftTerm') && 'field-invalid')}>
        <span />
        <label className={styles.checkbox} htmlFor="qlbs-field-driftTerm">
          <input
            id="qlbs-field-driftTerm"
            data-testid="qlbs-field-driftTerm"
            type="checkbox"
            checked={values.driftTerm}
            onChange={(e) => set('driftTerm', e.target.checked)}
          />
          Include drift term
        </label>
        {errorOf('driftTerm') ? (
          <div className="field-error" role="alert" data-testid="qlbs-error-driftTerm">
            {errorOf('driftTerm')}
          </div>
        ) : (
          <div className="field-hint">Halperin's (e^(μΔt) − e^(rΔt)) S / (2γλ) in B_t: speculative for small λ</div>
        )}
      </div>

      <FormField prefix="qlbs-" name="label" label="Label" error={errorOf('label')} hint="optional, shown in the runs list">
        <input
          id="qlbs-field-label"
          data-testid="qlbs-field-label"
          className={styles.text}
          type="text"
          autoComplete="off"
          maxLength={200}
          placeholder="e.g. reference put"
          value={values.label}
          aria-invalid={errorOf('label') ? true : undefined}
          onChange={(e) => set('label', e.target.value)}
        />
      </FormField>

      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          data-testid="qlbs-start-button"
          disabled={!check.config || busy || !connected}
          title={!connected ? 'Not connected to the host' : invalidCount > 0 ? `Fix ${invalidCount} field${invalidCount > 1 ? 's' : ''} first` : 'Start the run'}
        >
          {busy ? 'Starting…' : 'Start run'}
        </button>
        {invalidCount > 0 && (
          <span className="form-invalid" data-testid="qlbs-form-invalid">
            {invalidCount} invalid field{invalidCount > 1 ? 's' : ''}
          </span>
        )}
      </div>
      {formError && (
        <div className="form-error" role="alert" data-testid="qlbs-form-error">
          {formError}
        </div>
      )}
    </form>
  );
}
