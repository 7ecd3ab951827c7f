import { performance } from 'node:perf_hooks';
import { type HestonClaim, type HestonGreeks, type HestonMarket } from '../../../src-shared/heston/types';
import { cubicWeights, gridPayoff, interpolate, nuGrid, sGrid, surfaceGreeks } from './adiGrid';
import { applyA0, applyA1, applyA2, buildOperators, type HestonOperators, solveA1, solveA2 } from './adiOperators';

/**
 * The Bermudan (or European) put/call under Heston by the 2-D PDE in (S, nu) (spec heston-osm.md, "References the
 * engine computes itself"): finite differences on the non-uniform grids of in 't Hout & Foulon (2010) (see
 * adiGrid.ts, adiOperators.ts), time-stepped in tau = T - t by the Hundsdorfer–Verwer ADI scheme (their
 * eq. (2.13), theta = 1/2 + sqrt(3)/6), exercise u = max(u, g) applied at the exercise dates t = k T / R,
 * k = 1..R - 1 (k = R is the payoff at maturity). After the payoff and after every exercise date the first step is
 * replaced by two Douglas half-steps with theta = 1 (damping of the kink, as Rannacher time-stepping does).
 */

export interface AdiGrid {
  /** S points (>= 8). */
  ns: number;
  /** nu points (>= 6). */
  nv: number;
  /** Time steps over [0, T] (about; the steps are spread over the intervals between exercise and surface dates). */
  nt: number;
  /** Upper S boundary (currency); default 8 K (in 't Hout & Foulon). */
  sMax?: number;
  /** Upper nu boundary (1/yr); default max(1, 5 max(nu0, nubar)). */
  vMax?: number;
}

/** Default grid: H1 (Bermudan, 12 dates) within 6e-5 of QuantLib's finest FD price (5e-5 relative), the European within 3e-5 of the semi-analytic price, in about 0.5 s (measured under load; test/unit/engine/heston/adi.test.ts). */
export const ADI_DEFAULT_GRID: AdiGrid = { ns: 240, nv: 60, nt: 120 };

/** Value and Greeks over the grid at forward time t (years). */
export interface AdiSurface {
  t: number;
  /** True when t is an exercise date (or maturity): `price` is then max(g, C) and `continuation` holds C. */
  exercise: boolean;
  /** ns x nv row-major, index i * nv + j for (S_i, nu_j). */
  price: Float64Array;
  delta: Float64Array;
  vega: Float64Array;
  gamma: Float64Array;
  vomma: Float64Array;
  vanna: Float64Array;
  continuation?: Float64Array;
}

export interface AdiRefinement {
  grid: AdiGrid;
  t0: HestonGreeks;
  /** Refined minus base price (currency): the reference's own error estimate. */
  priceChange: number;
  wallMs: number;
}

export interface AdiResult {
  /** The claim solved (its payoff and exercise dates). */
  claim: HestonClaim;
  t0: HestonGreeks;
  grid: { S: Float64Array; nu: Float64Array };
  gridSize: AdiGrid;
  surfaces: AdiSurface[];
  refinement?: AdiRefinement;
  wallMs: number;
}

export interface AdiArgs {
  market: HestonMarket;
  claim: HestonClaim;
  grid?: Partial<AdiGrid>;
  /** Forward times (years, in [0, T]) at which to keep the surfaces; each becomes a time-grid point. */
  surfaceTimes?: number[];
  /** Called after each time step with (done, total); return true to cancel (throws 'cancelled'). */
  onProgress?: (done: number, total: number) => boolean | void;
}

const HV_THETA = 0.5 + Math.sqrt(3) / 6;

/** Payoff g(S): (K - S)^+ or (S - K)^+. */
export function claimPayoff(claim: HestonClaim, s: number): number {
  return claim.kind === 'put' ? Math.max(claim.strike - s, 0) : Math.max(s - claim.strike, 0);
}

interface Work {
  f0: Float64Array;
  f1: Float64Array;
  f2: Float64Array;
  y0: Float64Array;
  y: Float64Array;
  g0: Float64Array;
  g1: Float64Array;
  g2: Float64Array;
}

/** Boundary data at tau: g0 = Dirichlet value at S = 0, gN = u_S at Smax. */
type Boundary = (tau: number) => { g0: number; gN: number };

/**
 * One Hundsdorfer–Verwer step from tau to tau + dt (in place on u), or a Douglas step with theta = 1 when
 * `douglas` (in 't Hout & Foulon eqs. (2.11), (2.13)):
 *   Y0 = U + dt F(U);  Yj = Y(j-1) + theta dt (Fj(Yj) - Fj(U)), j = 1, 2;
 *   Z0 = Y0 + dt/2 (F(Y2) - F(U));  Zj = Z(j-1) + theta dt (Fj(Zj) - Fj(Y2));  U_new = Z2.
 */
