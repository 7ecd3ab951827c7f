/**
 * Greeks between the solver's coordinates and asset prices (spec portfolio-bsde.md "Greeks from (Z, Gamma)").
 * The solver works in log prices x = log S with Z = grad_x u Sig (row vector) and the OSM's
 * DZ = G Sig = Sig^T H Sig (H the Hessian of u in x):
 *
 *     grad_x u = Z Sig^{-1},   H = Sig^{-T} DZ Sig^{-1} (symmetrised),   equivalently H = Sig^{-T} G
 *     dU/dS_a = (grad_x u)_a / S_a,   d2U/dS_a dS_b = (H_ab - [a = b] (grad_x u)_a) / (S_a S_b)
 *
 * and back: (grad_x u)_a = S_a Delta_a,  H_ab = S_a S_b Gamma_ab + [a = b] S_a Delta_a.
 * Matrices are number[][] (d x d); Sig and Sig^{-1} row-major Float64Arrays.
 */

/** grad_x u = Z Sig^{-1}: (grad)_a = sum_l Z_l (Sig^{-1})_{l a}. */
export function gradFromZ(z: ArrayLike<number>, sigInv: Float64Array, d: number): number[] {
  const g = new Array<number>(d).fill(0);
  for (let l = 0; l < d; l++) for (let a = 0; a < d; a++) g[a] += z[l] * sigInv[l * d + a];
  return g;
}

/** H = sym(Sig^{-T} DZ Sig^{-1}) from DZ (d x d, DZ[m][l] = d Z_l / d B_m). */
export function hessianFromDz(dz: readonly (readonly number[])[], sigInv: Float64Array, d: number): number[][] {
  // T = DZ Sig^{-1}; H = Sig^{-T} T.
  const t = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let m = 0; m < d; m++) for (let b = 0; b < d; b++) for (let l = 0; l < d; l++) t[m][b] += dz[m][l] * sigInv[l * d + b];
  const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) for (let m = 0; m < d; m++) h[a][b] += sigInv[m * d + a] * t[m][b];
  return symmetrise(h);
}

/** H = sym(Sig^{-T} G), the spec's formula from the OSM network's Gamma = Sig^T H. */
export function hessianFromGamma(g: readonly (readonly number[])[], sigInv: Float64Array, d: number): number[][] {
  const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) for (let m = 0; m < d; m++) h[a][b] += sigInv[m * d + a] * g[m][b];
  return symmetrise(h);
}

/** H from the x-Jacobian of Z (jac[m][l] = d Z_l / d x_m = (H Sig)_{ml}): H = sym(jac Sig^{-1}). */
export function hessianFromZJacobian(jac: readonly (readonly number[])[], sigInv: Float64Array, d: number): number[][] {
  const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let m = 0; m < d; m++) for (let b = 0; b < d; b++) for (let l = 0; l < d; l++) h[m][b] += jac[m][l] * sigInv[l * d + b];
  return symmetrise(h);
}

export function symmetrise(h: number[][]): number[][] {
  const d = h.length;
  for (let a = 0; a < d; a++) {
    for (let b = a + 1; b < d; b++) {
      const v = 0.5 * (h[a][b] + h[b][a]);
      h[a][b] = v;
      h[b][a] = v;
    }
  }
  return h;
}

/** Log-coordinate gradient and Hessian -> price Delta and Gamma at spots S. */
export function logToPrice(spots: ArrayLike<number>, gradX: readonly number[], hessX: readonly (readonly number[])[]): { delta: number[]; gamma: number[][] } {
  const d = gradX.length;
  const delta = gradX.map((g, a) => g / spots[a]);
  const gamma = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (hessX[a][b] - (a === b ? gradX[a] : 0)) / (spots[a] * spots[b])));
  return { delta, gamma };
}

/** Price Delta and Gamma -> log-coordinate gradient and Hessian at spots S. */
export function priceToLog(spots: ArrayLike<number>, delta: readonly number[], gamma: readonly (readonly number[])[]): { gradX: number[]; hessX: number[][] } {
  const d = delta.length;
  const gradX = delta.map((v, a) => v * spots[a]);
  const hessX = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => spots[a] * spots[b] * gamma[a][b] + (a === b ? gradX[a] : 0)));
  return { gradX, hessX };
}
