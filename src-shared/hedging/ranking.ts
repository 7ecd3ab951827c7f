import { type Criterion, criterionKey, criterionLabel, criterionOf, sameCriterion, type CriterionFields } from './criteria';
import { type HedgeMetrics } from './config';

/**
 * Ranking hedging runs (deep-hedging spec, "Training criteria"): every place that ranks or highlights a "best"
 * run ranks on ONE named criterion (the one the runs were trained on, or one the user picks) and never calls a
 * hedger that stops trading the best: a run whose mean |position| is below 10% of BSDH's on the same test
 * paths is labelled "does not hedge" and ranked after every run that hedges.
 */

/** A run "does not hedge" when its mean |position| < this fraction of BSDH's mean |position| on the same paths. */
export const DOES_NOT_HEDGE_FRACTION = 0.1;
export const DOES_NOT_HEDGE_LABEL = 'does not hedge';

/**
 * The value of criterion `c` in a run's metrics (money; lower is better), or null when the run did not measure
 * it. Runs stored before criteria existed have no `measures`: their entropic (a = 1) and ES 90/95/99% are read
 * from the older fields.
 */
export function measureOf(m: HedgeMetrics | null | undefined, c: Criterion): number | null {
  if (!m) return null;
  const v = m.measures?.[criterionKey(c)];
  if (typeof v === 'number') return v;
  if (c.kind === 'entropic' && c.a === 1) return m.entropic ?? null;
  if (c.kind === 'es') {
    if (c.alpha === 0.9) return m.es90 ?? null;
    if (c.alpha === 0.95) return m.es95 ?? null;
    if (c.alpha === 0.99) return m.es99 ?? null;
  }
  return null;
}

/**
 * Whether a run does not hedge: true / false, or null when there is no BSDH reference on its paths (old runs).
 * @param meanAbsPosition mean over paths and dates of |delta_i| (asset units).
 * @param bsdhMeanAbsPosition the same for BSDH on the same test paths.
 */
export function doesNotHedge(meanAbsPosition: number | null | undefined, bsdhMeanAbsPosition: number | null | undefined): boolean | null {
  if (meanAbsPosition == null || bsdhMeanAbsPosition == null || !(bsdhMeanAbsPosition > 0)) return null;
  return meanAbsPosition < DOES_NOT_HEDGE_FRACTION * bsdhMeanAbsPosition;
}

/** `doesNotHedge` from a run's metrics (its own mean |position| and the BSDH reference it stored). */
export function metricsDoNotHedge(m: HedgeMetrics | null | undefined): boolean | null {
  return doesNotHedge(m?.meanAbsPosition, m?.bsdhMeanAbsPosition);
}

/** The criterion a run was trained on, from its config (old runs: entropic a = 1). */
export function runCriterion(config: CriterionFields | null | undefined, metrics?: HedgeMetrics | null): Criterion {
  return metrics?.criterion ?? criterionOf(config);
}

/** The criterion all `criteria` share, or null when they differ (or there are none). */
export function commonCriterion(criteria: Criterion[]): Criterion | null {
  if (criteria.length === 0) return null;
  return criteria.every((c) => sameCriterion(c, criteria[0])) ? criteria[0] : null;
}

export interface RankEntry {
  /** Value of the ranking criterion (money), null when not measured. */
  value: number | null;
  doesNotHedge: boolean | null;
  /** 1 = best; null when not measured. */
  rank: number | null;
  /** The best run: rank 1 and hedges (never a run labelled "does not hedge"); at most one, only among >= 2 measured. */
  best: boolean;
}

/**
 * Rank runs on criterion `c`: first the runs that hedge (or have no BSDH reference), lowest value first; then
 * the runs that do not hedge, lowest value first; unmeasured runs get no rank. Ties keep input order.
 * @returns one entry per input, in input order.
 */
export function rankOnCriterion(metrics: Array<HedgeMetrics | null | undefined>, c: Criterion): RankEntry[] {
  return rankValues(metrics.map((m) => ({ value: measureOf(m, c), doesNotHedge: metricsDoNotHedge(m) })));
}

/** The ranking rule of `rankOnCriterion` on values already read (money, lower is better). */
export function rankValues(items: Array<{ value: number | null; doesNotHedge: boolean | null }>): RankEntry[] {
  const entries: RankEntry[] = items.map((it) => ({ value: it.value, doesNotHedge: it.doesNotHedge, rank: null, best: false }));
  const order = entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.value !== null && Number.isFinite(e.value))
    .sort((x, y) => Number(x.e.doesNotHedge === true) - Number(y.e.doesNotHedge === true) || x.e.value! - y.e.value! || x.i - y.i);
  order.forEach(({ e }, r) => (e.rank = r + 1));
  if (order.length >= 2 && order[0].e.doesNotHedge !== true) order[0].e.best = true;
  return entries;
}

/** "ranked by ES 90%" — the sentence every ranked view shows. */
export function rankedByText(c: Criterion): string {
  return `ranked by ${criterionLabel(c)}`;
}

/** What a comparison ranks on, and why (shown on screen next to the ranking). */
export interface ComparisonRanking {
  criterion: Criterion;
  /** 'common': every run was trained on it; 'chosen': the user picked it; 'mixed': runs differ, the most frequent one. */
  basis: 'common' | 'chosen' | 'mixed';
  /** Criteria the user may rank on: those the runs were trained on, then entropic (a = 1) and ES 90%. */
  options: Criterion[];
  /** One entry per run, in input order. */
  entries: RankEntry[];
}

/**
 * The ranking of a comparison of runs: on their common criterion, or when they were trained on different ones on
 * `chosenKey` (a `criterionKey` from `options`) if given, else on the most frequent one (first run's on a tie).
 */
export function comparisonRanking(runs: Array<{ config: CriterionFields | null | undefined; metrics: HedgeMetrics | null | undefined }>, chosenKey?: string | null): ComparisonRanking {
  const trained = runs.map((r) => runCriterion(r.config, r.metrics));
  const options: Criterion[] = [];
  for (const c of [...trained, { kind: 'entropic', a: 1 } as Criterion, { kind: 'es', alpha: 0.9 } as Criterion]) {
    if (!options.some((o) => sameCriterion(o, c))) options.push(c);
  }
  const common = commonCriterion(trained);
  const chosen = chosenKey ? options.find((o) => criterionKey(o) === chosenKey) : undefined;
  let criterion: Criterion;
  let basis: ComparisonRanking['basis'];
  if (chosen && !(common && sameCriterion(common, chosen))) {
    criterion = chosen;
    basis = 'chosen';
  } else if (common) {
    criterion = common;
    basis = 'common';
  } else {
    const counts = trained.map((c) => trained.filter((d) => sameCriterion(c, d)).length);
    criterion = trained[counts.indexOf(Math.max(...counts))] ?? { kind: 'entropic', a: 1 };
    basis = 'mixed';
  }
  return { criterion, basis, options, entries: rankOnCriterion(runs.map((r) => r.metrics), criterion) };
}
