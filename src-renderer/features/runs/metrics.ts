import { type HedgeMetrics } from '../../../src-shared/hedging/config';
import { esHint, esLabel, varHint, varLabel } from '../../../src-shared/risk/presentRisk';

export type NumericMetric = { [K in keyof HedgeMetrics]-?: NonNullable<HedgeMetrics[K]> extends number ? K : never }[keyof HedgeMetrics];

/** How a metric row is shown and which way is better (for highlighting the best run in a comparison). */
export interface MetricDef {
  /** A numeric figure of the metrics (flags such as `noLiabilityAtBound` are shown elsewhere). */
  key: NumericMetric;
  label: string;
  /** Unit shown next to the value. */
  unit: string;
  /** Which value is preferable when comparing runs; null = not a preference (e.g. the premium). */
  better: 'lower' | 'higher' | null;
  /** Tooltip text. */
  hint: string;
  /** Indented under the row before (a component of it). */
  sub?: boolean;
}

const P0 = 'P₀';

/**
 * The figures of a finished run, in display order. All money figures are in units of the underlying's
 * initial price P_0 = 1; PnL is the hedger's (short the option, premium not included), risk figures are
 * losses (L = -PnL), so smaller is better.
 */
export const METRIC_DEFS: MetricDef[] = [
  { key: 'mean', label: 'Mean PnL', unit: P0, better: 'higher', hint: 'E[PnL], PnL = −Z + Σ δ ΔP − costs (premium not included)' },
  { key: 'std', label: 'Std dev PnL', unit: P0, better: 'lower', hint: 'Standard deviation of PnL' },
  {
    key: 'entropic',
    label: 'Entropic loss (a = 1)',
    unit: P0,
    better: 'lower',
    hint: 'ρ = (1/a) log E[exp(−a PnL)], risk aversion a = 1',
  },
  { key: 'var90', label: varLabel(0.9), unit: P0, better: 'lower', hint: varHint(0.9) },
  { key: 'var95', label: varLabel(0.95), unit: P0, better: 'lower', hint: varHint(0.95) },
  { key: 'var99', label: varLabel(0.99), unit: P0, better: 'lower', hint: varHint(0.99) },
  { key: 'es90', label: esLabel(0.9), unit: P0, better: 'lower', hint: esHint(0.9) },
  { key: 'es95', label: esLabel(0.95), unit: P0, better: 'lower', hint: esHint(0.95) },
  { key: 'es99', label: esLabel(0.99), unit: P0, better: 'lower', hint: esHint(0.99) },
  {
    key: 'indifferencePrice',
    label: 'Indifference price',
    unit: P0,
    better: 'lower',
    hint: 'q(Z) = ρ(PnL with Z) − min over static holdings of ρ(PnL without Z)',
  },
  {
    key: 'noLiabilityRisk',
    label: 'of which no-liability term',
    unit: P0,
    better: null,
    sub: true,
    hint: 'min over static holdings of ρ(PnL without the option); 0 when drift = 0',
  },
  {
    key: 'premium',
    label: 'Premium',
    unit: P0,
    better: null,
    hint:
      'r = 0. European: Black–Scholes. Lookback: maximum monitored at the hedge dates — exact (Spitzer’s identity) for K ≤ P₀; ' +
      'for K > P₀ the Broadie–Glasserman–Kou corrected Conze–Viswanathan price, 0.3–4% below a daily Monte Carlo at σ 0.1, 30 days, K 1.0–1.1',
  },
  { key: 'meanCost', label: 'Mean cost', unit: P0, better: 'lower', hint: 'Mean transaction cost paid per path' },
  {
    key: 'meanAbsPosition',
    label: 'Mean |position|',
    unit: 'asset units',
    better: null,
    hint: 'Mean over paths and dates of |δᵢ|: how much the hedger holds. Below 10% of BSDH’s on the same paths = "does not hedge"',
  },
  {
    key: 'bsdhMeanAbsPosition',
    label: 'BSDH mean |position| (same paths)',
    unit: 'asset units',
    better: null,
    sub: true,
    hint: 'The Black–Scholes delta hedge on the same test paths: the reference of the "does not hedge" rule',
  },
];

/**
 * Index of the best value in `values` for `def` (null when no preference or fewer than two values). Runs flagged
 * in `excluded` (those that do not hedge) are never the best of a row: not trading trivially "wins" on cost and,
 * at a = 1, on the entropic loss.
 */
export function bestIndex(def: MetricDef, values: Array<number | null | undefined>, excluded?: Array<boolean | null>): number | null {
  if (!def.better) return null;
  let best: number | null = null;
  let count = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    if (excluded?.[i]) return;
    count++;
    if (best === null) best = i;
    else if (def.better === 'lower' ? v < values[best]! : v > values[best]!) best = i;
  });
  return count >= 2 ? best : null;
}
