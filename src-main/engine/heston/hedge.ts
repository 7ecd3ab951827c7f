import { type HestonClaim, type HestonEuropean, type HestonGreekArrays, type HestonGreekSource, type HestonMarket, type HestonStrategy } from '../../../src-shared/heston/types';
import { type HestonScheduleRow, strategyInstruments } from '../../../src-shared/heston/hedge';
import { type JobHooks, throwIfCancelled } from '../cancel';
import { SmallSystemSolver } from './hedgeSolve';

/**
 * Hedging a short Heston claim along simulated paths (spec heston-osm.md "Hedging along paths"; source
 * appendix A). On the source's grid t_n = n dt, n = 0..N, dt = T / N, every path, every strategy and every
 * rebalancing count R start with V_0 = C(0, S_0, nu_0) in cash. At the rebalancing dates n in D_R =
 * { round(k N / R) : k = 0..R-1 } (exactly equidistant when R divides N) a path still alive sets
 *
 *     A w = b,   A_ik = G_i(instrument k),  b_i = G_i(book),  G = (Vega, Gamma, Vomma, Vanna)[0..m-1]
 *     h   = Delta_book - sum_k w_k Delta_k                                   (stock, units)
 *     cash -= (h - h_prev) S_n + sum_k (w_k - w_prev,k) P_k                   (self-financing trade)
 *
 * with m = 0..4 instruments by strategy (delta .. delta-vega-gamma-vomma-vanna; SmallSystemSolver: condition
 * numbers, least-squares fallback). Between dates cash grows by e^{r dt} per step and receives the dividend
 * q h S_{n-1} dt. At an early exercise date (claim.exerciseDates > 1, n = k N / E, k < E) the holder exercises
 * where the source flags it (g > C): the hedger pays g(S_n) and liquidates (cash += h S + w . P), the path then
 * only accrues. At T the claim pays g(S_N) on paths still alive and the hedge is valued:
 *
 *     V_T = cash_T + h S_N + sum_k w_k P_k(T) - g(S_N) 1{alive},     relative PnL = V_T / |V_0|.
 *
 * Instruments (European options of maturity T_k > T) are priced with their Greeks by `pricer` (the
 * semi-analytic formula) at time-to-maturity T_k - t_n. All Greeks of a date are evaluated once, batched over
 * the paths, and shared by every (strategy, R) cell: the cells differ only in their positions.
 *
 * Arrays: paths are row-major P x (N + 1) (S and nu); the output pnl is cells x P, cell c = s * nR + r.
 */

/** Price and Greeks of a European instrument under Heston for a batch of states (h1: hestonEuropeanBatch). */
export type InstrumentPricer = (market: HestonMarket, option: HestonEuropean, tau: number, S: Float64Array, nu: Float64Array) => HestonGreekArrays;

export interface HestonHedgeProblem {
  market: HestonMarket;
  claim: HestonClaim;
  /** Book value and Greeks on the grid (steps N, horizon T = claim maturity). */
  source: HestonGreekSource;
  /** The instruments in role order (vega, gamma, vomma, vanna); strategies use the first m. */
  instruments: readonly HestonEuropean[];
  pricer: InstrumentPricer;
  strategies: readonly HestonStrategy[];
  rebalance: readonly number[];
}

/** Paths on the source's grid: row-major paths x (steps + 1). */
export interface HedgePathSet {
  paths: number;
  steps: number;
  S: Float64Array;
  nu: Float64Array;
}

export interface CellCond {
  solves: number;
  /** Sum of log(cond) over regular solves (geometric mean = exp(sum / (solves - fallbacks))). */
  logSum: number;
  max: number;
  fallbacks: number;
}

export interface HestonHedgeOutcome {
  /** cells x paths relative PnL, cell-major (cell = s * rebalance.length + r). */
  pnl: Float64Array;
  v0: number;
  /** Paths exercised before maturity. */
  earlyExercised: number;
  /** Rebalancing grid indices of each R (in the order of problem.rebalance). */
  dates: Int32Array[];
  cond: CellCond[];
  selfFinancingMaxAbs: Float64Array;
  timing: { bookGreeksMs: number; instrumentGreeksMs: number; totalMs: number };
  /** Per cell, the schedule of path `recordPath` when asked for. */
  schedules: HestonScheduleRow[][] | null;
}

