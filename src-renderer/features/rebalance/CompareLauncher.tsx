import { useEffect, useMemo, useState } from 'react';
import { SOLVER_PRESETS } from '../../../src-shared/bsde/config';
import { CLOSED_FORM_STEPS, COMPARISON_PLANS, DEFAULT_INSTRUMENTS, GREEK_SOURCES, type GreekSource, MAX_HEDGE_PATHS, REBALANCE_PRESETS, STRATEGIES } from '../../../src-shared/bsde/hedge';
import { type BookSummary } from '../../../src-shared/portfolio/contract';
import { fmtInt } from '../../app/format';
import { appErrorOf, call } from '../../ipc/client';
import { type SolveRun, solveSteps, solveTitle } from './runs';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

type PresetKey = keyof typeof COMPARISON_PLANS;
type SolverPreset = keyof typeof SOLVER_PRESETS;

interface Props {
  connectionOpens: number;
  connected: boolean;
  solves: SolveRun[];
  /** Pre-selected solve run for "compare a finished solve". */
  solveRunId: string | null;
  onStarted(groupId: string): void;
}

const DEFAULT_STEPS = 24;

const intIn = (t: string, lo: number, hi: number): number | null => {
  const x = Number(t.trim());
  return t.trim() !== '' && Number.isInteger(x) && x >= lo && x <= hi ? x : null;
};

/**
 * One action per preset book (solve it with each scheme of its plan, then hedge every Greek source x
 * strategy x R cell), and a comparison on a finished solve run. Shared settings: solver size and grid N,
 * paths, closed-form grid, seed.
 */
