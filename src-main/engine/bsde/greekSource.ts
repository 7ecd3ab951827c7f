import { type BookContent, assetIndex } from '../../../src-shared/portfolio/book';
import { type StoredSolution } from '../../../src-shared/bsde/result';
import { bsDivDelta, bsDivGamma, bsDivPrice } from '../math/blackScholesDividend';
import { type BasketMarket, geometricBasketParams } from '../math/geometricBasket';
import { margrabe } from '../math/margrabe';
import { evalMlpBatch, evalMlpJacobian } from './mlpLayout';

/**
 * Prices and book Greeks of many paths at one grid date, for hedging along paths (spec portfolio-bsde.md
 * "Hedging along simulated paths"). Everything is in log coordinates x = log S while summed over the book:
 *
 *     book gradient  g = sum_j n_j grad_x u_j,   book Hessian  H = sum_j n_j Hess_x u_j   (alive options only)
 *
 * and converted to price Greeks once per path by {@link logToPriceFlat}. Two sources:
 * - network: the solve run's stored networks (OSM: Ztilde and DZ = G Sig; RDBDP: Zhat and its x-Jacobian),
 *   as in solution.ts `evaluateSolution` but for a whole batch of paths; t = 0 uses the stored constants.
 * - closed form: European geometric-basket (single-asset call/put = basket of one) and exchange options.
 */
export interface GreekBatch {
  /** value[p * J + j]: option j's value (continuation value C_j before any exercise decision), money per unit. */
  value: Float64Array;
  /** grad[p * d + a]: book gradient in log prices (money). */
  grad: Float64Array;
  /** hess[p * d * d + a * d + b]: book Hessian in log prices (money); only when asked for. */
  hess: Float64Array;
}

export interface BookGreekSource {
  readonly d: number;
  readonly J: number;
  /** Whether `evaluate` can give Hessians (RDBDP at t = 0 without a stored Hessian cannot). */
  readonly hasGamma: boolean;
  /**
   * Values of every option and the book gradient (and Hessian when `withHess`) over options with
   * alive[p * J + j] = 1, at grid index n (0 <= n < N) and log prices x[p * d + a] of `rows` paths.
   */
  evaluate(n: number, x: Float64Array, rows: number, alive: Uint8Array, withHess: boolean, out: GreekBatch): void;
}

export const greekBatch = (rows: number, d: number, J: number): GreekBatch => ({
  value: new Float64Array(rows * J),
  grad: new Float64Array(rows * d),
  hess: new Float64Array(rows * d * d),
});

/**
 * Price Delta and Gamma from a log gradient g and Hessian H at spots S (flat, row-major):
 * Delta_a = g_a / S_a,  Gamma_ab = (H_ab - [a = b] g_a) / (S_a S_b).
 */
export function logToPriceFlat(d: number, s: ArrayLike<number>, sOff: number, g: ArrayLike<number>, gOff: number, h: ArrayLike<number> | null, hOff: number, delta: Float64Array, gamma: Float64Array | null): void {
  for (let a = 0; a < d; a++) delta[a] = g[gOff + a] / s[sOff + a];
  if (!h || !gamma) return;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) gamma[a * d + b] = (h[hOff + a * d + b] - (a === b ? g[gOff + a] : 0)) / (s[sOff + a] * s[sOff + b]);
  }
}

