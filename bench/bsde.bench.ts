/**
 * Benchmark of the deep-BSDE solvers: `npm run bench:bsde` (add `-- --quick` for the scaling sweeps only at a
 * smaller budget, `-- --headline` for section 1 only). Each case runs in its own child process on the best
 * tfjs backend (wasm here), so its peak RSS is its own.
 *
 * 1. Headline: B1 (one geometric-basket call, d = 5, European) with the `cpu` solver preset, OSM and RDBDP,
 *    and B2 (three geometric calls K = 90/100/110, d = 10) with OSM: wall time, the errors of price, Delta
 *    and Gamma at t = 0 against the closed form (B2: the worst of its three options), the achieved GFLOP/s
 *    of the solve's matrix products (FLOPs counted by fastMlp.ts's `flops`, over the whole wall time) next to
 *    what the backend's plain matMul reaches at the hidden layer's shape in the same child, and the peak RSS.
 *    Targets (issue 16): B1 OSM in at most 30 s and B2 in at most 120 s, OSM to 1% / 5% / 20%.
 * 2. Time versus the number of assets d in {1, 5, 10, 20} (B1, OSM, the cpu grid N = 12 with a reduced
 *    Adam budget so d = 20 stays minutes): seconds, ms per Adam step (training time incl. sampling and
 *    refits / Adam steps), t = 0 seconds, live tfjs tensors between steps and the child's peak RSS.
 * 3. Time versus the number of options J in {1, 4, 16} (d = 5, geometric calls with strikes 80..120).
 * 4. The `paper` preset (the source's sizes, for a GPU): its parameter count and memory plan, and the CPU
 *    time it would take extrapolated from the measured ms per Adam step.
 * Section 1 takes `--threads 1,2` (each case with one and with two threads: the same numbers, see
 * engine/bsde/shards.ts) and `--b1` / `--b2` (that case only); every row gives wall and CPU seconds.
 * Figures go to stdout and bench/results/bsde.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { flops } from '../src-main/engine/bsde/fastMlp';
import { solveBookThreaded } from '../src-main/domains/bsde/threads';
import { chooseBackend } from '../src-main/engine/tensor/backend';
import { SOLVER_PRESETS, type SolverConfig, progressTotal, solveSizes } from '../src-shared/bsde/config';
import { type BookContent, type BookOption } from '../src-shared/portfolio/book';
import { presetBook } from '../src-shared/portfolio/presets';

const MB = 1024 * 1024;

interface CaseSpec {
  name: string;
  book: BookContent;
  solver: SolverConfig;
  /** Threads of the solve (absent: the default rule, domains/bsde/threads.ts). */
  threads?: number;
}

interface CaseResult {
  name: string;
  backend: string;
  d: number;
  J: number;
  scheme: string;
  steps: number;
  width: number;
  depth: number;
  batch: number;
  adamSteps: number;
  seconds: number;
  /** CPU seconds of the child (user + system, all its threads) over the solve, and the threads it ran on. */
  cpuSeconds: number;
  threads: number;
  trainSeconds: number;
  t0Seconds: number;
  msPerAdamStep: number;
  peakTensorMB: number;
  peakRssMB: number;
  price: number;
  reference: number | null;
  errors: { price: number; delta: number; gamma: number | null } | null;
  /** Worst error over the options (each option against its own reference). */
  worst: { price: number; delta: number; gamma: number | null } | null;
  /** Matrix-product FLOPs of the solve, achieved GFLOP/s over the wall time, and the plain matMul's rate. */
  gflop: number;
  gflops: number;
  plainGflops: { small: number; large: number };
  load: [number, number];
}

/** GFLOP/s of a plain tf.matMul [m x k] x [k x n] (best of 5 rounds of 50). */
function plainMatmul(m: number, k: number, n: number): number {
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  for (let i = 0; i < 10; i++) tf.matMul(a, b).dispose();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < 50; i++) tf.matMul(a, b).dispose();
    best = Math.min(best, (performance.now() - t) / 50);
  }
  tf.dispose([a, b]);
  return (2 * m * k * n) / best / 1e6;
}

