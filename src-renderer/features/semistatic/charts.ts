import { type PnlDistribution } from '../../../src-shared/api/runs';
import { type SemistaticLimitCurves, type SemistaticSolution } from '../../../src-shared/semistatic/contract';
import { fmtSig } from '../../app/format';
import { type EChartsCoreOption, SERIES_COLORS } from '../../components/echarts';
import { fmtTick as tick } from '../../components/axisTicks';

/** ECharts options of the semistatic view: filter weights, kappa, limit value families, wealth histogram. */

const AXIS_LABEL = { color: '#3b4150', fontSize: 11 };
const AXIS_NAME = { color: '#3b4150', fontSize: 11, fontWeight: 600 as const };
const SPLIT = { lineStyle: { color: '#eef0f4' } };


const valueAxis = (name: string, gap: number, extra: Record<string, unknown> = {}) => ({
  type: 'value',
  name,
  nameLocation: 'middle',
  nameGap: gap,
  nameTextStyle: AXIS_NAME,
  axisLabel: { ...AXIS_LABEL, formatter: tick },
  splitLine: SPLIT,
  axisLine: { lineStyle: { color: '#8a93a6' } },
  scale: true,
  ...extra,
});

/** ECharts rich-text style for a subscript inside an axis name: `t{sub|L+1}` draws t with L+1 lowered. */
const SUB_RICH = { sub: { fontSize: 8, verticalAlign: 'bottom', padding: [6, 0, 0, 0], color: '#5d6577' } };

const tooltip = { trigger: 'axis', confine: true, textStyle: { fontSize: 11 }, valueFormatter: (v: number) => fmtSig(v, 4) };

/** Filter weights (shares per unit of money of the increment L steps back) against lag L, with the delay marked. */
export function weightsOption(sol: SemistaticSolution): EChartsCoreOption {
  const { lag, weight } = sol.weights;
  const D = sol.params.D;
  const few = lag.length <= 80;
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 22, bottom: 44 },
    tooltip: { ...tooltip, formatter: undefined },
    xAxis: valueAxis('lag L (steps back)', 26, { min: 0, max: Math.max(1, sol.params.n - 1), scale: false }),
    yAxis: valueAxis('weight (shares per money)', 54),
    series: [
      {
        type: 'line',
        name: 'weight',
        data: lag.map((L, k) => [L, weight[k]]),
        step: few ? 'middle' : undefined,
        showSymbol: few,
        symbolSize: 5,
        lineStyle: { color: SERIES_COLORS[0], width: 1.6 },
        itemStyle: { color: SERIES_COLORS[0] },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#b25e00', type: 'dashed' },
          label: { formatter: `delay D = ${D}`, color: '#b25e00', fontSize: 10, position: 'end' },
          data: [{ xAxis: D + 0.5 }],
        },
      },
    ],
  };
}

/** kappa(t) - kappa_0 (limit) with the scaled discrete kernels n (t_{L+1} - a) for several n. */
export function kappaOption(c: SemistaticLimitCurves): EChartsCoreOption {
  const series: unknown[] = c.kappa.discrete.map((d, i) => ({
    type: 'line',
    name: `n = ${d.n} (D = ${d.D})`,
    data: d.t.map((t, k) => [t, d.y[k]]),
    showSymbol: d.n <= 40,
    symbolSize: 4,
    lineStyle: { width: 1.2, color: SERIES_COLORS[(i + 1) % SERIES_COLORS.length] },
    itemStyle: { color: SERIES_COLORS[(i + 1) % SERIES_COLORS.length] },
  }));
  series.push({
    type: 'line',
    name: 'limit κ(t) − κ₀',
    data: c.kappa.t.map((t, k) => [t, c.kappa.limit[k]]),
    showSymbol: false,
    lineStyle: { width: 2.4, color: '#1d2330' },
    itemStyle: { color: '#1d2330' },
    z: 5,
  });
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 52, bottom: 40 },
    legend: { top: 2, left: 'center', textStyle: { fontSize: 10 }, itemWidth: 16, itemHeight: 8, itemGap: 6 },
    tooltip,
    xAxis: valueAxis('t (fraction of the horizon)', 24, { min: 0, max: 1, scale: false }),
    yAxis: valueAxis('n (t{sub|L+1} − a)  vs  κ(t) − κ₀', 40, { nameTextStyle: { ...AXIS_NAME, rich: SUB_RICH } }),
    series,
  };
}

const positive = (v: number): number | null => (v > 1e-4 ? v : null);

