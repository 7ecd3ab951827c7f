import { useMemo } from 'react';
import { type SemistaticSolution, type ValueTriple } from '../../../src-shared/semistatic/contract';
import { fmtInt, fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { weightsOption } from './charts';
import styles from './semistatic.module.css';
import { cx } from '../../styles/cx';

interface Props {
  solution: SemistaticSolution | null;
  /** Why there is no (fresh) solution: invalid input, a server error, or loading. */
  status: { kind: 'ok' | 'loading' | 'invalid' | 'error'; message?: string };
}

/** One output row: label, value (5 significant digits), unit, with a stable test id. */
function Row({ id, label, value, unit, title, sub }: { id: string; label: string; value: string; unit: string; title?: string; sub?: boolean }) {
  return (
    <tr className={sub ? 'sub' : undefined} title={title}>
      <td>{label}</td>
      <td className="num" data-testid={`ss-out-${id}`}>
        {value}
      </td>
      <td className="unit">{unit}</td>
    </tr>
  );
}

/** The closed form: the constant a, the static claim and its price, Merton, H, value, CE, filter weights. */
export function SolutionPanel({ solution: s, status }: Props) {
  const option = useMemo(() => (s ? weightsOption(s) : null), [s]);
  const stale = status.kind !== 'ok';
  return (
    <section className={cx('panel', styles.panel)} data-testid="ss-solution" data-state={status.kind}>
      <div className="panel-title">
        Optimal strategy and value
        <span className="muted" data-testid="ss-solve-status">
          {status.kind === 'loading' ? 'computing…' : status.kind === 'invalid' ? 'fix the inputs on the left' : status.kind === 'error' ? 'failed' : s ? `computed in ${fmtSig(s.computeMs, 3)} ms` : ''}
        </span>
      </div>
      {status.kind === 'error' && (
        <div className="run-message error" role="alert" data-testid="ss-solve-error">
          {status.message}
        </div>
      )}
      {!s ? (
        <div className="empty">{status.kind === 'invalid' ? 'Enter valid inputs to see the solution.' : 'Computing…'}</div>
      ) : (
        <div className={cx(styles.solution, stale && styles.stale)}>
          <div className={styles.outputs}>
            <table className="metrics-table" data-testid="ss-outputs">
              <tbody>
                <Row id="nd" label="n, delay D" value={`${fmtInt(s.params.n)}, ${fmtInt(s.params.D)}`} unit="steps" title={`H = D/n = ${fmtSig(s.params.delayFraction, 4)}`} />
                <Row id="ratio2" label="s2 = σ̂²/σ²" value={fmtSig(s.params.ratio2)} unit="" title={`σ = ${s.params.sigma}, σ̂ = ${fmtSig(s.params.sigmahat)} money/step`} />
                <Row id="a" label="constant a" value={fmtSig(s.a)} unit="" title="larger root of n s2 D(D+1) a² + [n s2 (2D+1) − D(D+1)] a + n (s2 − 1) = 0" />
                <Row id="a-inf" label="a as n → ∞ (this D)" value={fmtSig(s.aFixedDelayLimit)} unit="" sub />
                <Row
                  id="claim-weight"
                  label="static claim f(S_n) = w (S_n − S₀)²"
                  value={fmtSig(s.staticClaim.weight)}
                  unit="1/money"
                  title={`w = a / (2 γ σ²); S₀ = ${s.staticClaim.center}. w > 0: buy the quadratic claim (your variance is higher than the market's); w < 0: sell it`}
                />
                <Row id="claim-price" label="claim price (market, ν)" value={fmtSig(s.staticClaim.price)} unit="money" sub title="a n s2 / (2γ)" />
                <Row id="claim-expected" label="expected payoff (your model)" value={fmtSig(s.staticClaim.expectedPayoff)} unit="money" sub />
                <Row id="merton-fraction" label="Merton fraction μ/(γσ²)" value={fmtSig(s.merton.fraction)} unit="shares" />
                <Row id="merton-entropy" label="Merton part n μ²/(2σ²)" value={fmtSig(s.merton.entropy)} unit="nats" sub />
                <Row id="semistatic-entropy" label="claim + filter part" value={fmtSig(s.semistaticEntropy)} unit="nats" sub />
                <Row id="entropy" label="H (entropy)" value={fmtSig(s.entropy)} unit="nats" title="H = ½ (trace Q − n − log det Q) + n μ²/(2σ²)" />
                <Row id="value" label="optimal value E[−e^(−γV)] = −e^(−H)" value={fmtSig(s.value)} unit="utility" />
                <Row id="ce" label="certainty equivalent H/γ" value={fmtSig(s.certaintyEquivalent)} unit="money" />
              </tbody>
            </table>
          </div>
          <div className={cx('chart-box', styles.chartBox)}>
            <div className="chart-title">
              Delayed filter weights (t<sub>L+1</sub> − a)/(γσ²) against lag{s.weights.sampled ? ` · ${fmtInt(s.weights.lag.length)} of ${fmtInt(s.params.n)} lags shown` : ''}
            </div>
            <div className={styles.chart}>{option && <EChart option={option} testId="ss-weights-chart" ariaLabel="filter weight against lag" seriesCount={1} />}</div>
            <div className="note">
              Over step i you hold μ/(γσ²) + Σ_L weight(L) · X_(i−L) shares: nothing from the last D increments (you have not seen them),
              then a decaying response to older moves.
            </div>
          </div>
          <div className={styles.bottom}>
            <Comparison s={s} />
            <Checks s={s} />
          </div>
        </div>
      )}
    </section>
  );
}

function Comparison({ s }: { s: SemistaticSolution }) {
  const rows: Array<[string, string, ValueTriple, string]> = [
    ['delayed-claim', `with the static claim, delay D = ${s.params.D}`, s.comparison.delayedWithClaim, 'the optimum above'],
    ['nodelay-claim', 'with the static claim, no delay', s.comparison.noDelayWithClaim, 'D = 0: Q = s2 I; grows like n (arbitrage in the limit)'],
    ['without-claim', 'without the static claim (any delay)', s.comparison.withoutClaim, 'i.i.d. increments: Merton is optimal, seeing prices earlier does not help'],
  ];
  const max = Math.max(...rows.map((r) => r[2].certaintyEquivalent), 1e-300);
  return (
    <div className={styles.compare}>
      <div className="chart-title">With and without the static claim and the delay</div>
      <table className="metrics-table" data-testid="ss-compare">
        <thead>
          <tr>
            <th>strategy</th>
            <th className="num">H (nats)</th>
            <th className="num">value −e^(−H)</th>
            <th className="num">CE (money)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, label, v, title]) => (
            <tr key={id} title={title} data-testid={`ss-compare-${id}`}>
              <td>{label}</td>
              <td className="num">{fmtSig(v.entropy)}</td>
              <td className="num">{fmtSig(v.value)}</td>
              <td className="num" data-testid={`ss-compare-${id}-ce`}>
                {fmtSig(v.certaintyEquivalent)}
              </td>
              <td className={styles.barCell}>
                <span className={styles.bar} style={{ width: `${Math.max(0, Math.min(100, (100 * v.certaintyEquivalent) / max))}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.limit && (
        <div className="note" data-testid="ss-limit-note">
          Continuous limit at H = {fmtSig(s.limit.delayFraction, 4)}, s2 = {fmtSig(s.params.ratio2, 4)} (μ = 0): H∞ = {fmtSig(s.limit.entropy)} nats, n·a → â ={' '}
          {fmtSig(s.limit.ahat)}.
        </div>
      )}
    </div>
  );
}

function Checks({ s }: { s: SemistaticSolution }) {
  return (
    <div className={styles.checks}>
      <div className="chart-title">Identities checked at this size</div>
      <table className="metrics-table" data-testid="ss-checks">
        <tbody>
          {s.checks.map((c) => (
            <tr key={c.id} title={c.note} data-testid={`ss-check-${c.id}`} data-ok={c.ok === null ? 'skipped' : String(c.ok)}>
              <td>{c.label}</td>
              <td className="num">{c.residual === null ? '—' : c.residual.toExponential(1)}</td>
              <td className={c.ok === false ? styles.bad : c.ok ? styles.good : 'muted'}>{c.ok === null ? 'skipped' : c.ok ? 'ok' : 'FAILED'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
