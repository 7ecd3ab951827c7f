import { useMemo, useState } from 'react';
import { type BsdeMetrics, type GreekErrors, type GreeksAt, type PriceErrorEstimate, type ReferenceGreeks } from '../../../src-shared/bsde/result';
import { PAYOFF_INFO } from '../../../src-shared/portfolio/book';
import { fmtSig } from '../../app/format';
import { EChart } from '../../components/EChart';
import { absMax, deltaBarsOption, gammaHeatmapOption } from './charts';
import styles from './portfolio.module.css';
import { cx } from '../../styles/cx';

const pct = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(digits)}%`);

/** Short label under a price-error figure (the full note is its tooltip). */
const PRICE_ERROR_KIND: Record<PriceErrorEstimate['kind'], string> = {
  reference: 'measured',
  calibrated: 'calibrated',
  none: 'not estimated',
};

interface Row extends GreeksAt {
  key: string;
  label: string;
  what: string;
  quantity: number | null;
  priceStdErr: number;
  priceError?: PriceErrorEstimate;
  reference: ReferenceGreeks | null;
  errors: GreekErrors | null;
}

/**
 * Prices outside their no-arbitrage range (every payoff here is >= 0; a cash-or-nothing pays at most 1),
 * by more than 3 standard errors: the solver has not converged at this budget, and the user must know.
 */
function boundViolations(metrics: BsdeMetrics): string[] {
  return metrics.options.flatMap((o) => {
    const slack = 3 * o.priceStdErr;
    const upper = o.payoff === 'cash-or-nothing' ? 1 : Infinity;
    if (o.price >= -slack && o.price <= upper + slack) return [];
    const range = upper === Infinity ? '[0, ∞)' : `[0, ${upper}]`;
    return [
      `${o.label}: the learned price ${fmtSig(o.price)} is outside the no-arbitrage range ${range} of its payoff — ` +
        'the solver has not converged at this budget; use a larger solver preset or more iterations.',
    ];
  });
}

/**
 * A finished solve at t = 0: every option and the whole book with price (± the t = 0 regression's standard
 * error, labelled as such), the price error that covers the solver's bias (`PriceErrorEstimate`: measured,
 * calibrated or not estimated), the closed form or lattice value beside it and the relative errors of price, Delta (2-norm) and Gamma
 * (Frobenius norm); for the selected row, Delta as bars per asset and Gamma as heat maps (learned and
 * reference side by side on one colour scale).
 */
export function SolveResults({ metrics }: { metrics: BsdeMetrics }) {
  const [selected, setSelected] = useState<string>(metrics.options.length === 1 ? 'o0' : 'book');
  const rows: Row[] = useMemo(
    () => [
      ...metrics.options.map((o, j) => ({ ...o, key: `o${j}`, label: o.label, what: PAYOFF_INFO[o.payoff].label, quantity: o.quantity })),
      { ...metrics.book, key: 'book', label: 'Book (Σ n_j × option)', what: `${metrics.J} option${metrics.J === 1 ? '' : 's'}`, quantity: null },
    ],
    [metrics],
  );
  const row = rows.find((r) => r.key === selected) ?? rows[rows.length - 1];
  const range = absMax(row.gamma, row.reference?.gamma);
  const deltaOpt = useMemo(() => deltaBarsOption(metrics.assets, row.delta, row.reference?.delta ?? null, `Delta per asset — ${row.label}`), [metrics.assets, row]);
  const gammaOpt = useMemo(() => (row.gamma ? gammaHeatmapOption(metrics.assets, row.gamma, `Gamma (${metrics.scheme.toUpperCase()})`, range) : null), [metrics, row, range]);
  const gammaRefOpt = useMemo(
    () => (row.reference ? gammaHeatmapOption(metrics.assets, row.reference.gamma, `Gamma (${row.reference.method})`, range) : null),
    [metrics.assets, row, range],
  );
  return (
    <div className={styles.results} data-testid="solve-results">
      <div className={styles.resultsTableWrap}>
        <table className={styles.resultsTable} data-testid="results-table">
          <thead>
            <tr>
              <th>Option</th>
              <th className="num">Qty</th>
              <th className="num" title="learned price at t = 0 (money); below it the standard error of the t = 0 regression, which is its sampling noise only and not the price's error">Price</th>
              <th className="num" title="closed form (European geometric basket, vanilla, exchange, Stulz two-asset max/min) or 1-D lattice (Bermudan)">Reference</th>
              <th
                className="num"
                title="how far the price may be from the true value (money): the measured gap |price − reference| (and as % of the reference); else calibrated from this solve's options with a reference (worst gap / regression s.e. × this row's s.e.); else not estimated"
              >
                Price error
              </th>
              <th className="num" title="‖Δ − Δ_ref‖₂ / ‖Δ_ref‖₂">Δ err</th>
              <th className="num" title="‖Γ − Γ_ref‖_F / ‖Γ_ref‖_F">Γ err</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.key}
                data-testid={`result-row-${r.key}`}
                className={r.key === row.key ? styles.selected : r.key === 'book' ? styles.bookRow : undefined}
                onClick={() => setSelected(r.key)}
                title="Show this row's Delta and Gamma"
              >
                <td>
                  <div className={styles.optLabel}>{r.label}</div>
                  <div className={cx('muted', styles.optWhat)}>{r.what}</div>
                </td>
                <td className="num">{r.quantity === null ? '' : fmtSig(r.quantity, 4)}</td>
                <td className="num">
                  <div data-testid={`result-price-${r.key}`}>{fmtSig(r.price)}</div>
                  <div className={cx('muted', styles.sub)} data-testid={`result-se-${r.key}`} title="standard error of the t = 0 regression (sampling noise only)">
                    ± {fmtSig(r.priceStdErr, 2)} regr. s.e.
                  </div>
                </td>
                <td className="num">
                  {r.reference ? (
                    <>
                      <div data-testid={`result-ref-${r.key}`}>{fmtSig(r.reference.price)}</div>
                      <div className={cx('muted', styles.sub)}>{r.reference.method}</div>
                    </>
                  ) : (
                    <span className="muted" data-testid={`result-ref-${r.key}`} title="no closed form for this payoff">
                      —
                    </span>
                  )}
                </td>
                <td className="num" title={r.priceError?.note ?? 'not estimated (run stored before price errors were computed)'}>
                  <div data-testid={`result-price-error-${r.key}`}>{r.priceError?.value != null ? fmtSig(r.priceError.value, 2) : '—'}</div>
                  <div className={cx('muted', styles.sub)}>
                    {r.errors ? (
                      <>
                        <span data-testid={`result-err-price-${r.key}`}>{pct(r.errors.price, 3)}</span> ·{' '}
                      </>
                    ) : null}
                    <span data-testid={`result-price-error-kind-${r.key}`}>{r.priceError ? PRICE_ERROR_KIND[r.priceError.kind] : 'not estimated'}</span>
                  </div>
                </td>
                <td className="num" data-testid={`result-err-delta-${r.key}`}>{pct(r.errors?.delta)}</td>
                <td className="num" data-testid={`result-err-gamma-${r.key}`}>{pct(r.errors?.gamma, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {boundViolations(metrics).map((msg) => (
          <div key={msg} className={styles.boundWarning} role="alert" data-testid="bound-warning">
            {msg}
          </div>
        ))}
        <div className={cx('muted', styles.resultsNote)}>
          {metrics.scheme.toUpperCase()} · d = {metrics.d} · N = {metrics.steps} (dt = {fmtSig(metrics.dt, 3)} y) · t = 0 regression on {metrics.t0.samples.toLocaleString('en-US')} samples.
          Units: price in money, Δ in units of each asset, Γ in 1/money. Click a row for its Δ and Γ.
        </div>
        <EChart option={deltaOpt} testId="delta-chart" className={styles.chartDelta} ariaLabel="Delta per asset, learned and reference" seriesCount={row.reference ? 2 : 1} />
      </div>
      <div className={styles.gammaRow}>
        {gammaOpt ? (
          <EChart option={gammaOpt} testId="gamma-heatmap" className={styles.chartGamma} ariaLabel="Gamma matrix heat map (learned)" />
        ) : (
          <div className={cx(styles.chartGamma, 'placeholder')}>No Gamma from this run.</div>
        )}
        {gammaRefOpt ? (
          <EChart option={gammaRefOpt} testId="gamma-heatmap-ref" className={styles.chartGamma} ariaLabel="Gamma matrix heat map (reference)" />
        ) : (
          <div className={cx(styles.chartGamma, 'placeholder')}>No closed form for this row.</div>
        )}
      </div>
    </div>
  );
}
