import { useEffect, useMemo, useState } from 'react';
import {
  DEFAULT_SOLVER,
  SCHEMES,
  SOLVER_PRESETS,
  type SolverConfig,
  checkSolve,
  gridHorizon,
  progressTotal,
  solveSizes,
  solverConfigSchema,
} from '../../../src-shared/bsde/config';
import { type FieldError } from '../../../src-shared/api/errors';
import { type BookContent } from '../../../src-shared/portfolio/book';
import { describeEstimate, estimateBsde } from '../../../src-shared/limits/estimate';
import { fmtInt } from '../../app/format';
import { WorkEstimate } from '../../components/WorkEstimate';
import { useSubmit } from '../../hooks/useSubmit';
import { call } from '../../ipc/client';
import styles from './portfolio.module.css';
import { cx } from '../../styles/cx';

type Values = Record<keyof Omit<SolverConfig, 'scheme' | 'refit'>, string> & { scheme: SolverConfig['scheme']; refit: boolean; label: string };

const toValues = (c: SolverConfig): Values => ({
  scheme: c.scheme,
  refit: c.refit,
  steps: String(c.steps),
  horizon: c.horizon === null ? '' : String(c.horizon),
  width: String(c.width),
  depth: String(c.depth),
  batch: String(c.batch),
  iterationsLast: String(c.iterationsLast),
  iterationsOther: String(c.iterationsOther),
  learningRate: String(c.learningRate),
  learningRateEnd: String(c.learningRateEnd),
  samplesT0: String(c.samplesT0),
  seed: String(c.seed),
  label: '',
});

/** Every server field error at its field (the form shows the ones it has a field for). */
const byName = (fields: FieldError[] | undefined) => ({ byField: Object.fromEntries((fields ?? []).map((f) => [f.field, f.message])), other: [] });

const parse = (t: string): number => (t.trim() === '' ? NaN : Number(t.trim()));

const FIELDS: Array<{ name: keyof Values & keyof SolverConfig; label: string; unit: string; hint: string }> = [
  { name: 'steps', label: 'Time steps N', unit: 'steps', hint: 'grid t_n = n T/N; exercise dates must lie on it' },
  { name: 'horizon', label: 'Horizon T', unit: 'years', hint: 'blank = the longest maturity' },
  { name: 'width', label: 'Width', unit: 'units', hint: 'units per hidden layer (tanh)' },
  { name: 'depth', label: 'Depth', unit: 'layers', hint: 'hidden layers' },
  { name: 'batch', label: 'Batch', unit: 'samples', hint: 'fresh samples per Adam step' },
  { name: 'iterationsLast', label: 'Iter. last step', unit: 'steps', hint: 'Adam steps at n = N−1 (from scratch)' },
  { name: 'iterationsOther', label: 'Iter. others', unit: 'steps', hint: 'Adam steps at the other n (transfer learning)' },
  { name: 'learningRate', label: 'Learning rate', unit: 'start', hint: 'Adam, decaying exponentially within a step' },
  { name: 'learningRateEnd', label: 'LR end', unit: 'end', hint: 'learning rate at the end of each step' },
  { name: 'samplesT0', label: 'Samples t = 0', unit: 'samples', hint: 'Monte Carlo samples of the exact t = 0 regression' },
  { name: 'seed', label: 'Seed', unit: 'int', hint: 'same seed → same run' },
];

interface Props {
  book: BookContent;
  bookId: string | null;
  version: number | null;
  /** Unsaved edits: runs solve a stored version. */
  dirty: boolean;
  bookValid: boolean;
  connected: boolean;
  onStarted(runId: string): void;
  /** Book cells the grid check found (maturity beyond the grid, exercise dates off it). */
  onGridIssues(issues: Array<{ path: string; message: string }>): void;
}