/** Grid indices of R rebalancing dates on N steps: round(k N / R), k = 0..R-1 (distinct when R <= N). */
export function rebalanceDates(steps: number, R: number): Int32Array {
  if (!Number.isInteger(R) || R < 1 || R > steps) throw new RangeError(`rebalance R = ${R} must be a whole number in 1..N = ${steps} (one date per grid step at most)`);
  return Int32Array.from({ length: R }, (_, k) => Math.round((k * steps) / R));
}

/** Grid indices of the early exercise dates k N / E, k = 1..E-1 (none for a European claim). */
export function earlyExerciseIndices(steps: number, exerciseDates: number): number[] {
  if (exerciseDates <= 1) return [];
  if (steps % exerciseDates !== 0) throw new RangeError(`the claim's ${exerciseDates} exercise dates are not on the grid N = ${steps} (N must be a multiple)`);
  return Array.from({ length: exerciseDates - 1 }, (_, k) => ((k + 1) * steps) / exerciseDates);
}

/** Payoff g(S) of the claim (money). */
export const claimPayoff = (claim: HestonEuropean, s: number): number => (claim.kind === 'put' ? Math.max(claim.strike - s, 0) : Math.max(s - claim.strike, 0));

const CONDITIONS = ['vega', 'gamma', 'vomma', 'vanna'] as const;

/**
 * Problems of a hedging setup, each a sentence naming the field and the fix (empty when fine).
 */
export function hedgeProblemIssues(p: Pick<HestonHedgeProblem, 'claim' | 'instruments' | 'strategies' | 'rebalance'> & { steps: number; horizon: number }): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  for (const R of p.rebalance) {
    if (!Number.isInteger(R) || R < 1 || R > p.steps) out.push({ field: 'rebalance', message: `R = ${R} must be a whole number in 1..${p.steps} (the solve's grid has N = ${p.steps} steps)` });
  }
  const need = Math.max(0, ...p.strategies.map(strategyInstruments));
  if (need > p.instruments.length) out.push({ field: 'strategies', message: `${need} instruments are needed, only ${p.instruments.length} are given` });
  p.instruments.slice(0, need).forEach((ins, k) => {
    if (!(ins.maturity > p.horizon)) out.push({ field: `instruments.${k}.maturity`, message: `${ins.maturity} y must exceed the claim's maturity T = ${p.horizon} y (the instrument must be alive until T)` });
  });
  if (p.claim.exerciseDates > 1 && p.steps % p.claim.exerciseDates !== 0) out.push({ field: 'claim.exerciseDates', message: `the grid N = ${p.steps} is not a multiple of the ${p.claim.exerciseDates} exercise dates` });
  return out;
}

