import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { queryKeys } from '../../app/queryKeys';
import { type ExperimentSummary } from '../../../src-shared/hedging/contract';
import { CRITERION_DEFAULTS, type CriterionKind } from '../../../src-shared/hedging/criteria';
import { E4_NEEDS_PATH_SET, type ExperimentInfo, type ExperimentScale } from '../../../src-shared/hedging/experiments';
import { type PathSetSummary } from '../../../src-shared/orderbook/contract';
import { fmtDateTime, fmtSig } from '../../app/format';
import { type ViewProps } from '../../app/views';
import { appErrorOf, call } from '../../ipc/client';
import { CriteriaHelp } from './CriteriaHelp';
import { ExperimentPanel } from './ExperimentPanel';
import styles from './hedging.module.css';
import { cx } from '../../styles/cx';

/**
 * The source's experiments E1–E5 as presets: one click runs every cell (all four hedgers per cell on the same
 * test paths) as runs grouped under one experiment; the view shows the grid of PnL histograms, the entropic
 * loss and ES90 lines against the varied quantity (like the source's figures), whether the source's claim
 * held in each cell, and exports the grid as PNG and the numbers as CSV.
 */
const NO_PRESETS: ExperimentInfo[] = [];
const NO_EXPERIMENTS: ExperimentSummary[] = [];
const NO_PATH_SETS: PathSetSummary[] = [];

