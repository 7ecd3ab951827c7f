import { describe, expect, it } from 'vitest';
import {
  type Criterion,
  criterionFromKey,
  criterionKey,
  criterionLabel,
  criterionOf,
  criterionRisk,
  criterionWeights,
  reportedCriteria,
} from '../../../../src-shared/hedging/criteria';
import { hedgeConfigSchema } from '../../../../src-shared/hedging/config';
import { entropicRisk, expectedShortfall } from '../../../../src-main/engine/risk/measures';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

const sample = (n: number, seed: number, scale = 0.01): Float64Array => {
  const rng = seeded(seed);
  return Float64Array.from({ length: n }, () => scale * (rng.normal() - 0.2 * rng.normal() ** 2));
};

const CRITERIA: Criterion[] = [
  { kind: 'entropic', a: 1 },
  { kind: 'entropic', a: 50 },
  { kind: 'es', alpha: 0.9 },
  { kind: 'es', alpha: 0.95 },
  { kind: 'mean-variance', lambda: 100 },
];

describe('criterion values (deep-hedging spec, "Training criteria")', () => {
  it('entropic and ES agree with the engine risk measures (independent implementations)', () => {
    const v = sample(1000, 1);
    expect(criterionRisk(v, { kind: 'entropic', a: 1 })).toBeCloseTo(entropicRisk(v, 1), 14);
    expect(criterionRisk(v, { kind: 'entropic', a: 50 })).toBeCloseTo(entropicRisk(v, 50), 14);
    expect(criterionRisk(v, { kind: 'es', alpha: 0.9 })).toBe(expectedShortfall(v, 0.9));
    expect(criterionRisk(v, { kind: 'es', alpha: 0.97 })).toBe(expectedShortfall(v, 0.97));
  });

  it('closed forms on a small sample: entropic of a two-point PnL, ES as the worst-paths mean, MV by hand', () => {
    // V = (-1, 1) with equal weight: (1/a) log((e^a + e^-a)/2) = (1/a) log cosh a
    expect(criterionRisk([-1, 1], { kind: 'entropic', a: 2 })).toBeCloseTo(Math.log(Math.cosh(2)) / 2, 14);
    // ES 80% of 10 paths: mean loss of the 2 worst paths (-V sorted: 9, 8)
    const v = [-9, -8, -7, -6, -5, -4, -3, -2, -1, 0];
    expect(criterionRisk(v, { kind: 'es', alpha: 0.8 })).toBe(8.5);
    // MV: mean -4.5, population variance 8.25; -E V + (lambda/2) Var
    expect(criterionRisk(v, { kind: 'mean-variance', lambda: 2 })).toBeCloseTo(4.5 + 8.25, 12);
    // a constant PnL c has risk -c on every criterion
    for (const c of CRITERIA) expect(criterionRisk([0.3, 0.3, 0.3, 0.3], c)).toBeCloseTo(-0.3, 12);
  });

  it('ES is the Rockafellar–Uryasev minimum min_w w + E[(-V - w)^+]/(1 - alpha) when (1 - alpha) N is whole', () => {
    const v = sample(500, 2);
    const alpha = 0.9;
    const ru = (w: number) => w + v.reduce((s, x) => s + Math.max(-x - w, 0), 0) / v.length / (1 - alpha);
    // the minimum is attained at a sample loss: brute force over them
    const best = Math.min(...Array.from(v, (x) => ru(-x)));
    expect(criterionRisk(v, { kind: 'es', alpha })).toBeCloseTo(best, 12);
  });
});

describe('criterion weights u_k = d rho / d V_k', () => {
  it.each(CRITERIA.map((c) => [criterionLabel(c), c] as const))('%s: match finite differences of the value', (_, c) => {
    const v = sample(200, 3);
    const u = criterionWeights(v, c);
    const h = 1e-7;
    for (const k of [0, 17, 101, 199]) {
      const plus = Float64Array.from(v);
      const minus = Float64Array.from(v);
      plus[k] += h;
      minus[k] -= h;
      const fd = (criterionRisk(plus, c) - criterionRisk(minus, c)) / (2 * h);
      expect(u[k]).toBeCloseTo(fd, 6);
    }
    // every criterion is cash-additive: rho(V + m) = rho(V) - m, so the weights sum to -1
    expect(u.reduce((s, x) => s + x, 0)).toBeCloseTo(-1, 12);
  });

  it('ES puts -1/m on exactly the m = ceil((1 - alpha) N) worst paths', () => {
    const v = sample(101, 4);
    const u = criterionWeights(v, { kind: 'es', alpha: 0.9 });
    const m = 11; // ceil(0.1 * 101)
    const worst = Array.from(v).map((x, k) => ({ x, k })).sort((a, b) => a.x - b.x).slice(0, m).map((e) => e.k);
    expect(Array.from(u).filter((x) => x !== 0)).toHaveLength(m);
    for (const k of worst) expect(u[k]).toBeCloseTo(-1 / m, 15);
  });
});

describe('criterion fields of a run', () => {
  it('defaults to the source entropic a = 1; old configs without the fields read the same', () => {
    expect(criterionOf({})).toEqual({ kind: 'entropic', a: 1 });
    expect(criterionOf(undefined)).toEqual({ kind: 'entropic', a: 1 });
    expect(criterionOf({ criterion: 'es', esLevel: 0.95 })).toEqual({ kind: 'es', alpha: 0.95 });
    expect(criterionOf({ criterion: 'mean-variance' })).toEqual({ kind: 'mean-variance', lambda: 100 });
  });

  it('labels and keys: "ES 90%" style, keys round-trip', () => {
    expect(criterionLabel({ kind: 'es', alpha: 0.9 })).toBe('ES 90%');
    expect(criterionLabel({ kind: 'entropic', a: 50 })).toBe('entropic (a = 50)');
    for (const c of CRITERIA) expect(criterionFromKey(criterionKey(c))).toEqual(c);
  });

  it('every run reports entropic at a = 1 and its a, ES at 90% and its alpha, MV at its lambda', () => {
    const keys = reportedCriteria({ criterion: 'es', riskAversion: 50, esLevel: 0.95, mvLambda: 10 }).map(criterionKey);
    expect(keys).toEqual(['entropic:1', 'entropic:50', 'es:0.9', 'es:0.95', 'mean-variance:10']);
    expect(reportedCriteria({}).map(criterionKey)).toEqual(['entropic:1', 'es:0.9', 'mean-variance:100']);
  });

  it('the config schema rejects bad parameters naming the field as the form shows it', () => {
    const base = { model: 'ntb', option: 'european', strike: 1, sigma: 0.1, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 1000, seed: 1 };
    expect(hedgeConfigSchema.safeParse({ ...base, criterion: 'es', esLevel: 0.9 }).success).toBe(true);
    const bad = hedgeConfigSchema.safeParse({ ...base, criterion: 'es', esLevel: 1.2 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/ES level alpha must be < 1/);
    const badA = hedgeConfigSchema.safeParse({ ...base, riskAversion: 0 });
    expect(badA.error?.issues[0].message).toMatch(/risk aversion a must be > 0/);
    expect(hedgeConfigSchema.safeParse({ ...base, criterion: 'cvar' }).error?.issues[0].message).toMatch(/criterion must be entropic, es or mean-variance/);
  });
});
