import { useMemo } from 'react';
import { type BsdeHedgeMetrics } from '../../../src-shared/bsde/hedge';
import { fmtDuration, fmtInt, fmtPct, fmtPlain, fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { useDistribution } from '../../hooks/useDistribution';
import { pnlChartOption } from '../runs/pnlChart';
import { PCT_PNL_UNITS, inPercent } from './charts';
import { ConvergenceChart } from './ConvergenceChart';
import { type HedgeRun, hedgeTitle } from './runs';
import { SQ_UNIT, STAT_DEFS, fmtStat } from './stats';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

/** Self-financing holds "to rounding" when the largest value jump at a trade is below this share of |V_0|. */
const SELF_FINANCING_TOL = 1e-8;

/**
 * A finished hedge run: the relative-PnL histogram with its KDE (% of |V_0|), the statistics table, the
 * convergence of a chosen statistic against R (from the sibling runs), and the run's checks — early-exercise
 * shares per option, the self-financing check, LSQR figures, timings.
 */
export function HedgeResults({ run, siblings }: { run: HedgeRun; siblings: HedgeRun[] }) {
  const m = run.metrics!;
  const ids = useMemo(() => [run.id], [run.id]);
  const dist = useDistribution(ids);
  const option = useMemo(
    () => (dist.data ? pnlChartOption(inPercent(dist.data), [{ name: hedgeTitle(run), mean: 100 * m.stats.mean }], { overlay: false, units: PCT_PNL_UNITS }) : null),
    [dist.data, run, m.stats.mean],
  );
  const clipped = dist.data?.series[0]?.clipped ?? 0;

  return (
    <div className={styles.results} data-testid="rb-results">
      <div className={styles.resultsCharts}>
        <div className={cx('chart-box', styles.histBox)}>
          <div className="chart-title">
            Relative PnL (PnL / |V₀|, in %): histogram (density) and KDE
            {clipped > 0 && <span className="muted"> · {fmtInt(clipped)} paths outside the shown range (0.05%–99.95% quantiles)</span>}
          </div>
          {option ? (
            <EChart option={option} testId="rb-histogram" className={cx('chart', styles.chart)} ariaLabel="Relative PnL histogram with KDE" seriesCount={dist.data?.series.length} />
          ) : (
            <div className={cx('chart', 'placeholder', styles.chart)} data-testid={dist.error ? 'rb-histogram-error' : 'rb-histogram-loading'}>
              {dist.error ? `Could not load the PnL sample: ${dist.error}` : 'Loading the PnL sample…'}
            </div>
          )}
        </div>
        <ConvergenceChart run={run} siblings={siblings} />
      </div>
      <div className={styles.stats}>
        <table className="metrics-table" data-testid="rb-stats-table">
          <thead>
            <tr>
              <th>Statistic</th>
              <th className="num">Value</th>
              <th>Unit</th>
            </tr>
          </thead>
          <tbody>
            {STAT_DEFS.map((d) => (
              <tr key={d.key} title={d.hint}>
                <td>{d.label}</td>
                <td className="num" data-testid={`rb-stat-${d.key}`}>
                  {fmtStat(d, m.stats)}
                </td>
                <td className="unit">{d.unit}</td>
              </tr>
            ))}
            <tr>
              <td>Paths</td>
              <td className="num" data-testid="rb-stat-n">
                {fmtInt(m.stats.n)}
              </td>
              <td className="unit">paths</td>
            </tr>
          </tbody>
        </table>
        <p className="note">
          X = PnL / |V₀| of the hedger short the book, where V₀ = {fmtSig(m.v0, 5)} (money) is the book&apos;s value at t = 0 from the Greek source. VaR and
          ES are the lower tail as positive losses (VaR 99% = −(1% quantile of X), ES the mean loss beyond it); the upper tail is shown signed. Variance and semivariance are of X
          (dimensionless, {SQ_UNIT}).
        </p>
        <RunChecks m={m} />
      </div>
    </div>
  );
}

function RunChecks({ m }: { m: BsdeHedgeMetrics }) {
  const sfRel = m.selfFinancingMaxAbs / Math.max(Math.abs(m.v0), 1e-300);
  const sfOk = sfRel <= SELF_FINANCING_TOL;
  return (
    <div className={styles.checks}>
      <div className={styles.subhead}>Early exercise</div>
      <table className="metrics-table" data-testid="rb-exercise-table">
        <thead>
          <tr>
            <th>Option</th>
            <th className="num">Exercised early</th>
          </tr>
        </thead>
        <tbody>
          {m.optionLabels.map((label, j) => (
            <tr key={j}>
              <td className={styles.ellipsis} title={label}>
                {label || `option ${j + 1}`}
              </td>
              <td className="num" data-testid={`rb-exercise-${j}`}>
                {fmtPct(m.earlyExercise[j] ?? 0, 2)} of paths
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.subhead}>Checks and cost</div>
      <table className="metrics-table" data-testid="rb-checks-table">
        <tbody>
          <tr title="max over paths and dates of |hedge value before the trade − after the trade|">
            <td>Self-financing</td>
            <td className="num" data-testid="rb-selffinancing">
              {fmtSig(m.selfFinancingMaxAbs, 3)}
            </td>
            <td className="unit">money</td>
            <td>
              <span className={sfOk ? styles.ok : styles.bad} data-testid="rb-selffinancing-verdict">
                {sfOk ? 'holds to rounding' : `off by ${fmtSig(sfRel, 2)} |V₀|`}
              </span>
            </td>
          </tr>
          {m.lsqr ? (
            <>
              <tr>
                <td>LSQR solves</td>
                <td className="num" data-testid="rb-lsqr-solves">
                  {fmtInt(m.lsqr.solves)}
                </td>
                <td className="unit">solves</td>
                <td className="muted">one per path and date</td>
              </tr>
              <tr>
                <td>LSQR iterations</td>
                <td className="num" data-testid="rb-lsqr-iterations">
                  {fmtSig(m.lsqr.meanIterations, 3)}
                </td>
                <td className="unit">mean</td>
                <td className="muted">max {fmtInt(m.lsqr.maxIterations)}</td>
              </tr>
              <tr title="largest ||A w − b|| / ||b|| of the Gamma-matching system">
                <td>LSQR residual</td>
                <td className="num" data-testid="rb-lsqr-residual">
                  {fmtSig(m.lsqr.maxRelResidual, 2)}
                </td>
                <td className="unit">relative</td>
                <td className="muted">max over solves</td>
              </tr>
            </>
          ) : (
            <tr>
              <td>LSQR</td>
              <td className="num" data-testid="rb-lsqr-solves">
                —
              </td>
              <td className="unit" />
              <td className="muted">not used (delta hedge)</td>
            </tr>
          )}
          <tr>
            <td>Gamma instruments</td>
            <td className="num" data-testid="rb-instruments-count">
              {fmtInt(m.instruments.length)}
            </td>
            <td className="unit">instr.</td>
            <td className={cx('muted', styles.ellipsis)} title={m.instruments.map((i) => i.label).join(', ')}>
              {m.instruments.length ? `T̃ = ${fmtPlain(m.instruments[0].maturity)} y` : 'delta hedge'}
            </td>
          </tr>
          <tr>
            <td>Time total</td>
            <td className="num" data-testid="rb-time-total">
              {fmtDuration(m.timing.totalMs)}
            </td>
            <td className="unit" />
            <td className="muted">
              Greeks {fmtDuration(m.timing.greeksMs)} · LSQR {fmtDuration(m.timing.lsqrMs)} · paths {fmtDuration(m.timing.simMs)}
            </td>
          </tr>
          <tr>
            <td>Peak memory</td>
            <td className="num" data-testid="rb-peak-rss">
              {fmtSig(m.peakRssBytes / 1e6, 3)}
            </td>
            <td className="unit">MB</td>
            <td className="muted">process RSS</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
