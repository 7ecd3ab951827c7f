import { runHedgeJob } from '../domains/hedging/job';
import { runHedgeShardJob } from '../domains/hedging/pools';
import { runQlbsJob, runQlbsSweepJob } from '../domains/qlbs/job';
import { runSemistaticJob } from '../domains/semistatic/job';
import { runOrderbookImportJob } from '../domains/orderbook/importJob';
import { runOrderbookPathsJob } from '../domains/orderbook/pathsJob';
import { runBsdeJob } from '../domains/bsde/job';
import { runBsdeHedgeJob, runBsdeHedgePartJob } from '../domains/bsde/hedgeJob';
import { type JobRunner } from './runner';

/**
 * Every kind of job a worker can run, by run kind. A domain adds its runner here (one line) and submits
 * jobs with `jobs.submit({ kind, config }, …)` from its handlers.
 */
export const JOB_RUNNERS: Record<string, JobRunner> = {
  hedge: runHedgeJob,
  /** A helper thread of a deep-hedging training job (serves shards over a MessagePort; not a stored run). */
  'hedge-shard': runHedgeShardJob,
  qlbs: runQlbsJob,
  'qlbs-sweep': runQlbsSweepJob,
  semistatic: runSemistaticJob,
  'orderbook-import': runOrderbookImportJob,
  'orderbook-paths': runOrderbookPathsJob,
  'bsde-solve': runBsdeJob,
  'bsde-hedge': runBsdeHedgeJob,
  /** The second half of a hedge run's paths on a helper thread (not a stored run). */
  'bsde-hedge-part': runBsdeHedgePartJob,
};
