import { hedgeAccountingInto } from './accounting';

/**
 * The Black–Scholes-anchored no-transaction band of DHNTB and DHLNN (deep-hedging spec, "Hedgers";
 * source eqs. 16–17), its PnL, the exact adjoint used for backpropagation, and the frozen-active-set
 * linearisation of DHLNN's inner loop (spec "DHLNN", step 3 and eq. 13).
 *
 * Band at date t_i from the network widths f_i = (f1_i, f2_i) and the anchor b_i (BSDH position):
 *
 *     lower_i = b_i - lrelu(f1_i),  upper_i = b_i + lrelu(f2_i),   lrelu(x) = x (x >= 0), 0.01 x (x < 0)
 *     delta_i = clamp(delta_{i-1}, lower_i, upper_i),  delta_{-1} = 0,
 *               and (lower_i + upper_i) / 2 when lower_i > upper_i (the bounds crossed).
 *
 * Each row ends in one of four states: IN (delta carried over), LOW / UP (at a bound), MID (crossed).
 *
 * Layouts: widths f are TIME-MAJOR float32 `(steps * paths) x 2` (row r = i * paths + k, the network's
 * output layout); anchors, positions and states are PATH-MAJOR `paths x steps`; prices path-major
 * `paths x (steps + 1)`.
 */

export const LEAKY_SLOPE = 0.01;
export const STATE_IN = 0;
export const STATE_LOW = 1;
export const STATE_UP = 2;
export const STATE_MID = 3;

/** leaky_relu with slope 0.01 below 0. */
export const lrelu = (x: number): number => (x >= 0 ? x : LEAKY_SLOPE * x);
/** Its derivative (1 at x = 0, as the frozen slope used by the linearisation). */
export const lreluSlope = (x: number): number => (x >= 0 ? 1 : LEAKY_SLOPE);

/** One clamp step (spec: midpoint when the bounds cross). */
export function clampToBand(prev: number, lower: number, upper: number): number {
  if (lower > upper) return 0.5 * (lower + upper);
  return prev < lower ? lower : prev > upper ? upper : prev;
}

export interface BandArrays {
  /** path-major `paths x steps` positions delta_i (asset units). */
  positions: Float64Array;
  /** path-major `paths x steps` state of each row (STATE_*). */
  states: Uint8Array;
}

/**
 * Positions of every path through the band, step by step.
 * @param f time-major widths `(steps * paths) x 2`.
 * @param anchor path-major `paths x steps` b_i.
 */
export function bandPositions(f: Float32Array, anchor: Float64Array, paths: number, steps: number, out: BandArrays): void {
  const { positions, states } = out;
  for (let k = 0; k < paths; k++) {
    let prev = 0;
    const pk = k * steps;
    for (let i = 0; i < steps; i++) {
      const r = 2 * (i * paths + k);
      const b = anchor[pk + i];
      const lower = b - lrelu(f[r]);
      const upper = b + lrelu(f[r + 1]);
      let d: number;
      let s: number;
      if (lower > upper) {
        d = 0.5 * (lower + upper);
        s = STATE_MID;
      } else if (prev < lower) {
        d = lower;
        s = STATE_LOW;
      } else if (prev > upper) {
        d = upper;
        s = STATE_UP;
      } else {
        d = prev;
        s = STATE_IN;
      }
      positions[pk + i] = d;
      states[pk + i] = s;
      prev = d;
    }
  }
}

/**
 * PnL V_k = -Z_k + sum_i delta_i (P_{i+1} - P_i) - c sum_i |delta_i - delta_{i-1}| P_i of every path
 * (through `hedgeAccountingInto`), and the cost paid.
 * @param positions path-major `paths x steps`.
 */