export function CompareLauncher({ connectionOpens, connected, solves, solveRunId, onStarted }: Props) {
  const [books, setBooks] = useState<BookSummary[] | null>(null);
  const [booksError, setBooksError] = useState<string | null>(null);
  const [solver, setSolver] = useState<SolverPreset>('cpu');
  const [stepsText, setStepsText] = useState(String(DEFAULT_STEPS));
  const [pathsText, setPathsText] = useState('4096');
  const [cfStepsText, setCfStepsText] = useState(String(CLOSED_FORM_STEPS));
  const [seedText, setSeedText] = useState('7');
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pick, setPick] = useState<string>(solveRunId ?? '');
  const [greeks, setGreeks] = useState<GreekSource[]>(['network', 'closed-form']);

  useEffect(() => {
    if (connectionOpens === 0) return;
    call('portfolio-list', {})
      .then((b) => {
        setBooks(b);
        setBooksError(null);
      })
      .catch((e) => setBooksError(appErrorOf(e).message));
  }, [connectionOpens]);
  useEffect(() => {
    if (solveRunId) setPick(solveRunId);
  }, [solveRunId]);

  const done = useMemo(() => solves.filter((s) => s.status === 'done' && s.metrics), [solves]);
  useEffect(() => {
    if (!pick && done.length) setPick(done[0].id);
  }, [pick, done]);
  const presetBooks = useMemo(() => (books ?? []).filter((b) => b.preset && b.preset in COMPARISON_PLANS).sort((a, b) => a.name.localeCompare(b.name)), [books]);

  const steps = intIn(stepsText, 1, 500);
  const paths = intIn(pathsText, 16, MAX_HEDGE_PATHS);
  const cfSteps = intIn(cfStepsText, 1, 1000);
  const seed = intIn(seedText, 0, 2 ** 32 - 1);
  const fieldErr = {
    steps: steps === null ? 'N must be a whole number 1 – 500' : null,
    paths: paths === null ? `paths must be a whole number 16 – ${fmtInt(MAX_HEDGE_PATHS)}` : null,
    cfSteps: cfSteps === null ? 'N must be a whole number 1 – 1000' : null,
    seed: seed === null ? 'seed must be a whole number ≥ 0' : null,
  };
  const valid = steps !== null && paths !== null && cfSteps !== null && seed !== null;
  const fitting = steps ? REBALANCE_PRESETS.filter((r) => steps % r === 0) : [];

  const run = async (key: string, req: Parameters<typeof call<'bsde-compare'>>[1]): Promise<void> => {
    setBusy(key);
    setErrors((e) => ({ ...e, [key]: '' }));
    try {
      const res = await call('bsde-compare', req);
      onStarted(res.groupId);
    } catch (e) {
      const err = appErrorOf(e);
      setErrors((x) => ({ ...x, [key]: [err.message, ...(err.fields ?? []).map((f) => `${f.label ?? f.field}: ${f.message}`)].filter((v, i, a) => a.indexOf(v) === i).join(' · ') }));
    } finally {
      setBusy(null);
    }
  };

  const comparePreset = (b: BookSummary): void => {
    if (!valid) return;
    const plan = COMPARISON_PLANS[b.preset as PresetKey];
    void run(b.bookId, {
      label: `${b.name} — ${plan.title}`,
      solve: { bookId: b.bookId, version: null, schemes: plan.schemes, ...SOLVER_PRESETS[solver].config, steps: steps!, seed: seed! },
      greeks: plan.greeks,
      strategies: plan.strategies,
      rebalance: plan.rebalance,
      paths: paths!,
      closedFormSteps: cfSteps,
      instruments: DEFAULT_INSTRUMENTS,
      seed: seed!,
    });
  };

  const picked = done.find((s) => s.id === pick);
  const compareSolve = (): void => {
    if (!valid || !picked) return;
    void run('solve', {
      label: `${picked.config.book.name} — delta versus delta-gamma across R`,
      solveRunIds: [picked.id],
      greeks,
      strategies: [...STRATEGIES],
      rebalance: [...REBALANCE_PRESETS],
      paths: paths!,
      closedFormSteps: cfSteps,
      instruments: DEFAULT_INSTRUMENTS,
      seed: seed!,
    });
  };

  const input = (id: string, label: string, value: string, set: (v: string) => void, unit: string, hint: string, err: string | null) => (
    <div className={err ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <div className="field-input">
        <input id={id} data-testid={id} value={value} onChange={(e) => set(e.target.value)} inputMode="numeric" autoComplete="off" />
        <span className="field-unit">{unit}</span>
      </div>
      <div className={err ? 'field-error' : 'field-hint'}>{err ?? hint}</div>
    </div>
  );

  return (
    <div className={cx(styles.form, styles.launcher)} data-testid="rb-compare-launcher">
      <div className="panel-title">New comparison</div>
      <div className="field">
        <label htmlFor="rb-cmp-solver">Solver</label>
        <div className="field-input">
          <select id="rb-cmp-solver" data-testid="rb-cmp-solver" value={solver} onChange={(e) => setSolver(e.target.value as SolverPreset)}>
            {Object.keys(SOLVER_PRESETS).map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="field-hint">{SOLVER_PRESETS[solver].title.replace(/^\w+ — /, '')}</div>
      </div>
      {input('rb-cmp-steps', 'Solve grid N', stepsText, setStepsText, 'steps', `R that fit the networks: ${fitting.join(', ') || '—'}`, fieldErr.steps)}
      {input('rb-cmp-paths', 'Paths', pathsText, setPathsText, 'paths', 'test paths per cell', fieldErr.paths)}
      {input('rb-cmp-cfsteps', 'Closed-form N', cfStepsText, setCfStepsText, 'steps', 'path grid of closed-form cells (120: every preset R)', fieldErr.cfSteps)}
      {input('rb-cmp-seed', 'Seed', seedText, setSeedText, 'int', 'solves and paths', fieldErr.seed)}

      <div className={cx(styles.subhead, styles.launchHead)}>Preset books — one action: solve, then hedge every cell</div>
      {booksError && <div className={cx('inline-error', styles.pad)}>{booksError}</div>}
      {books === null && !booksError && <div className={cx('muted', styles.pad)}>Loading books…</div>}
      {books !== null && presetBooks.length === 0 && <div className={cx('muted', styles.pad)}>No preset books in this store (the Portfolio tab can rebuild them).</div>}
      <ul className={styles.presetList}>
        {presetBooks.map((b) => {
          const plan = COMPARISON_PLANS[b.preset as PresetKey];
          return (
            <li key={b.bookId} className={styles.preset} data-testid="rb-preset-book" data-book-id={b.bookId} data-preset={b.preset}>
              <div className={styles.presetText}>
                <div className={styles.presetName} title={b.name}>
                  {b.name}
                </div>
                <div className={cx('muted', styles.presetPlan)}>
                  {plan.title} · {plan.schemes.map((s) => s.toUpperCase()).join(' + ')} · {plan.greeks.join(' + ')}
                </div>
                {errors[b.bookId] && (
                  <div className="inline-error" role="alert" data-testid="rb-preset-error">
                    {errors[b.bookId]}
                  </div>
                )}
              </div>
              <button type="button" className="small" data-testid={`rb-compare-preset-${b.preset}`} disabled={!valid || !connected || busy !== null} onClick={() => comparePreset(b)}>
                {busy === b.bookId ? 'Starting…' : 'Compare'}
              </button>
            </li>
          );
        })}
      </ul>

      <div className={cx(styles.subhead, styles.launchHead)}>A finished solve run</div>
      {done.length === 0 ? (
        <div className={cx('muted', styles.pad)}>No finished solve run yet.</div>
      ) : (
        <>
          <div className="field">
            <label htmlFor="rb-cmp-solve">Solve run</label>
            <div className="field-input">
              <select id="rb-cmp-solve" data-testid="rb-cmp-solve" value={pick} onChange={(e) => setPick(e.target.value)}>
                {done.map((s) => (
                  <option key={s.id} value={s.id}>
                    {solveTitle(s)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field-hint">network R: {picked ? REBALANCE_PRESETS.filter((r) => solveSteps(picked) % r === 0).join(', ') : '—'}</div>
          </div>
          <div className="field">
            <label>Greeks</label>
            <div className={styles.checksRow}>
              {GREEK_SOURCES.map((g) => (
                <label key={g} className={styles.check}>
                  <input
                    type="checkbox"
                    data-testid={`rb-cmp-greeks-${g}`}
                    checked={greeks.includes(g)}
                    onChange={(e) => setGreeks((x) => (e.target.checked ? [...x, g] : x.filter((y) => y !== g)))}
                  />
                  {g === 'network' ? 'network' : 'closed form'}
                </label>
              ))}
            </div>
          </div>
          <div className="form-actions">
            <button type="button" className="primary" data-testid="rb-compare-solve" disabled={!valid || !picked || !greeks.length || !connected || busy !== null} onClick={compareSolve}>
              {busy === 'solve' ? 'Starting…' : 'Compare delta vs delta-gamma'}
            </button>
          </div>
          {errors.solve && (
            <div className="form-error" role="alert" data-testid="rb-compare-solve-error">
              {errors.solve}
            </div>
          )}
        </>
      )}
    </div>
  );
}
