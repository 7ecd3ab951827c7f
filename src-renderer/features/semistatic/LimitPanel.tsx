import { useMemo } from 'react';
import { type SemistaticLimitCurves } from '../../../src-shared/semistatic/contract';
import { fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { kappaOption, valueVsDelayOption, valueVsRatioOption } from './charts';
import styles from './semistatic.module.css';
import { cx } from '../../styles/cx';

interface Props {
  curves: SemistaticLimitCurves | null;
  /** Why there are no curves (e.g. D = 0), or an error. */
  message: string | null;
  /** The inputs changed to something invalid: the curves shown are for the last valid inputs. */
  stale?: boolean;
}

/** The continuous-time limit: kappa with discrete kernels converging to it, and the limit value families. */
export function LimitPanel({ curves: c, message, stale }: Props) {
  const options = useMemo(() => (c ? { kappa: kappaOption(c), byH: valueVsDelayOption(c), byRatio: valueVsRatioOption(c) } : null), [c]);
  return (
    <section className={cx('panel', styles.panel, stale && styles.stale)} data-testid="ss-limit">
      <div className="panel-title">
        Continuous-time limit (delay a fixed fraction H of the horizon, n → ∞, μ = 0)
        {c && (
          <span className="muted" data-testid="ss-limit-summary">
            H = {fmtSig(c.delayFraction, 4)}, s2 = {fmtSig(c.ratio2, 4)}: â = {fmtSig(c.ahat, 4)}, α = {fmtSig(c.alpha, 4)}, H∞ = {fmtSig(c.entropy, 4)}
          </span>
        )}
      </div>
      {!c || !options ? (
        <div className="empty" data-testid="ss-limit-message">
          {message ?? 'Computing…'}
        </div>
      ) : (
        <>
          <div className={styles.limitGrid}>
            <div className="chart-box">
              <div className="chart-title">Kernel n (t<sub>L+1</sub> − a) at t = L/n → κ(t) − κ₀</div>
              <div className={styles.chart}>
                <EChart option={options.kappa} testId="ss-kappa-chart" ariaLabel="kappa against t" seriesCount={c.kappa.discrete.length + 1} />
              </div>
            </div>
            <div className="chart-box">
              <div className="chart-title">Limit value against the delay H (per s2)</div>
              <div className={styles.chart}>
                <EChart option={options.byH} testId="ss-value-h-chart" ariaLabel="limit value against H" seriesCount={c.valueVsDelay.series.length} />
              </div>
            </div>
            <div className="chart-box">
              <div className="chart-title">Limit value against the ratio s2 (per H)</div>
              <div className={styles.chart}>
                <EChart option={options.byRatio} testId="ss-value-ratio-chart" ariaLabel="limit value against s2" seriesCount={c.valueVsRatio.series.length} />
              </div>
            </div>
          </div>
          <div className="note" data-testid="ss-kappa-errors">
            Largest gap to the limit kernel away from the jumps:{' '}
            {c.kappa.discrete.map((d) => `n = ${d.n}: ${fmtSig(d.maxError, 3)}`).join(' · ')} (shrinks like 1/n).
            {c.kappa.skipped.length > 0 && ` Not drawn: ${c.kappa.skipped.join('; ')}.`} Value shown as the limit entropy H∞ = −U (limit
            value −e^(−H∞), certainty equivalent H∞ at γ = 1); it is 0 at s2 = 1 and grows without bound as H → 0.
          </div>
        </>
      )}
    </section>
  );
}
