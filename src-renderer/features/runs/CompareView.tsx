import { useMemo } from 'react';
import { type RunSummary } from '../../../src-shared/api/runs';
import { fmtBp, fmtInt, fmtPct, fmtPlain, fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { SERIES_COLORS } from '../../components/echarts';
import { useDistribution } from '../../hooks/useDistribution';
import { modelShort, optionShort } from '../hedging/labels';
import { METRIC_DEFS, bestIndex } from './metrics';
import { pnlChartOption } from './pnlChart';
import { runTitle } from './runText';

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
];

/** Several finished runs: overlaid histograms + KDEs, and their metrics side by side (best per row marked). */
export function CompareView({ runs, onClose, onActivate }: Props) {
  const done = useMemo(() => runs.filter((r) => r.status === 'done'), [runs]);
  const skipped = runs.length - done.length;
  const ids = useMemo(() => (done.length >= 2 ? done.map((r) => r.id) : null), [done]);
  const dist = useDistribution(ids);
  const names = useMemo(() => legendNames(done), [done]);
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
        <div className="compare-body">
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
          <div className="compare-table-wrap">
            <table className="metrics-table compare-table" data-testid="compare-table">
              <thead>
                <tr>
                  <th>Metric</th>
                  <th>Unit</th>
                  {done.map((r, i) => (
                    <th key={r.id} className="num run-col" title={`${names[i]}\n${r.id}`}>
                      <button type="button" className="link-button" onClick={() => onActivate(r.id)} title="Show this run">
                        <span className="swatch" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} />
                        <span className="run-col-name">{names[i]}</span>
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {CONFIG_ROWS.map((row) => (
                  <tr key={row.key} className="config-row">
                    <td>{row.label}</td>
                    <td className="unit" />
                    {done.map((r) => (
                      <td key={r.id} className="num">
                        {row.value(r)}
                      </td>
                    ))}
                  </tr>
                ))}
                {METRIC_DEFS.map((d) => {
                  const values = done.map((r) => r.metrics?.[d.key] ?? null);
                  const best = bestIndex(d, values);
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
            <p className="note">Highlighted: the best value in each row (lower risk or cost, higher mean PnL).</p>
          </div>
        </div>
      )}
    </section>
  );
}
