/**
 * Benchmark of the deep hedgers: `npm run bench:hedging` (options: --epochs N, --models ntb,dhlnn,mlp,
 * --threads 1|2, --timing-epochs N, --baseline DIR, --peer).
 *
 * Setting (issues 3 and 16): 10,000 paths x 30 steps per epoch, 4 x 64 ReLU network, European call K = 1,
 * sigma 0.1, cost 2e-3, wasm backend. Each model runs in its own child process (so its peak memory is its own),
 * trains `--epochs` epochs (default 50) with the app's engine (the same Trainer and shard pool as a run), and then
 * hedges 100,000 test paths. Printed per model:
 * - seconds per epoch: the median over the epochs after the first (the first includes JIT and the helper
 *   thread's start), wall and CPU (all threads of the process); DHLNN also split into its outer step and its
 *   inner iterations (median seconds per inner iteration, to compare with one DHNTB epoch);
 * - achieved GFLOP/s: network FLOPs of the epoch / epoch wall time, counting 2 FLOPs per multiply-add of the
 *   forward pass (2 M per row, M = multiply-adds per row), the VJP (2 M for the weight gradients plus
 *   2 (M - M_1) for the input gradients of layers 2..L+1) and, for DHLNN's inner iterations, the JVP
 *   (2 M_1 + 4 (M - M_1)) plus the VJP. Where our wasm kernels run, DHLNN goes through the output sensitivities
 *   instead (TfMlp.linearise), and the count follows: outer VJP 2 O M_hh (the sensitivities) + 2 M + 2 O H, each
 *   inner iteration 2 (2 M + 2 O H) (O outputs, H hidden units, M_hh the hidden-to-hidden multiply-adds).
 *   Beside it, what the backend's plain 64-wide matmul achieves on one
 *   thread (measured first: [300,000 x 64] x [64 x 64] in one op and in 30 chunks of 10,000 rows);
 * - peak memory: the child's maximum resident set (the process with all its threads, getrusage), MB;
 * - entropic loss and ES90 after the last epoch on 100,000 test paths (and BSDH on the same paths).
 * Then, with --threads 2 (the default on 2+ cores), a short 1-thread timing of each model; and with
 * `--baseline DIR` (a checkout of an earlier commit, e.g. `git worktree add /tmp/base <commit>` with
 * node_modules linked, and this bench file copied into its bench/ so that both sides record CPU time), the same
 * short timing of that code right before this code's, one model at a time (a same-run before/after: the
 * machine's load changes slowly against one child's run).
 * `--peer` also times the PyTorch CPU peer of DHNTB (bench/peer/torch_ntb.py, python3 with Debian's python3-torch) on
 * the same threads and prints how far ahead ours is.
 * The machine's load average is printed before every figure: on a shared machine every wall time is inflated.
 * Writes bench/results/hedging.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};

const TASK = { option: 'european' as const, strike: 1, sigma: 0.1, days: 30, steps: 30, cost: 0.002 };
const TRAIN_PATHS = 10_000;
const TEST_PATHS = 100_000;

const median = (xs: number[]): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

interface ChildResult {
  model: string;
  threads: number;
  backend: string;
  epochs: number;
  epochSeconds: number[];
  secondsPerEpoch: number;
  /** CPU seconds per epoch, all threads (median; absent in results of older code). */
  cpuSecondsPerEpoch?: number;
  outerSecondsPerEpoch: number;
  innerSecondsPerIteration: number | null;
  innerIterationsPerEpoch: number | null;
  gflopPerEpoch: number;
  gflops: number;
  peakRssMB: number;
  test: { paths: number; entropic: number; es90: number; seconds: number } | null;
  bsdh: { entropic: number; es90: number } | null;
}

