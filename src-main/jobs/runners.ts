import { runHedgeJob } from '../domains/hedging/job';
import { type JobRunner } from './runner';

/**
 * Every kind of job a worker can run, by run kind. A domain adds its runner here (one line) and submits
 * jobs with `jobs.submit({ kind, config }, …)` from its handlers.
 */
export const JOB_RUNNERS: Record<string, JobRunner> = {
  hedge: runHedgeJob,
};
