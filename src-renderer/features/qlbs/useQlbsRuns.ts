import { type AnyRun, type RunRecord } from '../../../src-shared/api/runs';
import { type QlbsConfig, type QlbsMetrics } from '../../../src-shared/qlbs/config';
import { type QlbsSweepConfig, type QlbsSweepMetrics } from '../../../src-shared/qlbs/sweep';
import { type ProgressInfo, type RunsQuery, type RunsState, useRunsOf } from '../../hooks/useRuns';

export type QlbsRun = RunRecord<'qlbs', QlbsConfig, QlbsMetrics>;
export type QlbsSweepRun = RunRecord<'qlbs-sweep', QlbsSweepConfig, QlbsSweepMetrics>;
export type QlbsAnyRun = QlbsRun | QlbsSweepRun;

export const isQlbsRun = (r: AnyRun): r is QlbsRun => r.kind === 'qlbs';
export const isQlbsSweep = (r: AnyRun): r is QlbsSweepRun => r.kind === 'qlbs-sweep';

export type QlbsProgress = ProgressInfo;
export type QlbsRunsState = RunsState<QlbsAnyRun>;

const isQlbsAny = (r: AnyRun): r is QlbsAnyRun => isQlbsRun(r) || isQlbsSweep(r);
const QLBS_RUNS: RunsQuery<QlbsAnyRun> = {
  kinds: ['qlbs', 'qlbs-sweep'],
  isOurs: isQlbsAny,
  ownsProgress: (ev) => {
    const kind = (ev.detail as { kind?: string } | undefined)?.kind;
    return kind === 'qlbs' || kind === 'qlbs-sweep';
  },
};

/** QLBS runs and sweeps (kinds 'qlbs' and 'qlbs-sweep'), newest first, with their live progress details. */
export const useQlbsRuns = (connectionOpens: number): QlbsRunsState => useRunsOf(connectionOpens, QLBS_RUNS);
