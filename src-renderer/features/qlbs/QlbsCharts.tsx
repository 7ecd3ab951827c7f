import { useEffect, useMemo, useState } from 'react';
import { type QlbsConfig, type QlbsMetrics } from '../../../src-shared/qlbs/config';
import { type QlbsPortfolio, type QlbsQSurface } from '../../../src-shared/qlbs/contract';
import { type Method, type Req, type Res } from '../../../src-shared/api/contract';
import { EChart } from '../../components/EChart';
import { type EChartsCoreOption } from '../../components/echarts';
import { appErrorOf, call } from '../../ipc/client';
import { fmtSig } from '../../app/format';
import { fmtYears, hedgeChartOption, hedgeClipped, portfolioOption, qSurfaceOption } from './charts';
import styles from './qlbs.module.css';
import { cx } from '../../styles/cx';

/** Finished runs never change: answers of the read handlers are cached by method and arguments. */
const cache = new Map<string, unknown>();
const MAX_CACHED = 60;

function useRead<M extends Method>(method: M, args: Req<M> | null): { data: Res<M> | null; error: string | null } {
  const key = args ? `${method}|${JSON.stringify(args)}` : null;
  const [state, setState] = useState<{ key: string | null; data: Res<M> | null; error: string | null }>({ key: null, data: null, error: null });
  useEffect(() => {
    if (!key || !args) return;
    if (cache.has(key)) {
      setState({ key, data: cache.get(key) as Res<M>, error: null });
      return;
    }
    let live = true;
    call(method, args)
      .then((d) => {
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
        cache.set(key, d);
        if (live) setState({ key, data: d, error: null });
      })
      .catch((e) => live && setState({ key, data: null, error: appErrorOf(e).message }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` captures method and args
  }, [key]);
  return state.key === key ? { data: state.data, error: state.error } : { data: null, error: null };
}

/** Forget cached answers of deleted runs. */
export function forgetQlbsReads(runIds: string[]): void {
  for (const k of [...cache.keys()]) if (runIds.some((id) => k.includes(id))) cache.delete(k);
}

/** Default hedge times: about a quarter, half and three quarters of the way, and the last step. */
export function defaultTimes(steps: number): number[] {
  const picks = [Math.round(steps / 4), Math.round(steps / 2), Math.round((3 * steps) / 4), steps - 1];
  return [...new Set(picks.filter((t) => t >= 1 && t < steps))].sort((a, b) => a - b);
}

/** The time steps offered as chips: all of them up to 36 steps, else 24 evenly spaced (0 and the last included). */
function timeChoices(steps: number): number[] {
  if (steps <= 36) return Array.from({ length: steps }, (_, t) => t);
  const out = new Set<number>();
  for (let i = 0; i < 24; i++) out.add(Math.round((i * (steps - 1)) / 23));
  return [...out];
}

const MAX_TIMES = 8;

/** The learned hedge a_t(S) against the Black-Scholes delta at the chosen time steps. */
export function HedgeChart({ runId, config }: { runId: string; config: QlbsConfig }) {
  const [times, setTimes] = useState<number[]>(() => defaultTimes(config.steps));
  useEffect(() => setTimes(defaultTimes(config.steps)), [runId, config.steps]);
  const args = useMemo(() => (times.length ? { runId, times } : null), [runId, times]);
  const { data, error } = useRead('qlbs-curves', args);
  const option = useMemo(() => (data ? hedgeChartOption(data) : null), [data]);
  const clipped = useMemo(() => (data ? hedgeClipped(data) : false), [data]);
  const dt = config.maturity / config.steps;
  const stride = config.method === 'fqi' ? config.steps / config.fqiSteps : 0;
  const toggle = (t: number) =>
    setTimes((cur) => (cur.includes(t) ? cur.filter((x) => x !== t) : cur.length >= MAX_TIMES ? cur : [...cur, t].sort((a, b) => a - b)));
  return (
    <div className={cx('chart-box', styles.chartBox)}>
      <div className="chart-title">
        Hedge a_t(S) vs BS delta{' '}
        <span className="muted" title="Spots from the 0.5% to the 99.5% quantile of S_t over the paths; dashed chips are dates on the FQI grid">
          · solid DP, dashed FQI, dotted BS{clipped ? ' · clipped to Δ ± 0.6' : ''}
        </span>
      </div>
      <div className={styles.chips} role="group" aria-label="time steps shown" data-testid="qlbs-hedge-times">
        {timeChoices(config.steps).map((t) => (
          <button
            key={t}
            type="button"
            className={cx(styles.chip, times.includes(t) && styles.on, stride > 0 && t % stride === 0 && styles.fqi)}
            aria-pressed={times.includes(t)}
            data-testid={`qlbs-time-${t}`}
            title={`t = ${t}: ${fmtYears(t * dt)} elapsed, τ = ${fmtYears(config.maturity - t * dt)} to maturity${stride > 0 && t % stride === 0 ? ' (on the FQI grid)' : ''}`}
            onClick={() => toggle(t)}
          >
            {t}
          </button>
        ))}
      </div>
      <ChartOrNote option={option} error={error} empty={times.length === 0 ? 'Pick at least one time step above.' : null} testId="qlbs-hedge-chart" label="Learned hedge against the Black-Scholes delta" series={data?.curves.length} />
    </div>
  );
}

/** The fitted FQI Q_t(S, a) as a heat map at one FQI time step, with the hedge lines over it. */
export function QSurfaceChart({ runId, config }: { runId: string; config: QlbsConfig }) {
  const steps = config.method === 'fqi' ? config.fqiSteps : 0;
  const [t, setT] = useState(() => Math.max(1, Math.floor(steps / 2)));
  useEffect(() => setT(Math.max(1, Math.floor(steps / 2))), [runId, steps]);
  const available = config.method === 'fqi' && steps >= 2;
  const args = useMemo(() => (available ? { runId, t } : null), [available, runId, t]);
  const { data, error } = useRead('qlbs-qsurface', args);
  const [relative, setRelative] = useState(false);
  const option = useMemo(() => (data ? qSurfaceOption(data as QlbsQSurface, relative) : null), [data, relative]);
  const dtF = steps > 0 ? config.maturity / steps : 0;
  return (
    <div className={cx('chart-box', styles.chartBox)}>
      <div className={cx('chart-title', styles.chartTitleRow)}>
        <span>
          FQI Q_t(S, a) <span className="muted">· money</span>
        </span>
        {available && (
          <span className={styles.inlineControls}>
          <label className={styles.inlineSelect} title="Colour Q itself, or Q minus its maximum over the actions at each spot">
            colour{' '}
            <select data-testid="qlbs-q-colour" value={relative ? 'rel' : 'abs'} onChange={(e) => setRelative(e.target.value === 'rel')}>
              <option value="abs">Q</option>
              <option value="rel">Q − max_a Q</option>
            </select>
          </label>
          <label className={styles.inlineSelect}>
            FQI step{' '}
            <select data-testid="qlbs-q-time" value={t} onChange={(e) => setT(Number(e.target.value))}>
              {Array.from({ length: steps - 1 }, (_, i) => i + 1).map((k) => (
                <option key={k} value={k}>
                  t={k} ({fmtYears(k * dtF)})
                </option>
              ))}
            </select>
          </label>
          </span>
        )}
      </div>
      <ChartOrNote
        option={option}
        error={error}
        empty={
          config.method !== 'fqi'
            ? 'Q(S, a) is fitted by FQI: this run used DP only. Start a run with method DP + FQI.'
            : steps < 2
              ? 'The FQI grid has one step: Q is known only at S₀. Use 2 or more FQI steps.'
              : null
        }
        testId="qlbs-q-chart"
        label="Heat map of the fitted Q-value over spot and action"
        series={data ? 4 : undefined}
      />
    </div>
  );
}

/** Distribution over the paths of the hedge portfolio at t = 0 (DP, and FQI's behaviour portfolio). */
export function PortfolioChart({ runId, metrics }: { runId: string; metrics: QlbsMetrics }) {
  const args = useMemo(() => ({ runId, bins: 60 }), [runId]);
  const { data, error } = useRead('qlbs-portfolio', args);
  const p = data as QlbsPortfolio | null;
  const option = useMemo(() => (p ? portfolioOption(p.distribution, [p.dpMean, p.fqiMean], p.bsPrice) : null), [p]);
  return (
    <div className={cx('chart-box', styles.chartBox)}>
      <div className="chart-title">
        Hedge portfolio Π₀ over the paths{' '}
        <span className="muted">
          · dashed: means {fmtSig(metrics.dpHedgeCost, 4)}
          {metrics.fqiHedgeCost !== null ? ` / ${fmtSig(metrics.fqiHedgeCost, 4)}` : ''} · black: BS {fmtSig(metrics.bsPrice, 4)}
        </span>
      </div>
      <ChartOrNote option={option} error={error} empty={null} testId="qlbs-portfolio-chart" label="Histogram of the portfolio value at t = 0" series={metrics.fqiHedgeCost === null ? 1 : 2} />
    </div>
  );
}

function ChartOrNote(props: { option: EChartsCoreOption | null; error: string | null; empty: string | null; testId: string; label: string; series?: number }) {
  if (props.empty) return <div className="chart placeholder" data-testid={`${props.testId}-note`}>{props.empty}</div>;
  if (props.error) return <div className={cx('chart', 'placeholder', styles.error)} role="alert" data-testid={`${props.testId}-error`}>Could not load: {props.error}</div>;
  if (!props.option) return <div className="chart placeholder">Loading…</div>;
  return <EChart option={props.option} testId={props.testId} className="chart" ariaLabel={props.label} seriesCount={props.series} />;
}

