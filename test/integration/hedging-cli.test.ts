import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

const cli = (args: string[], timeout = 120_000) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout });

describe('CLI: deep hedgers and experiments', () => {
  it('hedge --model ntb trains, tests at --test-sigma, and prints the JSON with secondsPerEpoch', () => {
    const dataDir = tempDir();
    const r = cli(['hedge', '--model', 'ntb', '--epochs', '2', '--train-paths', '500', '--paths', '2000', '--monitor-paths', '500', '--test-sigma', '0.2', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({ model: 'ntb', config: { epochs: 2, trainPaths: 500, testSigma: 0.2, sigma: 0.1 }, paths: 2000 });
    expect(out.secondsPerEpoch).toBeGreaterThan(0);
    expect(out.training.history).toHaveLength(2);
    expect(Math.abs(out.testRealisedVol / 0.2 - 1)).toBeLessThan(0.03);
  }, 150_000);

  it('hedge --criterion es --es-level 0.9 names the criterion in the JSON with every measure, meanAbsPosition and meanCost (issue 12)', () => {
    const dataDir = tempDir();
    const r = cli(['hedge', '--model', 'ntb', '--criterion', 'es', '--es-level', '0.9', '--risk-aversion', '50', '--epochs', '1', '--train-paths', '500', '--paths', '2000', '--monitor-paths', '500', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.config).toMatchObject({ criterion: 'es', esLevel: 0.9, riskAversion: 50 });
    expect(out.criterion).toEqual({ kind: 'es', alpha: 0.9, label: 'ES 90%' });
    expect(out.criterionValue).toBeCloseTo(out.es90, 12);
    expect(Object.keys(out.measuresByLabel)).toEqual(['entropic (a = 1)', 'entropic (a = 50)', 'ES 90%', 'mean-variance (λ = 100)']);
    expect(out.meanAbsPosition).toBeGreaterThan(0);
    expect(out.bsdhMeanAbsPosition).toBeGreaterThan(0);
    expect(out.meanCost).toBeGreaterThan(0);
    expect(out.doesNotHedge).toBe(false);
    const bad = cli(['hedge', '--model', 'ntb', '--criterion', 'es', '--es-level', '90', '--data-dir', dataDir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('ES level alpha must be < 1');
  }, 150_000);

  it('hedge rejects training flags on BSDH and bad DHLNN flags by name', () => {
    const dataDir = tempDir();
    const r = cli(['hedge', '--model', 'bsdh', '--epochs', '3', '--data-dir', dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown field "epochs"');
    const d = cli(['hedge', '--model', 'dhlnn', '--inner-steps=-2', '--data-dir', dataDir]);
    expect(d.status).toBe(2);
    expect(d.stderr).toContain('--innerSteps: inner iterations must be >= 0');
  }, 60_000);

  it('experiment E4 without a path set is refused with the reason; experiment E1 --quick --strikes 1 --json runs the preset and prints every cell', () => {
    const dataDir = tempDir();
    const e4 = cli(['experiment', 'E4', '--json', '--data-dir', dataDir]);
    expect(e4.status).toBe(2);
    expect(e4.stderr).toMatch(/needs a path set/);
    const r = cli(['experiment', 'E1', '--quick', '--strikes', '1', '--json', '--data-dir', dataDir], 400_000);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({ id: 'E1', scale: 'quick', runs: 4, done: 4, failed: 0 });
    expect(out.cells.map((c: { varied: { value: number } }) => c.varied.value)).toEqual([2, 4, 6, 8]);
    for (const c of out.cells) {
      expect(['held', 'not held']).toContain(c.claim);
      expect(c.entries.map((e: { model: string }) => e.model)).toEqual(['bsdh', 'mlp', 'ntb', 'dhlnn']);
      for (const e of c.entries) expect(Number.isFinite(e.entropic) && Number.isFinite(e.es90)).toBe(true);
    }
  }, 420_000);
});
