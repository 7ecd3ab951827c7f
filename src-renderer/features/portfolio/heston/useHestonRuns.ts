import { type AnyRun, type RunRecord } from '../../../../src-shared/api/runs';
import { type HestonSolveMetrics, type HestonSolveRunConfig } from '../../../../src-shared/heston/contract';
import { type HestonJobProgress } from '../../../../src-shared/heston/progress';
import { type RunsQuery } from '../../../hooks/useRuns';
import { type DetailedProgress, useRunsWithProgress } from '../../../hooks/useRunsWithProgress';

export type HestonRun = RunRecord<'heston-solve', HestonSolveRunConfig, HestonSolveMetrics>;

export type HestonProgress = DetailedProgress<HestonJobProgress>;

const isHeston = (r: AnyRun): r is HestonRun => r.kind === 'heston-solve';
const HESTON_RUNS: RunsQuery<HestonRun> = { kinds: ['heston-solve'], isOurs: isHeston };

/** Heston solve runs (kind 'heston-solve') from the query cache, with the latest live progress of each. */
export function useHestonRuns(connectionOpens: number): { runs: HestonRun[]; progress: Record<string, HestonProgress>; error: string | null; refresh(): void } {
  return useRunsWithProgress<HestonRun, HestonJobProgress>(connectionOpens, HESTON_RUNS);
}
