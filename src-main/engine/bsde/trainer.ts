import * as tf from '@tensorflow/tfjs';

/**
 * The inner loop shared by every training stage: `iterations` Adam steps on mini-batches cut from pools of
 * fresh samples (a pool is many batches drawn and given their targets at once, so the frozen networks of
 * step n+1 run on large, efficient blocks), with the learning rate decaying exponentially from `lr0` to
 * `lr1` over the stage. Each sample is used once.
 */
export interface Pool {
  rows: number;
  /** Named row-major blocks, each `rows x cols[name]` (float32, host memory). */
  data: Record<string, Float32Array>;
  cols: Record<string, number>;
}

export interface StageOptions {
  iterations: number;
  batch: number;
  lr0: number;
  lr1: number;
  makePool(): Pool;
  /**
   * One Adam step on a batch (host views into the pool by name, each batch x cols, row-major); returns the
   * loss when `wantLoss`.
   */
  step(batch: Record<string, Float32Array>, lr: number, wantLoss: boolean): number | null;
  /** Called after every iteration (progress, cancellation). */
  tick(iteration: number, lastLoss: number | null): void;
}

/** How often the loss is read back (a sync point on GPU backends). */
const LOSS_EVERY = 10;

/** Run a stage; returns the mean of the losses sampled over its last quarter (and the last one). */
export function runStage(o: StageOptions): { loss: number; last: number } {
  let pool: Pool | null = null;
  let offset = 0;
  const tail: number[] = [];
  let last = NaN;
  const tailFrom = Math.floor(0.75 * o.iterations);
  for (let i = 0; i < o.iterations; i++) {
    if (!pool || offset + o.batch > pool.rows) {
      pool = o.makePool();
      offset = 0;
      if (pool.rows < o.batch) throw new Error(`pool of ${pool.rows} rows is smaller than a batch of ${o.batch}`);
    }
    const frac = o.iterations > 1 ? i / (o.iterations - 1) : 1;
    const lr = o.lr0 * Math.pow(o.lr1 / o.lr0, frac);
    const batch: Record<string, Float32Array> = {};
    for (const [name, arr] of Object.entries(pool.data)) {
      const c = pool.cols[name];
      batch[name] = arr.subarray(offset * c, (offset + o.batch) * c);
    }
    offset += o.batch;
    const want = i % LOSS_EVERY === 0 || i === o.iterations - 1;
    const loss = o.step(batch, lr, want);
    if (loss !== null) {
      last = loss;
      if (i >= tailFrom) tail.push(loss);
    }
    o.tick(i, loss);
  }
  const mean = tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : last;
  return { loss: mean, last };
}

/** Download a [rows x cols] tensor into a Float32Array and dispose it. */
export function take(t: tf.Tensor): Float32Array {
  const a = t.dataSync() as Float32Array;
  t.dispose();
  return a;
}
