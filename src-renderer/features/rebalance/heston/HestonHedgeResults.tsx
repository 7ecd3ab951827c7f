import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { strategyInstruments } from '../../../../src-shared/heston/hedge';
import { sameProblem } from '../../../../src-shared/heston/market';
import { fmtInt, fmtPct, fmtSig } from '../../../app/format';
import { EChart } from '../../../components/EChart';
import { call } from '../../../ipc/client';
import { pnlChartOption } from '../../runs/pnlChart';
import { type HestonRun } from '../../portfolio/heston/useHestonRuns';
import { PCT_PNL_UNITS, convergenceOption, inPercent } from '../charts';
import { type StatKey, fmtStat, statDef } from '../stats';
import { HestonHedgeSchedulePanel } from './HestonHedgeSchedule';
import { HESTON_STRATEGY_COLORS, type HestonHedgeRun, STRATEGY_SHORT, cellOf, greeksText } from './hestonRuns';
import { RebalanceSelect } from './RebalanceSelect';
import styles from './hestonHedge.module.css';
import { cx } from '../../../styles/cx';

/** The columns of the statistics table (the source's table 2 and the spec's list), in order. */
const TABLE_KEYS: StatKey[] = ['mean', 'variance', 'semivariance', 'var1', 'es1', 'var5', 'es5', 'var95', 'es95', 'var99', 'es99'];

/**
 * A finished Heston hedge run: per-strategy relative-PnL histograms with KDE side by side at a chosen R, the
 * statistics table for every (strategy, R) with the weight systems' condition numbers, variance against R (log
 * axes), OSM against RDBDP (and PDE) Greeks from other runs on the same claim, and the schedule of any path.
 */
