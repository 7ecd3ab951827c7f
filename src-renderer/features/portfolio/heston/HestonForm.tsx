import { useEffect, useMemo, useState } from 'react';
import { type FieldError } from '../../../../src-shared/api/errors';
import { HESTON_SOLVER_NAMES } from '../../../../src-shared/heston/contract';
import { fellerInfo } from '../../../../src-shared/heston/market';
import { fmtSig } from '../../../app/format';
import { FormField } from '../../../components/FormField';
import { WorkEstimate } from '../../../components/WorkEstimate';
import { draftStore } from '../../../forms/draftStore';
import { useCheckedForm } from '../../../forms/useCheckedForm';
import { call } from '../../../ipc/client';
import { type HestonFieldName, type HestonFormValues, type MarketKey, checkHestonForm, formFieldOf, marketOf, parseHestonDraft, parseNum, valuesFrom } from './hestonFormModel';
import { SOLVER_INFO, describeHestonEstimate } from './solverInfo';
import styles from './heston.module.css';

/** The Heston inputs survive a reload and a switch of tabs (they are the screen's only state; nothing is saved elsewhere). */
const drafts = draftStore<HestonFormValues>('heston-market', parseHestonDraft);
const DRAFT_KEY = 'current';

/** 4 significant digits without trailing zeros (1.6, 0.81). */
const short = (x: number): string => String(Number(x.toPrecision(4)));

const pct = (x: number): string => (Number.isFinite(x) && x >= 0 ? `${fmtSig(100 * Math.sqrt(x), 3)}% vol` : '—');

const MARKET_FIELDS: Array<{ name: MarketKey; label: string; unit: string; hint(m: Record<MarketKey, number>): string }> = [
  { name: 's0', label: 'Spot S₀', unit: 'currency', hint: () => 'asset price at t = 0' },
  { name: 'nu0', label: 'Variance ν₀', unit: '/yr', hint: (m) => `√ν₀ = ${pct(m.nu0)} (initial variance, vol²)` },
  { name: 'kappa', label: 'Reversion κ', unit: '/yr', hint: (m) => (m.kappa > 0 ? `half-life ${fmtSig(Math.log(2) / m.kappa, 3)} y` : 'speed of mean reversion of ν') },
  { name: 'nubar', label: 'Long-run ν̄', unit: '/yr', hint: (m) => `√ν̄ = ${pct(m.nubar)} (long-run variance)` },
  { name: 'xi', label: 'Vol of var ξ', unit: '/√yr', hint: () => 'dν = κ(ν̄ − ν)dt + ξ√ν dW₂' },
  { name: 'rho', label: 'Correlation ρ', unit: '1', hint: () => 'corr(dW₁, dW₂), between −1 and 1' },
  { name: 'r', label: 'Rate r', unit: '/yr', hint: (m) => (Number.isFinite(m.r) ? `${fmtSig(100 * m.r, 3)}% per year, continuous` : 'continuously compounded') },
  { name: 'q', label: 'Dividend q', unit: '/yr', hint: (m) => (Number.isFinite(m.q) ? `${fmtSig(100 * m.q, 3)}% per year; drift μ = r − q` : 'continuous dividend yield') },
];

const byField = (fields: FieldError[] | undefined): { byField: Partial<Record<HestonFieldName, string>>; other: string[] } => {
  const out: Partial<Record<HestonFieldName, string>> = {};
  const other: string[] = [];
  for (const f of fields ?? []) {
    const k = formFieldOf(f.field);
    if (k) out[k] = f.message;
    else other.push(`${f.label ?? f.field}: ${f.message}`);
  }
  return { byField: out, other };
};

interface Props {
  connected: boolean;
  onStarted(runId: string): void;
}

/**
 * The Heston market (S0, nu0, kappa, nubar, xi, rho, r, q), the claim (put/call, strike, maturity, European or
 * Bermudan with its number of exercise dates) and the solve settings, checked as the user types with the handler's
 * own schemas; preset H1 (spec heston-osm.md) is the default and one click away. The Feller condition is shown.
 */
