import { ScatterChart } from 'echarts/charts';
import { type PnlDistribution } from '../../../src-shared/api/runs';
import { type HedgeSchedule, type ScheduleRow } from '../../../src-shared/bsde/hedge';
import { fmtSig } from '../../app/format';
import { type EChartsCoreOption, SERIES_COLORS, echarts } from '../../components/echarts';
import { type PnlUnits } from '../runs/pnlChart';
import { SQ_UNIT, type StatDef } from './stats';
import { fmtTick as tick } from '../../components/axisTicks';

/** The rebalancing screens' extra chart type (exercise markers), registered on the shared ECharts core. */
echarts.use([ScatterChart]);

const AXIS_LABEL = { color: '#3b4150', fontSize: 11 };
const AXIS_NAME = { color: '#3b4150', fontSize: 11, fontWeight: 600 as const };
const SPLIT = { lineStyle: { color: '#eef0f4' } };

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Relative PnL in % of |V_0|: the histogram axis units. */
export const PCT_PNL_UNITS: PnlUnits = { axis: 'relative PnL (% of |V₀|)', short: '% of |V₀|', density: '1/%' };

/** A distribution of the relative PnL X (fractions of |V_0|) rescaled to percent: x times 100, densities over 100. */
export function inPercent(d: PnlDistribution): PnlDistribution {
  return {
    edges: d.edges.map((x) => 100 * x),
    kdeX: d.kdeX.map((x) => 100 * x),
    series: d.series.map((s) => ({ ...s, density: s.density.map((y) => y / 100), kde: s.kde.map((y) => y / 100) })),
  };
}

export interface ConvergencePoint {
  r: number;
  value: number;
  runId: string;
  /** Drawn larger: the run on screen. */
  current?: boolean;
}

export interface ConvergenceLine {
  name: string;
  points: ConvergencePoint[];
  color?: string;
  dash?: 'solid' | 'dashed' | 'dotted';
}

/** Strategy colours shared by every convergence chart. */
export const STRATEGY_COLORS: Record<string, string> = { delta: '#d9480f', 'delta-gamma': '#1f5fbf' };

/** Colours of holding lines: none equal to the book (red) or hedge (blue) value lines. */
const HOLDING_COLORS = ['#862e9c', '#0b7285', '#e67700', '#5c5f66', '#2b8a3e', '#a61e4d', '#364fc7', '#087f5b', '#6741d9', '#b08900', '#495057', '#c2255c'];

/**
 * A statistic against the number of rebalancing dates R (log x axis; log y axis for positive statistics such
 * as variance), one line per strategy (and Greek source). The source's figures 4–10 in shape.
 */
export function convergenceOption(lines: ConvergenceLine[], def: StatDef): EChartsCoreOption {
  const all = lines.flatMap((l) => l.points);
  const logY = def.positive && all.length > 0 && all.every((p) => p.value > 0);
  const rs = all.map((p) => p.r);
  const yName = def.unit === SQ_UNIT ? `${def.label} of PnL/|V₀|` : `${def.label} (${def.unit})`;
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 34, bottom: 44 },
    legend: { top: 4, left: 'center', textStyle: { fontSize: 11 }, itemWidth: 18, itemHeight: 10, type: 'scroll' },
    tooltip: {
      trigger: 'item',
      confine: true,
      textStyle: { fontSize: 11 },
      formatter: (p: { seriesName: string; value: [number, number] }) => `<b>${esc(p.seriesName)}</b><br/>R = ${p.value[0]}: ${def.label} ${fmtSig(p.value[1], 4)} ${esc(def.unit)}`,
    },
    xAxis: {
      type: 'log',
      logBase: 10,
      // Decades (1, 10, 100: the labelled ticks) around the points, with a margin so no marker sits on the edge.
      min: rs.length ? Math.min(Math.min(...rs) / 1.5, 10 ** Math.floor(Math.log10(Math.min(...rs)))) : 0.6,
      max: rs.length ? Math.max(Math.max(...rs) * 1.5, 10 ** Math.ceil(Math.log10(Math.max(...rs)))) : 200,
      name: 'rebalancing dates R (log scale)',
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: AXIS_NAME,
      // Only decades are labelled (the axis ends may fall between them).
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? String(Number(v.toPrecision(3))) : '') },
      splitLine: SPLIT,
      minorTick: { show: true },
      minorSplitLine: { show: true, lineStyle: { color: '#f5f6f9' } },
    },
    yAxis: {
      type: logY ? 'log' : 'value',
      scale: !logY,
      name: yName + (logY ? ', log scale' : ''),
      nameLocation: 'middle',
      nameGap: 56,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick },
      splitLine: SPLIT,
    },
    series: lines.map((l, i) => {
      const color = l.color ?? SERIES_COLORS[i % SERIES_COLORS.length];
      return {
        type: 'line',
        name: l.name,
        data: [...l.points].sort((a, b) => a.r - b.r).map((p) => ({ value: [p.r, p.value], symbolSize: p.current ? 12 : 6 })),
        showSymbol: true,
        symbol: 'circle',
        lineStyle: { color, width: 2, type: l.dash ?? 'solid' },
        itemStyle: { color },
      };
    }),
  };
}

