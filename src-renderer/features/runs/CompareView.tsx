import { useMemo, useState } from 'react';
import { type RunSummary } from '../../../src-shared/api/runs';
import { fmtBp, fmtInt, fmtPct, fmtPlain, fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { NoHedgeBadge } from '../../components/NoHedgeBadge';
import { SERIES_COLORS } from '../../components/echarts';
import { useDistribution } from '../../hooks/useDistribution';
import { type CriterionFields, criterionKey, criterionLabel } from '../../../src-shared/hedging/criteria';
import { DOES_NOT_HEDGE_LABEL, comparisonRanking, rankedByText, runCriterion } from '../../../src-shared/hedging/ranking';
import { modelShort, optionShort } from '../hedging/labels';
import { METRIC_DEFS, bestIndex } from './metrics';
import { pnlChartOption } from './pnlChart';
import { runTitle } from './runText';
import styles from './runs.module.css';
import { cx } from '../../styles/cx';

interface Props {
  runs: RunSummary[];
  onClose(): void;
  onActivate(runId: string): void;
}

/** Unique legend names: a run's title, with a short id appended when two titles clash. */
function legendNames(runs: RunSummary[]): string[] {
  const titles = runs.map(runTitle);
  return titles.map((t, i) => (titles.indexOf(t) !== i || titles.lastIndexOf(t) !== i ? `${t} (${runs[i].id.slice(0, 6)})` : t));
}

const CONFIG_ROWS: Array<{ key: string; label: string; value(r: RunSummary): string }> = [
  { key: 'model', label: 'Model', value: (r) => modelShort(r.model) },
  { key: 'option', label: 'Option', value: (r) => optionShort(r.config.option) },
  { key: 'strike', label: 'Strike K (P₀)', value: (r) => fmtPlain(r.config.strike) },
  { key: 'sigma', label: 'σ (/yr)', value: (r) => fmtPct(r.config.sigma) },
  { key: 'drift', label: 'μ (/yr)', value: (r) => fmtPct(r.config.drift) },
  { key: 'cost', label: 'Cost c', value: (r) => fmtBp(r.config.cost) },
  { key: 'daysSteps', label: 'Calendar days / steps', value: (r) => `${fmtPlain(r.config.days)} d / ${r.config.steps}` },
  { key: 'paths', label: 'Paths', value: (r) => fmtInt(r.config.paths) },
  { key: 'seed', label: 'Seed', value: (r) => String(r.seed) },
  { key: 'criterion', label: 'Trained on', value: (r) => criterionLabel(runCriterion(r.config as CriterionFields, r.metrics)) },
];

const BASIS_TEXT = {
  common: 'the criterion every run here was trained on',
  chosen: 'chosen here; the runs were trained on different criteria',
  mixed: 'the runs were trained on different criteria; this is the most common — pick another below',
} as const;

/** Several finished runs: overlaid histograms + KDEs, and their metrics side by side (best per row marked). */
export function CompareView({ runs, onClose, onActivate }: Props) {
  const done = useMemo(() => runs.filter((r) => r.status === 'done'), [runs]);
  const skipped = runs.length - done.length;
  const ids = useMemo(() => (done.length >= 2 ? done.map((r) => r.id) : null), [done]);
  const dist = useDistribution(ids);
  const names = useMemo(() => legendNames(done), [done]);
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const ranking = useMemo(() => comparisonRanking(done.map((r) => ({ config: r.config as CriterionFields, metrics: r.metrics })), chosenKey), [done, chosenKey]);
  const notHedging = ranking.entries.map((e) => e.doesNotHedge);
  const option = useMemo(() => {
    if (!dist.data) return null;
    // The host answers in the order asked, but match by id to be safe.
    const byId = new Map(done.map((r, i) => [r.id, i]));
    const metas = dist.data.series.map((s) => {
      const i = byId.get(s.runId) ?? 0;
      return { name: names[i], color: SERIES_COLORS[i % SERIES_COLORS.length], mean: done[i]?.metrics?.mean };
    });
    return pnlChartOption(dist.data, metas, { overlay: true });
  }, [dist.data, done, names]);

  return (
    <section className="panel compare" data-testid="compare-view">
      <header className="run-header">
        <div className="run-title">
          <span className="run-name">Compare {done.length} runs</span>
          {skipped > 0 && (
            <span className="muted">
              ({skipped} selected run{skipped > 1 ? 's' : ''} not finished, left out)
            </span>
          )}
          <span className="spacer" />
          <button type="button" className="small" onClick={onClose} data-testid="compare-close">
            Close comparison
          </button>
        </div>
      </header>
      {done.length < 2 ? (
        <div className="run-message warn">Select at least two finished runs to compare.</div>
      ) : (
        <div className={styles.body}>
          <div className="chart-box">
            <div className="chart-title">PnL distributions overlaid: histogram (density) and KDE per run</div>
            {option ? (
              <EChart
                option={option}
                testId="compare-chart"
                className="chart"
                ariaLabel="Overlaid PnL histograms"
                seriesCount={dist.data?.series.length}
              />
            ) : (
              <div className="chart placeholder">{dist.error ? `Could not load distributions: ${dist.error}` : 'Loading distributions…'}</div>
            )}
          </div>
          <div className={styles.tableWrap}>
            <p className={cx('note', styles.rankedBy)} data-testid="compare-ranked-by">
              <b>{rankedByText(ranking.criterion)[0].toUpperCase() + rankedByText(ranking.criterion).slice(1)}</b> ({BASIS_TEXT[ranking.basis]}).{' '}
              {ranking.options.length > 1 && (
                <label>
                  Rank by{' '}
                  <select data-testid="compare-rank-criterion" value={criterionKey(ranking.criterion)} onChange={(e) => setChosenKey(e.target.value)}>
                    {ranking.options.map((o) => (
                      <option key={criterionKey(o)} value={criterionKey(o)}>
                        {criterionLabel(o)}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </p>
            <table className={cx('metrics-table', styles.table)} data-testid="compare-table">
              <thead>
                <tr>
                  <th>Metric</th>
                  <th>Unit</th>
                  {done.map((r, i) => (
                    <th key={r.id} className={cx('num', styles.runCol)} data-testid="compare-run-col" title={`${names[i]}\n${r.id}`}>
                      <button type="button" className="link-button" onClick={() => onActivate(r.id)} title="Show this run">
                        <span className="swatch" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} />
                        <span className={styles.runColName}>{names[i]}</span>
                      </button>
                      {notHedging[i] && (
                        <NoHedgeBadge layout="block" testId={`compare-does-not-hedge-${i}`} />
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {CONFIG_ROWS.map((row) => (
                  <tr key={row.key} className={styles.configRow}>
                    <td>{row.label}</td>
                    <td className="unit" />
                    {done.map((r) => (
                      <td key={r.id} className="num">
                        {row.value(r)}
                      </td>
                    ))}
                  </tr>
                ))}
                <tr title="1 = best on the ranking criterion; runs that do not hedge rank after all runs that hedge and are never best">
                  <td>Rank on {criterionLabel(ranking.criterion)}</td>
                  <td className="unit" />
                  {ranking.entries.map((e, i) => (
                    <td key={done[i].id} className={`num${e.best ? ' best' : ''}`} data-testid={`compare-rank-${i}`} title={e.best ? 'best on the ranking criterion' : undefined}>
                      {e.rank ?? '—'}
                      {e.doesNotHedge ? ` (${DOES_NOT_HEDGE_LABEL})` : ''}
                    </td>
                  ))}
                </tr>
                <tr title={`The ranking criterion on each run's test paths (${criterionLabel(ranking.criterion)}; lower is better)`}>
                  <td>{criterionLabel(ranking.criterion)}</td>
                  <td className="unit">P₀</td>
                  {ranking.entries.map((e, i) => (
                    <td key={done[i].id} className={`num${e.best ? ' best' : ''}`} data-testid={`compare-criterion-${i}`}>
                      {e.value === null ? 'not measured' : fmtSig(e.value)}
                    </td>
                  ))}
                </tr>
                {METRIC_DEFS.map((d) => {
                  const values = done.map((r) => r.metrics?.[d.key] ?? null);
                  const best = bestIndex(d, values, notHedging);
                  return (
                    <tr key={d.key} className={d.sub ? 'sub' : undefined} title={d.hint}>
                      <td>{d.label}</td>
                      <td className="unit">{d.unit}</td>
                      {values.map((v, i) => (
                        <td
                          key={done[i].id}
                          className={`num${best === i ? ' best' : ''}`}
                          data-testid={`compare-${d.key}-${i}`}
                          title={best === i ? `best (${d.better} is better)` : undefined}
                        >
                          {fmtSig(v)}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="note">
              Highlighted: the best value in each row (lower risk or cost, higher mean PnL) among the runs that hedge. A run
              whose mean |position| is below 10% of BSDH’s on the same paths is labelled “{DOES_NOT_HEDGE_LABEL}”: it saves
              the costs by not trading, which can look best on cost or on the entropic loss at a = 1, while its tail (ES) is
              far worse.
            </p>
          </div>
        </div>
      )}
    </section>
  );
}