export function hedgeHeston(problem: HestonHedgeProblem, set: HedgePathSet, opts: { recordPath?: number; hooks?: JobHooks } = {}): HestonHedgeOutcome {
  const t0 = performance.now();
  const { market, claim, source, pricer } = problem;
  const N = source.steps;
  const T = source.horizon;
  const issues = hedgeProblemIssues({ ...problem, steps: N, horizon: T });
  if (issues.length) throw new Error(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  if (set.steps !== N) throw new Error(`the paths have ${set.steps} steps, the Greek source ${N}`);
  const dt = T / N;
  const P = set.paths;
  const row = N + 1;
  const nS = problem.strategies.length;
  const nR = problem.rebalance.length;
  const C = nS * nR;
  const mOf = Int32Array.from(problem.strategies, strategyInstruments);
  const M = Math.max(0, ...mOf);
  const dates = problem.rebalance.map((R) => rebalanceDates(N, R));
  const isReb = new Uint8Array(nR * row);
  dates.forEach((d, r) => d.forEach((n) => (isReb[r * row + n] = 1)));
  const isEx = new Uint8Array(row);
  for (const n of earlyExerciseIndices(N, claim.exerciseDates)) isEx[n] = 1;

  const growth = Math.exp(market.r * dt);
  const cash = new Float64Array(C * P);
  const stock = new Float64Array(C * P);
  const w = new Float64Array(C * P * 4);
  const alive = new Uint8Array(P).fill(1);
  const pnl = new Float64Array(C * P);
  const Sn = new Float64Array(P);
  const nun = new Float64Array(P);
  const Sprev = new Float64Array(P);
  const A = new Float64Array(16);
  const b = new Float64Array(4);
  const wNew = new Float64Array(4);
  const solver = new SmallSystemSolver();
  const cond: CellCond[] = Array.from({ length: C }, () => ({ solves: 0, logSum: 0, max: 0, fallbacks: 0 }));
  const selfFin = new Float64Array(C);
  const inst: Array<HestonGreekArrays | null> = new Array<HestonGreekArrays | null>(M).fill(null);
  const record = opts.recordPath;
  const schedules: HestonScheduleRow[][] | null = record === undefined ? null : Array.from({ length: C }, () => []);
  if (record !== undefined && !(record >= 0 && record < P)) throw new RangeError(`recordPath ${record} is not one of the ${P} paths`);
  const recordCond: Array<number | null> = new Array<number | null>(C).fill(null);
  let v0 = NaN;
  let early = 0;
  let bookMs = 0;
  let instMs = 0;

  const instValue = (c: number, p: number): number => {
    let v = 0;
    for (let k = 0; k < M; k++) {
      const wk = w[(c * P + p) * 4 + k];
      if (wk !== 0) v += wk * inst[k]!.price[p];
    }
    return v;
  };

  for (let n = 0; n <= N; n++) {
    throwIfCancelled(opts.hooks);
    const t = n * dt;
    if (n > 0) {
      Sprev.set(Sn);
      for (let c = 0; c < C; c++) {
        const o = c * P;
        for (let p = 0; p < P; p++) cash[o + p] = cash[o + p] * growth + market.q * stock[o + p] * Sprev[p] * dt;
      }
    }
    for (let p = 0; p < P; p++) {
      Sn[p] = set.S[p * row + n];
      nun[p] = set.nu[p * row + n];
    }
    let anyReb = false;
    if (n < N) for (let r = 0; r < nR; r++) if (isReb[r * row + n]) anyReb = true;
    const exDate = isEx[n] === 1;
    const rec = record !== undefined;
    const needBook = n < N && (anyReb || exDate || n === 0 || rec);
    let book: (HestonGreekArrays & { exercise: Uint8Array }) | null = null;
    if (needBook) {
      const a = performance.now();
      book = source.at(n, Sn, nun);
      bookMs += performance.now() - a;
    }
    if (n === 0) {
      v0 = book!.price[0];
      if (!(Math.abs(v0) > 0) || !Number.isFinite(v0)) throw new Error(`the claim's value at t = 0 is ${v0}: relative PnL needs a finite nonzero V_0`);
      cash.fill(v0);
    }
    if (M > 0 && (anyReb || exDate || n === N || rec)) {
      const a = performance.now();
      for (let k = 0; k < M; k++) inst[k] = pricer(market, problem.instruments[k], problem.instruments[k].maturity - t, Sn, nun);
      instMs += performance.now() - a;
    }
    const recAlive = rec ? alive[record] === 1 : false;
    const recBefore = rec ? new Float64Array(C) : null;
    if (rec) for (let c = 0; c < C; c++) recBefore![c] = cash[c * P + record] + stock[c * P + record] * Sn[record] + (M ? instValue(c, record) : 0);

    // Exercise (the same event in every cell) and liquidation.
    if (exDate && book) {
      for (let p = 0; p < P; p++) {
        if (!alive[p] || !book.exercise[p]) continue;
        alive[p] = 0;
        early++;
        const g = claimPayoff(claim, Sn[p]);
        for (let c = 0; c < C; c++) {
          const i = c * P + p;
          cash[i] += stock[i] * Sn[p] + (M ? instValue(c, p) : 0) - g;
          stock[i] = 0;
          w.fill(0, i * 4, i * 4 + 4);
        }
      }
    }
    if (n === N) {
      for (let p = 0; p < P; p++) {
        const g = alive[p] ? claimPayoff(claim, Sn[p]) : 0;
        for (let c = 0; c < C; c++) {
          const i = c * P + p;
          const v = cash[i] + stock[i] * Sn[p] + (M ? instValue(c, p) : 0) - g;
          pnl[i] = v / Math.abs(v0);
        }
      }
    } else if (anyReb) {
      for (let r = 0; r < nR; r++) {
        if (!isReb[r * row + n]) continue;
        for (let s = 0; s < nS; s++) {
          const c = s * nR + r;
          const m = mOf[s];
          const cc = cond[c];
          for (let p = 0; p < P; p++) {
            if (!alive[p]) continue;
            const i = c * P + p;
            let h = book!.delta[p];
            if (m > 0) {
              for (let q = 0; q < m; q++) {
                const g = book![CONDITIONS[q]];
                b[q] = g[p];
                for (let k = 0; k < m; k++) A[q * m + k] = inst[k]![CONDITIONS[q]][p];
              }
              solver.solve(m, A, b, wNew);
              cc.solves++;
              if (solver.fallback) cc.fallbacks++;
              else {
                cc.logSum += Math.log(solver.cond);
                if (solver.cond > cc.max) cc.max = solver.cond;
              }
              for (let k = 0; k < m; k++) h -= wNew[k] * inst[k]!.delta[p];
            }
            const before = cash[i] + stock[i] * Sn[p] + (M ? instValue(c, p) : 0);
            let cost = (h - stock[i]) * Sn[p];
            for (let k = 0; k < m; k++) cost += (wNew[k] - w[i * 4 + k]) * inst[k]!.price[p];
            cash[i] -= cost;
            stock[i] = h;
            for (let k = 0; k < m; k++) w[i * 4 + k] = wNew[k];
            const gap = Math.abs(cash[i] + stock[i] * Sn[p] + (M ? instValue(c, p) : 0) - before);
            if (gap > selfFin[c]) selfFin[c] = gap;
            if (rec && p === record) recordCond[c] = m > 0 ? (solver.fallback ? Infinity : solver.cond) : null;
          }
        }
      }
    }
    if (schedules && rec) {
      const p = record;
      const exercisedNow = exDate && recAlive && alive[p] === 0;
      const g = claimPayoff(claim, Sn[p]);
      for (let r = 0; r < nR; r++) {
        const rebNow = n < N && recAlive && isReb[r * row + n] === 1;
        if (!rebNow && !exercisedNow && n !== N) continue;
        for (let s = 0; s < nS; s++) {
          const c = s * nR + r;
          const i = c * P + p;
          const prev = schedules[c].length ? schedules[c][schedules[c].length - 1] : null;
          const wk = Array.from(w.subarray(i * 4, i * 4 + M));
          const kind: HestonScheduleRow['kind'] = exercisedNow ? 'exercise' : n === N ? 'final' : 'rebalance';
          const paid = exercisedNow || (n === N && recAlive) ? g : 0;
          const after = n === N ? pnl[i] * Math.abs(v0) : cash[i] + stock[i] * Sn[p] + (M ? instValue(c, p) : 0);
          schedules[c].push({
            n,
            t,
            kind,
            spots: [Sn[p]],
            nu: nun[p],
            bookValue: n < N && recAlive ? book!.price[p] : n === N && recAlive ? g : 0,
            hedgeBefore: recBefore![c],
            hedgeAfter: after,
            holdings: [stock[i]],
            weights: wk,
            instrumentPrices: M ? Array.from({ length: M }, (_, k) => inst[k]!.price[p]) : [],
            tradeAssets: [stock[i] - (prev ? prev.holdings[0] : 0)],
            tradeInstruments: wk.map((v, k) => v - (prev ? (prev.weights[k] ?? 0) : 0)),
            cash: n === N ? cash[i] - paid : cash[i],
            payments: paid > 0 || exercisedNow ? [{ option: 0, label: 'claim', amount: paid, early: exercisedNow }] : [],
            cond: rebNow && !exercisedNow ? recordCond[c] : null,
          });
        }
      }
    }
    opts.hooks?.onProgress?.(n + 1, N + 1);
  }
  return {
    pnl,
    v0,
    earlyExercised: early,
    dates,
    cond,
    selfFinancingMaxAbs: selfFin,
    timing: { bookGreeksMs: bookMs, instrumentGreeksMs: instMs, totalMs: performance.now() - t0 },
    schedules,
  };
}
