import { type MessagePort } from 'node:worker_threads';
import { type EvaluatedPaths, LocalHost, type ShardHost } from './pool';
import { type ShardSpec } from './shard';

/**
 * Shards in another thread: the two ends of a MessagePort protocol. `serveShards` runs in the worker (after
 * its tfjs backend is ready) and answers requests with a LocalHost; `PortHost` is the ShardHost the
 * coordinating thread uses. Arrays are copied into fresh buffers and transferred (a view into a larger
 * buffer would otherwise clone the whole buffer).
 */
type Op = 'setBatch' | 'forward' | 'backward' | 'inner' | 'release' | 'evaluate' | 'close';
interface Request {
  id: number;
  op: Op;
  args: unknown[];
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

const own = (a: Float64Array): Float64Array => a.slice();

/** Transferable buffers inside a (shallow) result. */
function buffersOf(x: unknown): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (v instanceof Float64Array || v instanceof Float32Array) out.push(v.buffer as ArrayBuffer);
    else if (depth < 3 && v && typeof v === 'object') for (const w of Object.values(v as Record<string, unknown>)) visit(w, depth + 1);
  };
  visit(x, 0);
  return [...new Set(out)];
}

/** Serve shard requests on `port` until 'close'. Resolves when closed. */
export function serveShards(port: MessagePort, spec: ShardSpec, owns: number[]): Promise<void> {
  const host = new LocalHost(spec, owns);
  return new Promise((resolve) => {
    port.on('message', (req: Request) => {
      void (async () => {
        try {
          const h = host as unknown as Record<Op, (...a: unknown[]) => Promise<unknown>>;
          const result = await h[req.op](...req.args);
          port.postMessage({ id: req.id, ok: true, result } satisfies Reply, buffersOf(result));
          if (req.op === 'close') {
            port.close();
            resolve();
          }
        } catch (e) {
          port.postMessage({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies Reply);
        }
      })();
    });
  });
}

/** The coordinator's side: a ShardHost whose shards live behind `port`. */
export class PortHost implements ShardHost {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failed: Error | null = null;

  constructor(
    private readonly port: MessagePort,
    readonly owns: number[],
    private readonly onClose?: () => void,
  ) {
    port.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.result);
      else p.reject(new Error(`shard worker: ${r.error}`));
    });
  }

  /** Fail every pending and future request (the worker died). */
  fail(e: Error): void {
    this.failed = e;
    this.pending.forEach((p) => p.reject(e));
    this.pending.clear();
  }

  private call<T>(op: Op, args: unknown[], transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ id, op, args } satisfies Request, transfer);
    });
  }

  setBatch(parts: Array<{ shard: number; prices: Float64Array; paths: number }>) {
    const copies = parts.map((p) => ({ ...p, prices: own(p.prices) }));
    return this.call<void>('setBatch', [copies], copies.map((c) => c.prices.buffer as ArrayBuffer));
  }
  forward(params: Float64Array) {
    return this.call<Awaited<ReturnType<ShardHost['forward']>>>('forward', [own(params)]);
  }
  backward(u: Float64Array[]) {
    const copies = u.map(own);
    return this.call<Float64Array[]>('backward', [copies], copies.map((c) => c.buffer as ArrayBuffer));
  }
  inner(delta: Float64Array) {
    return this.call<Array<{ objective: number; grad: Float64Array }>>('inner', [own(delta)]);
  }
  release() {
    return this.call<void>('release', []);
  }
  evaluate(params: Float64Array, parts: Array<{ prices: Float64Array; paths: number }>, costRate: number) {
    const copies = parts.map((p) => ({ prices: own(p.prices), paths: p.paths }));
    return this.call<EvaluatedPaths[]>('evaluate', [own(params), copies, costRate], copies.map((c) => c.prices.buffer as ArrayBuffer));
  }
  async close(): Promise<void> {
    try {
      if (!this.failed) await this.call<void>('close', []);
    } finally {
      this.onClose?.();
    }
  }
}
