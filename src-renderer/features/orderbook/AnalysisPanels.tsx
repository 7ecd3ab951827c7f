import { type ComponentProps, useEffect, useId, useMemo, useState } from 'react';
import { type ProfileData, type SignatureData, type WapKind } from '../../../src-shared/orderbook/contract';
import { EChart } from '../../components/EChart';
import { appErrorOf, call } from '../../ipc/client';
import { profileOption, signatureOption, tradingYearText } from './analysisCharts';
import './obEcharts';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';

interface Props {
  datasetId: string;
  stockId: number;
  /** Changes when the data set's time units are edited (the figures are read again). */
  unitsVersion: number;
}

const fmtVar = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toExponential(2));

/** This window's part of a readId (useId is unique within one window only; the host serves several). */
const WINDOW_KEY = `w${Math.random().toString(36).slice(2, 12)}`;

interface ReadState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  /** The read for the current inputs was cancelled (Cancel); `retry` reads again. */
  cancelled: boolean;
  cancel(): void;
  retry(): void;
}

/**
 * A cancellable read that starts when its inputs (`deps`, JSON-comparable) change; `loading` until the answer
 * for the current inputs arrives (it can take a while on a big stock). The last answer stays shown meanwhile.
 * The read is named by a readId of this chart ('reads-cancel'): Cancel stops it on the host, and so do new
 * inputs (the host cancels the older read of the same readId) and leaving the chart.
 */