/** The solve form: scheme, grid, networks and Adam budget; checked against the book before it is sent. */
export function SolveForm({ book, bookId, version, dirty, bookValid, connected, onStarted, onGridIssues }: Props) {
  const [values, setValues] = useState<Values>(() => toValues(DEFAULT_SOLVER));
  const [preset, setPreset] = useState<string>('cpu');
  const { busy, formError: serverError, serverErrors: serverFields, submit, clearErrors } = useSubmit(byName);

  /** Start even when the estimate is over the host's limits (power users; the server refuses otherwise). */
  const [allowLong, setAllowLong] = useState(false);
  const check = useMemo(() => {
    const raw = {
      scheme: values.scheme,
      refit: values.refit,
      steps: parse(values.steps),
      horizon: values.horizon.trim() === '' ? null : parse(values.horizon),
      width: parse(values.width),
      depth: parse(values.depth),
      batch: parse(values.batch),
      iterationsLast: parse(values.iterationsLast),
      iterationsOther: parse(values.iterationsOther),
      learningRate: parse(values.learningRate),
      learningRateEnd: parse(values.learningRateEnd),
      samplesT0: parse(values.samplesT0),
      seed: parse(values.seed),
    };
    const r = solverConfigSchema.safeParse(raw);
    const fieldErrors: Record<string, string> = {};
    if (!r.success) for (const i of r.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
    const cfg = r.success ? r.data : null;
    const grid = cfg && bookValid ? checkSolve(book, cfg) : [];
    for (const g of grid) if (g.path[0] !== 'options') fieldErrors[String(g.path[0])] ??= g.message;
    const bookIssues = grid.filter((g) => g.path[0] === 'options').map((g) => ({ path: g.path.join('.'), message: g.message }));
    return { cfg, fieldErrors, bookIssues };
  }, [values, book, bookValid]);

  const gridKey = JSON.stringify(check.bookIssues);
  useEffect(() => onGridIssues(check.bookIssues), [gridKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = (k: keyof Values, v: string | boolean): void => {
    setValues((x) => ({ ...x, [k]: v }));
    setPreset('custom');
    clearErrors();
  };
  const applyPreset = (p: string): void => {
    setPreset(p);
    const s = SOLVER_PRESETS[p as keyof typeof SOLVER_PRESETS];
    if (s) setValues((x) => ({ ...toValues({ ...DEFAULT_SOLVER, ...s.config, scheme: x.scheme, seed: Number(x.seed) || 1 }), label: x.label }));
  };

  const blocked = !bookId
    ? 'Save the book first: a run solves a stored book version.'
    : dirty
      ? 'Save your edits first: a run solves a stored book version.'
      : !bookValid
        ? 'Fix the book (red cells) first.'
        : check.bookIssues.length
          ? check.bookIssues[0].message
          : null;
  const ok = !!check.cfg && Object.keys(check.fieldErrors).length === 0 && !blocked && connected;

  const start = async (): Promise<void> => {
    const cfg = check.cfg;
    if (!cfg || !bookId) return;
    await submit(async () => {
      const { runId } = await call('bsde-solve', { bookId, version, ...cfg, ...(values.label.trim() ? { label: values.label.trim() } : {}), ...(allowLong ? { allowLong: true } : {}) });
      onStarted(runId);
    });
  };

  const sizes = check.cfg ? solveSizes(book.assets.length, book.options.length, check.cfg) : null;
  const estimate = check.cfg ? estimateBsde({ ...check.cfg, d: book.assets.length }) : null;
  const work = check.cfg ? progressTotal(check.cfg) : null;
  const T = book.options.length ? gridHorizon(book, check.cfg?.horizon ?? null) : NaN;

  return (
    <form
      className={styles.solveForm}
      data-testid="solve-form"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <div className="panel-title">Solve (deep BSDE)</div>
      <div className="field">
        <label htmlFor="solve-field-scheme">Scheme</label>
        <div className="field-input">
          <select id="solve-field-scheme" data-testid="solve-field-scheme" value={values.scheme} onChange={(e) => set('scheme', e.target.value)}>
            {SCHEMES.map((s) => (
              <option key={s} value={s}>
                {s === 'osm' ? 'OSM — One Step Malliavin (prices, Δ, Γ)' : 'RDBDP — Huré et al. (Γ by autodiff)'}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="solve-field-preset">Size</label>
        <div className="field-input">
          <select id="solve-field-preset" data-testid="solve-field-preset" value={preset} onChange={(e) => applyPreset(e.target.value)}>
            {Object.entries(SOLVER_PRESETS).map(([k, p]) => (
              <option key={k} value={k}>
                {p.title}
              </option>
            ))}
            <option value="custom">custom</option>
          </select>
        </div>
      </div>
      {FIELDS.map((f) => {
        const err = check.fieldErrors[f.name] ?? serverFields[f.name];
        return (
          <div key={f.name} className={err ? 'field field-invalid' : 'field'}>
            <label htmlFor={`solve-field-${f.name}`}>{f.label}</label>
            <div className="field-input">
              <input
                id={`solve-field-${f.name}`}
                data-testid={`solve-field-${f.name}`}
                value={values[f.name] as string}
                placeholder={f.name === 'horizon' ? (Number.isFinite(T) ? `${T} (auto)` : 'auto') : undefined}
                onChange={(e) => set(f.name, e.target.value)}
                inputMode="decimal"
                autoComplete="off"
              />
              <span className="field-unit">{f.unit}</span>
            </div>
            <div className={err ? 'field-error' : 'field-hint'} data-testid={err ? `solve-error-${f.name}` : undefined}>
              {err ?? f.hint}
            </div>
          </div>
        );
      })}
      <div className="field">
        <label htmlFor="solve-field-refit">Refit</label>
        <label className={styles.check}>
          <input id="solve-field-refit" data-testid="solve-field-refit" type="checkbox" checked={values.refit} onChange={(e) => set('refit', e.target.checked)} />
          least-squares output layer after Adam
        </label>
      </div>
      <div className="field">
        <label htmlFor="solve-field-label">Label</label>
        <div className="field-input">
          <input id="solve-field-label" data-testid="solve-field-label" value={values.label} maxLength={120} placeholder="optional" onChange={(e) => set('label', e.target.value)} />
        </div>
      </div>
      <div className={cx(styles.solveSummary, 'muted')} data-testid="solve-summary">
        {check.cfg && sizes && work
          ? `dt = ${(T / check.cfg.steps).toPrecision(3)} y · ${fmtInt(work.train)} Adam steps · ${fmtInt(sizes.paramsPerStep)} parameters per step · ~${(sizes.bytes.total / 1e6).toFixed(0)} MB`
          : '—'}
      </div>
      {estimate && <WorkEstimate text={describeEstimate(estimate)} allowLong={allowLong} onAllowLong={setAllowLong} />}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="solve-start" disabled={!ok || busy}>
          {busy ? 'Starting…' : 'Solve'}
        </button>
        {blocked && (
          <span className="form-invalid" data-testid="solve-blocked">
            {blocked}
          </span>
        )}
      </div>
      {serverError && (
        <div className="form-error" role="alert" data-testid="solve-error">
          {serverError}
        </div>
      )}
    </form>
  );
}