function step(op: HestonOperators, u: Float64Array, tau: number, dt: number, bc: Boundary, douglas: boolean, w: Work): void {
  const n = u.length;
  const theta = douglas ? 1 : HV_THETA;
  const c = theta * dt;
  const old = bc(tau);
  const now = bc(tau + dt);
  applyA0(op, u, w.f0);
  applyA1(op, u, old.gN, w.f1);
  applyA2(op, u, w.f2);
  const { f0, f1, f2, y0, y, g0, g1, g2 } = w;
  for (let k = 0; k < n; k++) y0[k] = u[k] + dt * (f0[k] + f1[k] + f2[k]);
  // Y1: (I - c A1) Y1 = Y0 - c F1(U) + c b1(now).
  addB1(op, y0, -c, f1, c * now.gN, y);
  solveA1(op, c, y, now.g0, y);
  for (let k = 0; k < n; k++) y[k] -= c * f2[k];
  solveA2(op, c, y, y);
  if (douglas) {
    u.set(y);
    return;
  }
  applyA0(op, y, g0);
  applyA1(op, y, now.gN, g1);
  applyA2(op, y, g2);
  for (let k = 0; k < n; k++) y0[k] += 0.5 * dt * (g0[k] + g1[k] + g2[k] - f0[k] - f1[k] - f2[k]);
  addB1(op, y0, -c, g1, c * now.gN, y);
  solveA1(op, c, y, now.g0, y);
  for (let k = 0; k < n; k++) y[k] -= c * g2[k];
  solveA2(op, c, y, y);
  u.set(y);
}

/** out = a + s f + bScale * b1 (b1 nonzero on the row i = ns - 1 only). */
function addB1(op: HestonOperators, a: Float64Array, s: number, f: Float64Array, bScale: number, out: Float64Array): void {
  for (let k = 0; k < a.length; k++) out[k] = a[k] + s * f[k];
  if (bScale !== 0) {
    const o = (op.ns - 1) * op.nv;
    for (let j = 0; j < op.nv; j++) out[o + j] += bScale * op.nb[j];
  }
}

function resolveGrid(args: AdiArgs): AdiGrid {
  const g = { ...ADI_DEFAULT_GRID, ...args.grid };
  const { market: m, claim } = args;
  const sMax = g.sMax ?? Math.max(8 * claim.strike, 4 * m.s0);
  const vMax = g.vMax ?? Math.max(1, 5 * Math.max(m.nu0, m.nubar));
  if (!(g.ns >= 8 && g.nv >= 6 && g.nt >= 1)) throw new RangeError(`ADI grid too small: ns ${g.ns} (>= 8), nv ${g.nv} (>= 6), nt ${g.nt} (>= 1)`);
  return { ns: Math.round(g.ns), nv: Math.round(g.nv), nt: Math.round(g.nt), sMax, vMax };
}

/** Sorted unique tau checkpoints with flags (exercise / surface wanted). */
function checkpoints(claim: HestonClaim, surfaceTimes: number[]): { tau: number; exercise: boolean; surface: boolean }[] {
  const T = claim.maturity;
  const eps = 1e-10 * T;
  const pts: { tau: number; exercise: boolean; surface: boolean }[] = [];
  const add = (tau: number, exercise: boolean, surface: boolean): void => {
    const hit = pts.find((p) => Math.abs(p.tau - tau) <= eps);
    if (hit) {
      hit.exercise ||= exercise;
      hit.surface ||= surface;
    } else pts.push({ tau, exercise, surface });
  };
  add(0, true, false);
  add(T, false, false);
  const R = claim.exerciseDates;
  for (let k = 1; k < R; k++) add(T - (k * T) / R, true, false);
  for (const t of surfaceTimes) {
    if (!(t >= -eps && t <= T + eps)) throw new RangeError(`surface time ${t} outside [0, ${T}]`);
    add(Math.min(T, Math.max(0, T - t)), false, true);
  }
  return pts.sort((a, b) => a.tau - b.tau);
}

function surfaceAt(t: number, exercise: boolean, price: Float64Array, S: Float64Array, V: Float64Array, continuation?: Float64Array): AdiSurface {
  return { t, exercise, price: price.slice(), ...surfaceGreeks(price, S, V), ...(continuation ? { continuation } : {}) };
}

/** Price and Greeks at (s, v) from a surface by tensor-product cubic interpolation. */
export function greeksAt(surface: AdiSurface, S: Float64Array, V: Float64Array, s: number, v: number): HestonGreeks {
  const ws = new Float64Array(4);
  const wv = new Float64Array(4);
  const i0 = cubicWeights(S, s, ws);
  const j0 = cubicWeights(V, v, wv);
  const nv = V.length;
  const at = (a: Float64Array): number => interpolate(a, nv, i0, ws, j0, wv);
  return {
    price: at(surface.price),
    delta: at(surface.delta),
    vega: at(surface.vega),
    gamma: at(surface.gamma),
    vomma: at(surface.vomma),
    vanna: at(surface.vanna),
  };
}

