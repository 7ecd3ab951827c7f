import { type HedgeMetrics } from '../../../src-shared/hedging/config';
import { fmtInt, fmtSig } from '../../app/format';
import { METRIC_DEFS } from './metrics';
import { criterionLabel } from '../../../src-shared/hedging/criteria';
import { DOES_NOT_HEDGE_LABEL, metricsDoNotHedge } from '../../../src-shared/hedging/ranking';

/** One finished run's risk figures: value and unit per row; cells carry data-testid="metric-<key>". */
export function MetricsTable({ metrics }: { metrics: HedgeMetrics }) {
  return (
    <div className="metrics">
      <table className="metrics-table" data-testid="metrics-table">
        <thead>
          <tr>
            <th>Metric</th>
            <th className="num">Value</th>
            <th>Unit</th>
          </tr>
        </thead>
        <tbody>
          {metrics.criterion && metrics.criterionValue !== undefined && (
            <tr title="The criterion this run was trained on (BSDH: measured on), on its test paths; lower is better">
              <td>Criterion: {criterionLabel(metrics.criterion)}</td>
              <td className="num" data-testid="metric-criterionValue">
                {fmtSig(metrics.criterionValue)}
              </td>
              <td className="unit">P₀</td>
            </tr>
          )}
          {METRIC_DEFS.map((d) => (
            <tr key={d.key} className={d.sub ? 'sub' : undefined} title={d.hint}>
              <td>{d.label}</td>
              <td className="num" data-testid={`metric-${d.key}`}>
                {fmtSig(metrics[d.key])}
              </td>
              <td className="unit">{d.unit}</td>
            </tr>
          ))}
          <tr>
            <td>Paths</td>
            <td className="num" data-testid="metric-paths">
              {fmtInt(metrics.paths)}
            </td>
            <td className="unit">paths</td>
          </tr>
        </tbody>
      </table>
      {metricsDoNotHedge(metrics) && (
        <p className="note warn" data-testid="does-not-hedge-note">
          {DOES_NOT_HEDGE_LABEL}: its mean |position| is below 10% of BSDH’s on the same test paths. It saves the
          transaction costs by not trading, so it can look good on cost or on the entropic loss at a = 1 while its tail
          (ES) is far worse; rankings put it after every hedger that hedges.
        </p>
      )}
      {metrics.noLiabilityAtBound && (
        <p className="note warn" data-testid="indifference-warning">
          The best static holding without the option reached the bound of ±100 units: with this drift the
          no-liability risk has no finite minimum on these paths, so the indifference price is not meaningful.
        </p>
      )}
      <p className="note">
        PnL = −Z + Σ δᵢ (Pᵢ₊₁ − Pᵢ) − costs for the hedger short one call; the premium is not included. VaR,
        ES and the entropic loss are losses: lower is better. Indifference price = ρ(PnL) − ρ₀, where the
        no-liability term ρ₀ = ρ(PnL without the option) is minimised over static holdings of the underlying.
      </p>
    </div>
  );
}
