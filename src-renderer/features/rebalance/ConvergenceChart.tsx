import { useMemo, useState } from 'react';
import { REBALANCE_PRESETS, STRATEGIES } from '../../../src-shared/bsde/hedge';
import { fmtInt } from '../../app/format';
import { EChart } from '../../components/EChart';
import { appErrorOf, call } from '../../ipc/client';
import { type ConvergenceLine, STRATEGY_COLORS, convergenceOption } from './charts';
import { type HedgeRun, sourceLabel, strategyName } from './runs';
import { CONVERGENCE_STATS, type StatKey, statDef } from './stats';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

/**
 * The finished hedge runs comparable with `run` (same solve, Greek source and path count) as one line per
 * strategy of a statistic against R; the newest run per (strategy, R) counts.
 */
export function convergenceLines(run: HedgeRun, siblings: HedgeRun[], key: StatKey): ConvergenceLine[] {
  const def = statDef(key);
  const comparable = siblings.filter(
    (r) => r.status === 'done' && r.metrics && r.config.solveRunId === run.config.solveRunId && r.config.greeks === run.config.greeks && r.config.paths === run.config.paths,
  );
  return STRATEGIES.map((strategy) => {
    const newest = new Map<number, HedgeRun>();
    for (const r of comparable) {
      if (r.config.strategy !== strategy) continue;
      const prev = newest.get(r.config.rebalance);
      // The run on screen stands for its cell; otherwise the newest run.
      const take = !prev || (prev.id !== run.id && (r.id === run.id || r.createdAt > prev.createdAt));
      if (take) newest.set(r.config.rebalance, r);
    }
    return {
      name: strategyName(strategy),
      color: STRATEGY_COLORS[strategy],
      points: [...newest.values()].map((r) => ({ r: r.config.rebalance, value: def.get(r.metrics!.stats), runId: r.id, current: r.id === run.id })),
    };
  }).filter((l) => l.points.length > 0);
}

/** A chosen statistic against R (log x axis), delta versus delta-gamma, from the finished sibling runs. */
export function ConvergenceChart({ run, siblings }: { run: HedgeRun; siblings: HedgeRun[] }) {
  const [key, setKey] = useState<StatKey>('variance');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const def = statDef(key);
  const lines = useMemo(() => convergenceLines(run, siblings, key), [run, siblings, key]);
  const option = useMemo(() => convergenceOption(lines, def), [lines, def]);
  const points = lines.reduce((a, l) => a + l.points.length, 0);
  const N = run.metrics?.steps ?? run.config.steps ?? NaN;
  const missing = REBALANCE_PRESETS.filter((r) => Number.isInteger(N) && N % r === 0).length * STRATEGIES.length - points;

  /** Start the missing cells as a comparison on this run's solve (same Greek source, paths, grid, instruments, seed). */
  const fill = async (): Promise<void> => {
    setBusy(true);
    setNote(null);
    try {
      const c = run.config;
      const res = await call('bsde-compare', {
        label: `R sweep · ${sourceLabel(c.greeks, run.metrics?.scheme)} · ${fmtInt(c.paths)} paths`,
        solveRunIds: [c.solveRunId],
        greeks: [c.greeks],
        strategies: [...STRATEGIES],
        rebalance: [...REBALANCE_PRESETS],
        paths: c.paths,
        closedFormSteps: c.greeks === 'closed-form' ? (c.steps ?? run.metrics?.steps ?? null) : null,
        instruments: c.instruments,
        seed: c.seed,
      });
      setNote({ ok: true, text: `Started ${res.runIds.length} hedge runs (a comparison); points appear as they finish.` });
    } catch (e) {
      setNote({ ok: false, text: appErrorOf(e).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={cx('chart-box', styles.convBox)} data-testid="rb-convergence">
      <div className={cx('chart-title', styles.convTitle)}>
        <span>Convergence in R:</span>
        <select data-testid="rb-conv-stat" value={key} onChange={(e) => setKey(e.target.value as StatKey)} className={styles.select}>
          {CONVERGENCE_STATS.map((k) => (
            <option key={k} value={k}>
              {statDef(k).label} ({statDef(k).unit})
            </option>
          ))}
        </select>
        <span className={cx('muted', styles.ellipsis)}>
          {sourceLabel(run.config.greeks, run.metrics?.scheme)} · {fmtInt(run.config.paths)} paths · {points} run{points === 1 ? '' : 's'}
        </span>
        <span className="spacer" />
        {missing > 0 && (
          <button type="button" className="small" data-testid="rb-conv-fill" disabled={busy} onClick={() => void fill()} title="Hedge the missing (strategy, R) cells with these settings">
            {busy ? 'Starting…' : 'Fill in R'}
          </button>
        )}
      </div>
      <EChart option={option} testId="rb-conv-chart" className={cx('chart', styles.chart)} ariaLabel={`${def.label} against R, delta and delta-gamma`} seriesCount={lines.length} />
      {points < 2 && <div className={cx('muted', styles.convNote)}>Only this run so far: hedge with other R (or Fill in R) to see the statistic fall with R.</div>}
      {note && (
        <div className={cx(note.ok ? 'muted' : 'inline-error', styles.convNote)} data-testid="rb-conv-fill-note">
          {note.text}
        </div>
      )}
    </div>
  );
}
