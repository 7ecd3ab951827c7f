import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Groups paths whose names differ only in letter case, ignoring the extension (`HedgeForm.tsx` and
 * `hedgeForm.ts` both import as './hedgeForm' on a case-insensitive file system, so one shadows the other).
 */
export function caseCollisions(paths: string[]): string[][] {
  const byKey = new Map<string, string[]>();
  for (const p of paths) {
    const key = p.replace(/\.(tsx?|mts|cts|js|mjs|cjs|jsx)$/, '').toLowerCase();
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  return [...byKey.values()].filter((g) => g.length > 1);
}

describe('file names that differ only in letter case', () => {
  it('are found by the check (the two pairs issue 12 named)', () => {
    expect(
      caseCollisions([
        'src-renderer/features/rebalance/HedgeForm.tsx',
        'src-renderer/features/rebalance/hedgeForm.ts',
        'src-renderer/features/hedging/TrainingCharts.tsx',
        'src-renderer/features/hedging/trainingCharts.ts',
        'src-renderer/features/hedging/HedgingView.tsx',
      ]),
    ).toEqual([
      ['src-renderer/features/rebalance/HedgeForm.tsx', 'src-renderer/features/rebalance/hedgeForm.ts'],
      ['src-renderer/features/hedging/TrainingCharts.tsx', 'src-renderer/features/hedging/trainingCharts.ts'],
    ]);
  });

  it('do not occur among the tracked files (they resolve to the wrong file on macOS and Windows)', () => {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
    expect(tracked.length).toBeGreaterThan(100);
    expect(caseCollisions(tracked)).toEqual([]);
  });
});
