import { useEffect, useMemo, useState } from 'react';
import { type QlbsConfig } from '../../../src-shared/qlbs/config';
import {
  DEFAULT_SWEEP_REPEATS,
  DEFAULT_SWEEP_VALUES,
  QLBS_SWEEP_PARAMS,
  type QlbsSweepMetrics,
  type QlbsSweepParam,
  qlbsSweepSchema,
} from '../../../src-shared/qlbs/sweep';
import { fmtDateTime, fmtInt } from '../../app/format';
import { EChart } from '../../components/EChart';
import { ProgressLine } from '../../components/ProgressBar';
import { liveTiming } from '../../components/RunProgress';
import { StatusBadge } from '../../components/StatusBadge';
import { useNow } from '../../hooks/useNow';
import { useSubmit } from '../../hooks/useSubmit';
import { appErrorOf, call } from '../../ipc/client';
import { PARAM_AXIS, sweepOption } from './charts';
import { parseNumber } from './formModel';
import { type QlbsProgress, type QlbsSweepRun } from './useQlbsRuns';
import styles from './qlbs.module.css';
import { cx } from '../../styles/cx';

interface Props {
  /** Stored sweeps, newest first. */
  sweeps: QlbsSweepRun[];
  selectedId: string | null;
  onSelect(runId: string | null): void;
  /** The form's current valid config (the base of a new sweep), null while the form is invalid. */
  base: QlbsConfig | null;
  progress: Record<string, QlbsProgress>;
  details: Record<string, unknown>;
  connected: boolean;
}

const PARAM_LABEL: Record<QlbsSweepParam, string> = {
  lambda: 'λ (risk aversion)',
  mu: 'μ (drift; departure from BS as μ moves from r)',
  paths: 'paths N_MC',
  eta: 'η (FQI noise band)',
};

/** Text "0, 0.001, 2e-3" to numbers; the first bad entry is reported. */
function parseList(text: string): { values: number[]; error: string | null } {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const values: number[] = [];
  for (const p of parts) {
    const n = parseNumber(p);
    if (n === undefined || !Number.isFinite(n)) return { values, error: `"${p}" is not a number` };
    values.push(n);
  }
  return { values, error: null };
}

