/**
 * Benchmark of the pure BSDH engine: `npx tsx bench/hedge.bench.ts` (or `npm run bench`).
 *
 * Runs `runBsdh` on the default config (100,000 paths x 30 steps, European K = 1, sigma 0.1, cost 2e-3)
 * and on the same config with the lookback call, RUNS times each after one warm-up run, and the raw
 * normal generator on 3 million draws. Prints the median wall time, paths*steps per second, peak RSS
 * (the process's maximum resident set from `process.resourceUsage().maxRSS`, which includes Node itself,
 * plus the RSS sampled after each run) and the metrics; writes the figures to bench/results/hedge.json.
 * Targets (design brief): at most 1 s per 100k x 30 run (aim ~0.3 s) and peak RSS < 300 MB on 2 cores.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { DEFAULT_HEDGE_CONFIG, type HedgeConfig, type HedgeMetrics } from '../src-shared/hedging/config';
import { runBsdh } from '../src-main/engine/hedging/bsdh';
import { seeded } from '../src-main/engine/stochastic/rng';

const RUNS = 5;
const MB = 1024 * 1024;

interface CaseResult {
  name: string;
  paths: number;
  steps: number;
  runs: number;
  wallSeconds: number[];
  medianSeconds: number;
  pathStepsPerSecond: number;
  rssAfterRunMB: number[];
  peakRssMB: number;
  metrics: HedgeMetrics;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

/** Peak resident set of this process so far, MB (Linux reports maxRSS in kilobytes). */
const peakRssMB = (): number => (process.resourceUsage().maxRSS * 1024) / MB;

function benchCase(name: string, cfg: HedgeConfig): CaseResult {
  runBsdh(cfg); // warm-up: JIT compilation
  const wallSeconds: number[] = [];
  const rssAfterRunMB: number[] = [];
  let metrics: HedgeMetrics | null = null;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const out = runBsdh(cfg);
    wallSeconds.push((performance.now() - t0) / 1000);
    rssAfterRunMB.push(process.memoryUsage().rss / MB);
    metrics = out.metrics;
  }
  const med = median(wallSeconds);
  const res: CaseResult = {
    name,
    paths: cfg.paths,
    steps: cfg.steps,
    runs: RUNS,
    wallSeconds,
    medianSeconds: med,
    pathStepsPerSecond: (cfg.paths * cfg.steps) / med,
    rssAfterRunMB,
    peakRssMB: peakRssMB(),
    metrics: metrics!,
  };
  console.log(
    `bsdh ${name} ${cfg.paths}x${cfg.steps}: median ${med.toFixed(3)} s (${RUNS} runs, min ${Math.min(...wallSeconds).toFixed(3)}, ` +
      `max ${Math.max(...wallSeconds).toFixed(3)}), ${(res.pathStepsPerSecond / 1e6).toFixed(1)} M path-steps/s, ` +
      `peak RSS ${res.peakRssMB.toFixed(0)} MB (RSS after runs ${Math.max(...rssAfterRunMB).toFixed(0)} MB)`,
  );
  const m = res.metrics;
  console.log(
    `  mean ${m.mean.toFixed(6)}  std ${m.std.toFixed(6)}  entropic ${m.entropic.toFixed(6)}  ES90 ${m.es90.toFixed(6)}  ` +
      `ES99 ${m.es99.toFixed(6)}  premium ${m.premium.toFixed(6)}  meanCost ${m.meanCost.toFixed(6)}  ` +
      `indifference ${m.indifferencePrice.toFixed(6)}  noLiabilityRisk ${m.noLiabilityRisk}`,
  );
  return res;
}

function benchNormals(count: number): { count: number; medianMs: number } {
  const out = new Float64Array(count);
  const rng = seeded(1);
  rng.fillNormal(out); // warm-up
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    rng.fillNormal(out);
    ms.push(performance.now() - t0);
  }
  const medianMs = median(ms);
  console.log(`normals ${count}: median ${medianMs.toFixed(1)} ms (${RUNS} runs), ${((count / medianMs) * 1e-3).toFixed(0)} M/s`);
  return { count, medianMs };
}

const normals = benchNormals(3_000_000);
const european = benchCase('european', DEFAULT_HEDGE_CONFIG);
const lookback = benchCase('lookback', { ...DEFAULT_HEDGE_CONFIG, option: 'lookback' });

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'hedge.json');
writeFileSync(
  file,
  JSON.stringify(
    { date: new Date().toISOString(), node: process.version, platform: `${process.platform}-${process.arch}`, normals, cases: [european, lookback] },
    null,
    2,
  ),
);
console.log(`wrote ${file}`);
