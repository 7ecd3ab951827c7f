import { pricesOf, splitRanges } from './datasets';
import { type ForwardResult, HedgeShard, type ShardSpec } from './shard';

/**
 * The shards of a run and where they execute. A run always has `SHARDS` logical shards (contiguous path
 * ranges of each batch) whose partial results are combined in shard order, so the numbers are the same
 * whether the shards run one after the other in this thread (`LocalHost`) or side by side in worker
 * threads (a `ShardHost` talking to a worker, see shardWorker.ts): the split only changes the wall time.
 */
export const SHARDS = 2;

/** PnL, cost (money) and mean |position| (asset units) of each hedged path. */
export interface EvaluatedPaths {
  pnl: Float64Array;
  cost: Float64Array;
  absPos: Float64Array;
}

/** Executes some shards; async so that a host may live in another thread. */
export interface ShardHost {
  /** Indices of the logical shards this host owns. */
  readonly owns: number[];
  setBatch(parts: Array<{ shard: number; prices: Float64Array; paths: number }>): Promise<void>;
  forward(params: Float64Array): Promise<ForwardResult[]>;
  /** `u[j]`: d rho / d V of the paths of shard `owns[j]`. */
  backward(u: Float64Array[]): Promise<Float64Array[]>;
  inner(delta: Float64Array): Promise<Array<{ objective: number; grad: Float64Array }>>;
  release(): Promise<void>;
  evaluate(params: Float64Array, parts: Array<{ prices: Float64Array; paths: number }>, costRate: number): Promise<EvaluatedPaths[]>;
  close(): Promise<void>;
}

/** Shards run in this thread, one after the other. */
export class LocalHost implements ShardHost {
  private readonly shards: Map<number, HedgeShard>;
  private readonly evaluator: HedgeShard;

  constructor(spec: ShardSpec, readonly owns: number[]) {
    this.shards = new Map(owns.map((s) => [s, new HedgeShard(spec)]));
    this.evaluator = new HedgeShard(spec);
  }

  private each<T>(f: (s: HedgeShard) => T): T[] {
    return this.owns.map((i) => f(this.shards.get(i)!));
  }

  async setBatch(parts: Array<{ shard: number; prices: Float64Array; paths: number }>): Promise<void> {
    for (const p of parts) this.shards.get(p.shard)!.setBatch(p.prices, p.paths);
  }
  async forward(params: Float64Array): Promise<ForwardResult[]> {
    return this.each((s) => s.forward(params));
  }
  async backward(u: Float64Array[]): Promise<Float64Array[]> {
    return this.owns.map((i, j) => this.shards.get(i)!.backward(u[j]));
  }
  async inner(delta: Float64Array): Promise<Array<{ objective: number; grad: Float64Array }>> {
    return this.each((s) => s.inner(delta));
  }
  async release(): Promise<void> {
    this.each((s) => s.release());
  }
  async evaluate(params: Float64Array, parts: Array<{ prices: Float64Array; paths: number }>, costRate: number) {
    return parts.map((p) => {
      const r = this.evaluator.evaluate(params, p.prices, p.paths, costRate);
      return { pnl: r.pnl, cost: r.cost, absPos: r.absPos };
    });
  }
  async close(): Promise<void> {
    await this.release();
  }
}

/** A forward pass over the whole batch: PnL of every path in batch order (shards concatenated). */
export interface PoolForward {
  pnl: Float64Array;
  pnlSum: number;
}

/**
 * The logical shards spread over one or more hosts. Results are gathered by shard index and sums are
 * taken in that order (float64), independent of the hosts.
 */
export class ShardPool {
  readonly steps: number;
  /** Path ranges of the current batch's shards (set by setBatch). */
  private ranges: Array<[number, number]> = [];
  constructor(
    private readonly hosts: ShardHost[],
    steps: number,
  ) {
    this.steps = steps;
    const owned = hosts.flatMap((h) => h.owns).sort((a, b) => a - b);
    if (owned.length !== SHARDS || owned.some((s, i) => s !== i)) throw new Error(`hosts must own shards 0..${SHARDS - 1} exactly once`);
  }

  /** Number of threads computing (hosts). */
  get threads(): number {
    return this.hosts.length;
  }

