import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { FastMlp, type HostAdam, flops } from './fastMlp';
import { type MlpShape, paramCount } from './mlpLayout';
import { type RefitHelper, type RefitSpec, refitProducts } from './refit';
import { LossWorkspace, type ShardLoss, shardGradients } from './shardLoss';

/**
 * Every Adam step of the solvers on TWO shards of its mini-batch: rows [0, h) and [h, B) with h = ceil(B / 2).
 * Each shard's gradient is computed by shardLoss.ts (forward pass, loss, reverse pass), and the batch's
 * gradient is g = g_0 + g_1, summed in float32 in that order; the loss is l_0 + l_1. The split is always
 * made, with or without a second thread, so a solve's numbers do not depend on how many threads ran it
 * (the default depends on the load average at the start): with a {@link ShardHelper} shard 1 runs in
 * the helper thread while this thread computes shard 0, without one both run here, one after the other.
 * Adam, the pools of samples and the t = 0 step stay in the solve's thread; the output-layer refits give the
 * helper every other block of rows (refit.ts accumulateRefit), again with the same sums in the same order.
 *
 * The helper thread is driven synchronously (the solve is a synchronous loop): a SharedArrayBuffer holds
 * the parameters, shard 1's rows and its gradients, and Atomics.wait / notify on a control word hand the
 * step back and forth (about 10-20 us per exchange, against 1-3 ms per Adam step). Rarely sent set-ups
 * (a new stage: loss, network shapes, buffers) go over a MessagePort, read with receiveMessageOnPort.
 */
export class SplitStep {
  private readonly ws = new LossWorkspace();
  private readonly g0: Float32Array[];
  private readonly g1: Float32Array[];
  private readonly h: number;

  /**
   * @param cols columns of each named data array (row-major, `batch` rows per step)
   * @param helper the thread computing shard 1, or null (both shards here)
   */
  constructor(
    private readonly loss: ShardLoss,
    private readonly nets: FastMlp[],
    private readonly adams: HostAdam[],
    private readonly cols: Record<string, number>,
    private readonly batch: number,
    private readonly helper: ShardHelper | null,
  ) {
    this.h = Math.ceil(batch / 2);
    this.g0 = nets.map((n) => new Float32Array(n.size));
    this.g1 = helper ? [] : nets.map((n) => new Float32Array(n.size));
    helper?.setup({ loss, shapes: nets.map((n) => n.shape), cols, rows: batch - this.h, batch });
  }

  /** One Adam step on `data` (`batch` rows per name) at learning rate `lr`; the batch's mean loss when `wantLoss`. */
  run(data: Record<string, Float32Array>, lr: number, wantLoss: boolean): number | null {
    const { h, batch, nets } = this;
    const part = (from: number, to: number): Record<string, Float32Array> => {
      const out: Record<string, Float32Array> = {};
      for (const [k, a] of Object.entries(data)) out[k] = a.subarray(from * this.cols[k], to * this.cols[k]);
      return out;
    };
    let loss: number;
    let g1: Float32Array[];
    if (this.helper) {
      this.helper.start(nets.map((n) => n.params), part(h, batch));
      const l0 = shardGradients(this.loss, nets, part(0, h), h, batch, this.g0, this.ws);
      const r = this.helper.finish();
      loss = l0 + r.loss;
      g1 = r.grads;
    } else {
      const l0 = shardGradients(this.loss, nets, part(0, h), h, batch, this.g0, this.ws);
      const l1 = shardGradients(this.loss, nets, part(h, batch), batch - h, batch, this.g1, this.ws);
      loss = l0 + l1;
      g1 = this.g1;
    }
    nets.forEach((net, i) => {
      const g = this.g0[i];
      const b = g1[i];
      for (let k = 0; k < g.length; k++) g[k] += b[k];
      this.adams[i].step(net.params, g, lr);
      net.changed();
    });
    return wantLoss ? loss / batch : null;
  }
}

/** What shard 1 of a stage needs: its loss, the networks' shapes, the data columns, its rows and the batch size. */
export interface ShardSetup {
  loss: ShardLoss;
  shapes: MlpShape[];
  cols: Record<string, number>;
  rows: number;
  batch: number;
}

/** The thread computing shard 1 (see SplitStep) and every other block of the refits (refit.ts accumulateRefit). */
export interface ShardHelper extends RefitHelper {
  setup(s: ShardSetup): void;
  /** Hand over a step: the current parameters of each network and shard 1's rows. */
  start(params: Float32Array[], data: Record<string, Float32Array>): void;
  /** Wait for the step: shard 1's loss sum and gradients (views valid until the next `start`). */
  finish(): { loss: number; grads: Float32Array[] };
  close(): void;
}

