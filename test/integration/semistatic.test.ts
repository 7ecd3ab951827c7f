import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/host/dispatch';
import { type Workstation } from '../../src-main/workstation';
import { type RpcResponse } from '../../src-shared/api/contract';
import { type SemistaticLimitCurves, type SemistaticMcMetrics, type SemistaticMcProgress, type SemistaticSolution } from '../../src-shared/semistatic/contract';
import { openWorkstation } from '../helpers/host';
import { ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/tmp';

let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const call = (method: string, args: unknown): Promise<RpcResponse> => dispatch(ws!.handlers, 1, method, args);
const ok = <T>(r: RpcResponse): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.result as T;
};
const spec = { n: 10, delay: 2, sigma: 1.3, ratio2: 0.7, mu: 0.1 };

function waitForEnd(runId: string): Promise<string> {
  return new Promise((resolve) => {
    const off = ws!.subscribe((e, p) => {
      if ((e === 'run-finished' || e === 'run-failed' || e === 'run-cancelled') && (p as { runId: string }).runId === runId) {
        off();
        resolve(e);
      }
    });
  });
}

describe('semistatic handlers through the contract', () => {
  it('semistatic-solve returns the closed form with passing identity checks', async () => {
    ws = await openWorkstation();
    const sol = ok<SemistaticSolution>(await call('semistatic-solve', spec));
    expect(sol.a).toBeCloseTo(0.09136001954505, 12);
    expect(sol.params).toMatchObject({ n: 10, D: 2, s0: 100, riskAversion: 1 });
    expect(sol.value).toBeCloseTo(-Math.exp(-sol.entropy), 15);
    expect(sol.checks.every((c) => c.ok === true)).toBe(true);
    expect(sol.weights.lag).toHaveLength(10);
    expect(sol.limit).not.toBeNull();
    // The same problem given as sigmahat and a delay fraction.
    const same = ok<SemistaticSolution>(await call('semistatic-solve', { n: 10, delayFraction: 0.2, sigma: 1.3, sigmahat: 1.3 * Math.sqrt(0.7), mu: 0.1 }));
    expect(same.entropy).toBeCloseTo(sol.entropy, 12);
  });

  it.each([
    [{ ...spec, delay: 10 }, 'delay', /delay D must be < n = 10/],
    [{ ...spec, delay: 11 }, 'delay', /delay D must be < n/],
    [{ ...spec, delay: -1 }, 'delay', /delay D must be >= 0/],
    [{ ...spec, delay: 1.5 }, 'delay', /whole number/],
    [{ ...spec, sigma: 0 }, 'sigma', /volatility σ must be > 0/],
    [{ ...spec, sigma: -2 }, 'sigma', /volatility σ must be > 0/],
    [{ ...spec, ratio2: 0 }, 'ratio2', /ratio s2 must be > 0/],
    [{ ...spec, ratio2: -0.5 }, 'ratio2', /ratio s2 must be > 0/],
    [{ n: 10, delay: 2, sigma: 1, sigmahat: 0, mu: 0 }, 'sigmahat', /market σ̂ must be > 0/],
    [{ ...spec, n: 2_000_000 }, 'n', /steps n must be <= 1000000 for the closed form/],
    [{ ...spec, n: 'ten' }, 'n', /steps n must be a number/],
    [{ n: 10, sigma: 1, ratio2: 1, mu: 0 }, 'delay', /delay D is required/],
    [{ ...spec, delayFraction: 0.2 }, 'delayFraction', /not both/],
    [{ n: 10, delayFraction: 0.97, sigma: 1, ratio2: 1, mu: 0 }, 'delayFraction', /rounds to 10 steps/],
    [{ ...spec, extra: 1 }, 'extra', /unknown field/],
  ])('rejects %j naming %s', async (args, field, msg) => {
    ws = await openWorkstation();
    const r = await call('semistatic-solve', args);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.type).toBe('validation');
    const f = r.error.fields!.find((x) => x.field === field);
    expect(f, JSON.stringify(r.error.fields)).toBeDefined();
    expect(f!.message).toMatch(msg);
  });

  it('semistatic-limit returns kernels converging to the limit and the value families', async () => {
    ws = await openWorkstation();
    const c = ok<SemistaticLimitCurves>(await call('semistatic-limit', { delayFraction: 0.2, ratio2: 0.7 }));
    expect(c.kappa.discrete.length).toBeGreaterThanOrEqual(3);
    const errs = c.kappa.discrete.map((d) => d.maxError);
    expect(errs[errs.length - 1]).toBeLessThan(errs[0]);
    const bad = await call('semistatic-limit', { delayFraction: 0, ratio2: 0.7 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.fields![0]).toMatchObject({ field: 'delayFraction', value: 0 });
  });

  it('semistatic-mc-start runs a stored job with live estimates; the simulated utility brackets the closed form', async () => {
    ws = await openWorkstation();
    const details: SemistaticMcProgress[] = [];
    ws.subscribe((e, p) => {
      if (e === 'run-progress' && (p as { detail?: unknown }).detail) details.push((p as { detail: SemistaticMcProgress }).detail);
    });
    const { runId } = ok<{ runId: string }>(await call('semistatic-mc-start', { ...spec, paths: 200_000, seed: 11 }));
    expect(await waitForEnd(runId)).toBe('run-finished');
    const run = ws.runs.get(runId)!;
    expect(run.kind).toBe('semistatic');
    expect(run.status).toBe('done');
    expect(run.seed).toBe(11);
    expect(run.label).toMatch(/n=10 D=2/);
    const m = run.metrics as SemistaticMcMetrics;
    expect(m.paths).toBe(200_000);
    const exactSe = (m.ratioSdExact! / Math.sqrt(m.paths)) * Math.exp(-m.entropy);
    expect(Math.abs(m.utilityMean - m.value)).toBeLessThan(4 * exactSe);
    expect(m.utilityCi[0]).toBeLessThan(m.utilityMean);
    // z is (MC - closed form) / s.e. as labelled: its sign is that of utilityMean - value
    expect(m.zScore).toBeCloseTo((m.utilityMean - m.value) / m.utilitySe, 10);
    expect(Math.sign(m.zScore)).toBe(Math.sign(m.utilityMean - m.value));
    expect(m.distribution.edges.length).toBe(81);
    expect(m.checks.every((c) => c.ok !== false)).toBe(true);
    expect(details.some((d) => d.phase === 'simulate' && d.paths > 0)).toBe(true);
    const pnl = ws.runs.getArray(runId, 'pnl');
    expect(pnl).toBeInstanceOf(Float64Array);
    expect(pnl!.length).toBe(200_000);
    expect(Math.abs((pnl as Float64Array).reduce((s, x) => s + x, 0) / pnl!.length - m.wealthMean)).toBeLessThan(1e-9);
    // Listed under its own kind, and the generic runs tools work on it.
    const list = ok<Array<{ id: string }>>(await call('runs-list', { kind: 'semistatic' }));
    expect(list.map((r) => r.id)).toContain(runId);
    expect(ok<{ edges: number[] }>(await call('runs-distribution', { runIds: [runId] })).edges.length).toBeGreaterThan(10);
  });

  it('cancels a Monte Carlo run and keeps no result', async () => {
    ws = await openWorkstation();
    const { runId } = ok<{ runId: string }>(await call('semistatic-mc-start', { ...spec, n: 2000, delay: 400, paths: 1_000_000, seed: 1 }));
    const ended = waitForEnd(runId);
    await new Promise<void>((resolve) => {
      const off = ws!.subscribe((e, p) => {
        if (e === 'run-progress' && (p as { runId: string; done: number }).runId === runId && (p as { done: number }).done > 0) {
          off();
          resolve();
        }
      });
    });
    ok(await call('runs-cancel', { runId }));
    expect(await ended).toBe('run-cancelled');
    const run = ws.runs.get(runId)!;
    expect(run.status).toBe('cancelled');
    expect(run.metrics).toBeNull();
    expect(ws.runs.getArray(runId, 'pnl')).toBeNull();
  });

  it('semistatic-solve whose inputs overflow a figure is a validation error naming the inputs, not ok with nulls', async () => {
    ws = await openWorkstation();
    // sigma = 1e-200 passes the field rules (> 0) but mu^2 / sigma^2 overflows
    const r = await call('semistatic-solve', { ...spec, sigma: 1e-200 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.type).toBe('validation');
    expect(r.error.code).toBe('SEMISTATIC_NON_FINITE');
    expect(r.error.message).toMatch(/Volatility σ = 1e-200/);
    expect(r.error.message).toMatch(/Merton fraction/);
    expect(r.error.fields!.find((f) => f.field === 'sigma')?.value).toBe(1e-200);
    // and the same through the Monte Carlo job: the run fails with that error instead of storing nulls
    const { runId } = ok<{ runId: string }>(await call('semistatic-mc-start', { ...spec, sigma: 1e-200, paths: 1000, seed: 1 }));
    expect(await waitForEnd(runId)).toBe('run-failed');
    expect(ws.runs.get(runId)!.metrics).toBeNull();
  });

  it.each([
    [{ ...spec, paths: 10, seed: 1 }, 'paths', /paths must be >= 1000/],
    [{ ...spec, n: 150_000, delay: 2, paths: 1000, seed: 1 }, 'n', /steps n must be <= 100000 for the Monte Carlo check/],
    [{ ...spec, n: 50_000, delay: 2, paths: 100_000, seed: 1 }, 'paths', /paths × n = 5\.00e\+9 must be <= 2e\+9/],
    [{ ...spec, paths: 1000, seed: -1 }, 'seed', /seed must be >= 0/],
  ])('semistatic-mc-start rejects %j naming %s and stores no run', async (args, field, msg) => {
    ws = await openWorkstation();
    const r = await call('semistatic-mc-start', args);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fields!.find((f) => f.field === field)?.message).toMatch(msg);
    expect(ws.runs.list()).toHaveLength(0);
  });
});

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });

