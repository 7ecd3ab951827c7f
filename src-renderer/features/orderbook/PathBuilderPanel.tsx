import { useEffect, useMemo, useState } from 'react';
import { isTerminal } from '../../../src-shared/api/runs';
import { TRADING_SECONDS_PER_YEAR, type DatasetSummary, type TimeUnits, type PathsMetrics, type WapKind, type WindowMode } from '../../../src-shared/orderbook/contract';
import { fmtInt, fmtPct, fmtSig } from '../../app/format';
import { appErrorOf, call } from '../../ipc/client';
import { WorkEstimate } from '../../components/WorkEstimate';
import { PathSetsList } from './PathSetsList';
import { type OrderbookState, liveRuns } from './useOrderbook';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';
import { describeEstimate, estimatePathSet, pathSetWindows } from '../../../src-shared/limits/estimate';

interface Props {
  state: OrderbookState;
  dataset: DatasetSummary | null;
  connected: boolean;
  /** The data set's trading time (the path step dt is in its years), when its detail is loaded. */
  timeUnits?: TimeUnits | null;
}

/**
 * The path builder (spec orderbook.md "Paths for hedging"): steps n, grid interval, which WAP feeds the paths,
 * windows inside buckets or across joined buckets, and the train share of time. Builds a path set (a job) that
 * the deep-hedging lab trains and evaluates on; the data set's path sets are listed below with a preview.
 */
