import { BarChart, HeatmapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import { type EChartsCoreOption, echarts } from '../../components/echarts';
import { numberedScale } from '../../components/heatScale';
import { escapeHtml } from '../../components/escapeHtml';

/** The portfolio view's extra chart types (registered on the app's shared ECharts core). */
echarts.use([BarChart, HeatmapChart, VisualMapComponent]);

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? String(Number(x.toPrecision(4))) : x.toExponential(2));
/** Short labels inside heat-map cells: 3 significant digits, compact exponent. */
const cellFmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-2 && Math.abs(x) < 1e3 ? String(Number(x.toPrecision(2))) : x.toExponential(1).replace('e-', 'e−'));

/** Delta per asset as bars: learned, and the closed form beside it when there is one. */
export function deltaBarsOption(assets: string[], learned: number[], reference: number[] | null, title: string): EChartsCoreOption {
  return {
    animation: false,
    title: { text: title, left: 8, top: 2, textStyle: { fontSize: 12, fontWeight: 600 } },
    grid: { left: 56, right: 12, top: 34, bottom: 24 },
    legend: { top: 2, right: 8, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt(v) },
    xAxis: { type: 'category', data: assets, axisLabel: { fontSize: 11, interval: 0, rotate: assets.length > 12 ? 45 : 0 } },
    yAxis: { type: 'value', name: 'Δ (units)', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10, formatter: fmt } },
    series: [
      { name: 'learned', type: 'bar', data: learned, itemStyle: { color: '#1f5fbf' }, barMaxWidth: 28 },
      ...(reference ? [{ name: 'closed form', type: 'bar', data: reference, itemStyle: { color: '#9aa5b8' }, barMaxWidth: 28 }] : []),
    ],
  };
}

/**
 * A Gamma matrix (1/money) as a heat map, rows top to bottom in asset order, on a diverging blue-white-red
 * scale symmetric about 0 (`range` shared by heat maps shown side by side so colours compare), in numbered
 * bins; cells carry their value as a label up to 3 x 3 (larger books: the scale and the tooltip).
 */
export function gammaHeatmapOption(assets: string[], gamma: number[][], title: string, range: number): EChartsCoreOption {
  const d = assets.length;
  const data: Array<[number, number, number]> = [];
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) data.push([b, a, gamma[a][b]]);
  const r = range > 0 ? range : 1;
  return {
    animation: false,
    title: { text: title, left: 8, top: 2, textStyle: { fontSize: 12, fontWeight: 600 } },
    grid: { left: 40, right: 96, top: 26, bottom: 44 },
    tooltip: { formatter: (p: { value: [number, number, number] }) => `Γ(${escapeHtml(assets[p.value[1]])}, ${escapeHtml(assets[p.value[0]])}) = ${fmt(p.value[2])} /money` },
    xAxis: { type: 'category', data: assets, splitArea: { show: true }, axisLabel: { fontSize: 10, interval: 0, rotate: d > 10 ? 45 : 0 } },
    yAxis: { type: 'category', data: assets, inverse: true, splitArea: { show: true }, axisLabel: { fontSize: 10, interval: 0 } },
    visualMap: numberedScale({ min: -r, max: r, bins: 4, digits: 2, compact: true, unit: '1/money', colors: ['#2166ac', '#92c5de', '#f7f7f7', '#f4a582', '#b2182b'] }),
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: d <= 3, fontSize: 10, formatter: (p: { value: [number, number, number] }) => cellFmt(p.value[2]) },
        emphasis: { itemStyle: { borderColor: '#1d2330', borderWidth: 1 } },
      },
    ],
  };
}

/** Largest |entry| of some matrices (the common colour range). */
export const absMax = (...ms: Array<number[][] | null | undefined>): number => Math.max(0, ...ms.flatMap((m) => (m ? m.flat().map(Math.abs) : [])));
