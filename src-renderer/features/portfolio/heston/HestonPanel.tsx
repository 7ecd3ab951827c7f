import { claimText } from '../../../../src-shared/heston/market';
import { fmtDateTime, fmtDuration } from '../../../app/format';
import { ProgressLine } from '../../../components/ProgressBar';
import { RunProgress, type RunTiming } from '../../../components/RunProgress';
import { StatusBadge } from '../../../components/StatusBadge';
import { ClusterBadge } from '../../../components/ClusterBadge';
import { HestonResults } from './HestonResults';
import { type HestonProgress, type HestonRun } from './useHestonRuns';
import styles from './heston.module.css';
import { cx } from '../../../styles/cx';

interface Props {
  runs: HestonRun[];
  runId: string | null;
  onSelect(runId: string): void;
  progress: Record<string, HestonProgress>;
  /** The run was just started and is not listed yet. */
  starting: boolean;
}

/** Heston solve runs: pick one; live progress with cancel while it runs; the results beside the PDE when done. */
export function HestonPanel({ runs, runId, onSelect, progress, starting }: Props) {
  const run = runs.find((r) => r.id === runId) ?? null;
  return (
    <section className={cx('panel', styles.panel)} data-testid="heston-panel" data-run-id={run?.id} data-status={run?.status}>
      <div className="toolbar">
        <span className="panel-title-inline">Heston results</span>
        <select data-testid="heston-run-select" value={run?.id ?? ''} onChange={(e) => onSelect(e.target.value)} disabled={runs.length === 0}>
          {!run && <option value="">{runs.length ? 'choose a run…' : 'no Heston runs yet'}</option>}
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {`${fmtDateTime(r.createdAt)} · ${r.label} · ${r.status}`}
            </option>
          ))}
        </select>
        {run && <StatusBadge status={run.status} />}
        {run && <ClusterBadge compute={run.compute} />}
        {run?.backend && <span className="muted">on {run.backend}</span>}
        {run?.wallMs && <span className="muted">· {fmtDuration(run.wallMs)}</span>}
      </div>
      {run && <div className={cx('muted', styles.runClaim)}>{claimText(run.config.claim)} · S₀ = {run.config.market.s0}, ν₀ = {run.config.market.nu0}</div>}
      {!run ? (
        <div className="empty" data-testid="heston-empty">
          {starting ? 'Starting run…' : 'Start a solve on the left: price, Delta, Vega, Gamma, Vomma and Vanna at t = 0 appear here beside the PDE reference.'}
        </div>
      ) : run.status === 'queued' || run.status === 'running' ? (
        <Live run={run} p={progress[run.id]} />
      ) : run.status === 'done' && run.metrics ? (
        <HestonResults run={run} runs={runs} />
      ) : run.status === 'failed' ? (
        <div className="run-message error" role="alert" data-testid="heston-failed">
          <b>Solve failed.</b> {run.error?.message ?? 'No error message was recorded.'} {run.error?.code && <span className="code">[{run.error.code}]</span>}
        </div>
      ) : (
        <div className="run-message warn" data-testid="heston-stopped">
          <b>Run {run.status}</b> after {Math.round((100 * run.progress.done) / Math.max(1, run.progress.total))}% of its work; nothing was stored. Start it again from the form.
        </div>
      )}
    </section>
  );
}

/** The solver's own detail while it trains (src-main/engine/heston/solver.ts HestonProgress), read defensively. */
interface SolverDetail {
  phase?: string;
  n?: number;
  steps?: number;
  stage?: string;
  iteration?: number;
  iterations?: number;
  lossZ?: number | null;
  lossY?: number | null;
}

const loss = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toExponential(2));

function trainText(d: SolverDetail | undefined): string | null {
  if (!d || d.n === undefined || d.steps === undefined) return null;
  if (d.phase === 't0') return 't = 0 least squares (X₀ fixed)';
  const stage = d.stage === 'joint' ? 'U and Ẑ' : d.stage === 'Z' ? 'Z and Γ' : d.stage === 'Y' ? 'C' : (d.stage ?? '');
  return `step n = ${d.n} of ${d.steps - 1}..1 (backward), ${stage} iteration ${d.iteration ?? 0} / ${d.iterations ?? 0} · loss Z ${loss(d.lossZ)} · loss Y ${loss(d.lossY)}`;
}

const PHASE: Record<string, string> = {
  train: 'training the networks backward in time, then the t = 0 regression',
  reference: 'PDE reference',
  surfaces: 'Greek surfaces over (S, ν)',
};

function Live({ run, p }: { run: HestonRun; p: HestonProgress | undefined }) {
  const d = p?.detail ?? null;
  const bar = ({ done, total, elapsedMs: elapsed, etaMs: eta }: RunTiming, testId: string) => {
    return (
      <ProgressLine done={done} total={total} elapsedMs={elapsed} etaMs={eta} testId={testId} pctTestId="heston-progress-percent" etaTestId="heston-progress-eta">
        <span data-testid="heston-progress-phase">
          {run.status === 'queued'
            ? 'queued: waiting for a worker'
            : d
              ? (d.phase === 'train' && trainText(d.solver as SolverDetail | undefined)) || `${PHASE[d.phase] ?? d.phase}${d.note ? ` — ${d.note}` : ''}`
              : 'starting (loading the tensor backend)…'}
        </span>
        <span>
          {done.toLocaleString('en-US')} / {total.toLocaleString('en-US')} work units (Adam iterations, then regression and reference)
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
      testId={{ progress: 'heston-progress', cancel: 'heston-cancel' }}
      queued={null}
      className={styles.live}
      bar={bar}
    />
  );
}