export function PathBuilderPanel({ state, dataset, connected, timeUnits }: Props) {
  const [steps, setSteps] = useState('30');
  const [interval, setInterval_] = useState('10');
  const [wap, setWap] = useState<WapKind>('all');
  const [windows, setWindows] = useState<WindowMode>('bucket');
  const [train, setTrain] = useState('0.8');
  const [label, setLabel] = useState('');
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);

  const live = liveRuns(state.runs, 'orderbook-paths');
  useEffect(() => {
    if (runId === null && live.length > 0) setRunId(live[0].id);
  }, [runId, live]);
  const run = runId ? (state.runs.find((r) => r.id === runId) ?? null) : null;
  const running = run !== null && !isTerminal(run.status);

  const n = Number(steps);
  const dt = Number(interval);
  const f = Number(train);
  const B = dataset?.bucketSeconds ?? 600;
  const fieldProblem = useMemo(() => {
    if (!Number.isInteger(n) || n < 2 || n > 2000) return { field: 'steps', message: 'steps must be a whole number from 2 to 2000' };
    if (!(dt > 0) || dt > 86_400) return { field: 'intervalSeconds', message: 'the interval must be > 0 s' };
    if (!(f > 0 && f < 1)) return { field: 'trainFraction', message: 'the train share must be between 0 and 1' };
    if (windows === 'bucket' && n * dt > B) return { field: 'steps', message: `${n} × ${dt} s = ${n * dt} s does not fit in a ${B} s bucket; lower them or use rolling windows` };
    if (windows === 'rolling' && Math.abs(B / dt - Math.round(B / dt)) > 1e-9) return { field: 'intervalSeconds', message: `rolling windows need an interval dividing ${B} s (1, 5, 10, 20, 60…)` };
    return null;
  }, [n, dt, f, windows, B]);
  const hint =
    fieldProblem === null
      ? `window = ${n} × ${dt} s = ${n * dt} s · dt = ${fmtSig(dt / (timeUnits?.secondsPerYear ?? TRADING_SECONDS_PER_YEAR), 3)} trading yr${windows === 'bucket' ? ` · ${Math.floor((Math.floor(B / dt + 1e-9) + 1 - n - 1) / n) + 1} per ${B} s bucket` : ''}`
      : null;

  /** Windows (exact in bucket mode; rolling mode from the average buckets per stock) and disk, before building. */
  const estimate = useMemo(() => {
    if (!dataset || fieldProblem || dataset.stocks < 1) return null;
    const perStock = dataset.buckets / dataset.stocks;
    const windowsCut = pathSetWindows({ steps: n, stride: n, intervalSeconds: dt, bucketSeconds: B, rolling: windows === 'rolling', bucketsPerStock: Array.from({ length: dataset.stocks }, () => perStock) });
    return { windows: windowsCut, text: describeEstimate(estimatePathSet(windowsCut, n)) };
  }, [dataset, fieldProblem, n, dt, B, windows]);
  const [allowLong, setAllowLong] = useState(false);

  const build = async (): Promise<void> => {
    if (!dataset || fieldProblem) return;
    setError(null);
    try {
      const r = await call('orderbook-build-paths', {
        datasetId: dataset.id,
        steps: n,
        intervalSeconds: dt,
        wap,
        windows,
        trainFraction: f,
        ...(label.trim() ? { label: label.trim() } : {}),
        ...(allowLong ? { allowLong: true } : {}),
      });
      setRunId(r.runId);
      state.refresh();
    } catch (e) {
      const a = appErrorOf(e);
      setError({ message: a.fields?.[0]?.message ?? a.message, field: a.fields?.[0]?.field });
    }
  };

  const m = run?.status === 'done' ? (run.metrics as PathsMetrics | null) : null;
  const p = run ? state.progress[run.id] : undefined;
  const fieldError = (name: string) => (error?.field === name ? error.message : fieldProblem?.field === name ? fieldProblem.message : null);
  return (
    <section className={styles.card} data-testid="ob-paths">
      <div className="panel-title">Hedging paths from WAP</div>
      <div className={styles.body}>
        <div className={cx('muted', styles.block)} data-testid="ob-paths-dataset">
          {dataset ? `From: ${dataset.label}` : 'Select a data set in the list to build paths from it.'}
        </div>
        <div className={styles.grid2}>
          <label htmlFor="ob-steps">Steps n</label>
          <input id="ob-steps" data-testid="ob-steps" type="number" min={2} value={steps} onChange={(e) => setSteps(e.target.value)} className={fieldError('steps') ? styles.invalid : ''} />
          <label htmlFor="ob-interval">Interval</label>
          <span className={styles.inline}>
            <input id="ob-interval" data-testid="ob-interval" type="number" min={0.001} value={interval} onChange={(e) => setInterval_(e.target.value)} className={fieldError('intervalSeconds') ? styles.invalid : ''} />
            <span className="muted">s between points</span>
          </span>
          <label>WAP</label>
          <span className={styles.inline}>
            <label className={styles.radio}>
              <input type="radio" name="ob-wap" data-testid="ob-wap-all" checked={wap === 'all'} onChange={() => setWap('all')} /> all levels (source)
            </label>
            <label className={styles.radio}>
              <input type="radio" name="ob-wap" data-testid="ob-wap-level1" checked={wap === 'level1'} onChange={() => setWap('level1')} /> level 1
            </label>
          </span>
          <label htmlFor="ob-windows">Windows</label>
          <select id="ob-windows" data-testid="ob-windows" value={windows} onChange={(e) => setWindows(e.target.value as WindowMode)}>
            <option value="bucket">inside each bucket</option>
            <option value="rolling">rolling over joined buckets</option>
          </select>
          <label htmlFor="ob-train">Train share</label>
          <span className={styles.inline}>
            <input id="ob-train" data-testid="ob-train" type="number" step={0.05} min={0.05} max={0.95} value={train} onChange={(e) => setTrain(e.target.value)} className={fieldError('trainFraction') ? styles.invalid : ''} />
            <span className="muted">of time (by time_id), earliest first</span>
          </span>
          <label htmlFor="ob-paths-label">Label</label>
          <input id="ob-paths-label" data-testid="ob-paths-label" maxLength={120} placeholder="optional" value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
        {(fieldProblem || error) && (
          <div className={cx('field-error', styles.block)} data-testid="ob-paths-error" role="alert">
            {error?.message ?? fieldProblem?.message}
          </div>
        )}
        {hint && <div className={cx('field-hint', styles.block)}>{hint}</div>}
        {estimate && <WorkEstimate text={`${Math.round(estimate.windows).toLocaleString('en-US')} windows, ${estimate.text}`} allowLong={allowLong} onAllowLong={setAllowLong} />}
        <div className={styles.actions}>
          <button type="button" className="primary" data-testid="ob-build-paths" disabled={!connected || !dataset || !!fieldProblem || running} onClick={() => void build()}>
            {running ? 'Building…' : 'Build paths'}
          </button>
          {running && p && (
            <span className="muted" data-testid="ob-paths-progress">
              stock {p.done} / {p.total}
            </span>
          )}
          {running && (
            <button type="button" className="small danger" onClick={() => void call('runs-cancel', { runId: run!.id }).catch(() => {})}>
              Cancel
            </button>
          )}
        </div>
        {run?.status === 'failed' && (
          <div className="run-message error" role="alert" data-testid="ob-paths-failed">
            {run.error?.message}
          </div>
        )}
        {m && (
          <div className="run-message" data-testid="ob-paths-result">
            <b>{fmtInt(m.train)}</b> training and <b>{fmtInt(m.test)}</b> test windows of {m.steps} steps
            {m.dropped > 0 ? ` (${m.dropped} straddling the cut dropped)` : ''}; σ train {fmtPct(m.sigmaTrain, 1)}/yr, test {fmtPct(m.sigmaTest, 1)}/yr.
          </div>
        )}
        <PathSetsList pathSets={state.pathSets.filter((s) => !dataset || s.datasetId === dataset.id)} highlight={m?.pathSetId ?? null} onDeleted={state.refresh} />
      </div>
    </section>
  );
}