/** Child: run one case and print its result as JSON on the last line. */
async function runCase(spec: CaseSpec): Promise<void> {
  const { name } = await chooseBackend();
  const load0 = loadavg()[0];
  flops.matmul = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { metrics: m, threads } = await solveBookThreaded(spec.book, spec.solver, undefined, spec.threads ? { threads: spec.threads } : {});
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  const gflop = flops.matmul / 1e9;
  const plainGflops = { small: plainMatmul(spec.solver.batch, spec.solver.width, spec.solver.width), large: plainMatmul(8192, spec.solver.width, spec.solver.width) };
  const worstOf = (k: 'price' | 'delta' | 'gamma'): number | null => {
    const v = m.options.map((o) => o.errors?.[k] ?? null);
    return v.some((x) => x === null) ? null : Math.max(...(v as number[]));
  };
  const o = m.options[0];
  const adamSteps = progressTotal(spec.solver).train;
  const res: CaseResult = {
    name: spec.name,
    backend: name,
    d: m.d,
    J: m.J,
    scheme: m.scheme,
    steps: m.steps,
    width: spec.solver.width,
    depth: spec.solver.depth,
    batch: spec.solver.batch,
    adamSteps,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    threads,
    trainSeconds: m.timing.trainMs / 1000,
    t0Seconds: m.timing.t0Ms / 1000,
    msPerAdamStep: adamSteps ? m.timing.trainMs / adamSteps : 0,
    peakTensorMB: m.peakTensorBytes / MB,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    price: m.J === 1 ? o.price : m.book.price,
    reference: m.J === 1 ? (o.reference?.price ?? null) : (m.book.reference?.price ?? null),
    errors: m.J === 1 ? o.errors : m.book.errors,
    worst: m.options.every((x) => x.errors) ? { price: worstOf('price')!, delta: worstOf('delta')!, gamma: worstOf('gamma') } : null,
    gflop,
    gflops: gflop / seconds,
    plainGflops,
    load: [load0, loadavg()[0]],
  };
  process.stdout.write(`\n${JSON.stringify(res)}\n`);
}

function inChild(spec: CaseSpec): CaseResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--case', JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 64 * MB });
  if (r.status !== 0) throw new Error(`case ${spec.name} failed: ${r.stderr.slice(-2000)}`);
  const last = r.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last) as CaseResult;
}