// Control words (Int32Array over a SharedArrayBuffer).
const REQ = 0; // request counter, incremented by the solve thread
const ACK = 1; // number of the request last answered, set by the helper
const OP = 2; // what the request is
const FAILED = 3; // 1 when the helper failed the request (the message is on the port)
const READY = 4; // 1 once the helper serves
export const CONTROL_WORDS = 8;
const OP_STEP = 1;
const OP_MESSAGE = 2;

/** Messages of OP_MESSAGE requests. */
type Message =
  | { op: 'setup'; setup: ShardSetup; buffer: SharedArrayBuffer }
  | { op: 'refit'; spec: RefitSpec; shapes: MlpShape[]; params: Float32Array[]; data: Record<string, Float32Array>; rows: number }
  | { op: 'close' };

/** A copy with its own buffer (posting a view would clone all of its buffer). */
const own = (a: Float32Array): Float32Array => (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice());

/** Layout of a stage's shared buffer: parameters and gradients per network, shard 1's data, the loss. */
interface Layout {
  params: Array<[number, number]>;
  grads: Array<[number, number]>;
  data: Record<string, [number, number]>;
  loss: number;
  bytes: number;
}

function layoutOf(s: ShardSetup, sizes: number[]): Layout {
  let off = 16; // the loss and the helper's matMul FLOPs (float64) first
  const take = (n: number): [number, number] => {
    const r: [number, number] = [off, n];
    off += 4 * n;
    return r;
  };
  const params = sizes.map(take);
  const grads = sizes.map(take);
  const data: Record<string, [number, number]> = {};
  for (const [k, c] of Object.entries(s.cols)) data[k] = take(s.rows * c);
  return { params, grads, data, loss: 0, bytes: off };
}

const f32 = (buf: SharedArrayBuffer, [off, n]: [number, number]): Float32Array => new Float32Array(buf, off, n);

/** How long the solve thread waits for one answer before it gives up (a step takes milliseconds). */
const ANSWER_TIMEOUT_MS = 120_000;

/**
 * The solve thread's end of a helper: `control` is shared with the helper, `port` is this side of the
 * channel whose other end the helper serves (see {@link serveShardRequests}).
 */
export class PortShardHelper implements ShardHelper {
  private readonly ctl: Int32Array;
  private buf: SharedArrayBuffer | null = null;
  private lay: Layout | null = null;
  private views: { params: Float32Array[]; grads: Float32Array[]; data: Record<string, Float32Array>; loss: Float64Array } | null = null;
  private closed = false;

  constructor(
    control: SharedArrayBuffer,
    private readonly port: MessagePort,
  ) {
    this.ctl = new Int32Array(control);
  }

  private request(op: number, msg?: Message): void {
    if (this.closed) throw new Error('the shard helper thread is closed');
    if (msg) this.port.postMessage(msg);
    Atomics.store(this.ctl, OP, op);
    Atomics.add(this.ctl, REQ, 1);
    Atomics.notify(this.ctl, REQ);
  }

  private wait(timeoutMs = ANSWER_TIMEOUT_MS): void {
    const want = Atomics.load(this.ctl, REQ);
    const t0 = Date.now();
    for (;;) {
      const ack = Atomics.load(this.ctl, ACK);
      if (ack === want) break;
      if (Date.now() - t0 > timeoutMs) throw new Error(`the shard helper thread did not answer within ${timeoutMs / 1000} s`);
      Atomics.wait(this.ctl, ACK, ack, 1000);
    }
    if (Atomics.load(this.ctl, FAILED) === 1) {
      const m = receiveMessageOnPort(this.port)?.message as { error?: string } | undefined;
      throw new Error(`the shard helper thread failed: ${m?.error ?? 'no message'}`);
    }
  }

  setup(s: ShardSetup): void {
    const sizes = s.shapes.map(paramCount);
    const lay = layoutOf(s, sizes);
    if (!this.buf || this.buf.byteLength < lay.bytes) this.buf = new SharedArrayBuffer(lay.bytes);
    const b = this.buf;
    this.lay = lay;
    this.views = {
      params: lay.params.map((r) => f32(b, r)),
      grads: lay.grads.map((r) => f32(b, r)),
      data: Object.fromEntries(Object.entries(lay.data).map(([k, r]) => [k, f32(b, r)])),
      loss: new Float64Array(b, 0, 2),
    };
    this.request(OP_MESSAGE, { op: 'setup', setup: s, buffer: b });
    this.wait();
  }

  start(params: Float32Array[], data: Record<string, Float32Array>): void {
    const v = this.views;
    if (!v || !this.lay) throw new Error('shard helper: start before setup');
    params.forEach((p, i) => v.params[i].set(p));
    for (const [k, a] of Object.entries(data)) v.data[k].set(a);
    this.request(OP_STEP);
  }

