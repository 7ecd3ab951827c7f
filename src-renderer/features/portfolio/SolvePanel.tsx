import { fmtDateTime, fmtDuration, fmtSig } from '../../app/format';
import { ProgressLine } from '../../components/ProgressBar';
import { RunProgress, type RunTiming } from '../../components/RunProgress';
import { StatusBadge } from '../../components/StatusBadge';
import { ClusterBadge } from '../../components/ClusterBadge';
import { openSolveInRebalancing } from '../rebalance/openSolve';
import { SolveResults } from './SolveResults';
import { type SolveProgress, type SolveRun } from './useSolveRuns';
import styles from './portfolio.module.css';
import { cx } from '../../styles/cx';

interface Props {
  runs: SolveRun[];
  runId: string | null;
  onSelect(runId: string): void;
  progress: Record<string, SolveProgress>;
  /** The run was just started and is not listed yet. */
  starting: boolean;
}

const loss = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toExponential(2));

/** The solve runs of the open book: pick one; live progress per time step while it runs; results when done. */
export function SolvePanel({ runs, runId, onSelect, progress, starting }: Props) {
  const run = runs.find((r) => r.id === runId) ?? null;
  return (
    <section className={cx('panel', styles.solvePanel)} data-testid="solve-panel" data-run-id={run?.id} data-status={run?.status}>
      <div className="toolbar">
        <span className="panel-title-inline">Results</span>
        <select data-testid="solve-run-select" value={run?.id ?? ''} onChange={(e) => onSelect(e.target.value)} disabled={runs.length === 0}>
          {!run && <option value="">{runs.length ? 'choose a run…' : 'no runs of this book yet'}</option>}
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {`${fmtDateTime(r.createdAt)} · ${r.label} · v${r.config.version} · ${r.status}`}
            </option>
          ))}
        </select>
        {run && <StatusBadge status={run.status} />}
        {run && <ClusterBadge compute={run.compute} />}
        {run?.backend && <span className="muted">on {run.backend}</span>}
        {run?.wallMs && <span className="muted">· {fmtDuration(run.wallMs)}</span>}
        {run?.status === 'done' && (
          <button type="button" className="small" data-testid="solve-hedge" title="Hedge this solved book along simulated paths (Rebalancing tab)" onClick={() => openSolveInRebalancing(run.id)}>
            Hedge along paths →
          </button>
        )}
      </div>
      {!run ? (
        <div className="empty" data-testid="solve-empty">
          {starting ? 'Starting run…' : 'Start a solve on the left: prices, Deltas and Gammas of every option and of the book at t = 0 appear here.'}
        </div>
      ) : run.status === 'queued' || run.status === 'running' ? (
        <Live run={run} p={progress[run.id]} />
      ) : run.status === 'done' && run.metrics ? (
        <SolveResults metrics={run.metrics} />
      ) : run.status === 'failed' ? (
        <div className="run-message error" role="alert" data-testid="solve-failed">
          <b>Solve failed.</b> {run.error?.message ?? 'No error message was recorded.'} {run.error?.code && <span className="code">[{run.error.code}]</span>}
        </div>
      ) : (
        <div className="run-message warn" data-testid="solve-stopped">
          <b>Run {run.status}</b> after {Math.round((100 * run.progress.done) / Math.max(1, run.progress.total))}% of its work; nothing was stored. Start it again from the form.
        </div>
      )}
    </section>
  );
}

function Live({ run, p }: { run: SolveRun; p: SolveProgress | undefined }) {
  const d = p?.detail ?? null;
  const bar = ({ done, total, elapsedMs: elapsed, etaMs: eta }: RunTiming, testId: string) => {
    return (
      <ProgressLine done={done} total={total} elapsedMs={elapsed} etaMs={eta} testId={testId} pctTestId="solve-progress-percent" etaTestId="solve-progress-eta">
        <span data-testid="solve-progress-step">
          {run.status === 'queued'
            ? 'queued: waiting for a worker'
            : d
              ? d.phase === 't0'
                ? `step ${d.steps} of ${d.steps}: t = 0 least squares`
                : `step ${d.step} of ${d.steps}: t = ${fmtSig(d.t, 3)} y (n = ${d.n}), ${d.stage === 'joint' ? 'U and Ẑ' : d.stage === 'Z' ? 'Z and Γ' : 'C'} iteration ${d.iteration} / ${d.iterations}`
              : 'starting (loading the tensor backend)…'}
        </span>
        <span data-testid="solve-progress-losses">
          loss Z/Γ {loss(d?.lossZ)} · loss Y {loss(d?.lossY)}
        </span>
      </ProgressLine>
    );
  };
  return (
    <RunProgress
      runId={run.id}
      status={run.status}
      progress={p}
      stored={run.progress}
      startedAt={run.startedAt}
      testId={{ progress: 'solve-progress', cancel: 'solve-cancel' }}
      queued={null}
      className={styles.live}
      bar={bar}
    >
      {d && d.history.length > 0 && (
        <table className={styles.lossTable} data-testid="solve-loss-table">
          <thead>
            <tr>
              <th>step</th>
              <th className="num">t (y)</th>
              <th className="num">loss Z/Γ</th>
              <th className="num">loss Y</th>
              <th className="num">time</th>
            </tr>
          </thead>
          <tbody>
            {[...d.history].reverse().map((h) => (
              <tr key={h.n}>
                <td>n = {h.n}</td>
                <td className="num">{fmtSig(h.t, 3)}</td>
                <td className="num">{loss(h.lossZ)}</td>
                <td className="num">{loss(h.lossY)}</td>
                <td className="num">{fmtDuration(h.ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className={cx('muted', styles.liveNote)}>Losses are mean squared residuals per option in units of each option&apos;s own spread (dimensionless).</div>
    </RunProgress>
  );
}
