import { type HedgeMetrics } from '../../../src-shared/hedging/config';
import { esHint, esLabel, varHint, varLabel } from '../../../src-shared/risk/presentRisk';

export type NumericMetric = { [K in keyof HedgeMetrics]-?: HedgeMetrics[K] extends number ? K : never }[keyof HedgeMetrics];

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
  { key: 'premium', label: 'Premium (closed form)', unit: P0, better: null, hint: 'Black–Scholes / Conze–Viswanathan price, r = 0' },
  { key: 'meanCost', label: 'Mean cost', unit: P0, better: 'lower', hint: 'Mean transaction cost paid per path' },
];

/** Index of the best value in `values` for `def` (null when no preference or fewer than two values). */
export function bestIndex(def: MetricDef, values: Array<number | null | undefined>): number | null {
  if (!def.better) return null;
  let best: number | null = null;
  let count = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    count++;
    if (best === null) best = i;
    else if (def.better === 'lower' ? v < values[best]! : v > values[best]!) best = i;
  });
  return count >= 2 ? best : null;
}
