import { type HestonGreeks } from '../../../src-shared/heston/types';
import { type HestonContext, samplePairs } from './context';
import { type FiveGreeks, greeksFromZG, greeksFromZM } from './greekConversion';
import { checkpoint } from './stage';
import { type StepNets, stepTargets } from './targets';

/**
 * The first time step, n = 0 (spec portfolio-bsde.md "OSM scheme" 3., as bsde/t0.ts): X_0 is fixed, so the
 * unknowns are constants and both losses are linear least squares in them, solved exactly in float64 over
 * `t0Samples` fresh samples.
 *
 * OSM: the Z target regressed on [1, dB_0]: intercepts Ztilde_0 (2), slopes M_0 (j, m) = G_0 sigma(X_0); then
 *   c = (mean(tY) - Ztilde_0 . mean(dB_0)) / (1 + r dt / 2).
 * RDBDP: Y_1 regressed on [1, dB_0]: intercept U_0 (1 + r dt), slopes Zhat_0; its second-order Greeks need
 *   the x-Jacobian of Zhat_1 at X_0 (`jacZ1`, from automatic differentiation).
 * Standard errors: the price's from the residuals; the Greeks' from the coefficients' covariance
 *   Sigma_res (X'X)^{-1} pushed through the (linear) conversion at X_0.
 */
export interface T0Fit {
  greeks: HestonGreeks;
  stdErr: Partial<HestonGreeks>;
  /** Ztilde_0 / Zhat_0 (2) and, OSM, M_0 (4); RDBDP, G_0 (4) from the Jacobian of Zhat_1. */
  z: number[];
  m: number[] | null;
  g: number[] | null;
  samples: number;
}

/** Inverse of a small SPD matrix (k x k, row-major) by Gauss–Jordan. */
function inverse(a: Float64Array, k: number): Float64Array {
  const w = Float64Array.from(a);
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  for (let col = 0; col < k; col++) {
    const p = w[col * k + col];
    if (!(Math.abs(p) > 0)) throw new Error('t = 0 regression is singular (too few samples?)');
    for (let j = 0; j < k; j++) {
      w[col * k + j] /= p;
      inv[col * k + j] /= p;
    }
    for (let i = 0; i < k; i++) {
      if (i === col) continue;
      const f = w[i * k + col];
      for (let j = 0; j < k; j++) {
        w[i * k + j] -= f * w[col * k + j];
        inv[i * k + j] -= f * inv[col * k + j];
      }
    }
  }
  return inv;
}

