/**
 * Benchmark of the pure QLBS engine: `npm run bench:qlbs` (tsx bench/qlbs.bench.ts).
 *
 * Reference setting (spec): European put, S0 = K = 100, 10,000 paths, 24 steps, 12 B-splines of degree 4.
 * Cases, each timed RUNS times after one warm-up run, median reported:
 *   - DP: simulate + the on-policy backward pass (targets: under 1 s);
 *   - DP + FQI as the app runs it (DP on 24 steps, DP + FQI on the spec's 6-step FQI grid), and FQI on all
 *     24 steps (target for FQI: under 2 s);
 *   - the out-of-sample check (the learned hedge on 10,000 fresh paths), which a run adds;
 *   - scaling of DP and FQI (24-step grid) with paths (2,500 .. 160,000) and basis size (6 .. 48).
 * Prints a table and writes bench/results/qlbs.json. Times are wall clock on a shared machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { DEFAULT_QLBS_CONFIG, type QlbsConfig, type QlbsMetrics } from '../src-shared/qlbs/config';
import { runQlbs } from '../src-main/engine/qlbs/qlbs';

const RUNS = Number(process.env.QLBS_BENCH_RUNS ?? 5);
const REF: QlbsConfig = { ...DEFAULT_QLBS_CONFIG };

interface CaseResult {
  name: string;
  paths: number;
  steps: number;
  fqiSteps: number | null;
  basisSize: number;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  /** Median of the engine's own split (ms): simulate, DP pass, FQI part, out-of-sample check. */
  split: { simulateMs: number; dpMs: number; fqiMs: number | null; oosMs: number };
  metrics: Pick<QlbsMetrics, 'bsPrice' | 'dpPrice' | 'dpHedgeCost' | 'dpHedgeCostOos' | 'fqiPrice' | 'dpPriceFqiGrid' | 'fqiMaxGap'>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

function bench(name: string, c: QlbsConfig, withOos: boolean, runs = RUNS): CaseResult {
  runQlbs(c, { skipOutOfSample: !withOos }); // warm-up (JIT)
  const secs: number[] = [];
  const splits: QlbsMetrics['timings'][] = [];
  let m: QlbsMetrics | null = null;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    m = runQlbs(c, { skipOutOfSample: !withOos }).metrics;
    secs.push((performance.now() - t0) / 1000);
    splits.push(m.timings);
  }
  const res: CaseResult = {
    name,
    paths: c.paths,
    steps: c.steps,
    fqiSteps: c.method === 'fqi' ? c.fqiSteps : null,
    basisSize: c.basisSize,
    medianSeconds: median(secs),
    minSeconds: Math.min(...secs),
    maxSeconds: Math.max(...secs),
    split: {
      simulateMs: median(splits.map((s) => s.simulateMs)),
      dpMs: median(splits.map((s) => s.dpMs)),
      fqiMs: c.method === 'fqi' ? median(splits.map((s) => s.fqiMs ?? 0)) : null,
      oosMs: median(splits.map((s) => s.oosMs)),
    },
    metrics: {
      bsPrice: m!.bsPrice,
      dpPrice: m!.dpPrice,
      dpHedgeCost: m!.dpHedgeCost,
      dpHedgeCostOos: m!.dpHedgeCostOos,
      fqiPrice: m!.fqiPrice,
      dpPriceFqiGrid: m!.dpPriceFqiGrid,
      fqiMaxGap: m!.fqiMaxGap,
    },
  };
  const f = (x: number | null) => (x === null ? '—' : x.toFixed(1));
  console.log(
    `${name.padEnd(34)} ${String(c.paths).padStart(7)} x ${String(c.steps).padStart(3)}${c.method === 'fqi' ? `/${c.fqiSteps}` : '   '}  M=${String(c.basisSize).padStart(2)}  ` +
      `median ${(res.medianSeconds * 1000).toFixed(0).padStart(5)} ms (min ${(res.minSeconds * 1000).toFixed(0)}, max ${(res.maxSeconds * 1000).toFixed(0)})  ` +
      `[sim ${f(res.split.simulateMs)}, dp ${f(res.split.dpMs)}, fqi ${f(res.split.fqiMs)}${withOos ? `, oos ${f(res.split.oosMs)}` : ''} ms]  ` +
      `BS ${m!.bsPrice.toFixed(4)} DP ${m!.dpPrice.toFixed(4)} cost ${m!.dpHedgeCost.toFixed(4)}${m!.fqiPrice !== null ? ` FQI ${m!.fqiPrice.toFixed(4)}` : ''}`,
  );
  return res;
}

function main(): void {
  console.log(`QLBS engine benchmark: ${RUNS} timed runs per case after a warm-up; node ${process.version}, ${process.platform}-${process.arch}`);
  const dp = { ...REF, method: 'dp' as const };
  const fqi24 = { ...REF, fqiSteps: 24 };
  const reference = [
    bench('DP (reference)', dp, false),
    bench('DP + FQI, FQI on 6 steps (app)', REF, false),
    bench('DP + FQI, FQI on 24 steps', fqi24, false),
    bench('DP + out-of-sample check (run)', dp, true),
    bench('DP + FQI + out-of-sample (run)', REF, true),
  ];
  console.log('\nscaling with paths (24 steps, M = 12):');
  const byPaths = [2500, 5000, 10_000, 20_000, 40_000, 80_000, 160_000].flatMap((paths) => [
    bench('DP', { ...dp, paths }, false, paths > 40_000 ? 3 : RUNS),
    bench('DP + FQI (24 steps)', { ...fqi24, paths }, false, paths > 40_000 ? 3 : RUNS),
  ]);
  console.log('\nscaling with basis size (10,000 paths, 24 steps, degree 4):');
  const byBasis = [6, 12, 24, 48].flatMap((basisSize) => [
    bench('DP', { ...dp, basisSize }, false),
    bench('DP + FQI (24 steps)', { ...fqi24, basisSize }, false),
  ]);

  const ref = reference[0];
  const refF = reference[2];
  console.log(
    `\ntargets: DP ${(ref.medianSeconds * 1000).toFixed(0)} ms (< 1000 ms: ${ref.medianSeconds < 1 ? 'met' : 'MISSED'}), ` +
      `FQI on 24 steps ${(refF.medianSeconds * 1000).toFixed(0)} ms (< 2000 ms: ${refF.medianSeconds < 2 ? 'met' : 'MISSED'})`,
  );
  const here = dirname(fileURLToPath(import.meta.url));
  const out = join(here, 'results', 'qlbs.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, reference, byPaths, byBasis }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

main();
