import { type CsrMatrix, csrMultiply, ScaledCsc } from './csr';

export { type CsrMatrix, csrMultiply, csrMultiplyTranspose } from './csr';

/**
 * LSQR (Paige & Saunders 1982, "LSQR: an algorithm for sparse linear equations and sparse least squares",
 * ACM TOMS 8(1)) for min ||A x - b||_2 with A in CSR form — the solver of the delta-gamma hedge's sparse
 * Gamma system (spec portfolio-bsde.md, "Hedging along simulated paths"). This is scipy.sparse.linalg.lsqr
 * with damp = 0, step for step:
 *
 *   Golub–Kahan bidiagonalisation      beta_1 u_1 = r_0 = b - A x_0,   alpha_1 v_1 = A^T u_1,
 *                                      beta_{i+1} u_{i+1} = A v_i - alpha_i u_i,
 *                                      alpha_{i+1} v_{i+1} = A^T u_{i+1} - beta_{i+1} v_i,
 *   plane rotation of the bidiagonal   (c, s, rho) = symOrtho(rhobar, beta),  theta = s alpha,
 *                                      rhobar = -c alpha,  phi = c phibar,  phibar = s phibar,
 *   update                             x += (phi / rho) w,  w = v - (theta / rho) w.
 *
 * With damp = 0, phibar = ||r_i|| exactly (in exact arithmetic) and |phibar alpha c| = ||A^T r_i||.
 * Stopping rules (istop):
 *   0  b - A x_0 = 0 or A^T (b - A x_0) = 0: x_0 is already a solution (b = 0: x = 0); 0 iterations,
 *   1  ||r|| <= btol ||b|| + atol ||A|| ||x||              (a solution of A x = b to the tolerances),
 *   2  ||A^T r|| <= atol ||A|| ||r||                       (a least-squares solution),
 *   3  cond(A) estimate >= conlim,  4/5/6 the tests of 1/2/3 at machine precision,
 *   7  the iteration limit.
 * ||A|| (Frobenius estimate of the bidiagonal) and cond(A) are LSQR's running estimates; ||b|| and ||x||
 * here refer to the correction problem A dx = b - A x_0 when x_0 != 0 (as in scipy).
 * Option scaleColumns runs the same iteration on A D, D = diag(1/||A_:j||) (Paige & Saunders' recommended
 * column scaling), and returns x_0 + D dy: on the d = 10 Gamma system it needs 35-40 iterations instead of 50-85.
 *
 * Shapes: A is rows x cols; b has length rows; x has length cols. The solver owns its work vectors
 * (u: rows, v, w: cols) and a cached transpose of the last CSR pattern; a solve on an unchanged pattern
 * allocates only its small result object.
 */
export interface LsqrOptions {
  /** Relative error in A (default 1e-12). */
  atol?: number;
  /** Relative error in b (default 1e-12). */
  btol?: number;
  /** Iteration limit (default 4 cols + 20). */
  maxIterations?: number;
  /** Stop when the condition-number estimate exceeds this (istop 3; default 1e8 as scipy). */
  conlim?: number;
  /**
   * Right diagonal preconditioning (default false): run LSQR on A D with D = diag(1 / ||A_{:,j}||) and return
   * x = x_0 + D dy. Same solution whenever it is unique (full column rank, e.g. the square nonsingular Gamma
   * system, where it cuts the iterations by about a third); for rank-deficient A it gives the D-weighted
   * minimum-norm solution instead of the minimum-norm one. The tolerances then apply to the scaled problem.
   */
  scaleColumns?: boolean;
}

export interface LsqrResult {
  iterations: number;
  /** Stopping reason (see the module comment). */
  istop: number;
  /** ||A x - b||_2 at exit, recomputed from x (not LSQR's running estimate). */
  residualNorm: number;
  /** ||A x - b|| / ||b|| (0 if b = 0). */
  relResidual: number;
}

const EPS = 2.220446049250313e-16;

/** Reusable LSQR solver for rows x cols systems. */
export class LsqrSolver {
  readonly rows: number;
  readonly cols: number;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  private readonly w: Float64Array;
  private readonly t: Float64Array;
  /** A D in CSR and CSC order, with the column scaling D (cached transpose pattern). */
  private readonly scaled: ScaledCsc;

