/**
 * Small dense linear algebra for correlation matrices (d <= 50), shared by the editor (live checks) and the
 * main process (authoritative checks before saving): Cholesky, symmetric eigen-decomposition (cyclic
 * Jacobi), and a diagnosis that names the entries which break positive definiteness.
 */

/** Lower-triangular L with R = L L^T, or the first failing pivot (0-based) and its value. */
export function cholesky(r: readonly (readonly number[])[]): { ok: true; l: number[][] } | { ok: false; pivot: number; value: number } {
  const n = r.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let s = r[j][j];
    for (let k = 0; k < j; k++) s -= l[j][k] * l[j][k];
    if (!(s > 1e-12)) return { ok: false, pivot: j, value: s };
    const ljj = Math.sqrt(s);
    l[j][j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = r[i][j];
      for (let k = 0; k < j; k++) t -= l[i][k] * l[j][k];
      l[i][j] = t / ljj;
    }
  }
  return { ok: true, l };
}

/** Eigenvalues (ascending) and unit eigenvectors (vectors[k] belongs to values[k]) of a symmetric matrix. */
export function symmetricEigen(a: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] * m[p][q];
    if (off < 1e-24) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(m[p][q]) < 1e-300) continue;
        const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k][p];
          const mkq = m[k][q];
          m[k][p] = c * mkp - s * mkq;
          m[k][q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p][k];
          const mqk = m[q][k];
          m[p][k] = c * mpk - s * mqk;
          m[q][k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i][i] - m[j][j]);
  return { values: order.map((i) => m[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

/** One off-diagonal entry (i < j) that pulls the smallest eigenvalue below zero. */
export interface CorrelationCulprit {
  i: number;
  j: number;
  value: number;
  /** 2 v_i v_j rho_ij: this entry's share of lambda_min = v^T R v (negative = it pushes lambda_min down). */
  contribution: number;
}

export interface CorrelationDiagnosis {
  positiveDefinite: boolean;
  minEigenvalue: number;
  /** First Cholesky pivot (0-based asset index) that is <= 0, when not positive definite. */
  failingPivot: number | null;
  /** The entries most responsible (largest negative contributions to lambda_min), at most `maxCulprits`. */
  culprits: CorrelationCulprit[];
}

/** Smallest eigenvalue accepted as positive definite (so that the Cholesky factor is well conditioned). */
export const MIN_EIGENVALUE = 1e-8;

/**
 * Is R positive definite? If not, which entries break it: with v the eigenvector of the smallest
 * eigenvalue, lambda_min = v^T R v = sum_a v_a^2 + sum_{a<b} 2 v_a v_b rho_ab, and the entries with the
 * most negative 2 v_a v_b rho_ab are the ones to change.
 */
export function diagnoseCorrelation(r: readonly (readonly number[])[], maxCulprits = 3): CorrelationDiagnosis {
  const n = r.length;
  const { values, vectors } = symmetricEigen(r);
  const minEigenvalue = values[0] ?? 1;
  const chol = cholesky(r);
  const positiveDefinite = chol.ok && minEigenvalue > MIN_EIGENVALUE;
  if (positiveDefinite) return { positiveDefinite, minEigenvalue, failingPivot: null, culprits: [] };
  const v = vectors[0];
  const all: CorrelationCulprit[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) all.push({ i, j, value: r[i][j], contribution: 2 * v[i] * v[j] * r[i][j] });
  all.sort((a, b) => a.contribution - b.contribution);
  const culprits = all.filter((c) => c.contribution < 0).slice(0, maxCulprits);
  return { positiveDefinite, minEigenvalue, failingPivot: chol.ok ? n - 1 : chol.pivot, culprits };
}
