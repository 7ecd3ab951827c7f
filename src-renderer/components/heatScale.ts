import { fmtSig } from '../app/format';

/**
 * The colour scale of a heat map as numbered bins (an ECharts piecewise visualMap): each colour says the
 * range of values it stands for, e.g. "−0.012 … −0.006", so a heat map reads as numbers, not just
 * "high/low". `unit` is the scale's caption; `compact` labels each bin by its lower edge ("≥ 0.00045") for
 * small charts.
 */
export function numberedScale(opts: { min: number; max: number; colors: string[]; bins?: number; digits?: number; unit?: string; seriesIndex?: number; dimension?: number; compact?: boolean }): Record<string, unknown> {
  const bins = Math.max(2, opts.bins ?? 6);
  let { min, max } = opts;
  if (!(Number.isFinite(min) && Number.isFinite(max))) [min, max] = [0, 1];
  if (max === min) [min, max] = [min - (Math.abs(min) || 1) * 0.5, max + (Math.abs(max) || 1) * 0.5];
  const step = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? max : min + k * step));
  const label = (x: number): string => fmtSig(Math.abs(x) < 1e-12 * Math.max(Math.abs(min), Math.abs(max)) ? 0 : x, opts.digits ?? 3).replace(/^-/, '−');
  const pieces = edges.slice(0, -1).map((lo, k) => ({ min: lo, max: edges[k + 1]!, label: opts.compact ? `≥ ${label(lo)}` : `${label(lo)} … ${label(edges[k + 1]!)}` }));
  return {
    type: 'piecewise',
    ...(opts.seriesIndex !== undefined ? { seriesIndex: opts.seriesIndex } : {}),
    ...(opts.dimension !== undefined ? { dimension: opts.dimension } : {}),
    pieces: pieces.reverse(),
    orient: 'vertical',
    right: 2,
    top: 'middle',
    itemWidth: 12,
    itemHeight: 10,
    itemGap: 3,
    text: opts.unit ? [opts.unit] : undefined,
    // with `text` set ECharts hides the pieces' own labels unless asked: the numbers are the point here
    showLabel: true,
    textStyle: { fontSize: 10, color: '#3b4150' },
    inRange: { color: opts.colors },
  };
}
