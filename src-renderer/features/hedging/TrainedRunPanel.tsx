import { useEffect, useMemo, useState } from 'react';
import { type RunSummary } from '../../../src-shared/api/runs';
import { type HedgeRunConfig } from '../../../src-shared/hedging/config';
import { fmtBp, fmtDateTime, fmtInt, fmtPct, fmtPlain, fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { ProgressLine } from '../../components/ProgressBar';
import { RunProgress, type RunTiming } from '../../components/RunProgress';
import { RunTitle } from '../../components/RunTitle';
import { useDistribution } from '../../hooks/useDistribution';
import { type ProgressInfo } from '../../hooks/useRuns';
import { useSubmit } from '../../hooks/useSubmit';
import { appErrorOf, call } from '../../ipc/client';
import { MetricsTable } from '../runs/MetricsTable';
import { pnlChartOption } from '../runs/pnlChart';
import { runTitle } from '../runs/runText';
import { modelLabel, modelShort, optionLabel } from './labels';
import { TrainingCharts } from './TrainingCharts';
import { useTrainingLive } from './trainingLive';
import { parseNumber } from './formModel';
import styles from './hedging.module.css';
import { cx } from '../../styles/cx';
import { type ResumeLinks } from './runSelection';

interface Props {
  run: RunSummary;
  progress: ProgressInfo | undefined;
  onLoadIntoForm(run: RunSummary): void;
  /** A new run was started from this panel (resume, evaluate): show it. */
  onStarted(runId: string): void;
  /** Other runs of the same comparison, if any: offer to show them together. */
  onShowComparison?: () => void;
  /** The run this one resumes, and the runs that resume it ("resume of …" / "resumed as …"). */
  links?: ResumeLinks;
  /** Show another run (a link target). */
  onOpenRun?(runId: string): void;
}

/** One line of a trained run's settings, with units. */
export function trainedSummary(r: RunSummary): string {
  const c = r.config as HedgeRunConfig;
  if (c.model === 'bsdh') return '';
  const parts = [
    modelShort(r.model),
    optionLabel(c.option),
    `K ${fmtPlain(c.strike)} P₀`,
    `σ ${fmtPct(c.sigma)}/yr`,
    c.testSigma !== undefined ? `test σ ${fmtPct(c.testSigma)}/yr` : null,
    `c ${fmtBp(c.cost)}`,
    `${fmtPlain(c.days)} calendar days / ${fmtInt(c.steps)} steps`,
    c.evaluation ? `weights of "${c.evaluation.sourceLabel}" after epoch ${c.evaluation.epoch}` : `${fmtInt(c.epochs)} epochs × ${fmtInt(c.trainPaths)} paths`,
    c.evaluation ? null : `Adam lr ${fmtPlain(c.learningRate)}`,
    c.model === 'dhlnn' && !c.evaluation ? `${c.innerSteps} inner it., tol ${fmtPlain(c.innerTol)}` : null,
    `${fmtInt(c.paths)} test paths`,
    `seed ${r.seed}`,
    r.backend ? `backend ${r.backend}` : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** A DHMLP / DHNTB / DHLNN run: live training charts while it trains, results, resume and evaluation. */
export function TrainedRunPanel({ run, progress, onLoadIntoForm, onStarted, onShowComparison, links, onOpenRun }: Props) {
  const ids = useMemo(() => [run.id], [run.id]);
  const live = useTrainingLive(ids, run.status);
  const cfg = run.config as HedgeRunConfig;
  return (
    <section className="panel" data-testid="active-run" data-run-id={run.id} data-status={run.status} data-model={run.model}>
      <header className="run-header">
        <RunTitle status={run.status} compute={run.compute} title={runTitle(run)} titleTestId="active-run-title" runId={run.id}>
          {onShowComparison && (
            <button type="button" className="small" data-testid="show-comparison" onClick={onShowComparison}>
              Show comparison
            </button>
          )}
          {!cfg.evaluation && (
            <button type="button" className="small" onClick={() => onLoadIntoForm(run)} title="Copy this run's settings into the form">
              Load into form
            </button>
          )}
        </RunTitle>
        <div className="run-config" title={trainedSummary(run)} data-testid="run-config">
          {modelLabel(run.model)} — {trainedSummary(run)}
        </div>
        {links && <ResumeLinkLine links={links} from={cfg.resume?.epoch ?? null} onOpenRun={onOpenRun} />}
      </header>
      <div className={styles.body}>
        {(run.status === 'queued' || run.status === 'running') && <EpochProgress run={run} progress={progress} />}
        {(run.status === 'cancelled' || run.status === 'interrupted' || run.status === 'failed') && (
          <Stopped run={run} onStarted={onStarted} resumedAs={links?.resumedAs[0] ?? null} onOpenRun={onOpenRun} />
        )}
        {run.status === 'done' && <FinalResults run={run} />}
        {!cfg.evaluation && <TrainingCharts runs={[run]} live={live} testId="training" />}
        {run.status === 'done' && run.metrics && <MetricsTable metrics={run.metrics} />}
        {run.status === 'done' && <TrainingFacts run={run} />}
        {(run.status === 'done' || run.status === 'cancelled' || run.status === 'interrupted') && !cfg.evaluation && (
          <EvaluateBox run={run} onStarted={onStarted} />
        )}
      </div>
    </section>
  );
}

function EpochProgress({ run, progress }: { run: RunSummary; progress: ProgressInfo | undefined }) {
  const cfg = run.config as HedgeRunConfig;
  const evaluation = !!cfg.evaluation;
  const epochs = cfg.model === 'bsdh' ? 0 : cfg.epochs;
  const bar = ({ done, total, elapsedMs: elapsed, etaMs: eta }: RunTiming, testId: string) => {
    const phase = evaluation
      ? `${fmtInt(done)} / ${fmtInt(total)} test paths hedged`
      : done >= epochs
        ? `epoch ${epochs} / ${epochs} · hedging the ${fmtInt(cfg.paths)} test paths`
        : `epoch ${done} / ${epochs}`;
    return (
      <ProgressLine done={done} total={total} elapsedMs={elapsed} etaMs={eta} testId={testId} pctTestId="progress-percent">
        <span data-testid="progress-count">{run.status === 'queued' ? 'queued: waiting for a worker' : phase}</span>
      </ProgressLine>
    );
  };
  return (
    <RunProgress
      runId={run.id}
      status={run.status}
      progress={progress}
      stored={run.progress}
      startedAt={run.startedAt}
      testId={{ progress: 'progress-bar', cancel: 'cancel-button' }}
      queued={null}
      bar={bar}
    >
      {!evaluation && (
        <div className="muted">Cancel keeps every finished epoch: the run can be resumed from the last one.</div>
      )}
    </RunProgress>
  );
}

/** The link between a run and its resumes: "resume of … (from epoch e)" and "resumed as …". */
function ResumeLinkLine({ links, from, onOpenRun }: { links: ResumeLinks; from: number | null; onOpenRun?(runId: string): void }) {
  const link = (r: RunSummary, testId: string) => (
    <button type="button" className="link-button" data-testid={testId} data-run-id={r.id} onClick={() => onOpenRun?.(r.id)} title={`${r.label || r.id} · ${r.status} · ${fmtDateTime(r.createdAt)}`}>
      {r.label || r.id.slice(0, 8)} ({r.status}, {fmtDateTime(r.createdAt)})
    </button>
  );
  if (!links.resumeOf && links.resumedAs.length === 0) return null;
  return (
    <div className="run-config" data-testid="resume-links">
      {links.resumeOf && (
        <span>
          Resume of {link(links.resumeOf, 'resume-of')}
          {from !== null ? `, from epoch ${from}` : ''}.{' '}
        </span>
      )}
      {links.resumedAs.length > 0 && (
        <span>
          Resumed as {link(links.resumedAs[0]!, 'resumed-as')}
          {links.resumedAs.length > 1 ? ` (and ${links.resumedAs.length - 1} earlier resume${links.resumedAs.length > 2 ? 's' : ''})` : ''}.
        </span>
      )}
    </div>
  );
}

function Stopped({ run, onStarted, resumedAs, onOpenRun }: { run: RunSummary; onStarted(runId: string): void; resumedAs: RunSummary | null; onOpenRun?(runId: string): void }) {
  const [info, setInfo] = useState<{ latest: number | null; resumable: boolean; reason: string | null } | null>(null);
  const { busy, formError: error, setFormError: setError, submit } = useSubmit();
  useEffect(() => {
    let alive = true;
    call('hedging-checkpoints', { runId: run.id })
      .then((r) => alive && setInfo(r))
      .catch((e) => alive && setError(appErrorOf(e).message));
    return () => {
      alive = false;
    };
  }, [run.id, run.status]);
  const cfg = run.config as HedgeRunConfig;
  const epochs = cfg.model === 'bsdh' ? 0 : cfg.epochs;
  const resume = (): Promise<void> =>
    submit(async () => {
      const r = await call('hedging-resume', { runId: run.id });
      onStarted(r.runId);
    });
  const what = run.status === 'failed' ? 'Run failed' : run.status === 'interrupted' ? 'Run interrupted' : 'Run cancelled';
  return (
    <div className={`run-message ${run.status === 'failed' ? 'error' : 'warn'}`} data-testid="run-status-note">
      <b>{what}.</b> {run.status === 'failed' && (run.error?.message ?? 'No error message was recorded.')}{' '}
      {info && info.latest !== null && (
        <span data-testid="saved-epoch">
          Saved after epoch {info.latest} of {epochs}.
        </span>
      )}
      {info && info.latest === null && !cfg.evaluation && <span>No epoch finished, nothing saved.</span>}{' '}
      {resumedAs && (resumedAs.status === 'running' || resumedAs.status === 'queued' || resumedAs.status === 'done') ? (
        <button type="button" className="small primary" data-testid="open-resumed" onClick={() => onOpenRun?.(resumedAs.id)}>
          {resumedAs.status === 'done' ? 'Open its finished resume' : 'Open its running resume'}
        </button>
      ) : info?.resumable && (
        <button type="button" className="small primary" data-testid="resume-button" disabled={busy} onClick={() => void resume()}>
          {busy ? 'Resuming…' : info.latest !== null ? `Resume from epoch ${info.latest}` : 'Restart'}
        </button>
      )}
      {error && <span className="inline-error"> {error}</span>}
    </div>
  );
}

function FinalResults({ run }: { run: RunSummary }) {
  const ids = useMemo(() => [run.id], [run.id]);
  const dist = useDistribution(ids);
  const option = useMemo(
    () => (dist.data ? pnlChartOption(dist.data, [{ name: runTitle(run), mean: run.metrics?.mean }], { overlay: false }) : null),
    [dist.data, run],
  );
  return (
    <div className={cx('chart-box', styles.chartWide)}>
      <div className="chart-title">
        PnL on all {fmtInt(run.metrics?.paths ?? run.config.paths)} test paths
        {run.metrics?.testSigma !== undefined ? ` (test σ ${fmtPct(run.metrics.testSigma)}/yr, realised ${fmtPct(run.metrics.testRealisedVol ?? NaN, 1)})` : ''}: histogram and KDE
      </div>
      {option ? (
        <EChart option={option} testId="histogram-chart" className="chart" ariaLabel="PnL histogram with KDE" seriesCount={1} />
      ) : (
        <div className="chart placeholder">{dist.error ? `Could not load the distribution: ${dist.error}` : 'Loading distribution…'}</div>
      )}
    </div>
  );
}

function TrainingFacts({ run }: { run: RunSummary }) {
  const t = run.metrics?.training;
  if (!t) return null;
  return (
    <table className={cx('metrics-table', styles.facts)} data-testid="training-facts">
      <tbody>
        {t.evaluatedFrom ? (
          <tr>
            <td>Weights</td>
            <td className="num">
              run {t.evaluatedFrom.runId.slice(0, 8)}, after epoch {t.evaluatedFrom.epoch}
            </td>
            <td className="unit" />
          </tr>
        ) : (
          <>
            <tr>
              <td>Wall time per epoch (median)</td>
              <td className="num" data-testid="fact-seconds-per-epoch">
                {fmtSig(t.secondsPerEpoch, 3)}
              </td>
              <td className="unit">s</td>
            </tr>
            <tr>
              <td>Threads sharing each batch</td>
              <td className="num">{t.threads ?? 1}</td>
              <td className="unit">threads</td>
            </tr>
            {t.meanInnerIterations !== undefined && (
              <tr>
                <td>DHLNN inner iterations (mean per epoch)</td>
                <td className="num">{fmtSig(t.meanInnerIterations, 3)}</td>
                <td className="unit">it.</td>
              </tr>
            )}
            {t.startEpoch > 0 && (
              <tr>
                <td>Resumed after epoch</td>
                <td className="num">{t.startEpoch}</td>
                <td className="unit">epoch</td>
              </tr>
            )}
          </>
        )}
        <tr>
          <td>Network parameters (4 × 64 ReLU)</td>
          <td className="num">{fmtInt(t.parameters)}</td>
          <td className="unit">weights</td>
        </tr>
        {(t.extraTests ?? []).map((x, i) => (
          <tr key={i}>
            <td>
              Extra test σ {fmtPct(x.sigma)}, c {fmtBp(x.cost)}: entropic / ES90
            </td>
            <td className="num">
              {fmtSig(x.entropic)} / {fmtSig(x.es90)}
            </td>
            <td className="unit">P₀</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Evaluate the trained weights on other test data: another volatility (out of distribution), cost, size or seed. */
function EvaluateBox({ run, onStarted }: { run: RunSummary; onStarted(runId: string): void }) {
  const cfg = run.config as HedgeRunConfig;
  const [sigma, setSigma] = useState(String(Math.min(5, Number((cfg.sigma * 2).toPrecision(6)))));
  const [cost, setCost] = useState(String(cfg.cost));
  const [paths, setPaths] = useState(String(cfg.paths));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const evaluate = async (): Promise<void> => {
    const s = parseNumber(sigma);
    const c = parseNumber(cost);
    const p = parseNumber(paths);
    if (s === undefined || !Number.isFinite(s) || c === undefined || !Number.isFinite(c) || p === undefined || !Number.isFinite(p)) {
      setError('test σ, cost and paths must be numbers');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await call('hedging-evaluate', { runId: run.id, data: { kind: 'gbm', sigma: s, paths: p }, cost: c });
      onStarted(r.runId);
    } catch (e) {
      const err = appErrorOf(e);
      setError(err.fields?.length ? err.fields.map((f) => `${f.label ?? f.field}: ${f.message}`).join('; ') : err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={styles.evaluate} data-testid="evaluate-box">
      <div className="chart-title">Evaluate these weights on other data</div>
      <div className={styles.evaluateRow}>
        <label>
          Test σ <input data-testid="evaluate-sigma" value={sigma} onChange={(e) => setSigma(e.target.value)} /> /yr
        </label>
        <label>
          Cost c <input data-testid="evaluate-cost" value={cost} onChange={(e) => setCost(e.target.value)} />
        </label>
        <label>
          Paths <input data-testid="evaluate-paths" value={paths} onChange={(e) => setPaths(e.target.value)} />
        </label>
        <button type="button" className="small primary" data-testid="evaluate-button" disabled={busy} onClick={() => void evaluate()}>
          {busy ? 'Starting…' : 'Evaluate'}
        </button>
        <span className="muted" title="Order-book path datasets arrive with the order-book issue">
          Order-book paths: not available in this build yet
        </span>
      </div>
      <div className="muted">
        The hedger keeps σ = {fmtPct(cfg.sigma)}/yr in its features and Black–Scholes anchor; only the test paths change.
      </div>
      {error && (
        <div className="run-message error" role="alert" data-testid="evaluate-error">
          {error}
        </div>
      )}
    </div>
  );
}
