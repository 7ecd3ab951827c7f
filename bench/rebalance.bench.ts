/**
 * Benchmark of hedging a solved book along paths: `npm run bench:rebalance` (`-- --quick` for a smaller sweep).
 *
 * 1. Headline (issue 6): B1 with d = 10, 4,096 paths, R = 120, delta-gamma with OSM network Greeks, all LSQR
 *    solves included. Target: at most 30 s. The networks come from a short OSM solve on N = 120 (the hedge's
 *    cost does not depend on how well they were trained; the solve's own time is printed separately).
 * 2. Scaling with R in {12, 24, 60, 120} (d = 10, OSM networks, delta and delta-gamma).
 * 3. Scaling with d in {2, 5, 10, 20} (closed-form Greeks, N = R = 120, delta-gamma): the Gamma system has
 *    d(d+1)/2 unknowns, so LSQR's share grows with d.
 * Every hedge case runs in its own child process, so its peak RSS is its own. Figures go to stdout and
 * bench/results/rebalance.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { closedFormSource, networkSource } from '../src-main/engine/bsde/greekSource';
import { buildGrid } from '../src-main/engine/bsde/grid';
import { type HedgeProblem, hedgeAlongPaths } from '../src-main/engine/bsde/hedgePaths';
import { solveBook } from '../src-main/engine/bsde/solve';
import { chooseBackend } from '../src-main/engine/tensor/backend';
import { type SolverConfig, SOLVER_PRESETS } from '../src-shared/bsde/config';
import { DEFAULT_INSTRUMENTS, type Strategy } from '../src-shared/bsde/hedge';
import { type BsdeMetrics } from '../src-shared/bsde/result';
import { presetBook } from '../src-shared/portfolio/presets';

const MB = 1024 * 1024;
const quick = process.argv.includes('--quick');
const PATHS = 4096;

interface HedgeCase {
  name: string;
  d: number;
  greeks: 'network' | 'closed-form';
  strategy: Strategy;
  rebalance: number;
  steps: number;
  paths: number;
  /** Network cases: where the solve was saved. */
  solutionFile?: string;
}

interface HedgeResult extends HedgeCase {
  seconds: number;
  greeksSeconds: number;
  lsqrSeconds: number;
  lsqrSolves: number;
  lsqrMeanIterations: number;
  variance: number;
  peakRssMB: number;
}

/** Child: one hedge case; prints its result as JSON on the last line. */
function runCase(c: HedgeCase): void {
  const book = presetBook('B1', { assets: c.d });
  let problem: HedgeProblem;
  const settings = { strategy: c.strategy, rebalance: c.rebalance, seed: 7, instruments: DEFAULT_INSTRUMENTS };
  if (c.greeks === 'network') {
    const saved = JSON.parse(readFileSync(c.solutionFile!, 'utf8')) as { metrics: BsdeMetrics; weights: number[] };
    const sol = saved.metrics.solution;
    const grid = {
      steps: sol.steps,
      horizon: sol.horizon,
      dt: sol.dt,
      maturityIndex: sol.options.map((o) => o.maturityIndex),
      exercise: sol.options.map(() => new Uint8Array(sol.steps + 1)),
    };
    problem = { book, grid, source: networkSource(sol, Float32Array.from(saved.weights), 1024), settings };
  } else {
    const g = buildGrid(book, c.steps, null);
    problem = { book, grid: { steps: c.steps, horizon: g.horizon, dt: g.dt, maturityIndex: g.maturityIndex, exercise: g.exercise }, source: closedFormSource(book, g.dt), settings };
  }
  const t0 = performance.now();
  const out = hedgeAlongPaths(problem, { pathIds: Int32Array.from({ length: c.paths }, (_, i) => i) });
  const seconds = (performance.now() - t0) / 1000;
  const mean = out.pnl.reduce((s, v) => s + v, 0) / out.pnl.length;
  const variance = out.pnl.reduce((s, v) => s + (v - mean) ** 2, 0) / (out.pnl.length - 1);
  const res: HedgeResult = {
    ...c,
    seconds,
    greeksSeconds: out.timing.greeksMs / 1000,
    lsqrSeconds: out.timing.lsqrMs / 1000,
    lsqrSolves: out.lsqr.solves,
    lsqrMeanIterations: out.lsqr.solves ? out.lsqr.iterations / out.lsqr.solves : 0,
    variance,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
  };
  process.stdout.write(`\n${JSON.stringify(res)}\n`);
}

