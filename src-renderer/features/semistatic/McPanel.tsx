import { useMemo, useState } from 'react';
import { type Events } from '../../../src-shared/api/contract';
import { type AnyRun, isTerminal } from '../../../src-shared/api/runs';
import { type SemistaticMcMetrics, type SemistaticMcProgress, SEMISTATIC_RUN_KIND } from '../../../src-shared/semistatic/contract';
import { fmtDateTime, fmtInt, fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { FormField } from '../../components/FormField';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusBadge } from '../../components/StatusBadge';
import { type RunsQuery, useRunsOf } from '../../hooks/useRuns';
import { useSubmit } from '../../hooks/useSubmit';
import { appErrorOf, call } from '../../ipc/client';
import { wealthOption } from './charts';
import { type FieldErrors, type FormValues, checkMc, serverFieldErrors } from './formModel';
import styles from './semistatic.module.css';
import { cx } from '../../styles/cx';

interface Props {
  values: FormValues;
  onChange(v: FormValues): void;
  connected: boolean;
  connectionOpens: number;
  /** Server-side field errors go back to the form. */
  onServerErrors(e: FieldErrors): void;
}

type Progress = Events['run-progress'];

const MC_RUNS: RunsQuery<AnyRun> = { kinds: [SEMISTATIC_RUN_KIND], isOurs: (r): r is AnyRun => r.kind === SEMISTATIC_RUN_KIND };

/** The Monte Carlo check: paths and seed, Start/Cancel with progress, the estimate beside the closed form. */
export function McPanel({ values, onChange, connected, connectionOpens, onServerErrors }: Props) {
  const { runs, progress, error: listError, refresh } = useRunsOf(connectionOpens, MC_RUNS);
  const [chosen, setSelected] = useState<string | null>(null);
  /** The run shown: the one chosen, else the newest finished one, else the newest. */
  const selected = chosen ?? runs.find((r) => r.status === 'done')?.id ?? runs[0]?.id ?? null;
  const { busy, formError, setFormError: setError, submit } = useSubmit(serverFieldErrors, onServerErrors);
  const error = formError ?? listError;
  const check = useMemo(() => checkMc(values), [values]);


  const run = runs.find((r) => r.id === selected) ?? null;
  const live = run && !isTerminal(run.status);

  const start = async (): Promise<void> => {
    const request = check.request;
    if (!request) return;
    await submit(async () => {
      const { runId } = await call('semistatic-mc-start', request);
      setSelected(runId);
      refresh();
    });
  };
  const cancel = async (): Promise<void> => {
    if (!run) return;
    try {
      await call('runs-cancel', { runId: run.id });
    } catch (e) {
      setError(appErrorOf(e).message);
    }
  };

  const setText = (f: 'paths' | 'seed', text: string): void => onChange({ ...values, text: { ...values.text, [f]: text } });
  const paramErrors = Object.keys(check.errors).filter((f) => f !== 'paths' && f !== 'seed');

  return (
    <section className={cx('panel', styles.panel)} data-testid="ss-mc">
      <div className="panel-title">Monte Carlo check of the closed form</div>
      <div className={styles.mcControls}>
        {(['paths', 'seed'] as const).map((f) => (
          <FormField
            key={f}
            prefix="ss-"
            name={f}
            className={styles.mcField}
            label={f === 'paths' ? 'Paths' : 'Seed'}
            unit={f === 'paths' ? 'paths' : 'int'}
            error={check.errors[f]}
            hint={f === 'paths' ? 'simulated price paths (the strategy is traded on each)' : 'same seed → same paths'}
          >
            <input
              id={`ss-field-${f}`}
              data-testid={`ss-field-${f}`}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={values.text[f]}
              aria-invalid={check.errors[f] ? true : undefined}
              onChange={(e) => setText(f, e.target.value)}
            />
          </FormField>
        ))}
        <div className={styles.mcButtons}>
          <button
            type="button"
            className="primary"
            data-testid="ss-mc-start"
            disabled={!check.request || busy || !connected}
            title={!connected ? 'Not connected to the host' : paramErrors.length ? `Fix ${paramErrors.join(', ')} first` : 'Simulate the optimal strategy'}
            onClick={() => void start()}
          >
            {busy ? 'Starting…' : 'Start'}
          </button>
          <button type="button" className="danger" data-testid="ss-mc-cancel" disabled={!live} onClick={() => void cancel()}>
            Cancel
          </button>
        </div>
      </div>
      {error && (
        <div className="form-error" role="alert" data-testid="ss-mc-error">
          {error}
        </div>
      )}
      <div className={styles.mcBody}>
        <div>
          {run ? <RunView run={run} progress={progress[run.id]} /> : <div className="empty">No Monte Carlo run yet: set paths and seed and press Start.</div>}
        </div>
        <RunList runs={runs} selected={selected} onSelect={setSelected} />
      </div>
    </section>
  );
}

