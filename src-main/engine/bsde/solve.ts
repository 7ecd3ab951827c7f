import { priceErrorEstimates } from './priceError';
import * as tf from '@tensorflow/tfjs';
import { type SolverConfig, progressTotal } from '../../../src-shared/bsde/config';
import { type BsdeMetrics, type BsdeProgress, type OptionSolveResult, type StepLoss, type StoredSolution } from '../../../src-shared/bsde/result';
import { type BookContent, optionLabel } from '../../../src-shared/portfolio/book';
import { CancelledError, type JobHooks } from '../cancel';
import { type Rng, resumeRng, rngState, seeded } from '../stochastic/rng';
import { type SolveContext, type StepNets, calibrateScales } from './context';
import { buildGrid } from './grid';
import { compileMarket } from './market';
import { FastMlp, HostAdam } from './fastMlp';
import { type MlpShape, initParams, paramCount } from './mlpLayout';
import { trainOsmStep } from './osm';
import { compileOptions } from './payoffs';
import { trainRdbdpStep } from './rdbdp';
import { greekErrors, optionReference } from './reference';
import { bookTotal, evaluateSolution } from './solution';
import { type BsdeResume, type BsdeStepState, checkBsdeResume } from './stepState';
import { solveT0 } from './t0';

/**
 * A whole solve of a book: calibrate output scales, train the networks backward in time from n = N-1 to
 * n = 1 (OSM: Z/Gamma then C per step; RDBDP: U and Zhat jointly), each step initialised from the step
 * after it (transfer learning, spec "OSM scheme" 3.), then the exact least squares at t = 0, the Greeks at
 * t = 0 of every option and of the book, and their errors against the closed forms / lattice where they
 * exist. Uses whichever tfjs backend is active (the job picks it with chooseBackend()).
 *
 * Resumable (`resume`, stepState.ts): `onStepDone` gets the state after every solved time step; a solve given
 * `resume` rebuilds the context from the seed exactly as before (grid, output scales), takes the solved
 * networks and the random stream's position from the state and trains only the remaining steps.
 */
export interface SolveResult {
  metrics: BsdeMetrics;
  /** Every trained network, float32, layout in metrics.solution. */
  weights: Float32Array;
}

