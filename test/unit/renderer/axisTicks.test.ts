import { describe, expect, it } from 'vitest';
import { fmtTick } from '../../../src-renderer/components/axisTicks';
import { linesOption } from '../../../src-renderer/features/hedging/trainingChartOptions';
import { convergenceOption } from '../../../src-renderer/features/rebalance/charts';
import { statDef } from '../../../src-renderer/features/rebalance/stats';

/** Ticks ECharts would place: k × interval from lo (interval a "nice" 1, 2, 2.5, 5 × 10^j). */
const ticks = (lo: number, interval: number, n = 6): number[] => Array.from({ length: n }, (_, k) => lo + k * interval);

const CASES: Array<[string, number[]]> = [
  ['money around 2e4, step 500', ticks(20_000, 500)],
  ['small losses, step 2.5e-5', ticks(1e-4, 2.5e-5)],
  ['near 1 with step 1e-4', ticks(0.9997, 1e-4)],
  ['float noise steps of 0.1', ticks(0, 0.1, 11)],
  ['large, step 5e5', ticks(1e6, 5e5)],
];

type Formatter = (v: number) => string;
const yFormatter = (opt: unknown): Formatter => {
  const y = (opt as { yAxis: { axisLabel: { formatter: Formatter } } | Array<{ axisLabel: { formatter: Formatter } }> }).yAxis;
  return (Array.isArray(y) ? y[0]! : y).axisLabel.formatter;
};

describe('axis labels never repeat a tick', () => {
  it.each(CASES)('the shared formatter: %s', (_, vs) => {
    const labels = vs.map(fmtTick);
    expect(new Set(labels).size).toBe(vs.length);
    for (const l of labels) expect(l).not.toMatch(/NaN|0000000/);
  });

  it('writes the shortest exact form', () => {
    expect(fmtTick(20_500)).toBe('20500');
    expect(fmtTick(0.1 + 0.2)).toBe('0.3');
    expect(fmtTick(1.25e-4)).toBe('1.25e-4');
    expect(fmtTick(1.5e6)).toBe('1.5e6');
    expect(fmtTick(0)).toBe('0');
  });

  it.each(CASES)('the charts use it (training lines, rebalancing convergence): %s', (_, vs) => {
    const training = yFormatter(linesOption([{ name: 'a', color: '#000', points: [[0, vs[0]!], [1, vs[vs.length - 1]!]] }], { x: 'epoch', y: 'loss' }));
    const conv = yFormatter(convergenceOption([], statDef('variance')));
    for (const f of [training, conv]) expect(new Set(vs.map((v) => f(v))).size).toBe(vs.length);
  });
});
