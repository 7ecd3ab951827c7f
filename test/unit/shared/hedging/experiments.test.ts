import { describe, expect, it } from 'vitest';
import { hedgeConfigSchema } from '../../../../src-shared/hedging/config';
import { type CellEntry, EXPERIMENTS, claimVerdict, planExperiment, rankCell } from '../../../../src-shared/hedging/experiments';

describe('experiment presets (spec table E1–E5)', () => {
  it.each([
    ['E1', 'full', 2 * 4, 2 * 4],
    ['E2', 'full', 2 * 4 * 4, 2 * 4],
    ['E3', 'full', 2 * (3 + 4), 2 * 4],
    ['E5', 'full', 2 * (4 + 16), 2 * (4 + 4)],
    ['E1', 'quick', 8, 8],
  ] as const)('%s (%s) plans %i runs for %i cells, every run a valid hedging config, four hedgers per cell', (id, scale, runs, cells) => {
    const plan = planExperiment({ id, scale, seed: 7 });
    expect(plan.runs).toHaveLength(runs);
    expect(plan.cells).toHaveLength(cells);
    for (const r of plan.runs) {
      expect(hedgeConfigSchema.safeParse(r.config).success, JSON.stringify(r.config)).toBe(true);
      expect(r.config.seed).toBe(7);
    }
    const slots = new Set(plan.runs.map((r) => r.slot));
    expect(slots.size).toBe(runs);
    for (const c of plan.cells) {
      expect(c.items.map((i) => i.model)).toEqual(['bsdh', 'mlp', 'ntb', 'dhlnn']);
      for (const i of c.items) expect(slots.has(i.slot)).toBe(true);
    }
    // the same test paths in every cell: one seed, one test-path count, one grid of dates
    expect(new Set(plan.runs.map((r) => `${r.config.paths}/${r.config.steps}/${r.config.days}`)).size).toBe(1);
  });

  it('uses the spec sizes at full scale and says which cells share a training run', () => {
    const e1 = planExperiment({ id: 'E1', scale: 'full', seed: 1, strikes: [1.2] });
    const ntb = e1.runs.find((r) => r.model === 'ntb')!.config;
    expect(ntb).toMatchObject({ paths: 100_000, trainPaths: 10_000, epochs: 40, snapshotEpochs: [10, 20, 30, 40], cost: 0.002, strike: 1.2 });
    expect(e1.cells.map((c) => c.items[3].array)).toEqual(['pnl@10', 'pnl@20', 'pnl@30', 'pnl@40']);
    const e3 = planExperiment({ id: 'E3', scale: 'full', seed: 1, strikes: [1] });
    const dh = e3.runs.find((r) => r.model === 'dhlnn')!.config;
    expect(dh).toMatchObject({ cost: 0.005, epochs: 50, extraTests: [{ sigma: 0.2 }, { sigma: 0.3 }, { sigma: 0.4 }] });
    expect(e3.runs.filter((r) => r.model === 'bsdh').map((r) => r.config.testSigma)).toEqual([undefined, 0.2, 0.3, 0.4]);
    const quick = planExperiment({ id: 'E2', scale: 'quick', seed: 1, strikes: [1] });
    expect(quick.runs.find((r) => r.model === 'mlp')!.config).toMatchObject({ epochs: 10, trainPaths: 2000, paths: 10_000 });
  });

  it('refuses E4 without a path set and strikes outside the preset', () => {
    expect(EXPERIMENTS.E4.unavailable).toBeUndefined();
    expect(EXPERIMENTS.E4.needsPathSet).toBe(true);
    expect(() => planExperiment({ id: 'E4', scale: 'full', seed: 1 })).toThrow(/needs a path set/);
    expect(() => planExperiment({ id: 'E1', scale: 'full', seed: 1, strikes: [1.1] })).toThrow(/1.1 is not one of them/);
  });

  it('plans E4 on a path set: lookback K = 1, the set\'s steps, sigmaTrain, T = steps x dt, every test window', () => {
    const pathSet = { id: 'ps1', label: 'set', steps: 30, dtYears: 10 / (365 * 24 * 3600), sigmaTrain: 0.234567891, train: 40, test: 9 };
    const e4 = planExperiment({ id: 'E4', scale: 'full', seed: 1, pathSet });
    expect(e4.strikes).toEqual([1]);
    expect(e4.runs).toHaveLength(20);
    for (const r of e4.runs) {
      expect(r.config).toMatchObject({ option: 'lookback', strike: 1, steps: 30, paths: 9, sigma: 0.234568, data: { kind: 'paths', datasetId: 'ps1' } });
      expect(r.config.days).toBeCloseTo(30 * pathSet.dtYears * 365, 15);
    }
    expect(e4.cells.map((c) => c.key)).toEqual(['conv:K1:e10', 'conv:K1:e20', 'conv:K1:e30', 'conv:K1:e40', 'cost:K1:c0.002', 'cost:K1:c0.004', 'cost:K1:c0.006', 'cost:K1:c0.008']);
    const conv = e4.runs.find((r) => r.slot === 'conv:K1:dhlnn')!.config;
    expect(conv).toMatchObject({ cost: 0.002, epochs: 40, snapshotEpochs: [10, 20, 30, 40] });
    expect(e4.runs.find((r) => r.slot === 'cost:K1:c0.008:ntb')!.config).toMatchObject({ cost: 0.008, epochs: 50 });
  });

  it('says the claim held only when DHLNN has both the lowest entropic loss and the lowest ES90', () => {
    // default criterion: entropic a = 1, so the criterion value is the entropic loss
    const e = (model: CellEntry['model'], entropic: number | null, es90: number | null): CellEntry => ({
      model,
      runId: 'r',
      status: 'done',
      array: 'pnl',
      entropic,
      es90,
      mean: 0,
      std: 0,
      criterionValue: entropic,
      meanAbsPosition: null,
      doesNotHedge: null,
      rank: null,
    });
    expect(claimVerdict([e('bsdh', 2, 2), e('mlp', 3, 3), e('ntb', 1.5, 1.5), e('dhlnn', 1, 1)])).toBe('held');
    expect(claimVerdict([e('bsdh', 2, 2), e('mlp', 0.5, 3), e('ntb', 1.5, 1.5), e('dhlnn', 1, 1)])).toBe('not held');
    expect(claimVerdict([e('bsdh', 2, 2), e('mlp', 3, 0.9), e('ntb', 1.5, 1.5), e('dhlnn', 1, 1)])).toBe('not held');
    expect(claimVerdict([e('bsdh', 2, 2), e('mlp', null, null), e('ntb', 1.5, 1.5), e('dhlnn', 1, 1)])).toBe('pending');
  });

  it('judges the claim on the criterion trained and never lets a hedger that does not hedge win (issue 12)', () => {
    const e = (model: CellEntry['model'], value: number, es90: number, doesNotHedge: boolean | null = false): CellEntry => ({
      model,
      runId: 'r',
      status: 'done',
      array: 'pnl',
      entropic: value,
      es90,
      mean: 0,
      std: 0,
      criterionValue: value,
      meanAbsPosition: doesNotHedge ? 0.01 : 0.5,
      doesNotHedge,
      rank: null,
    });
    // DHMLP stopped trading: lowest loss, but "does not hedge" -> ranked last; DHLNN is best among hedgers
    const cell = rankCell([e('bsdh', 2, 2), e('mlp', 0.5, 5, true), e('ntb', 1.5, 1.5), e('dhlnn', 1, 1)]);
    expect(cell.map((x) => x.rank)).toEqual([3, 4, 2, 1]);
    expect(claimVerdict(cell)).toBe('held');
    // DHLNN itself does not hedge: the claim does not hold however low its loss
    expect(claimVerdict([e('bsdh', 2, 2), e('mlp', 3, 3), e('ntb', 1.5, 1.5), e('dhlnn', 0.1, 0.1, true)])).toBe('not held');
  });

  it('puts the experiment criterion into every run config (BSDH too); default entropic a = 1', () => {
    const es = planExperiment({ id: 'E2', scale: 'quick', seed: 3, strikes: [1], criterion: { criterion: 'es', esLevel: 0.9 } });
    for (const r of es.runs) expect(r.config).toMatchObject({ criterion: 'es', esLevel: 0.9, riskAversion: 1, mvLambda: 100 });
    const dflt = planExperiment({ id: 'E2', scale: 'quick', seed: 3, strikes: [1] });
    for (const r of dflt.runs) expect(r.config).toMatchObject({ criterion: 'entropic', riskAversion: 1 });
  });
});