function child(c: HedgeCase): HedgeResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--case', JSON.stringify(c)], { encoding: 'utf8', maxBuffer: 64 * MB });
  if (r.status !== 0) throw new Error(`case ${c.name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as HedgeResult;
}

async function main(): Promise<void> {
  const caseArg = process.argv.indexOf('--case');
  if (caseArg >= 0) return runCase(JSON.parse(process.argv[caseArg + 1]) as HedgeCase);

  console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, Node ${process.version}`);
  await chooseBackend();
  const d = 10;
  const solver: SolverConfig = { scheme: 'osm', seed: 1, ...SOLVER_PRESETS.cpu.config, steps: 120, iterationsLast: quick ? 100 : 400, iterationsOther: quick ? 4 : 10, refit: false, samplesT0: 65536 };
  const ts = performance.now();
  const solved = solveBook(presetBook('B1', { assets: d }), solver);
  const solveSeconds = (performance.now() - ts) / 1000;
  const file = join(tmpdir(), `rebalance-bench-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ metrics: solved.metrics, weights: Array.from(solved.weights) }));
  console.log(`OSM solve of B1 d=${d} on N=120 (${solver.width}x${solver.depth}, ${solver.iterationsLast}/${solver.iterationsOther} Adam steps; only to have networks): ${solveSeconds.toFixed(1)} s`);

  const results: HedgeResult[] = [];
  const show = (r: HedgeResult): void => {
    results.push(r);
    console.log(
      `${r.name.padEnd(44)} ${r.seconds.toFixed(2).padStart(7)} s  (Greeks ${r.greeksSeconds.toFixed(2)} s, LSQR+instruments ${r.lsqrSeconds.toFixed(2)} s, ${r.lsqrSolves} solves x ${r.lsqrMeanIterations.toFixed(1)} it)  var ${r.variance.toExponential(2)}  peak RSS ${r.peakRssMB.toFixed(0)} MB`,
    );
  };
  console.log('\n1. headline: B1 d=10, 4096 paths, R=120, delta-gamma, OSM networks (target <= 30 s)');
  show(child({ name: 'B1 d=10 R=120 delta-gamma OSM', d, greeks: 'network', strategy: 'delta-gamma', rebalance: 120, steps: 120, paths: PATHS, solutionFile: file }));

  console.log('\n2. scaling with R (d=10, OSM networks)');
  for (const R of quick ? [12, 120] : [12, 24, 60, 120]) {
    for (const strategy of ['delta', 'delta-gamma'] as const) {
      if (R === 120 && strategy === 'delta-gamma') continue;
      show(child({ name: `R=${R} ${strategy} OSM`, d, greeks: 'network', strategy, rebalance: R, steps: 120, paths: PATHS, solutionFile: file }));
    }
  }

  console.log('\n3. scaling with d (closed-form Greeks, N=R=120, delta-gamma)');
  for (const dd of quick ? [2, 10] : [2, 5, 10, 20]) {
    show(child({ name: `d=${dd} R=120 delta-gamma closed form`, d: dd, greeks: 'closed-form', strategy: 'delta-gamma', rebalance: 120, steps: 120, paths: PATHS }));
  }
  const out = join(dirname(__filename), 'results', 'rebalance.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cores: availableParallelism(), load: loadavg(), solveSeconds, results }, null, 2));
  console.log(`\nwritten ${out}`);
}

void main();
