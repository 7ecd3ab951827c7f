import { useMemo } from 'react';
import { type RunSummary } from '../../../src-shared/api/runs';
import { type HedgeEpochDetail } from '../../../src-shared/hedging/config';
import { fmtInt, fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { modelShort } from './labels';
import { type TrainingLive } from './trainingLive';
import { type CriterionFields, criterionLabel } from '../../../src-shared/hedging/criteria';
import { commonCriterion, runCriterion } from '../../../src-shared/hedging/ranking';
import { type HistSeries, type LineSeries, MODEL_COLORS, linesOption, liveHistogramOption } from './trainingChartOptions';
import styles from './hedging.module.css';
import { cx } from '../../styles/cx';
import { esLabel } from '../../../src-shared/risk/presentRisk';

interface Props {
  /** Trained runs to draw (one or the three of a comparison). */
  runs: RunSummary[];
  live: Record<string, TrainingLive>;
  /** Prefix of the charts' data-testids. */
  testId: string;
}

/** The detail to draw for a run: the latest pushed one, else the one stored with its metrics. */
const detailOf = (r: RunSummary, live: TrainingLive | undefined): HedgeEpochDetail | null => live?.last ?? r.metrics?.training?.lastDetail ?? null;

/**
 * Live training charts, once per epoch: the PnL histogram of each model on the live test paths (the first
 * `monitorPaths` of the fixed test set) with BSDH on the same paths as the dashed reference; entropic loss
 * and ES90 on those paths against epochs (BSDH as horizontal lines); the training loss against epochs.
 */
export function TrainingCharts({ runs, live, testId }: Props) {
  const details = runs.map((r) => detailOf(r, live[r.id]));
  const ref = details.find((d): d is HedgeEpochDetail => !!d) ?? null;

  const sig = runs.map((r, i) => `${r.id}:${r.status}:${details[i]?.epoch ?? '-'}:${live[r.id]?.history.length ?? 0}`).join('|');
  const hist = useMemo(() => {
    const series: HistSeries[] = [];
    runs.forEach((r, i) => {
      const d = details[i];
      if (d) series.push({ name: `${modelShort(r.model)} · epoch ${d.epoch}`, color: MODEL_COLORS[r.model] ?? '#333', hist: d.histogram });
    });
    if (ref) series.push({ name: 'BSDH (reference)', color: MODEL_COLORS.bsdh, hist: ref.reference, reference: true });
    return series.length ? liveHistogramOption(series) : null;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `sig` changes whenever an epoch arrives
  }, [sig]);

  const histories = runs.map((r) => live[r.id]?.history ?? r.metrics?.training?.history ?? []);
  const maxEpoch = Math.max(1, ...runs.map((r) => (r.config.model === 'bsdh' ? 1 : r.config.epochs)));
  const lines = (key: 'entropic' | 'es90' | 'trainLoss'): LineSeries[] =>
    runs.map((r, i) => ({ name: modelShort(r.model), color: MODEL_COLORS[r.model] ?? '#333', points: histories[i].map((h) => [h.epoch, h[key]] as [number, number]) }));
  const refLines = (key: 'referenceEntropic' | 'referenceEs90') => (ref ? [{ name: 'BSDH', color: MODEL_COLORS.bsdh, value: ref[key] }] : []);
  const any = histories.some((h) => h.length > 0);
  const charts = useMemo(
    () => ({
      entropic: linesOption(lines('entropic'), { x: 'epoch', y: 'entropic loss (P₀)', xMin: 0, xMax: maxEpoch, integerX: true }, refLines('referenceEntropic')),
      es90: linesOption(lines('es90'), { x: 'epoch', y: `${esLabel(0.9)}, P₀`, xMin: 0, xMax: maxEpoch, integerX: true }, refLines('referenceEs90')),
      loss: linesOption(lines('trainLoss'), { x: 'epoch', y: 'training loss (P₀)', xMin: 0, xMax: maxEpoch, integerX: true }),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `sig` changes whenever an epoch arrives
    [sig],
  );
  const monitor = ref?.monitorPaths ?? runs[0]?.metrics?.training?.monitorPaths;
  const trainedOn = commonCriterion(runs.map((r) => runCriterion(r.config as CriterionFields, r.metrics)));

  return (
    <div className={styles.charts}>
      <div className={cx('chart-box', styles.chartWide)}>
        <div className="chart-title">
          PnL on the live test paths{monitor ? ` (first ${fmtInt(monitor)} of the fixed test set)` : ''}, after each epoch
          {ref && <span className="muted"> · BSDH entropic {fmtSig(ref.referenceEntropic, 4)}, ES90 {fmtSig(ref.referenceEs90, 4)} P₀</span>}
        </div>
        {hist ? (
          <EChart option={hist} testId={`${testId}-histogram`} className="chart" ariaLabel="Live PnL histogram per epoch" seriesCount={hist.series ? (hist.series as unknown[]).length : 0} />
        ) : (
          <div className="chart placeholder" data-testid={`${testId}-waiting`}>
            Waiting for the first epoch…
          </div>
        )}
      </div>
      {any && (
        <>
          <div className="chart-box">
            <div className="chart-title">Entropic loss (a = 1) on the live test paths (P₀, lower is better)</div>
            <EChart option={charts.entropic} testId={`${testId}-entropic`} className={cx('chart', styles.chartSmall)} ariaLabel="Entropic loss per epoch" />
          </div>
          <div className="chart-box">
            <div className="chart-title">{esLabel(0.9)} on the live test paths (P₀)</div>
            <EChart option={charts.es90} testId={`${testId}-es90`} className={cx('chart', styles.chartSmall)} ariaLabel="ES90 per epoch" />
          </div>
          <div className="chart-box">
            <div className="chart-title">
              Training loss: {trainedOn ? criterionLabel(trainedOn) : 'each run’s criterion'} of each epoch's batch (P₀)
            </div>
            <EChart option={charts.loss} testId={`${testId}-loss`} className={cx('chart', styles.chartSmall)} ariaLabel="Training loss per epoch" />
          </div>
        </>
      )}
    </div>
  );
}