export function pathPnl(
  prices: Float64Array,
  positions: Float64Array,
  payoff: Float64Array,
  paths: number,
  steps: number,
  costRate: number,
  pnl: Float64Array,
  cost?: Float64Array,
): void {
  const acc = new Float64Array(2);
  for (let k = 0; k < paths; k++) {
    hedgeAccountingInto(prices, k * (steps + 1), positions, k * steps, steps, acc);
    const paid = costRate * acc[1];
    pnl[k] = -payoff[k] + acc[0] - paid;
    if (cost) cost[k] = paid;
  }
}

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/**
 * Exact adjoint of L = sum_k u_k V_k through the band (backpropagation; u_k = d rho / d V_k of the training
 * criterion, src-shared/hedging/criteria.ts — for the entropic risk u_k = -pi_k).
 * dV/d delta_i = (P_{i+1} - P_i) - c P_i sgn(delta_i - delta_{i-1}) + c P_{i+1} sgn(delta_{i+1} - delta_i)
 * (last term absent at i = n - 1; sgn(0) = 0 as autograd's |x|). Sweeping i = n-1 .. 0 with a carry for
 * delta_{i-1}: IN passes the adjoint on to delta_{i-1}; LOW sends it to lower_i, UP to upper_i, MID half to
 * each; then dL/df1 = -lrelu'(f1) dL/dlower, dL/df2 = lrelu'(f2) dL/dupper.
 * @param u path weights dL/dV_k, length paths.
 * @param g output, time-major `(steps * paths) x 2` float32 (overwritten).
 */
export function bandBackward(
  f: Float32Array,
  prices: Float64Array,
  band: BandArrays,
  u: Float64Array,
  paths: number,
  steps: number,
  costRate: number,
  g: Float32Array,
): void {
  const { positions, states } = band;
  const row = steps + 1;
  for (let k = 0; k < paths; k++) {
    const pk = k * steps;
    const base = k * row;
    const uk = u[k];
    let carry = 0;
    for (let i = steps - 1; i >= 0; i--) {
      const d = positions[pk + i];
      const prevD = i > 0 ? positions[pk + i - 1] : 0;
      const pi = prices[base + i];
      const pNext = prices[base + i + 1];
      let dv = pNext - pi - costRate * pi * sign(d - prevD);
      if (i < steps - 1) dv += costRate * pNext * sign(positions[pk + i + 1] - d);
      const adj = uk * dv + carry;
      const r = 2 * (i * paths + k);
      let dLower = 0;
      let dUpper = 0;
      switch (states[pk + i]) {
        case STATE_IN:
          carry = adj;
          break;
        case STATE_LOW:
          dLower = adj;
          carry = 0;
          break;
        case STATE_UP:
          dUpper = adj;
          carry = 0;
          break;
        default:
          dLower = 0.5 * adj;
          dUpper = 0.5 * adj;
          carry = 0;
      }
      g[r] = -lreluSlope(f[r]) * dLower;
      g[r + 1] = lreluSlope(f[r + 1]) * dUpper;
    }
  }
}

/**
 * DHLNN's linearised positions with the active set frozen at w^r (spec "DHLNN", step 3). With the frozen
 * leaky-ReLU slopes s1, s2 (taken from f^r) the widths are s1 fhat1 and s2 fhat2, exact for a piecewise-
 * linear lrelu on its frozen piece, and per row:
 *     IN: dhat_i = dhat_{i-1};  LOW: b_i - s1 fhat1;  UP: b_i + s2 fhat2;  MID: b_i + (s2 fhat2 - s1 fhat1)/2
 * an affine function of fhat = f(w^r) + J (w - w^r). At w = w^r it reproduces the band positions exactly.
 * @param f0 widths at w^r (time-major, float32); df = J (w - w^r) (same layout; omitted = 0).
 * @param out path-major positions (overwritten).
 */