function useRead<T>(read: (readId: string) => Promise<T>, deps: unknown[]): ReadState<T> {
  const readId = `${WINDOW_KEY}-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const [attempt, setAttempt] = useState(0);
  const key = JSON.stringify([...deps, attempt]);
  const [got, setGot] = useState<{ key: string; data: T | null; error: string | null; cancelled: boolean }>({ key: '', data: null, error: null, cancelled: false });
  useEffect(() => {
    let live = true;
    let settled = false;
    read(readId)
      .then((r) => live && setGot({ key, data: r, error: null, cancelled: false }))
      .catch((e) => {
        if (!live) return;
        const err = appErrorOf(e);
        setGot((g) => ({ key, data: g.data, error: err.type === 'cancelled' ? null : err.message, cancelled: err.type === 'cancelled' }));
      })
      .finally(() => (settled = true));
    return () => {
      live = false;
      // left the chart before the answer: stop the work on the host (new inputs supersede it there anyway)
      if (!settled) call('reads-cancel', { readId }).catch(() => {});
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return {
    data: got.data,
    error: got.error,
    loading: got.key !== key,
    cancelled: got.key === key && got.cancelled,
    cancel: () => void call('reads-cancel', { readId }).catch(() => {}),
    retry: () => setAttempt((a) => a + 1),
  };
}

function WapSelect({ value, onChange, testId }: { value: WapKind; onChange(w: WapKind): void; testId: string }) {
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value as WapKind)} aria-label="WAP">
      <option value="all">all-level WAP</option>
      <option value="level1">level-1 WAP</option>
    </select>
  );
}

/** The read's state in a chart head: computing (with Cancel), cancelled (with Read again), or the sessions read and the load time (ms). */
function ReadStatus({ read, testId }: { read: ReadState<{ sessions: number; loadMs: number } | null>; testId: string }) {
  if (read.loading) {
    return (
      <>
        <span className="muted">computing…</span>
        <button type="button" className="small" data-testid={`${testId}-cancel`} onClick={read.cancel} title="Stop computing (the read is stopped on the host)">
          Cancel
        </button>
      </>
    );
  }
  if (read.cancelled) {
    return (
      <>
        <span className="muted" data-testid={`${testId}-cancelled`}>
          cancelled
        </span>
        <button type="button" className="small" data-testid={`${testId}-retry`} onClick={read.retry}>
          Read again
        </button>
      </>
    );
  }
  return <span className="muted">{read.data ? `${read.data.sessions} sessions · ${read.data.loadMs.toFixed(0)} ms` : ''}</span>;
}

/** The read's error (if any), then the chart once its option is built, else a placeholder of the chart's size. */
function ChartBody({
  error,
  option,
  testId,
  ariaLabel,
  seriesCount,
  placeholder,
}: {
  error: string | null;
  option: ComponentProps<typeof EChart>['option'] | null;
  testId: string;
  ariaLabel: string;
  seriesCount: number;
  placeholder: string;
}) {
  return (
    <>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {option ? <EChart option={option} testId={testId} className="chart" ariaLabel={ariaLabel} seriesCount={seriesCount} /> : <div className="chart placeholder">{placeholder}</div>}
    </>
  );
}

/**
 * Signature plot of one stock: realised variance per year of trading time against the sampling interval
 * (previous-tick, 1 s .. 10 min, log axis), ±1 standard error across sessions, and the noise variance per
 * observation read off the small intervals.
 */
export function SignatureChart({ datasetId, stockId, unitsVersion }: Props) {
  const [wap, setWap] = useState<WapKind>('all');
  const state = useRead<SignatureData>((readId) => call('orderbook-signature', { datasetId, stockId, wap, readId }), [datasetId, stockId, wap, unitsVersion]);
  const { data, error, loading } = state;
  const option = useMemo(() => (data ? signatureOption(data) : null), [data]);
  return (
    <div className="chart-box" data-testid="ob-signature-box">
      <div className={cx('chart-title', styles.chartHead)}>
        <span>Signature plot, stock {stockId}</span>
        <WapSelect value={wap} onChange={setWap} testId="ob-signature-wap" />
        <span className="spacer" />
        <ReadStatus read={state} testId="ob-signature" />
      </div>
      <ChartBody
        error={error}
        option={option}
        testId="ob-signature-chart"
        ariaLabel={`signature plot of stock ${stockId}`}
        seriesCount={2}
        placeholder={loading ? 'Computing the signature plot…' : state.cancelled ? 'Cancelled: press Read again to compute the signature plot.' : ''}
      />
      {data && (
        <div className={cx('muted', styles.analysisNote)} data-testid="ob-signature-note">
          Realised variance annualised in trading time: {tradingYearText(data.timeUnits)}; previous-tick sampling; bars ±1 standard error across{' '}
          {data.timeUnits.clock === 'bucket' ? 'buckets' : 'days'}.{' '}
          {data.points.some((p) => p.sessions === 0) &&
            `No session spans a whole ${data.points
              .filter((p) => p.sessions === 0)
              .map((p) => `${p.intervalSeconds} s`)
              .join(', ')} interval: not shown. `}
          <span data-testid="ob-signature-noise">
            {data.noise
              ? `Noise variance per observation (log WAP, from intervals ${data.noise.intervals.join(', ')} s): ${fmtVar(data.noise.variance)} ± ${fmtVar(data.noise.se)} (${data.noise.sessions} sessions).`
              : 'Too few ticks for a noise estimate.'}
          </span>
        </div>
      )}
    </div>
  );
}

/** Intraday profiles of one stock: spread, depth and annualised realised volatility per bin of the session clock. */
export function ProfileChart({ datasetId, stockId, unitsVersion }: Props) {
  const [wap, setWap] = useState<WapKind>('all');
  const [bin, setBin] = useState<string>('');
  const binSeconds = bin.trim() === '' ? undefined : Number(bin);
  const valid = binSeconds === undefined || (Number.isFinite(binSeconds) && binSeconds > 0);
  const state = useRead<ProfileData | null>(
    (readId) => (valid ? call('orderbook-profile', { datasetId, stockId, wap, readId, ...(binSeconds !== undefined ? { binSeconds } : {}) }) : Promise.resolve(null)),
    [datasetId, stockId, wap, binSeconds, valid, unitsVersion],
  );
  const { data, error, loading } = state;
  const option = useMemo(() => (data ? profileOption(data) : null), [data]);
  return (
    <div className="chart-box" data-testid="ob-profile-box">
      <div className={cx('chart-title', styles.chartHead)}>
        <span>Intraday profile, stock {stockId}</span>
        <WapSelect value={wap} onChange={setWap} testId="ob-profile-wap" />
        <label>
          bin (s)
          <input
            className={styles.smallInput}
            data-testid="ob-profile-bin"
            inputMode="decimal"
            placeholder={data ? String(data.binSeconds) : 'auto'}
            value={bin}
            onChange={(e) => setBin(e.target.value)}
            aria-invalid={!valid}
          />
        </label>
        <span className="spacer" />
        <ReadStatus read={state} testId="ob-profile" />
      </div>
      {!valid && (
        <div className="form-error" role="alert">
          bin must be a number of seconds above 0 (got “{bin}”)
        </div>
      )}
      <ChartBody
        error={error}
        option={option}
        testId="ob-profile-chart"
        ariaLabel={`intraday profile of stock ${stockId}`}
        seriesCount={3}
        placeholder={loading ? 'Computing the profiles…' : state.cancelled ? 'Cancelled: press Read again to compute the profiles.' : ''}
      />
      {data && (
        <div className={cx('muted', styles.analysisNote)} data-testid="ob-profile-note">
          Spread and depth: means over the book rows in each bin. Realised volatility: previous-tick returns every {data.rvIntervalSeconds} s, annualised in trading
          time ({tradingYearText(data.timeUnits)}).
        </div>
      )}
    </div>
  );
}
