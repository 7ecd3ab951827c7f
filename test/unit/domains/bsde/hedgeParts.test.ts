import { beforeAll, describe, expect, it } from 'vitest';
import { SOLVER_PRESETS } from '../../../../src-shared/bsde/config';
import { type BsdeHedgeRunConfig } from '../../../../src-shared/bsde/contract';
import { DEFAULT_INSTRUMENTS, type BsdeHedgeMetrics } from '../../../../src-shared/bsde/hedge';
import { BSDE_HEDGE_PART, type BsdeHedgePartInput, bsdeHedgePartSchema } from '../../../../src-shared/bsde/hedgePart';
import { type BsdeMetrics } from '../../../../src-shared/bsde/result';
import { type JobRun } from '../../../../src-shared/api/jobs';
import { presetBook } from '../../../../src-shared/portfolio/presets';
import { hedgeAlongPaths } from '../../../../src-main/engine/bsde/hedgePaths';
import { solveBook } from '../../../../src-main/engine/bsde/solve';
import { chooseBackend } from '../../../../src-main/engine/tensor/backend';
import { checkPayload, decodeArray, encodeArray, type JobResult } from '../../../../src-main/cluster/payload';
import { bsdeHedgeFanOut, partRanges, runBsdeHedgePart } from '../../../../src-main/domains/bsde/hedgeParts';
import { hedgeProblemOf, settingsOf, type SolveRunData } from '../../../../src-main/domains/bsde/hedgeProblem';
import { type JobContext } from '../../../../src-main/jobs/runner';
import { type RunQueries } from '../../../../src-main/store/queries/runs';

/**
 * The parts of a 'bsde-hedge' run split for the cluster, without Redis: the path ranges, the payload schema
 * (shapes and sizes, checked as a worker checks a job), and the parts run one by one and merged by the fan-out
 * giving the same PnL bits and statistics as one pass over every path (each path has its own stream).
 */
const SOLVE_ID = 'aaaaaaaa-solve-0001';
let solve: SolveRunData;
const cfg: BsdeHedgeRunConfig = { solveRunId: SOLVE_ID, strategy: 'delta-gamma', greeks: 'network', rebalance: 4, paths: 300, steps: null, instruments: DEFAULT_INSTRUMENTS, seed: 9 };

beforeAll(async () => {
  await chooseBackend();
  const book = presetBook('B1', { assets: 2 });
  const solver = { scheme: 'osm' as const, ...SOLVER_PRESETS.tiny.config, steps: 4, iterationsLast: 30, iterationsOther: 10, samplesT0: 4096, seed: 1 };
  const { metrics, weights } = solveBook(book, solver);
  const run = { id: SOLVE_ID, kind: 'bsde-solve', status: 'done', config: { bookId: 'b', version: 1, book, solver }, metrics } as unknown as JobRun<'bsde-solve'>;
  solve = { run, metrics: metrics as BsdeMetrics, weights };
}, 120_000);

const input = (from: number, to: number, over: Partial<BsdeHedgePartInput> = {}): BsdeHedgePartInput => ({
  solveRunId: SOLVE_ID,
  book: solve.run.config.book,
  solution: solve.metrics.solution,
  weights: encodeArray(solve.weights),
  settings: settingsOf(cfg),
  from,
  to,
  ...over,
});
const check = (config: unknown) => checkPayload(JSON.parse(JSON.stringify({ runId: 'bbbbbbbb-run-p0', kind: BSDE_HEDGE_PART, config, v: 1 })));
const reason = (config: unknown): string => {
  const r = check(config);
  return r.ok ? 'accepted' : r.reason;
};

