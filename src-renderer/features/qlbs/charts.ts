import { type PnlDistribution } from '../../../src-shared/api/runs';
import { type QlbsCurves, type QlbsQSurface } from '../../../src-shared/qlbs/contract';
import { type QlbsSweepMetrics, type SweepSeries } from '../../../src-shared/qlbs/sweep';
import { fmtSig } from '../../app/format';
import { type EChartsCoreOption, SERIES_COLORS } from '../../components/echarts';
import './qlbsEcharts';
import { fmtTick as tick } from '../../components/axisTicks';
import { numberedScale } from '../../components/heatScale';
import { escapeHtml } from '../../components/escapeHtml';

/**
 * ECharts options of the QLBS view: hedge curves a_t(S) against the Black-Scholes delta, the FQI Q(S, a) heat
 * map with the hedge lines over it, the distribution of the hedge portfolio at t = 0, and sweep lines.
 */

interface RenderApi {
  value(dim: number): number;
  coord(p: [number, number]): [number, number];
  size?(p: [number, number]): [number, number];
  visual(k: string): string;
  style(extra?: Record<string, unknown>): Record<string, unknown>;
}

const AXIS_LABEL = { color: '#3b4150', fontSize: 11 };
const AXIS_NAME = { color: '#3b4150', fontSize: 11, fontWeight: 600 as const };
const SPLIT = { lineStyle: { color: '#eef0f4' } };
/** Axes at the edges of the grid, not where the other axis is zero. */
const EDGE = { onZero: false, lineStyle: { color: '#8a93a6' } };


const swatch = (color: string, dash = false): string =>
  `<span style="display:inline-block;width:14px;height:0;border-top:2px ${dash ? 'dashed' : 'solid'} ${color};margin:0 5px 3px 0"></span>`;

/** Years with 3 significant digits, e.g. "0.75 y". */
export const fmtYears = (y: number): string => `${Number(y.toPrecision(3))} y`;

/** Lines of the learned hedges (DP solid, FQI dashed) and the Black-Scholes delta (dotted), one colour per time. */
export function hedgeChartOption(c: QlbsCurves): EChartsCoreOption {
  const series: unknown[] = [];
  const names: string[] = [];
  c.curves.forEach((cv, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    const name = `t = ${cv.t} (τ ${fmtYears(cv.tauYears)})`;
    names.push(name);
    const point = cv.s.length === 1;
    const line = (data: number[], kind: 'DP' | 'FQI' | 'BS') => ({
      type: 'line',
      name,
      id: `${cv.t}-${kind}`,
      data: cv.s.map((s, k) => [s, data[k], kind]),
      showSymbol: point,
      symbol: kind === 'BS' ? 'diamond' : kind === 'FQI' ? 'triangle' : 'circle',
      symbolSize: point ? 9 : 4,
      lineStyle: { color, width: kind === 'BS' ? 1.5 : 2, type: kind === 'DP' ? 'solid' : kind === 'FQI' ? 'dashed' : 'dotted' },
      itemStyle: { color },
      z: kind === 'BS' ? 2 : 3,
    });
    series.push(line(cv.dp, 'DP'));
    if (cv.fqi) series.push(line(cv.fqi, 'FQI'));
    series.push(line(cv.bs, 'BS'));
  });
  // Keep the delta's range readable: learned hedges far outside it (sparse tails near maturity) are clipped.
  const all = c.curves.flatMap((cv) => [...cv.dp, ...(cv.fqi ?? [])]);
  const deltas = c.curves.flatMap((cv) => cv.bs);
  const yMin = Math.max(Math.min(...all, ...deltas), Math.min(...deltas) - 0.6);
  const yMax = Math.min(Math.max(...all, ...deltas), Math.max(...deltas) + 0.6);
  const pad = 0.05 * (yMax - yMin || 1);
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 34, bottom: 42 },
    legend: { data: names, top: 2, left: 'center', type: 'scroll', textStyle: { fontSize: 11 }, itemWidth: 16, itemHeight: 8 },
    tooltip: {
      trigger: 'item',
      confine: true,
      textStyle: { fontSize: 11 },
      formatter: (p: { seriesName: string; value: [number, number, string]; color: string }) =>
        `<b>${escapeHtml(p.seriesName)}</b><br/>${p.value[2] === 'BS' ? 'Black-Scholes delta' : `${p.value[2]} hedge`} ${fmtSig(p.value[1], 4)} at S = ${fmtSig(p.value[0], 5)}`,
    },
    xAxis: {
      type: 'value',
      scale: true,
      name: 'spot S_t (money)',
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick },
      splitLine: SPLIT,
      axisLine: EDGE,
    },
    yAxis: {
      type: 'value',
      min: Math.floor((yMin - pad) * 10) / 10,
      max: Math.ceil((yMax + pad) * 10) / 10,
      name: 'hedge a_t (asset / option)',
      nameLocation: 'middle',
      nameGap: 40,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick, showMinLabel: false, showMaxLabel: false },
      splitLine: SPLIT,
      axisLine: EDGE,
    },
    series,
  };
}