  /**
   * Call `f` on every host, hosts in other threads FIRST: a LocalHost computes synchronously inside its call,
   * so a request to a worker posted after it would only start once this thread's share is done (the two
   * threads would take turns instead of working side by side).
   */
  private dispatch<T>(f: (h: ShardHost) => Promise<T>): Promise<T[]> {
    const started = new Array<Promise<T>>(this.hosts.length);
    this.hosts.forEach((h, i) => {
      if (!(h instanceof LocalHost)) started[i] = f(h);
    });
    this.hosts.forEach((h, i) => {
      if (h instanceof LocalHost) started[i] = f(h);
    });
    return Promise.all(started);
  }

  private async gather<T>(f: (h: ShardHost) => Promise<T[]>): Promise<T[]> {
    const res = await this.dispatch(f);
    const out = new Array<T>(SHARDS);
    this.hosts.forEach((h, i) => h.owns.forEach((s, j) => (out[s] = res[i][j])));
    return out;
  }

  /** Split a batch (path-major prices) into the shards' path ranges. */
  async setBatch(prices: Float64Array, paths: number): Promise<void> {
    const ranges = splitRanges(paths, SHARDS);
    this.ranges = ranges;
    await this.dispatch((h) =>
      h.setBatch(h.owns.map((s) => ({ shard: s, prices: pricesOf(prices, this.steps, ranges[s][0], ranges[s][1]), paths: ranges[s][1] - ranges[s][0] }))),
    );
  }

  async forward(params: Float64Array): Promise<PoolForward> {
    const res = await this.gather((h) => h.forward(params));
    const n = res.reduce((s, r) => s + r.pnl.length, 0);
    const pnl = new Float64Array(n);
    let o = 0;
    for (const r of res) {
      pnl.set(r.pnl, o);
      o += r.pnl.length;
    }
    return { pnl, pnlSum: res.reduce((s, r) => s + r.pnlSum, 0) };
  }

  /**
   * d rho / d w = sum_k u_k dV_k/dw, summed over shards in shard order.
   * @param u d rho / d V_k of every path of the batch, in batch order (criteria.ts `criterionWeights`).
   */
  async backward(u: Float64Array): Promise<Float64Array> {
    const part = (s: number): Float64Array => u.slice(this.ranges[s][0], this.ranges[s][1]);
    return sumInOrder(await this.gather((h) => h.backward(h.owns.map(part))));
  }

  async inner(delta: Float64Array): Promise<{ objective: number; grad: Float64Array }> {
    const res = await this.gather((h) => h.inner(delta));
    return { objective: res.reduce((s, r) => s + r.objective, 0), grad: sumInOrder(res.map((r) => r.grad)) };
  }

  async release(): Promise<void> {
    await this.dispatch((h) => h.release());
  }

  /**
   * PnL, cost and mean |position| of `paths` paths (path-major prices) hedged by the network at `params`, in pieces of at most
   * `chunkPaths` paths split over the shards. `onPiece(done)` after each piece (paths done so far).
   */
  async evaluate(
    params: Float64Array,
    prices: Float64Array,
    paths: number,
    costRate: number,
    opts: { chunkPaths?: number; onPiece?: (done: number) => void } = {},
  ): Promise<EvaluatedPaths> {
    const chunk = Math.max(SHARDS, opts.chunkPaths ?? 20_000);
    const pnl = new Float64Array(paths);
    const cost = new Float64Array(paths);
    const absPos = new Float64Array(paths);
    for (let start = 0; start < paths; start += chunk) {
      const m = Math.min(chunk, paths - start);
      const ranges = splitRanges(m, SHARDS).map(([a, b]) => [start + a, start + b] as const);
      const res = await this.gather((h) =>
        h.evaluate(params, h.owns.map((s) => ({ prices: pricesOf(prices, this.steps, ranges[s][0], ranges[s][1]), paths: ranges[s][1] - ranges[s][0] })), costRate),
      );
      res.forEach((r, s) => {
        pnl.set(r.pnl, ranges[s][0]);
        cost.set(r.cost, ranges[s][0]);
        absPos.set(r.absPos, ranges[s][0]);
      });
      opts.onPiece?.(start + m);
    }
    return { pnl, cost, absPos };
  }

  async close(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.close()));
  }
}

/** Elementwise sum of equally long vectors, in array order (float64). */
export function sumInOrder(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts[0].length);
  for (const p of parts) for (let j = 0; j < out.length; j++) out[j] += p[j];
  return out;
}

/** A pool with every shard in this thread. */
export function localPool(spec: ShardSpec): ShardPool {
  return new ShardPool([new LocalHost(spec, Array.from({ length: SHARDS }, (_, i) => i))], spec.task.steps);
}