async function child(model: 'ntb' | 'dhlnn' | 'mlp', threads: number, epochs: number, withTest: boolean): Promise<ChildResult> {
  const { chooseBackend } = await import('../src-main/engine/tensor/backend');
  const { createPool } = await import('../src-main/domains/hedging/pools');
  const { Trainer, layoutFor } = await import('../src-main/engine/hedging/trainer');
  const { macsPerRow, layerSlots } = await import('../src-main/engine/hedging/network');
  const { hedgeTestSet, bsdhHedger } = await import('../src-main/engine/hedging/evaluate');
  const { quickRisk } = await import('../src-main/engine/hedging/metrics');
  const backend = await chooseBackend();
  const layout = layoutFor(model, TASK);
  const pool = await createPool({ model, task: TASK, layout }, threads);
  const trainer = new Trainer(pool, { model, task: TASK, seed: 1, trainPaths: TRAIN_PATHS, trainVol: TASK.sigma, drift: 0, learningRate: 1e-3, innerSteps: 5, innerTol: 0 }, layout);
  const M = macsPerRow(layout);
  const M1 = layerSlots(layout)[0].fanIn * layerSlots(layout)[0].fanOut;
  const rows = TRAIN_PATHS * TASK.steps;
  const fwd = 2 * M;
  const vjp = 2 * M + 2 * (M - M1);
  const jvp = 2 * M1 + 4 * (M - M1);
  // DHLNN where our wasm kernels run (TfMlp.linearise): the outer VJP first forms the output sensitivities
  // (O backward chains through the hidden-to-hidden layers), then every VJP and JVP at that point is one product per
  // layer plus O row-wise combinations of the H hidden units
  const { netKernels, abFits } = await import('../src-main/engine/tensor/netKernels');
  const linear = model === 'dhlnn' && netKernels() !== null && layout.hidden.every(abFits);
  const slots = layerSlots(layout);
  const O = layout.outputs;
  const H = layout.hidden.reduce((a, b) => a + b, 0);
  const Mhh = slots.slice(1, -1).reduce((a, sl) => a + sl.fanIn * sl.fanOut, 0);
  const outerVjp = linear ? O * 2 * Mhh + 2 * M + 2 * O * H : vjp;
  const innerIt = linear ? 2 * (2 * M + 2 * O * H) : jvp + vjp;
  const seconds: number[] = [];
  const cpu: number[] = [];
  const outer: number[] = [];
  const innerPer: number[] = [];
  let innerIts = 0;
  for (let e = 1; e <= epochs; e++) {
    const c0 = process.cpuUsage();
    const r = await trainer.epoch(e);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
    seconds.push(r.seconds);
    outer.push(r.outerSeconds);
    if (r.innerIterations) {
      innerIts += r.innerIterations;
      innerPer.push(r.innerSeconds! / r.innerIterations);
    }
    process.stderr.write(`  ${model} x${threads} epoch ${e}/${epochs}: ${r.seconds.toFixed(2)} s, train loss ${r.trainLoss.toFixed(6)}\n`);
  }
  const itsPerEpoch = model === 'dhlnn' ? innerIts / epochs : 0;
  const flop = rows * (fwd + outerVjp + itsPerEpoch * innerIt);
  const steady = seconds.length > 1 ? seconds.slice(1) : seconds;
  const spe = median(steady);
  let test: ChildResult['test'] = null;
  let bsdh: ChildResult['bsdh'] = null;
  if (withTest) {
    const t0 = performance.now();
    const res = await hedgeTestSet({ seed: 1, paths: TEST_PATHS, task: TASK, vol: TASK.sigma, drift: 0, hedge: (p, n) => pool.evaluate(trainer.params, p, n, TASK.cost) });
    test = { paths: TEST_PATHS, ...quickRisk(res.pnl), seconds: (performance.now() - t0) / 1000 };
    const ref = await hedgeTestSet({ seed: 1, paths: TEST_PATHS, task: TASK, vol: TASK.sigma, drift: 0, hedge: bsdhHedger(TASK, TASK.cost) });
    bsdh = quickRisk(ref.pnl);
  }
  await pool.close();
  return {
    model,
    threads: pool.threads,
    backend: backend.name,
    epochs,
    epochSeconds: seconds,
    secondsPerEpoch: spe,
    cpuSecondsPerEpoch: median(cpu.length > 1 ? cpu.slice(1) : cpu),
    outerSecondsPerEpoch: median(outer.length > 1 ? outer.slice(1) : outer),
    innerSecondsPerIteration: innerPer.length ? median(innerPer.length > 1 ? innerPer.slice(1) : innerPer) : null,
    innerIterationsPerEpoch: model === 'dhlnn' ? itsPerEpoch : null,
    gflopPerEpoch: flop / 1e9,
    gflops: flop / 1e9 / spe,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / (1024 * 1024),
    test,
    bsdh,
  };
}

