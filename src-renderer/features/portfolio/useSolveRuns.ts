import { type AnyRun, type RunRecord } from '../../../src-shared/api/runs';
import { type BsdeRunConfig } from '../../../src-shared/bsde/contract';
import { type BsdeMetrics, type BsdeProgress } from '../../../src-shared/bsde/result';
import { type RunsQuery } from '../../hooks/useRuns';
import { type DetailedProgress, useRunsWithProgress } from '../../hooks/useRunsWithProgress';

export type SolveRun = RunRecord<'bsde-solve', BsdeRunConfig, BsdeMetrics>;

export type SolveProgress = DetailedProgress<BsdeProgress>;

const isSolve = (r: AnyRun): r is SolveRun => r.kind === 'bsde-solve';
const SOLVE_RUNS: RunsQuery<SolveRun> = { kinds: ['bsde-solve'], isOurs: isSolve };

/**
 * Solve runs (kind 'bsde-solve') from the query cache (refetched on run events by app/queryInvalidation.ts),
 * with the latest live progress of each (the last detail is kept between plain progress reports).
 */
export function useSolveRuns(connectionOpens: number): { runs: SolveRun[]; progress: Record<string, SolveProgress>; error: string | null; refresh(): void } {
  return useRunsWithProgress<SolveRun, BsdeProgress>(connectionOpens, SOLVE_RUNS);
}
