/**
 * Benchmark of the Heston references (spec heston-osm.md, issue 14 "Speed"): `tsx bench/heston/refs.ts`.
 * 1. The 2-D ADI PDE for H1 (Bermudan put, 12 exercise dates): wall time and price at the default grid and at the
 *    refined grid (x 1.5 in every dimension), with the price change (the reference's own error estimate) and the
 *    difference to QuantLib's FdHestonVanillaEngine at 400 x 400 x 200 (test/reference/heston_quantlib.json).
 * 2. The same solve keeping the surfaces at all 61 grid dates of H1 (what `adiGreekSource` needs for hedging).
 * 3. The semi-analytic European price + five Greeks: time of one scalar call (median of 200, after warm-up).
 * 4. `hestonEuropeanBatch` throughput in states per second on the hedging workload shape: 4,096 states spread
 *    like H1 paths, the spec's four instruments, 10 dates (tau = T_i - t_n) — and the time that implies for
 *    4,096 paths x 50 dates x 4 instruments.
 * Wall-clock figures on a shared machine: compare within one run, not across runs. Each part also reports the
 * process CPU time it used (`...CpuMs`, from process.cpuUsage), which is far less sensitive to other load.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ADI_DEFAULT_GRID, hestonAdi, hestonAdiWithRefinement } from '../../src-main/engine/heston/adi';
import { adiSurfaceTimes } from '../../src-main/engine/heston/adiSource';
import { hestonEuropeanBatch, hestonEuropeanGreeks } from '../../src-main/engine/heston/semiAnalytic';
import { seeded } from '../../src-main/engine/stochastic/rng';
import { H1_CLAIM, H1_MARKET, H1_STEPS, HESTON_INSTRUMENTS } from '../../src-shared/heston/types';

/** Process CPU milliseconds (user + system) spent in f, and its result. */
function cpu<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1000];
}

export async function run(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const ql = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'reference', 'heston_quantlib.json'), 'utf8')) as {
    bermudan: { exercise: unknown; price: number }[];
  }).bermudan.find((b) => b.exercise === 12)!.price;

  hestonAdi({ market: H1_MARKET, claim: H1_CLAIM, grid: { ns: 40, nv: 12, nt: 24 } }); // warm-up (JIT)
  const [adi, adiCpu] = cpu(() => hestonAdiWithRefinement({ market: H1_MARKET, claim: H1_CLAIM }));
  out.adiDefaultPlusRefinedCpuMs = adiCpu;
  out.adiDefaultMs = adi.wallMs;
  out.adiDefaultPrice = adi.t0.price;
  out.adiRefinedMs = adi.refinement!.wallMs;
  out.adiRefinedPrice = adi.refinement!.t0.price;
  out.adiPriceChange = adi.refinement!.priceChange;
  out.adiDefaultMinusQuantLib = adi.t0.price - ql;
  out.adiRefinedMinusQuantLib = adi.refinement!.t0.price - ql;
  const g = ADI_DEFAULT_GRID;
  const rg = adi.refinement!.grid;
  console.log(`ADI H1 Bermudan, default grid ${g.ns} x ${g.nv} x ${g.nt}: ${adi.t0.price.toFixed(6)} in ${adi.wallMs.toFixed(0)} ms`);
  console.log(`ADI H1 Bermudan, refined grid ${rg.ns} x ${rg.nv} x ${rg.nt}: ${adi.refinement!.t0.price.toFixed(6)} in ${adi.refinement!.wallMs.toFixed(0)} ms`);
  console.log(`  price change ${out.adiPriceChange.toExponential(2)}; minus QuantLib FD (400x400x200) ${out.adiDefaultMinusQuantLib.toExponential(2)} / ${out.adiRefinedMinusQuantLib.toExponential(2)}`);
  console.log(`  CPU time of both solves: ${adiCpu.toFixed(0)} ms`);

  const [withSurfaces, surfCpu] = cpu(() => hestonAdi({ market: H1_MARKET, claim: H1_CLAIM, surfaceTimes: adiSurfaceTimes(H1_STEPS, H1_CLAIM.maturity) }));
  out.adiWithSurfacesMs = withSurfaces.wallMs;
  out.adiWithSurfacesCpuMs = surfCpu;
  console.log(`ADI H1 with surfaces at all ${H1_STEPS + 1} grid dates: ${withSurfaces.wallMs.toFixed(0)} ms (CPU ${surfCpu.toFixed(0)} ms)`);

  for (let i = 0; i < 20; i++) hestonEuropeanGreeks(H1_MARKET, H1_CLAIM);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    hestonEuropeanGreeks({ ...H1_MARKET, s0: 9 + i / 100 }, H1_CLAIM);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  out.semiAnalyticScalarUs = 1000 * times[100];
  console.log(`semi-analytic scalar (price + 5 Greeks): ${out.semiAnalyticScalarUs.toFixed(0)} us (median of 200)`);

  const n = 4096;
  const rng = seeded(7);
  const S = new Float64Array(n);
  const nu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    S[i] = H1_MARKET.s0 * Math.exp(0.25 * rng.normal());
    nu[i] = Math.max(1e-4, H1_MARKET.nu0 * Math.exp(0.9 * rng.normal()));
  }
  const dates = 10;
  let states = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let d = 0; d < dates; d++) {
    const t = (d * H1_CLAIM.maturity) / dates;
    for (const { instrument } of HESTON_INSTRUMENTS) {
      hestonEuropeanBatch(H1_MARKET, instrument, instrument.maturity - t, S, nu);
      states += n;
    }
  }
  const sec = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  out.batchStatesPerSecond = states / sec;
  out.batchStatesPerCpuSecond = states / ((cu.user + cu.system) / 1e6);
  out.batchHedgingWorkloadSeconds = (4096 * 50 * 4) / out.batchStatesPerSecond;
  console.log(`semi-analytic batch: ${Math.round(out.batchStatesPerSecond).toLocaleString()} states/s wall, ${Math.round(out.batchStatesPerCpuSecond).toLocaleString()} per CPU second (4,096 states x 4 instruments x ${dates} dates)`);
  console.log(`  implies ${out.batchHedgingWorkloadSeconds.toFixed(1)} s wall (${((4096 * 50 * 4) / out.batchStatesPerCpuSecond).toFixed(1)} CPU s) for 4,096 paths x 50 dates x 4 instruments`);
  return out;
}

if (process.argv[1]?.endsWith('refs.ts')) void run();
