import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type QlbsQSurface } from '../../../src-shared/qlbs/contract';
import { gammaHeatmapOption } from '../../../src-renderer/features/portfolio/charts';
import { qSurfaceOption } from '../../../src-renderer/features/qlbs/charts';
import { ROOT } from '../../helpers/host';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

/** Code lines (comments dropped): what can reach a screen. */
const codeLines = (text: string): string[] => text.split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l));

type Piece = { min: number; max: number; label: string };
const scale = (opt: unknown) => (opt as { visualMap: { type: string; pieces: Piece[]; showLabel: boolean } }).visualMap;

describe('chart texts and heat maps', () => {
  it('no screen text carries raw TeX such as t_{L+1}', () => {
    const hits = sources(join(ROOT, 'src-renderer')).flatMap((f) => codeLines(readFileSync(f, 'utf8')).filter((l) => /_\{/.test(l)).map((l) => `${f}: ${l.trim()}`));
    expect(hits).toEqual([]);
  });

  it('the Gamma heat map shows numbers: labelled cells up to 3 × 3 and a numbered colour scale', () => {
    const names = ['S1', 'S2', 'S3'];
    const g = names.map((_, a) => names.map((__, b) => (a === b ? 0.02 : -0.004 * (a + b))));
    const opt = gammaHeatmapOption(names, g, 'Γ', 0.02);
    const vm = scale(opt);
    expect(vm.type).toBe('piecewise');
    expect(vm.showLabel).toBe(true); // ECharts hides piece labels when `text` is set, unless told
    expect(vm.pieces.length).toBeGreaterThanOrEqual(4);
    for (const p of vm.pieces) expect(p.label).toMatch(/^≥ −?\d/);
    // the bins cover the symmetric range exactly
    expect(Math.min(...vm.pieces.map((p) => p.min))).toBeCloseTo(-0.02, 15);
    expect(Math.max(...vm.pieces.map((p) => p.max))).toBeCloseTo(0.02, 15);
    const label = (opt as { series: Array<{ label: { show: boolean; formatter: (p: { value: [number, number, number] }) => string } }> }).series[0]!.label;
    expect(label.show).toBe(true);
    expect(label.formatter({ value: [0, 0, 0.02] })).toBe('0.02');
  });

  it('the Q heat map has a numbered colour scale spanning its values, not "Q high / Q low"', () => {
    const s = [90, 100, 110];
    const a = [0, 0.5, 1];
    const q: QlbsQSurface = { runId: 'r', t: 0, tauYears: 1, s, a, q: [1, 2, 3, 4, 5, 6, 7, 8, 9.5], qMin: 1, qMax: 9.5, hedge: [0.2, 0.5, 0.8], argmax: [0.2, null, 0.8], bsDelta: [0.3, 0.5, 0.7] } as QlbsQSurface;
    const vm = scale(qSurfaceOption(q));
    expect(vm.type).toBe('piecewise');
    expect(Math.min(...vm.pieces.map((p) => p.min))).toBe(1);
    expect(Math.max(...vm.pieces.map((p) => p.max))).toBe(9.5);
    expect(vm.pieces.map((p) => p.label)).toContain('8.29 … 9.50');
  });
});
