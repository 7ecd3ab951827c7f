import { useEffect, useMemo, useState } from 'react';
import { fmtInt, fmtPlain, fmtSig } from '../../app/format';
import { useSubmit } from '../../hooks/useSubmit';
import { call } from '../../ipc/client';
import { type FieldKey, type HedgeValues, checkForm, closedFormIssue, defaultValues, rebalanceChoices, serverFieldErrors } from './hedgeFormModel';
import { type SolveRun, solveScheme, solveSteps } from './runs';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

interface Props {
  solve: SolveRun | null;
  connected: boolean;
  onStarted(runId: string): void;
}

interface FieldProps {
  k: FieldKey;
  label: string;
  unit?: string;
  hint: string;
  values: HedgeValues;
  errors: Partial<Record<FieldKey, string>>;
  onChange(k: FieldKey, v: string): void;
  disabled?: boolean;
  placeholder?: string;
  numeric?: boolean;
  /** Shown instead of the typed value (a disabled field showing what applies). */
  shownValue?: string;
}

const fid = (k: FieldKey): string => `rb-field-${k.replace('instruments.', '')}`;

function Field({ k, label, unit, hint, values, errors, onChange, disabled, placeholder, numeric = true, shownValue }: FieldProps) {
  const err = errors[k];
  return (
    <div className={err ? 'field field-invalid' : 'field'}>
      <label htmlFor={fid(k)}>{label}</label>
      <div className="field-input">
        <input
          id={fid(k)}
          data-testid={fid(k)}
          value={shownValue ?? values[k]}
          disabled={disabled}
          placeholder={placeholder}
          inputMode={numeric ? 'decimal' : undefined}
          className={numeric ? undefined : styles.textInput}
          autoComplete="off"
          onChange={(e) => onChange(k, e.target.value)}
        />
        {unit && <span className="field-unit">{unit}</span>}
      </div>
      <div className={err ? 'field-error' : 'field-hint'} data-testid={err ? `rb-error-${k.replace('instruments.', '')}` : undefined}>
        {err ?? hint}
      </div>
    </div>
  );
}

/**
 * Hedge a finished solve run along simulated paths: strategy, Greek source, path grid and R (only divisors
 * of N offered), paths, the gamma instruments and the seed. Checked against the contract before sending;
 * server field errors are shown at their field.
 */
