import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { queryKeys } from '../../app/queryKeys';
import { type PnlDistribution } from '../../../src-shared/api/runs';
import { type ExperimentCellResult, type ExperimentDetail, type ExperimentSummary } from '../../../src-shared/hedging/contract';
import { E4_NEEDS_PATH_SET, type ExperimentInfo, type ExperimentScale } from '../../../src-shared/hedging/experiments';
import { type PathSetSummary } from '../../../src-shared/orderbook/contract';
import { fmtDateTime, fmtSig } from '../../app/format';
import { type ViewProps } from '../../app/views';
import { EChart } from '../../components/EChart';
import { useRpcEvent } from '../../hooks/useRpcEvent';
import { appErrorOf, call } from '../../ipc/client';
import { pnlChartOption } from '../runs/pnlChart';
import { dataUrlBlob, download, experimentCsv, gridPng } from './experimentExport';
import { modelShort } from './labels';
import { MODEL_COLORS, linesOption } from './trainingChartOptions';

/**
 * The source's experiments E1–E5 as presets: one click runs every cell (all four hedgers per cell on the same
 * test paths) as runs grouped under one experiment; the view shows the grid of PnL histograms, the entropic
 * loss and ES90 lines against the varied quantity (like the source's figures), whether the source's claim
 * held in each cell, and exports the grid as PNG and the numbers as CSV.
 */
const NO_PRESETS: ExperimentInfo[] = [];
const NO_EXPERIMENTS: ExperimentSummary[] = [];
const NO_PATH_SETS: PathSetSummary[] = [];

