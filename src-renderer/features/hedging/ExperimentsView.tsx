import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { queryKeys } from '../../app/queryKeys';
import { type PnlDistribution } from '../../../src-shared/api/runs';
import { type ExperimentCellResult, type ExperimentDetail, type ExperimentSummary } from '../../../src-shared/hedging/contract';
import { CRITERION_DEFAULTS, type Criterion, type CriterionKind, criterionLabel } from '../../../src-shared/hedging/criteria';
import { rankedByText } from '../../../src-shared/hedging/ranking';
import { E4_NEEDS_PATH_SET, type ExperimentInfo, type ExperimentScale } from '../../../src-shared/hedging/experiments';
import { type PathSetSummary } from '../../../src-shared/orderbook/contract';
import { fmtDateTime, fmtSig } from '../../app/format';
import { type ViewProps } from '../../app/views';
import { EChart } from '../../components/EChart';
import { NoHedgeBadge } from '../../components/NoHedgeBadge';
import { useRpcEvent } from '../../hooks/useRpcEvent';
import { appErrorOf, call } from '../../ipc/client';
import { pnlChartOption } from '../runs/pnlChart';
import { dataUrlBlob, download, experimentCsv, gridPng } from './experimentExport';
import { CriteriaHelp } from './CriteriaHelp';
import { modelShort } from './labels';
import { MODEL_COLORS, linesOption } from './trainingChartOptions';
import styles from './hedging.module.css';
import { cx } from '../../styles/cx';
import { esLabel } from '../../../src-shared/risk/presentRisk';

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

