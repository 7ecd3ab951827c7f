import { type ReactNode } from 'react';
import { fmtPlain, fmtSig } from '../../app/format';
import { FormField } from '../../components/FormField';
import { type DelayMode, type FieldErrors, type FieldName, type FormValues, type VarianceMode, defaultValues, parseNumber } from './formModel';
import styles from './semistatic.module.css';
import { cx } from '../../styles/cx';

interface Props {
  values: FormValues;
  onChange(v: FormValues): void;
  errors: FieldErrors;
}

const num = (v: FormValues, f: FieldName): number | undefined => {
  const x = parseNumber(v.text[f]);
  return x !== undefined && Number.isFinite(x) ? x : undefined;
};

/** The problem's inputs: n, the delay (steps or fraction), sigma, sigmahat (or the ratio), mu, S0, gamma. */
export function SemistaticForm({ values, onChange, errors }: Props) {
  const set = (f: FieldName, text: string): void => onChange({ ...values, text: { ...values.text, [f]: text } });
  const n = num(values, 'n');
  const sigma = num(values, 'sigma');

  const setDelayMode = (m: DelayMode): void => {
    if (m === values.delayMode) return;
    const text = { ...values.text };
    // Carry the current delay over to the other unit.
    if (m === 'fraction' && n && num(values, 'delay') !== undefined) text.delayFraction = fmtPlain(num(values, 'delay')! / n);
    if (m === 'steps' && n && num(values, 'delayFraction') !== undefined) text.delay = String(Math.round(num(values, 'delayFraction')! * n));
    onChange({ ...values, delayMode: m, text });
  };
  const setVarianceMode = (m: VarianceMode): void => {
    if (m === values.varianceMode) return;
    const text = { ...values.text };
    if (m === 'sigmahat' && sigma && num(values, 'ratio2') !== undefined && num(values, 'ratio2')! > 0) text.sigmahat = fmtPlain(sigma * Math.sqrt(num(values, 'ratio2')!));
    if (m === 'ratio' && sigma && num(values, 'sigmahat') !== undefined) text.ratio2 = fmtPlain((num(values, 'sigmahat')! / sigma) ** 2);
    onChange({ ...values, varianceMode: m, text });
  };

  const delaySteps = values.delayMode === 'steps' ? num(values, 'delay') : n !== undefined && num(values, 'delayFraction') !== undefined ? Math.round(num(values, 'delayFraction')! * n) : undefined;
  const ratio = values.varianceMode === 'ratio' ? num(values, 'ratio2') : sigma && num(values, 'sigmahat') !== undefined ? (num(values, 'sigmahat')! / sigma) ** 2 : undefined;

  const input = (f: FieldName, label: string, unit: string, hint: string): ReactNode => (
    <FormField prefix="ss-" name={f} label={label} unit={unit} error={errors[f]} hint={hint}>
      <input
        id={`ss-field-${f}`}
        data-testid={`ss-field-${f}`}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={values.text[f]}
        aria-invalid={errors[f] ? true : undefined}
        onChange={(e) => set(f, e.target.value)}
      />
    </FormField>
  );

  return (
    <form className="hedge-form" data-testid="ss-form" onSubmit={(e) => e.preventDefault()} noValidate>
      <div className="panel-title">
        Delayed semistatic hedging
        <button type="button" className="link-button" data-testid="ss-defaults" title="The spec's example: n=10, D=2, σ=1.3, s2=0.7, μ=0.1" onClick={() => onChange(defaultValues())}>
          defaults
        </button>
      </div>
      {input('n', 'Steps n', 'steps', n !== undefined && n > 0 ? `${fmtPlain(n)} rebalancing dates; closed form up to 1,000,000` : 'number of trading dates')}

      <Toggle
        testId="ss-delay-mode"
        label="Delay in"
        options={[
          ['steps', 'steps D'],
          ['fraction', 'fraction H'],
        ]}
        value={values.delayMode}
        onChange={(m) => setDelayMode(m as DelayMode)}
      />
      {values.delayMode === 'steps'
        ? input('delay', 'Delay D', 'steps', delaySteps !== undefined && n ? `H = D/n = ${fmtSig(delaySteps / n, 4)}; the position for step i uses X₁ … X(i−1−D)` : '0 ≤ D < n')
        : input('delayFraction', 'Delay H', 'of T', delaySteps !== undefined ? `D = round(H n) = ${delaySteps} steps` : '0 ≤ H < 1, a fraction of the horizon')}

      {input('sigma', 'Volatility σ', 'money/step', 'std of one step’s price change (investor’s model)')}
      <Toggle
        testId="ss-variance-mode"
        label="Market var. in"
        options={[
          ['ratio', 'ratio s2'],
          ['sigmahat', 'σ̂'],
        ]}
        value={values.varianceMode}
        onChange={(m) => setVarianceMode(m as VarianceMode)}
      />
      {values.varianceMode === 'ratio'
        ? input('ratio2', 'Ratio s2', 'σ̂²/σ²', ratio !== undefined && sigma ? `σ̂ = ${fmtSig(sigma * Math.sqrt(Math.max(0, ratio)), 4)} money/step; claims priced with S_n ~ N(S₀, σ̂² n)` : 'market variance over yours')
        : input('sigmahat', 'Market σ̂', 'money/step', ratio !== undefined ? `s2 = σ̂²/σ² = ${fmtSig(ratio, 4)}` : 'the market prices claims with S_n ~ N(S₀, σ̂² n)')}
      {input('mu', 'Drift μ', 'money/step', sigma && num(values, 'mu') !== undefined ? `Merton fraction μ/σ² = ${fmtSig(num(values, 'mu')! / (sigma * sigma), 4)} shares (γ = 1)` : 'mean of one step’s price change')}
      {input('s0', 'Price S₀', 'money', 'centre of the quadratic claim (default 100)')}
      {input('riskAversion', 'Risk aversion γ', '1/money', 'utility −exp(−γ V); the spec takes γ = 1 (default)')}
      <p className={cx('note', styles.note)}>
        Increments X_i ~ N(μ, σ²) i.i.d. per step; the investor trades the stock seeing prices D steps late and may buy any
        claim f(S_n) at the market’s price. Results update as you type.
      </p>
    </form>
  );
}

function Toggle(props: { testId: string; label: string; options: Array<[string, string]>; value: string; onChange(v: string): void }) {
  return (
    <div className="field">
      <span className={styles.toggleLabel}>{props.label}</span>
      <div className={styles.toggle} role="radiogroup" aria-label={props.label} data-testid={props.testId}>
        {props.options.map(([v, text]) => (
          <button
            key={v}
            type="button"
            role="radio"
            aria-checked={props.value === v}
            className={cx('small', props.value === v && styles.active)}
            data-testid={`${props.testId}-${v}`}
            onClick={() => props.onChange(v)}
          >
            {text}
          </button>
        ))}
      </div>
    </div>
  );
}