describe('bsde-hedge parts', () => {
  it('splits paths into near-equal consecutive ranges: ceil(paths / per part), at most 16', () => {
    expect(partRanges(1100, 400)).toEqual([[0, 366], [366, 733], [733, 1100]]);
    expect(partRanges(65536, 2048)).toHaveLength(16);
    expect(partRanges(65536, 2048).at(-1)).toEqual([61440, 65536]);
    expect(partRanges(100, 2048)).toEqual([[0, 100]]);
    expect(partRanges(20, 1)).toHaveLength(16);
  });

  it('a part payload passes the worker check through JSON; wrong sizes and ranges are refused naming the field', () => {
    expect(check(input(0, 100)).ok).toBe(true);
    const w = encodeArray(solve.weights);
    expect(Array.from(decodeArray(w))).toEqual(Array.from(solve.weights));
    const short = encodeArray(solve.weights.subarray(0, solve.weights.length - 10));
    expect(reason(input(0, 100, { weights: short }))).toMatch(/invalid bsde-hedge-part config — config\.weights\.length: holds \d+ values; the networks the solution names need \d+/);
    expect(reason(input(0, 100, { weights: { ...w, base64: w.base64.slice(8) } }))).toMatch(/config\.weights\.base64: holds \d+ base64 characters/);
    expect(reason(input(0, 301))).toMatch(/config\.to: paths \[0, 301\) are not a non-empty range within the run's 300 paths/);
    expect(reason(input(50, 50))).toMatch(/non-empty range/);
    const sol = solve.metrics.solution;
    expect(reason(input(0, 100, { solution: { ...sol, market: { ...sol.market, s0: [1] } } }))).toMatch(/config\.solution\.market\.s0: has 1 entries; d = 2, J = 1, N = 4 need 2/);
    expect(reason(input(0, 100, { solution: { ...sol, offsets: sol.offsets.slice(1) } }))).toMatch(/config\.solution\.offsets: has 2 entries/);
    expect(reason(input(0, 100, { settings: { ...settingsOf(cfg), paths: 3 } }))).toMatch(/config\.settings\.paths/);
    expect(bsdeHedgePartSchema.safeParse({ ...input(0, 100), extra: 1 }).success).toBe(false);
    // closed-form Greeks: the part carries no networks
    expect(check(input(0, 100, { weights: encodeArray(new Float32Array(0)), settings: { ...settingsOf(cfg), greeks: 'closed-form' } })).ok).toBe(true);
  });

  it('parts run one by one and merged by the fan-out give the PnL bits and statistics of one pass over all paths', async () => {
    const runs = { get: (id: string) => (id === SOLVE_ID ? { ...solve.run, progress: { done: 1, total: 1 } } : null), getArray: () => solve.weights } as unknown as RunQueries;
    process.env.BSDE_HEDGE_PART_PATHS = '128';
    let plan;
    try {
      plan = await bsdeHedgeFanOut().plan(cfg, { runs, hooks: {} });
    } finally {
      delete process.env.BSDE_HEDGE_PART_PATHS;
    }
    expect(plan.parts.map((p) => p.label)).toEqual(['paths 0–99', 'paths 100–199', 'paths 200–299']);
    const ctx = (): JobContext => ({ hooks: {}, started: () => {}, dataDir: '/nonexistent', runId: 'x' });
    const results: JobResult[] = [];
    for (const p of plan.parts) {
      const parsed = bsdeHedgePartSchema.parse(JSON.parse(JSON.stringify(p.job.config)));
      const out = await runBsdeHedgePart(parsed, ctx());
      results.push({ wallMs: 1, metrics: out.metrics, arrays: out.arrays! });
    }
    const merged = plan.merge(results, 10);
    const whole = hedgeAlongPaths(hedgeProblemOf(solve, settingsOf(cfg), 1024), { pathIds: Int32Array.from({ length: 300 }, (_, p) => p) });
    expect(Buffer.from((merged.arrays.pnl as Float64Array).buffer).equals(Buffer.from(whole.pnl.buffer))).toBe(true);
    const m = merged.metrics as BsdeHedgeMetrics;
    expect(m.paths).toBe(300);
    expect(m.stats.n).toBe(300);
    expect(m.v0).toBe(whole.v0);
    expect(m.lsqr!.solves).toBe(whole.lsqr.solves);
    expect(m.lsqr!.maxRelResidual).toBe(whole.lsqr.maxRelResidual);
    expect(m.selfFinancingMaxAbs).toBe(whole.selfFinancingMaxAbs);
    expect(m.earlyExercise).toEqual(whole.earlyExercised.map((n) => n / 300));
    expect(() => plan.merge([results[1], results[0], results[2]], 10)).toThrow(/a part returned paths \[100, 200\) where \[0, 100\) was asked for/);
  }, 60_000);
});