async function matmulChild(): Promise<{ rows: number; ms: number; gflops: number; chunkedGflops: number; peakRssMB: number }> {
  const { chooseBackend } = await import('../src-main/engine/tensor/backend');
  await chooseBackend();
  const tf = await import('@tensorflow/tfjs');
  const rows = 300_000;
  const a = tf.randomNormal([rows, 64]);
  const b = tf.randomNormal([64, 64]);
  const times: number[] = [];
  for (let r = 0; r < 6; r++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    times.push(performance.now() - t0);
    c.dispose();
  }
  const ms = median(times.slice(1));
  // the same work in the chunks the engine uses (10,000 rows)
  const chunks = Array.from({ length: 30 }, () => tf.randomNormal([10_000, 64]));
  const ct: number[] = [];
  for (let r = 0; r < 6; r++) {
    const t0 = performance.now();
    for (const x of chunks) tf.matMul(x, b).dispose();
    ct.push(performance.now() - t0);
  }
  const cms = median(ct.slice(1));
  const flop = 2 * rows * 64 * 64;
  return { rows, ms, gflops: flop / ms / 1e6, chunkedGflops: flop / cms / 1e6, peakRssMB: (process.resourceUsage().maxRSS * 1024) / (1024 * 1024) };
}

function runChild(extra: string[], dir = root): unknown {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'bench', 'hedging.bench.ts'), ...extra], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`child ${extra.join(' ')} failed with status ${r.status}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line);
}

const load = (): string => loadavg()[0].toFixed(1);
const fmtS = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(3));

/** One line of timing figures of a child. */
function timingLine(r: ChildResult, mm: { gflops: number }): string {
  return (
    `${r.secondsPerEpoch.toFixed(3)} s/epoch wall, ${fmtS(r.cpuSecondsPerEpoch)} s CPU (all threads); ${r.gflops.toFixed(1)} GFLOP/s ` +
    `= ${((100 * r.gflops) / mm.gflops).toFixed(0)}% of the plain matmul's ${mm.gflops.toFixed(1)}; peak ${r.peakRssMB.toFixed(0)} MB` +
    (r.innerSecondsPerIteration !== null ? `; outer step ${r.outerSecondsPerEpoch.toFixed(3)} s, inner iteration ${r.innerSecondsPerIteration.toFixed(3)} s` : '')
  );
}

interface PeerVariant {
  secondsPerEpoch: number;
  cpuSecondsPerEpoch: number;
  loss: number;
}
type PeerResult = { torch: string; threads: number; epochs: number; 'per-step': PeerVariant; batched: PeerVariant; peakRssMB: number } | { error: string };

/**
 * The PyTorch peer (bench/peer/torch_ntb.py) in its own python3 process: $PYTHON, else the first of `python3` and
 * /usr/bin/python3 (Debian's, where python3-torch installs) that has torch. An error says what is missing.
 */
