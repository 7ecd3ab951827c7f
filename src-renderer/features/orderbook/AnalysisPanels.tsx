import { type ComponentProps, useEffect, useMemo, useState } from 'react';
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

/**
 * A read that starts when its inputs (`deps`, JSON-comparable) change; `loading` until the answer for the
 * current inputs arrives (it can take a second on a big stock). The last answer stays shown meanwhile.
 */
function useRead<T>(read: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; loading: boolean } {
  const key = JSON.stringify(deps);
  const [got, setGot] = useState<{ key: string; data: T | null; error: string | null }>({ key: '', data: null, error: null });
  useEffect(() => {
    let live = true;
    read()
      .then((r) => live && setGot({ key, data: r, error: null }))
      .catch((e) => live && setGot((g) => ({ key, data: g.data, error: appErrorOf(e).message })));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { data: got.data, error: got.error, loading: got.key !== key };
}

function WapSelect({ value, onChange, testId }: { value: WapKind; onChange(w: WapKind): void; testId: string }) {
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value as WapKind)} aria-label="WAP">
      <option value="all">all-level WAP</option>
      <option value="level1">level-1 WAP</option>
    </select>
  );
}

/** The read's state in a chart head: computing, or the sessions read and the load time (ms). */
function ReadStatus({ loading, data }: { loading: boolean; data: { sessions: number; loadMs: number } | null }) {
  return <span className="muted">{loading ? 'computing…' : data ? `${data.sessions} sessions · ${data.loadMs.toFixed(0)} ms` : ''}</span>;
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
  const { data, error, loading } = useRead<SignatureData>(() => call('orderbook-signature', { datasetId, stockId, wap }), [datasetId, stockId, wap, unitsVersion]);
  const option = useMemo(() => (data ? signatureOption(data) : null), [data]);
  return (
    <div className="chart-box" data-testid="ob-signature-box">
      <div className={cx('chart-title', styles.chartHead)}>
        <span>Signature plot, stock {stockId}</span>
        <WapSelect value={wap} onChange={setWap} testId="ob-signature-wap" />
        <span className="spacer" />
        <ReadStatus loading={loading} data={data} />
      </div>
      <ChartBody
        error={error}
        option={option}
        testId="ob-signature-chart"
        ariaLabel={`signature plot of stock ${stockId}`}
        seriesCount={2}
        placeholder={loading ? 'Computing the signature plot…' : ''}
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
  const { data, error, loading } = useRead<ProfileData | null>(
    () => (valid ? call('orderbook-profile', { datasetId, stockId, wap, ...(binSeconds !== undefined ? { binSeconds } : {}) }) : Promise.resolve(null)),
    [datasetId, stockId, wap, binSeconds, valid, unitsVersion],
  );
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
        <ReadStatus loading={loading} data={data} />
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
        placeholder={loading ? 'Computing the profiles…' : ''}
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
