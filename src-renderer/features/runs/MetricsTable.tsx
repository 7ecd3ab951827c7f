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
      <p className="note">
        PnL of the hedger (short one call, premium received at the closed-form price). VaR, ES and the entropic
        loss are losses: lower is better. The indifference price is ρ(PnL with the option) minus the
        no-liability term, which is minimised over static holdings of the underlying.
      </p>
    </div>
  );
}
