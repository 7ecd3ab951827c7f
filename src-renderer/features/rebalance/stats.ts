import { type PnlStats } from '../../../src-shared/bsde/hedge';
import { esHint, esLabel, lossFromLowerTail, varHint, varLabel } from '../../../src-shared/risk/presentRisk';
import { fmtSig } from '../../app/format';

/**
 * The relative-PnL statistics every hedging screen shows (spec portfolio-bsde.md, "Hedging along simulated
 * paths"): X = PnL / |V_0|, dimensionless. Levels (mean, VaR, ES, min, max, std) are shown in % of |V_0|;
 * VaR and ES are the lower tail shown as positive losses ("VaR 99% (loss)" = −q_1%(X), the shared presenter
 * src-shared/risk/presentRisk.ts); the upper tail (95%, 99%) is shown signed under its own names;
 * variance and semivariance are moments of X itself (dimensionless, fraction squared), the way the source's
 * tables report them; skew is dimensionless.
 */
export type StatKey =
  | 'mean'
  | 'std'
  | 'variance'
  | 'semivariance'
  | 'skew'
  | 'var1'
  | 'var5'
  | 'var95'
  | 'var99'
  | 'es1'
  | 'es5'
  | 'es95'
  | 'es99'
  | 'min'
  | 'max';

export interface StatDef {
  key: StatKey;
  label: string;
  unit: string;
  hint: string;
  /** The value in display units (percent for levels). */
  get(s: PnlStats): number;
  /** Strictly positive (a log axis fits). */
  positive: boolean;
}

export const PCT_UNIT = '% of |V₀|';
export const SQ_UNIT = '(PnL/|V₀|)²';

const pct = (f: (s: PnlStats) => number) => (s: PnlStats) => 100 * f(s);

export const STAT_DEFS: StatDef[] = [
  { key: 'mean', label: 'Mean', unit: PCT_UNIT, hint: 'mean relative PnL', get: pct((s) => s.mean), positive: false },
  { key: 'std', label: 'Std deviation', unit: PCT_UNIT, hint: 'square root of the variance', get: pct((s) => Math.sqrt(s.variance)), positive: true },
  { key: 'variance', label: 'Variance', unit: SQ_UNIT, hint: 'E[(X − mean)²] of the relative PnL X', get: (s) => s.variance, positive: true },
  { key: 'semivariance', label: 'Semivariance', unit: SQ_UNIT, hint: 'E[min(X − mean, 0)²]: the downside part of the variance', get: (s) => s.semivariance, positive: true },
  { key: 'skew', label: 'Skew', unit: 'dimensionless', hint: 'E[(X − mean)³] / std³', get: (s) => s.skew, positive: false },
  { key: 'var1', label: varLabel(0.99), unit: PCT_UNIT, hint: `${varHint(0.99)}: −(1% quantile of X)`, get: pct((s) => lossFromLowerTail(s.var.p1)), positive: false },
  { key: 'es1', label: esLabel(0.99), unit: PCT_UNIT, hint: `${esHint(0.99)}: −(mean of X below its 1% quantile)`, get: pct((s) => lossFromLowerTail(s.es.p1)), positive: false },
  { key: 'var5', label: varLabel(0.95), unit: PCT_UNIT, hint: `${varHint(0.95)}: −(5% quantile of X)`, get: pct((s) => lossFromLowerTail(s.var.p5)), positive: false },
  { key: 'es5', label: esLabel(0.95), unit: PCT_UNIT, hint: `${esHint(0.95)}: −(mean of X below its 5% quantile)`, get: pct((s) => lossFromLowerTail(s.es.p5)), positive: false },
  { key: 'var95', label: 'Upper quantile 95%', unit: PCT_UNIT, hint: '95% quantile of the relative PnL X (signed; the gain side of the hedger)', get: pct((s) => s.var.p95), positive: false },
  { key: 'es95', label: 'Upper tail mean 95%', unit: PCT_UNIT, hint: 'mean of X above its 95% quantile (signed)', get: pct((s) => s.es.p95), positive: false },
  { key: 'var99', label: 'Upper quantile 99%', unit: PCT_UNIT, hint: '99% quantile of the relative PnL X (signed; the gain side of the hedger)', get: pct((s) => s.var.p99), positive: false },
  { key: 'es99', label: 'Upper tail mean 99%', unit: PCT_UNIT, hint: 'mean of X above its 99% quantile (signed)', get: pct((s) => s.es.p99), positive: false },
  { key: 'min', label: 'Min', unit: PCT_UNIT, hint: 'worst path', get: pct((s) => s.min), positive: false },
  { key: 'max', label: 'Max', unit: PCT_UNIT, hint: 'best path', get: pct((s) => s.max), positive: false },
];

export const statDef = (key: StatKey): StatDef => STAT_DEFS.find((d) => d.key === key) ?? STAT_DEFS[0];

/** The statistics offered for convergence charts against R, in menu order. */
export const CONVERGENCE_STATS: StatKey[] = ['variance', 'semivariance', 'std', 'es1', 'var1', 'es5', 'var5', 'es99', 'var99', 'mean', 'skew'];

/** A statistic for a table cell: 5 significant digits, exponent form for the squared moments. */
export function fmtStat(def: StatDef, s: PnlStats | null | undefined): string {
  if (!s) return '—';
  const v = def.get(s);
  if (def.unit === SQ_UNIT) return Number.isFinite(v) ? (v === 0 ? '0' : v.toExponential(3)) : fmtSig(v);
  return fmtSig(v, 4);
}

/** A short unit suffix for axes and tooltips. */
export const unitShort = (def: StatDef): string => (def.unit === PCT_UNIT ? '%' : def.unit === SQ_UNIT ? '' : '');
