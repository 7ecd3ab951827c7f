import { useMemo } from 'react';
import { GREEK_LABELS, GREEK_UNITS, type GreekError, greekErrors } from '../../../../src-shared/heston/contract';
import { fellerInfo, sameProblem } from '../../../../src-shared/heston/market';
import { GREEK_NAMES, type GreekName } from '../../../../src-shared/heston/types';
import { fmtSig } from '../../../app/format';
import { HestonSurfaces } from './HestonSurfaces';
import { type HestonRun } from './useHestonRuns';
import styles from './heston.module.css';
import { cx } from '../../../styles/cx';

const pct = (e: GreekError | null | undefined): string => (!e || e.rel === null || !Number.isFinite(e.rel) ? '—' : `${(100 * e.rel).toFixed(2)}%`);
const abs = (e: GreekError | null | undefined): string => (!e ? '—' : fmtSig(e.abs, 2));

/**
 * A finished Heston solve at t = 0: price and the five Greeks with units, each beside the engine's own reference
 * (semi-analytic for a European, the 2-D ADI PDE for a Bermudan, with the PDE's own refinement change) and the
 * error, absolute and in %; when a finished run of the other scheme solved the same market and claim, its values
 * and errors beside (OSM vs RDBDP). Then the Greek surfaces over (S, ν) at the stored dates.
 */
export function HestonResults({ run, runs }: { run: HestonRun; runs: HestonRun[] }) {
  const m = run.metrics!;
  const other = useMemo(
    () => runs.find((r) => r.id !== run.id && r.status === 'done' && r.metrics && r.config.solver.scheme !== run.config.solver.scheme && sameProblem(r.config, run.config)) ?? null,
    [runs, run],
  );
  const ref = m.reference;
  const otherErr = other?.metrics && ref ? greekErrors(other.metrics.t0, ref.t0) : null;
  const feller = fellerInfo(run.config.market);
  const name = m.scheme.toUpperCase();
  return (
    <div className={styles.results} data-testid="heston-results">
      <table className={styles.table} data-testid="heston-results-table">
        <thead>
          <tr>
            <th>Greek at t = 0</th>
            <th>Unit</th>
            <th className="num" title="learned value; below it the standard error of the t = 0 regression (sampling noise only)">
              {name}
            </th>
            <th className="num" title={ref ? `${ref.method}${ref.grid ? ` on ${ref.grid.ns} x ${ref.grid.nv} x ${ref.grid.nt}` : ''}; below it the change when the grid is refined (the reference's own error estimate)` : 'no reference'}>
              Reference {ref ? `(${ref.method})` : ''}
            </th>
            <th className="num">|error|</th>
            <th className="num">error %</th>
            {other?.metrics && (
              <>
                <th className="num" data-testid="heston-other-scheme">
                  {other.metrics.scheme.toUpperCase()}
                </th>
                <th className="num">|error|</th>
                <th className="num">error %</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {GREEK_NAMES.map((g: GreekName) => {
            const se = m.t0StdErr[g];
            const change = ref?.refinement?.change[g];
            return (
              <tr key={g} data-testid={`heston-row-${g}`}>
                <td>{GREEK_LABELS[g]}</td>
                <td className="muted">{GREEK_UNITS[g]}</td>
                <td className="num">
                  <div data-testid={`heston-value-${g}`}>{fmtSig(m.t0[g], 5)}</div>
                  {se !== undefined && <div className={cx('muted', styles.sub)}>± {fmtSig(se, 2)} regr. s.e.</div>}
                </td>
                <td className="num">
                  <div data-testid={`heston-ref-${g}`}>{ref ? fmtSig(ref.t0[g], 5) : '—'}</div>
                  {change !== undefined && <div className={cx('muted', styles.sub)}>grid Δ {fmtSig(Math.abs(change), 2)}</div>}
                </td>
                <td className="num" data-testid={`heston-abs-${g}`}>{abs(m.errors?.[g])}</td>
                <td className="num" data-testid={`heston-pct-${g}`}>{pct(m.errors?.[g])}</td>
                {other?.metrics && (
                  <>
                    <td className="num" data-testid={`heston-other-${g}`}>{fmtSig(other.metrics.t0[g], 5)}</td>
                    <td className="num">{abs(otherErr?.[g])}</td>
                    <td className="num">{pct(otherErr?.[g])}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className={cx('muted', styles.note)} data-testid="heston-results-note">
        {name} · N = {m.steps} (dt = {fmtSig(m.dt, 3)} y) · Feller {feller.holds ? 'holds' : 'fails'} (2κν̄ = {fmtSig(feller.lhs, 3)} vs ξ² = {fmtSig(feller.rhs, 3)}) ·
        {ref ? ` reference: ${ref.method}${ref.grid ? ` on ${ref.grid.ns} S x ${ref.grid.nv} ν x ${ref.grid.nt} t points` : ''} in ${fmtSig(ref.wallMs / 1000, 2)} s` : ' no reference'}
        {ref?.refinement ? `; refined grid ${ref.refinement.grid.ns} x ${ref.refinement.grid.nv} x ${ref.refinement.grid.nt} moves the price by ${fmtSig(Math.abs(ref.refinement.change.price), 2)}` : ''}
        {other ? ` · ${other.metrics!.scheme.toUpperCase()} run "${other.label}" solved the same market and claim.` : ''} Vega, Vomma, Vanna are with respect to the variance ν (not the volatility).
      </div>
      {m.surfaces && m.surfaces.dates.length > 0 ? (
        <HestonSurfaces runId={run.id} info={m.surfaces} />
      ) : (
        <div className="empty">This run stored no Greek surfaces.</div>
      )}
    </div>
  );
}
