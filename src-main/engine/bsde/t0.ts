import * as tf from '@tensorflow/tfjs';
import { type Scheme } from '../../../src-shared/bsde/config';
import { type SolveContext, type StepNets, disposeNext, dotConst, nextValues } from './context';
import { samplePairs } from './sampling';
import { take } from './trainer';

/**
 * The first time step, n = 0. X_0 is fixed, so the unknowns are constants (spec "OSM scheme" 3.) and both
 * losses are linear least squares in them; they are solved exactly (normal equations in float64, what Adam
 * would converge to) on `samplesT0` fresh samples, in chunks.
 *
 * OSM: target_Z = Z_1 - r dt Ztilde_1 regressed on [1, w], w = dB_0 + theta dt: intercepts Ztilde_0 (J x d),
 *   slopes DZ_0[j][m][l] = G_0 Sig. Then with z = Ztilde_0 the Y loss gives
 *   c = (mean(target_Y) - z . (theta dt / 2 + mean(dB_0))) / (1 + r dt / 2),  target_Y = Y_1 + dt/2 f(C_1, Z_1).
 * RDBDP: Y_1 regressed on [1, w]: intercept U_0 (1 + r dt), slopes Zhat_0.
 * Standard errors of the price come from the regression residuals.
 */
export interface T0Result {
  /** Price (continuation value) at t = 0 per option (J). */
  price: Float64Array;
  /** Ztilde_0 / Zhat_0, J x d (row-major). */
  z: Float64Array;
  /** OSM only: DZ_0 = G_0 Sig, J x d x d with layout [j][m][l]. */
  dz: Float64Array | null;
  /** Monte Carlo standard error of each price. */
  priceStdErr: Float64Array;
  lossZ: number | null;
  lossY: number;
  samples: number;
}

/** Solve (A) X = B for symmetric positive definite A (k x k), B k x nT (row-major), in float64. */
function solveSpd(a: Float64Array, b: Float64Array, k: number, nT: number): { x: Float64Array; inv00: number } {
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let s = a[j * k + j];
    for (let q = 0; q < j; q++) s -= l[j * k + q] ** 2;
    if (!(s > 0)) throw new Error('t = 0 regression is singular (too few samples?)');
    l[j * k + j] = Math.sqrt(s);
    for (let i = j + 1; i < k; i++) {
      let t = a[i * k + j];
      for (let q = 0; q < j; q++) t -= l[i * k + q] * l[j * k + q];
      l[i * k + j] = t / l[j * k + j];
    }
  }
  const solveCol = (rhs: Float64Array): Float64Array => {
    const y = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let s = rhs[i];
      for (let q = 0; q < i; q++) s -= l[i * k + q] * y[q];
      y[i] = s / l[i * k + i];
    }
    const x = new Float64Array(k);
    for (let i = k - 1; i >= 0; i--) {
      let s = y[i];
      for (let q = i + 1; q < k; q++) s -= l[q * k + i] * x[q];
      x[i] = s / l[i * k + i];
    }
    return x;
  };
  const x = new Float64Array(k * nT);
  const col = new Float64Array(k);
  for (let t = 0; t < nT; t++) {
    for (let i = 0; i < k; i++) col[i] = b[i * nT + t];
    const s = solveCol(col);
    for (let i = 0; i < k; i++) x[i * nT + t] = s[i];
  }
  const e0 = new Float64Array(k);
  e0[0] = 1;
  return { x, inv00: solveCol(e0)[0] };
}