function RunView({ run, progress }: { run: AnyRun; progress: Progress | undefined }) {
  const m = run.status === 'done' ? (run.metrics as SemistaticMcMetrics | null) : null;
  const detail = progress?.detail as SemistaticMcProgress | undefined;
  return (
    <div className={styles.run} data-testid="ss-mc-run" data-run-id={run.id} data-status={run.status}>
      <div className="run-title">
        <StatusBadge status={run.status} />
        <span className="run-name" data-testid="ss-mc-title">
          {run.label}
        </span>
        <span className="run-id">seed {run.seed}</span>
      </div>
      {!isTerminal(run.status) && (
        <div className="live">
          <ProgressBar
            done={progress?.done ?? run.progress.done}
            total={progress?.total ?? run.progress.total}
            elapsedMs={progress?.elapsedMs ?? null}
            etaMs={progress?.etaMs ?? null}
            testId="ss-mc-progress"
          />
          <div className="note" data-testid="ss-mc-live">
            {detail?.phase === 'checks' || !detail
              ? 'Computing the closed form, the identity checks and the exact variance…'
              : `Running estimate of E[e^(H−γV)] (should be 1): ${fmtSig(detail.ratioMean, 5)} ± ${fmtSig(detail.ratioSe, 3)} after ${fmtInt(detail.paths)} paths`}
          </div>
        </div>
      )}
      {run.status === 'failed' && (
        <div className="run-message error" role="alert" data-testid="ss-mc-failed">
          <b>Run failed.</b> {run.error?.message}
        </div>
      )}
      {run.status === 'cancelled' && (
        <div className="run-message warn" data-testid="ss-mc-cancelled">
          <b>Run cancelled</b> after {fmtInt(run.progress.done)} / {fmtInt(run.progress.total)} paths; no estimate was stored.
        </div>
      )}
      {run.status === 'interrupted' && <div className="run-message warn">The app stopped while this run was in progress; nothing was stored.</div>}
      {m && <McResult m={m} />}
    </div>
  );
}

function McResult({ m }: { m: SemistaticMcMetrics }) {
  const option = useMemo(() => wealthOption(m.distribution, { mean: m.wealthMean, ce: m.certaintyEquivalent }), [m]);
  const inside = m.value >= m.utilityCi[0] && m.value <= m.utilityCi[1];
  const exactSe = m.ratioSdExact !== null ? (m.ratioSdExact / Math.sqrt(m.paths)) * Math.exp(-m.entropy) : null;
  return (
    <div className={styles.mcResult}>
      <div>
        <table className="metrics-table" data-testid="ss-mc-table">
          <tbody>
            <tr>
              <td>closed form −e^(−H)</td>
              <td className="num" data-testid="ss-mc-closed">
                {fmtSig(m.value)}
              </td>
              <td className="unit">utility</td>
            </tr>
            <tr>
              <td>simulated E[u(V)] ± 1 s.e.</td>
              <td className="num" data-testid="ss-mc-estimate">
                {fmtSig(m.utilityMean)} ± {fmtSig(m.utilitySe, 2)}
              </td>
              <td className="unit">utility</td>
            </tr>
            <tr className="sub">
              <td>95% confidence interval</td>
              <td className="num" data-testid="ss-mc-ci">
                [{fmtSig(m.utilityCi[0])}, {fmtSig(m.utilityCi[1])}]
              </td>
              <td className="unit">utility</td>
            </tr>
            <tr className="sub">
              <td>z = (MC − closed form)/s.e.</td>
              <td className="num" data-testid="ss-mc-z">
                {fmtSig(m.zScore, 3)}
              </td>
              <td className={inside ? styles.good : styles.bad} data-testid="ss-mc-verdict">
                {inside ? 'inside' : 'outside'}
              </td>
            </tr>
            {exactSe !== null && (
              <tr className="sub" title="from the closed-form variance of the utility (Levinson on 2Q⁻¹ − I)">
                <td>exact s.e. at these paths</td>
                <td className="num">{fmtSig(exactSe, 3)}</td>
                <td className="unit">utility</td>
              </tr>
            )}
            <tr>
              <td>certainty equivalent: closed form</td>
              <td className="num">{fmtSig(m.certaintyEquivalent)}</td>
              <td className="unit">money</td>
            </tr>
            <tr className="sub">
              <td>simulated ± 1 s.e.</td>
              <td className="num" data-testid="ss-mc-ce">
                {fmtSig(m.certaintyEquivalentMc)} ± {fmtSig(m.certaintyEquivalentSe, 2)}
              </td>
              <td className="unit">money</td>
            </tr>
            <tr>
              <td>terminal wealth mean (sim / exact)</td>
              <td className="num">
                {fmtSig(m.wealthMean, 4)} / {fmtSig(m.wealthMeanExact, 4)}
              </td>
              <td className="unit">money</td>
            </tr>
            <tr className="sub">
              <td>std, min, max</td>
              <td className="num">
                {fmtSig(m.wealthStd, 3)}, {fmtSig(m.wealthMin, 3)}, {fmtSig(m.wealthMax, 3)}
              </td>
              <td className="unit">money</td>
            </tr>
          </tbody>
        </table>
        <CiPicture m={m} />
        {m.ratioSdNote && (
          <div className="run-message warn" data-testid="ss-mc-variance-note">
            {m.ratioSdNote}
          </div>
        )}
        {m.nonFinite > 0 && <div className="run-message warn">{fmtInt(m.nonFinite)} paths overflowed exp(−γV) and were left out.</div>}
      </div>
      <div className="chart-box">
        <div className="chart-title">
          Terminal wealth V, {fmtInt(m.paths)} paths · dashed: mean · red dotted: certainty equivalent
          {m.distribution.series[0]?.clipped ? ` · ${fmtInt(m.distribution.series[0].clipped)} beyond the 0.05–99.95% range not drawn` : ''}
        </div>
        <div className={styles.chart}>
          <EChart option={option} testId="ss-wealth-chart" ariaLabel="terminal wealth histogram" seriesCount={2} />
        </div>
      </div>
    </div>
  );
}

