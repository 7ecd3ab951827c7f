import * as tf from '@tensorflow/tfjs';
import { CancelledError } from '../cancel';
import { type Pool } from '../bsde/trainer';

/**
 * The training loop of one stage (Adam steps on mini-batches cut from pools of fresh samples, learning rate
 * decaying exponentially from lr0 to lr1), as bsde/trainer.ts `runStage`, but asynchronous: every
 * `yieldEvery` iterations it gives the event loop a turn, so an AbortSignal set by a job runner (a cancel
 * button) is seen within a fraction of a second, and then throws CancelledError.
 */
export interface AsyncStageOptions {
  iterations: number;
  batch: number;
  lr0: number;
  lr1: number;
  makePool(): Pool;
  step(batch: Record<string, tf.Tensor2D>, lr: number, wantLoss: boolean): number | null;
  tick(iteration: number, lastLoss: number | null): void;
  signal?: AbortSignal;
  yieldEvery?: number;
}

const LOSS_EVERY = 10;

/** Yield to the event loop, then throw CancelledError if the signal was aborted. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new CancelledError();
}

/** Run a stage; returns the mean loss over its last quarter and the last loss read. */
export async function runStageAsync(o: AsyncStageOptions): Promise<{ loss: number; last: number }> {
  let pool: Pool | null = null;
  let offset = 0;
  const tail: number[] = [];
  let last = NaN;
  const tailFrom = Math.floor(0.75 * o.iterations);
  const every = o.yieldEvery ?? 50;
  for (let i = 0; i < o.iterations; i++) {
    if (i % every === 0) await checkpoint(o.signal);
    if (!pool || offset + o.batch > pool.rows) {
      pool = o.makePool();
      offset = 0;
    }
    const frac = o.iterations > 1 ? i / (o.iterations - 1) : 1;
    const lr = o.lr0 * Math.pow(o.lr1 / o.lr0, frac);
    const batch: Record<string, tf.Tensor2D> = {};
    for (const [name, arr] of Object.entries(pool.data)) {
      const cols = pool.cols[name];
      batch[name] = tf.tensor2d(arr.subarray(offset * cols, (offset + o.batch) * cols), [o.batch, cols]);
    }
    offset += o.batch;
    const want = i % LOSS_EVERY === 0 || i === o.iterations - 1;
    const loss = o.step(batch, lr, want);
    Object.values(batch).forEach((t) => t.dispose());
    if (loss !== null) {
      last = loss;
      if (i >= tailFrom) tail.push(loss);
    }
    o.tick(i, loss);
  }
  return { loss: tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : last, last };
}
