import { HESTON_SOLVER_PRESETS, type HestonScheme } from '../../../../src-shared/heston/config';
import { type HestonSolverName } from '../../../../src-shared/heston/contract';
import { estimateHestonSolve } from '../../../../src-shared/heston/estimate';
import { describeEstimate } from '../../../../src-shared/limits/estimate';

/** What the form says about each solver preset: its grid N and its title. */
export const SOLVER_INFO: Record<HestonSolverName, { steps: number; title: string }> = Object.fromEntries(
  Object.entries(HESTON_SOLVER_PRESETS).map(([k, p]) => [k, { steps: p.config.steps, title: p.title }]),
) as Record<HestonSolverName, { steps: number; title: string }>;

/** The estimate line of the form (same estimator as the handler's limit check). */
export function describeHestonEstimate(solver: HestonSolverName, scheme: HestonScheme, steps: number): string {
  const p = HESTON_SOLVER_PRESETS[solver] ?? HESTON_SOLVER_PRESETS.cpu;
  return describeEstimate(estimateHestonSolve({ ...p.config, scheme, steps: Number.isFinite(steps) && steps > 0 ? steps : p.config.steps }));
}
