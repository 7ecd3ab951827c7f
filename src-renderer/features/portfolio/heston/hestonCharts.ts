import { HeatmapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import { type EChartsCoreOption, echarts } from '../../../components/echarts';
import { numberedScale } from '../../../components/heatScale';
import { fmtSig } from '../../../app/format';

echarts.use([HeatmapChart, VisualMapComponent]);

const DIVERGING = ['#2166ac', '#92c5de', '#f7f7f7', '#f4a582', '#b2182b'];
const SEQUENTIAL = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];

/** Smallest and largest finite value over some arrays (the shared colour range of side-by-side maps). */
export function valueRange(...xs: Array<number[] | null | undefined>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const a of xs) for (const v of a ?? []) if (Number.isFinite(v)) [min, max] = [Math.min(min, v), Math.max(max, v)];
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 1 };
}

/**
 * A Greek over (S, ν) as a heat map: S along x, ν along y (ascending upwards), `values` row-major S x ν, on a
 * numbered colour scale over [min, max] (shared by the maps shown side by side): diverging about 0 in 7 bins (0 in
 * the middle one) when the range straddles it, sequential in 6 otherwise.
 */
export function surfaceHeatmapOption(S: number[], nu: number[], values: number[], title: string, range: { min: number; max: number }, unit: string): EChartsCoreOption {
  const data: Array<[number, number, number]> = [];
  for (let i = 0; i < S.length; i++) for (let j = 0; j < nu.length; j++) data.push([i, j, values[i * nu.length + j]!]);
  const straddles = range.min < 0 && range.max > 0;
  const r = Math.max(Math.abs(range.min), Math.abs(range.max));
  return {
    animation: false,
    title: { text: title, left: 8, top: 2, textStyle: { fontSize: 12, fontWeight: 600 } },
    grid: { left: 64, right: 118, top: 28, bottom: 40 },
    tooltip: { formatter: (p: { value: [number, number, number] }) => `S = ${fmtSig(S[p.value[0]]!, 4)}, ν = ${fmtSig(nu[p.value[1]]!, 3)}: ${fmtSig(p.value[2], 4)} ${unit}` },
    xAxis: { type: 'category', name: 'S', nameLocation: 'middle', nameGap: 24, data: S.map((s) => fmtSig(s, 3)), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', name: 'ν (/yr)', nameLocation: 'middle', nameGap: 44, nameTextStyle: { fontSize: 10 }, data: nu.map((v) => fmtSig(v, 2)), axisLabel: { fontSize: 10 } },
    visualMap: numberedScale({
      min: straddles ? -r : range.min,
      max: straddles ? r : range.max,
      // an odd count when diverging: 0 sits inside the middle (white) bin, not on an edge between two colours
      bins: straddles ? 7 : 6,
      digits: 3,
      unit,
      colors: straddles ? DIVERGING : SEQUENTIAL,
    }),
    series: [{ type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#1d2330', borderWidth: 1 } } }],
  };
}