/** Sweeps: price against lambda, mu, paths or eta as line charts, computed as one job with live points. */
export function QlbsSweepPanel({ sweeps, selectedId, onSelect, base, progress, details, connected }: Props) {
  const [param, setParam] = useState<QlbsSweepParam>('mu');
  const [valuesText, setValuesText] = useState(DEFAULT_SWEEP_VALUES.mu.join(', '));
  const [repeatsText, setRepeatsText] = useState(String(DEFAULT_SWEEP_REPEATS.mu));
  const { busy, formError: startError, setFormError: setStartError, submit } = useSubmit();
  const [cancelling, setCancelling] = useState(false);
  const now = useNow(250, true);

  const chooseParam = (p: QlbsSweepParam): void => {
    setParam(p);
    setValuesText(DEFAULT_SWEEP_VALUES[p].join(', '));
    setRepeatsText(String(DEFAULT_SWEEP_REPEATS[p]));
    setStartError(null);
  };

  const list = parseList(valuesText);
  const repeats = parseNumber(repeatsText);
  const request = useMemo(() => {
    if (!base || list.error || repeats === undefined || !Number.isFinite(repeats)) return null;
    const b: Record<string, unknown> = { ...base };
    delete b.label;
    return { base: b, param, values: list.values, repeats };
  }, [base, list.error, list.values.join(','), repeats, param]); // eslint-disable-line react-hooks/exhaustive-deps
  const check = useMemo(() => (request ? qlbsSweepSchema.safeParse(request) : null), [request]);
  const problems: string[] = [];
  if (!base) problems.push('fix the form on the left first (it is the base of the sweep)');
  if (list.error) problems.push(`values: ${list.error}`);
  if (repeats === undefined || !Number.isFinite(repeats)) problems.push(`repeats must be a number (got ${JSON.stringify(repeatsText)})`);
  if (check && !check.success) {
    for (const iss of check.error.issues.slice(0, 3)) problems.push(`${iss.path.join('.')}: ${iss.message}`);
  }

  const start = async (): Promise<void> => {
    if (!check?.success) return;
    const sweep = check.data;
    await submit(async () => {
      const { runId } = await call('qlbs-sweep', sweep);
      onSelect(runId);
    });
  };

  const selected = sweeps.find((s) => s.id === selectedId) ?? null;
  const live = selected && (selected.status === 'running' || selected.status === 'queued');
  const liveDetail = selected ? (details[selected.id] as QlbsSweepMetrics | undefined) : undefined;
  const metrics: QlbsSweepMetrics | null = selected ? (selected.status === 'done' ? selected.metrics : (liveDetail?.kind === 'qlbs-sweep' ? liveDetail : selected.metrics)) : null;
  const option = useMemo(() => (metrics && selected ? sweepOption(metrics, selected.config.base.r) : null), [metrics, selected]);
  useEffect(() => setCancelling(false), [selectedId]);
  const timing = selected ? liveTiming(progress[selected.id], selected.progress, selected.startedAt, now) : null;

  return (
    <section className={cx('panel', styles.sweeps)} data-testid="qlbs-sweeps">
      <div className={styles.sweepForm}>
        <label>
          Sweep{' '}
          <select data-testid="qlbs-sweep-param" value={param} onChange={(e) => chooseParam(e.target.value as QlbsSweepParam)}>
            {QLBS_SWEEP_PARAMS.map((k) => (
              <option key={k} value={k}>
                {PARAM_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.sweepValues}>
          values <span className="muted">({PARAM_AXIS[param]})</span>{' '}
          <input data-testid="qlbs-sweep-values" type="text" spellCheck={false} value={valuesText} onChange={(e) => setValuesText(e.target.value)} />
        </label>
        <label>
          repeats{' '}
          <input data-testid="qlbs-sweep-repeats" className={styles.narrow} type="text" inputMode="numeric" value={repeatsText} onChange={(e) => setRepeatsText(e.target.value)} />
          <span className="muted"> seeds each</span>
        </label>
        <button
          type="button"
          className="primary small"
          data-testid="qlbs-sweep-start"
          disabled={!check?.success || busy || !connected}
          title={problems.length ? problems.join('; ') : 'Run the form settings once per value (and repeat)'}
          onClick={() => void start()}
        >
          {busy ? 'Starting…' : 'Start sweep'}
        </button>
      </div>
      <div className={cx(styles.sweepSub, 'muted')}>
        Base: the form's settings on the left{base ? ` (${base.method === 'fqi' || param === 'eta' ? 'DP + FQI' : 'DP only'}, ${fmtInt(base.paths)} paths)` : ''}.
        {param === 'eta' ? ' An η sweep always runs FQI.' : ''}
        {problems.length > 0 && (
          <span className={styles.error} data-testid="qlbs-sweep-problem">
            {' '}
            {problems[0]}
          </span>
        )}
        {startError && (
          <span className={styles.error} role="alert">
            {' '}
            {startError}
          </span>
        )}
      </div>
      <div className={styles.sweepBar}>
        <label>
          Sweep shown{' '}
          <select data-testid="qlbs-sweep-select" value={selectedId ?? ''} onChange={(e) => onSelect(e.target.value || null)}>
            {sweeps.length === 0 && <option value="">no sweeps yet</option>}
            {sweeps.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label} · {s.status} · {fmtDateTime(s.createdAt)}
              </option>
            ))}
          </select>
        </label>
        {selected && <StatusBadge status={selected.status} />}
        {live && (
          <>
            {timing && (
              <ProgressLine {...timing} testId="qlbs-sweep-progress" pctTestId="qlbs-sweep-percent" etaTestId="qlbs-sweep-eta" className={styles.sweepProgress}>
                <span>{liveDetail?.kind === 'qlbs-sweep' ? `${liveDetail.done} / ${selected.config.values.length * selected.config.repeats} runs` : 'starting…'}</span>
              </ProgressLine>
            )}
            <button
              type="button"
              className="danger small"
              data-testid="qlbs-sweep-cancel"
              disabled={cancelling}
              onClick={() => {
                setCancelling(true);
                call('runs-cancel', { runId: selected.id }).catch((e) => {
                  setStartError(appErrorOf(e).message);
                  setCancelling(false);
                });
              }}
            >
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          </>
        )}
        {selected?.status === 'failed' && <span className={styles.error} role="alert">{selected.error?.message}</span>}
        {selected?.status === 'cancelled' && <span className="muted">cancelled: the points computed before are not stored</span>}
      </div>
      <div className={cx('chart-box', styles.sweepChart)}>
        {option ? (
          <EChart option={option} testId="qlbs-sweep-chart" className="chart" ariaLabel="Price against the swept parameter" seriesCount={metrics?.fqiPrice ? 4 : 3} />
        ) : (
          <div className="chart placeholder" data-testid="qlbs-sweep-empty">
            {selected ? 'Waiting for the first point…' : 'No sweep selected. Choose a parameter and values above and press Start sweep.'}
          </div>
        )}
      </div>
    </section>
  );
}
