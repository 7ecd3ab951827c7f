import { runHedgeJob } from '../domains/hedging/job';
import { runQlbsJob, runQlbsSweepJob } from '../domains/qlbs/job';
import { runSemistaticJob } from '../domains/semistatic/job';
import { runOrderbookImportJob } from '../domains/orderbook/importJob';
import { runOrderbookPathsJob } from '../domains/orderbook/pathsJob';
import { runBsdeJob } from '../domains/bsde/job';
import { runBsdeHedgeJob } from '../domains/bsde/hedgeJob';
import { type JobRunner } from './runner';

/**
 * Every kind of job a worker can run, by run kind. A domain adds its runner here (one line) and submits
 * jobs with `jobs.submit({ kind, config }, …)` from its handlers.
 */
export const JOB_RUNNERS: Record<string, JobRunner> = {
  hedge: runHedgeJob,
  qlbs: runQlbsJob,
  'qlbs-sweep': runQlbsSweepJob,
  semistatic: runSemistaticJob,
  'orderbook-import': runOrderbookImportJob,
  'orderbook-paths': runOrderbookPathsJob,
  'bsde-solve': runBsdeJob,
  'bsde-hedge': runBsdeHedgeJob,
};