export async function solveT0(c: HestonContext, next: StepNets, jacZ1: (() => number[]) | null, tick: (done: number) => void, signal?: AbortSignal): Promise<T0Fit> {
  const { market: m, grid, cfg } = c;
  const osm = cfg.scheme === 'osm';
  const dt = grid.dt;
  const k = 3;
  const nT = osm ? 3 : 1;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k * nT);
  const yy = new Float64Array(nT * nT);
  const samples = cfg.t0Samples;
  const xr = new Float64Array(k);
  const y = new Float64Array(nT);
  let M = 0;
  while (M < samples) {
    await checkpoint(signal);
    const rows = Math.min(4096, samples - M);
    const p = samplePairs(c, 0, rows);
    const t = stepTargets(c, 0, p, next, osm);
    for (let r = 0; r < rows; r++) {
      xr[0] = 1;
      xr[1] = p.dB[2 * r];
      xr[2] = p.dB[2 * r + 1];
      if (osm) {
        y[0] = t.tZ![2 * r];
        y[1] = t.tZ![2 * r + 1];
        y[2] = t.tY[r];
      } else y[0] = t.Y[r];
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) xtx[i * k + j] += xr[i] * xr[j];
      for (let a = 0; a < nT; a++) {
        for (let b = 0; b < nT; b++) yy[a * nT + b] += y[a] * y[b];
        for (let i = 0; i < k; i++) xty[i * nT + a] += xr[i] * y[a];
      }
    }
    M += rows;
    tick(M);
  }
  const inv = inverse(xtx, k);
  const beta = new Float64Array(k * nT);
  for (let i = 0; i < k; i++) for (let a = 0; a < nT; a++) for (let j = 0; j < k; j++) beta[i * nT + a] += inv[i * k + j] * xty[j * nT + a];
  // Residual covariance Sigma_ab = (y_a . y_b - beta_a' X'y_b) / (M - k).
  const sig = new Float64Array(nT * nT);
  for (let a = 0; a < nT; a++) {
    for (let b = 0; b < nT; b++) {
      let s = yy[a * nT + b];
      for (let i = 0; i < k; i++) s -= beta[i * nT + a] * xty[i * nT + b];
      sig[a * nT + b] = s / Math.max(1, M - k);
    }
  }
  const s0 = m.s0;
  const v0 = m.nu0;
  const meanDB = [xtx[1] / M, xtx[2] / M];
  if (osm) {
    const z = [beta[0], beta[1]];
    // M_0 (j, m) = slope of Z_j on dB_m.
    const Mm = [beta[1 * nT + 0], beta[2 * nT + 0], beta[1 * nT + 1], beta[2 * nT + 1]];
    const kY = 1 + 0.5 * m.r * dt;
    const my = xty[2] / M;
    const price = (my - z[0] * meanDB[0] - z[1] * meanDB[1]) / kY;
    // var(tY - z . dB) over the sample.
    let v = yy[8] / M - my * my;
    for (let l = 0; l < 2; l++) {
      v -= 2 * z[l] * (xty[(1 + l) * nT + 2] / M - my * meanDB[l]);
      for (let q = 0; q < 2; q++) v += z[l] * z[q] * (xtx[(1 + l) * k + 1 + q] / M - meanDB[l] * meanDB[q]);
    }
    const f = (p: number[]): FiveGreeks => greeksFromZM(m, s0, v0, p.slice(0, 2), p.slice(2));
    // Parameter p_q = beta[(i, a)]: z_j -> (0, j); M_jm -> (1 + m, j).
    const idx: Array<[number, number]> = [[0, 0], [0, 1], [1, 0], [2, 0], [1, 1], [2, 1]];
    const greeks = f([...z, ...Mm]);
    const stdErr = linearStdErr(f, [...z, ...Mm], (q, r) => sig[idx[q][1] * nT + idx[r][1]] * inv[idx[q][0] * k + idx[r][0]]);
    return {
      greeks: { price, ...greeks },
      stdErr: { price: Math.sqrt(Math.max(v, 0) / M) / kY, ...stdErr },
      z,
      m: Mm,
      g: null,
      samples: M,
    };
  }
  const kU = 1 + m.r * dt;
  const z = [beta[1], beta[2]];
  const G = jacZ1 ? jacZ1() : [NaN, NaN, NaN, NaN];
  const f = (p: number[]): FiveGreeks => greeksFromZG(m, s0, v0, p, G);
  const all = f(z);
  const se = linearStdErr(f, z, (q, r) => sig[0] * inv[(1 + q) * k + 1 + r]);
  return {
    greeks: { price: beta[0] / kU, ...all },
    stdErr: { price: Math.sqrt(sig[0] * inv[0]) / kU, delta: se.delta, vega: se.vega },
    z,
    m: null,
    g: G,
    samples: M,
  };
}

/** Standard errors of the Greeks f(p) for f linear in p, from cov(p_q, p_r). */
function linearStdErr(f: (p: number[]) => FiveGreeks, p: number[], cov: (q: number, r: number) => number): FiveGreeks {
  const base = f(p);
  const names = ['delta', 'vega', 'gamma', 'vomma', 'vanna'] as const;
  const grads = p.map((_, q) => {
    const e = p.slice();
    const h = Math.max(Math.abs(p[q]), 1e-8);
    e[q] += h;
    const fq = f(e);
    return names.map((nm) => (fq[nm] - base[nm]) / h);
  });
  const out = {} as FiveGreeks;
  names.forEach((nm, i) => {
    let v = 0;
    for (let q = 0; q < p.length; q++) for (let r = 0; r < p.length; r++) v += grads[q][i] * grads[r][i] * cov(q, r);
    out[nm] = Math.sqrt(Math.max(v, 0));
  });
  return out;
}