/** Limit entropy against H, one line per s2 (log y), the current point marked. */
export function valueVsDelayOption(c: SemistaticLimitCurves): EChartsCoreOption {
  const series: unknown[] = c.valueVsDelay.series.map((s, i) => {
    const current = Math.abs(s.ratio2 - c.ratio2) < 1e-12;
    return {
      type: 'line',
      name: `s2 = ${fmtSig(s.ratio2, 3)}${current ? ' (yours)' : ''}`,
      data: c.valueVsDelay.delayFraction.map((h, k) => [h, positive(s.entropy[k])]),
      showSymbol: false,
      lineStyle: { width: current ? 2.6 : 1.3, color: SERIES_COLORS[i % SERIES_COLORS.length] },
      itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length] },
    };
  });
  if (c.entropy > 1e-4) {
    series.push({
      type: 'line',
      name: 'your (H, s2)',
      data: [[c.delayFraction, c.entropy]],
      showSymbol: true,
      symbol: 'circle',
      symbolSize: 9,
      itemStyle: { color: '#c92a2a', borderColor: '#fff', borderWidth: 1.5 },
      z: 6,
    });
  }
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 66, bottom: 40 },
    legend: { top: 2, left: 'center', textStyle: { fontSize: 10 }, itemWidth: 14, itemHeight: 8, itemGap: 6 },
    tooltip,
    xAxis: valueAxis('delay H (fraction of the horizon)', 24, { min: 0, max: 1, scale: false }),
    yAxis: { ...valueAxis('limit H∞ = −U (log scale)', 40), type: 'log', scale: false },
    series,
  };
}

/** Limit entropy against s2 (log x), one line per H, the current point marked. */
export function valueVsRatioOption(c: SemistaticLimitCurves): EChartsCoreOption {
  const series: unknown[] = c.valueVsRatio.series.map((s, i) => {
    const current = Math.abs(s.delayFraction - c.delayFraction) < 1e-12;
    return {
      type: 'line',
      name: `H = ${fmtSig(s.delayFraction, 3)}${current ? ' (yours)' : ''}`,
      data: c.valueVsRatio.ratio2.map((r, k) => [r, positive(s.entropy[k])]),
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: current ? 2.6 : 1.3, color: SERIES_COLORS[i % SERIES_COLORS.length] },
      itemStyle: { color: SERIES_COLORS[i % SERIES_COLORS.length] },
    };
  });
  if (c.entropy > 1e-4) {
    series.push({
      type: 'line',
      name: 'your (H, s2)',
      data: [[c.ratio2, c.entropy]],
      showSymbol: true,
      symbol: 'circle',
      symbolSize: 9,
      itemStyle: { color: '#c92a2a', borderColor: '#fff', borderWidth: 1.5 },
      z: 6,
    });
  }
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 66, bottom: 40 },
    legend: { top: 2, left: 'center', textStyle: { fontSize: 10 }, itemWidth: 14, itemHeight: 8, itemGap: 6 },
    tooltip,
    xAxis: { ...valueAxis('variance ratio s2 = σ̂²/σ² (log scale)', 24), type: 'log', scale: false, min: 0.05, max: 20 },
    yAxis: { ...valueAxis('limit H∞ = −U (log scale)', 40), type: 'log', scale: false, min: 1e-3 },
    series,
  };
}

interface RenderApi {
  value(dim: number): number;
  coord(p: [number, number]): [number, number];
  style(extra?: Record<string, unknown>): Record<string, unknown>;
}

/** Terminal wealth histogram (density) + KDE, money, with the sample mean and the certainty equivalent. */
export function wealthOption(dist: PnlDistribution, marks: { mean: number; ce: number }): EChartsCoreOption {
  const s = dist.series[0];
  const color = SERIES_COLORS[0];
  const bars = s ? s.density.map((d, b) => [dist.edges[b], dist.edges[b + 1], d]) : [];
  return {
    animation: false,
    grid: { left: 64, right: 20, top: 18, bottom: 44 },
    tooltip: { trigger: 'axis', confine: true, textStyle: { fontSize: 11 }, valueFormatter: (v: number) => fmtSig(v, 4) },
    xAxis: valueAxis('terminal wealth V (money)', 26, {
      min: dist.edges[0],
      max: dist.edges[dist.edges.length - 1],
      scale: false,
      axisLabel: { ...AXIS_LABEL, formatter: tick, showMinLabel: false, showMaxLabel: false },
    }),
    yAxis: valueAxis('density (1/money)', 48),
    series: [
      {
        type: 'custom',
        name: 'histogram',
        renderItem: (_p: unknown, api: RenderApi) => {
          const [x0, y0] = api.coord([api.value(0), api.value(2)]);
          const [x1, y1] = api.coord([api.value(1), 0]);
          return { type: 'rect', shape: { x: x0, y: y0, width: Math.max(0.5, x1 - x0 - 0.6), height: y1 - y0 }, style: api.style({ fill: color, opacity: 0.42 }) };
        },
        encode: { x: [0, 1], y: 2 },
        data: bars,
        silent: true,
      },
      {
        type: 'line',
        name: 'KDE',
        data: s ? dist.kdeX.map((x, k) => [x, s.kde[k]]) : [],
        showSymbol: false,
        lineStyle: { color, width: 2 },
        itemStyle: { color },
        markLine: {
          silent: true,
          symbol: 'none',
          data: [
            { xAxis: marks.mean, lineStyle: { color: '#1d2330', type: 'dashed' }, label: { formatter: `mean ${fmtSig(marks.mean, 4)}`, fontSize: 10, color: '#1d2330' } },
            { xAxis: marks.ce, lineStyle: { color: '#c92a2a', type: 'dotted', width: 1.5 }, label: { show: false } },
          ],
        },
      },
    ],
  };
}