const HEAT_COLORS = ['#30123b', '#4145ab', '#2ab0e4', '#4bf08a', '#e3d93a', '#f67b1f', '#9e1e0b'];

/** True when some learned hedge falls outside the hedge chart's y range (the delta's range +- 0.6). */
export function hedgeClipped(c: QlbsCurves): boolean {
  const deltas = c.curves.flatMap((cv) => cv.bs);
  const lo = Math.min(...deltas) - 0.6;
  const hi = Math.max(...deltas) + 0.6;
  return c.curves.some((cv) => [...cv.dp, ...(cv.fqi ?? [])].some((a) => a < lo || a > hi));
}

/**
 * Heat map of Q_t(S, a) (cells on true spot/action coordinates) with the hedge a*(S), argmax and delta lines.
 * `relative`: colour Q(S, a) - max over the grid's actions of Q(S, .), which shows the action dependence that
 * the strong dependence on S otherwise hides.
 */
export function qSurfaceOption(q: QlbsQSurface, relative = false): EChartsCoreOption {
  const nS = q.s.length;
  const nA = q.a.length;
  const ds = nS > 1 ? q.s[1] - q.s[0] : 1;
  const da = nA > 1 ? q.a[1] - q.a[0] : 1;
  const cells: Array<[number, number, number]> = [];
  let vMin = Infinity;
  let vMax = -Infinity;
  for (let i = 0; i < nS; i++) {
    const row = q.q.slice(i * nA, (i + 1) * nA);
    const best = relative ? Math.max(...row) : 0;
    for (let j = 0; j < nA; j++) {
      const v = row[j] - best;
      vMin = Math.min(vMin, v);
      vMax = Math.max(vMax, v);
      cells.push([q.s[i], q.a[j], v]);
    }
  }
  const aLo = q.a[0] - da / 2;
  const aHi = q.a[nA - 1] + da / 2;
  const inRange = (v: number | null) => (v !== null && v >= aLo && v <= aHi ? v : null);
  const line = (name: string, ys: Array<number | null>, color: string, type: 'solid' | 'dashed' | 'dotted', width: number) => ({
    type: 'line',
    name,
    data: q.s.map((s, i) => [s, ys[i]]),
    showSymbol: false,
    connectNulls: false,
    lineStyle: { color, type, width },
    itemStyle: { color },
    z: 5,
  });
  return {
    animation: false,
    grid: { left: 56, right: 128, top: 30, bottom: 42 },
    legend: {
      // The hedge lines are white over the colours; their legend icons are drawn dark so they show on white.
      data: [
        { name: 'FQI hedge a*', itemStyle: { color: '#555' }, lineStyle: { color: '#555', type: 'solid' } },
        { name: 'argmax of fitted Q', itemStyle: { color: '#555' }, lineStyle: { color: '#555', type: 'dashed' } },
        { name: 'Black-Scholes delta', itemStyle: { color: '#111' }, lineStyle: { color: '#111', type: 'dotted' } },
      ],
      top: 2,
      left: 'center',
      textStyle: { fontSize: 11 },
      itemWidth: 16,
      itemHeight: 8,
    },
    visualMap: numberedScale({ min: vMin, max: vMax, bins: 7, colors: HEAT_COLORS, seriesIndex: 0, dimension: 2, unit: relative ? 'Q − max_a Q (money)' : 'Q (money)' }),
    tooltip: {
      trigger: 'item',
      confine: true,
      textStyle: { fontSize: 11 },
      formatter: (p: { seriesIndex: number; seriesName: string; value: number[] }) =>
        p.seriesIndex === 0
          ? `${relative ? 'Q − max_a Q' : 'Q'}(S = ${fmtSig(p.value[0], 5)}, a = ${fmtSig(p.value[1], 4)}) = <b>${fmtSig(p.value[2], 5)}</b> (money)`
          : `${escapeHtml(p.seriesName)}: a = ${fmtSig(p.value[1], 4)} at S = ${fmtSig(p.value[0], 5)}`,
    },
    xAxis: {
      type: 'value',
      min: q.s[0] - ds / 2,
      max: q.s[nS - 1] + ds / 2,
      name: 'spot S_t (money)',
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick, showMinLabel: false, showMaxLabel: false },
      splitLine: { show: false },
      axisLine: EDGE,
    },
    yAxis: {
      type: 'value',
      min: aLo,
      max: aHi,
      name: 'action a (asset / option)',
      nameLocation: 'middle',
      nameGap: 40,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick, showMinLabel: false, showMaxLabel: false },
      splitLine: { show: false },
      axisLine: EDGE,
    },
    series: [
      {
        type: 'custom',
        name: 'Q',
        data: cells,
        encode: { x: 0, y: 1 },
        renderItem: (_p: unknown, api: RenderApi) => {
          const [x0, y0] = api.coord([api.value(0) - ds / 2, api.value(1) + da / 2]);
          const [x1, y1] = api.coord([api.value(0) + ds / 2, api.value(1) - da / 2]);
          return { type: 'rect', shape: { x: x0, y: y0, width: x1 - x0 + 0.5, height: y1 - y0 + 0.5 }, style: { fill: api.visual('color') } };
        },
        z: 1,
      },
      line('FQI hedge a*', q.hedge.map(inRange), '#ffffff', 'solid', 2.5),
      line('argmax of fitted Q', q.argmax.map(inRange), '#ffffff', 'dashed', 1.5),
      line('Black-Scholes delta', q.bsDelta.map(inRange), '#111111', 'dotted', 2),
    ],
  };
}

