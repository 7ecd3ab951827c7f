import {
  type BandArrays,
  bandBackward,
  bandPositions,
  linearBackward,
  linearPositions,
  pathPnl,
  smoothedPnl,
} from './band';
import { meanAbsPositions } from './accounting';
import { type HedgeTask, type PathBatch, buildBatch } from './datasets';
import { type MlpLayout } from './network';
import { GradAccumulator } from './gradAccumulator';
import { type ChunkCache, DEFAULT_CHUNK_ROWS, RowsPass, TfMlp, disposeChunk } from './tfMlp';

/**
 * One shard of a training batch or test set: a contiguous range of paths, hedged by one of the network
 * hedgers. A run always splits its batch into the same number of shards (see trainer.ts), whether they run
 * one after the other in one thread or side by side in two workers, so results do not depend on how many
 * cores there were. Everything here is synchronous and runs in the thread that owns the tfjs backend.
 *
 * Models (deep-hedging spec, "Hedgers"):
 * - 'ntb' and 'dhlnn': widths f(x_i) from a 2-output network evaluated on ALL rows of the shard in one
 *   batched pass (time-major rows, chunked), then the band clamp step by step (band.ts).
 * - 'mlp' (DHMLP): delta_i = MLP(x_i, delta_{i-1}), one forward per date (all paths of the shard at once),
 *   backpropagation through time in reverse date order.
 *
 * Training protocol per epoch: `setBatch` (paths of this shard) -> `forward(params)` (PnL of every path;
 * activations cached) -> the coordinator computes the criterion rho on ALL shards' PnL and its per-path
 * weights u_k = d rho / d V_k (src-shared/hedging/criteria.ts) -> `backward(u)` with this shard's weights,
 * which returns this shard's sum of u_k dV_k/dw. DHLNN then calls `inner(delta)` per inner iteration (the
 * frozen linearisation at w^r with the same weights u, see dhlnn.ts) and finally `release()`.
 */
export type NetModel = 'mlp' | 'ntb' | 'dhlnn';

export interface ShardSpec {
  model: NetModel;
  task: HedgeTask;
  layout: MlpLayout;
  chunkRows?: number;
}

interface BandState {
  kind: 'band';
  pass: RowsPass;
  f: Float32Array;
  band: BandArrays;
  pnl: Float64Array;
  /** DHLNN after backward: the criterion's weights u_k = d rho / d V_k at w^r, and the smoothed PnL at w^r. */
  u?: Float64Array;
  vhat0?: Float64Array;
}

interface MlpState {
  kind: 'mlp';
  net: TfMlp;
  caches: ChunkCache[];
  positions: Float64Array;
  pnl: Float64Array;
}

/** The result of a forward pass over the shard's training paths. */
export interface ForwardResult {
  /** PnL of each of the shard's paths (money). */
  pnl: Float64Array;
  /** Sum of PnL (money), for reporting. */
  pnlSum: number;
}

export class HedgeShard {
  private batch: PathBatch | null = null;
  private state: BandState | MlpState | null = null;
  readonly chunkRows: number;

  constructor(readonly spec: ShardSpec) {
    this.chunkRows = spec.chunkRows ?? DEFAULT_CHUNK_ROWS;
  }

  /** Take this shard's training paths (path-major prices `paths x (steps + 1)`). */
  setBatch(prices: Float64Array, paths: number): void {
    this.release();
    this.batch = buildBatch(this.spec.task, prices, paths);
  }

  private need(): PathBatch {
    if (!this.batch) throw new Error('shard has no batch (setBatch first)');
    return this.batch;
  }

  /** Forward pass at `params`: positions and PnL per path (a copy is returned; the shard keeps its own). */
  forward(params: Float64Array): ForwardResult {
    this.release();
    const b = this.need();
    const { task, layout, model } = this.spec;
    const pnl = new Float64Array(b.paths);
    if (model === 'mlp') {
      const net = new TfMlp(layout, params);
      const { positions, caches } = mlpForward(net, b, true);
      pathPnl(b.prices, positions, b.payoff, b.paths, b.steps, task.cost, pnl);
      this.state = { kind: 'mlp', net, caches, positions, pnl };
    } else {
      const pass = new RowsPass(layout, params, this.chunkRows);
      const f = pass.forward(b.features, b.paths * b.steps, true);
      const band: BandArrays = { positions: new Float64Array(b.paths * b.steps), states: new Uint8Array(b.paths * b.steps) };
      bandPositions(f, b.anchor, b.paths, b.steps, band);
      pathPnl(b.prices, band.positions, b.payoff, b.paths, b.steps, task.cost, pnl);
      this.state = { kind: 'band', pass, f, band, pnl };
    }
    let pnlSum = 0;
    for (let k = 0; k < pnl.length; k++) pnlSum += pnl[k];
    return { pnl: Float64Array.from(pnl), pnlSum };
  }

