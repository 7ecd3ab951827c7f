import { type QlbsHedgeCurve, type QlbsQSurface } from '../../../src-shared/qlbs/contract';
import { type QlbsConfig } from '../../../src-shared/qlbs/config';
import { basisScratch, basisFuns, findSpan, type SplineBasis } from './bspline';
import { S_QUANTILE_LEVELS, stateDrift } from './paths';
import { blackScholes } from './qlbs';

/**
 * Evaluate a stored QLBS model (qlbs.ts `QlbsModel`: knots and coefficients) on grids for the view: the
 * learned hedges a_t(S) against the Black-Scholes delta, and the fitted FQI Q_t(S, a). Pure functions of the
 * run's config and arrays, so a finished run can be redrawn at any time step without recomputing it.
 *
 * Spot S maps to the state X = log S - (mu - sigma^2/2) t dt; the basis is clamped outside [xMin, xMax].
 */

/** The arrays of a stored run that the evaluations read (names as stored). */
export interface StoredModel {
  knots: Float64Array;
  phiDp: Float64Array;
  omegaDp: Float64Array;
  sQuantiles: Float64Array;
  phiFqi: Float64Array | null;
  wFqi: Float64Array | null;
  omegaDpFqi: Float64Array | null;
}

/** Rebuild the basis from stored knots (degree and size from the config). */
export function basisFromKnots(c: QlbsConfig, knots: Float64Array): SplineBasis {
  const size = c.basisSize;
  const degree = c.degree;
  if (knots.length !== size + degree + 1) throw new Error(`stored knots have length ${knots.length}, expected ${size + degree + 1}`);
  return { size, degree, knots, lo: knots[0], hi: knots[knots.length - 1] };
}

/** Basis values at one state: first index and the degree + 1 non-zero values. */
function basisAt(b: SplineBasis, x: number): { base: number; vals: Float64Array } {
  const xc = Math.min(b.hi, Math.max(b.lo, x));
  const span = findSpan(b, xc);
  const vals = new Float64Array(b.degree + 1);
  basisFuns(b, span, xc, vals, 0, basisScratch(b.degree));
  return { base: span - b.degree, vals };
}

const dot = (coef: Float64Array, off: number, at: { base: number; vals: Float64Array }): number => {
  let s = 0;
  for (let r = 0; r < at.vals.length; r++) s += coef[off + at.base + r] * at.vals[r];
  return s;
};

/** `points` spots from the lo to the hi quantile of S at market date `date` (one point when they coincide). */
function spotGrid(m: StoredModel, date: number, points: number, loLevel = 0, hiLevel = S_QUANTILE_LEVELS.length - 1): number[] {
  const q = S_QUANTILE_LEVELS.length;
  const lo = m.sQuantiles[date * q + loLevel];
  const hi = m.sQuantiles[date * q + hiLevel];
  if (!(hi > lo * (1 + 1e-12))) return [lo];
  return Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
}

/**
 * Hedge curves at DP time steps `times` (0 .. steps - 1): DP hedge, FQI hedge (when t falls on the FQI grid)
 * and Black-Scholes delta at tau = T - t dt, on `points` spots between the 0.5% and 99.5% quantiles of S_t.
 */
export function hedgeCurves(c: QlbsConfig, m: StoredModel, times: number[], points = 81): QlbsHedgeCurve[] {
  const b = basisFromKnots(c, m.knots);
  const M = c.basisSize;
  const dt = c.maturity / c.steps;
  const stride = c.method === 'fqi' ? c.steps / c.fqiSteps : 0;
  const q = S_QUANTILE_LEVELS.length;
  return times.map((t) => {
    if (t < 0 || t >= c.steps) throw new RangeError(`time step ${t} is outside 0..${c.steps - 1}`);
    const s = spotGrid(m, t, points);
    const drift = stateDrift(c.mu, c.sigma, t, dt);
    const tau = c.maturity - t * dt;
    const onFqiGrid = m.phiFqi !== null && stride > 0 && t % stride === 0;
    const dp: number[] = [];
    const fqi: number[] = [];
    const bs: number[] = [];
    for (const spot of s) {
      const at = basisAt(b, Math.log(spot) - drift);
      dp.push(dot(m.phiDp, t * M, at));
      if (onFqiGrid) fqi.push(dot(m.phiFqi!, (t / stride) * M, at));
      bs.push(blackScholes(c, tau, spot).delta);
    }
    return {
      t,
      tauYears: tau,
      s,
      dp,
      fqi: onFqiGrid ? fqi : null,
      bs,
      sQuantiles: [m.sQuantiles[t * q + 1], m.sQuantiles[t * q + 2], m.sQuantiles[t * q + 3]],
    };
  });
}

/**
 * The FQI action-value Q_t(S, a) = (1, a, a^2/2) W_t Phi(X(S)) at FQI grid step `t` (1 .. fqiSteps - 1) on an
 * sPoints x aPoints grid. Spots span the 0.5%-99.5% quantiles of S at that date; actions span the behaviour
 * band [(1 - eta) a*, (1 + eta) a*] of the hedge over those spots together with the Black-Scholes delta, padded
 * by 10%.
 */
export function qSurface(c: QlbsConfig, m: StoredModel, runId: string, t: number, sPoints = 41, aPoints = 41): QlbsQSurface {
  if (!m.wFqi || !m.phiFqi || !m.omegaDpFqi || c.method !== 'fqi') throw new Error('this run has no FQI model (method dp)');
  const b = basisFromKnots(c, m.knots);
  const M = c.basisSize;
  const stride = c.steps / c.fqiSteps;
  const dtF = c.maturity / c.fqiSteps;
  const date = t * stride;
  const drift = stateDrift(c.mu, c.sigma, t, dtF);
  const tau = c.maturity - t * dtF;
  const s = spotGrid(m, date, sPoints);
  const W = m.wFqi;
  const wOff = t * 3 * M;
  const coeffs = s.map((spot) => {
    const at = basisAt(b, Math.log(spot) - drift);
    return {
      u0: dot(W, wOff, at),
      u1: dot(W, wOff + M, at),
      u2: dot(W, wOff + 2 * M, at),
      hedge: dot(m.phiFqi!, t * M, at),
      dpValue: dot(m.omegaDpFqi!, t * M, at),
      bs: blackScholes(c, tau, spot).delta,
    };
  });
  let aLo = Infinity;
  let aHi = -Infinity;
  for (const k of coeffs) {
    for (const a of [k.hedge * (1 - c.eta), k.hedge * (1 + c.eta), k.bs]) {
      aLo = Math.min(aLo, a);
      aHi = Math.max(aHi, a);
    }
  }
  const pad = Math.max(0.1 * (aHi - aLo), 0.02);
  aLo -= pad;
  aHi += pad;
  const a = Array.from({ length: aPoints }, (_, j) => aLo + ((aHi - aLo) * j) / (aPoints - 1));
  const q: number[] = [];
  let qMin = Infinity;
  let qMax = -Infinity;
  for (const k of coeffs) {
    for (const act of a) {
      const v = k.u0 + act * k.u1 + 0.5 * act * act * k.u2;
      q.push(v);
      qMin = Math.min(qMin, v);
      qMax = Math.max(qMax, v);
    }
  }
  return {
    runId,
    t,
    tauYears: tau,
    s,
    a,
    q,
    qMin,
    qMax,
    hedge: coeffs.map((k) => k.hedge),
    argmax: coeffs.map((k) => (k.u2 < 0 ? -k.u1 / k.u2 : null)),
    bsDelta: coeffs.map((k) => k.bs),
    dpValue: coeffs.map((k) => k.dpValue),
  };
}