/** Histogram (density) of the portfolio value Pi_0 over the paths, with markers at its mean and the BS price. */
export function portfolioOption(d: PnlDistribution, means: Array<number | null>, bsPrice: number): EChartsCoreOption {
  const { edges, kdeX } = d;
  const series: unknown[] = [];
  const overlay = d.series.length > 1;
  d.series.forEach((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    series.push({
      type: 'custom',
      name: s.label,
      data: s.density.map((v, b) => [edges[b], edges[b + 1], v]),
      encode: { x: [0, 1], y: 2 },
      renderItem: (_p: unknown, api: RenderApi) => {
        const [x0, y0] = api.coord([api.value(0), api.value(2)]);
        const [x1, y1] = api.coord([api.value(1), 0]);
        return { type: 'rect', shape: { x: x0, y: y0, width: Math.max(0.5, x1 - x0 - (overlay ? 0 : 0.6)), height: y1 - y0 }, style: { fill: color, opacity: overlay ? 0.3 : 0.45 } };
      },
      itemStyle: { color },
      silent: true,
      z: 1,
    });
    const kde: Record<string, unknown> = {
      type: 'line',
      name: s.label,
      data: kdeX.map((x, k) => [x, s.kde[k]]),
      showSymbol: false,
      lineStyle: { color, width: 2 },
      itemStyle: { color },
      z: 3,
    };
    const marks: unknown[] = [];
    const mean = means[i];
    if (mean !== null && mean !== undefined && Number.isFinite(mean)) {
      marks.push({ xAxis: mean, lineStyle: { color, type: 'dashed', width: 1.5 } });
    }
    if (i === 0) marks.push({ xAxis: bsPrice, lineStyle: { color: '#111', type: 'solid', width: 1.5 } });
    kde.markLine = { silent: true, symbol: 'none', label: { show: false }, data: marks };
    series.push(kde);
  });
  return {
    animation: false,
    grid: { left: 56, right: 18, top: overlay ? 30 : 16, bottom: 42 },
    legend: overlay ? { top: 2, left: 'center', textStyle: { fontSize: 11 }, itemWidth: 16, itemHeight: 8, data: d.series.map((s) => s.label) } : { show: false },
    tooltip: {
      trigger: 'axis',
      confine: true,
      textStyle: { fontSize: 11 },
      formatter: (ps: Array<{ axisValue: number }>) => {
        const x = Number((Array.isArray(ps) ? ps[0] : ps)?.axisValue);
        const b = edges.findIndex((e, k) => k < edges.length - 1 && x >= e && x < edges[k + 1]);
        const rows = d.series.map((s, i) => `${swatch(SERIES_COLORS[i % SERIES_COLORS.length])}${escapeHtml(s.label)}: ${b >= 0 ? fmtSig(s.density[b], 4) : '—'}`);
        return `<b>Π₀ ${fmtSig(x, 5)}</b> (money)<br/>${rows.join('<br/>')}<br/><span style="color:#667">density per unit of money</span>`;
      },
    },
    xAxis: {
      type: 'value',
      min: edges[0],
      max: edges[edges.length - 1],
      name: 'portfolio value Π₀ at t = 0 (money)',
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick, showMinLabel: false, showMaxLabel: false },
      splitLine: SPLIT,
      axisLine: EDGE,
    },
    yAxis: {
      type: 'value',
      name: 'density (1/money)',
      nameLocation: 'middle',
      nameGap: 40,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick },
      splitLine: SPLIT,
      axisLine: EDGE,
    },
    series,
  };
}

