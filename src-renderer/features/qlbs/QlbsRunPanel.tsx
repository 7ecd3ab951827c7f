import { useEffect, useMemo, useState } from 'react';
import { type QlbsProgressDetail } from '../../../src-shared/qlbs/config';
import { fmtInt, fmtPlain, fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { ProgressLine } from '../../components/ProgressBar';
import { RunProgress, type RunTiming } from '../../components/RunProgress';
import { RunTitle } from '../../components/RunTitle';
import { useRpcEvent } from '../../hooks/useRpcEvent';
import { liveValueOption } from './charts';
import { HedgeChart, PortfolioChart, QSurfaceChart } from './QlbsCharts';
import { QlbsResults } from './QlbsResults';
import { type QlbsProgress, type QlbsRun } from './useQlbsRuns';
import styles from './qlbs.module.css';
import { cx } from '../../styles/cx';

interface Props {
  run: QlbsRun | null;
  missing: 'starting' | 'gone' | null;
  progress: QlbsProgress | undefined;
  onLoadIntoForm(run: QlbsRun): void;
}

/** `put K=100 · S₀=100 μ=0.05 σ=0.15 r=0.03 T=1y · 24 DP / 6 FQI steps · 10,000 paths · λ=0.001 reg=0.001 · M=12 p=4 · η=0.5 · seed 42`. */
export function qlbsConfigSummary(r: QlbsRun): string {
  const c = r.config;
  const steps = c.method === 'fqi' ? `${c.steps} DP / ${c.fqiSteps} FQI steps` : `${c.steps} DP steps`;
  return [
    `${c.option} K=${fmtPlain(c.strike)}`,
    `S₀=${fmtPlain(c.s0)} μ=${fmtPlain(c.mu)} σ=${fmtPlain(c.sigma)} r=${fmtPlain(c.r)} T=${fmtPlain(c.maturity)}y`,
    steps,
    `${fmtInt(c.paths)} paths`,
    `λ=${fmtPlain(c.lambda)} reg=${fmtPlain(c.reg)}`,
    `M=${c.basisSize} p=${c.degree}`,
    ...(c.method === 'fqi' ? [`η=${fmtPlain(c.eta)}`] : []),
    ...(c.driftTerm ? ['drift term'] : []),
    `seed ${c.seed}`,
  ].join(' · ');
}

/** The selected QLBS run: live backward-pass progress and Cancel while it runs; prices and charts when done. */
export function QlbsRunPanel({ run, missing, progress, onLoadIntoForm }: Props) {
  if (!run) {
    return (
      <section className={cx('panel', styles.run)} data-testid="qlbs-run">
        <div className="empty">
          {missing === 'starting'
            ? 'Starting run…'
            : missing === 'gone'
              ? 'The selected run is no longer stored (deleted). Pick another run in the list below.'
              : 'No QLBS run yet. Start one with the form on the left (the reference setting prices a put in well under a second).'}
        </div>
      </section>
    );
  }
  return (
    <section className={cx('panel', styles.run)} data-testid="qlbs-run" data-run-id={run.id} data-status={run.status}>
      <header className="run-header">
        <RunTitle status={run.status} compute={run.compute} title={run.label || run.id} titleTestId="qlbs-run-title" runId={run.id}>
          <button type="button" className="small" data-testid="qlbs-load-into-form" onClick={() => onLoadIntoForm(run)} title="Copy this run's settings into the form">
            Load into form
          </button>
        </RunTitle>
        <div className="run-config" title={qlbsConfigSummary(run)}>
          {qlbsConfigSummary(run)}
        </div>
      </header>
      <Body run={run} progress={progress} />
    </section>
  );
}

function Body({ run, progress }: { run: QlbsRun; progress: QlbsProgress | undefined }) {
  switch (run.status) {
    case 'queued':
    case 'running':
      return <Live run={run} progress={progress} />;
    case 'done':
      return run.metrics ? (
        <div className={styles.done} data-testid="qlbs-done">
          <QlbsResults m={run.metrics} wallMs={run.wallMs} />
          <HedgeChart runId={run.id} config={run.config} />
          <QSurfaceChart runId={run.id} config={run.config} />
          <PortfolioChart runId={run.id} metrics={run.metrics} />
        </div>
      ) : (
        <div className="run-message warn">This run finished without results.</div>
      );
    case 'failed':
      return (
        <div className="run-message error" data-testid="qlbs-run-error" role="alert">
          <b>Run failed.</b> {run.error?.message ?? 'No error message was recorded.'}
          {run.error?.code && <span className="code"> [{run.error.code}]</span>}
        </div>
      );
    case 'cancelled':
      return (
        <div className="run-message warn" data-testid="qlbs-run-note">
          <b>Run cancelled</b> after {fmtInt(run.progress.done)} of {fmtInt(run.progress.total)} backward steps. Nothing was stored.
        </div>
      );
    case 'interrupted':
      return (
        <div className="run-message warn" data-testid="qlbs-run-note">
          <b>Run interrupted</b> (the app stopped while it was running). Start it again with Load into form.
        </div>
      );
  }
}

const PHASE_TEXT: Record<QlbsProgressDetail['phase'], string> = {
  simulate: 'simulating the paths',
  dp: 'on-policy DP backward pass',
  fqi: 'DP + FQI backward pass on the FQI grid',
};

function Live({ run, progress }: { run: QlbsRun; progress: QlbsProgress | undefined }) {
  const [points, setPoints] = useState<{ dp: Array<[number, number]>; fqi: Array<[number, number]>; last: QlbsProgressDetail | null }>({ dp: [], fqi: [], last: null });
  useEffect(() => setPoints({ dp: [], fqi: [], last: null }), [run.id]);
  const c = run.config;
  useRpcEvent('run-progress', (ev) => {
    if (ev.runId !== run.id || !ev.detail) return;
    const d = ev.detail as QlbsProgressDetail;
    if (d.kind !== 'qlbs') return;
    setPoints((p) => {
      const next = { ...p, last: d };
      if (d.phase === 'dp' && d.dpValue !== null) next.dp = [...p.dp, [(d.t * c.maturity) / d.steps, d.dpValue]];
      if (d.phase === 'fqi' && d.fqiValue !== null) next.fqi = [...p.fqi, [(d.t * c.maturity) / d.steps, d.fqiValue]];
      if (d.phase === 'dp' && d.fqiValue !== null) next.fqi = [...p.fqi, [(d.t * c.maturity) / d.steps, d.fqiValue]];
      return next;
    });
  });
  const option = useMemo(() => liveValueOption(points, c.maturity), [points, c.maturity]);
  const last = points.last;
  const bar = ({ done, total, elapsedMs, etaMs }: RunTiming, testId: string) => (
    <ProgressLine done={done} total={total} elapsedMs={elapsedMs} etaMs={etaMs} testId={testId} pctTestId="qlbs-progress-percent" etaTestId="qlbs-progress-eta">
      <span data-testid="qlbs-progress-count">
        {fmtInt(done)} / {fmtInt(total)} backward steps
      </span>
      <span data-testid="qlbs-progress-phase">
        {last ? `${PHASE_TEXT[last.phase]}${last.phase === 'simulate' ? '' : `: t = ${last.t} of ${last.steps}`}` : run.status === 'queued' ? 'queued: waiting for a worker' : 'starting…'}
      </span>
    </ProgressLine>
  );

  return (
    <RunProgress
      runId={run.id}
      status={run.status}
      progress={progress}
      stored={run.progress}
      startedAt={run.startedAt}
      testId={{ progress: 'qlbs-progress', cancel: 'qlbs-cancel-button' }}
      queued={null}
      className={styles.live}
      bar={bar}
    >
      {last && last.hedgeAtMedian !== null && (
        <div className={cx('muted', styles.liveLine)}>
          hedge at the median spot a_t = {fmtSig(last.hedgeAtMedian, 4)} · DP value −mean Q_t = {fmtSig(last.dpValue, 5)}
          {last.fqiValue !== null ? ` · FQI value = ${fmtSig(last.fqiValue, 5)}` : ''}
        </div>
      )}
      <div className={cx('chart-box', styles.liveChart)}>
        <EChart option={option} testId="qlbs-live-chart" className="chart" ariaLabel="Value by time step as the backward pass runs" seriesCount={2} />
      </div>
    </RunProgress>
  );
}
