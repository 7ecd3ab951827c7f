import { describe, expect, it } from 'vitest';
import { type HedgeMetrics } from '../../../../src-shared/hedging/config';
import { criterionKey } from '../../../../src-shared/hedging/criteria';
import { DOES_NOT_HEDGE_FRACTION, comparisonRanking, doesNotHedge, measureOf, rankOnCriterion, rankedByText } from '../../../../src-shared/hedging/ranking';
import { bestIndex, METRIC_DEFS } from '../../../../src-renderer/features/runs/metrics';

/**
 * The situation of issue 12, in figures of the shape the app stores: BSDH and an NTB hedge; a DHMLP stopped
 * trading (mean |position| 0.002 against BSDH's 0.5), so it pays no costs and has the lowest entropic loss at
 * a = 1, while its ES90 is 2.5x BSDH's.
 */
const run = (entropic: number, es90: number, meanAbsPosition: number, extra: Partial<HedgeMetrics> = {}): HedgeMetrics =>
  ({
    paths: 1000,
    mean: -entropic,
    std: 0.005,
    entropic,
    var90: es90 * 0.8,
    var95: es90,
    var99: es90 * 1.3,
    es90,
    es95: es90 * 1.1,
    es99: es90 * 1.4,
    indifferencePrice: entropic,
    noLiabilityRisk: 0,
    premium: 0.0114,
    meanCost: meanAbsPosition * 0.004,
    meanAbsPosition,
    bsdhMeanAbsPosition: 0.5,
    measures: { [criterionKey({ kind: 'entropic', a: 1 })]: entropic, [criterionKey({ kind: 'es', alpha: 0.9 })]: es90 },
    ...extra,
  }) as HedgeMetrics;

const bsdh = run(0.0159, 0.0208, 0.5);
const ntb = run(0.0150, 0.0196, 0.46);
const mlpNotHedging = run(0.0120, 0.052, 0.002);

describe('ranking runs on a criterion (issue 12)', () => {
  it('labels a hedger below 10% of BSDH mean |position| as not hedging; null without a BSDH reference', () => {
    expect(DOES_NOT_HEDGE_FRACTION).toBe(0.1);
    expect(doesNotHedge(0.049, 0.5)).toBe(true);
    expect(doesNotHedge(0.05, 0.5)).toBe(false);
    expect(doesNotHedge(0.3, undefined)).toBeNull();
    expect(doesNotHedge(undefined, 0.5)).toBeNull();
  });

  it('on entropic a = 1 the non-hedging DHMLP has the lowest value but is ranked last, labelled, and not best', () => {
    const r = rankOnCriterion([bsdh, mlpNotHedging, ntb], { kind: 'entropic', a: 1 });
    expect(r.map((e) => e.value)).toEqual([0.0159, 0.012, 0.015]);
    expect(r.map((e) => e.rank)).toEqual([2, 3, 1]);
    expect(r.map((e) => e.doesNotHedge)).toEqual([false, true, false]);
    expect(r.map((e) => e.best)).toEqual([false, false, true]);
  });

  it('never highlights a run that does not hedge as the best of a metric row (mean cost, entropic)', () => {
    const notHedging = [false, true, false];
    const cost = METRIC_DEFS.find((d) => d.key === 'meanCost')!;
    const ent = METRIC_DEFS.find((d) => d.key === 'entropic')!;
    const values = (k: 'meanCost' | 'entropic') => [bsdh[k], mlpNotHedging[k], ntb[k]];
    expect(bestIndex(cost, values('meanCost'))).toBe(1); // what the old view highlighted
    expect(bestIndex(cost, values('meanCost'), notHedging)).toBe(2);
    expect(bestIndex(ent, values('entropic'), notHedging)).toBe(2);
  });

  it('reads old runs (no measures) as entropic a = 1 and ES 90/95/99 from their fields; other criteria unmeasured', () => {
    const old = { ...bsdh, measures: undefined, meanAbsPosition: undefined, bsdhMeanAbsPosition: undefined } as HedgeMetrics;
    expect(measureOf(old, { kind: 'entropic', a: 1 })).toBe(0.0159);
    expect(measureOf(old, { kind: 'es', alpha: 0.95 })).toBe(old.es95);
    expect(measureOf(old, { kind: 'entropic', a: 50 })).toBeNull();
    const r = rankOnCriterion([old, ntb], { kind: 'entropic', a: 50 });
    expect(r.map((e) => e.rank)).toEqual([null, null]);
    expect(r.every((e) => !e.best)).toBe(true);
  });

  it('a comparison ranks on the common criterion trained, else the most frequent, or the one chosen, and says so', () => {
    const es = { criterion: 'es' as const, esLevel: 0.9 };
    const same = comparisonRanking([{ config: es, metrics: bsdh }, { config: es, metrics: ntb }]);
    expect(same.basis).toBe('common');
    expect(rankedByText(same.criterion)).toBe('ranked by ES 90%');
    const old = comparisonRanking([{ config: {}, metrics: bsdh }, { config: es, metrics: ntb }, { config: {}, metrics: mlpNotHedging }]);
    expect(old.basis).toBe('mixed');
    expect(rankedByText(old.criterion)).toBe('ranked by entropic (a = 1)');
    expect(old.entries.map((e) => e.best)).toEqual([false, true, false]);
    const chosen = comparisonRanking([{ config: {}, metrics: bsdh }, { config: es, metrics: ntb }], 'es:0.9');
    expect(chosen.basis).toBe('chosen');
    expect(chosen.entries.map((e) => e.rank)).toEqual([2, 1]);
  });
});