  constructor(rows: number, cols: number) {
    if (!(Number.isInteger(rows) && rows >= 1 && Number.isInteger(cols) && cols >= 1)) throw new Error(`LSQR needs rows >= 1 and cols >= 1 (got ${rows} x ${cols})`);
    this.rows = rows;
    this.cols = cols;
    this.u = new Float64Array(rows);
    this.v = new Float64Array(cols);
    this.w = new Float64Array(cols);
    this.t = new Float64Array(rows);
    this.scaled = new ScaledCsc(rows, cols);
  }

  /**
   * Solve min ||A x - b||_2. x holds a starting guess on entry (warm start: LSQR solves A dx = b - A x0 and
   * adds dx), the solution on exit. b is not modified. For b = 0 the result is x = 0 (the minimum-norm
   * solution) with 0 iterations; if x0 already solves the problem it is returned unchanged.
   * The CSR pattern's transpose is cached between solves (rebuilt only when rowPtr/colIdx change), so
   * repeated solves on one pattern allocate nothing but the result object.
   */
  solve(A: CsrMatrix, b: Float64Array, x: Float64Array, opts?: LsqrOptions): LsqrResult {
    const m = this.rows;
    const n = this.cols;
    if (A.rows !== m || A.cols !== n) throw new Error(`LSQR solver is ${m} x ${n} but the matrix is ${A.rows} x ${A.cols}`);
    if (b.length < m || x.length < n) throw new Error(`LSQR needs b of length ${m} and x of length ${n} (got ${b.length}, ${x.length})`);
    const atol = opts?.atol ?? 1e-12;
    const btol = opts?.btol ?? 1e-12;
    const iterLim = opts?.maxIterations ?? 4 * n + 20;
    const conlim = opts?.conlim ?? 1e8;
    const ctol = conlim > 0 ? 1 / conlim : 0;
    const u = this.u;
    const v = this.v;
    const w = this.w;

    let bNormTrue = 0;
    for (let i = 0; i < m; i++) bNormTrue += b[i] * b[i];
    bNormTrue = Math.sqrt(bNormTrue);
    if (bNormTrue === 0) {
      x.fill(0, 0, n);
      return { iterations: 0, istop: 0, residualNorm: 0, relResidual: 0 };
    }

    // u = b - A x0 (unscaled A), beta = ||u||
    const rp = A.rowPtr;
    const ci = A.colIdx;
    let beta = 0;
    {
      const va = A.values;
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let p = rp[i], e = rp[i + 1]; p < e; p++) s += va[p] * x[ci[p]];
        const r = b[i] - s;
        u[i] = r;
        beta += r * r;
      }
    }
    beta = Math.sqrt(beta);
    if (beta === 0) return this.finish(A, b, x, 0, 0, bNormTrue);
    const sc = this.scaled;
    sc.load(A, opts?.scaleColumns === true);
    const vr = sc.valsR;
    const vt = sc.valsT;
    const cp = sc.colPtr;
    const ri = sc.rowIdx;
    const dsc = sc.scale;

    const ib = 1 / beta;
    for (let i = 0; i < m; i++) u[i] *= ib;
    // v = (A D)^T u, alfa = ||v||
    let alfa = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = cp[j], e = cp[j + 1]; q < e; q++) s += vt[q] * u[ri[q]];
      v[j] = s;
      alfa += s * s;
    }
    alfa = Math.sqrt(alfa);
    if (alfa === 0) return this.finish(A, b, x, 0, 0, bNormTrue);
    const ia = 1 / alfa;
    for (let j = 0; j < n; j++) {
      v[j] *= ia;
      w[j] = v[j];
    }

    let rhobar = alfa;
    let phibar = beta;
    const bnorm = beta;
    let anorm = 0;
    let ddnorm = 0;
    let xxnorm = 0;
    let z = 0;
    let cs2 = -1;
    let sn2 = 0;
    let itn = 0;
    let istop = 0;

    // Inside the loop u and v are kept unnormalised: the unit vectors are su * u and sv * v (saves two passes).
    let su = 1;
    let sv = 1;
    while (itn < iterLim) {
      itn++;
      // u = A D v - alfa u; beta = ||u||
      beta = 0;
      const au = alfa * su;
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let p = rp[i], e = rp[i + 1]; p < e; p++) s += vr[p] * v[ci[p]];
        const ui = sv * s - au * u[i];
        u[i] = ui;
        beta += ui * ui;
      }
      beta = Math.sqrt(beta);
      if (beta > 0) {
        su = 1 / beta;
        anorm = Math.sqrt(anorm * anorm + alfa * alfa + beta * beta);
        // v = (A D)^T u - beta v; alfa = ||v||
        const bv = beta * sv;
        alfa = 0;
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let q = cp[j], e = cp[j + 1]; q < e; q++) s += vt[q] * u[ri[q]];
          const vj = su * s - bv * v[j];
          v[j] = vj;
          alfa += vj * vj;
        }
        alfa = Math.sqrt(alfa);
        if (alfa > 0) sv = 1 / alfa;
      }

      // Plane rotation eliminating beta (scipy's _sym_ortho(rhobar, beta)).
      let cs: number;
      let sn: number;
      let rho: number;
      if (beta === 0) {
        cs = rhobar === 0 ? 0 : Math.sign(rhobar);
        sn = 0;
        rho = Math.abs(rhobar);
      } else if (rhobar === 0) {
        cs = 0;
        sn = Math.sign(beta);
        rho = Math.abs(beta);
      } else if (Math.abs(beta) > Math.abs(rhobar)) {
        const tq = rhobar / beta;
        sn = Math.sign(beta) / Math.sqrt(1 + tq * tq);
        cs = sn * tq;
        rho = beta / sn;
      } else {
        const tq = beta / rhobar;
        cs = Math.sign(rhobar) / Math.sqrt(1 + tq * tq);
        sn = cs * tq;
        rho = rhobar / cs;
      }
      const theta = sn * alfa;
      rhobar = -cs * alfa;
      const phi = cs * phibar;
      phibar = sn * phibar;
      const tau = sn * phi;

      // x += D (phi/rho) w; w = v - (theta/rho) w; ddnorm += ||w_old / rho||^2
      const t1 = phi / rho;
      const t2 = -theta / rho;
      const irho = 1 / rho;
      let dk = 0;
      for (let j = 0; j < n; j++) {
        const wj = w[j];
        const d = wj * irho;
        dk += d * d;
        x[j] += t1 * wj * dsc[j];
        w[j] = sv * v[j] + t2 * wj;
      }
      ddnorm += dk;

      // ||x|| estimate by the second rotation (Paige & Saunders section 5.2).
      const delta = sn2 * rho;
      const gambar = -cs2 * rho;
      const rhs = phi - delta * z;
      const zbar = rhs / gambar;
      const xnorm = Math.sqrt(xxnorm + zbar * zbar);
      const gamma = Math.sqrt(gambar * gambar + theta * theta);
      cs2 = gambar / gamma;
      sn2 = theta / gamma;
      z = rhs / gamma;
      xxnorm += z * z;

      const acond = anorm * Math.sqrt(ddnorm);
      const rnorm = Math.abs(phibar);
      const arnorm = alfa * Math.abs(tau);
      const test1 = rnorm / bnorm;
      const test2 = arnorm / (anorm * rnorm + EPS);
      const test3 = 1 / (acond + EPS);
      const tt1 = test1 / (1 + (anorm * xnorm) / bnorm);
      const rtol = btol + (atol * anorm * xnorm) / bnorm;
      if (itn >= iterLim) istop = 7;
      if (1 + test3 <= 1) istop = 6;
      if (1 + test2 <= 1) istop = 5;
      if (1 + tt1 <= 1) istop = 4;
      if (test3 <= ctol) istop = 3;
      if (test2 <= atol) istop = 2;
      if (test1 <= rtol) istop = 1;
      if (istop !== 0) break;
    }
    return this.finish(A, b, x, itn, istop, bNormTrue);
  }

  /** Result with the residual recomputed from x. */
  private finish(A: CsrMatrix, b: Float64Array, x: Float64Array, iterations: number, istop: number, bNorm: number): LsqrResult {
    const t = this.t;
    csrMultiply(A, x, t);
    let r = 0;
    for (let i = 0; i < this.rows; i++) {
      const ri = t[i] - b[i];
      r += ri * ri;
    }
    const residualNorm = Math.sqrt(r);
    return { iterations, istop, residualNorm, relResidual: bNorm > 0 ? residualNorm / bNorm : 0 };
  }
}
