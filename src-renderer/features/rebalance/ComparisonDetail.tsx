import { useMemo, useState } from 'react';
import { type HedgeComparison, type HedgeComparisonCell, STRATEGIES } from '../../../src-shared/bsde/hedge';
import { type RunStatus, isTerminal } from '../../../src-shared/api/runs';
import { fmtDateTime, fmtInt } from '../../app/format';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EChart } from '../../components/EChart';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusBadge } from '../../components/StatusBadge';
import { download, toCsv } from '../../components/download';
import { useNow } from '../../hooks/useNow';
import { type ProgressInfo } from '../../hooks/useRuns';
import { appErrorOf, call } from '../../ipc/client';
import { type ConvergenceLine, STRATEGY_COLORS, convergenceOption } from './charts';
import { type SolveRun, solveTitle, sourceLabel, strategyName } from './runs';
import { CONVERGENCE_STATS, STAT_DEFS, type StatKey, fmtStat, statDef } from './stats';
import { useComparison } from './useComparisons';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

interface Props {
  connectionOpens: number;
  groupId: string;
  solves: SolveRun[];
  solveProgress: Record<string, ProgressInfo>;
  onOpenRun(runId: string): void;
}

/** Cells of one Greek source on one solve: a table of the source's tables 3–8 in shape. */
interface Block {
  key: string;
  title: string;
  greeks: HedgeComparisonCell['greeks'];
  scheme: string;
  cells: HedgeComparisonCell[];
  rs: number[];
}

function blocksOf(c: HedgeComparison): Block[] {
  const map = new Map<string, Block>();
  for (const cell of c.cells) {
    const key = `${cell.greeks}|${cell.greeks === 'network' ? cell.solveRunId : ''}`;
    let b = map.get(key);
    if (!b) {
      b = { key, title: sourceLabel(cell.greeks, cell.scheme), greeks: cell.greeks, scheme: cell.scheme, cells: [], rs: [] };
      map.set(key, b);
    }
    b.cells.push(cell);
    if (!b.rs.includes(cell.rebalance)) b.rs.push(cell.rebalance);
  }
  const blocks = [...map.values()];
  for (const b of blocks) b.rs.sort((x, y) => x - y);
  // Two network blocks of the same scheme (two solves): tell them apart.
  const seen = new Map<string, number>();
  for (const b of blocks) {
    const n = (seen.get(b.title) ?? 0) + 1;
    seen.set(b.title, n);
    if (n > 1) b.title += ` · solve ${n}`;
  }
  return blocks;
}

const TABLE_STATS = STAT_DEFS.filter((d) => d.key !== 'min' && d.key !== 'max');
const DASHES = ['solid', 'dashed', 'dotted'] as const;

