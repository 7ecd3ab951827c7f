import { useMemo, useState } from 'react';
import { type RunSummary } from '../../../src-shared/api/runs';
import { isTrainedModel } from '../../../src-shared/hedging/config';
import { fmtSig } from '../../app/format';
import { StatusBadge } from '../../components/StatusBadge';
import { NoHedgeBadge } from '../../components/NoHedgeBadge';
import { type ProgressInfo } from '../../hooks/useRuns';
import { appErrorOf, call } from '../../ipc/client';
import { CompareView } from '../runs/CompareView';
import { type CriterionFields, criterionLabel } from '../../../src-shared/hedging/criteria';
import { comparisonRanking } from '../../../src-shared/hedging/ranking';
import { modelShort } from './labels';
import { TrainingCharts } from './TrainingCharts';
import { useTrainingLive } from './trainingLive';
import { MODEL_COLORS } from './trainingChartOptions';
import styles from './hedging.module.css';
import { cx } from '../../styles/cx';

const ORDER = ['bsdh', 'mlp', 'ntb', 'dhlnn'];

interface Props {
  groupId: string;
  runs: RunSummary[];
  progress: Record<string, ProgressInfo>;
  onActivate(runId: string): void;
  onClose(): void;
}

/**
 * The four hedgers trained on the same settings and test paths ('hedging-compare'): one live chart with every
 * trained model's histogram after its latest epoch and BSDH as the reference, the metric lines of all models,
 * and, once all finished, the full test-set distributions and metrics side by side.
 */
export function ComparisonPanel({ groupId, runs, progress, onActivate, onClose }: Props) {
  const sorted = useMemo(() => [...runs].sort((a, b) => ORDER.indexOf(a.model) - ORDER.indexOf(b.model)), [runs]);
  const trained = useMemo(() => sorted.filter((r) => isTrainedModel(r.model)), [sorted]);
  const ids = useMemo(() => trained.map((r) => r.id), [trained]);
  const live = useTrainingLive(ids, trained.map((r) => r.status).join(','));
  const [error, setError] = useState<string | null>(null);
  const liveCount = sorted.filter((r) => r.status === 'queued' || r.status === 'running').length;
  const allDone = sorted.length > 0 && sorted.every((r) => r.status === 'done');
  const ranking = useMemo(() => comparisonRanking(sorted.map((r) => ({ config: r.config as CriterionFields, metrics: r.metrics }))), [sorted]);

  const cancelAll = async (): Promise<void> => {
    setError(null);
    try {
      for (const r of [...sorted].reverse()) if (r.status === 'queued' || r.status === 'running') await call('runs-cancel', { runId: r.id });
    } catch (e) {
      setError(appErrorOf(e).message);
    }
  };

  return (
    <section className={cx('panel', styles.comparison)} data-testid="comparison-panel" data-group-id={groupId}>
      <header className="run-header">
        <div className="run-title">
          <span className="run-name">All four hedgers on the same test paths</span>
          <span className="spacer" />
          {liveCount > 0 && (
            <button type="button" className="small danger" data-testid="comparison-cancel" onClick={() => void cancelAll()}>
              Cancel {liveCount} run{liveCount > 1 ? 's' : ''}
            </button>
          )}
          <button type="button" className="small" onClick={onClose} data-testid="comparison-close">
            Close
          </button>
        </div>
        <div className={styles.chips}>
          <span className="muted" data-testid="comparison-criterion">
            trained on {criterionLabel(ranking.criterion)}:
          </span>
          {sorted.map((r, i) => {
            const p = progress[r.id];
            const m = r.metrics;
            const e = ranking.entries[i];
            return (
              <button key={r.id} type="button" className={styles.chip} data-testid={`chip-${r.model}`} onClick={() => onActivate(r.id)} title="Show this run">
                <span className="swatch" style={{ background: MODEL_COLORS[r.model] }} />
                <b>{modelShort(r.model)}</b> <StatusBadge status={r.status} />
                {r.status === 'running' && p && <span className="muted"> {p.done}/{p.total}</span>}
                {m && (
                  <span className="muted">
                    {' '}
                    {e.rank !== null && `#${e.rank} · `}
                    {criterionLabel(ranking.criterion)} {fmtSig(e.value, 4)}
                    {ranking.criterion.kind === 'es' && ranking.criterion.alpha === 0.9 ? '' : ` · ES90 ${fmtSig(m.es90, 4)}`}
                  </span>
                )}
                {e?.doesNotHedge && <NoHedgeBadge />}
              </button>
            );
          })}
        </div>
        {error && <div className="inline-error">{error}</div>}
      </header>
      <div className={styles.body}>
        <TrainingCharts runs={trained} live={live} testId="comparison" />
        {allDone && <CompareView runs={sorted} onClose={onClose} onActivate={onActivate} />}
      </div>
    </section>
  );
}
