import { type PnlDistribution } from '../../../src-shared/api/runs';
import { fmtSig } from '../../app/format';
import { type EChartsCoreOption, SERIES_COLORS } from '../../components/echarts';
import { fmtTick } from '../../components/axisTicks';

/**
 * ECharts option for PnL histograms (as densities, drawn as rectangles on the true bin edges) with their
 * KDE lines, one colour per run. Used for a single run and for the comparison overlay.
 */

interface RenderApi {
  value(dim: number): number;
  coord(p: [number, number]): [number, number];
  style(extra?: Record<string, unknown>): Record<string, unknown>;
}

export interface SeriesMeta {
  /** Legend name (unique across the chart). */
  name: string;
  color?: string;
  /** Vertical marker at the mean PnL, if known. */
  mean?: number | null;
}

const AXIS_LABEL = { color: '#3b4150', fontSize: 11 };
const AXIS_NAME = { color: '#3b4150', fontSize: 11, fontWeight: 600 as const };

/** How the PnL axis is labelled (default: units of the option premium P₀). */
export interface PnlUnits {
  /** x-axis name, e.g. 'PnL (units of P₀)'. */
  axis: string;
  /** Unit after a value in the tooltip, e.g. 'P₀'. */
  short: string;
  /** Unit of the density, e.g. '1/P₀'. */
  density: string;
}

const P0_UNITS: PnlUnits = { axis: 'PnL (units of P₀)', short: 'P₀', density: '1/P₀' };

export function pnlChartOption(dist: PnlDistribution, metas: SeriesMeta[], opts: { overlay: boolean; units?: PnlUnits }): EChartsCoreOption {
  const { edges, kdeX } = dist;
  const units = opts.units ?? P0_UNITS;
  const lo = edges[0] ?? 0;
  const hi = edges[edges.length - 1] ?? 1;
  const series: unknown[] = [];
  const overlay = opts.overlay;

  dist.series.forEach((s, i) => {
    const meta = metas[i] ?? { name: s.label || s.runId };
    const color = meta.color ?? SERIES_COLORS[i % SERIES_COLORS.length];
    const bars = s.density.map((d, b) => [edges[b], edges[b + 1], d]);
    series.push({
      type: 'custom',
      name: meta.name,
      renderItem: (_params: unknown, api: RenderApi) => {
        const [x0, y0] = api.coord([api.value(0), api.value(2)]);
        const [x1, y1] = api.coord([api.value(1), 0]);
        return {
          type: 'rect',
          shape: { x: x0, y: y0, width: Math.max(0.5, x1 - x0 - (overlay ? 0 : 0.6)), height: y1 - y0 },
          style: api.style({ fill: color, opacity: overlay ? 0.3 : 0.42, stroke: overlay ? undefined : 'transparent' }),
        };
      },
      encode: { x: [0, 1], y: 2 },
      data: bars,
      itemStyle: { color },
      silent: true,
      z: 1,
    });
    const kdeLine: Record<string, unknown> = {
      type: 'line',
      name: meta.name,
      data: kdeX.map((x, k) => [x, s.kde[k]]),
      showSymbol: false,
      smooth: false,
      lineStyle: { color, width: 2 },
      itemStyle: { color },
      z: 3,
    };
    if (meta.mean !== undefined && meta.mean !== null && Number.isFinite(meta.mean)) {
      kdeLine.markLine = {
        silent: true,
        symbol: 'none',
        label: overlay
          ? { show: false }
          : { formatter: `mean ${fmtSig(meta.mean)}`, color, fontSize: 10, position: 'end', distance: 3 },
        lineStyle: { color, type: 'dashed', width: 1 },
        data: [{ xAxis: meta.mean }],
      };
    }
    series.push(kdeLine);
  });

  const names = dist.series.map((s, i) => metas[i]?.name ?? s.label ?? s.runId);

  return {
    animation: false,
    color: dist.series.map((_, i) => metas[i]?.color ?? SERIES_COLORS[i % SERIES_COLORS.length]),
    grid: { left: 64, right: 24, top: overlay ? 38 : 26, bottom: 46, containLabel: false },
    legend: overlay
      ? { data: names, top: 4, left: 'center', textStyle: { fontSize: 11, color: '#1d2330' }, itemWidth: 18, itemHeight: 10, type: 'scroll' }
      : { show: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line', lineStyle: { color: '#8a93a6' } },
      confine: true,
      textStyle: { fontSize: 11 },
      formatter: (params: Array<{ axisValue: number }> | { axisValue: number }) => {
        const p = Array.isArray(params) ? params[0] : params;
        if (!p) return '';
        const x = Number(p.axisValue);
        const b = binOf(edges, x);
        const k = nearest(kdeX, x);
        const rows = dist.series.map((s, i) => {
          const color = metas[i]?.color ?? SERIES_COLORS[i % SERIES_COLORS.length];
          return (
            `<div><span style="display:inline-block;width:8px;height:8px;border-radius:2px;background:${color};margin-right:4px"></span>` +
            `${escapeHtml(names[i] ?? '')}: hist ${b >= 0 ? fmtSig(s.density[b]) : '—'}, KDE ${fmtSig(s.kde[k])}</div>`
          );
        });
        const binText = b >= 0 ? `bin [${fmtSig(edges[b], 4)}, ${fmtSig(edges[b + 1], 4)})` : '';
        return `<div><b>PnL ${fmtSig(x, 4)} ${units.short}</b> ${binText}</div>${rows.join('')}<div style="color:#667">density in ${units.density}</div>`;
      },
    },
    xAxis: {
      type: 'value',
      min: lo,
      max: hi,
      name: units.axis,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmtTick(v), showMinLabel: false, showMaxLabel: false },
      splitLine: { show: true, lineStyle: { color: '#eef0f4' } },
      axisLine: { lineStyle: { color: '#8a93a6' } },
    },
    yAxis: {
      type: 'value',
      name: `density (${units.density})`,
      nameLocation: 'middle',
      nameGap: 48,
      nameTextStyle: AXIS_NAME,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmtTick(v) },
      splitLine: { lineStyle: { color: '#eef0f4' } },
    },
    series,
  };
}


function binOf(edges: number[], x: number): number {
  if (edges.length < 2 || x < edges[0] || x > edges[edges.length - 1]) return -1;
  let lo = 0;
  let hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

function nearest(xs: number[], x: number): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
  return best;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