function ExperimentPanel({ groupId, onChanged }: { groupId: string; onChanged(): void }) {
  // The detail is refetched when one of its runs ends (app/queryInvalidation.ts), and every 4 s while they report.
  const q = useQuery({ queryKey: queryKeys.experiment(groupId), queryFn: () => call('hedging-experiment-get', { groupId }) });
  const detail: ExperimentDetail | null = q.data ?? null;
  const [actionError, setError] = useState<string | null>(null);
  const error = actionError ?? (q.error ? appErrorOf(q.error).message : null);
  const load = (): void => void q.refetch();
  const [progress, setProgress] = useState<{ runId: string; done: number; total: number } | null>(null);
  // a callback ref in state: the grid mounts after the first render with a detail, and Export PNG must
  // re-render enabled then (a plain ref left it disabled until something else re-rendered the panel)
  const [gridEl, setGridEl] = useState<HTMLDivElement | null>(null);
  const runIds = useMemo(() => new Set(detail?.runList.map((r) => r.id) ?? []), [detail]);
  const last = useRef(0);
  useRpcEvent('run-progress', (e) => {
    if (!runIds.has(e.runId)) return;
    setProgress({ runId: e.runId, done: e.done, total: e.total });
    const now = Date.now();
    if (now - last.current > 4000) {
      last.current = now;
      load();
    }
  });

  if (!detail) {
    return <section className="panel">{error ? <div className="run-message error">{error}</div> : <div className="empty">Loading experiment…</div>}</section>;
  }
  const running = detail.runList.find((r) => r.status === 'running');
  const cancel = async (): Promise<void> => {
    try {
      await call('hedging-experiment-cancel', { groupId });
      load();
      onChanged();
    } catch (e) {
      setError(appErrorOf(e).message);
    }
  };
  const resumeStopped = async (): Promise<void> => {
    setError(null);
    try {
      // the newest run of each slot that stopped early: continue it from its last epoch (or start it again)
      for (const id of Object.values(detail.slots)) {
        const r = detail.runList.find((x) => x.id === id);
        if (r && (r.status === 'cancelled' || r.status === 'interrupted' || r.status === 'failed')) {
          await call('hedging-resume', { runId: r.id });
        }
      }
      load();
      onChanged();
    } catch (e) {
      setError(appErrorOf(e).message);
    }
  };
  const stoppedTrained = Object.values(detail.slots).filter((id) => {
    const r = detail.runList.find((x) => x.id === id);
    return r && (r.status === 'cancelled' || r.status === 'interrupted' || r.status === 'failed');
  }).length;
  const rerunMissing = async (): Promise<void> => {
    setError(null);
    try {
      await call('hedging-experiment-rerun', { groupId });
      load();
      onChanged();
    } catch (e) {
      setError(appErrorOf(e).message);
    }
  };
  const sections = [...new Set(detail.cells.map((c) => c.group))];
  const held = detail.cells.filter((c) => c.claim === 'held').length;
  const decided = detail.cells.filter((c) => c.claim !== 'pending').length;
  const stem = `${detail.id}-${detail.scale}-seed${detail.seed}`;

  return (
    <section className={cx('panel', styles.expPanel)} data-testid="experiment-panel" data-group-id={groupId}>
      <header className="run-header">
        <div className="run-title">
          <span className="run-name" data-testid="experiment-title">
            {detail.label}
          </span>
          {detail.scale === 'quick' && (
            <span className={styles.expQuick} data-testid="quick-badge" title="epochs ÷ 5, 2,000 training and 10,000 test paths">
              QUICK SCALE — not the spec's sizes
            </span>
          )}
          <span className="spacer" />
          {detail.live > 0 && (
            <button type="button" className="small danger" data-testid="experiment-cancel" onClick={() => void cancel()}>
              Cancel experiment
            </button>
          )}
          {detail.live === 0 && stoppedTrained > 0 && (
            <button type="button" className="small primary" data-testid="experiment-resume" onClick={() => void resumeStopped()}>
              Resume {stoppedTrained} stopped run{stoppedTrained > 1 ? 's' : ''}
            </button>
          )}
          {detail.live === 0 && detail.missing > 0 && (
            <button
              type="button"
              className="small primary"
              data-testid="experiment-rerun"
              title="Runs of this experiment were deleted: start them again with the planned settings and seed, so their pending cells fill in"
              onClick={() => void rerunMissing()}
            >
              Re-run {detail.missing} deleted run{detail.missing > 1 ? 's' : ''}
            </button>
          )}
          <button type="button" className="small" data-testid="export-csv" onClick={() => download(`${stem}.csv`, experimentCsv(detail))}>
            Export CSV
          </button>
          <button
            type="button"
            className="small"
            data-testid="export-png"
            disabled={!gridEl}
            onClick={() => gridEl && download(`${stem}.png`, dataUrlBlob(gridPng(gridEl)), 'image/png')}
          >
            Export PNG
          </button>
        </div>
        <div className="run-config">
          {detail.info.option === 'european' ? 'European call' : 'Lookback call'} · {detail.info.data} · varied: {detail.info.varied}
          {detail.scale === 'quick' ? ' (quick scale: epochs ÷ 5)' : ''} · fixed: {detail.info.fixed} ·
          strikes {detail.strikes.join(', ')} · seed {detail.seed} · cost rates c per unit of value traded, PnL and risk in units of P₀
        </div>
        <div className={styles.expStatus} data-testid="experiment-status">
          {detail.done}/{detail.runs} runs done
          {detail.live > 0 && running && progress?.runId === running.id && (
            <span>
              {' '}
              · now: {running.label} ({progress.done}/{progress.total})
            </span>
          )}
          {detail.failed > 0 && <span className="inline-error"> · {detail.failed} failed</span>}
          {detail.cancelled > 0 && <span className="muted"> · {detail.cancelled} cancelled (resume them from the Hedging runs view)</span>}
          {' · '}
          <span data-testid="claim-summary">
            {rankedByText(detail.criterion)} · source's claim (DHLNN ranked first on {criterionLabel(detail.criterion)} and lowest ES 90%; a hedger that
            does not hedge is never first) held in {held} of {decided} finished cells
          </span>
        </div>
        {error && <div className="inline-error">{error}</div>}
      </header>
      <div className={styles.expGridWrap} ref={setGridEl} data-testid="experiment-grid">
        <div className={styles.expGridHead} data-export-text>
          {detail.label} · seed {detail.seed}
          {detail.scale === 'quick' ? ' · QUICK SCALE (epochs ÷ 5, 2,000 training / 10,000 test paths)' : ' · spec sizes'} · {rankedByText(detail.criterion)} · DHLNN first
          and lowest ES 90% in {held} of {decided} finished cells
        </div>
        {sections.map((s) => (
          <ExperimentSection key={s} title={s} cells={detail.cells.filter((c) => c.group === s)} criterion={detail.criterion} />
        ))}
      </div>
    </section>
  );
}