export function ExperimentsView({ connection, onCounts }: ViewProps) {
  const queryClient = useQueryClient();
  const experiments = useQuery({ queryKey: queryKeys.experimentsAll, queryFn: () => call('hedging-experiments', {}) });
  const presets = experiments.data?.presets ?? NO_PRESETS;
  const list = experiments.data?.experiments ?? NO_EXPERIMENTS;
  const [selected, setSelected] = useState<string | null>(null);
  const [scale, setScale] = useState<ExperimentScale>('full');
  const [seed, setSeed] = useState('1');
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
  const live = list.reduce((n, x) => n + x.live, 0);
  const total = list.reduce((n, x) => n + x.runs, 0);
  useEffect(() => onCounts?.({ runs: total, active: live }), [onCounts, total, live]);

  const start = async (p: ExperimentInfo): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const s = Number(seed);
      const chosen = strikes[p.id] ?? p.strikes;
      const set = p.needsPathSet ? (pathSets.find((x) => x.id === pathSetId) ?? pathSets[0]) : undefined;
      const r = await call('hedging-experiment', { id: p.id, scale, seed: Number.isFinite(s) ? s : 1, strikes: chosen, ...(set ? { pathSetId: set.id } : {}) });
      setSelected(r.groupId);
      refresh();
    } catch (e) {
      const err = appErrorOf(e);
      setError(err.fields?.length ? err.fields.map((f) => `${f.field}: ${f.message}`).join('; ') : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="app-main">
      <aside className="left-panel hedging-exp-left">
        <div className="panel-title">Experiment presets (spec table)</div>
        <div className="hedging-exp-controls">
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
          <div key={p.id} className={`hedging-exp-preset${p.unavailable ? ' unavailable' : ''}`} data-testid={`preset-${p.id}`}>
            <div className="hedging-exp-preset-title">
              <b>{p.id}</b> {p.title} <span className="muted">({p.figures})</span>
            </div>
            <div className="muted">
              {p.option === 'european' ? 'European call' : 'Lookback call'} · {p.data} · varied: {p.varied} · fixed: {p.fixed}
            </div>
            {set && !p.unavailable && (
              <div className="hedging-exp-pathset">
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
              <div className="hedging-exp-unavailable" data-testid={`preset-${p.id}-unavailable`}>
                Unavailable: {p.unavailable}
              </div>
            ) : (
              <div className="hedging-exp-preset-row">
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
        <div className="hedging-exp-list" data-testid="experiment-list">
          {list.length === 0 && <div className="muted hedging-exp-empty">None yet.</div>}
          {list.map((x) => (
            <button
              key={x.groupId}
              type="button"
              className={`hedging-exp-item${x.groupId === selected ? ' active' : ''}`}
              data-testid={`experiment-${x.groupId}`}
              onClick={() => setSelected(x.groupId)}
            >
              <b>{x.label}</b>
              <span className="muted">
                {fmtDateTime(x.createdAt)} · seed {x.seed} · {x.done}/{x.runs} runs done{x.live ? ` · ${x.live} to go` : ''}
                {x.failed ? ` · ${x.failed} failed` : ''}
                {x.cancelled ? ` · ${x.cancelled} cancelled` : ''}
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
  const gridRef = useRef<HTMLDivElement>(null);
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
  const sections = [...new Set(detail.cells.map((c) => c.group))];
  const held = detail.cells.filter((c) => c.claim === 'held').length;
  const decided = detail.cells.filter((c) => c.claim !== 'pending').length;
  const stem = `${detail.id}-${detail.scale}-seed${detail.seed}`;

  return (
    <section className="panel hedging-exp-panel" data-testid="experiment-panel" data-group-id={groupId}>
      <header className="run-header">
        <div className="run-title">
          <span className="run-name" data-testid="experiment-title">
            {detail.label}
          </span>
          {detail.scale === 'quick' && (
            <span className="hedging-exp-quick" data-testid="quick-badge" title="epochs ÷ 5, 2,000 training and 10,000 test paths">
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
          <button type="button" className="small" data-testid="export-csv" onClick={() => download(`${stem}.csv`, experimentCsv(detail))}>
            Export CSV
          </button>
          <button
            type="button"
            className="small"
            data-testid="export-png"
            disabled={!gridRef.current}
            onClick={() => gridRef.current && download(`${stem}.png`, dataUrlBlob(gridPng(gridRef.current)), 'image/png')}
          >
            Export PNG
          </button>
        </div>
        <div className="run-config">
          {detail.info.option === 'european' ? 'European call' : 'Lookback call'} · {detail.info.data} · varied: {detail.info.varied}
          {detail.scale === 'quick' ? ' (quick scale: epochs ÷ 5)' : ''} · fixed: {detail.info.fixed} ·
          strikes {detail.strikes.join(', ')} · seed {detail.seed} · cost rates c per unit of value traded, PnL and risk in units of P₀
        </div>
        <div className="hedging-exp-status" data-testid="experiment-status">
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
            source's claim (DHLNN lowest entropic loss and ES90) held in {held} of {decided} finished cells
          </span>
        </div>
        {error && <div className="inline-error">{error}</div>}
      </header>
      <div className="hedging-exp-grid-wrap" ref={gridRef} data-testid="experiment-grid">
        <div className="hedging-exp-grid-head" data-export-text>
          {detail.label} · seed {detail.seed}
          {detail.scale === 'quick' ? ' · QUICK SCALE (epochs ÷ 5, 2,000 training / 10,000 test paths)' : ' · spec sizes'} · DHLNN lowest entropic loss and ES90 in {held} of {decided} finished cells
        </div>
        {sections.map((s) => (
          <ExperimentSection key={s} title={s} cells={detail.cells.filter((c) => c.group === s)} />
        ))}
      </div>
    </section>
  );
}

function ExperimentSection({ title, cells }: { title: string; cells: ExperimentCellResult[] }) {
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
      { x: xName, y: key === 'entropic' ? 'entropic loss (P₀)' : 'ES90 (P₀)' },
    );
  const sig = cells.map((c) => c.entries.map((e) => `${e.entropic}`).join()).join('|');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `sig` covers the figures
  const ent = useMemo(() => line('entropic'), [sig]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const es = useMemo(() => line('es90'), [sig]);
  return (
    <div className="hedging-exp-section" data-testid="experiment-section">
      <div className="hedging-exp-section-title" data-export-text>
        {title}
      </div>
      <div className="hedging-exp-lines">
        <div className="chart-box" data-export-box>
          <div className="chart-title" data-export-text>
            Entropic loss against {xName} (P₀, lower is better)
          </div>
          <EChart option={ent} className="chart hedging-chart-small" ariaLabel="Entropic loss per cell" />
        </div>
        <div className="chart-box" data-export-box>
          <div className="chart-title" data-export-text>
            ES 90% against {xName} (P₀)
          </div>
          <EChart option={es} className="chart hedging-chart-small" ariaLabel="ES90 per cell" />
        </div>
      </div>
      <div className="hedging-exp-cells">
        {cells.map((c) => (
          <CellView key={c.key} cell={c} />
        ))}
      </div>
    </div>
  );
}

const distCache = new Map<string, PnlDistribution>();

function CellView({ cell }: { cell: ExperimentCellResult }) {
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
  const best = (k: 'entropic' | 'es90'): string | null => {
    const vals = cell.entries.filter((e) => e[k] !== null);
    if (vals.length < 2) return null;
    return vals.reduce((a, b) => (b[k]! < a[k]! ? b : a)).model;
  };
  const bestEnt = best('entropic');
  const bestEs = best('es90');
  return (
    <div className="hedging-exp-cell" data-testid={`cell-${cell.key}`} data-claim={cell.claim} data-export-box>
      <div className="hedging-exp-cell-head">
        <b data-export-text>{cell.title}</b>
        <span className={`hedging-claim hedging-claim-${cell.claim.replace(' ', '-')}`} data-testid="cell-claim" data-export-text>
          {cell.claim === 'held' ? 'claim held' : cell.claim === 'not held' ? 'claim not held' : 'pending'}
        </span>
      </div>
      {option ? (
        <EChart option={option} className="chart hedging-exp-chart" ariaLabel={`PnL histograms, ${cell.title}`} seriesCount={dist?.series.length} testId={`cell-chart-${cell.key}`} />
      ) : (
        <div className="chart placeholder hedging-exp-chart">{error ?? (ready.length ? 'Loading…' : 'Waiting for runs…')}</div>
      )}
      <table className="metrics-table hedging-exp-table">
        <thead>
          <tr>
            <th data-export-text>Hedger</th>
            <th className="num" data-export-text>
              Entropic (P₀)
            </th>
            <th className="num" data-export-text>
              ES90 (P₀)
            </th>
          </tr>
        </thead>
        <tbody>
          {cell.entries.map((e) => (
            <tr key={e.model} data-testid={`cell-row-${e.model}`}>
              <td data-export-text>
                <span className="swatch" style={{ background: MODEL_COLORS[e.model] }} />
                {modelShort(e.model)}
                {e.status && e.status !== 'done' ? ` (${e.status})` : ''}
              </td>
              <td className={`num${bestEnt === e.model ? ' best' : ''}`} data-export-text>
                {fmtSig(e.entropic, 4)}
              </td>
              <td className={`num${bestEs === e.model ? ' best' : ''}`} data-export-text>
                {fmtSig(e.es90, 4)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