export function HedgeForm({ solve, connected, onStarted }: Props) {
  const [values, setValues] = useState<HedgeValues>(defaultValues);
  const { busy, formError, serverErrors, submit, clearErrors, clearField } = useSubmit(serverFieldErrors);

  const facts = useMemo(
    () => (solve?.metrics ? { solveRunId: solve.id, steps: solveSteps(solve), horizon: solve.metrics.horizon, closedFormIssue: closedFormIssue(solve.config.book.options) } : null),
    [solve],
  );
  const check = useMemo(() => (facts ? checkForm(values, facts) : null), [values, facts]);
  const choices = useMemo(() => rebalanceChoices(check?.N ?? NaN), [check?.N]);

  // A new solve run: keep the settings, but move R to a divisor of the new grid if it no longer fits.
  useEffect(() => {
    clearErrors();
    if (!facts) return;
    setValues((v) => {
      const N = v.greeks === 'closed-form' && v.steps.trim() !== '' ? Number(v.steps) : facts.steps;
      const r = Number(v.rebalance);
      if (Number.isInteger(N) && N > 0 && N % r !== 0) {
        const fit = rebalanceChoices(N).filter((c) => c.r <= r);
        return { ...v, rebalance: String(fit.length ? fit[fit.length - 1].r : 1) };
      }
      return v;
    });
  }, [facts]);

  const set = (k: FieldKey, v: string): void => {
    setValues((x) => ({ ...x, [k]: v }));
    clearField(k);
  };

  const errors = { ...serverErrors, ...(check?.errors ?? {}) };
  const closed = values.greeks === 'closed-form';
  const dg = values.strategy === 'delta-gamma';
  const blocked = !solve ? 'Pick a finished solve run above.' : !solve.metrics ? 'The solve run has no results.' : !connected ? 'Not connected to the host.' : null;
  const ok = !!check?.request && !blocked;

  const start = async (): Promise<void> => {
    const request = check?.request;
    if (!request) return;
    await submit(async () => {
      const { runId } = await call('bsde-hedge', request);
      onStarted(runId);
    });
  };

  const d = solve?.config.book.assets.length ?? 0;
  const R = Number(values.rebalance);
  const T = solve?.metrics?.horizon ?? NaN;
  const fieldProps = { values, errors, onChange: set };

  return (
    <form
      className={styles.form}
      data-testid="rb-hedge-form"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <div className="panel-title">Hedge along simulated paths</div>
      <div className="field">
        <label htmlFor="rb-field-strategy">Strategy</label>
        <div className="field-input">
          <select id="rb-field-strategy" data-testid="rb-field-strategy" value={values.strategy} onChange={(e) => set('strategy', e.target.value)}>
            <option value="delta-gamma">delta-gamma</option>
            <option value="delta">delta</option>
          </select>
        </div>
        <div className="field-hint">{dg ? 'assets + gamma instruments (puts, exchange calls)' : 'assets and cash only'}</div>
      </div>
      <div className={errors.greeks ? 'field field-invalid' : 'field'}>
        <label htmlFor="rb-field-greeks">Greeks</label>
        <div className="field-input">
          <select id="rb-field-greeks" data-testid="rb-field-greeks" value={values.greeks} onChange={(e) => set('greeks', e.target.value)}>
            <option value="network">network ({solveScheme(solve ?? undefined)?.toUpperCase() ?? 'solve'})</option>
            <option value="closed-form">closed form</option>
          </select>
        </div>
        <div className={errors.greeks ? 'field-error' : 'field-hint'} data-testid={errors.greeks ? 'rb-error-greeks' : undefined}>
          {errors.greeks ?? (closed ? 'reference: the hedge with exact Greeks' : 'Δ and Γ from the trained networks at every date')}
        </div>
      </div>
      <Field
        k="steps"
        label="Grid N"
        unit="steps"
        hint={closed ? `path grid; blank = the solve's N${facts ? ` (${facts.steps})` : ''}` : `network Greeks use the solve's grid N = ${facts?.steps ?? '—'}`}
        placeholder={facts ? String(facts.steps) : ''}
        disabled={!closed}
        shownValue={closed ? undefined : facts ? String(facts.steps) : ''}
        {...fieldProps}
      />
      <div className={errors.rebalance ? 'field field-invalid' : 'field'}>
        <label htmlFor="rb-field-rebalance">Rebalance R</label>
        <div className="field-input">
          <select id="rb-field-rebalance" data-testid="rb-field-rebalance" value={values.rebalance} onChange={(e) => set('rebalance', e.target.value)}>
            {!choices.some((c) => String(c.r) === values.rebalance) && <option value={values.rebalance}>{values.rebalance} (does not divide N)</option>}
            {choices.map((c) => (
              <option key={c.r} value={String(c.r)}>
                {c.r}
                {c.preset ? '' : ' (divisor of N)'}
              </option>
            ))}
          </select>
          <span className="field-unit">dates</span>
        </div>
        <div className={errors.rebalance ? 'field-error' : 'field-hint'} data-testid={errors.rebalance ? 'rb-error-rebalance' : undefined}>
          {errors.rebalance ??
            (Number.isFinite(T) && R > 0 ? `every ${fmtSig(T / R, 3)} y (${fmtSig((365 * T) / R, 3)} calendar days); presets 1–120 where they divide N` : 'divisors of N')}
        </div>
      </div>
      <Field k="paths" label="Paths" unit="paths" hint="test paths (16 – 65,536)" {...fieldProps} />
      <fieldset className={styles.fieldset} disabled={!dg}>
        <legend>Gamma instruments {dg ? '' : '(delta-gamma only)'}</legend>
        <Field k="instruments.maturity" label="Maturity T̃" unit="years" hint={`at least T = ${Number.isFinite(T) ? fmtPlain(T) : '—'} y (source: 4 y)`} {...fieldProps} />
        <Field k="instruments.putMoneyness" label="Put strike" unit="× S₀" hint="one European put per asset, K = m · S₀" {...fieldProps} />
        <Field k="instruments.exchangeRatio" label="Exchange k" unit="ratio" hint="max(S_a − k S_b, 0) per pair a < b" {...fieldProps} />
        {d > 0 && (
          <div className={cx('muted', styles.formNote)} data-testid="rb-form-note">
            {d} put{d === 1 ? '' : 's'} + {fmtInt((d * (d - 1)) / 2)} exchange call{d === 2 ? '' : 's'}: weights by LSQR at every date
          </div>
        )}
      </fieldset>
      <Field k="seed" label="Seed" unit="int" hint="same seed → same paths" {...fieldProps} />
      <Field k="label" label="Label" hint="optional" numeric={false} placeholder="optional" {...fieldProps} />
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="rb-hedge-start" disabled={!ok || busy}>
          {busy ? 'Starting…' : 'Start hedge'}
        </button>
        {blocked && (
          <span className="form-invalid" data-testid="rb-hedge-blocked">
            {blocked}
          </span>
        )}
      </div>
      {formError && (
        <div className="form-error" role="alert" data-testid="rb-hedge-error">
          {formError}
        </div>
      )}
    </form>
  );
}
