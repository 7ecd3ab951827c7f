import { useEffect, useMemo, useState } from 'react';
import { type Histogram, type WapKind } from '../../../src-shared/orderbook/contract';
import { annualisedText } from '../../../src-shared/orderbook/timeUnitsText';
import { fmtPct } from '../../app/format';
import { EChart } from '../../components/EChart';
import { appErrorOf, call } from '../../ipc/client';
import { rvHistogramOption } from './charts';
import './obEcharts';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';

/**
 * Distribution of per-bucket realised volatility, sqrt(sum (diff log WAP)^2) over each bucket annualised by
 * its observed span in the data set's trading time (the stock's units; the data set's for all stocks: 252
 * sessions of 6.5 h unless set or named by the files), for one stock or the whole data set, from either WAP.
 * `unitsVersion` changes when the data set's units are edited (read again).
 */
export function RvHistogram({ datasetId, stockId, unitsVersion = 0 }: { datasetId: string; stockId: number | null; unitsVersion?: number }) {
  const [wap, setWap] = useState<WapKind>('all');
  const [scope, setScope] = useState<'stock' | 'all'>('stock');
  const [h, setH] = useState<Histogram | null>(null);
  const [error, setError] = useState<string | null>(null);
  const useStock = scope === 'stock' && stockId !== null;
  useEffect(() => {
    let live = true;
    call('orderbook-rv-histogram', { datasetId, wap, ...(useStock ? { stockId: stockId! } : {}) })
      .then((r) => live && (setH(r), setError(null)))
      .catch((e) => live && setError(appErrorOf(e).message));
    return () => {
      live = false;
    };
  }, [datasetId, stockId, wap, useStock, unitsVersion]);
  const option = useMemo(() => (h ? rvHistogramOption(h) : null), [h]);
  return (
    <div className={cx('chart-box', styles.rv)} data-testid="ob-rv-box">
      <div className={cx('chart-title', styles.chartHead)}>
        <span>Realised vol. per bucket</span>
        <select data-testid="ob-rv-wap" value={wap} onChange={(e) => setWap(e.target.value as WapKind)} aria-label="WAP for realised volatility">
          <option value="all">all levels</option>
          <option value="level1">level 1</option>
        </select>
        <select data-testid="ob-rv-scope" value={scope} onChange={(e) => setScope(e.target.value as 'stock' | 'all')} aria-label="stocks">
          <option value="stock">stock {stockId ?? ''}</option>
          <option value="all">all stocks</option>
        </select>
      </div>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {option ? <EChart option={option} testId="ob-rv-chart" className="chart" ariaLabel="realised volatility histogram" seriesCount={1} /> : <div className="chart placeholder">Loading…</div>}
      {h && (
        <div className={cx('muted', styles.rvStats)} data-testid="ob-rv-stats">
          {h.n} buckets · median {h.stats.median === null ? '—' : fmtPct(h.stats.median, 1)} · mean {h.stats.mean === null ? '—' : fmtPct(h.stats.mean, 1)} · 5–95%{' '}
          {h.stats.p05 === null ? '—' : fmtPct(h.stats.p05, 1)}–{h.stats.p95 === null ? '—' : fmtPct(h.stats.p95, 1)} per year ({annualisedText(h.timeUnits)})
        </div>
      )}
    </div>
  );
}