export function solveBook(book: BookContent, cfg: SolverConfig, hooks?: JobHooks, resumable?: BsdeResume): SolveResult {
  const t0All = performance.now();
  const market = compileMarket(book);
  const options = compileOptions(book);
  const grid = buildGrid(book, cfg.steps, cfg.horizon);
  const d = market.d;
  const J = options.length;
  const N = grid.steps;
  // The solve's one random stream; a resumed solve swaps in the saved position after the scales are calibrated.
  let rng: Rng = seeded(cfg.seed);
  const stream: Rng = { uniform: () => rng.uniform(), normal: () => rng.normal(), fillNormal: (out) => rng.fillNormal(out) };
  const smooth = Float64Array.from(market.sigma, (s) => s * Math.sqrt(grid.dt));
  const base = { market, options, grid, d, J, smooth, rng: stream };
  const scales = calibrateScales(base);
  const ctx: SolveContext = { ...base, scales };
  const osm = cfg.scheme === 'osm';
  const shapes: { c: MlpShape; z: MlpShape } = {
    c: { inputs: d, width: cfg.width, depth: cfg.depth, outputs: J },
    z: { inputs: d, width: cfg.width, depth: cfg.depth, outputs: osm ? J * d * (1 + d) : J * d },
  };
  const sizeC = paramCount(shapes.c);
  const sizeZ = paramCount(shapes.z);
  const weights = new Float32Array(Math.max(0, N - 1) * (sizeC + sizeZ));
  const offsets = Array.from({ length: Math.max(0, N - 1) }, (_, i) => ({ c: i * (sizeC + sizeZ), z: i * (sizeC + sizeZ) + sizeC }));
  const saved = checkBsdeResume(resumable?.resume, cfg.scheme, N, sizeC + sizeZ);

  // Progress in Adam iterations (t = 0 counted as its forward passes' share).
  const { train: trainIters, t0: t0Units, total } = progressTotal(cfg);
  let done = saved?.done ?? 0;
  let lastDetail = 0;
  const history: StepLoss[] = saved ? [...saved.history] : [];
  let peak = Math.max(tf.memory().numBytes, saved?.peakTensorBytes ?? 0);
  const report = (p: Omit<BsdeProgress, 'steps' | 'history'>, force: boolean): void => {
    peak = Math.max(peak, tf.memory().numBytes);
    if (hooks?.shouldCancel?.()) throw new CancelledError();
    const now = performance.now();
    if (force || now - lastDetail > 400) {
      lastDetail = now;
      hooks?.onProgress?.(done, total, { ...p, steps: N, history: [...history] } satisfies BsdeProgress);
    } else hooks?.onProgress?.(done, total);
  };

  let cur: StepNets | null = null;
  let next: StepNets | null = null;
  const trainStart = performance.now();
  try {
    let firstStep = N - 1;
    if (N > 1 && saved) {
      // Steps N-1..saved.n are solved: their networks are in the state, cur and next start as step saved.n's.
      weights.set(saved.weights, offsets[saved.n - 1].c);
      const o = offsets[saved.n - 1];
      const wc = weights.slice(o.c, o.c + sizeC);
      const wz = weights.slice(o.z, o.z + sizeZ);
      cur = { c: new FastMlp(shapes.c, wc), z: new FastMlp(shapes.z, wz) };
      next = { c: new FastMlp(shapes.c, wc), z: new FastMlp(shapes.z, wz) };
      rng = resumeRng(saved.rng);
      firstStep = saved.n - 1;
      hooks?.onProgress?.(done, total);
    } else if (N > 1) {
      cur = { c: new FastMlp(shapes.c, initParams(shapes.c, rng)), z: new FastMlp(shapes.z, initParams(shapes.z, rng)) };
    }
    if (N > 1 && cur) {
      for (let n = firstStep; n >= 1; n--) {
        const stepStart = performance.now();
        const adam = { c: new HostAdam(sizeC), z: new HostAdam(sizeZ) };
        const iterations = n === N - 1 ? cfg.iterationsLast : cfg.iterationsOther;
        const step = N - n;
        const t = n * grid.dt;
        let lz: number | null = null;
        let ly: number | null = null;
        let res: { lossZ: number | null; lossY: number };
        if (osm) {
          res = trainOsmStep(ctx, cfg, n, cur, next, adam, (stage, i, loss) => {
            done++;
            if (loss !== null && stage === 'Z') lz = loss;
            else if (loss !== null) ly = loss;
            report({ phase: 'train', step, n, t, stage, iteration: i + 1, iterations, lossZ: lz, lossY: ly }, false);
          });
        } else {
          const r = trainRdbdpStep(ctx, cfg, n, cur, next, adam, (i, loss) => {
            done++;
            if (loss !== null) ly = loss;
            report({ phase: 'train', step, n, t, stage: 'joint', iteration: i + 1, iterations, lossZ: null, lossY: ly }, false);
          });
          res = { lossZ: null, lossY: r.loss };
        }
        const wc = cur.c.read();
        const wz = cur.z.read();
        weights.set(wc, offsets[n - 1].c);
        weights.set(wz, offsets[n - 1].z);
        if (!next) next = { c: new FastMlp(shapes.c, wc), z: new FastMlp(shapes.z, wz) };
        else {
          next.c.write(wc);
          next.z.write(wz);
        }
        history.push({ n, t, lossZ: res.lossZ, lossY: res.lossY, iterations, ms: performance.now() - stepStart });
        peak = Math.max(peak, tf.memory().numBytes);
        resumable?.onStepDone?.({
          kind: 'bsde-steps',
          scheme: cfg.scheme,
          n,
          steps: N,
          weights: weights.slice(offsets[n - 1].c),
          rng: rngState(rng),
          history: [...history],
          done,
          trainMs: (saved?.trainMs ?? 0) + performance.now() - trainStart,
          peakTensorBytes: peak,
        } satisfies BsdeStepState);
        report({ phase: 'train', step, n, t, stage: osm ? 'Y' : 'joint', iteration: iterations, iterations, lossZ: res.lossZ, lossY: res.lossY }, true);
      }
    }
    const trainMs = (saved?.trainMs ?? 0) + performance.now() - trainStart;
    const t0Start = performance.now();
    let unitsDone = 0;
    const t0 = solveT0(ctx, cfg.scheme, cfg.samplesT0, next, (rows) => {
      const u = Math.floor((rows / cfg.samplesT0) * t0Units);
      done += u - unitsDone;
      unitsDone = u;
      report({ phase: 't0', step: N, n: 0, t: 0, stage: 't0', iteration: rows, iterations: cfg.samplesT0, lossZ: null, lossY: null }, false);
    });
    const t0Ms = performance.now() - t0Start;
    history.push({ n: 0, t: 0, lossZ: t0.lossZ, lossY: t0.lossY, iterations: t0.samples, ms: t0Ms });

    // RDBDP's t = 0 Gamma: automatic differentiation of Zhat_1 at X_0 (Zhat_0 is a constant).
    let hessX: number[] | null = null;
    const solution: StoredSolution = {
      format: 'bsde-solution/1',
      scheme: cfg.scheme,
      d,
      J,
      steps: N,
      horizon: grid.horizon,
      dt: grid.dt,
      shapes,
      offsets,
      scales: { shiftC: [...scales.shiftC], sC: [...scales.sC], shiftZ: [...scales.shiftZ], sZ: [...scales.sZ], sG: [...scales.sG] },
      market: {
        rate: market.rate,
        s0: [...market.s0],
        x0: [...market.x0],
        b: [...market.b],
        sigma: [...market.sigma],
        sig: [...market.sig],
        sigInv: [...market.sigInv],
        theta: [...market.theta],
      },
      smooth: [...smooth],
      options: book.options.map((o, j) => ({
        payoff: o.payoff,
        assets: [...options[j].assets],
        strike: o.strike,
        strike2: o.strike2,
        quantity: o.quantity,
        maturityIndex: grid.maturityIndex[j],
        exercise: [...grid.exercise[j].keys()].filter((i) => grid.exercise[j][i] === 1),
      })),
      t0: { price: [...t0.price], z: [...t0.z], dz: t0.dz ? [...t0.dz] : null, hessX: null },
    };
    if (!osm && N > 1) {
      const at1 = evaluateSolution(solution, weights, 1, [...market.s0]);
      hessX = [];
      for (let j = 0; j < J; j++) {
        const g = at1.options[j].gamma!;
        // back to log coordinates at S_0 with the t = 0 gradient: H = S S Gamma + diag(S Delta_1); the
        // diagonal gradient term is taken from Zhat_1's own Delta so that only the autodiff part is kept.
        const delta1 = at1.options[j].delta;
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) hessX.push(market.s0[a] * market.s0[b] * g[a][b] + (a === b ? market.s0[a] * delta1[a] : 0));
      }
      solution.t0.hessX = hessX;
    }
    const at0 = evaluateSolution(solution, weights, 0, [...market.s0]);
    const results: OptionSolveResult[] = book.options.map((o, j) => {
      const ref = optionReference(book, j);
      const got = at0.options[j];
      return {
        label: optionLabel(o, j),
        payoff: o.payoff,
        quantity: o.quantity,
        price: got.price,
        delta: got.delta,
        gamma: got.gamma,
        priceStdErr: t0.priceStdErr[j],
        reference: ref,
        errors: ref ? greekErrors(got, ref) : null,
      };
    });
    const bookG = bookTotal(solution, at0.options);
    const allRefs = results.every((r) => r.reference);
    const bookRef = allRefs
      ? { method: results.some((r) => r.reference!.method === 'lattice') ? ('lattice' as const) : ('closed form' as const), ...bookTotal(solution, results.map((r) => r.reference!)) }
      : null;
    const priceStdErr = Math.sqrt(results.reduce((s, r) => s + (r.quantity * r.priceStdErr) ** 2, 0));
    const est = priceErrorEstimates(results, { price: bookG.price, reference: bookRef });
    results.forEach((r, j) => (r.priceError = est.options[j]));
    const metrics: BsdeMetrics = {
      scheme: cfg.scheme,
      d,
      J,
      steps: N,
      horizon: grid.horizon,
      dt: grid.dt,
      assets: book.assets.map((a) => a.name),
      options: results,
      book: {
        ...bookG,
        priceStdErr,
        priceError: est.book,
        reference: bookRef ? { ...bookRef, gamma: bookRef.gamma! } : null,
        errors: bookRef ? greekErrors(bookG, { ...bookRef, gamma: bookRef.gamma! }) : null,
      },
      losses: history,
      t0: { samples: t0.samples, lossZ: t0.lossZ, lossY: t0.lossY, ms: t0Ms },
      timing: { trainMs, t0Ms, totalMs: performance.now() - t0All, iterations: trainIters },
      peakTensorBytes: peak,
      solution,
    };
    done = total;
    hooks?.onProgress?.(done, total, { phase: 'done', step: N, steps: N, n: 0, t: 0, stage: 't0', iteration: 0, iterations: 0, lossZ: t0.lossZ, lossY: t0.lossY, history } satisfies BsdeProgress);
    return { metrics, weights };
  } finally {
    cur?.c.dispose();
    cur?.z.dispose();
    next?.c.dispose();
    next?.z.dispose();
  }
}
