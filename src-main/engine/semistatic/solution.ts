import { performance } from 'node:perf_hooks';
import { type ResolvedParams } from '../../../src-shared/semistatic/params';
import { type SemistaticSolution, type ValueTriple } from '../../../src-shared/semistatic/contract';
import { aFixedDelayLimit, recursionFactor, solveA, toeplitzRow } from './coefficients';
import { logDetQInverse, qStructure, qTrace } from './bandedQ';
import { identityChecks } from './checks';
import { continuousLimit } from './limit';

/**
 * The closed-form optimal strategy and value of delayed semistatic hedging (spec "Optimal strategy" and
 * "Optimal value"; source Theorem 2.2, eqs. (2.5)-(2.6)). O(n) time and memory plus the identity checks,
 * which stay within `checkBudget` operations.
 */

/** Largest number of lags returned for the filter-weight chart. */
export const WEIGHT_POINTS = 4000;

/**
 * H for the D = 0 case: `Q = s2 I`, `H = (n/2)(s2 - 1 - log s2) + n mu^2 / (2 sigma^2)` (spec "Special cases").
 * @param n steps; s2 variance ratio; m2 = mu^2 / sigma^2 per step.
 */
export function noDelayEntropy(n: number, s2: number, m2: number): number {
  return 0.5 * n * (s2 - 1 - Math.log(s2)) + 0.5 * n * m2;
}

/**
 * H = (1/2)(trace Q - n - log det Q) + n mu^2/(2 sigma^2) with trace Q - n = -a n s2 (shown in the tests:
 * Q is banded and Q^{-1} - I - a 11' vanishes on the band) and log det Q = -log det Q^{-1}:
 * `H = (1/2)(-a n s2 + log det Q^{-1}) + n m2 / 2`.
 */
export function entropyFrom(n: number, D: number, a: number, s2: number, m2: number): number {
  return 0.5 * (-a * n * s2 + logDetQInverse(n, D, a)) + 0.5 * n * m2;
}

const triple = (entropy: number, gamma: number): ValueTriple => ({ entropy, certaintyEquivalent: entropy / gamma, value: -Math.exp(-entropy) });

/** Evenly spaced lags 0..n-1 (all when n <= budget), always including D and D + 1 (the jump). */
export function displayLags(n: number, D: number, budget = WEIGHT_POINTS): { lags: number[]; sampled: boolean } {
  if (n <= budget) return { lags: Array.from({ length: n }, (_, L) => L), sampled: false };
  const set = new Set<number>();
  for (let k = 0; k < budget; k++) set.add(Math.round((k * (n - 1)) / (budget - 1)));
  for (const L of [D, D + 1]) if (L < n) set.add(L);
  return { lags: [...set].sort((x, y) => x - y), sampled: true };
}

/**
 * Solve one parameter set.
 * @param p resolved parameters (money units per step; gamma = p.riskAversion)
 * @param opts.checkBudget operations allowed for the identity checks (default 3e7: tens of milliseconds)
 */
export function solveSemistatic(p: ResolvedParams, opts: { checkBudget?: number } = {}): SemistaticSolution {
  const t0 = performance.now();
  const { n, D, ratio2: s2, sigma, mu, riskAversion: gamma } = p;
  const m2 = (mu * mu) / (sigma * sigma);
  const root = solveA(n, D, s2);
  const a = root.a;
  const t = toeplitzRow(n, D, a);
  const q = qStructure(n, D, a);
  const logDet = logDetQInverse(n, D, a);
  const traceQ = qTrace(q);
  const entropy = entropyFrom(n, D, a, s2, m2);
  const mertonEntropy = 0.5 * n * m2;

  const { lags, sampled } = displayLags(n, D);
  const scale = 1 / (gamma * sigma * sigma);
  const weight = lags.map((L) => (L > D ? (t[L] - a) * scale : 0));

  const checks = identityChecks({ n, D, s2, a, t, q, rootResidual: root.residual, traceQ, budget: opts.checkBudget ?? 3e7 });

  const lim = D > 0 ? continuousLimit(D / n, s2) : null;
  return {
    params: p,
    a,
    otherRoot: root.otherRoot,
    aFixedDelayLimit: aFixedDelayLimit(D, s2),
    rho: recursionFactor(a, D),
    entropy,
    value: -Math.exp(-entropy),
    certaintyEquivalent: entropy / gamma,
    logDetQInverse: logDet,
    traceQ,
    merton: { fraction: mu / (gamma * sigma * sigma), entropy: mertonEntropy, certaintyEquivalent: mertonEntropy / gamma },
    semistaticEntropy: entropy - mertonEntropy,
    staticClaim: {
      weight: a / (2 * gamma * sigma * sigma),
      center: p.s0,
      price: (a * n * s2) / (2 * gamma),
      expectedPayoff: (a * (n + n * n * m2)) / (2 * gamma),
    },
    comparison: {
      delayedWithClaim: triple(entropy, gamma),
      noDelayWithClaim: triple(noDelayEntropy(n, s2, m2), gamma),
      withoutClaim: triple(mertonEntropy, gamma),
    },
    weights: { lag: lags, weight, sampled },
    limit: lim ? { delayFraction: D / n, ahat: lim.ahat, alpha: lim.alpha, kappa0: lim.kappa0, entropy: lim.entropy } : null,
    checks,
    computeMs: performance.now() - t0,
  };
}