/** Greeks from a solve run's networks. */
export function networkSource(sol: StoredSolution, weights: Float32Array, maxRows: number): BookGreekSource {
  const { d, J } = sol;
  const Jd = J * d;
  const sigInv = Float64Array.from(sol.market.sigInv);
  const q = Float64Array.from(sol.options, (o) => o.quantity);
  const xhat = new Float64Array(maxRows * d);
  const cOut = new Float64Array(maxRows * sol.shapes.c.outputs);
  const zOut = new Float64Array(maxRows * sol.shapes.z.outputs);
  const scratch = { a: new Float64Array(1), z: new Float64Array(1) };
  const zs = new Float64Array(d);
  const dz = new Float64Array(d * d);
  const t = new Float64Array(d * d);
  const hasGamma = sol.scheme === 'osm' || sol.t0.hessX !== null;

  /** g = z Sig^{-1} into grad at gOff; H = sym(Sig^{-T} dz Sig^{-1}) (OSM) into hess at hOff. */
  const fromZ = (grad: Float64Array, gOff: number): void => {
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let l = 0; l < d; l++) s += zs[l] * sigInv[l * d + a];
      grad[gOff + a] = s;
    }
  };
  const hessFromDz = (hess: Float64Array, hOff: number): void => {
    // t = dz Sig^{-1}; H = Sig^{-T} t
    for (let m = 0; m < d; m++) {
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let l = 0; l < d; l++) s += dz[m * d + l] * sigInv[l * d + b];
        t[m * d + b] = s;
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let m = 0; m < d; m++) s += sigInv[m * d + a] * t[m * d + b];
        hess[hOff + a * d + b] = s;
      }
    }
    symmetriseAt(hess, hOff, d);
  };

  return {
    d,
    J,
    hasGamma,
    evaluate(n, x, rows, alive, withHess, out) {
      if (rows > maxRows) throw new Error(`at most ${maxRows} rows per evaluation, got ${rows}`);
      if (n === 0) {
        for (let p = 0; p < rows; p++) {
          zs.fill(0);
          dz.fill(0);
          for (let j = 0; j < J; j++) {
            out.value[p * J + j] = sol.t0.price[j];
            if (!alive[p * J + j]) continue;
            for (let l = 0; l < d; l++) zs[l] += q[j] * sol.t0.z[j * d + l];
            if (withHess && sol.t0.dz) for (let k = 0; k < d * d; k++) dz[k] += q[j] * sol.t0.dz[j * d * d + k];
          }
          fromZ(out.grad, p * d);
          if (!withHess) continue;
          if (sol.t0.dz) hessFromDz(out.hess, p * d * d);
          else if (sol.t0.hessX) {
            const off = p * d * d;
            out.hess.fill(0, off, off + d * d);
            for (let j = 0; j < J; j++) if (alive[p * J + j]) for (let k = 0; k < d * d; k++) out.hess[off + k] += q[j] * sol.t0.hessX[j * d * d + k];
            symmetriseAt(out.hess, off, d);
          } else throw new Error('this solve has no Gamma at t = 0 (RDBDP with one time step); use delta hedging');
        }
        return;
      }
      const tn = n * sol.dt;
      const sq = Math.sqrt(tn);
      for (let p = 0; p < rows; p++) {
        for (let a = 0; a < d; a++) xhat[p * d + a] = (x[p * d + a] - sol.market.x0[a] - sol.market.b[a] * tn) / (sol.market.sigma[a] * sq);
      }
      const off = sol.offsets[n - 1];
      evalMlpBatch(sol.shapes.c, weights, off.c, xhat, rows, cOut, scratch);
      for (let p = 0; p < rows; p++) for (let j = 0; j < J; j++) out.value[p * J + j] = sol.scales.shiftC[j] + sol.scales.sC[j] * cOut[p * sol.shapes.c.outputs + j];
      const zw = sol.shapes.z.outputs;
      if (sol.scheme === 'osm' || !withHess) {
        evalMlpBatch(sol.shapes.z, weights, off.z, xhat, rows, zOut, scratch);
        for (let p = 0; p < rows; p++) {
          zs.fill(0);
          dz.fill(0);
          const zo = p * zw;
          for (let j = 0; j < J; j++) {
            if (!alive[p * J + j]) continue;
            const sZ = sol.scales.sZ[j];
            for (let l = 0; l < d; l++) zs[l] += q[j] * (sol.scales.shiftZ[j * d + l] + sZ * zOut[zo + j * d + l]);
            if (withHess) {
              const sG = q[j] * sol.scales.sG[j];
              for (let m = 0; m < d; m++) for (let l = 0; l < d; l++) dz[m * d + l] += sG * zOut[zo + Jd + m * Jd + j * d + l];
            }
          }
          fromZ(out.grad, p * d);
          if (withHess) hessFromDz(out.hess, p * d * d);
        }
        return;
      }
      // RDBDP Gammas: forward-mode x-Jacobian of Zhat, H = sym(jac Sig^{-1}) (solution.ts).
      for (let p = 0; p < rows; p++) {
        const { out: z, jac } = evalMlpJacobian(sol.shapes.z, weights, off.z, xhat.subarray(p * d, p * d + d));
        zs.fill(0);
        dz.fill(0);
        for (let j = 0; j < J; j++) {
          if (!alive[p * J + j]) continue;
          const sZ = sol.scales.sZ[j];
          for (let l = 0; l < d; l++) zs[l] += q[j] * (sol.scales.shiftZ[j * d + l] + sZ * z[j * d + l]);
          for (let m = 0; m < d; m++) {
            const c = (q[j] * sZ) / (sol.market.sigma[m] * sq);
            for (let l = 0; l < d; l++) dz[m * d + l] += c * jac[m][j * d + l];
          }
        }
        fromZ(out.grad, p * d);
        const hOff = p * d * d;
        for (let m = 0; m < d; m++) {
          for (let b = 0; b < d; b++) {
            let s = 0;
            for (let l = 0; l < d; l++) s += dz[m * d + l] * sigInv[l * d + b];
            out.hess[hOff + m * d + b] = s;
          }
        }
        symmetriseAt(out.hess, hOff, d);
      }
    },
  };
}

