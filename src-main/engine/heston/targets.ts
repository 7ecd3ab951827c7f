import * as tf from '@tensorflow/tfjs';
import { tidy } from '../bsde/context';
import { type TfMlp } from '../bsde/mlp';
import { type Pool } from '../bsde/trainer';
import { type HestonContext, type HestonScales, type PairBlock, payoff, payoffZ, rowTimesDX, samplePairs, standardise } from './context';
import { gradFromZ } from './greekConversion';

/**
 * Targets of the regressions at step n from the frozen networks of step n+1 (spec heston-osm.md "OSM
 * regressions", portfolio-bsde.md "OSM scheme" 1.-2.), all float64 on the host:
 *
 *   C_{n+1}, Ztilde_{n+1} at X_{n+1} (the payoff g and grad g sigma at n + 1 = N);
 *   D_n C_{n+1} = Ztilde_{n+1} sigma(X_{n+1})^{-1} D_n X_{n+1}   (chain rule; unreflected)
 *   reflected at an exercise date where g > C:  Y_{n+1} = g,  D_n Y_{n+1} = grad g D_n X_{n+1}
 *   OSM Z target = D_n Y_{n+1} - r dt D_n C_{n+1}      (driver f(y) = -r y: grad_y f = -r)
 *   Y target     = Y_{n+1} + dt/2 f(C_{n+1}) = Y_{n+1} - r dt / 2 C_{n+1}   (theta_y = 1/2)
 */
export interface StepNets {
  /** C_n (OSM) or U_n (RDBDP): 1 output. */
  c: TfMlp;
  /** OSM: Ztilde_n (2) then M_n = G_n sigma (4, row-major (j, m)); RDBDP: Zhat_n (2). */
  z: TfMlp;
}

/** Network values at step n (1 <= n <= N-1) and states (S, nu), unscaled: C (rows) and Z (rows x 2). */
export function netValues(c: HestonContext, nets: StepNets, n: number, S: Float64Array, nu: Float64Array, wantZ: boolean): { C: Float64Array; Z: Float64Array | null } {
  const rows = S.length;
  const sc = c.scales;
  const [tc, tz] = tidy((): [tf.Tensor2D, tf.Tensor2D | null] => {
    const x = tf.tensor2d(standardise(c.norm, n, S, nu), [rows, 2]);
    return [nets.c.forward(x).out, wantZ ? nets.z.forward(x, { cols: [0, 2] }).out : null];
  });
  const rc = tc.dataSync();
  tc.dispose();
  const C = new Float64Array(rows);
  for (let r = 0; r < rows; r++) C[r] = sc.shiftC + sc.sC * rc[r];
  if (!tz) return { C, Z: null };
  const rz = tz.dataSync();
  tz.dispose();
  const Z = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    Z[2 * r] = sc.shiftZ[0] + sc.sZ * rz[2 * r];
    Z[2 * r + 1] = sc.shiftZ[1] + sc.sZ * rz[2 * r + 1];
  }
  return { C, Z };
}

export interface StepTargets {
  /** Y_{n+1} (reflected) and C_{n+1} (continuation). */
  Y: Float64Array;
  C: Float64Array;
  /** OSM Z target (rows x 2), when asked for. */
  tZ: Float64Array | null;
  /** Y target of OSM's C regression (rows). */
  tY: Float64Array;
}

