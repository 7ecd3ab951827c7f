import { type Histogram, type SeriesData } from '../../../src-shared/orderbook/contract';
import { type EChartsCoreOption } from '../../components/echarts';
import { fmtTick } from '../../components/axisTicks';
import { tradingYearShort } from '../../../src-shared/orderbook/timeUnitsText';

/** Chart options of the Order books view (pure functions of the data, so they are easy to test). */

const BLUE = '#1f5fbf';
const ORANGE = '#d9480f';
const BAND = 'rgba(31, 95, 191, 0.22)';

/** `time_id 1234 + 87 s` for a point of the joined time axis. */
export function axisLabel(x: number, s: Pick<SeriesData, 'timeIds' | 'bucketSeconds'>): string {
  const i = Math.min(s.timeIds.length - 1, Math.max(0, Math.floor(x / s.bucketSeconds)));
  const sec = x - i * s.bucketSeconds;
  return `t${s.timeIds[i]} +${Math.round(sec)}s`;
}

const sig = (v: number, d = 6): string => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : '—');

/**
 * WAP (all-level and level-1) with the level-1 bid/ask band, on the joined time axis of a stock's buckets.
 * The axis always spans the whole stock so the zoom slider shows where the window is; `zoom` keeps the
 * current window when new data arrives.
 */
export function wapChartOption(s: SeriesData, zoom: { start: number; end: number } | null, show: { wap: boolean; wap1: boolean; band: boolean }): EChartsCoreOption {
  const pairs = (ys: number[]) => s.x.map((x, i) => [x, ys[i]]);
  const series: unknown[] = [];
  if (show.band && s.x.length > 0) series.push(bandSeries(s));
  if (show.wap) series.push({ name: 'WAP (all levels)', type: 'line', data: pairs(s.wap), symbol: 'none', lineStyle: { width: 1.3, color: BLUE }, itemStyle: { color: BLUE }, step: 'end', z: 3 });
  if (show.wap1) series.push({ name: 'WAP level 1', type: 'line', data: pairs(s.wap1), symbol: 'none', lineStyle: { width: 1, color: ORANGE }, itemStyle: { color: ORANGE }, step: 'end', z: 2 });
  return {
    animation: false,
    grid: { left: 64, right: 18, top: 28, bottom: 64 },
    legend: { top: 2, data: ['WAP (all levels)', 'WAP level 1', 'bid/ask band'].filter((n) => series.some((x) => (x as { name: string }).name === n)) },
    tooltip: {
      trigger: 'axis',
      formatter: (params: Array<{ seriesName: string; value: [number, number]; dataIndex: number }>) => {
        if (!params.length) return '';
        const i = params[0].dataIndex;
        const lines = [`<b>${axisLabel(s.x[i], s)}</b>`, `WAP ${sig(s.wap[i])}`, `WAP level 1 ${sig(s.wap1[i])}`, `bid ${sig(s.bid[i])} / ask ${sig(s.ask[i])}`];
        if (s.decimated) lines.push('<span style="color:#5d6577">per bin: last WAP, lowest bid, highest ask</span>');
        return lines.join('<br/>');
      },
    },
    xAxis: { type: 'value', min: s.xMin, max: s.xMax, axisLabel: { formatter: (x: number) => axisLabel(x, s), hideOverlap: true }, splitLine: { show: false } },
    yAxis: { type: 'value', scale: true, name: 'price', nameLocation: 'middle', nameGap: 50, axisLabel: { formatter: fmtTick } },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', ...(zoom ? { startValue: zoom.start, endValue: zoom.end } : {}) },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 18, bottom: 8, labelFormatter: (x: number) => axisLabel(x, s), ...(zoom ? { startValue: zoom.start, endValue: zoom.end } : {}) },
    ],
    series,
  };
}

/**
 * The level-1 bid/ask band as one filled polygon (a custom series): along the asks forward and the bids back,
 * as steps (each quote holds until the next row), clipped to the plot area. The x-axis extent fixes the y range
 * with the WAP lines, so the band never rescales the chart.
 */
function bandSeries(s: SeriesData): unknown {
  const n = s.x.length;
  const xs: number[] = [];
  const hi: number[] = [];
  const lo: number[] = [];
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? s.x[i + 1] : Math.min(s.xMax, s.x[i] + 1);
    xs.push(s.x[i], next);
    hi.push(s.ask[i], s.ask[i]);
    lo.push(s.bid[i], s.bid[i]);
  }
  return {
    name: 'bid/ask band',
    type: 'custom',
    data: [[s.x[0], s.bid[0]], [s.x[n - 1], s.ask[n - 1]]],
    silent: true,
    clip: true,
    z: 1,
    itemStyle: { color: BAND },
    encode: { x: 0, y: 1 },
    renderItem: (params: unknown, api: { coord(v: number[]): number[] }) => {
      if ((params as { dataIndex: number }).dataIndex !== 0) return null;
      const points: number[][] = [];
      for (let k = 0; k < xs.length; k++) points.push(api.coord([xs[k], hi[k]]));
      for (let k = xs.length - 1; k >= 0; k--) points.push(api.coord([xs[k], lo[k]]));
      return { type: 'polygon', shape: { points }, style: { fill: BAND } };
    },
  };
}

/** Histogram of per-bucket annualised realised volatility, with the median marked. */
export function rvHistogramOption(h: Histogram): EChartsCoreOption {
  const centres = h.counts.map((_, i) => 0.5 * (h.edges[i] + h.edges[i + 1]));
  const width = h.edges.length > 1 ? h.edges[1] - h.edges[0] : 1;
  const median = h.stats.median;
  return {
    animation: false,
    grid: { left: 48, right: 14, top: 26, bottom: 40 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (p: Array<{ dataIndex: number }>) => {
        const i = p[0]?.dataIndex ?? 0;
        return `${(h.edges[i] * 100).toFixed(1)}% – ${(h.edges[i + 1] * 100).toFixed(1)}% /yr<br/>${h.counts[i]} bucket${h.counts[i] === 1 ? '' : 's'}`;
      },
    },
    xAxis: {
      type: 'category',
      data: centres.map((c) => `${(c * 100).toFixed(width * 100 < 2 ? 1 : 0)}%`),
      name: `realised vol. per year of ${tradingYearShort(h.timeUnits)}`,
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: 'value', name: 'buckets', minInterval: 1 },
    series: [
      {
        type: 'bar',
        data: h.counts,
        barCategoryGap: '4%',
        itemStyle: { color: h.wap === 'all' ? BLUE : ORANGE },
        markLine:
          median === null
            ? undefined
            : {
                symbol: 'none',
                silent: true,
                lineStyle: { color: '#30384a', type: 'dashed' },
                label: { formatter: `median ${(median * 100).toFixed(1)}%` },
                data: [{ xAxis: Math.min(h.counts.length - 1, Math.max(0, Math.floor(median / width))) }],
              },
      },
    ],
  };
}

/** A few windows of a path set, each starting at 1. */
export function pathsPreviewOption(paths: number[][], steps: number): EChartsCoreOption {
  return {
    animation: false,
    grid: { left: 46, right: 10, top: 10, bottom: 26 },
    xAxis: { type: 'value', min: 0, max: steps, name: 'step', nameLocation: 'middle', nameGap: 18 },
    yAxis: { type: 'value', scale: true, axisLabel: { formatter: fmtTick } },
    series: paths.map((p) => ({ type: 'line', data: p.map((v, i) => [i, v]), symbol: 'none', lineStyle: { width: 0.8, opacity: 0.55 }, silent: true })),
  };
}
