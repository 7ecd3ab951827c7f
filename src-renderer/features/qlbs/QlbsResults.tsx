import { type QlbsMetrics } from '../../../src-shared/qlbs/config';
import { fmtSeconds, fmtSig } from '../../app/format';
import styles from './qlbs.module.css';
import { cx } from '../../styles/cx';

/** Instability threshold of `fqiMaxGap` (relative gap between FQI and DP values on the same grid). */
export const FQI_GAP_WARN = 0.2;

interface Row {
  key: string;
  label: string;
  value: number | null;
  stdErr?: number | null;
  /** Difference to show in the "− BS" column (defaults to value − BS for prices). */
  diffBs?: number | null;
  diffDp?: number | null;
  unit: string;
  title: string;
  sub?: boolean;
}

const signed = (x: number | null | undefined): string => (x === null || x === undefined ? '' : `${x >= 0 ? '+' : '−'}${fmtSig(Math.abs(x), 4)}`);

/**
 * The prices side by side: Black-Scholes, the on-policy DP price and hedge cost (in sample and on fresh paths),
 * and the off-policy FQI price with its like-for-like DP baseline on the FQI grid; hedges at t = 0.
 */
export function QlbsResults({ m, wallMs }: { m: QlbsMetrics; wallMs: number | null }) {
  const bs = m.bsPrice;
  const d = (x: number | null) => (x === null ? null : x - bs);
  const rows: Row[] = [
    { key: 'bsPrice', label: 'Black-Scholes price', value: bs, unit: 'money', title: 'Closed form with rate r and volatility σ: the comparison', diffBs: null },
    { key: 'dpPrice', label: `DP price −Q₀ (${m.steps} steps)`, value: m.dpPrice, diffBs: d(m.dpPrice), unit: 'money', title: 'On-policy QLBS price: minus the fitted Q-value at t = 0, averaged over paths (hedge cost + risk premium λ Σ Var Π_t)' },
    { key: 'dpHedgeCost', label: 'DP hedge cost mean Π₀', value: m.dpHedgeCost, stdErr: m.dpHedgeCostStdErr, diffBs: d(m.dpHedgeCost), unit: 'money', title: 'Mean over the paths of the replicating portfolio at t = 0 (in sample)' },
    { key: 'dpHedgeCostOos', label: 'on fresh paths', value: m.dpHedgeCostOos, stdErr: m.dpHedgeCostOosStdErr, diffBs: d(m.dpHedgeCostOos), unit: 'money', sub: true, title: 'The learned hedge applied to as many new paths: not biased by fitting the same paths it is scored on' },
  ];
  if (m.fqiPrice !== null) {
    rows.push(
      { key: 'dpPriceFqiGrid', label: `DP price, FQI grid (${m.fqiSteps} steps)`, value: m.dpPriceFqiGrid, diffBs: d(m.dpPriceFqiGrid), unit: 'money', title: 'On-policy DP on the dates FQI uses: the like-for-like baseline for FQI' },
      { key: 'fqiPrice', label: `FQI price −Q*₀ (${m.fqiSteps} steps)`, value: m.fqiPrice, diffBs: d(m.fqiPrice), diffDp: m.dpPriceFqiGrid === null ? null : m.fqiPrice - m.dpPriceFqiGrid, unit: 'money', title: 'Off-policy fitted Q iteration on noisy actions, optimal hedge substituted into the quadratic Q' },
      { key: 'fqiHedgeCost', label: 'FQI behaviour mean Π₀', value: m.fqiHedgeCost, stdErr: m.fqiHedgeCostStdErr, diffBs: d(m.fqiHedgeCost), unit: 'money', sub: true, title: 'Mean Π₀ of the noisy (behaviour) portfolio that generated the off-policy data' },
    );
  }
  const hedges: Row[] = [
    { key: 'bsDelta0', label: 'BS Δ₀', value: m.bsDelta0, diffBs: null, unit: 'asset', title: 'Black-Scholes delta: N(d₁) − 1 for a put, N(d₁) for a call' },
    { key: 'dpHedge0', label: 'DP a₀', value: m.dpHedge0, diffBs: m.dpHedge0 - m.bsDelta0, unit: 'asset', title: 'On-policy hedge at t = 0 (units of the asset per option); in brackets minus Δ₀' },
  ];
  if (m.fqiHedge0 !== null) hedges.push({ key: 'fqiHedge0', label: 'FQI a*₀', value: m.fqiHedge0, diffBs: m.fqiHedge0 - m.bsDelta0, unit: 'asset', title: 'The hedge formula on the off-policy data at t = 0; in brackets minus Δ₀' });

  const unstable = m.fqiMaxGap !== null && m.fqiMaxGap > FQI_GAP_WARN;
  return (
    <div className={styles.results} data-testid="qlbs-results">
      <table className={cx('metrics-table', styles.resultsTable)}>
        <thead>
          <tr>
            <th>Price</th>
            <th className="num">value</th>
            <th className="num" title="Difference to the Black-Scholes price (delta for hedges)">− BS</th>
            <th className="num" title="FQI minus DP on the same grid">− DP</th>
            <th>unit</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <ResultRow key={r.key} r={r} />
          ))}
        </tbody>
      </table>
      <div className={styles.hedges} title="Hedges at t = 0, units of the asset per option">
        Hedge at t = 0:
        {hedges.map((h) => (
          <span key={h.key} className={styles.hedge} title={h.title}>
            {h.label.replace(/ at t = 0$/, '')} <b data-testid={`qlbs-metric-${h.key}`}>{fmtSig(h.value)}</b>
            {h.diffBs !== null && h.diffBs !== undefined && <span className="muted"> ({signed(h.diffBs)})</span>}
          </span>
        ))}
      </div>
      <div className={cx(styles.resultsFoot, 'muted')}>
        {m.paths.toLocaleString('en-US')} paths · basis {m.basisSize} · compute {fmtSeconds(wallMs)} s
        {m.svdFallbacks > 0 ? ` · ${m.svdFallbacks} singular regressions solved by SVD` : ''}
      </div>
      {unstable && (
        <div className="note warn" role="alert" data-testid="qlbs-fqi-unstable">
          FQI has gone unstable: its values differ from DP on the same grid by up to {Math.round(m.fqiMaxGap! * 100)}%. Use more paths, a
          larger ridge reg, or fewer FQI steps (the spec's reference runs FQI on 6 steps).
        </div>
      )}
    </div>
  );
}

function ResultRow({ r }: { r: Row }) {
  return (
    <tr className={r.sub ? 'sub' : undefined} title={r.title}>
      <td>{r.label}</td>
      <td className="num" data-testid={`qlbs-metric-${r.key}`}>
        {fmtSig(r.value)}
        {r.stdErr !== undefined && r.stdErr !== null && <span className={styles.se}> ± {fmtSig(r.stdErr, 2)}</span>}
      </td>
      <td className="num" data-testid={`qlbs-diff-${r.key}`}>
        {signed(r.diffBs)}
      </td>
      <td className="num">{signed(r.diffDp)}</td>
      <td className="unit">{r.unit}</td>
    </tr>
  );
}