describe('semistatic CLI', () => {
  it('the issue\'s command prints a, H, the value and the Monte Carlo estimate with its standard error', async () => {
    const dataDir = tempDir();
    const r = cli(['semistatic', '--n', '10', '--delay', '2', '--sigma', '1.3', '--sigmahat-ratio2', '0.7', '--mu', '0.1', '--mc', '400000', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(out.a).toBeCloseTo(0.09136001954505, 12);
    expect(out.H).toBeCloseTo(0.0913641498558, 10);
    expect(out.value).toBeCloseTo(-Math.exp(-out.H), 14);
    expect(out.mcStdError).toBeGreaterThan(0);
    expect(Math.abs(out.mcEstimate - out.value)).toBeLessThan(4 * out.mcStdError);
    ws = await openWorkstation({ dataDir });
    const run = ws.runs.get(out.runId)!;
    expect(run.status).toBe('done');
    expect((run.metrics as SemistaticMcMetrics).utilityMean).toBe(out.mcEstimate);
  }, 120_000);

  it('without --mc prints the closed form; bad flags are named as typed, exit 2, nothing stored', async () => {
    const dataDir = tempDir();
    const r = cli(['semistatic', '--n', '40', '--delay-fraction', '0.25', '--sigma', '1', '--sigmahat', '1.2', '--mu', '0']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/n, D \(steps\)\s+40, 10/);
    expect(r.stdout).toMatch(/H \(entropy\)/);
    const bad = cli(['semistatic', '--n', '10', '--delay', '10', '--sigmahat-ratio2=-1', '--mc', '5', '--data-dir', dataDir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--delay: delay D must be < n = 10');
    expect(bad.stderr).toContain('--sigmahat-ratio2: ratio s2 must be > 0');
    expect(bad.stderr).toContain('--mc: paths must be >= 1000');
    ws = await openWorkstation({ dataDir });
    expect(ws.runs.list()).toHaveLength(0);
  }, 120_000);
});
