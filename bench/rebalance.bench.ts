/**
 * Benchmark of hedging a solved book along paths: `npm run bench:rebalance` (`-- --quick` for a smaller sweep).
 * Every case is a real 'bsde-hedge' run started through the CLI (`cli bsde hedge … --json`, its own process,
 * the job worker and its helper thread exactly as in the app) on a temporary store, so the figures are what a
 * user gets: compute seconds of the run (job start to result), thread-seconds in the Greeks and in LSQR, LSQR
 * iterations, and the process's peak RSS.
 *
 * 1. Headline (issue 6): B1 with d = 10, 4,096 paths, R = 120, delta-gamma with OSM network Greeks, all LSQR
 *    solves included. Target: at most 30 s. The networks come from a short OSM solve on N = 120 (the hedge's
 *    cost does not depend on how well they were trained; the solve's own time is printed separately).
 * 2. Scaling with R in {12, 24, 60, 120} (d = 10, OSM networks, delta and delta-gamma).
 * 3. Scaling with d in {2, 5, 10, 20} (closed-form Greeks on N = 120, R = 120, delta-gamma): the Gamma system
 *    has d(d+1)/2 unknowns.
 * Figures go to stdout and bench/results/rebalance.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const quick = process.argv.includes('--quick');
const PATHS = 4096;
const ROOT = join(__dirname, '..');
const MB = 1024 * 1024;

function cli(args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'main.ts'), ...args, '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * MB });
  if (r.status !== 0) throw new Error(`cli ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

interface Row {
  name: string;
  d: number;
  greeks: string;
  strategy: string;
  rebalance: number;
  seconds: number;
  greeksThreadSeconds: number;
  lsqrThreadSeconds: number;
  lsqrSolves: number;
  lsqrMeanIterations: number;
  variance: number;
  peakRssMB: number;
}

function hedge(dataDir: string, solveRunId: string, name: string, d: number, greeks: string, strategy: string, rebalance: number): Row {
  const args = ['bsde', 'hedge', solveRunId, '--strategy', strategy, '--rebalance', String(rebalance), '--paths', String(PATHS), '--greeks', greeks, '--data-dir', dataDir];
  if (greeks === 'closed-form') args.push('--steps', '120');
  const o = cli(args) as { wallSeconds: number; timing: { greeksMs: number; lsqrMs: number }; lsqr: { solves: number; meanIterations: number } | null; stats: { variance: number }; peakRssBytes: number };
  return {
    name,
    d,
    greeks,
    strategy,
    rebalance,
    seconds: o.wallSeconds,
    greeksThreadSeconds: o.timing.greeksMs / 1000,
    lsqrThreadSeconds: o.timing.lsqrMs / 1000,
    lsqrSolves: o.lsqr?.solves ?? 0,
    lsqrMeanIterations: o.lsqr?.meanIterations ?? 0,
    variance: o.stats.variance,
    peakRssMB: o.peakRssBytes / MB,
  };
}

function solve(dataDir: string, d: number, steps: number, iterLast: number, iterOther: number): { runId: string; seconds: number } {
  const o = cli(['bsde', 'solve', '--preset', 'B1', '--assets', String(d), '--solver', 'cpu', '--steps', String(steps), '--iterations-last', String(iterLast), '--iterations-other', String(iterOther), '--no-refit', '--samples-t0', '65536', '--data-dir', dataDir]) as { runId: string; wallSeconds: number };
  return { runId: o.runId, seconds: o.wallSeconds };
}

function main(): void {
  console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, Node ${process.version}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'rebalance-bench-'));
  const d = 10;
  const s10 = solve(dataDir, d, 120, quick ? 100 : 400, quick ? 4 : 10);
  console.log(`OSM solve of B1 d=${d} on N=120 (48x2; only to have networks): ${s10.seconds.toFixed(1)} s`);
  const rows: Row[] = [];
  const show = (r: Row): void => {
    rows.push(r);
    console.log(
      `${r.name.padEnd(40)} ${r.seconds.toFixed(2).padStart(7)} s  (thread-s: Greeks ${r.greeksThreadSeconds.toFixed(2)}, LSQR+fill ${r.lsqrThreadSeconds.toFixed(2)}; ${r.lsqrSolves} solves x ${r.lsqrMeanIterations.toFixed(1)} it)  var ${r.variance.toExponential(2)}  peak RSS ${r.peakRssMB.toFixed(0)} MB`,
    );
  };
  console.log('\n1. headline: B1 d=10, 4096 paths, R=120, delta-gamma, OSM networks (target <= 30 s)');
  show(hedge(dataDir, s10.runId, 'B1 d=10 R=120 delta-gamma OSM', d, 'network', 'delta-gamma', 120));

  console.log('\n2. scaling with R (d=10, OSM networks)');
  for (const R of quick ? [12, 120] : [12, 24, 60, 120]) {
    for (const strategy of ['delta', 'delta-gamma']) {
      if (R === 120 && strategy === 'delta-gamma') continue;
      show(hedge(dataDir, s10.runId, `R=${R} ${strategy} OSM`, d, 'network', strategy, R));
    }
  }

  console.log('\n3. scaling with d (closed-form Greeks, N=R=120, delta-gamma)');
  for (const dd of quick ? [2, 10] : [2, 5, 10, 20]) {
    const s = dd === d ? s10 : solve(dataDir, dd, 2, 1, 1);
    show(hedge(dataDir, s.runId, `d=${dd} R=120 delta-gamma closed form`, dd, 'closed-form', 'delta-gamma', 120));
  }
  const out = join(ROOT, 'bench', 'results', 'rebalance.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cores: availableParallelism(), load: loadavg(), solveSeconds: s10.seconds, rows }, null, 2));
  console.log(`\nwritten ${out}`);
}

main();