export function linearPositions(
  f0: Float32Array,
  df: Float32Array | null,
  anchor: Float64Array,
  states: Uint8Array,
  paths: number,
  steps: number,
  out: Float64Array,
): void {
  for (let k = 0; k < paths; k++) {
    const pk = k * steps;
    let prev = 0;
    for (let i = 0; i < steps; i++) {
      const r = 2 * (i * paths + k);
      const s = states[pk + i];
      let d = prev;
      if (s !== STATE_IN) {
        const f1 = f0[r];
        const f2 = f0[r + 1];
        const w1 = lreluSlope(f1) * (df ? f1 + df[r] : f1);
        const w2 = lreluSlope(f2) * (df ? f2 + df[r + 1] : f2);
        const b = anchor[pk + i];
        d = s === STATE_LOW ? b - w1 : s === STATE_UP ? b + w2 : b + 0.5 * (w2 - w1);
      }
      out[pk + i] = d;
      prev = d;
    }
  }
}

/**
 * Smoothed PnL of eq. (13) for linearised positions: Vhat_k = -Z_k + sum_i dhat_i (P_{i+1} - P_i)
 * - c sum_i (dhat_i - dhat_{i-1})^2 P_i, dhat_{-1} = 0.
 */
export function smoothedPnl(prices: Float64Array, positions: Float64Array, payoff: Float64Array, paths: number, steps: number, costRate: number, out: Float64Array): void {
  const row = steps + 1;
  for (let k = 0; k < paths; k++) {
    const pk = k * steps;
    const base = k * row;
    let v = -payoff[k];
    let prev = 0;
    for (let i = 0; i < steps; i++) {
      const d = positions[pk + i];
      const pi = prices[base + i];
      const t = d - prev;
      v += d * (prices[base + i + 1] - pi) - costRate * t * t * pi;
      prev = d;
    }
    out[k] = v;
  }
}

/**
 * Adjoint of L = sum_k u_k Vhat_k (smoothed PnL of linearised positions) with respect to fhat, through the
 * frozen active set: dVhat/d dhat_i = (P_{i+1} - P_i) - 2c P_i (dhat_i - dhat_{i-1}) + 2c P_{i+1} (dhat_{i+1} - dhat_i);
 * IN rows pass the adjoint to dhat_{i-1}; LOW rows: dL/dfhat1 = -s1 adj; UP: dL/dfhat2 = s2 adj; MID: half each.
 * @param positions linearised positions dhat (path-major) at the current inner iterate.
 * @param g output time-major `(steps * paths) x 2` float32 (overwritten).
 */
export function linearBackward(
  f0: Float32Array,
  prices: Float64Array,
  positions: Float64Array,
  states: Uint8Array,
  u: Float64Array,
  paths: number,
  steps: number,
  costRate: number,
  g: Float32Array,
): void {
  const row = steps + 1;
  const c2 = 2 * costRate;
  for (let k = 0; k < paths; k++) {
    const pk = k * steps;
    const base = k * row;
    const uk = u[k];
    let carry = 0;
    for (let i = steps - 1; i >= 0; i--) {
      const d = positions[pk + i];
      const prevD = i > 0 ? positions[pk + i - 1] : 0;
      const pi = prices[base + i];
      const pNext = prices[base + i + 1];
      let dv = pNext - pi - c2 * pi * (d - prevD);
      if (i < steps - 1) dv += c2 * pNext * (positions[pk + i + 1] - d);
      const adj = uk * dv + carry;
      const r = 2 * (i * paths + k);
      const s = states[pk + i];
      g[r] = 0;
      g[r + 1] = 0;
      if (s === STATE_IN) {
        carry = adj;
        continue;
      }
      carry = 0;
      if (s === STATE_LOW) g[r] = -lreluSlope(f0[r]) * adj;
      else if (s === STATE_UP) g[r + 1] = lreluSlope(f0[r + 1]) * adj;
      else {
        g[r] = -lreluSlope(f0[r]) * 0.5 * adj;
        g[r + 1] = lreluSlope(f0[r + 1]) * 0.5 * adj;
      }
    }
  }
}
