import { runHedgeJob } from '../domains/hedging/job';
import { runQlbsJob, runQlbsSweepJob } from '../domains/qlbs/job';
import { runSemistaticJob } from '../domains/semistatic/job';
import { runOrderbookImportJob } from '../domains/orderbook/importJob';
import { runOrderbookPathsJob } from '../domains/orderbook/pathsJob';
import { runBsdeJob } from '../domains/bsde/job';
import { runBsdeHedgeJob } from '../domains/bsde/hedgeJob';
import { runHestonHedgeJob } from '../domains/heston/hedgeJob';
import { runHestonSolveJob } from '../domains/heston/solveJob';
import { type JobRunnerTable } from '../jobs/runner';
import { type PartRunnerTable } from '../jobs/worker';
import { runBsdeHedgePart } from '../domains/bsde/hedgeParts';
import { BSDE_HEDGE_PART } from '../../src-shared/bsde/hedgePart';
import { runHestonHedgePart } from '../domains/heston/hedgeParts';
import { HESTON_HEDGE_PART } from '../../src-shared/heston/hedgePart';

/**
 * The composition root's registration of job runners: one typed runner per stored job kind
 * (src-shared/api/jobs.ts — a kind without a runner, or a runner of the wrong config or metrics type, does not
 * compile). A domain adds its runner here; src-main/jobs imports no domain. (Helper threads a job starts — training
 * shards, hedge halves, CSV parsing — are piscina tasks of src-main/threads and src-main/domains/orderbook/io.)
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
  'heston-hedge': runHestonHedgeJob,
  'heston-solve': runHestonSolveJob,
};

/**
 * Runners of the PART kinds a host splits a run into for the cluster (src-main/cluster/fanout.ts); only cluster
 * workers are sent these. Their payload schemas are in src-main/cluster/payload.ts PART_SCHEMAS.
 */
export const PART_RUNNERS: PartRunnerTable = {
  [BSDE_HEDGE_PART]: runBsdeHedgePart,
  [HESTON_HEDGE_PART]: runHestonHedgePart,
};