export const PARAM_AXIS: Record<QlbsSweepMetrics['param'], string> = {
  lambda: 'risk aversion λ (1/money)',
  mu: 'drift μ (/yr)',
  paths: 'paths N_MC',
  eta: 'noise band η',
};

/** Price against the swept parameter: DP price, hedge cost in and out of sample, FQI price, Black-Scholes. */
export function sweepOption(m: QlbsSweepMetrics, rate: number): EChartsCoreOption {
  const x = m.values;
  const defs: Array<{ name: string; s: SweepSeries | null; color: string; type: 'solid' | 'dashed' | 'dotted' }> = [
    { name: 'DP price −Q₀', s: m.dpPrice, color: SERIES_COLORS[0], type: 'solid' },
    { name: 'DP hedge cost (in sample)', s: m.dpHedgeCost, color: SERIES_COLORS[2], type: 'dashed' },
    { name: 'hedge cost on fresh paths', s: m.dpHedgeCostOos, color: SERIES_COLORS[5], type: 'dotted' },
    { name: 'FQI price −Q*₀', s: m.fqiPrice, color: SERIES_COLORS[1], type: 'solid' },
  ];
  const series: unknown[] = [];
  const names: string[] = [];
  for (const d of defs) {
    if (!d.s) continue;
    const s = d.s;
    names.push(d.name);
    series.push({
      type: 'line',
      name: d.name,
      data: x.map((v, i) => [v, s.mean[i]]),
      connectNulls: false,
      showSymbol: true,
      symbolSize: 5,
      lineStyle: { color: d.color, width: 2, type: d.type },
      itemStyle: { color: d.color },
      z: 3,
    });
    if (m.repeats > 1) {
      series.push({
        type: 'custom',
        name: d.name,
        data: x.map((v, i) => [v, s.mean[i], s.sd[i]]).filter((p) => p[1] !== null && p[2] !== null),
        encode: { x: 0, y: 1 },
        renderItem: (_p: unknown, api: RenderApi) => {
          const xv = api.value(0);
          const mv = api.value(1);
          const sd = api.value(2);
          const top = api.coord([xv, mv + sd]);
          const bot = api.coord([xv, mv - sd]);
          const cap = 4;
          const style = { stroke: d.color, lineWidth: 1.2 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: top[0], y1: top[1], x2: bot[0], y2: bot[1] }, style },
              { type: 'line', shape: { x1: top[0] - cap, y1: top[1], x2: top[0] + cap, y2: top[1] }, style },
              { type: 'line', shape: { x1: bot[0] - cap, y1: bot[1], x2: bot[0] + cap, y2: bot[1] }, style },
            ],
          };
        },
        z: 2,
        silent: true,
      });
    }
  }
  names.push('Black-Scholes');
  const bsLine: Record<string, unknown> = {
    type: 'line',
    name: 'Black-Scholes',
    data: x.map((v, i) => [v, m.bsPrice[i]]),
    showSymbol: false,
    lineStyle: { color: '#111', width: 1.5, type: 'solid' },
    itemStyle: { color: '#111' },
    z: 2,
  };
  if (m.param === 'mu') {
    bsLine.markLine = {
      silent: true,
      symbol: 'none',
      data: [{ xAxis: rate, label: { formatter: 'μ = r', fontSize: 10, color: '#5d6577' }, lineStyle: { color: '#8a93a6', type: 'dashed' } }],
    };
  }
  series.push(bsLine);
  const log = m.param === 'paths';
  return {
    animation: false,
    grid: { left: 56, right: 20, top: 34, bottom: 42 },
    legend: { data: names, top: 2, left: 'center', type: 'scroll', textStyle: { fontSize: 11 }, itemWidth: 16, itemHeight: 8 },
    tooltip: {
      trigger: 'axis',
      confine: true,
      textStyle: { fontSize: 11 },
      formatter: (ps: Array<{ axisValue: number }>) => {
        const xv = Number((Array.isArray(ps) ? ps[0] : ps)?.axisValue);
        const i = x.reduce((best, v, k) => (Math.abs(v - xv) < Math.abs(x[best] - xv) ? k : best), 0);
        const rows = defs
          .filter((d) => d.s)
          .map((d) => {
            const mean = d.s!.mean[i];
            const sd = d.s!.sd[i];
            return `${swatch(d.color, d.type !== 'solid')}${d.name}: ${mean === null ? '…' : fmtSig(mean, 5)}${m.repeats > 1 && sd !== null ? ` ± ${fmtSig(sd, 2)}` : ''}`;
          });
        const bs = m.bsPrice[i];
        return `<b>${PARAM_AXIS[m.param]} = ${fmtSig(x[i], 5)}</b><br/>${rows.join('<br/>')}<br/>${swatch('#111')}Black-Scholes: ${bs === null ? '…' : fmtSig(bs, 5)}<br/><span style="color:#667">prices in money${m.repeats > 1 ? `; ± one sd over ${m.repeats} seeds` : ''}</span>`;
      },
    },
    xAxis: {
      type: log ? 'log' : 'value',
      scale: !log,
      name: PARAM_AXIS[m.param],
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick },
      splitLine: SPLIT,
      axisLine: EDGE,
    },
    yAxis: {
      type: 'value',
      scale: true,
      name: 'price (money)',
      nameLocation: 'middle',
      nameGap: 40,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick },
      splitLine: SPLIT,
      axisLine: EDGE,
    },
    series,
  };
}

