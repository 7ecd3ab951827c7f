/**
 * Benchmark part for `npm run bench:heston` (the integrator wires it): H1 (spec heston-osm.md: Bermudan put,
 * 12 exercise dates, N = 60) solved by OSM at the `cpu` solver preset on the best tfjs backend, with the
 * price and the five Greeks at t = 0 and their relative errors against QuantLib's ADI reference
 * (test/reference/heston_osm_reference.py -> test/reference/hestonH1Reference.ts).
 *
 * Figures: wall seconds, CPU seconds of this process (user + system; less sensitive to other load on the
 * machine than wall time), the 1-minute load average at the end, and for each Greek its value, its standard
 * error from the t = 0 regression where the solver reports one, and |value - reference| / |reference|.
 * Target (issue 14): price within 1%, Delta within 5%, Vega within 10%, under 3 minutes on 2 cores.
 * Measured 2026-12-07 (wasm backend): with 150 Adam steps per date, 219.5 s wall / 117.8 s CPU at load 5-7,
 * price +0.25%, Delta 5.3%, Vega 1.3%, Gamma 10%, Vomma 17%, Vanna 109%; the preset now takes 200 steps per date:
 * 175.7 s wall / 145.5 s CPU at load 3-5, price +0.22%, Delta 4.1%, Vega 1.5%, Gamma 8.8%, Vomma 11%, Vanna 62%.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { solveHeston } from '../../src-main/engine/heston/solver';
import { chooseBackend } from '../../src-main/engine/tensor/backend';
import { hestonPresetConfig } from '../../src-shared/heston/config';
import { GREEK_NAMES } from '../../src-shared/heston/types';
import { H1_QUANTLIB } from '../../test/reference/hestonH1Reference';

export async function run(): Promise<Record<string, number>> {
  await chooseBackend();
  const cfg = hestonPresetConfig('cpu', 'osm');
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const sol = await solveHeston(cfg);
  const cpu = process.cpuUsage(cpu0);
  const out: Record<string, number> = {
    seconds: (performance.now() - wall0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    trainSeconds: sol.info.trainMs / 1000,
    t0Seconds: sol.info.t0Ms / 1000,
    loadAverage1m: loadavg()[0],
    steps: cfg.steps,
    width: cfg.width,
    depth: cfg.depth,
  };
  for (const k of GREEK_NAMES) {
    out[k] = sol.t0[k];
    out[`${k}Reference`] = H1_QUANTLIB[k];
    out[`${k}RelError`] = Math.abs(sol.t0[k] - H1_QUANTLIB[k]) / Math.abs(H1_QUANTLIB[k]);
    const se = sol.t0StdErr[k];
    if (se !== undefined) out[`${k}StdErr`] = se;
  }
  sol.dispose();
  return out;
}

if (process.argv[1]?.endsWith('osm.ts')) {
  run().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