const pct = (x: number | null | undefined, dp = 2): string => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(dp)}%`);

function row(r: CaseResult): string {
  return [
    r.name.padEnd(34),
    `${r.seconds.toFixed(1).padStart(7)} s`,
    `${r.msPerAdamStep.toFixed(2).padStart(7)} ms/Adam step (incl. sampling, refits)`,
    `t0 ${r.t0Seconds.toFixed(1).padStart(5)} s`,
    `live tensors ${r.peakTensorMB.toFixed(0).padStart(3)} MB`,
    `RSS ${r.peakRssMB.toFixed(0).padStart(5)} MB`,
    `price ${pct(r.errors?.price, 3).padStart(7)}`,
    `Δ ${pct(r.errors?.delta).padStart(7)}`,
    `Γ ${pct(r.errors?.gamma, 1).padStart(7)}`,
  ].join('  ');
}

function headlineRow(r: CaseResult): string {
  const e = r.worst;
  return [
    `${r.name} ×${r.threads}`.padEnd(26),
    `${r.seconds.toFixed(1).padStart(6)} s (CPU ${r.cpuSeconds.toFixed(1)} s)`,
    `errors${r.J > 1 ? ' (worst option)' : ''}: price ${pct(e?.price, 3)}, Δ ${pct(e?.delta)}, Γ ${pct(e?.gamma, 1)}`,
    `${r.gflop.toFixed(0)} GFLOP in matMuls = ${r.gflops.toFixed(1)} GFLOP/s (plain matMul here: ${r.plainGflops.small.toFixed(1)} at [${r.batch} x ${r.width}]², ${r.plainGflops.large.toFixed(1)} at [8192 x ${r.width}]²)`,
    `peak RSS ${r.peakRssMB.toFixed(0)} MB`,
    `load ${r.load[0].toFixed(1)} -> ${r.load[1].toFixed(1)}`,
  ].join(' · ');
}

function strikeBook(J: number): BookContent {
  const b = presetBook('B1', { assets: 5 });
  const names = b.assets.map((a) => a.name);
  const options: BookOption[] = Array.from({ length: J }, (_, j) => ({
    ...b.options[0],
    label: `geometric call K=${J === 1 ? 100 : 80 + (40 * j) / (J - 1)}`,
    strike: J === 1 ? 100 : Math.round((80 + (40 * j) / (J - 1)) * 100) / 100,
    assets: names,
  }));
  return { ...b, name: `B1 d=5 with ${J} strikes`, options };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const cpu = SOLVER_PRESETS.cpu.config;
  const reduced: SolverConfig = { scheme: 'osm', seed: 1, ...cpu, iterationsLast: quick ? 300 : 600, iterationsOther: quick ? 60 : 120, samplesT0: 65536 };
  const load0 = loadavg()[0];
  console.log(`deep-BSDE benchmark · ${availableParallelism()} cores · load average ${load0.toFixed(2)} at start${load0 > availableParallelism() ? ' (machine is busy: times are inflated)' : ''}`);
  const out: Record<string, unknown> = { machine: { cores: availableParallelism(), loadAtStart: load0 } };

  if (!quick) {
    console.log('\n1. Headline, cpu solver preset (N = 12, 48 x 2, batch 512, 2000 / 400 Adam steps, refit, 131,072 t = 0 samples):');
    // `--threads 1,2` runs every case with each count (an A/B of the shard helper thread); default: the load rule.
    const ti = process.argv.indexOf('--threads');
    const threadList: Array<number | undefined> = ti >= 0 ? process.argv[ti + 1].split(',').map(Number) : [undefined];
    const only = process.argv.includes('--b1') ? ['B1 d=5 OSM cpu'] : process.argv.includes('--b2') ? ['B2 d=10 OSM cpu'] : null;
    const cases: CaseSpec[] = [
      { name: 'B1 d=5 OSM cpu', book: presetBook('B1', { assets: 5 }), solver: { scheme: 'osm', seed: 1, ...cpu } },
      { name: 'B2 d=10 OSM cpu', book: presetBook('B2', { assets: 10 }), solver: { scheme: 'osm', seed: 1, ...cpu } },
      { name: 'B1 d=5 RDBDP cpu', book: presetBook('B1', { assets: 5 }), solver: { scheme: 'rdbdp', seed: 1, ...cpu } },
    ];
    const headline: CaseResult[] = [];
    for (const c of cases.filter((x) => !only || only.includes(x.name))) {
      for (const threads of threadList) {
        const r = inChild({ ...c, ...(threads ? { threads } : {}) });
        console.log(`   ${headlineRow(r)}`);
        headline.push(r);
      }
    }
    const accurate = (r: CaseResult): boolean => (r.worst?.price ?? 1) < 0.01 && (r.worst?.delta ?? 1) < 0.05 && (r.worst?.gamma ?? 1) < 0.2;
    const targets: Array<[CaseResult, number]> = headline.filter((r) => r.name !== 'B1 d=5 RDBDP cpu').map((r) => [r, r.name.startsWith('B1') ? 30 : 120]);
    for (const [r, limit] of targets) {
      const met = r.seconds <= limit && accurate(r);
      console.log(`   target ${r.name} ×${r.threads}: <= ${limit} s within 1% / 5% / 20%: ${met ? 'met' : `NOT met (${r.seconds > limit ? `${(r.seconds - limit).toFixed(1)} s over` : 'accuracy'})`}`);
    }
    out.headline = headline;
  }
  if (process.argv.includes('--headline')) {
    writeResults(out);
    return;
  }

  console.log(`\n2. Time versus assets d (B1, OSM, N = 12, 48 x 2, batch 512, ${reduced.iterationsLast} / ${reduced.iterationsOther} Adam steps):`);
  const byD = [1, 5, 10, 20].map((d) => inChild({ name: `B1 d=${d}`, book: presetBook('B1', { assets: d }), solver: reduced }));
  byD.forEach((r) => console.log(`   ${row(r)}`));
  out.byAssets = byD;

  console.log(`\n3. Time versus options J (d = 5, geometric calls K = 80..120, same budget):`);
  const byJ = [1, 4, 16].map((J) => inChild({ name: `d=5 J=${J}`, book: strikeBook(J), solver: reduced }));
  byJ.forEach((r) => console.log(`   ${row(r)}`));
  out.byOptions = byJ;

  const paper = { scheme: 'osm' as const, seed: 1, ...SOLVER_PRESETS.paper.config };
  const paperRows = [5, 20, 50].map((d) => {
    const s = solveSizes(d, 1, paper);
    const steps = progressTotal(paper).train;
    const measured = byD.find((r) => r.d === Math.min(d, 20))!;
    // Per-step cost scales roughly with batch x width^2 x depth (hidden layers) and batch x width x outputs.
    const scale = (paper.batch / reduced.batch) * ((paper.width * paper.width * paper.depth + paper.width * s.zOutputs) / (reduced.width * reduced.width * reduced.depth + reduced.width * solveSizes(measured.d, 1, reduced).zOutputs));
    return { d, paramsPerStep: s.paramsPerStep, memoryMB: s.bytes.total / MB, adamSteps: steps, cpuHoursEstimate: (steps * measured.msPerAdamStep * scale) / 3.6e6 };
  });
  console.log(`\n4. "paper" preset (source sizes, for a GPU): N = ${paper.steps}, ${paper.width} x ${paper.depth}, batch ${paper.batch}, ${paper.iterationsLast} / ${paper.iterationsOther} Adam steps, lr ${paper.learningRate} -> ${paper.learningRateEnd}, no refit`);
  paperRows.forEach((p) => console.log(`   d=${String(p.d).padStart(2)}: ${p.paramsPerStep.toLocaleString('en-US')} parameters per step, memory plan ${p.memoryMB.toFixed(0)} MB, ${p.adamSteps.toLocaleString('en-US')} Adam steps ≈ ${p.cpuHoursEstimate.toFixed(1)} h on this CPU (wasm, extrapolated)`));
  out.paper = { config: paper, rows: paperRows };
  writeResults(out);
}

function writeResults(out: Record<string, unknown>): void {
  out.loadAtEnd = loadavg()[0];
  const file = join(dirname(__filename), 'results', 'bsde.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwritten ${file}`);
}

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  void runCase(JSON.parse(process.argv[caseArg + 1]) as CaseSpec).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
