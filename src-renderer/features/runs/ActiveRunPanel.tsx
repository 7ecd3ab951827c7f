import { useMemo } from 'react';
import { type RunSummary } from '../../../src-shared/api/runs';
import { fmtInt } from '../../app/format';
import { EChart } from '../../components/EChart';
import { RunProgress } from '../../components/RunProgress';
import { RunTitle } from '../../components/RunTitle';
import { useDistribution } from '../../hooks/useDistribution';
import { type ProgressInfo } from '../../hooks/useRuns';
import { MetricsTable } from './MetricsTable';
import { pnlChartOption } from './pnlChart';
import { configSummary, runTitle } from './runText';

interface Props {
  run: RunSummary | null;
  /** Why no run is shown for the selected id: just started (not listed yet) or no longer stored. */
  missing: 'starting' | 'gone' | null;
  progress: ProgressInfo | undefined;
  onLoadIntoForm(run: RunSummary): void;
}

/** The selected run: live progress and Cancel while it runs; histogram + KDE and metrics when done. */
export function ActiveRunPanel({ run, missing, progress, onLoadIntoForm }: Props) {
  if (!run) {
    return (
      <section className="panel" data-testid="active-run">
        <div className="empty">
          {missing === 'starting'
            ? 'Starting run…'
            : missing === 'gone'
              ? 'The selected run is no longer stored (deleted). Pick another run in the list below.'
              : 'No run selected. Start a run on the left or click a run in the list below.'}
        </div>
      </section>
    );
  }
  return (
    <section className="panel" data-testid="active-run" data-run-id={run.id} data-status={run.status}>
      <header className="run-header">
        <RunTitle status={run.status} compute={run.compute} title={runTitle(run)} titleTestId="active-run-title" runId={run.id}>
          <button type="button" className="small" onClick={() => onLoadIntoForm(run)} title="Copy this run's settings into the form">
            Load into form
          </button>
        </RunTitle>
        <div className="run-config" title={configSummary(run)}>
          {configSummary(run)}
        </div>
      </header>
      <RunBody run={run} progress={progress} />
    </section>
  );
}

function RunBody({ run, progress }: { run: RunSummary; progress: ProgressInfo | undefined }) {
  switch (run.status) {
    case 'queued':
    case 'running':
      return <LiveProgress run={run} progress={progress} />;
    case 'done':
      return <Finished run={run} />;
    case 'failed':
      return (
        <div className="run-message error" data-testid="run-error" role="alert">
          <b>Run failed.</b> {run.error?.message ?? 'No error message was recorded.'}
          {run.error?.code && <span className="code"> [{run.error.code}]</span>}
        </div>
      );
    case 'cancelled':
      return (
        <div className="run-message warn" data-testid="run-status-note">
          <b>Run cancelled</b> after {fmtInt(run.progress.done)} / {fmtInt(run.progress.total)} paths. No metrics were
          computed.
        </div>
      );
    case 'interrupted':
      return (
        <div className="run-message warn" data-testid="run-status-note">
          <b>Run interrupted</b> (the app stopped while it was running) after {fmtInt(run.progress.done)} /{' '}
          {fmtInt(run.progress.total)} paths. Start it again from the form (Load into form).
        </div>
      );
  }
}

function LiveProgress({ run, progress }: { run: RunSummary; progress: ProgressInfo | undefined }) {
  return (
    <RunProgress
      runId={run.id}
      status={run.status}
      progress={progress}
      stored={run.progress}
      startedAt={run.startedAt}
      testId={{ progress: 'progress-bar', cancel: 'cancel-button' }}
      queued="Queued: waiting for a worker."
    >
      <div className="live-placeholder">The PnL histogram and the risk metrics appear here when the run finishes.</div>
    </RunProgress>
  );
}

function Finished({ run }: { run: RunSummary }) {
  const ids = useMemo(() => [run.id], [run.id]);
  const dist = useDistribution(ids);
  const option = useMemo(
    () => (dist.data ? pnlChartOption(dist.data, [{ name: runTitle(run), mean: run.metrics?.mean }], { overlay: false }) : null),
    [dist.data, run],
  );
  const clipped = dist.data?.series[0]?.clipped ?? 0;
  return (
    <div className="finished">
      <div className="chart-box">
        <div className="chart-title">
          PnL distribution: histogram (density) and KDE
          {clipped > 0 && (
            <span className="muted"> · {fmtInt(clipped)} paths outside the shown range (0.05%–99.95% quantiles)</span>
          )}
        </div>
        {option ? (
          <EChart
            option={option}
            testId="histogram-chart"
            className="chart"
            ariaLabel="PnL histogram with KDE"
            seriesCount={dist.data?.series.length}
          />
        ) : (
          <div className="chart placeholder" data-testid="histogram-loading">
            {dist.error ? `Could not load the distribution: ${dist.error}` : 'Loading distribution…'}
          </div>
        )}
      </div>
      {run.metrics ? (
        <MetricsTable metrics={run.metrics} />
      ) : (
        <div className="run-message warn">This run finished without metrics.</div>
      )}
    </div>
  );
}
