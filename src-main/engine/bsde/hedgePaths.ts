import { type BookContent } from '../../../src-shared/portfolio/book';
import { type HedgePassFigures, type HedgeSettings, type ScheduleRow } from '../../../src-shared/bsde/hedge';
import { type JobHooks, throwIfCancelled } from '../cancel';
import { type Rng, seeded } from '../stochastic/rng';
import { buildInstruments, evalInstruments, fillGammaSystem, gammaRhs, gammaSystem, type InstrumentMarket, instrumentEval } from './gammaInstruments';
import { type BookGreekSource, greekBatch, logToPriceFlat } from './greekSource';
import { csrMultiply, LsqrSolver } from './lsqr';
import { compileMarket } from './market';
import { compileOptions, payoffAt } from './payoffs';

/**
 * Delta and delta-gamma hedging of a book along simulated paths (spec portfolio-bsde.md "Hedging along
 * simulated paths"; source section 3.1, algorithm 2, eq. 42 for exercise).
 *
 * Paths: exact log-normal steps on the grid t_n = n dt under P, X_{n+1} = X_n + b dt + Sig sqrt(dt) xi,
 * each path with its own random stream (seed, path index), so any single path can be replayed alone and
 * gives the same numbers as in the full run. The hedger is short the book, receives V_0 = sum_j n_j Y_0^j
 * and at the rebalancing dates tau_k = k N/R (grid indices; tau_0 = 0) sets
 *
 *     delta:        h = Delta_book,                      w = 0
 *     delta-gamma:  w = LSQR( sum_k w_k Gamma^{H_k}_ab = Gamma^book_ab, a <= b ),   h = Delta_book - sum_k w_k Delta^{H_k}
 *
 * paying for the trades from cash (self-financing: the value before the trade equals the value after).
 * Between dates cash accrues at r (factor e^{r dt} per step) and receives dividends q_a h_a S_a dt (left
 * point). At every grid date the holders exercise option j when t_n is one of its exercise dates and
 * g_j(S) > C_j(t_n, S) (C from the Greek source), and options at maturity pay g_j; the hedger pays
 * n_j g_j from cash and the option leaves the book. When no option is left the hedge is liquidated.
 * Relative PnL = V_T / |V_0| with V_T the hedge value at T after all payments.
 */
export interface HedgeGrid {
  steps: number;
  horizon: number;
  dt: number;
  /** Maturity index k_j of each option. */
  maturityIndex: ArrayLike<number>;
  /** exercise[j][n] = 1 at an early-exercise date (0 < n < k_j). */
  exercise: ArrayLike<number>[];
}

export interface HedgeProblem {
  book: BookContent;
  grid: HedgeGrid;
  source: BookGreekSource;
  settings: Pick<HedgeSettings, 'strategy' | 'rebalance' | 'instruments' | 'seed'>;
}

export interface HedgeOutcome extends HedgePassFigures {
  /** Relative PnL of each simulated path (in the order of `pathIds`). */
  pnl: Float64Array;
  /** One schedule per path when `record` was asked for. */
  schedules: ScheduleRow[][] | null;
}

