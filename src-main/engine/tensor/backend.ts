/**
 * Choose the tfjs compute backend at run time, in order of preference: tfjs-node-gpu (CUDA), tfjs-node
 * (native TensorFlow, CPU), wasm (SIMD), cpu (plain JavaScript). The first two are optional dependencies
 * because their install downloads a native binary; where that failed they are simply absent.
 */
export type TensorBackend = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

export interface BackendChoice {
  name: TensorBackend;
  /** One line per better backend that could not be used, saying why. */
  notes: string[];
}

const load = (name: string): Promise<unknown> => import(/* @vite-ignore */ name);
const reason = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0] : String(e));

export async function chooseBackend(): Promise<BackendChoice> {
  const notes: string[] = [];
  const tf = (await load('@tensorflow/tfjs')) as typeof import('@tensorflow/tfjs');
  for (const [pkg, name] of [
    ['@tensorflow/tfjs-node-gpu', 'tfjs-node-gpu'],
    ['@tensorflow/tfjs-node', 'tfjs-node'],
  ] as const) {
    try {
      await load(pkg);
      if ((await tf.setBackend('tensorflow')) && (await tf.ready(), tf.getBackend() === 'tensorflow')) return { name, notes };
      notes.push(`${name}: loaded but the 'tensorflow' backend did not initialise`);
    } catch (e) {
      notes.push(`${name}: not available (${reason(e)})`);
    }
  }
  try {
    await load('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { name: 'wasm', notes };
    }
    notes.push('wasm: backend registered but failed to initialise');
  } catch (e) {
    notes.push(`wasm: not available (${reason(e)})`);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { name: 'cpu', notes };
}