export function solveT0(c: SolveContext, scheme: Scheme, samples: number, next: StepNets | null, tick: (rowsDone: number) => void): T0Result {
  const { d, J, grid, market: m, scales } = c;
  const dt = grid.dt;
  const osm = scheme === 'osm';
  const nT = osm ? J * d + J : J;
  const k = d + 1;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k * nT);
  const yy = new Float64Array(nT);
  const chunk = Math.min(4096, samples);
  let M = 0;
  while (M < samples) {
    const rows = Math.min(chunk, samples - M);
    const p = samplePairs(m, grid, 0, rows, c.rng);
    const nv = nextValues(c, 0, p, next, osm);
    const targets = tf.tidy(() => {
      if (!osm) return nv.Y;
      const tZ = tf.sub(nv.Z!, tf.mul(nv.Zt!, m.rate * dt));
      const tY = tf.add(nv.Y, tf.mul(tf.sub(tf.mul(nv.C, -m.rate), dotConst(nv.Z!, m.theta, J, d)), 0.5 * dt));
      return tf.concat([tZ, tY], 1);
    });
    const y = osm ? take(targets) : (targets.dataSync() as Float32Array);
    disposeNext(nv);
    if (!osm) targets.dispose();
    const xr = new Float64Array(k);
    for (let r = 0; r < rows; r++) {
      xr[0] = 1;
      for (let a = 0; a < d; a++) xr[1 + a] = p.dB[r * d + a] + m.theta[a] * dt;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) xtx[i * k + j] += xr[i] * xr[j];
      const yo = r * nT;
      for (let t = 0; t < nT; t++) {
        const v = y[yo + t];
        yy[t] += v * v;
        for (let i = 0; i < k; i++) xty[i * nT + t] += xr[i] * v;
      }
    }
    M += rows;
    tick(M);
  }
  const { x: beta, inv00 } = solveSpd(xtx, xty, k, nT);
  const rss = (t: number): number => {
    let s = yy[t];
    for (let i = 0; i < k; i++) s -= beta[i * nT + t] * xty[i * nT + t];
    return Math.max(s, 0);
  };
  const price = new Float64Array(J);
  const z = new Float64Array(J * d);
  const priceStdErr = new Float64Array(J);
  if (!osm) {
    let loss = 0;
    for (let j = 0; j < J; j++) {
      price[j] = beta[j] / (1 + m.rate * dt);
      for (let l = 0; l < d; l++) z[j * d + l] = beta[(1 + l) * nT + j];
      const s2 = rss(j) / Math.max(1, M - k);
      priceStdErr[j] = Math.sqrt(s2 * inv00) / (1 + m.rate * dt);
      loss += rss(j) / M / scales.sC[j] ** 2;
    }
    return { price, z, dz: null, priceStdErr, lossZ: null, lossY: loss, samples: M };
  }
  const dz = new Float64Array(J * d * d);
  let lossZ = 0;
  for (let j = 0; j < J; j++) {
    for (let l = 0; l < d; l++) {
      const t = j * d + l;
      z[t] = beta[t];
      for (let q = 0; q < d; q++) dz[(j * d + q) * d + l] = beta[(1 + q) * nT + t];
      lossZ += rss(t) / M / scales.sZ[j] ** 2;
    }
  }
  // Y: c from the means, its standard error from var(tY - z . w).
  const kY = 1 + 0.5 * m.rate * dt;
  const meanW = Array.from({ length: d }, (_, a) => xtx[1 + a] / M);
  let lossY = 0;
  for (let j = 0; j < J; j++) {
    const t = J * d + j;
    const my = xty[t] / M;
    let shift = 0;
    for (let l = 0; l < d; l++) shift += z[j * d + l] * (0.5 * dt * m.theta[l] + (meanW[l] - m.theta[l] * dt));
    price[j] = (my - shift) / kY;
    let v = yy[t] / M - my * my;
    for (let l = 0; l < d; l++) {
      const covYW = xty[(1 + l) * nT + t] / M - my * meanW[l];
      v -= 2 * z[j * d + l] * covYW;
      for (let q = 0; q < d; q++) v += z[j * d + l] * z[j * d + q] * (xtx[(1 + l) * k + 1 + q] / M - meanW[l] * meanW[q]);
    }
    v = Math.max(v, 0);
    priceStdErr[j] = Math.sqrt(v / M) / kY;
    lossY += v / scales.sC[j] ** 2;
  }
  return { price, z, dz, priceStdErr, lossZ, lossY, samples: M };
}