/** A comparison: progress of its cells, the findings, the convergence chart and one table per Greek source. */
export function ComparisonDetail({ connectionOpens, groupId, solves, solveProgress, onOpenRun }: Props) {
  const { data: cmp, error, loading } = useComparison(connectionOpens, groupId);
  const [stat, setStat] = useState<StatKey>('variance');
  const [confirm, setConfirm] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const blocks = useMemo(() => (cmp ? blocksOf(cmp) : []), [cmp]);
  const solveRuns = useMemo(() => (cmp ? cmp.solveRunIds.map((id) => solves.find((s) => s.id === id)).filter((s): s is SolveRun => !!s) : []), [cmp, solves]);
  const liveSolves = solveRuns.filter((s) => !isTerminal(s.status));
  const finished = cmp ? cmp.cells.filter((c) => isTerminal(c.status as RunStatus)).length : 0;
  const live = cmp ? cmp.cells.filter((c) => !isTerminal(c.status as RunStatus)) : [];
  const count = (st: string): number => (cmp ? cmp.cells.filter((c) => c.status === st).length : 0);
  const [doneCells, failed, cancelled] = [count('done'), count('failed'), count('cancelled') + count('interrupted')];
  const now = useNow(1000, live.length > 0);

  const lines = useMemo<ConvergenceLine[]>(() => {
    const def = statDef(stat);
    return blocks.flatMap((b, bi) =>
      STRATEGIES.map((s) => ({
        name: `${strategyName(s)} · ${b.title}`,
        color: STRATEGY_COLORS[s],
        dash: DASHES[bi % DASHES.length],
        points: b.cells.filter((c) => c.strategy === s && c.stats).map((c) => ({ r: c.rebalance, value: def.get(c.stats!), runId: c.runId })),
      })).filter((l) => l.points.length > 0),
    );
  }, [blocks, stat]);
  const option = useMemo(() => convergenceOption(lines, statDef(stat)), [lines, stat]);

  if (!cmp) {
    return (
      <div className={error ? 'run-message error' : 'empty'} data-testid={error ? 'rb-cmp-error' : 'rb-cmp-loading'}>
        {error ? `Could not load the comparison: ${error}` : 'Loading the comparison…'}
      </div>
    );
  }

  const cancelAll = async (): Promise<void> => {
    setConfirm(false);
    setCancelling(true);
    setCancelError(null);
    const ids = [...live.map((c) => c.runId), ...liveSolves.map((s) => s.id)];
    const results = await Promise.allSettled(ids.map((runId) => call('runs-cancel', { runId })));
    const bad = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (bad.length) setCancelError(`${bad.length} of ${ids.length} runs could not be cancelled: ${appErrorOf(bad[0].reason).message}`);
    setCancelling(false);
  };

  const exportCsv = (): void => {
    const head = ['greeks', 'scheme', 'solve_run_id', 'strategy', 'rebalance_R', 'status', 'run_id', ...TABLE_STATS.map((d) => `${d.key}${d.unit.startsWith('%') ? '_pct_of_V0' : ''}`)];
    const rows = cmp.cells.map((c) => [c.greeks, c.scheme, c.solveRunId, c.strategy, c.rebalance, c.status, c.runId, ...TABLE_STATS.map((d) => (c.stats ? d.get(c.stats) : null))]);
    download(`comparison-${cmp.groupId.slice(0, 8)}.csv`, toCsv([head, ...rows]));
  };

  const elapsed = now - cmp.createdAt;
  return (
    <div className={styles.cmp} data-testid="rb-comparison" data-group-id={cmp.groupId} data-ended={finished} data-done={doneCells} data-total={cmp.cells.length}>
      <div className={cx('toolbar', styles.cmpHead)}>
        <span className="run-name" data-testid="rb-cmp-title">
          {cmp.label}
        </span>
        <span className="muted">{fmtDateTime(cmp.createdAt)}</span>
        {loading && <span className="muted">· refreshing…</span>}
        <span className="spacer" />
        <button type="button" className="small" data-testid="rb-cmp-export" onClick={exportCsv}>
          Export table CSV
        </button>
        {(live.length > 0 || liveSolves.length > 0) && (
          <button type="button" className="small danger" data-testid="rb-cmp-cancel" disabled={cancelling} onClick={() => setConfirm(true)}>
            {cancelling ? 'Cancelling…' : 'Cancel all'}
          </button>
        )}
      </div>
      <div className={styles.cmpBody}>
        <div className={styles.cmpProgress} data-testid="rb-cmp-progress">
          {live.length > 0 ? (
            <ProgressBar done={finished} total={cmp.cells.length} elapsedMs={elapsed} etaMs={finished > 0 ? (elapsed / finished) * live.length : null} unit="cells finished" />
          ) : (
            <div className={doneCells === cmp.cells.length ? styles.cmpFinished : styles.cmpEnded} data-testid="rb-cmp-ended">
              {doneCells === cmp.cells.length ? `All ${fmtInt(cmp.cells.length)} cells done.` : `All ${fmtInt(cmp.cells.length)} cells ended; ${fmtInt(doneCells)} done.`}
            </div>
          )}
          <div className="muted" data-testid="rb-cmp-counts">
            {fmtInt(doneCells)} done · {fmtInt(live.filter((c) => c.status === 'running').length)} running · {fmtInt(live.filter((c) => c.status === 'queued').length)} queued
            {failed ? ` · ${failed} failed` : ''}
            {cancelled ? ` · ${cancelled} cancelled` : ''}
          </div>
          {solveRuns.map((s) => {
            const p = solveProgress[s.id];
            const frac = p && p.total > 0 ? p.done / p.total : s.progress.total > 0 ? s.progress.done / s.progress.total : 0;
            return (
              <div key={s.id} className={styles.cmpSolve} data-testid="rb-cmp-solve">
                <StatusBadge status={s.status} extra={s.status === 'running' ? `${Math.floor(100 * frac)}%` : undefined} /> solve {solveTitle(s)}
              </div>
            );
          })}
          {cancelError && (
            <div className="inline-error" role="alert">
              {cancelError}
            </div>
          )}
        </div>
        <div className={styles.findings} data-testid="rb-findings">
          <div className={styles.subhead}>Findings</div>
          {cmp.findings.length ? (
            <ul>
              {cmp.findings.map((f) => (
                <li key={f} data-testid="rb-finding">
                  {f}
                </li>
              ))}
            </ul>
          ) : (
            <div className="muted">{live.length ? 'The findings are written when every cell has finished.' : 'No findings: too few cells finished.'}</div>
          )}
        </div>
        <div className={cx('chart-box', styles.cmpChartBox)}>
          <div className={cx('chart-title', styles.convTitle)}>
            <span>Convergence in R:</span>
            <select className={styles.select} data-testid="rb-cmp-stat" value={stat} onChange={(e) => setStat(e.target.value as StatKey)}>
              {CONVERGENCE_STATS.map((k) => (
                <option key={k} value={k}>
                  {statDef(k).label} ({statDef(k).unit})
                </option>
              ))}
            </select>
            <span className="muted">colour: strategy{blocks.length > 1 ? ` · line: Greek source (${blocks.map((b, i) => `${DASHES[i % DASHES.length]} ${b.title}`).join(', ')})` : ''}</span>
          </div>
          {lines.length ? (
            <EChart option={option} testId="rb-cmp-chart" className={cx('chart', styles.chart)} ariaLabel="Statistic against R per strategy and Greek source" seriesCount={lines.length} />
          ) : (
            <div className={cx('chart', 'placeholder', styles.chart)}>The chart fills in as cells finish.</div>
          )}
        </div>
        {blocks.map((b, bi) => (
          <div key={b.key}>
            <div className={styles.subhead}>Greeks: {b.title}</div>
            <div className={styles.cmpTableWrap}>
              <table className={cx('metrics-table', styles.cmpTable)} data-testid={`rb-cmp-table-${bi}`} data-greeks={b.greeks} data-scheme={b.scheme}>
                <thead>
                  <tr>
                    <th rowSpan={2}>Statistic</th>
                    <th rowSpan={2}>Unit</th>
                    {STRATEGIES.map((s) => (
                      <th key={s} colSpan={b.rs.length} className={styles.cmpStrategy}>
                        {strategyName(s)}
                      </th>
                    ))}
                  </tr>
                  <tr>
                    {STRATEGIES.flatMap((s) =>
                      b.rs.map((r) => (
                        <th key={`${s}-${r}`} className="num">
                          R = {r}
                        </th>
                      )),
                    )}
                  </tr>
                </thead>
                <tbody>
                  {TABLE_STATS.map((d) => (
                    <tr key={d.key} title={d.hint}>
                      <td>{d.label}</td>
                      <td className="unit">{d.unit}</td>
                      {STRATEGIES.flatMap((s) =>
                        b.rs.map((r) => {
                          const c = b.cells.find((x) => x.strategy === s && x.rebalance === r);
                          const tid = `rb-cmp-cell-${bi}-${s}-${r}-${d.key}`;
                          if (!c)
                            return (
                              <td key={`${s}-${r}`} className="num muted" data-testid={tid}>
                                ·
                              </td>
                            );
                          if (c.stats)
                            return (
                              <td key={`${s}-${r}`} className={cx('num', styles.cmpCell)} data-testid={tid} onClick={() => onOpenRun(c.runId)} title="Open this hedge run">
                                {fmtStat(d, c.stats)}
                              </td>
                            );
                          return (
                            <td key={`${s}-${r}`} className="num muted" data-testid={tid} data-status={c.status}>
                              {d.key === 'mean' ? c.status : ''}
                            </td>
                          );
                        }),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))}
        <p className="note">
          X = PnL / |V₀| of the hedger short the book; levels in % of |V₀|, variance and semivariance of X. Click a number to open its hedge run. Network cells use the R that divide the
          solve&apos;s grid; closed-form cells use their own grid.
        </p>
      </div>
      {confirm && (
        <ConfirmDialog
          title="Cancel the comparison"
          message={`Cancel ${live.length} unfinished hedge run${live.length === 1 ? '' : 's'}${liveSolves.length ? ` and ${liveSolves.length} solve run${liveSolves.length === 1 ? '' : 's'}` : ''}? Finished cells are kept.`}
          confirmText="Cancel runs"
          danger
          onConfirm={() => void cancelAll()}
          onCancel={() => setConfirm(false)}
        />
      )}
    </div>
  );
}
