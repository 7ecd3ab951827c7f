/**
 * Where a whole deep-BSDE solve spends its CPU (`npx tsx bench/bsde.breakdown.ts [B1|B2] [osm|rdbdp] [threads]`):
 * runs one solve with the `cpu` preset under the V8 sampling profiler (node:inspector, 500 us interval; it
 * samples the calling thread only, so with threads = 2 the helper's share is not in the table) and attributes
 * every sample to a component by the innermost matching frame of its stack:
 *
 *   context  train (the Adam stages, with their pools), refit (output-layer least squares and their pools),
 *            t0 (the exact t = 0 regression), setup (scales, evaluation of the solution) — by the outermost
 *            matching frame;
 *   leaf     forward (training forward pass, incl. host transposes / 1 - a^2), backward (reverse pass),
 *            loss (the host loss and its output gradient), adam, upload (weights to tensors), sample (data
 *            generation), targets (frozen networks of n+1 and payoffs), refit products (features, Psi^T Psi),
 *            shard wait (waiting for the helper thread), gc, other (mostly tfjs ops of the pools' targets).
 *
 * Prints CPU seconds of the process (process.cpuUsage: all threads), wall seconds, and the table in seconds of
 * samples. Figures under load are inflated in wall time but not in samples' shares.
 */
import { Session } from 'node:inspector';
import { loadavg } from 'node:os';
import { cpuUsage } from 'node:process';
import { performance } from 'node:perf_hooks';
import { solveBookThreaded } from '../src-main/domains/bsde/threads';
import { chooseBackend } from '../src-main/engine/tensor/backend';
import { SOLVER_PRESETS } from '../src-shared/bsde/config';
import { presetBook } from '../src-shared/portfolio/presets';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const CONTEXTS: Array<[RegExp, string]> = [
  [/^solveT0$/, 't0'],
  [/^calibrateScales$|^evaluateSolution$/, 'setup'],
];
const LEAVES: Array<[RegExp, string]> = [
  [/^\(garbage collector\)$/, 'gc'],
  [/^samplePairs$|^affineDB$/, 'sample'],
  [/^nextValues$|^payoffTensors$|^frozenValues$/, 'targets'],
  [/^forwardTrain$/, 'forward'],
  [/^backward$/, 'backward'],
  [/^step$/, 'adam'],
  [/^device$/, 'upload'],
  [/^wait$|^finish$|^finishRefit$/, 'shard wait'],
  [/^refitProducts$|^blockProducts$/, 'refit products'],
  [/^lossZ$|^lossY$|^lossRdbdp$/, 'loss'],
];

function profileOf(session: Session, fn: () => Promise<void>): Promise<Profile> {
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((res, rej) => session.post(method, params ?? {}, (err, r) => (err ? rej(err) : res(r))));
  return (async () => {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 500 });
    await post('Profiler.start');
    await fn();
    const { profile } = (await post('Profiler.stop')) as { profile: Profile };
    return profile;
  })();
}

async function main(): Promise<void> {
  const which = (process.argv[2] ?? 'B1') as 'B1' | 'B2';
  const scheme = (process.argv[3] ?? 'osm') as 'osm' | 'rdbdp';
  const threads = Number(process.argv[4] ?? 1);
  await chooseBackend();
  const book = which === 'B1' ? presetBook('B1', { assets: 5 }) : presetBook('B2', { assets: 10 });
  const session = new Session();
  session.connect();
  const load0 = loadavg()[0];
  const c0 = cpuUsage();
  const w0 = performance.now();
  let errors = '';
  const prof = await profileOf(session, async () => {
    const { metrics } = await solveBookThreaded(book, { scheme, seed: 1, ...SOLVER_PRESETS.cpu.config }, undefined, { threads });
    const e = metrics.options[0].errors;
    errors = e ? `price ${(100 * e.price).toFixed(3)}%, Delta ${(100 * e.delta).toFixed(2)}%, Gamma ${(100 * (e.gamma ?? NaN)).toFixed(1)}%` : 'no reference';
  });
  const wall = (performance.now() - w0) / 1000;
  const cpu = cpuUsage(c0);
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  const classify = (id: number): string => {
    const hit = memo.get(id);
    if (hit) return hit;
    const stack: string[] = [];
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) stack.push(byId.get(p)!.callFrame.functionName);
    // stack: leaf first. Leaf category = innermost match; context = outermost match.
    let leaf = 'other';
    for (const f of stack) {
      const m = LEAVES.find(([re]) => re.test(f));
      if (m) {
        leaf = m[1];
        break;
      }
    }
    let ctx = 'other';
    const outer = [...stack].reverse();
    const i = outer.findIndex((f) => /^trainOsmStep$|^trainRdbdpStep$/.test(f));
    if (i >= 0) {
      const inner = outer.slice(i + 1);
      // (The stages' closures are anonymous in V8's profile, so Z and Y are not told apart.)
      ctx = inner.includes('runStage') ? 'train' : 'refit';
    } else {
      for (const f of outer) {
        const m = CONTEXTS.find(([re]) => re.test(f));
        if (m) {
          ctx = m[1];
          break;
        }
      }
    }
    const key = `${ctx}|${leaf}`;
    memo.set(id, key);
    return key;
  };
  const totals = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dtS = prof.timeDeltas[i] / 1e6;
    const f = byId.get(id)!.callFrame.functionName;
    if (f === '(idle)' || f === '(program)') return;
    const k = classify(id);
    totals.set(k, (totals.get(k) ?? 0) + dtS);
    total += dtS;
  });
  console.log(`${which} ${scheme} cpu preset, threads ${threads}: wall ${wall.toFixed(1)} s, process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}; ${errors}`);
  console.log(`samples on this thread: ${total.toFixed(1)} s`);
  const ctxs = [...new Set([...totals.keys()].map((k) => k.split('|')[0]))];
  for (const c of ctxs) {
    const rows = [...totals.entries()].filter(([k]) => k.startsWith(`${c}|`)).sort((a, b) => b[1] - a[1]);
    const sum = rows.reduce((s, [, v]) => s + v, 0);
    console.log(`  ${c.padEnd(9)} ${sum.toFixed(2).padStart(6)} s  ${rows.map(([k, v]) => `${k.split('|')[1]} ${v.toFixed(2)}`).join(', ')}`);
  }
  const leaves = new Map<string, number>();
  totals.forEach((v, k) => leaves.set(k.split('|')[1], (leaves.get(k.split('|')[1]) ?? 0) + v));
  console.log(`  by leaf: ${[...leaves.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
  session.disconnect();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
