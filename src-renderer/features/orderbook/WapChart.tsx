import { useEffect, useMemo, useRef, useState } from 'react';
import { type SeriesData, type WapKind } from '../../../src-shared/orderbook/contract';
import { WAP_EXPORT_COLUMNS, wapExportMeta, wapExportRows } from '../../../src-shared/orderbook/wapExport';
import { fmtInt } from '../../app/format';
import { csvExport, downloadCsv } from '../../components/download';
import { appErrorOf, call } from '../../ipc/client';
import { wapChartOption } from './charts';
import { echarts } from './obEcharts';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';

interface Props {
  datasetId: string;
  stockId: number;
}

const MAX_POINTS = 3000;

/**
 * The WAP of one stock over all its buckets (joined in time_id order) with the level-1 bid/ask band. The host
 * sends at most 3,000 bins; zooming (mouse wheel, drag, or the slider) asks for the visible window again, so
 * a narrow window shows every book row.
 */
export function WapChart({ datasetId, stockId }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const [data, setData] = useState<SeriesData | null>(null);
  const [zoom, setZoom] = useState<{ start: number; end: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [show, setShow] = useState({ wap: true, wap1: true, band: true });
  const request = useRef(0);
  const [menu, setMenu] = useState(false);
  const [exportInterval, setExportInterval] = useState('10');
  const [exportWap, setExportWap] = useState<WapKind>('all');
  const [exportState, setExportState] = useState<{ busy: boolean; text: string | null; error: string | null }>({ busy: false, text: null, error: null });

  /** The previous-tick WAP on a grid of the chosen interval, as `<stem>.csv` and its `.csv.json` sidecar. */
  const exportCsv = async (): Promise<void> => {
    const intervalSeconds = Number(exportInterval);
    if (!(intervalSeconds > 0) || !Number.isFinite(intervalSeconds)) {
      setExportState({ busy: false, text: null, error: `interval must be a number of seconds above 0 (got “${exportInterval}”)` });
      return;
    }
    setExportState({ busy: true, text: 'reading…', error: null });
    try {
      const x = await call('orderbook-wap-export', { datasetId, stockId, intervalSeconds, wap: exportWap });
      const rows = wapExportRows(x);
      const stem = `wap-${x.datasetLabel.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40)}-stock${stockId}-${exportWap}-${intervalSeconds}s`;
      downloadCsv(stem, csvExport(WAP_EXPORT_COLUMNS, rows, wapExportMeta(x, rows.length)));
      setExportState({ busy: false, text: `${fmtInt(rows.length)} rows saved as ${stem}.csv (+ .csv.json)`, error: null });
    } catch (e) {
      setExportState({ busy: false, text: null, error: appErrorOf(e).message });
    }
  };

  const load = (from?: number, to?: number): void => {
    const id = ++request.current;
    setLoading(true);
    call('orderbook-series', { datasetId, stockId, maxPoints: MAX_POINTS, ...(from !== undefined ? { from, to } : {}) })
      .then((s) => {
        if (id !== request.current) return;
        setData(s);
        setError(null);
      })
      .catch((e) => id === request.current && setError(appErrorOf(e).message))
      .finally(() => id === request.current && setLoading(false));
  };

  useEffect(() => {
    setZoom(null);
    setData(null);
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasetId, stockId]);

  useEffect(() => {
    const el = hostRef.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    let timer = 0;
    chart.on('datazoom', () => {
      const dz = (chart.getOption() as { dataZoom?: Array<{ startValue?: number; endValue?: number }> }).dataZoom?.[0];
      if (dz?.startValue === undefined || dz.endValue === undefined) return;
      const start = dz.startValue;
      const end = dz.endValue;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        setZoom({ start, end });
        load(start, end);
      }, 250);
    });
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => !chart.isDisposed() && chart.resize());
    });
    ro.observe(el);
    return () => {
      window.clearTimeout(timer);
      cancelAnimationFrame(frame);
      ro.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasetId, stockId]);

  const option = useMemo(() => (data ? wapChartOption(data, zoom, show) : null), [data, zoom, show]);
  useEffect(() => {
    if (option) chartRef.current?.setOption(option, { notMerge: true });
  }, [option]);

  const toggle = (k: keyof typeof show) => setShow((s) => ({ ...s, [k]: !s[k] }));
  return (
    <div className="chart-box" data-testid="ob-wap-box">
      <div className={cx('chart-title', styles.chartHead)}>
        <span>WAP and level-1 bid/ask, stock {stockId}</span>
        <label>
          <input type="checkbox" checked={show.wap} onChange={() => toggle('wap')} data-testid="ob-show-wap" /> all-level
        </label>
        <label>
          <input type="checkbox" checked={show.wap1} onChange={() => toggle('wap1')} data-testid="ob-show-wap1" /> level 1
        </label>
        <label>
          <input type="checkbox" checked={show.band} onChange={() => toggle('band')} /> bid/ask
        </label>
        {zoom && (
          <button
            type="button"
            className="link-button"
            data-testid="ob-zoom-reset"
            onClick={() => {
              setZoom(null);
              load();
            }}
          >
            reset zoom
          </button>
        )}
        <span className="spacer" />
        <button type="button" className="small" data-testid="ob-wap-menu" aria-expanded={menu} onClick={() => setMenu((m) => !m)}>
          Export ▾
        </button>
        <span className="muted" data-testid="ob-wap-info">
          {loading ? 'loading…' : data ? `${fmtInt(data.rows)} rows${data.decimated ? ` in ${fmtInt(data.x.length)} bins` : ''} · ${data.loadMs.toFixed(0)} ms` : ''}
        </span>
      </div>
      {menu && (
        <div className={styles.exportMenu} data-testid="ob-wap-export" role="group" aria-label="export the WAP series">
          <span>Previous-tick WAP, one row per grid time:</span>
          <select data-testid="ob-wap-export-kind" value={exportWap} onChange={(e) => setExportWap(e.target.value as WapKind)} aria-label="WAP to export">
            <option value="all">all-level WAP</option>
            <option value="level1">level-1 WAP</option>
          </select>
          <label>
            every
            <input className={styles.smallInput} data-testid="ob-wap-export-interval" inputMode="decimal" value={exportInterval} onChange={(e) => setExportInterval(e.target.value)} />
            s
          </label>
          <button type="button" className="small" data-testid="ob-wap-export-download" disabled={exportState.busy} onClick={() => void exportCsv()}>
            Download CSV
          </button>
          {exportState.text && (
            <span className="muted" data-testid="ob-wap-export-status">
              {exportState.text}
            </span>
          )}
          {exportState.error && (
            <span className="inline-error" role="alert" data-testid="ob-wap-export-error">
              {exportState.error}
            </span>
          )}
        </div>
      )}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      <div
        ref={hostRef}
        className="echart chart"
        data-testid="ob-wap-chart"
        role="img"
        aria-label={`WAP of stock ${stockId}`}
        data-points={data?.x.length ?? 0}
        data-decimated={data ? String(data.decimated) : undefined}
      />
    </div>
  );
}