  finish(): { loss: number; grads: Float32Array[] } {
    this.wait();
    const v = this.views!;
    flops.matmul += v.loss[1]; // the benchmark's count covers both threads
    return { loss: v.loss[0], grads: v.grads };
  }

  startRefit(spec: RefitSpec, nets: FastMlp[], data: Record<string, Float32Array>, rows: number): void {
    const d: Record<string, Float32Array> = {};
    for (const [k, a] of Object.entries(data)) d[k] = own(a);
    this.request(OP_MESSAGE, { op: 'refit', spec, shapes: nets.map((n) => n.shape), params: nets.map((n) => n.params.slice()), data: d, rows });
  }

  finishRefit(): { gram: Float32Array; cross: Float32Array; rows: number } {
    this.wait();
    const m = receiveMessageOnPort(this.port)?.message as { gram: Float32Array; cross: Float32Array; rows: number; flops: number } | undefined;
    if (!m) throw new Error('the shard helper thread answered a refit without its products');
    flops.matmul += m.flops;
    return m;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.request(OP_MESSAGE, { op: 'close' });
      this.wait(10_000);
    } finally {
      this.closed = true;
      this.port.close();
    }
  }
}

/** Has the helper started serving? */
export function isReady(control: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(control), READY) === 1;
}

/** Mark the helper as serving (after its tfjs backend is ready). */
export function markReady(control: SharedArrayBuffer): void {
  const ctl = new Int32Array(control);
  Atomics.store(ctl, READY, 1);
  Atomics.notify(ctl, READY);
}

/**
 * The helper's loop (blocks its thread until 'close'): wait for a request, compute shard 1 of the step with
 * the stage's networks and loss, answer. A failure is reported to the solve thread (FAILED and a message on
 * the port) and the loop goes on.
 */
export function serveShardRequests(control: SharedArrayBuffer, port: MessagePort): void {
  const ctl = new Int32Array(control);
  let seen = Atomics.load(ctl, REQ);
  let stage: { setup: ShardSetup; nets: FastMlp[]; params: Float32Array[]; grads: Float32Array[]; data: Record<string, Float32Array>; loss: Float64Array } | null = null;
  const ws = new LossWorkspace();
  markReady(control);
  for (;;) {
    Atomics.wait(ctl, REQ, seen);
    const req = Atomics.load(ctl, REQ);
    if (req === seen) continue;
    seen = req;
    let close = false;
    try {
      Atomics.store(ctl, FAILED, 0);
      if (Atomics.load(ctl, OP) === OP_MESSAGE) {
        const msg = receiveMessageOnPort(port)?.message as Message | undefined;
        if (!msg) throw new Error('a request without its message');
        if (msg.op === 'close') close = true;
        else if (msg.op === 'refit') {
          const nets = msg.shapes.map((sh, i) => new FastMlp(sh, msg.params[i]));
          try {
            const f0 = flops.matmul;
            const r = refitProducts(msg.spec, nets, msg.data, msg.rows);
            const gram = own(r.gram);
            const cross = own(r.cross);
            port.postMessage({ gram, cross, rows: r.rows, flops: flops.matmul - f0 }, [gram.buffer as ArrayBuffer, cross.buffer as ArrayBuffer]);
          } finally {
            nets.forEach((n) => n.dispose());
          }
        } else {
          stage?.nets.forEach((n) => n.dispose());
          const s = msg.setup;
          const nets = s.shapes.map((sh) => new FastMlp(sh, new Float32Array(paramCount(sh))));
          const lay = layoutOf(
            s,
            nets.map((n) => n.size),
          );
          const b = msg.buffer;
          stage = {
            setup: s,
            nets,
            params: lay.params.map((r) => f32(b, r)),
            grads: lay.grads.map((r) => f32(b, r)),
            data: Object.fromEntries(Object.entries(lay.data).map(([k, r]) => [k, f32(b, r)])),
            loss: new Float64Array(b, 0, 2),
          };
        }
      } else {
        if (!stage) throw new Error('a step before any set-up');
        const st = stage;
        st.nets.forEach((n, i) => n.write(st.params[i]));
        const f0 = flops.matmul;
        st.loss[0] = shardGradients(st.setup.loss, st.nets, st.data, st.setup.rows, st.setup.batch, st.grads, ws);
        st.loss[1] = flops.matmul - f0;
      }
    } catch (e) {
      Atomics.store(ctl, FAILED, 1);
      port.postMessage({ error: e instanceof Error ? e.message : String(e) });
    }
    Atomics.store(ctl, ACK, seen);
    Atomics.notify(ctl, ACK);
    if (close) break;
  }
  stage?.nets.forEach((n) => n.dispose());
  port.close();
}