function symmetriseAt(h: Float64Array, off: number, d: number): void {
  for (let a = 0; a < d; a++) {
    for (let b = a + 1; b < d; b++) {
      const v = 0.5 * (h[off + a * d + b] + h[off + b * d + a]);
      h[off + a * d + b] = v;
      h[off + b * d + a] = v;
    }
  }
}

/** Why a book has no closed-form Greeks along paths (null when it has). */
export function closedFormIssue(book: BookContent): string | null {
  for (const [j, o] of book.options.entries()) {
    const who = `option ${j + 1}${o.label ? ` (${o.label})` : ''}`;
    if (o.exercise === 'bermudan' && o.exerciseDates > 1) return `${who} is Bermudan: closed-form Greeks along paths exist only for European options; use network Greeks`;
    if (!['geometric-call', 'geometric-put', 'call', 'put', 'exchange'].includes(o.payoff)) {
      return `${who} is a ${o.payoff} option, which has no closed form; closed-form Greeks exist for European geometric-basket, single-asset and exchange options — use network Greeks`;
    }
  }
  return null;
}

/**
 * Closed-form Greeks (spec "Closed forms"): an option on the geometric basket G of its k assets is
 * Black-Scholes in G with s_G and q_G, so with f', f'' its G-derivatives
 *     d u / d x_a = f' G / k,   d2 u / dx_a dx_b = (f'' G^2 + f' G) / k^2   (a, b in the basket);
 * exchange options by Margrabe, converted to log coordinates (g_a = S_a Delta_a, H_ab = S_a S_b Gamma_ab + [a=b] g_a).
 * @param horizon grid T; dt = T / steps; maturities from the book.
 */
export function closedFormSource(book: BookContent, dt: number): BookGreekSource {
  const issue = closedFormIssue(book);
  if (issue) throw new Error(issue);
  const d = book.assets.length;
  const J = book.options.length;
  const idx = assetIndex(book);
  const m: BasketMarket = { spots: book.assets.map((a) => a.s0), vols: book.assets.map((a) => a.sigma), divs: book.assets.map((a) => a.q), corr: book.correlation, rate: book.rate };
  const opts = book.options.map((o) => {
    const assets = o.assets.map((n) => idx.get(n)!);
    const basket = o.payoff === 'exchange' ? null : geometricBasketParams(m, assets);
    const side = o.payoff === 'geometric-call' || o.payoff === 'call' ? ('call' as const) : ('put' as const);
    return { o, assets, basket, side };
  });
  return {
    d,
    J,
    hasGamma: true,
    evaluate(n, x, rows, alive, withHess, out) {
      const t = n * dt;
      for (let p = 0; p < rows; p++) {
        const gOff = p * d;
        const hOff = p * d * d;
        out.grad.fill(0, gOff, gOff + d);
        if (withHess) out.hess.fill(0, hOff, hOff + d * d);
        for (let j = 0; j < J; j++) {
          const { o, assets, basket, side } = opts[j];
          const tau = o.maturity - t;
          const qj = o.quantity;
          if (basket) {
            const k = assets.length;
            let lg = 0;
            for (const a of assets) lg += x[p * d + a];
            const G = Math.exp(lg / k);
            const args = { spot: G, strike: o.strike, vol: basket.vol, tau, rate: book.rate, div: basket.div };
            out.value[p * J + j] = bsDivPrice(side, args);
            if (!alive[p * J + j]) continue;
            const f1 = bsDivDelta(side, args);
            const g1 = (qj * f1 * G) / k;
            for (const a of assets) out.grad[gOff + a] += g1;
            if (withHess) {
              const h = (qj * (bsDivGamma(args) * G * G + f1 * G)) / (k * k);
              for (const a of assets) for (const b of assets) out.hess[hOff + a * d + b] += h;
            }
          } else {
            const [a, b] = assets;
            const sa = Math.exp(x[p * d + a]);
            const sb = Math.exp(x[p * d + b]);
            const r = margrabe({ spotA: sa, spotB: sb, ratio: o.strike, volA: m.vols[a], volB: m.vols[b], rho: m.corr[a][b], divA: m.divs[a], divB: m.divs[b], tau });
            out.value[p * J + j] = r.price;
            if (!alive[p * J + j]) continue;
            const ga = sa * r.delta[0];
            const gb = sb * r.delta[1];
            out.grad[gOff + a] += qj * ga;
            out.grad[gOff + b] += qj * gb;
            if (withHess) {
              out.hess[hOff + a * d + a] += qj * (sa * sa * r.gamma[0][0] + ga);
              out.hess[hOff + b * d + b] += qj * (sb * sb * r.gamma[1][1] + gb);
              const c = qj * sa * sb * r.gamma[0][1];
              out.hess[hOff + a * d + b] += c;
              out.hess[hOff + b * d + a] += c;
            }
          }
        }
      }
    },
  };
}
