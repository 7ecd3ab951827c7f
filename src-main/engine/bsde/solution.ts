import { type BookGreeksAt, type GreeksAt, type OptionGreeksAt, type StoredSolution } from '../../../src-shared/bsde/result';
import { gradFromZ, hessianFromDz, hessianFromZJacobian, logToPrice, symmetrise } from './greeks';
import { evalMlp, evalMlpJacobian } from './mlpLayout';
import { type CompiledOption, payoffAt } from './payoffs';

/**
 * Greeks anywhere in space and time from a stored solve (the function part 2, rebalancing along paths,
 * calls): price, Delta and Gamma of every option and of the book at grid time t_n and spots S.
 *
 * - n = 0: the t = 0 constants (X_0 is fixed there; they are the values at S_0 whatever S is passed).
 * - 0 < n < k_j: the networks of step n at xhat = (log S - x0 - b t_n) / (sigma sqrt(t_n)):
 *   C_n, Ztilde_n and (OSM) DZ_n = G_n Sig, or (RDBDP) U_n, Zhat_n and the x-Jacobian of Zhat_n; at an
 *   exercise date of option j with g_j(S) > C_n the option is exercised: price g, Delta and Gamma of g.
 *   Then grad_x u = Z Sig^{-1}, H = Sig^{-T} DZ Sig^{-1} (OSM) or sym(Jac Sig^{-1}) (RDBDP), converted to
 *   prices (greeks.ts).
 * - n >= k_j: the option has reached maturity: its payoff (n = k_j) or flagged expired (n > k_j).
 * Pure float64 JavaScript: no tfjs, no store.
 */
export type OptionGreeks = OptionGreeksAt;
export type BookGreeks = BookGreeksAt;

const compiled = (o: StoredSolution['options'][number]): CompiledOption => ({
  payoff: o.payoff,
  assets: Int32Array.from(o.assets),
  strike: o.strike,
  strike2: o.strike2 ?? NaN,
  quantity: o.quantity,
});

/** Payoff value, price Delta and Gamma of option j at spots S. */
function payoffGreeks(sol: StoredSolution, j: number, s: readonly number[]): GreeksAt {
  const d = sol.d;
  const x = s.map(Math.log);
  const grad = new Float64Array(d);
  const hess = new Float64Array(d * d);
  const price = payoffAt(compiled(sol.options[j]), d, s, x, 0, grad, 0, hess, Float64Array.from(sol.smooth));
  const H = Array.from({ length: d }, (_, a) => Array.from(hess.subarray(a * d, a * d + d)));
  return { price, ...logToPrice(s, Array.from(grad), H) };
}

