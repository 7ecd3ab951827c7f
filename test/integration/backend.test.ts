import { describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src-main/engine/tensor/backend';
import { probeBackend } from '../../src-main/jobs/manager';
import { SOURCE_WORKER } from '../helpers/paths';

describe('tfjs backend choice', () => {
  it('picks the best backend that loads, says why better ones were skipped, and it computes', async () => {
    const choice = await chooseBackend();
    expect(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']).toContain(choice.name);
    const order = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];
    // One note for every better backend that was not used.
    expect(choice.notes).toHaveLength(order.indexOf(choice.name));
    const tf = await import('@tensorflow/tfjs');
    const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
    expect(Array.from(await y.data())).toEqual([17, 39]);
  }, 60_000);

  it('is probed in a worker, off the main thread', async () => {
    const [inWorker, here] = await Promise.all([probeBackend(SOURCE_WORKER), chooseBackend()]);
    expect(inWorker.backend).toBe(here.name);
    expect(inWorker.notes).toEqual(here.notes);
  }, 60_000);
});