  /**
   * This shard's part of d rho / d w at the forward point, rho the training criterion of ALL shards' paths:
   * sum over its paths of u_k dV_k/dw. Releases the caches unless the model is DHLNN (whose inner loop
   * reuses them; call `release()` after it).
   * @param u d rho / d V_k for this shard's paths, in path order (length = the shard's paths).
   */
  backward(u: Float64Array): Float64Array {
    const s = this.state;
    const b = this.need();
    if (!s) throw new Error('backward before forward');
    if (u.length !== b.paths) throw new Error(`backward needs ${b.paths} path weights, got ${u.length}`);
    let grad: Float64Array;
    if (s.kind === 'mlp') {
      grad = mlpBackward(s.net, b, s.caches, s.positions, u, this.spec.task.cost);
    } else {
      const g = new Float32Array(s.f.length);
      bandBackward(s.f, b.prices, s.band, u, b.paths, b.steps, this.spec.task.cost, g);
      grad = s.pass.vjp(g, this.spec.model === 'dhlnn' ? 'linear' : 'free');
      if (this.spec.model === 'dhlnn') {
        s.u = u;
        s.vhat0 = new Float64Array(b.paths);
        smoothedPnl(b.prices, s.band.positions, b.payoff, b.paths, b.steps, this.spec.task.cost, s.vhat0);
      }
    }
    if (this.spec.model !== 'dhlnn') this.release();
    return grad;
  }

  /**
   * DHLNN inner iteration at w = w^r + delta on the linearised, smoothed objective (spec "DHLNN"):
   * fhat = f(w^r) + J delta (one JVP), positions through the frozen active set, smoothed PnL Vhat (eq. 13),
   * objective part sum_k u_k (Vhat_k(w) - Vhat_k(w^r)) with the criterion's weights u_k of the outer step, and its gradient
   * J^T (dObjective/dfhat) (one VJP). Where our wasm kernels run, J delta and J^T g are not the forward-mode and
   * reverse-mode chains the spec describes but the same products through the output sensitivities kept at w^r
   * (TfMlp.linearise: one matrix product per layer instead of two; equal in exact arithmetic, tested to 1e-5 in
   * float32). No per-row Jacobian is formed: the sensitivities are outputs x hidden units per row.
   * @returns this shard's objective part (money) and gradient part.
   */
  inner(delta: Float64Array): { objective: number; grad: Float64Array } {
    const s = this.state;
    const b = this.need();
    if (!s || s.kind !== 'band' || !s.u || !s.vhat0) throw new Error('inner iteration before a DHLNN backward');
    const df = s.pass.jvp(delta);
    const pos = new Float64Array(b.paths * b.steps);
    linearPositions(s.f, df, b.anchor, s.band.states, b.paths, b.steps, pos);
    const vhat = new Float64Array(b.paths);
    smoothedPnl(b.prices, pos, b.payoff, b.paths, b.steps, this.spec.task.cost, vhat);
    let objective = 0;
    for (let k = 0; k < b.paths; k++) objective += s.u[k] * (vhat[k] - s.vhat0[k]);
    const g = new Float32Array(s.f.length);
    linearBackward(s.f, b.prices, pos, s.band.states, s.u, b.paths, b.steps, this.spec.task.cost, g);
    return { objective, grad: s.pass.vjp(g) };
  }

  /** Free the cached activations (tensors) of the last forward pass. */
  release(): void {
    const s = this.state;
    if (!s) return;
    if (s.kind === 'band') s.pass.dispose();
    else {
      s.caches.forEach(disposeChunk);
      s.net.dispose();
    }
    this.state = null;
  }