/** The random stream of path p: independent of how many paths run and in which chunk. */
export function pathRng(seed: number, p: number): Rng {
  let h = (Math.imul(p + 1, 0x9e3779b1) ^ Math.imul(seed >>> 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return seeded((h ^ (h >>> 16)) >>> 0);
}

/** Check the settings against the grid; returns a message or null. */
export function hedgeGridIssue(grid: HedgeGrid, rebalance: number, instrumentMaturity: number | null): string | null {
  if (grid.steps % rebalance !== 0) {
    const divisors = Array.from({ length: grid.steps }, (_, i) => i + 1).filter((r) => grid.steps % r === 0);
    return `rebalance R = ${rebalance} does not divide the grid's N = ${grid.steps}; choose one of ${divisors.join(', ')}`;
  }
  if (instrumentMaturity !== null && !(instrumentMaturity >= grid.horizon)) {
    return `instruments.maturity ${instrumentMaturity} y must be at least the horizon T = ${grid.horizon} y (gamma instruments that expire before T have no Gamma at later dates)`;
  }
  return null;
}

const CHUNK = 1024;
/** LSQR tolerances on the column-scaled system (1e-12 there leaves up to ~1e-5 relative residuals at d = 10). */
const LSQR_TOL = 1e-14;

export function hedgeAlongPaths(problem: HedgeProblem, opts: { pathIds: Int32Array; record?: boolean; hooks?: JobHooks }): HedgeOutcome {
  const t0 = performance.now();
  const { book, grid, source, settings } = problem;
  const gamma = settings.strategy === 'delta-gamma';
  const issue = hedgeGridIssue(grid, settings.rebalance, gamma ? settings.instruments.maturity : null);
  if (issue) throw new Error(issue);
  if (gamma && !source.hasGamma) throw new Error('this Greek source has no Gammas; use delta hedging');
  const d = book.assets.length;
  const J = book.options.length;
  const N = grid.steps;
  const dt = grid.dt;
  const stride = N / settings.rebalance;
  const market = compileMarket(book);
  const compiled = compileOptions(book);
  const quantity = Float64Array.from(book.options, (o) => o.quantity);
  const labels = book.options.map((o, j) => o.label || `option ${j + 1}`);
  const q = Float64Array.from(book.assets, (a) => a.q);
  const im: InstrumentMarket = { d, names: book.assets.map((a) => a.name), s0: book.assets.map((a) => a.s0), sigma: book.assets.map((a) => a.sigma), q: Array.from(q), corr: book.correlation, rate: book.rate };
  const insts = gamma ? buildInstruments(im, settings.instruments) : [];
  const M = insts.length;
  const sys = gamma ? gammaSystem(d, insts) : null;
  const solver = gamma ? new LsqrSolver(sys!.rows, M) : null;
  const ev = instrumentEval(M);
  const rhs = new Float64Array(sys ? sys.rows : 0);
  const wNew = new Float64Array(M);
  const ax = new Float64Array(sys ? sys.rows : 0);
  const colScale = new Float64Array(M);
  const smooth = new Float64Array(d);
  const growth = Math.exp(market.rate * dt);
  const sqdt = Math.sqrt(dt);
  const P = opts.pathIds.length;
  const rows = Math.min(CHUNK, P);
  const gb = greekBatch(rows, d, J);
  const x = new Float64Array(rows * d);
  const S = new Float64Array(rows * d);
  const xi = new Float64Array(d);
  const cash = new Float64Array(rows);
  const h = new Float64Array(rows * d);
  const w = new Float64Array(rows * M);
  const alive = new Uint8Array(rows * J);
  const delta = new Float64Array(d);
  const gam = new Float64Array(d * d);
  const hNew = new Float64Array(d);
  const pnl = new Float64Array(P);
  const early = new Array<number>(J).fill(0);
  const lsqr = { solves: 0, iterations: 0, maxIterations: 0, maxRelResidual: 0 };
  let selfFin = 0;
  let gammaScale = 0;
  let greeksMs = 0;
  let lsqrMs = 0;
  let v0 = NaN;
  const record = opts.record === true;
  const schedules: ScheduleRow[][] | null = record ? Array.from({ length: P }, () => []) : null;
  const totalWork = Math.ceil(P / rows) * (N + 1);
  let work = 0;

  const evalSource = (n: number, m: number, withHess: boolean): void => {
    const a = performance.now();
    source.evaluate(n, x, m, alive, withHess, gb);
    greeksMs += performance.now() - a;
  };
  /** Instruments at (t, S_p) into ev; returns their value at the path's current weights. */
  const instrumentsAt = (t: number, p: number): number => {
    if (M === 0) return 0;
    evalInstruments(insts, im, t, S, p * d, ev);
    let v = 0;
    for (let k = 0; k < M; k++) v += w[p * M + k] * ev.price[k];
    return v;
  };
  const holdingsValue = (p: number): number => {
    let v = 0;
    for (let a = 0; a < d; a++) v += h[p * d + a] * S[p * d + a];
    return v;
  };
  /** Value of the options still in the book at t_n (payoff for those maturing now). */
  const bookValue = (p: number, n: number): number => {
    let v = 0;
    for (let j = 0; j < J; j++) {
      if (!alive[p * J + j]) continue;
      v += quantity[j] * (grid.maturityIndex[j] === n ? payoffAt(compiled[j], d, S, x, p * d, null, 0, null, smooth) : gb.value[p * J + j]);
    }
    return v;
  };

  for (let c0 = 0; c0 < P; c0 += rows) {
    const m = Math.min(rows, P - c0);
    const rngs = Array.from({ length: m }, (_, p) => pathRng(settings.seed, opts.pathIds[c0 + p]));
    for (let p = 0; p < m; p++) {
      for (let a = 0; a < d; a++) {
        x[p * d + a] = market.x0[a];
        S[p * d + a] = market.s0[a];
      }
    }
    alive.fill(1);
    h.fill(0);
    w.fill(0);
    for (let n = 0; n <= N; n++) {
      throwIfCancelled(opts.hooks);
      const t = n * dt;
      if (n > 0) {
        // Accrue cash over [t_{n-1}, t_n] (interest and dividends on the holdings), then move the assets.
        for (let p = 0; p < m; p++) {
          let div = 0;
          for (let a = 0; a < d; a++) div += q[a] * h[p * d + a] * S[p * d + a];
          cash[p] = cash[p] * growth + div * dt;
          rngs[p].fillNormal(xi);
          for (let a = 0; a < d; a++) {
            let s = 0;
            for (let k = 0; k <= a; k++) s += market.sig[a * d + k] * xi[k];
            const v = x[p * d + a] + market.b[a] * dt + sqdt * s;
            x[p * d + a] = v;
            S[p * d + a] = Math.exp(v);
          }
        }
      }
      // Payments: maturities, and exercise where payoff > continuation value.
      let exercisable = false;
      let maturing = false;
      for (let j = 0; j < J; j++) {
        if (grid.maturityIndex[j] === n) maturing = true;
        else if (n > 0 && n < grid.maturityIndex[j] && grid.exercise[j][n]) exercisable = true;
      }
      const rebalance = n < N && n % stride === 0;
      const needValues = exercisable || (record && (maturing || rebalance)) || (n === 0);
      const payments: ScheduleRow['payments'][] | null = record ? Array.from({ length: m }, () => []) : null;
      const bookBefore = new Float64Array(record ? m : 0);
      if (needValues && !rebalance && n < N) evalSource(n, m, false);
      else if (rebalance) evalSource(n, m, gamma);
      if (n === 0) {
        v0 = 0;
        for (let j = 0; j < J; j++) v0 += quantity[j] * gb.value[j];
        if (!(Math.abs(v0) > 0)) throw new Error(`the book's value at t = 0 is ${v0}: relative PnL needs a nonzero V_0`);
        for (let p = 0; p < m; p++) cash[p] = v0;
      }
      if (record) for (let p = 0; p < m; p++) bookBefore[p] = bookValue(p, n);
      if (maturing || exercisable) {
        for (let p = 0; p < m; p++) {
          for (let j = 0; j < J; j++) {
            if (!alive[p * J + j]) continue;
            const k = grid.maturityIndex[j];
            const atMaturity = k === n;
            const canExercise = !atMaturity && n > 0 && n < k && grid.exercise[j][n] === 1;
            if (!atMaturity && !canExercise) continue;
            const g = payoffAt(compiled[j], d, S, x, p * d, null, 0, null, smooth);
            if (canExercise && !(g > gb.value[p * J + j])) continue;
            const amount = quantity[j] * g;
            cash[p] -= amount;
            alive[p * J + j] = 0;
            if (canExercise) early[j]++;
            payments?.[p].push({ option: j, label: labels[j], amount, early: canExercise });
          }
        }
      }
      if (rebalance && (maturing || exercisable)) evalSource(n, m, gamma); // the book changed: Greeks of what is left
      for (let p = 0; p < m; p++) {
        let anyAlive = false;
        for (let j = 0; j < J; j++) if (alive[p * J + j]) anyAlive = true;
        const paid = payments ? payments[p].reduce((s, e) => s + e.amount, 0) : 0;
        const instrBefore = rebalance || n === N || !anyAlive || record ? instrumentsAt(t, p) : 0;
        const before = cash[p] + holdingsValue(p) + instrBefore;
        const holdBefore = record ? Array.from(h.subarray(p * d, p * d + d)) : null;
        const wBefore = record ? Array.from(w.subarray(p * M, p * M + M)) : null;
        let kind: ScheduleRow['kind'] | null = null;
        if (n === N) {
          pnl[c0 + p] = before / Math.abs(v0);
          kind = 'final';
        } else if (!anyAlive) {
          // Nothing left to hedge: liquidate (a no-op once flat).
          if (h.subarray(p * d, p * d + d).some((v) => v !== 0) || w.subarray(p * M, p * M + M).some((v) => v !== 0)) {
            cash[p] = before;
            h.fill(0, p * d, p * d + d);
            w.fill(0, p * M, p * M + M);
            kind = 'rebalance';
          } else if (payments && payments[p].length) kind = payments[p].some((e) => e.early) ? 'exercise' : 'maturity';
        } else if (rebalance) {
          kind = 'rebalance';
          logToPriceFlat(d, S, p * d, gb.grad, p * d, gamma ? gb.hess : null, p * d * d, delta, gamma ? gam : null);
          hNew.set(delta);
          if (gamma) {
            const a0 = performance.now();
            fillGammaSystem(sys!, ev);
            gammaRhs(sys!, gam, 0, rhs);
            for (let k = 0; k < M; k++) wNew[k] = w[p * M + k];
            // Yesterday's weights still fit (every Gamma ~0 far from the money, or nothing moved): keep them
            // rather than trade to match a ~1e-30 right-hand side. Otherwise LSQR from that warm start.
            csrMultiply(sys!, wNew, ax);
            let r0 = 0;
            let bb = 0;
            for (let i = 0; i < rhs.length; i++) {
              r0 += (rhs[i] - ax[i]) ** 2;
              bb += rhs[i] * rhs[i];
            }
            if (n === 0 && Math.sqrt(bb) > gammaScale) gammaScale = Math.sqrt(bb);
            const keep = Math.sqrt(r0) <= 1e-12 * Math.max(Math.sqrt(bb), 1e-6 * gammaScale);
            let r: { iterations: number; residualNorm: number };
            if (keep) r = { iterations: 0, residualNorm: Math.sqrt(r0) };
            else {
              // Right preconditioning by each instrument's own Gamma entry (put: its (a,a); exchange call:
              // its (a,b)): LSQR on A D with y = D^{-1} w, then w = D y. Same solution (A is square and
              // nonsingular), A D = [[I, B], [0, I]] with B's entries ~ -S_b/S_a. Measured at d = 10 (B1, R = 120):
              // 31 iterations against 38 with unit-norm columns and 52 unscaled, residuals <= 2e-8.
              for (let k = 0; k < M; k++) {
                const g = insts[k].kind === 'put' ? ev.gAA[k] : ev.gAB[k];
                colScale[k] = g !== 0 && Number.isFinite(1 / g) ? 1 / Math.abs(g) : 1;
                wNew[k] /= colScale[k];
              }
              for (let i = 0; i < sys!.values.length; i++) sys!.values[i] *= colScale[sys!.colIdx[i]];
              r = solver!.solve(sys!, rhs, wNew, { atol: LSQR_TOL, btol: LSQR_TOL, conlim: 1e16 });
              for (let k = 0; k < M; k++) wNew[k] *= colScale[k];
            }
            lsqr.solves++;
            lsqr.iterations += r.iterations;
            if (r.iterations > lsqr.maxIterations) lsqr.maxIterations = r.iterations;
            // Relative to ||b||, floored at 1e-6 of the book's Gamma at t = 0 (far out of the money both
            // sides are ~1e-30 and the ratio says nothing about the hedge).
            const rel = r.residualNorm / Math.max(Math.sqrt(bb), 1e-6 * gammaScale, 1e-300);
            if (rel > lsqr.maxRelResidual) lsqr.maxRelResidual = rel;
            for (let k = 0; k < M; k++) {
              const [a, b] = insts[k].assets;
              hNew[a] -= wNew[k] * ev.dA[k];
              if (b !== undefined) hNew[b] -= wNew[k] * ev.dB[k];
            }
            lsqrMs += performance.now() - a0;
          }
          // Trade: pay for the change in holdings at today's prices.
          let cost = 0;
          for (let a = 0; a < d; a++) cost += (hNew[a] - h[p * d + a]) * S[p * d + a];
          for (let k = 0; k < M; k++) cost += (wNew[k] - w[p * M + k]) * ev.price[k];
          cash[p] -= cost;
          for (let a = 0; a < d; a++) h[p * d + a] = hNew[a];
          for (let k = 0; k < M; k++) w[p * M + k] = gamma ? wNew[k] : 0;
          let after = cash[p] + holdingsValue(p);
          for (let k = 0; k < M; k++) after += w[p * M + k] * ev.price[k];
          const gap = Math.abs(after - before);
          if (gap > selfFin) selfFin = gap;
        } else if (payments && payments[p].length) kind = payments[p].some((e) => e.early) ? 'exercise' : 'maturity';
        if (schedules && kind) {
          const after = cash[p] + holdingsValue(p) + (M ? instrumentsAt(t, p) : 0); // leaves ev at (t, S_p)
          schedules[c0 + p].push({
            n,
            t,
            kind,
            spots: Array.from(S.subarray(p * d, p * d + d)),
            bookValue: bookBefore[p],
            hedgeBefore: before + paid,
            hedgeAfter: after,
            holdings: Array.from(h.subarray(p * d, p * d + d)),
            weights: Array.from(w.subarray(p * M, p * M + M)),
            instrumentPrices: Array.from(ev.price),
            tradeAssets: Array.from(h.subarray(p * d, p * d + d), (v, a) => v - holdBefore![a]),
            tradeInstruments: Array.from(w.subarray(p * M, p * M + M), (v, k) => v - wBefore![k]),
            cash: cash[p],
            payments: payments![p],
          });
        }
      }
      work++;
      opts.hooks?.onProgress?.(work, totalWork);
    }
  }
  return {
    pnl,
    v0,
    earlyExercised: early,
    instruments: insts,
    selfFinancingMaxAbs: selfFin,
    lsqr,
    timing: { greeksMs, lsqrMs, totalMs: performance.now() - t0 },
    schedules,
  };
}
