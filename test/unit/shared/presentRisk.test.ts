import { describe, expect, it } from 'vitest';
import { type PnlStats } from '../../../src-shared/bsde/hedge';
import { esLabel, levelText, lossFromLowerTail, varLabel } from '../../../src-shared/risk/presentRisk';
import { STAT_DEFS, fmtStat, statDef } from '../../../src-renderer/features/rebalance/stats';
import { METRIC_DEFS } from '../../../src-renderer/features/runs/metrics';

/** A stats record whose lower tail is a loss (the "VaR 1% -114.1%" case). */
const stats: PnlStats = {
  n: 1000,
  mean: -0.01,
  variance: 0.04,
  semivariance: 0.03,
  skew: -1.2,
  var: { p1: -1.141, p5: -0.5, p95: 0.3, p99: 0.45 },
  es: { p1: -1.6, p5: -0.8, p95: 0.38, p99: 0.5 },
  min: -2.5,
  max: 0.7,
};

describe('one VaR/ES presenter: positive losses with their level', () => {
  it('labels carry the confidence level and say the figure is a loss', () => {
    expect(varLabel(0.99)).toBe('VaR 99% (loss)');
    expect(esLabel(0.975)).toBe('ES 97.5% (loss)');
    expect(levelText(0.9)).toBe('90%');
    expect(() => levelText(99)).toThrow(/\(0, 1\)/);
  });

  it('a lower-tail PnL figure becomes a positive loss, never −0', () => {
    expect(lossFromLowerTail(-1.141)).toBe(1.141);
    expect(lossFromLowerTail(0.2)).toBe(-0.2);
    expect(Object.is(lossFromLowerTail(0), 0)).toBe(true);
  });

  it('Rebalancing shows "VaR 99% (loss) 114.1" for a 1% PnL quantile of −114.1%, not a signed quantile', () => {
    const v = statDef('var1');
    expect(v.label).toBe('VaR 99% (loss)');
    expect(fmtStat(v, stats)).toBe('114.1');
    const e = statDef('es5');
    expect(e.label).toBe('ES 95% (loss)');
    expect(fmtStat(e, stats)).toBe('80.00');
    // ES is at least VaR at the same level once both are losses
    expect(statDef('es1').get(stats)).toBeGreaterThanOrEqual(v.get(stats));
  });

  it('no tab labels a signed quantile "VaR x%" or "ES x%" without "(loss)"', () => {
    const labels = [...STAT_DEFS.map((d) => d.label), ...METRIC_DEFS.map((d) => d.label)];
    const risk = labels.filter((l) => /^(VaR|ES)\b/.test(l));
    expect(risk.length).toBe(10);
    for (const l of risk) expect(l).toMatch(/^(VaR|ES) \d+(\.\d+)?% \(loss\)$/);
  });
});
