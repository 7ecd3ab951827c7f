import { runHedgeJob } from '../domains/hedging/job';
import { runHedgeShardJob } from '../domains/hedging/pools';
import { runQlbsJob, runQlbsSweepJob } from '../domains/qlbs/job';
import { runSemistaticJob } from '../domains/semistatic/job';
import { runOrderbookImportJob } from '../domains/orderbook/importJob';
import { runOrderbookPathsJob } from '../domains/orderbook/pathsJob';
import { runBsdeJob } from '../domains/bsde/job';
import { runBsdeHedgeJob, runBsdeHedgePartJob } from '../domains/bsde/hedgeJob';
import { type HelperRunnerTable, type JobRunnerTable } from '../jobs/runner';

/**
 * The composition root's registration of job runners: one typed runner per stored job kind
 * (src-shared/api/jobs.ts — a kind without a runner, or a runner of the wrong config or metrics type, does not
 * compile), and the helper threads some jobs start. A domain adds its runner here; src-main/jobs imports no domain.
 */
export const JOB_RUNNERS: JobRunnerTable = {
  hedge: runHedgeJob,
  qlbs: runQlbsJob,
  'qlbs-sweep': runQlbsSweepJob,
  semistatic: runSemistaticJob,
  'orderbook-import': runOrderbookImportJob,
  'orderbook-paths': runOrderbookPathsJob,
  'bsde-solve': runBsdeJob,
  'bsde-hedge': runBsdeHedgeJob,
};

/** Helper threads of a job (not stored runs). */
export const HELPER_RUNNERS: HelperRunnerTable = {
  /** A helper thread of a deep-hedging training job (serves shards over a MessagePort). */
  'hedge-shard': runHedgeShardJob,
  /** The second half of a hedge run's paths. */
  'bsde-hedge-part': runBsdeHedgePartJob,
};