export function HestonForm({ connected, onStarted }: Props) {
  const kit = useCheckedForm<HestonFormValues, ReturnType<typeof checkHestonForm>['config'] & object>({
    defaults: drafts.get(DRAFT_KEY)?.value ?? valuesFrom(),
    check: (v) => checkHestonForm(v, (s) => SOLVER_INFO[s].steps),
    split: byField,
    domain: 'heston',
  });
  const { values, check, set, errorOf, busy, formError, submit } = kit;
  const [allowLong, setAllowLong] = useState(false);
  useEffect(() => drafts.put(DRAFT_KEY, values, null), [values]);
  const m = marketOf(values);
  const feller = useMemo(() => (MARKET_FIELDS.every((f) => Number.isFinite(m[f.name])) ? fellerInfo(m) : null), [m.kappa, m.nubar, m.xi]); // eslint-disable-line react-hooks/exhaustive-deps
  const isH1 = JSON.stringify({ ...values, scheme: '', solver: '', steps: '', seed: '', label: '' }) === JSON.stringify({ ...valuesFrom(), scheme: '', solver: '', steps: '', seed: '', label: '' });
  const info = SOLVER_INFO[values.solver] ?? SOLVER_INFO.cpu;
  const N = values.steps.trim() === '' ? info.steps : parseNum(values.steps);
  const T = parseNum(values.maturity);

  const start = (): Promise<void> =>
    submit(async () => {
      if (!check.config) return;
      const { runId } = await call('heston-solve', { ...check.config, ...(allowLong ? { allowLong: true } : {}) });
      onStarted(runId);
    });

  const text = (name: HestonFieldName, label: string, unit: string, hint: string) => (
    <FormField key={name} prefix="heston-" name={name} label={label} unit={unit} error={errorOf(name)} hint={hint}>
      <input
        id={`heston-field-${name}`}
        data-testid={`heston-field-${name}`}
        value={values[name]}
        inputMode="decimal"
        autoComplete="off"
        aria-invalid={errorOf(name) ? true : undefined}
        onChange={(e) => set(name, e.target.value as never)}
      />
    </FormField>
  );

  return (
    <form
      className={styles.form}
      data-testid="heston-form"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <div className="panel-title">
        Heston market
        <span className="spacer" />
        <button type="button" className="small" data-testid="heston-preset-h1" disabled={isH1} title="S₀ 10, ν₀ 0.0625, κ 5, ν̄ 0.16, ξ 0.9, ρ 0.1, r 0.1, q 0; Bermudan put K 11, T 0.3 y, 12 dates" onClick={() => kit.form.reset({ ...valuesFrom(), scheme: values.scheme, solver: values.solver, seed: values.seed })}>
          {isH1 ? 'Preset H1' : 'Reset to H1'}
        </button>
      </div>
      {MARKET_FIELDS.map((f) => text(f.name, f.label, f.unit, f.hint(m)))}
      <div className={feller?.holds === false ? styles.fellerFails : styles.feller} data-testid="heston-feller" data-holds={feller ? String(feller.holds) : undefined}>
        {feller ? (
          <>
            <b>Feller {feller.holds ? 'holds' : 'fails'}:</b> 2κν̄ = {short(feller.lhs)} {feller.holds ? '≥' : '<'} ξ² = {short(feller.rhs)} (per yr²) — {feller.meaning}.
          </>
        ) : (
          'Feller condition 2κν̄ ≥ ξ²: fill κ, ν̄ and ξ.'
        )}
      </div>
      <div className="panel-title">Claim</div>
      <FormField prefix="heston-" name="kind" label="Option" error={errorOf('kind')} hint="the holder's right; the book is short it">
        <select id="heston-field-kind" data-testid="heston-field-kind" value={values.kind} onChange={(e) => set('kind', e.target.value as 'put' | 'call')}>
          <option value="put">put</option>
          <option value="call">call</option>
        </select>
      </FormField>
      {text('strike', 'Strike K', 'currency', Number.isFinite(m.s0) && parseNum(values.strike) > 0 ? `K/S₀ = ${fmtSig(parseNum(values.strike) / m.s0, 4)}` : 'strike price')}
      {text('maturity', 'Maturity T', 'years', Number.isFinite(T) && T > 0 ? `${fmtSig(T * 365, 4)} calendar days` : 'years (365-day year)')}
      <FormField prefix="heston-" name="exercise" label="Exercise" error={undefined} hint={values.exercise === 'european' ? 'at maturity only' : 'equidistant dates t = k·T/E, k = 1..E'}>
        <select id="heston-field-exercise" data-testid="heston-field-exercise" value={values.exercise} onChange={(e) => set('exercise', e.target.value as 'european' | 'bermudan')}>
          <option value="european">European</option>
          <option value="bermudan">Bermudan</option>
        </select>
      </FormField>
      {values.exercise === 'bermudan' && text('exerciseDates', 'Exercise dates E', 'dates', Number.isFinite(T) && parseNum(values.exerciseDates) >= 1 ? `every ${fmtSig(T / parseNum(values.exerciseDates), 3)} y` : 'number of exercise dates')}
      <div className="panel-title">Solve (deep BSDE)</div>
      <FormField prefix="heston-" name="scheme" label="Scheme" error={errorOf('scheme')} hint="RDBDP: second-order Greeks by autodiff">
        <select id="heston-field-scheme" data-testid="heston-field-scheme" value={values.scheme} onChange={(e) => set('scheme', e.target.value as 'osm' | 'rdbdp')}>
          <option value="osm">OSM — One Step Malliavin</option>
          <option value="rdbdp">RDBDP — Huré et al.</option>
        </select>
      </FormField>
      <FormField prefix="heston-" name="solver" label="Size" error={errorOf('solver')} hint={info.title}>
        <select id="heston-field-solver" data-testid="heston-field-solver" value={values.solver} onChange={(e) => set('solver', e.target.value as 'quick' | 'cpu')}>
          {HESTON_SOLVER_NAMES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </FormField>
      {text('steps', 'Time steps N', 'steps', Number.isFinite(T) && N > 0 ? `blank = ${info.steps}; dt = ${fmtSig(T / N, 3)} y` : `blank = the preset's ${info.steps}`)}
      {text('seed', 'Seed', 'int', 'same seed → same run')}
      {text('label', 'Label', '', 'optional, shown in the run list')}
      {check.config && <WorkEstimate text={describeHestonEstimate(values.solver, values.scheme, N)} allowLong={allowLong} onAllowLong={setAllowLong} />}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="heston-solve" disabled={!check.config || busy || !connected}>
          {busy ? 'Starting…' : 'Solve'}
        </button>
        {!check.config && (
          <span className="form-invalid" data-testid="heston-blocked">
            Fix the fields in red first.
          </span>
        )}
      </div>
      {formError && (
        <div className="form-error" role="alert" data-testid="heston-error">
          {formError}
        </div>
      )}
    </form>
  );
}
