import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { queryKeys } from '../../app/queryKeys';
import { type PnlDistribution } from '../../../src-shared/api/runs';
import { type ExperimentCellResult, type ExperimentDetail } from '../../../src-shared/hedging/contract';
import { type Criterion, criterionLabel } from '../../../src-shared/hedging/criteria';
import { rankedByText } from '../../../src-shared/hedging/ranking';
import { fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { NoHedgeBadge } from '../../components/NoHedgeBadge';
import { useRpcEvent } from '../../hooks/useRpcEvent';
import { appErrorOf, call } from '../../ipc/client';
import { pnlChartOption } from '../runs/pnlChart';
import { dataUrlBlob, download, experimentCsv, gridPng } from './experimentExport';
import { modelShort } from './labels';
import { MODEL_COLORS, linesOption } from './trainingChartOptions';
import styles from './hedging.module.css';
import { cx } from '../../styles/cx';
import { esLabel } from '../../../src-shared/risk/presentRisk';

export function ExperimentPanel({ groupId, onChanged }: { groupId: string; onChanged(): void }) {
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
