import { type HedgeMetrics } from '../../../src-shared/hedging/config';
import { type CriterionFields, criterionKey, criterionOf, criterionRisk, reportedCriteria } from '../../../src-shared/hedging/criteria';

/** The criterion figures of a hedged sample (see `criterionFigures`). */
export type CriterionFigures = Pick<HedgeMetrics, 'criterion' | 'criterionValue' | 'measures' | 'meanAbsPosition' | 'bsdhMeanAbsPosition'>;

/**
 * The figures every run reports so that any view can rank it on any criterion (src-shared/hedging/ranking.ts):
 * the criterion trained and its value, every `reportedCriteria` measure (entropic at a = 1 and the run's a,
 * ES at 90% and the run's alpha, mean-variance at the run's lambda), and mean |position| with BSDH's on the
 * same paths (the "does not hedge" rule).
 * @param pnl PnL per test path (money).
 * @param fields the run's criterion fields (absent = entropic a = 1).
 */
export function criterionFigures(
  pnl: ArrayLike<number>,
  fields: CriterionFields,
  positions: { meanAbsPosition?: number; bsdhMeanAbsPosition?: number } = {},
): CriterionFigures {
  const criterion = criterionOf(fields);
  const measures: Record<string, number> = {};
  for (const c of reportedCriteria(fields)) measures[criterionKey(c)] = criterionRisk(pnl, c);
  return {
    criterion,
    criterionValue: measures[criterionKey(criterion)] ?? criterionRisk(pnl, criterion),
    measures,
    ...(positions.meanAbsPosition !== undefined ? { meanAbsPosition: positions.meanAbsPosition } : {}),
    ...(positions.bsdhMeanAbsPosition !== undefined ? { bsdhMeanAbsPosition: positions.bsdhMeanAbsPosition } : {}),
  };
}