/** Evaluate every option at grid index n (0..N) and spots S (length d, money). */
export function evaluateSolution(sol: StoredSolution, weights: Float32Array, n: number, spots: readonly number[]): BookGreeks {
  const { d, J } = sol;
  if (!Number.isInteger(n) || n < 0 || n > sol.steps) throw new Error(`time index n must be a whole number in 0..${sol.steps}, got ${n}`);
  if (spots.length !== d || spots.some((x) => !(x > 0))) throw new Error(`spots must be ${d} positive prices`);
  const sigInv = Float64Array.from(sol.market.sigInv);
  const options: OptionGreeks[] = [];
  let nets: { c: Float64Array; z: Float64Array; jac: Float64Array[] | null } | null = null;
  const xhat = spots.map((s, a) => (Math.log(s) - sol.market.x0[a] - sol.market.b[a] * n * sol.dt) / (sol.market.sigma[a] * Math.sqrt(n * sol.dt)));
  const netsAt = () => {
    if (!nets) {
      const off = sol.offsets[n - 1];
      const c = evalMlp(sol.shapes.c, weights, off.c, xhat);
      if (sol.scheme === 'rdbdp') {
        const { out, jac } = evalMlpJacobian(sol.shapes.z, weights, off.z, xhat);
        nets = { c, z: out, jac };
      } else nets = { c, z: evalMlp(sol.shapes.z, weights, off.z, xhat), jac: null };
    }
    return nets;
  };
  for (let j = 0; j < J; j++) {
    const o = sol.options[j];
    const k = o.maturityIndex;
    if (n > k) {
      options.push({ ...payoffGreeks(sol, j, spots), exercised: false, expired: true });
      continue;
    }
    if (n === k) {
      options.push({ ...payoffGreeks(sol, j, spots), exercised: true, expired: false });
      continue;
    }
    if (n === 0) {
      // A Bermudan (the American approximation) may also be exercised at once: value max(C_0, g(S_0)), as the
      // 1-D lattice reference does (src-main/engine/math/lattice1d.ts); the training grid itself has no
      // exercise date at index 0, so this decision is taken here.
      if (o.exercise.length > 0) {
        const pay = payoffGreeks(sol, j, spots);
        if (pay.price > sol.t0.price[j]) {
          options.push({ ...pay, exercised: true, expired: false });
          continue;
        }
      }
      const z = sol.t0.z.slice(j * d, j * d + d);
      const gradX = gradFromZ(z, sigInv, d);
      let H: number[][] | null = null;
      if (sol.t0.dz) {
        const dz = Array.from({ length: d }, (_, m) => sol.t0.dz!.slice((j * d + m) * d, (j * d + m) * d + d));
        H = hessianFromDz(dz, sigInv, d);
      } else if (sol.t0.hessX) {
        H = symmetrise(Array.from({ length: d }, (_, a) => sol.t0.hessX!.slice((j * d + a) * d, (j * d + a) * d + d)));
      }
      const p = H ? logToPrice(sol.market.s0, gradX, H) : { delta: gradX.map((g, a) => g / sol.market.s0[a]), gamma: null };
      options.push({ price: sol.t0.price[j], delta: p.delta, gamma: p.gamma, exercised: false, expired: false });
      continue;
    }
    const net = netsAt();
    const C = sol.scales.shiftC[j] + sol.scales.sC[j] * net.c[j];
    if (o.exercise.includes(n)) {
      const pay = payoffGreeks(sol, j, spots);
      if (pay.price > C) {
        options.push({ ...pay, exercised: true, expired: false });
        continue;
      }
    }
    const z = Array.from({ length: d }, (_, l) => sol.scales.shiftZ[j * d + l] + sol.scales.sZ[j] * net.z[j * d + l]);
    const gradX = gradFromZ(z, sigInv, d);
    let H: number[][];
    if (sol.scheme === 'osm') {
      const Jd = J * d;
      const dz = Array.from({ length: d }, (_, m) => Array.from({ length: d }, (_, l) => sol.scales.sG[j] * net.z[Jd + m * Jd + j * d + l]));
      H = hessianFromDz(dz, sigInv, d);
    } else {
      const jac = Array.from({ length: d }, (_, m) => Array.from({ length: d }, (_, l) => (sol.scales.sZ[j] * net.jac![m][j * d + l]) / (sol.market.sigma[m] * Math.sqrt(n * sol.dt))));
      H = hessianFromZJacobian(jac, sigInv, d);
    }
    options.push({ price: C, ...logToPrice(spots, gradX, H), exercised: false, expired: false });
  }
  return { t: n * sol.dt, options, book: bookTotal(sol, options) };
}

/** sum_j n_j (price, Delta, Gamma) over options not expired; Gamma null if any option lacks one. */
export function bookTotal(sol: Pick<StoredSolution, 'd' | 'options'>, options: readonly (GreeksAt & { expired?: boolean })[]): GreeksAt {
  const d = sol.d;
  let price = 0;
  const delta = new Array<number>(d).fill(0);
  let gamma: number[][] | null = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  options.forEach((o, j) => {
    if (o.expired) return;
    const q = sol.options[j].quantity;
    price += q * o.price;
    for (let a = 0; a < d; a++) delta[a] += q * o.delta[a];
    if (!o.gamma) gamma = null;
    else if (gamma) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) gamma[a][b] += q * o.gamma[a][b];
  });
  return { price, delta, gamma };
}