const KIND_TEXT: Record<ScheduleRow['kind'], string> = { rebalance: 'rebalance', exercise: 'early exercise', maturity: 'maturity', final: 'final (T)' };

/**
 * One path's schedule over time: the book's value and the hedge portfolio's value after each event (money),
 * markers where options were exercised or matured, and optionally the holdings in
 * each asset and gamma instrument (units, right axis, as steps: a holding stays until the next trade).
 * Markers: triangles for early exercises, diamonds for payments at maturity, at the hedge value before the payment.
 */
export function timelineOption(s: HedgeSchedule, opts: { holdings: boolean; maxHoldingLines?: number }): EChartsCoreOption {
  const rows = s.rows;
  const maxLines = opts.maxHoldingLines ?? 12;
  const series: unknown[] = [
    {
      type: 'line',
      name: 'book value',
      data: rows.map((r) => [r.t, r.bookValue]),
      showSymbol: rows.length <= 40,
      symbolSize: 4,
      lineStyle: { color: '#c92a2a', width: 2 },
      itemStyle: { color: '#c92a2a' },
      z: 3,
    },
    {
      type: 'line',
      name: 'hedge value',
      data: rows.map((r) => [r.t, r.hedgeAfter]),
      showSymbol: rows.length <= 40,
      symbolSize: 4,
      lineStyle: { color: '#1f5fbf', width: 2 },
      itemStyle: { color: '#1f5fbf' },
      z: 3,
    },
    {
      type: 'scatter',
      name: 'exercise / maturity',
      data: rows
        .filter((r) => r.payments.length > 0)
        .map((r) => {
          const early = r.payments.some((p) => p.early);
          return {
            value: [r.t, r.hedgeBefore],
            symbol: early ? 'triangle' : 'diamond',
            symbolSize: 11,
            itemStyle: { color: early ? '#e67700' : '#2b8a3e', borderColor: '#1d2330', borderWidth: 0.5 },
          };
        }),
      itemStyle: { color: '#e67700' },
      z: 5,
      tooltip: { show: false },
    },
  ];
  const holdingNames: string[] = [];
  if (opts.holdings) {
    const lines = [
      ...s.assets.map((a, i) => ({ name: `h ${a}`, get: (r: ScheduleRow) => r.holdings[i], dashed: false })),
      ...s.instruments.map((a, k) => ({ name: `w ${a}`, get: (r: ScheduleRow) => r.weights[k], dashed: true })),
    ].slice(0, maxLines);
    lines.forEach((l, i) => {
      const color = HOLDING_COLORS[i % HOLDING_COLORS.length];
      holdingNames.push(l.name);
      series.push({
        type: 'line',
        name: l.name,
        yAxisIndex: 1,
        step: 'end',
        data: rows.map((r) => [r.t, l.get(r) ?? null]),
        showSymbol: false,
        lineStyle: { color, width: 1.2, type: l.dashed ? 'dashed' : 'solid', opacity: 0.85 },
        itemStyle: { color },
        z: 2,
      });
    });
  }
  const T = rows.length ? rows[rows.length - 1].t : 1;
  return {
    animation: false,
    grid: { left: 70, right: opts.holdings ? 64 : 20, top: 34, bottom: 44 },
    legend: { top: 4, left: 'center', type: 'scroll', textStyle: { fontSize: 11 }, itemWidth: 18, itemHeight: 10 },
    tooltip: {
      trigger: 'axis',
      confine: true,
      textStyle: { fontSize: 11 },
      axisPointer: { type: 'line', lineStyle: { color: '#8a93a6' } },
      formatter: (ps: Array<{ dataIndex: number; seriesName: string; seriesIndex: number }>) => {
        const p = ps.find((x) => x.seriesName === 'book value' || x.seriesName === 'hedge value') ?? ps[0];
        const r = p ? rows[p.dataIndex] : undefined;
        if (!r) return '';
        const pay = r.payments.map((x) => `<div>${esc(x.label)} ${x.early ? 'exercised early' : 'matured'}: pays ${fmtSig(x.amount, 4)}</div>`).join('');
        return (
          `<div><b>t = ${fmtSig(r.t, 4)} y</b> (n = ${r.n}, ${KIND_TEXT[r.kind]})</div>` +
          `<div>book value ${fmtSig(r.bookValue, 5)} · hedge value ${fmtSig(r.hedgeAfter, 5)} (money)</div>` +
          `<div>hedge − book ${fmtSig(r.hedgeAfter - r.bookValue, 4)} · cash ${fmtSig(r.cash, 5)}</div>` +
          pay
        );
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: T,
      name: 'time t (years)',
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick },
      splitLine: SPLIT,
    },
    yAxis: [
      {
        type: 'value',
        scale: true,
        name: 'value (money)',
        nameLocation: 'middle',
        nameGap: 56,
        nameTextStyle: AXIS_NAME,
        axisLabel: { ...AXIS_LABEL, formatter: tick },
        splitLine: SPLIT,
      },
      ...(opts.holdings
        ? [
            {
              type: 'value',
              scale: true,
              name: 'holding (units)',
              nameLocation: 'middle',
              nameGap: 46,
              nameTextStyle: AXIS_NAME,
              axisLabel: { ...AXIS_LABEL, formatter: tick },
              splitLine: { show: false },
            },
          ]
        : []),
    ],
    series,
  };
}
