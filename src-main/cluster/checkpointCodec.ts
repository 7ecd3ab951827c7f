import { deserialize, serialize } from 'node:v8';

/**
 * A runner's checkpoint state (CheckpointChannel, types.ts) as bytes for Redis, and back. The states are
 * structured-cloneable — plain objects, numbers, strings and typed arrays (float64 weights, Adam moments and
 * PnLs of a hedging run, float32 networks of a BSDE solve) — which JSON would turn into index-keyed objects
 * and silently lose float precision in. Node's v8 serializer is the structured clone algorithm's own wire
 * format, so decode(encode(s)) is exactly the state the worker thread posted (typed arrays stay typed, bit for
 * bit). Store the Buffer as a binary Redis value; where only strings fit (a JSON job field), use base64.
 */
export function encodeCheckpoint(state: unknown): Buffer {
  return serialize(state);
}

/** The state of `encodeCheckpoint` bytes (or their base64 text). */
export function decodeCheckpoint(data: Buffer | Uint8Array | string): unknown {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'base64') : data;
  try {
    return deserialize(bytes);
  } catch (e) {
    throw new Error(`a stored checkpoint could not be read (${e instanceof Error ? e.message : String(e)}); cancel the run and start it again`, { cause: e });
  }
}