export function stepTargets(c: HestonContext, n: number, p: PairBlock, next: StepNets | null, wantZ: boolean): StepTargets {
  const { market: m, grid } = c;
  const rows = p.rows;
  const dt = grid.dt;
  const terminal = n + 1 === grid.steps;
  const exercise = !terminal && grid.exercise[n + 1] === 1;
  const pay = terminal || exercise ? payoff(c.claim, p.Sn1) : null;
  let C: Float64Array;
  let Z: Float64Array | null;
  if (terminal) {
    C = pay!.g;
    Z = wantZ ? payoffZ(m, pay!.gS, p.Sn1, p.nun1) : null;
  } else {
    const v = netValues(c, next!, n + 1, p.Sn1, p.nun1, wantZ);
    C = v.C;
    Z = v.Z;
  }
  const Y = new Float64Array(rows);
  const tY = new Float64Array(rows);
  const tZ = wantZ ? new Float64Array(rows * 2) : null;
  for (let r = 0; r < rows; r++) {
    const ex = pay !== null && pay.g[r] > C[r];
    Y[r] = ex ? pay!.g[r] : C[r];
    tY[r] = Y[r] - 0.5 * m.r * dt * C[r];
    if (!tZ || !Z) continue;
    const [g0, g1] = terminal ? [pay!.gS[r], 0] : gradFromZ(m, p.Sn1[r], p.nun1[r], Z[2 * r], Z[2 * r + 1]);
    const dC = rowTimesDX(g0, g1, p.DX, r);
    const dY = ex ? rowTimesDX(pay!.gS[r], 0, p.DX, r) : dC;
    tZ[2 * r] = dY[0] - m.r * dt * dC[0];
    tZ[2 * r + 1] = dY[1] - m.r * dt * dC[1];
  }
  return { Y, C, tZ, tY };
}

/** Pool of OSM Z-stage samples: x (standardised X_n), w = dB_n, t = (tZ - shiftZ) / sZ. */
export function osmZPool(c: HestonContext, n: number, rows: number, next: StepNets | null): Pool & { block: PairBlock } {
  const p = samplePairs(c, n, rows);
  const t = stepTargets(c, n, p, next, true);
  const sc = c.scales;
  const tz = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) for (let l = 0; l < 2; l++) tz[2 * r + l] = (t.tZ![2 * r + l] - sc.shiftZ[l]) / sc.sZ;
  return { rows, data: { x: standardise(c.norm, n, p.Sn, p.nun), w: Float32Array.from(p.dB), t: tz }, cols: { x: 2, w: 2, t: 2 }, block: p };
}

/**
 * Output scales from the terminal step's targets: C from the Y target, Z from the Z target (one scale for both
 * components, the root of their summed variances), M from the regression slopes cov(tZ, dB) / dt. Floors keep
 * a degenerate sample finite.
 */
export function calibrateScales(c: Omit<HestonContext, 'scales'>, rows = 8192): HestonScales {
  const n = c.grid.steps - 1;
  const dt = c.grid.dt;
  const p = samplePairs(c, n, rows);
  const t = stepTargets({ ...c, scales: { shiftC: 0, sC: 1, shiftZ: [0, 0], sZ: 1, sM: 1 } }, n, p, null, true);
  const mean = (f: (r: number) => number): number => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += f(r);
    return s / rows;
  };
  const shiftC = mean((r) => t.tY[r]);
  const sC = Math.sqrt(mean((r) => (t.tY[r] - shiftC) ** 2));
  const z0 = mean((r) => t.tZ![2 * r]);
  const z1 = mean((r) => t.tZ![2 * r + 1]);
  const sZ = Math.sqrt(mean((r) => (t.tZ![2 * r] - z0) ** 2 + (t.tZ![2 * r + 1] - z1) ** 2));
  let sM2 = 0;
  for (let j = 0; j < 2; j++) {
    const zj = j === 0 ? z0 : z1;
    for (let k = 0; k < 2; k++) sM2 += (mean((r) => (t.tZ![2 * r + j] - zj) * p.dB[2 * r + k]) / dt) ** 2 / 4;
  }
  const K = c.claim.strike;
  const zFloor = 1e-3 * K * Math.sqrt(c.market.nu0);
  const sZf = Math.max(sZ, zFloor);
  return { shiftC, sC: Math.max(sC, 1e-3 * K), shiftZ: [z0, z1], sZ: sZf, sM: Math.max(Math.sqrt(sM2), (1e-2 * sZf) / Math.sqrt(dt)) };
}