/**
 * Solve the PDE from maturity back to t = 0. Returns the t = 0 price and Greeks at (market.s0, market.nu0)
 * (currency; Vega per unit variance), the grid, and the surfaces at the requested forward times.
 */
export function hestonAdi(args: AdiArgs): AdiResult {
  const t0Wall = performance.now();
  const { market: m, claim } = args;
  if (!(claim.maturity > 0) || !(claim.strike > 0) || !(Number.isInteger(claim.exerciseDates) && claim.exerciseDates >= 1)) {
    throw new RangeError(`claim needs maturity > 0, strike > 0 and an integer exerciseDates >= 1 (got ${JSON.stringify(claim)})`);
  }
  const grid = resolveGrid(args);
  const { S, iK } = sGrid(grid.ns, claim.strike, grid.sMax!);
  const V = nuGrid(grid.nv, grid.vMax!);
  const op = buildOperators(m, S, V);
  const n = grid.ns * grid.nv;
  const w: Work = {
    f0: new Float64Array(n),
    f1: new Float64Array(n),
    f2: new Float64Array(n),
    y0: new Float64Array(n),
    y: new Float64Array(n),
    g0: new Float64Array(n),
    g1: new Float64Array(n),
    g2: new Float64Array(n),
  };
  const u = new Float64Array(n);
  const g = new Float64Array(n);
  const g1 = gridPayoff(S, iK, claim.kind, claim.strike);
  for (let i = 0; i < grid.ns; i++) for (let j = 0; j < grid.nv; j++) g[i * grid.nv + j] = claimPayoff(claim, S[i]);
  for (let i = 0; i < grid.ns; i++) for (let j = 0; j < grid.nv; j++) u[i * grid.nv + j] = g1[i];
  const T = claim.maturity;
  const pts = checkpoints(claim, args.surfaceTimes ?? []);
  const dtTarget = T / grid.nt;
  const stepsIn = pts.slice(1).map((p, c) => Math.max(1, Math.round((p.tau - pts[c].tau) / dtTarget)));
  const total = stepsIn.reduce((a, b) => a + b, 0);
  let lastExercise = 0;
  const put = claim.kind === 'put';
  const bc: Boundary = (tau) => ({
    g0: put ? claim.strike * Math.exp(-m.r * (tau - lastExercise)) : 0,
    gN: put ? 0 : Math.exp(-m.q * (tau - lastExercise)),
  });
  const surfaces: AdiSurface[] = [];
  if (pts[0].surface) surfaces.push(surfaceAt(T, true, u, S, V, new Float64Array(n)));
  let done = 0;
  for (let c = 0; c + 1 < pts.length; c++) {
    const from = pts[c].tau;
    const steps = stepsIn[c];
    const dt = (pts[c + 1].tau - from) / steps;
    for (let s = 0; s < steps; s++) {
      const tau = from + s * dt;
      if (s === 0 && pts[c].exercise) {
        step(op, u, tau, 0.5 * dt, bc, true, w);
        step(op, u, tau + 0.5 * dt, 0.5 * dt, bc, true, w);
      } else step(op, u, tau, dt, bc, false, w);
      done++;
      if (args.onProgress?.(done, total) === true) throw new Error('cancelled');
    }
    const p = pts[c + 1];
    let continuation: Float64Array | undefined;
    if (p.exercise) {
      continuation = u.slice();
      for (let k = 0; k < n; k++) if (g[k] > u[k]) u[k] = g[k];
      lastExercise = p.tau;
    }
    if (p.surface) surfaces.push(surfaceAt(T - p.tau, p.exercise, u, S, V, continuation));
  }
  const last = surfaces.length > 0 && surfaces[surfaces.length - 1].t === 0 ? surfaces[surfaces.length - 1] : surfaceAt(0, false, u, S, V);
  const t0 = greeksAt(last, S, V, m.s0, m.nu0);
  surfaces.sort((a, b) => a.t - b.t);
  return { claim, t0, grid: { S, nu: V }, gridSize: grid, surfaces, wallMs: performance.now() - t0Wall };
}

/**
 * The PDE at the given grid and at a refined one (every dimension times `factor`, default 1.5); the result is the
 * base solve (with its surfaces) plus `refinement` = the refined t0 Greeks and the price change.
 */
export function hestonAdiWithRefinement(args: AdiArgs & { factor?: number }): AdiResult {
  const base = hestonAdi(args);
  const f = args.factor ?? 1.5;
  const grid: AdiGrid = {
    ...base.gridSize,
    ns: Math.round(base.gridSize.ns * f),
    nv: Math.round(base.gridSize.nv * f),
    nt: Math.round(base.gridSize.nt * f),
  };
  const fine = hestonAdi({ market: args.market, claim: args.claim, grid });
  return { ...base, refinement: { grid, t0: fine.t0, priceChange: fine.t0.price - base.t0.price, wallMs: fine.wallMs } };
}