export function HestonHedgeResults({ run, all, solves }: { run: HestonHedgeRun; all: HestonHedgeRun[]; solves: HestonRun[] }) {
  const m = run.metrics!;
  const c = run.config;
  const [R, setR] = useState<number>(c.rebalance[c.rebalance.length - 1]);
  const dist = useQuery({ queryKey: ['heston-hedge-distribution', run.id, R], queryFn: () => call('heston-hedge-distribution', { runId: run.id, rebalance: R }), staleTime: Infinity });
  const variance = statDef('variance');
  const convergence = useMemo(
    () =>
      convergenceOption(
        c.strategies.map((s) => ({ name: `${STRATEGY_SHORT[s]} (${s})`, color: HESTON_STRATEGY_COLORS[s], points: m.cells.filter((x) => x.strategy === s).map((x) => ({ r: x.rebalance, value: x.stats.variance, runId: run.id })) })),
        variance,
      ),
    [c.strategies, m.cells, run.id, variance],
  );
  // Other finished runs on the same market and claim with another Greek source (OSM vs RDBDP, PDE).
  const solveOf = (id: string) => solves.find((s) => s.id === id);
  const mine = solveOf(c.solveRunId);
  const others = all.filter((r) => {
    if (r.id === run.id || r.status !== 'done' || !r.metrics || r.metrics.greeks === m.greeks) return false;
    const s = solveOf(r.config.solveRunId);
    return !!mine && !!s && sameProblem(mine.config, s.config);
  });
  const compared = others.filter((o, i) => others.findIndex((x) => x.metrics!.greeks === o.metrics!.greeks) === i);

  return (
    <div className={styles.results} data-testid="hh-results">
      <div className={styles.toolbar}>
        <label>
          Histograms at R =
          <RebalanceSelect values={c.rebalance} value={R} onChange={setR} testId="hh-hist-r" />
        </label>
        <span className="muted">
          V₀ = {fmtSig(m.v0, 6)} (claim value at t = 0, currency) · early exercise on {fmtPct(m.earlyExercise)} of paths · relative PnL X = V_T / |V₀|
        </span>
      </div>
      <div className={styles.hists} data-testid="hh-histograms">
        {dist.data
          ? dist.data.strategies.map(({ strategy, dist: d }) => {
              const cell = cellOf(m, strategy, R);
              const opt = pnlChartOption(inPercent(d), [{ name: `${STRATEGY_SHORT[strategy]} · R = ${R}`, color: HESTON_STRATEGY_COLORS[strategy], mean: cell ? 100 * cell.stats.mean : null }], { overlay: false, units: PCT_PNL_UNITS });
              return (
                <div key={strategy} className={cx('chart-box', styles.histBox)}>
                  <div className="chart-title">
                    {STRATEGY_SHORT[strategy]} <span className="muted">({strategy})</span>
                    {d.series[0]?.clipped ? <span className="muted"> · {fmtInt(d.series[0].clipped)} paths outside the range</span> : null}
                  </div>
                  <EChart option={opt} testId={`hh-hist-${strategy}`} className={cx('chart', styles.histChart)} ariaLabel={`Relative PnL histogram with KDE, ${strategy}, R = ${R}`} seriesCount={1} />
                </div>
              );
            })
          : (
            <div className={cx('chart', 'placeholder')} data-testid={dist.error ? 'hh-hist-error' : 'hh-hist-loading'}>
              {dist.error ? `Could not load the PnL samples: ${(dist.error as Error).message}` : 'Loading the PnL samples…'}
            </div>
          )}
      </div>
      <div className={styles.tableWrap}>
        <table className="metrics-table" data-testid="hh-stats-table">
          <thead>
            <tr>
              <th>Strategy</th>
              <th className="num">R</th>
              {TABLE_KEYS.map((k) => (
                <th key={k} className="num" title={statDef(k).hint}>
                  {statDef(k).label}
                  <div className="muted">{statDef(k).unit}</div>
                </th>
              ))}
              <th className="num" title="condition number (inf-norm) of the row-scaled weight systems: geometric mean / max">
                cond (geo / max)
              </th>
              <th className="num" title="systems that were singular and solved by least squares">LS fallbacks</th>
            </tr>
          </thead>
          <tbody>
            {m.cells.map((x) => (
              <tr key={`${x.strategy}-${x.rebalance}`} data-testid="hh-stats-row" data-strategy={x.strategy} data-r={x.rebalance}>
                <td>{STRATEGY_SHORT[x.strategy]}</td>
                <td className="num" title={x.exact ? 'equidistant dates' : 'R does not divide N: nearest grid dates'}>
                  {x.rebalance}
                  {x.exact ? '' : '*'}
                </td>
                {TABLE_KEYS.map((k) => (
                  <td key={k} className="num" data-testid={`hh-stat-${k}`}>
                    {fmtStat(statDef(k), x.stats)}
                  </td>
                ))}
                <td className="num">{x.cond ? `${fmtSig(x.cond.geoMean, 3)} / ${fmtSig(x.cond.max, 3)}` : '—'}</td>
                <td className={cx('num', x.cond?.fallbacks ? styles.warn : undefined)} data-testid="hh-fallbacks">
                  {x.cond ? fmtInt(x.cond.fallbacks) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          VaR and ES are losses of the lower tail (positive numbers, % of |V₀|); the upper quantiles are signed gains. * R does not divide N = {m.steps}: nearest grid dates. Instruments:{' '}
          {m.instruments.map((i) => i.label).join('; ')}. Delta hedging uses none; each further strategy adds the next.
        </p>
      </div>
      <div className={styles.charts}>
        <div className={cx('chart-box', styles.convBox)}>
          <div className="chart-title">Variance of V_T/|V₀| against R (log–log)</div>
          <EChart option={convergence} testId="hh-variance-r" className={cx('chart', styles.convChart)} ariaLabel="Variance against the number of rebalancing dates" seriesCount={c.strategies.length} />
        </div>
        <div className={cx('chart-box', styles.compare)} data-testid="hh-compare">
          <div className="chart-title">Greek sources on the same claim: variance of V_T/|V₀|</div>
          {compared.length === 0 ? (
            <p className="muted" data-testid="hh-compare-empty">
              No hedge run with another Greek source on this claim yet. Solve the same claim with the other scheme (OSM / RDBDP) in the Portfolio tab and hedge it here — or hedge this solve with the PDE Greeks — to compare.
            </p>
          ) : (
            <table className="metrics-table" data-testid="hh-compare-table">
              <thead>
                <tr>
                  <th>Strategy</th>
                  <th className="num">R</th>
                  <th className="num">{greeksText(m.greeks, c.greeks)}</th>
                  {compared.map((o) => (
                    <th key={o.id} className="num">
                      {greeksText(o.metrics!.greeks, o.config.greeks)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {m.cells
                  .filter((x) => compared.some((o) => cellOf(o.metrics!, x.strategy, x.rebalance)))
                  .map((x) => (
                    <tr key={`${x.strategy}-${x.rebalance}`}>
                      <td>{STRATEGY_SHORT[x.strategy]}</td>
                      <td className="num">{x.rebalance}</td>
                      <td className="num">{fmtStat(variance, x.stats)}</td>
                      {compared.map((o) => (
                        <td key={o.id} className="num">
                          {fmtStat(variance, cellOf(o.metrics!, x.strategy, x.rebalance)?.stats)}
                        </td>
                      ))}
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
      <HestonHedgeSchedulePanel run={run} maxInstruments={Math.max(...c.strategies.map(strategyInstruments))} />
    </div>
  );
}