function torchPeer(threads: number, epochs: number): PeerResult {
  let last = 'no python3 found';
  for (const py of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((x): x is string => !!x)) {
    const r = spawnSync(py, [join(here, 'peer', 'torch_ntb.py'), '--epochs', String(epochs), '--threads', String(threads)], { encoding: 'utf8', timeout: 20 * 60_000 });
    if (r.error) continue;
    if (r.status === 0) return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]) as PeerResult;
    last = r.stderr.includes("No module named 'torch'") ? 'PyTorch is not installed (apt-get install python3-torch)' : r.stderr.trim().split('\n').slice(-1)[0];
  }
  return { error: last };
}

async function main(): Promise<void> {
  if (args[0] === '--child') {
    const what = args[1];
    const out = what === 'matmul' ? await matmulChild() : await child(what as 'ntb', Number(flag('threads', '1')), Number(flag('epochs', '50')), flag('test', '1') === '1');
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exit(0);
  }
  const epochs = Number(flag('epochs', '50'));
  const threads = Number(flag('threads', String(Math.min(2, availableParallelism()))));
  const timingEpochs = Number(flag('timing-epochs', '6'));
  const baseline = flag('baseline', '');
  const models = flag('models', 'ntb,dhlnn,mlp').split(',') as Array<'ntb' | 'dhlnn' | 'mlp'>;
  console.log(`deep hedging benchmark: ${TRAIN_PATHS.toLocaleString()} paths x ${TASK.steps} steps per epoch, 4 x 64 ReLU, European K = 1, sigma 0.1, c = 2e-3`);
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other work on the machine slows every wall time)`);
  const mm = runChild(['--child', 'matmul']) as Awaited<ReturnType<typeof matmulChild>>;
  console.log(
    `plain matmul [300,000 x 64] x [64 x 64]: ${mm.ms.toFixed(1)} ms = ${mm.gflops.toFixed(1)} GFLOP/s in one op; ${mm.chunkedGflops.toFixed(1)} GFLOP/s in 30 chunks of 10,000 rows (one thread; load ${load()})`,
  );
  const results: ChildResult[] = [];
  for (const m of models) {
    console.log(`\n${m}: ${epochs} epochs on ${threads} thread(s), then ${TEST_PATHS.toLocaleString()} test paths (load ${load()})`);
    const t0 = performance.now();
    const r = runChild(['--child', m, '--threads', String(threads), '--epochs', String(epochs)]) as ChildResult;
    results.push(r);
    console.log(
      `  ${m} x${r.threads} (${r.backend}): ${timingLine(r, mm)}\n  (${r.gflopPerEpoch.toFixed(1)} GFLOP per epoch` +
        (r.innerIterationsPerEpoch !== null ? `, ${r.innerIterationsPerEpoch} inner iterations per epoch` : '') +
        `)\n  after ${r.epochs} epochs on ${r.test!.paths.toLocaleString()} test paths: entropic ${r.test!.entropic.toFixed(6)}, ES90 ${r.test!.es90.toFixed(6)} ` +
        `(BSDH ${r.bsdh!.entropic.toFixed(6)}, ${r.bsdh!.es90.toFixed(6)}); wall ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${load()}`,
    );
  }
  const oneThread: ChildResult[] = [];
  if (threads > 1 && timingEpochs > 1) {
    console.log(`\none-thread timing (${timingEpochs} epochs each, no test set):`);
    for (const m of models) {
      const r = runChild(['--child', m, '--threads', '1', '--epochs', String(timingEpochs), '--test', '0']) as ChildResult;
      oneThread.push(r);
      console.log(`  ${m} x1: ${timingLine(r, mm)} (load ${load()})`);
    }
  }
  const before: Array<{ model: string; threads: number; before: ChildResult; after: ChildResult }> = [];
  if (baseline && timingEpochs > 1) {
    console.log(`\nbefore/after (${timingEpochs} epochs each, no test set; before = ${baseline}, run right before after):`);
    for (const m of models) {
      for (const t of [...new Set([threads, 1])]) {
        const runArgs = ['--child', m, '--threads', String(t), '--epochs', String(timingEpochs), '--test', '0'];
        const b = runChild(runArgs, baseline) as ChildResult;
        const a = runChild(runArgs) as ChildResult;
        before.push({ model: m, threads: t, before: b, after: a });
        const ratio = b.secondsPerEpoch / a.secondsPerEpoch;
        console.log(`  ${m} x${t} before: ${timingLine(b, mm)}`);
        console.log(`  ${m} x${t} after:  ${timingLine(a, mm)}  -> wall before/after ${ratio.toFixed(2)}, CPU before/after ${fmtS((b.cpuSecondsPerEpoch ?? NaN) / (a.cpuSecondsPerEpoch ?? NaN))} (> 1: faster; load ${load()})`);
      }
    }
  }
  const peer = args.includes('--peer') ? torchPeer(threads, Math.max(4, timingEpochs)) : null;
  if (peer) {
    console.log(`\nPyTorch CPU peer (bench/peer/torch_ntb.py; DHNTB, same setting, autograd, ${threads} thread(s); load ${load()}):`);
    if ('error' in peer) console.log(`  not run: ${peer.error}`);
    else {
      const ours = results.find((r) => r.model === 'ntb');
      for (const v of ['per-step', 'batched'] as const) {
        const e = peer[v];
        const ahead = ours ? `; ours ${ours.secondsPerEpoch.toFixed(3)} s is ${(e.secondsPerEpoch / ours.secondsPerEpoch).toFixed(2)}x faster` : '';
        console.log(`  torch ${peer.torch} ${v}: ${e.secondsPerEpoch.toFixed(3)} s/epoch wall, ${e.cpuSecondsPerEpoch.toFixed(3)} s CPU${ahead}`);
      }
      console.log(`  (per-step calls the network once per date as pfhedge's Hedger does; batched calls it once on all rows as our engine does; peak ${peer.peakRssMB.toFixed(0)} MB)`);
    }
  }
  const target = (name: string, got: number, limit: number): string =>
    `${name}: ${got.toFixed(3)} s vs target ${limit} s — ${got <= limit ? 'met' : `missed by ${(got - limit).toFixed(3)} s (${((got / limit - 1) * 100).toFixed(0)}%)`}`;
  console.log(`\ntargets (issue 16; wall times at load ${load()} on ${availableParallelism()} cores — the targets are for an idle machine):`);
  const by = new Map(results.map((r) => [r.model, r]));
  const ntb = by.get('ntb');
  const dh = by.get('dhlnn');
  const mlp = by.get('mlp');
  if (ntb) console.log(`  ${target('DHNTB epoch', ntb.secondsPerEpoch, 0.6)}`);
  if (dh && ntb && dh.innerSecondsPerIteration !== null) {
    console.log(
      `  DHLNN inner iteration ${dh.innerSecondsPerIteration.toFixed(3)} s vs one DHNTB epoch ${ntb.secondsPerEpoch.toFixed(3)} s — ${dh.innerSecondsPerIteration <= ntb.secondsPerEpoch ? 'met' : `missed by ${((dh.innerSecondsPerIteration / ntb.secondsPerEpoch - 1) * 100).toFixed(0)}%`}`,
    );
  }
  if (dh) console.log(`  DHLNN outer step ${dh.outerSecondsPerEpoch.toFixed(3)} s (the DHNTB step plus keeping the linearisation)`);
  if (mlp) console.log(`  ${target('DHMLP epoch', mlp.secondsPerEpoch, 1)}`);
  const peak = Math.max(...results.map((r) => r.peakRssMB));
  console.log(`  peak memory ${peak.toFixed(0)} MB vs target 1,536 MB — ${peak < 1536 ? 'met' : 'missed'}`);
  const outDir = join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'hedging.json');
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: availableParallelism(), loadavg: loadavg(), matmul: mm, results, oneThread, beforeAfter: before, peer }, null, 2));
  console.log(`wrote ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
