import { describe, expect, it } from 'vitest';
import { checkSolve, DEFAULT_SOLVER, SOLVER_PRESETS, solveSizes } from '../../../src-shared/bsde/config';
import { bookContentSchema, checkBook } from '../../../src-shared/portfolio/book';
import { cholesky, diagnoseCorrelation, symmetricEigen } from '../../../src-shared/portfolio/correlation';
import { SEEDED_PRESETS, presetBook } from '../../../src-shared/portfolio/presets';

describe('correlation checks', () => {
  it('eigen-decomposition reconstructs the matrix and Cholesky factors it', () => {
    const r = [
      [1, 0.3, -0.2, 0.1],
      [0.3, 1, 0.4, 0],
      [-0.2, 0.4, 1, 0.25],
      [0.1, 0, 0.25, 1],
    ];
    const { values, vectors } = symmetricEigen(r);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const back = values.reduce((s, l, k) => s + l * vectors[k][i] * vectors[k][j], 0);
        expect(back).toBeCloseTo(r[i][j], 12);
      }
    }
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const c = cholesky(r);
    expect(c.ok).toBe(true);
    if (c.ok) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(c.l[i].reduce((s, x, k) => s + x * c.l[j][k], 0)).toBeCloseTo(r[i][j], 12);
  });

  it('names the entry that breaks positive definiteness first', () => {
    const d = 5;
    const r: number[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0.75)));
    r[0][1] = r[1][0] = -0.9;
    const diag = diagnoseCorrelation(r);
    expect(diag.positiveDefinite).toBe(false);
    expect(diag.minEigenvalue).toBeLessThan(0);
    expect(diag.culprits[0]).toMatchObject({ i: 0, j: 1, value: -0.9 });
    expect(diag.failingPivot).toBe(2);
    // Moving the named entry toward 0 restores positive definiteness.
    r[0][1] = r[1][0] = 0.5;
    expect(diagnoseCorrelation(r).positiveDefinite).toBe(true);
  });
});

describe('books and presets', () => {
  it('every seeded preset is a valid book that the default solver grid accepts', () => {
    for (const p of SEEDED_PRESETS) {
      const b = presetBook(p.id, p.options);
      expect(bookContentSchema.safeParse(b).success, b.name).toBe(true);
      expect(checkSolve(b, DEFAULT_SOLVER), b.name).toEqual([]);
    }
  });

  it('B4 has d + 5 options on cycling volatilities and decreasing drifts', () => {
    const b = presetBook('B4', { assets: 20, case: 3 });
    expect(b.options).toHaveLength(25);
    expect(b.assets.slice(0, 6).map((a) => a.sigma)).toEqual([0.4, 0.25, 0.2, 0.15, 0.1, 0.4]);
    expect(b.assets[0].mu).toBeCloseTo(0.2, 12);
    expect(b.assets[19].mu).toBeCloseTo(0.01, 12);
    expect(new Set(b.options.map((o) => o.exerciseDates))).toEqual(new Set([1, 2, 4, 12]));
    expect(checkBook(b)).toEqual([]);
  });

  it('the paper preset fits the memory plan for B1 at d = 50 and the tiny preset is small', () => {
    const paper = { scheme: 'osm' as const, ...SOLVER_PRESETS.paper.config };
    expect(checkSolve(presetBook('B1', { assets: 50, exerciseDates: 120 }), paper)).toEqual([]);
    expect(solveSizes(1, 1, { scheme: 'osm', ...SOLVER_PRESETS.tiny.config }).bytes.total).toBeLessThan(20e6);
  });

  it('checkSolve names exercise dates off the grid and a maturity beyond it', () => {
    const b = presetBook('B1', { assets: 2, exerciseDates: 12 });
    const off = checkSolve(b, { ...DEFAULT_SOLVER, steps: 10 });
    expect(off.map((i) => i.path.join('.'))).toEqual(['options.0.exerciseDates']);
    const beyond = checkSolve(b, { ...DEFAULT_SOLVER, horizon: 0.5 });
    expect(beyond.map((i) => i.path.join('.'))).toEqual(['options.0.maturity']);
  });
});