export function ExperimentsView({ connection }: ViewProps) {
  const queryClient = useQueryClient();
  const experiments = useQuery({ queryKey: queryKeys.experimentsAll, queryFn: () => call('hedging-experiments', {}) });
  const presets = experiments.data?.presets ?? NO_PRESETS;
  const list = experiments.data?.experiments ?? NO_EXPERIMENTS;
  const [selected, setSelected] = useState<string | null>(null);
  const [scale, setScale] = useState<ExperimentScale>('full');
  const [seed, setSeed] = useState('1');
  /** Criterion of every trained run of the experiment (default: the source's entropic a = 1) and its parameter text. */
  const [criterion, setCriterion] = useState<CriterionKind>('entropic');
  const [criterionParam, setCriterionParam] = useState<string>(String(CRITERION_DEFAULTS.riskAversion));
  const chooseCriterion = (k: CriterionKind): void => {
    setCriterion(k);
    setCriterionParam(String(k === 'es' ? CRITERION_DEFAULTS.esLevel : k === 'mean-variance' ? CRITERION_DEFAULTS.mvLambda : CRITERION_DEFAULTS.riskAversion));
  };
  const [strikes, setStrikes] = useState<Record<string, number[]>>({});
  const [actionError, setError] = useState<string | null>(null);
  const error = actionError ?? (experiments.error ? appErrorOf(experiments.error).message : null);
  const [busy, setBusy] = useState(false);
  /** Order-book path sets E4 can run on (finished, with a training volatility), newest first. */
  const pathSets =
    useQuery({
      queryKey: queryKeys.pathSets,
      queryFn: () => call('orderbook-path-sets', {}),
      select: (sets) => sets.filter((x) => Number.isFinite(x.sigmaTrain) && x.test >= 2 && x.train >= 1).sort((a, b) => b.createdAt - a.createdAt),
    }).data ?? NO_PATH_SETS;
  const [pathSetId, setPathSetId] = useState('');

  /** Refetch the list now (after starting an experiment); run events refetch it through app/queryInvalidation.ts. */
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: queryKeys.experimentsAll }), [queryClient]);

  const start = async (p: ExperimentInfo): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const s = Number(seed);
      const chosen = strikes[p.id] ?? p.strikes;
      const set = p.needsPathSet ? (pathSets.find((x) => x.id === pathSetId) ?? pathSets[0]) : undefined;
      const param = Number(criterionParam);
      const paramField = criterion === 'es' ? 'esLevel' : criterion === 'mean-variance' ? 'mvLambda' : 'riskAversion';
      const r = await call('hedging-experiment', {
        id: p.id,
        scale,
        seed: Number.isFinite(s) ? s : 1,
        strikes: chosen,
        ...(set ? { pathSetId: set.id } : {}),
        criterion,
        [paramField]: criterionParam.trim() === '' ? undefined : param,
      });
      setSelected(r.groupId);
      refresh();
    } catch (e) {
      const err = appErrorOf(e);
      setError(err.fields?.length ? err.fields.map((f) => `${f.label ?? f.field}: ${f.message}`).join('; ') : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="app-main">
      <aside className={cx('left-panel', styles.expLeft)}>
        <div className="panel-title">Experiment presets (spec table)</div>
        <div className={styles.expControls}>
          <label>
            Scale
            <select data-testid="experiment-scale" value={scale} onChange={(e) => setScale(e.target.value as ExperimentScale)}>
              <option value="full">Full — the spec's sizes</option>
              <option value="quick">Quick — a look, not a result</option>
            </select>
          </label>
          <label>
            Seed <input data-testid="experiment-seed" value={seed} onChange={(e) => setSeed(e.target.value)} />
          </label>
          <label title="What every trained run minimises; cells are ranked and the source's claim judged on it">
            Criterion
            <select data-testid="experiment-criterion" value={criterion} onChange={(e) => chooseCriterion(e.target.value as CriterionKind)}>
              <option value="entropic">Entropic (source: a = 1)</option>
              <option value="es">Expected shortfall</option>
              <option value="mean-variance">Mean-variance</option>
            </select>
          </label>
          <label>
            {criterion === 'es' ? 'ES level α' : criterion === 'mean-variance' ? 'Variance weight λ (1/P₀)' : 'Risk aversion a (1/P₀)'}{' '}
            <input data-testid="experiment-criterion-param" value={criterionParam} onChange={(e) => setCriterionParam(e.target.value)} />
          </label>
          <CriteriaHelp />
          <div className="muted">
            {scale === 'full'
              ? 'Full: 10,000 training paths per epoch, 100,000 test paths, the spec’s epochs. Hours on this machine for E2 and E5.'
              : 'Quick: epochs ÷ 5, 2,000 training and 10,000 test paths. For checking the pipeline, not for conclusions.'}
          </div>
        </div>
        {presets.map((preset) => {
          const p = preset.needsPathSet && pathSets.length === 0 && !preset.unavailable ? { ...preset, unavailable: E4_NEEDS_PATH_SET } : preset;
          const set = p.needsPathSet ? (pathSets.find((x) => x.id === pathSetId) ?? pathSets[0]) : undefined;
          return (
          <div key={p.id} className={cx(styles.expPreset, p.unavailable && styles.unavailable)} data-testid={`preset-${p.id}`}>
            <div className={styles.expPresetTitle}>
              <b>{p.id}</b> {p.title} <span className="muted">({p.figures})</span>
            </div>
            <div className="muted">
              {p.option === 'european' ? 'European call' : 'Lookback call'} · {p.data} · varied: {p.varied} · fixed: {p.fixed}
            </div>
            {set && !p.unavailable && (
              <div>
                <label>
                  Path set{' '}
                  <select data-testid={`preset-${p.id}-pathset`} value={set.id} onChange={(e) => setPathSetId(e.target.value)}>
                    {pathSets.map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.label}
                      </option>
                    ))}
                  </select>
                </label>
                <div className="muted" data-testid={`preset-${p.id}-pathset-info`}>
                  {set.steps} steps of {fmtSig(set.intervalSeconds, 3)} s · σ (train realised) = {fmtSig(set.sigmaTrain, 4)} /yr · {set.train} train windows (sampled with
                  replacement, {scale === 'quick' ? '2,000' : '10,000'} per epoch) · all {set.test} test windows
                </div>
              </div>
            )}
            {p.unavailable ? (
              <div className={styles.expUnavailable} data-testid={`preset-${p.id}-unavailable`}>
                Unavailable: {p.unavailable}
              </div>
            ) : (
              <div className={styles.expPresetRow}>
                {p.strikes.map((k) => (
                  <label key={k}>
                    <input
                      type="checkbox"
                      data-testid={`preset-${p.id}-strike-${k}`}
                      checked={(strikes[p.id] ?? p.strikes).includes(k)}
                      onChange={(e) =>
                        setStrikes((s) => {
                          const cur = s[p.id] ?? p.strikes;
                          const next = e.target.checked ? [...cur, k] : cur.filter((x) => x !== k);
                          return { ...s, [p.id]: p.strikes.filter((x) => next.includes(x)) };
                        })
                      }
                    />
                    K = {k}
                  </label>
                ))}
                <span className="spacer" />
                <button
                  type="button"
                  className="small primary"
                  data-testid={`run-${p.id}`}
                  disabled={busy || connection.status !== 'open' || (strikes[p.id] ?? p.strikes).length === 0}
                  onClick={() => void start(p)}
                >
                  Run {p.id}
                  {scale === 'quick' ? ' (quick)' : ''}
                </button>
              </div>
            )}
          </div>
          );
        })}
        {error && (
          <div className="form-error" role="alert" data-testid="experiment-error">
            {error}
          </div>
        )}
        <div className="panel-title">Experiments run</div>
        <div className={styles.expList} data-testid="experiment-list">
          {list.length === 0 && <div className={cx('muted', styles.expEmpty)}>None yet.</div>}
          {list.map((x) => (
            <button
              key={x.groupId}
              type="button"
              className={cx(styles.expItem, x.groupId === selected && styles.active)}
              data-testid={`experiment-${x.groupId}`}
              onClick={() => setSelected(x.groupId)}
            >
              <b>{x.label}</b>
              <span className="muted">
                {fmtDateTime(x.createdAt)} · seed {x.seed} · {x.done}/{x.runs} runs done{x.live ? ` · ${x.live} to go` : ''}
                {x.failed ? ` · ${x.failed} failed` : ''}
                {x.cancelled ? ` · ${x.cancelled} cancelled` : ''}
                {x.missing > 0 ? ` · ${x.missing} deleted (re-run from the experiment)` : ''}
              </span>
            </button>
          ))}
        </div>
      </aside>
      <div className="right-panel">
        {selected ? (
          <ExperimentPanel groupId={selected} onChanged={refresh} />
        ) : (
          <section className="panel">
            <div className="empty">Run a preset on the left, or pick an experiment that ran before.</div>
          </section>
        )}
      </div>
    </main>
  );
}
