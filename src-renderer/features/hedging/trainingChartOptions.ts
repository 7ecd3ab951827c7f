import { type CompactHistogram } from '../../../src-shared/hedging/config';
import { fmtSig } from '../../app/format';
import { type EChartsCoreOption } from '../../components/echarts';
import { fmtTick } from '../../components/axisTicks';

/**
 * ECharts options of the deep-hedging lab: live PnL histograms (each series with its own bins, drawn as a
 * step line over a light fill, as densities so series of different bins compare), and per-epoch metric lines.
 */

/** Colours per hedger, the same on every chart of the lab. */
export const MODEL_COLORS: Record<string, string> = {
  bsdh: '#5c5f66',
  mlp: '#d9480f',
  ntb: '#2b8a3e',
  dhlnn: '#1f5fbf',
};

const AXIS_LABEL = { color: '#3b4150', fontSize: 11 };
const AXIS_NAME = { color: '#3b4150', fontSize: 11, fontWeight: 600 as const };

export interface HistSeries {
  name: string;
  color: string;
  hist: CompactHistogram;
  /** Dashed outline without fill (the reference). */
  reference?: boolean;
}

/** Density points of a compact histogram as a step line: [x, density] at every bin edge. */
function stepPoints(h: CompactHistogram): Array<[number, number]> {
  const bins = h.counts.length;
  const width = (h.hi - h.lo) / bins;
  const pts: Array<[number, number]> = [];
  for (let b = 0; b < bins; b++) {
    const d = h.n > 0 ? h.counts[b] / (h.n * width) : 0;
    pts.push([h.lo + b * width, d], [h.lo + (b + 1) * width, d]);
  }
  return pts;
}

export function liveHistogramOption(series: HistSeries[], opts: { compact?: boolean } = {}): EChartsCoreOption {
  const lo = Math.min(...series.map((s) => s.hist.lo));
  const hi = Math.max(...series.map((s) => s.hist.hi));
  return {
    animation: false,
    grid: { left: opts.compact ? 46 : 60, right: 16, top: 30, bottom: opts.compact ? 30 : 42 },
    legend: { top: 2, left: 'center', textStyle: { fontSize: 11 }, itemWidth: 16, itemHeight: 8 },
    tooltip: { trigger: 'axis', confine: true, textStyle: { fontSize: 11 }, valueFormatter: (v: number) => fmtSig(v, 4) },
    xAxis: {
      type: 'value',
      min: lo,
      max: hi,
      name: opts.compact ? undefined : 'PnL (units of P₀)',
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmtTick(v), showMinLabel: false, showMaxLabel: false },
      splitLine: { lineStyle: { color: '#eef0f4' } },
    },
    yAxis: {
      type: 'value',
      name: opts.compact ? undefined : 'density (1/P₀)',
      nameLocation: 'middle',
      nameGap: 44,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmtTick(v) },
      splitLine: { lineStyle: { color: '#eef0f4' } },
    },
    series: series.map((s) => ({
      type: 'line',
      name: s.name,
      data: stepPoints(s.hist),
      showSymbol: false,
      lineStyle: { color: s.color, width: s.reference ? 1.5 : 1.8, type: s.reference ? 'dashed' : 'solid' },
      itemStyle: { color: s.color },
      areaStyle: s.reference ? undefined : { color: s.color, opacity: 0.14 },
      z: s.reference ? 2 : 3,
    })),
  };
}

export interface LineSeries {
  name: string;
  color: string;
  points: Array<[number, number]>;
  dashed?: boolean;
}

/** Lines of a figure against epochs (or any x), with horizontal reference lines. */
export function linesOption(
  series: LineSeries[],
  axes: { x: string; y: string; xMin?: number; xMax?: number; integerX?: boolean },
  refs: Array<{ name: string; color: string; value: number }> = [],
): EChartsCoreOption {
  const all = [
    ...series,
    ...refs.map((r) => ({
      name: r.name,
      color: r.color,
      dashed: true,
      points: [
        [axes.xMin ?? Math.min(...series.flatMap((s) => s.points.map((p) => p[0])), 1), r.value],
        [axes.xMax ?? Math.max(...series.flatMap((s) => s.points.map((p) => p[0])), 1), r.value],
      ] as Array<[number, number]>,
    })),
  ];
  return {
    animation: false,
    grid: { left: 62, right: 16, top: 30, bottom: 44 },
    legend: { top: 2, left: 'center', textStyle: { fontSize: 11 }, itemWidth: 16, itemHeight: 8, type: 'scroll' },
    tooltip: { trigger: 'axis', confine: true, textStyle: { fontSize: 11 }, valueFormatter: (v: number) => fmtSig(v, 5) },
    xAxis: {
      type: 'value',
      name: axes.x,
      min: axes.xMin,
      max: axes.xMax,
      minInterval: axes.integerX ? 1 : undefined,
      nameLocation: 'middle',
      nameGap: 22,
      nameTextStyle: AXIS_NAME,
      axisLabel: AXIS_LABEL,
      splitLine: { lineStyle: { color: '#eef0f4' } },
    },
    yAxis: {
      type: 'value',
      name: axes.y,
      scale: true,
      nameLocation: 'middle',
      nameGap: 48,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmtTick(v) },
      splitLine: { lineStyle: { color: '#eef0f4' } },
    },
    series: all.map((s) => ({
      type: 'line',
      name: s.name,
      data: s.points,
      showSymbol: s.points.length <= 12 && !s.dashed,
      symbolSize: 5,
      lineStyle: { color: s.color, width: s.dashed ? 1.2 : 1.8, type: s.dashed ? 'dashed' : 'solid' },
      itemStyle: { color: s.color },
    })),
  };
}