/** Live values -mean Q_t by time step while the backward pass runs (DP and FQI grids share the time axis). */
export function liveValueOption(points: { dp: Array<[number, number]>; fqi: Array<[number, number]> }, maturity: number): EChartsCoreOption {
  return {
    animation: false,
    grid: { left: 52, right: 16, top: 26, bottom: 40 },
    legend: { data: ['DP value −mean Q_t', 'FQI value −mean Q*_t'], top: 2, textStyle: { fontSize: 11 }, itemWidth: 16, itemHeight: 8 },
    xAxis: {
      type: 'value',
      min: 0,
      max: maturity,
      name: 'time t (years)',
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: tick },
      splitLine: SPLIT,
      axisLine: EDGE,
    },
    yAxis: { type: 'value', scale: true, name: 'money', nameTextStyle: AXIS_NAME, axisLabel: { ...AXIS_LABEL, formatter: tick }, splitLine: SPLIT, axisLine: EDGE },
    series: [
      { type: 'line', name: 'DP value −mean Q_t', data: points.dp, showSymbol: true, symbolSize: 4, lineStyle: { color: SERIES_COLORS[0], width: 2 }, itemStyle: { color: SERIES_COLORS[0] } },
      { type: 'line', name: 'FQI value −mean Q*_t', data: points.fqi, showSymbol: true, symbolSize: 5, lineStyle: { color: SERIES_COLORS[1], width: 2, type: 'dashed' }, itemStyle: { color: SERIES_COLORS[1] } },
    ],
  };
}
