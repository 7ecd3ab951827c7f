import { type FastMlp } from './fastMlp';

/**
 * The training losses of the solvers on one shard of a mini-batch (a contiguous range of its rows), and
 * their gradients in the networks' flat parameters. The same code runs in the solve's own thread and in the
 * shard helper thread (shards.ts), so the two halves of a batch are computed by identical arithmetic.
 *
 * Every loss is a mean over the WHOLE batch (`batch` rows), so the gradient of the batch is the sum of its
 * shards' gradients; the loss itself is returned as a sum over the shard's rows (divide by `batch`).
 *
 * - `osm-z` (osm.ts stage 1, network [z]): est_jl = out_jl + kappa_jl sum_q w_q out_{Jd + q Jd + jl},
 *   residual est - t, weighted by alive_jl. Data x (d), w (d), t (J d).
 * - `osm-y` (osm.ts stage 2, network [c]): residual kY out_j + A_j (+ B_j where the option is exercised at
 *   this date and g_j > C_j = shiftC_j + sC_j out_j, the decision held constant), weighted by alive_j.
 *   Data x (d), A (J), and at exercise dates B (J), g (J).
 * - `rdbdp` (rdbdp.ts, networks [c, z] = [U, Zhat]): residual t_j - kU u_j - sum_l rho_jl z_jl v_l,
 *   weighted by alive_j. Data x (d), v (d), t (J).
 */
export type ShardLoss =
  | { kind: 'osm-z'; d: number; J: number; kap: Float32Array; alive: Float32Array }
  | { kind: 'osm-y'; J: number; kY: number; alive: Float32Array; exercise: Float32Array; sC: Float32Array; shiftC: Float32Array }
  | { kind: 'rdbdp'; d: number; J: number; kU: number; rho: Float32Array; alive: Float32Array };

/** Host buffers of the loss gradients in the outputs (one per network), reused between steps. */
export class LossWorkspace {
  private bufs: Float32Array[] = [];
  out(i: number, size: number): Float32Array {
    if (!this.bufs[i] || this.bufs[i].length < size) this.bufs[i] = new Float32Array(size);
    return this.bufs[i].subarray(0, size);
  }
}

/**
 * Gradients of `loss` on one shard (`rows` rows of `data`, each array row-major with its own column count)
 * in the flat parameters of `nets`, written into `grads` (one per network, length net.size). Returns the sum
 * of the shard's weighted squared residuals.
 */
export function shardGradients(loss: ShardLoss, nets: FastMlp[], data: Record<string, Float32Array>, rows: number, batch: number, grads: Float32Array[], ws: LossWorkspace): number {
  if (loss.kind === 'osm-z') {
    const net = nets[0];
    const { out, cache } = net.forwardTrain(data.x, rows);
    const g = ws.out(0, rows * net.shape.outputs);
    const s = lossZ(loss, out, data.w, data.t, rows, batch, g);
    net.backward(cache, g, grads[0]);
    return s;
  }
  if (loss.kind === 'osm-y') {
    const net = nets[0];
    const { out, cache } = net.forwardTrain(data.x, rows);
    const g = ws.out(0, rows * loss.J);
    const s = lossY(loss, out, data, rows, batch, g);
    net.backward(cache, g, grads[0]);
    return s;
  }
  const fu = nets[0].forwardTrain(data.x, rows);
  const fz = nets[1].forwardTrain(data.x, rows);
  const gU = ws.out(0, rows * loss.J);
  const gZ = ws.out(1, rows * loss.J * loss.d);
  const s = lossRdbdp(loss, fu.out, fz.out, data.v, data.t, rows, batch, gU, gZ);
  nets[0].backward(fu.cache, gU, grads[0]);
  nets[1].backward(fz.cache, gZ, grads[1]);
  return s;
}

/** OSM stage 1 (see ShardLoss): loss sum, and dLoss/dout into g (rows x J d (1 + d)). */
function lossZ(l: Extract<ShardLoss, { kind: 'osm-z' }>, out: Float32Array, w: Float32Array, t: Float32Array, rows: number, batch: number, g: Float32Array): number {
  const { d, kap, alive } = l;
  const Jd = l.J * d;
  const outZ = Jd * (1 + d);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * outZ;
    const wo = r * d;
    const to = r * Jd;
    for (let jl = 0; jl < Jd; jl++) {
      let s = 0;
      for (let q = 0; q < d; q++) s += w[wo + q] * out[o + Jd + q * Jd + jl];
      const res = out[o + jl] + kap[jl] * s - t[to + jl];
      const rw = res * alive[jl];
      loss += rw * res;
      const dz = (2 * rw) / batch;
      g[o + jl] = dz;
      const kd = kap[jl] * dz;
      for (let q = 0; q < d; q++) g[o + Jd + q * Jd + jl] = w[wo + q] * kd;
    }
  }
  return loss;
}

/** OSM stage 2 (see ShardLoss): loss sum, and dLoss/dout into g (rows x J). */
function lossY(l: Extract<ShardLoss, { kind: 'osm-y' }>, out: Float32Array, b: Record<string, Float32Array>, rows: number, batch: number, g: Float32Array): number {
  const { J, kY, alive, exercise, sC, shiftC } = l;
  const A = b.A;
  const B = b.B as Float32Array | undefined;
  const pay = b.g as Float32Array | undefined;
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < J; j++) {
      const i = r * J + j;
      let res = out[i] * kY + A[i];
      // Exercise decision e = [g > C] with C = shift + scale * out in float32, as the pool's targets.
      if (B && pay && exercise[j] > 0 && pay[i] > Math.fround(Math.fround(out[i] * sC[j]) + shiftC[j])) res += B[i];
      const rw = res * alive[j];
      loss += rw * res;
      g[i] = (rw * 2 * kY) / batch;
    }
  }
  return loss;
}

/** RDBDP (see ShardLoss): loss sum, dLoss/du into gU (rows x J) and dLoss/dz into gZ (rows x J d). */
function lossRdbdp(
  l: Extract<ShardLoss, { kind: 'rdbdp' }>,
  u: Float32Array,
  z: Float32Array,
  v: Float32Array,
  t: Float32Array,
  rows: number,
  batch: number,
  gU: Float32Array,
  gZ: Float32Array,
): number {
  const { d, J, kU, rho, alive } = l;
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < J; j++) {
      const i = r * J + j;
      let zv = 0;
      for (let a = 0; a < d; a++) zv += z[i * d + a] * rho[j * d + a] * v[r * d + a];
      const res = t[i] - u[i] * kU - zv;
      const rw = res * alive[j];
      loss += rw * res;
      const gg = (2 * rw) / batch;
      gU[i] = -kU * gg;
      for (let a = 0; a < d; a++) gZ[i * d + a] = -gg * rho[j * d + a] * v[r * d + a];
    }
  }
  return loss;
}