function ExperimentSection({ title, cells, criterion }: { title: string; cells: ExperimentCellResult[]; criterion: Criterion }) {
  const varied = cells[0]?.varied.name;
  const xName = varied === 'epochs' ? 'epochs' : varied === 'cost' ? 'cost rate c' : 'test σ (/yr)';
  const models = cells[0]?.entries.map((e) => e.model) ?? [];
  const line = (key: 'entropic' | 'es90') =>
    linesOption(
      models.map((m) => ({
        name: modelShort(m),
        color: MODEL_COLORS[m] ?? '#333',
        points: cells
          .map((c) => [c.varied.value, c.entries.find((e) => e.model === m)?.[key] ?? null] as [number, number | null])
          .filter((p): p is [number, number] => p[1] !== null),
      })),
      { x: xName, y: key === 'entropic' ? 'entropic loss (P₀)' : `${esLabel(0.9)}, P₀` },
    );
  const sig = cells.map((c) => c.entries.map((e) => `${e.entropic}`).join()).join('|');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `sig` covers the figures
  const ent = useMemo(() => line('entropic'), [sig]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const es = useMemo(() => line('es90'), [sig]);
  return (
    <div data-testid="experiment-section">
      <div className={styles.expSectionTitle} data-export-text>
        {title}
      </div>
      <div className={styles.expLines}>
        <div className="chart-box" data-export-box>
          <div className="chart-title" data-export-text>
            Entropic loss against {xName} (P₀, lower is better)
          </div>
          <EChart option={ent} className={cx('chart', styles.chartSmall)} ariaLabel="Entropic loss per cell" />
        </div>
        <div className="chart-box" data-export-box>
          <div className="chart-title" data-export-text>
            {esLabel(0.9)} against {xName} (P₀)
          </div>
          <EChart option={es} className={cx('chart', styles.chartSmall)} ariaLabel="ES90 per cell" />
        </div>
      </div>
      <div className={styles.expCells}>
        {cells.map((c) => (
          <CellView key={c.key} cell={c} criterion={criterion} />
        ))}
      </div>
    </div>
  );
}

/** The claim tag's colour per claim state. */
const CLAIM_CLASS: Record<ExperimentCellResult['claim'], string> = { held: styles.claimHeld, 'not held': styles.claimNotHeld, pending: styles.claimPending };

const distCache = new Map<string, PnlDistribution>();

function CellView({ cell, criterion }: { cell: ExperimentCellResult; criterion: Criterion }) {
  const ready = cell.entries.filter((e) => e.runId && e.entropic !== null);
  const key = ready.map((e) => `${e.runId}:${e.array}`).join(',');
  const [dist, setDist] = useState<PnlDistribution | null>(() => distCache.get(key) ?? null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!key) {
      setDist(null);
      return;
    }
    const hit = distCache.get(key);
    if (hit) {
      setDist(hit);
      return;
    }
    let alive = true;
    call('hedging-distribution', { items: ready.map((e) => ({ runId: e.runId!, array: e.array, label: modelShort(e.model) })), bins: 50 })
      .then((d) => {
        distCache.set(key, d);
        if (alive) setDist(d);
      })
      .catch((e) => alive && setError(appErrorOf(e).message));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` covers `ready`
  }, [key]);
  const option = useMemo(
    () =>
      dist
        ? pnlChartOption(
            dist,
            ready.map((e) => ({ name: modelShort(e.model), color: MODEL_COLORS[e.model] })),
            { overlay: true },
          )
        : null,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [dist],
  );
  /** Best of a column among the hedgers that hedge (one that does not hedge is never highlighted). */
  const best = (k: 'entropic' | 'es90'): string | null => {
    const vals = cell.entries.filter((e) => e[k] !== null && e.doesNotHedge !== true);
    if (vals.length < 2) return null;
    return vals.reduce((a, b) => (b[k]! < a[k]! ? b : a)).model;
  };
  const bestEnt = best('entropic');
  const bestEs = best('es90');
  const ownColumn = !(criterion.kind === 'entropic' && criterion.a === 1) && !(criterion.kind === 'es' && criterion.alpha === 0.9);
  const ranked = [...cell.entries].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
  return (
    <div className={styles.expCell} data-testid={`cell-${cell.key}`} data-claim={cell.claim} data-export-box>
      <div className={styles.expCellHead}>
        <b data-export-text>{cell.title}</b>
        <span className={cx(styles.claim, CLAIM_CLASS[cell.claim])} data-testid="cell-claim" data-export-text>
          {cell.claim === 'held' ? 'claim held' : cell.claim === 'not held' ? 'claim not held' : 'pending'}
        </span>
      </div>
      {option ? (
        <EChart option={option} className={cx('chart', styles.expChart)} ariaLabel={`PnL histograms, ${cell.title}`} seriesCount={dist?.series.length} testId={`cell-chart-${cell.key}`} />
      ) : (
        <div className={cx('chart', 'placeholder', styles.expChart)}>{error ?? (ready.length ? 'Loading…' : 'Waiting for runs…')}</div>
      )}
      <table className={cx('metrics-table', styles.expTable)}>
        <thead>
          <tr>
            <th className="num" data-export-text title={rankedByText(criterion)}>
              #
            </th>
            <th data-export-text>Hedger</th>
            {ownColumn && (
              <th className="num" data-export-text>
                {criterionLabel(criterion)} (P₀)
              </th>
            )}
            <th className="num" data-export-text>
              Entropic (P₀)
            </th>
            <th className="num" data-export-text>
              {esLabel(0.9)} (P₀)
            </th>
            <th className="num" data-export-text title="mean |position| over paths and dates, asset units">
              mean |δ|
            </th>
          </tr>
        </thead>
        <tbody>
          {ranked.map((e) => (
            <tr key={e.model} data-testid={`cell-row-${e.model}`}>
              <td className="num" data-export-text>
                {e.rank ?? '—'}
              </td>
              <td data-export-text>
                <span className="swatch" style={{ background: MODEL_COLORS[e.model] }} />
                {modelShort(e.model)}
                {e.status && e.status !== 'done' ? ` (${e.status})` : ''}
                {e.doesNotHedge && (
                  <NoHedgeBadge layout="compact" testId={`cell-no-hedge-${e.model}`} />
                )}
              </td>
              {ownColumn && (
                <td className={`num${e.rank === 1 && e.doesNotHedge !== true ? ' best' : ''}`} data-export-text>
                  {fmtSig(e.criterionValue, 4)}
                </td>
              )}
              <td className={`num${bestEnt === e.model ? ' best' : ''}`} data-export-text>
                {fmtSig(e.entropic, 4)}
              </td>
              <td className={`num${bestEs === e.model ? ' best' : ''}`} data-export-text>
                {fmtSig(e.es90, 4)}
              </td>
              <td className="num" data-export-text>
                {fmtSig(e.meanAbsPosition, 3)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
