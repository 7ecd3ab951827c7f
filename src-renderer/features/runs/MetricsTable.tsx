import { type HedgeMetrics } from '../../../src-shared/hedging/config';
import { fmtInt, fmtSig } from '../../app/format';
import { METRIC_DEFS } from './metrics';

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