  /**
   * Hedge `paths` given paths with the network at `params` (no caches kept) and report PnL and cost per path.
   * @param prices path-major `paths x (steps + 1)` (any volatility: the hedger keeps its own sigma).
   * @param costRate the cost rate to charge (evaluation may use another than training).
   */
  evaluate(params: Float64Array, prices: Float64Array, paths: number, costRate: number): { pnl: Float64Array; cost: Float64Array; positions: Float64Array; absPos: Float64Array } {
    const b = buildBatch(this.spec.task, prices, paths);
    const { layout, model } = this.spec;
    const pnl = new Float64Array(paths);
    const cost = new Float64Array(paths);
    let positions: Float64Array;
    if (model === 'mlp') {
      const net = new TfMlp(layout, params);
      try {
        positions = mlpForward(net, b, false).positions;
      } finally {
        net.dispose();
      }
    } else {
      const pass = new RowsPass(layout, params, this.chunkRows);
      let f: Float32Array;
      try {
        f = pass.forward(b.features, paths * b.steps, false);
      } finally {
        pass.dispose();
      }
      positions = new Float64Array(paths * b.steps);
      bandPositions(f, b.anchor, paths, b.steps, { positions, states: new Uint8Array(paths * b.steps) });
    }
    pathPnl(b.prices, positions, b.payoff, paths, b.steps, costRate, pnl, cost);
    return { pnl, cost, positions, absPos: meanAbsPositions(positions, paths, b.steps) };
  }
}

/**
 * DHMLP forward through time: at date i the network gets [x_i, delta_{i-1}] for every path (delta_{-1} = 0)
 * and outputs delta_i. Returns path-major positions and, with `keep`, one activation cache per date.
 */
export function mlpForward(net: TfMlp, b: PathBatch, keep: boolean): { positions: Float64Array; caches: ChunkCache[] } {
  const { paths, steps, nFeatures: nf } = b;
  const width = nf + 1;
  const positions = new Float64Array(paths * steps);
  const caches: ChunkCache[] = [];
  const x = new Float32Array(paths * width);
  const prev = new Float32Array(paths);
  for (let i = 0; i < steps; i++) {
    const src = i * paths * nf;
    for (let k = 0; k < paths; k++) {
      const o = k * width;
      for (let j = 0; j < nf; j++) x[o + j] = b.features[src + k * nf + j];
      x[o + nf] = prev[k];
    }
    const { out, cache } = net.forwardChunk(x, paths, keep);
    if (cache) caches.push(cache);
    for (let k = 0; k < paths; k++) {
      prev[k] = out[k];
      positions[k * steps + i] = out[k];
    }
  }
  return { positions, caches };
}

/**
 * DHMLP backpropagation through time of L = sum_k u_k V_k: for i = n-1 .. 0 the adjoint of delta_i is
 * u_k dV/d delta_i (direct, as in bandBackward) plus the carry from date i + 1 (the input gradient of its
 * previous-position column); one VJP per date.
 */
export function mlpBackward(net: TfMlp, b: PathBatch, caches: ChunkCache[], positions: Float64Array, u: Float64Array, costRate: number): Float64Array {
  const { paths, steps, nFeatures: nf } = b;
  const width = nf + 1;
  const row = steps + 1;
  const acc = new GradAccumulator(net.slots);
  const carry = new Float64Array(paths);
  const g = new Float32Array(paths);
  const sgn = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
  try {
    for (let i = steps - 1; i >= 0; i--) {
      for (let k = 0; k < paths; k++) {
        const pk = k * steps;
        const base = k * row;
        const d = positions[pk + i];
        const prevD = i > 0 ? positions[pk + i - 1] : 0;
        const pi = b.prices[base + i];
        const pNext = b.prices[base + i + 1];
        let dv = pNext - pi - costRate * pi * sgn(d - prevD);
        if (i < steps - 1) dv += costRate * pNext * sgn(positions[pk + i + 1] - d);
        g[k] = u[k] * dv + carry[k];
      }
      const dx = net.vjpChunk(caches[i], g, acc, i > 0);
      disposeChunk(caches[i]); // last use: frees the activations and the backend's packed copies of them
      if (dx) for (let k = 0; k < paths; k++) carry[k] = dx[k * width + nf];
    }
    return acc.read();
  } finally {
    acc.dispose();
  }
}
