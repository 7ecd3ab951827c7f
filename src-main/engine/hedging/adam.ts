/**
 * Adam (Kingma & Ba 2015) as in PyTorch, on a flat float64 parameter vector (spec "Hedgers": learning rate
 * 1e-3, betas (0.9, 0.999), eps 1e-8). After step t with gradient g:
 *
 *     m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2
 *     w = w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 *
 * `precondition` exposes the same diagonal scaling 1 / (sqrt(v / (1 - b2^t)) + eps) at the current state
 * without changing it: DHLNN's inner iterations reuse the outer step's Adam scaling (see dhlnn.ts).
 */
export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamState {
  m: Float64Array;
  v: Float64Array;
  t: number;
}

export class Adam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  m: Float64Array;
  v: Float64Array;
  t = 0;

  constructor(size: number, opts: AdamOptions) {
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One Adam step on `params` (in place) with gradient `grad`; returns the step taken (w_new - w_old). */
  step(params: Float64Array, grad: Float64Array): Float64Array {
    this.t += 1;
    const { beta1: b1, beta2: b2, eps, lr, m, v } = this;
    const bc1 = 1 - Math.pow(b1, this.t);
    const bc2 = 1 - Math.pow(b2, this.t);
    const delta = new Float64Array(params.length);
    for (let j = 0; j < params.length; j++) {
      const g = grad[j];
      m[j] = b1 * m[j] + (1 - b1) * g;
      v[j] = b2 * v[j] + (1 - b2) * g * g;
      const d = (-lr * (m[j] / bc1)) / (Math.sqrt(v[j] / bc2) + eps);
      params[j] += d;
      delta[j] = d;
    }
    return delta;
  }

  /** g_j / (sqrt(v_j / (1 - b2^t)) + eps) at the current state (t >= 1), state unchanged. */
  precondition(grad: Float64Array): Float64Array {
    if (this.t < 1) throw new Error('Adam.precondition needs at least one step');
    const bc2 = 1 - Math.pow(this.beta2, this.t);
    const out = new Float64Array(grad.length);
    for (let j = 0; j < grad.length; j++) out[j] = grad[j] / (Math.sqrt(this.v[j] / bc2) + this.eps);
    return out;
  }

  state(): AdamState {
    return { m: Float64Array.from(this.m), v: Float64Array.from(this.v), t: this.t };
  }

  load(s: AdamState): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) throw new Error('Adam state has the wrong size');
    this.m = Float64Array.from(s.m);
    this.v = Float64Array.from(s.v);
    this.t = s.t;
  }
}
