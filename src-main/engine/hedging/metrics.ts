import { type CompactHistogram, type HedgeMetrics } from '../../../src-shared/hedging/config';
import { quantileSorted } from '../risk/distribution';
import { entropicRisk, expectedShortfall, riskSummary } from '../risk/measures';
import { bsdhPremium } from './bsdh';
import { staticNoLiabilityRisk } from './indifference';

/**
 * Summary figures of a hedged test set, the same as the BSDH kernel reports (risk summary, premium, mean
 * cost, indifference price with the static no-liability term), for any hedger.
 * @param pnl PnL per path (money); cost per path (money); terminal P_n per path.
 * @param market option, strike, days, hedge dates and the volatility of the paths (for the premium, see `bsdhPremium`).
 */
export function hedgeMetricsOf(
  pnl: Float64Array,
  cost: Float64Array,
  terminal: Float64Array,
  costRate: number,
  market: { option: 'european' | 'lookback'; strike: number; sigma: number; days: number; steps: number },
): HedgeMetrics {
  const risk = riskSummary(pnl);
  let costSum = 0;
  for (let k = 0; k < cost.length; k++) costSum += cost[k];
  const noLiability = staticNoLiabilityRisk(terminal, 1, costRate);
  return {
    paths: pnl.length,
    ...risk,
    indifferencePrice: risk.entropic - noLiability.risk,
    noLiabilityRisk: noLiability.risk,
    noLiabilityAtBound: noLiability.atBound,
    premium: bsdhPremium(market),
    meanCost: costSum / pnl.length,
  };
}

/** P_n of every path of a path-major `paths x (steps + 1)` array. */
export function terminalPrices(prices: Float64Array, paths: number, steps: number): Float64Array {
  const out = new Float64Array(paths);
  for (let k = 0; k < paths; k++) out[k] = prices[k * (steps + 1) + steps];
  return out;
}

/** Entropic loss (a = 1) and ES90 of a sample (money). */
export function quickRisk(pnl: Float64Array): { entropic: number; es90: number } {
  return { entropic: entropicRisk(pnl), es90: expectedShortfall(pnl, 0.9) };
}

/**
 * Histograms of several samples on common equal bins over [min q_0.5%, max q_99.5%] of the samples
 * (a few extreme paths do not squash the picture; they are counted in `clipped`).
 * @returns one CompactHistogram per sample, all with the same lo, hi and bin count.
 */
export function compactHistograms(samples: Float64Array[], bins = 60): CompactHistogram[] {
  const sorted = samples.map((s) => Float64Array.from(s).sort());
  let lo = Math.min(...sorted.map((s) => quantileSorted(s, 0.005)));
  let hi = Math.max(...sorted.map((s) => quantileSorted(s, 0.995)));
  if (!(hi > lo)) {
    const pad = Math.max(Math.abs(lo), 1) * 1e-6;
    lo -= pad;
    hi += pad;
  }
  const width = (hi - lo) / bins;
  return sorted.map((s) => {
    const counts = new Array<number>(bins).fill(0);
    let clipped = 0;
    for (let k = 0; k < s.length; k++) {
      const x = s[k];
      if (!(x >= lo && x <= hi)) {
        clipped++;
        continue;
      }
      counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
    }
    return { lo, hi, counts, n: s.length, clipped };
  });
}