/** The 95% interval of the simulated expected utility as a bar, the closed form as a marker. */
function CiPicture({ m }: { m: SemistaticMcMetrics }) {
  const [lo, hi] = m.utilityCi;
  const min = Math.min(lo, m.value);
  const max = Math.max(hi, m.value);
  const pad = (max - min) * 0.25 || Math.abs(m.value) * 1e-3 || 1e-12;
  const x = (v: number): number => 10 + (280 * (v - (min - pad))) / (max - min + 2 * pad);
  return (
    <svg className={styles.ci} viewBox="0 0 300 46" role="img" aria-label="confidence interval against the closed form" data-testid="ss-mc-ci-picture">
      <line x1={10} x2={290} y1={22} y2={22} stroke="#c6ccd7" />
      <rect x={x(lo)} y={16} width={Math.max(1, x(hi) - x(lo))} height={12} fill="#1f5fbf" opacity={0.3} />
      <line x1={x(m.utilityMean)} x2={x(m.utilityMean)} y1={13} y2={31} stroke="#1f5fbf" strokeWidth={2} />
      <line x1={x(m.value)} x2={x(m.value)} y1={8} y2={36} stroke="#c92a2a" strokeWidth={2} strokeDasharray="3 2" />
      <text x={x(m.value)} y={45} fontSize={9} textAnchor="middle" fill="#c92a2a">
        closed form
      </text>
      <text x={x(m.utilityMean)} y={9} fontSize={9} textAnchor="middle" fill="#1f5fbf">
        MC ± 95%
      </text>
    </svg>
  );
}

function RunList({ runs, selected, onSelect }: { runs: AnyRun[]; selected: string | null; onSelect(id: string): void }) {
  return (
    <div className={styles.runs}>
      <div className="chart-title">Stored checks ({runs.length})</div>
      <table className="metrics-table" data-testid="ss-mc-runs">
        <tbody>
          {runs.slice(0, 30).map((r) => {
            const m = r.status === 'done' ? (r.metrics as SemistaticMcMetrics | null) : null;
            return (
              <tr
                key={r.id}
                className={r.id === selected ? styles.rowSelected : undefined}
                data-testid={`ss-mc-row-${r.id}`}
                onClick={() => onSelect(r.id)}
                title={`${r.label} · ${fmtDateTime(r.createdAt)}`}
              >
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td className={styles.runLabel}>{r.label}</td>
                <td className="num">{m ? `z ${fmtSig(m.zScore, 2)}` : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
