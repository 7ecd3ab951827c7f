import { useMemo, useState } from 'react';
import { isTerminal } from '../../../../src-shared/api/runs';
import { DEFAULT_HESTON_HEDGE, HESTON_HEDGE_GREEKS, type HestonHedgeGreeks } from '../../../../src-shared/heston/hedgeContract';
import { claimText } from '../../../../src-shared/heston/market';
import { HESTON_STRATEGIES, type HestonStrategy } from '../../../../src-shared/heston/types';
import { fmtDateTime, fmtDuration, fmtInt } from '../../../app/format';
import { RunProgress } from '../../../components/RunProgress';
import { RunTitle } from '../../../components/RunTitle';
import { useRunsOf } from '../../../hooks/useRuns';
import { appErrorOf, call } from '../../../ipc/client';
import { type HestonRun, useHestonRuns } from '../../portfolio/heston/useHestonRuns';
import { HestonHedgeResults } from './HestonHedgeResults';
import { HESTON_HEDGE_QUERY, STRATEGY_SHORT, greeksText } from './hestonRuns';
import styles from './hestonHedge.module.css';
import { cx } from '../../../styles/cx';

const solveTitle = (s: HestonRun): string => `${s.metrics?.scheme?.toUpperCase() ?? s.config.solver.scheme?.toUpperCase() ?? '?'} · ${claimText(s.config.claim)} · N = ${s.metrics?.steps ?? s.config.solver.steps} · ${fmtDateTime(s.createdAt)}`;

/** Parse "1, 2, 5" into whole numbers, or a message naming the bad entry. */
function parseList(text: string, max: number): { values: number[] } | { error: string } {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length) return { error: 'give at least one R' };
  const values: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 1 || v > max) return { error: `R = "${p}" must be a whole number in 1..${max} (the solve's N)` };
    if (!values.includes(v)) values.push(v);
  }
  return { values };
}

/**
 * Heston hedging along paths, beside the Black–Scholes rebalancing of this tab (a section of its own because a
 * Heston run is one solve's claim hedged with five strategies and several R at once, on the same paths, with
 * European puts as instruments — not a book with delta/delta-gamma). Pick a finished Heston solve run, start a
 * hedge (progress and Cancel while it runs), then read the histograms, the statistics table, variance against R,
 * OSM against RDBDP, and any path's schedule.
 */
export function HestonHedgeSection({ connectionOpens }: { connectionOpens: number }) {
  const solves = useHestonRuns(connectionOpens);
  const hedges = useRunsOf(connectionOpens, HESTON_HEDGE_QUERY);
  const done = useMemo(() => solves.runs.filter((s) => s.status === 'done' && s.metrics), [solves.runs]);
  const [pickedSolve, setSolve] = useState<string | null>(null);
  const solveId = pickedSolve ?? done[0]?.id ?? null;
  const solve = done.find((s) => s.id === solveId);
  const steps = solve?.metrics?.steps ?? 0;
  const [greeks, setGreeks] = useState<HestonHedgeGreeks>('network');
  const [strategies, setStrategies] = useState<HestonStrategy[]>([...HESTON_STRATEGIES]);
  const [rText, setRText] = useState(DEFAULT_HESTON_HEDGE.rebalance.join(', '));
  const [pathsText, setPathsText] = useState(String(DEFAULT_HESTON_HEDGE.paths));
  const [seedText, setSeedText] = useState(String(DEFAULT_HESTON_HEDGE.seed));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pickedRun, setRun] = useState<string | null>(null);

  const shown = useMemo(() => hedges.runs.filter((r) => r.config.solveRunId === solveId), [hedges.runs, solveId]);
  const run = shown.find((r) => r.id === pickedRun) ?? shown[0] ?? null;
  const parsedR = parseList(rText, steps || 500);
  const paths = Number(pathsText);
  const seed = Number(seedText);
  const pathsError = Number.isInteger(paths) && paths >= 16 && paths <= 65536 ? null : 'paths must be a whole number in 16..65,536';
  const seedError = Number.isInteger(seed) && seed >= 0 ? null : 'seed must be a whole number >= 0';
  const european = solve ? solve.config.claim.exerciseDates <= 1 : false;
  const formError = !solve ? 'pick a finished Heston solve run' : 'error' in parsedR ? parsedR.error : pathsError ?? seedError ?? (strategies.length ? null : 'choose at least one strategy');

  const start = async (): Promise<void> => {
    if (!solve || formError || 'error' in parsedR) return;
    setBusy(true);
    setError(null);
    try {
      const ordered = HESTON_STRATEGIES.filter((s) => strategies.includes(s));
      const r = await call('heston-hedge', { solveRunId: solve.id, greeks, strategies: ordered, rebalance: parsedR.values, paths, seed });
      setRun(r.runId);
      hedges.refresh();
    } catch (e) {
      setError(appErrorOf(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className={styles.section} data-testid="hh-section">
      <aside className={cx('panel', styles.form)} data-testid="hh-form">
        <h3>Hedge a Heston solve</h3>
        {done.length === 0 ? (
          <div className="empty" data-testid="hh-no-solves">
            No finished Heston solve run yet. Solve one in the Portfolio tab (market “Heston (one asset)”, e.g. H1 with the quick solver), then hedge it here.
          </div>
        ) : (
          <>
            <label>
              Solve run
              <select data-testid="hh-solve" value={solveId ?? ''} onChange={(e) => setSolve(e.target.value)}>
                {done.map((s) => (
                  <option key={s.id} value={s.id}>
                    {solveTitle(s)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Book Greeks
              <select data-testid="hh-greeks" value={greeks} onChange={(e) => setGreeks(e.target.value as HestonHedgeGreeks)}>
                {HESTON_HEDGE_GREEKS.map((g) => (
                  <option key={g} value={g} disabled={g === 'semi-analytic' && !european}>
                    {g === 'network' ? `the solve's networks (${solve?.metrics?.scheme?.toUpperCase() ?? ''})` : g === 'pde' ? 'PDE reference (ADI)' : 'semi-analytic (European claims)'}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className={styles.strategies}>
              <legend>Strategies (instruments: European puts of the spec)</legend>
              {HESTON_STRATEGIES.map((s) => (
                <label key={s} className={styles.check}>
                  <input type="checkbox" data-testid={`hh-strategy-${s}`} checked={strategies.includes(s)} onChange={(e) => setStrategies((xs) => (e.target.checked ? [...xs, s] : xs.filter((x) => x !== s)))} />
                  {STRATEGY_SHORT[s]} <span className="muted">({s})</span>
                </label>
              ))}
            </fieldset>
            <label>
              Rebalancing dates R (list; grid N = {steps})
              <input data-testid="hh-rebalance" value={rText} onChange={(e) => setRText(e.target.value)} />
            </label>
            <div className={styles.row2}>
              <label>
                Paths
                <input data-testid="hh-paths" value={pathsText} onChange={(e) => setPathsText(e.target.value)} inputMode="numeric" />
              </label>
              <label>
                Seed
                <input data-testid="hh-seed" value={seedText} onChange={(e) => setSeedText(e.target.value)} inputMode="numeric" />
              </label>
            </div>
            <p className="muted">R that do not divide N use the nearest grid dates round(k N / R). Every strategy and R hedges the same paths.</p>
            {formError && solve && (
              <div className="inline-error" data-testid="hh-form-error">
                {formError}
              </div>
            )}
            {error && (
              <div className="run-message error" role="alert" data-testid="hh-start-error">
                {error}
              </div>
            )}
            <button type="button" className="primary" data-testid="hh-start" disabled={busy || !!formError} onClick={() => void start()}>
              {busy ? 'Starting…' : 'Start hedge'}
            </button>
          </>
        )}
      </aside>
      <div className={styles.body}>
        <div className={cx('panel', styles.runs)} data-testid="hh-runs">
          {shown.length === 0 ? (
            <div className="empty">No Heston hedge run of this solve yet.</div>
          ) : (
            <ul className={styles.runList}>
              {shown.map((r) => (
                <li key={r.id}>
                  <button type="button" className={cx(styles.runItem, run?.id === r.id && styles.active)} data-testid="hh-run-item" data-run-id={r.id} data-status={r.status} onClick={() => setRun(r.id)}>
                    <span className={styles.status}>{r.status}</span> {greeksText(r.metrics?.greeks, r.config.greeks)} · {r.config.strategies.map((s) => STRATEGY_SHORT[s]).join(', ')} · R = {r.config.rebalance.join(', ')} · {fmtInt(r.config.paths)} paths
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        {run && (
          <section className={cx('panel', styles.runPanel)} data-testid="hh-run-panel" data-run-id={run.id} data-status={run.status}>
            <header className="run-header">
              <RunTitle status={run.status} compute={run.compute} title={`Heston hedge · ${greeksText(run.metrics?.greeks, run.config.greeks)} Greeks`} titleTestId="hh-run-title" runId={run.id} />
              <div className="run-config" data-testid="hh-run-config">
                {solve ? claimText(solve.config.claim) : ''} · grid N = {run.metrics?.steps ?? steps} · {fmtInt(run.config.paths)} paths · seed {run.config.seed}
                {run.wallMs ? ` · ${fmtDuration(run.wallMs)}` : ''}
              </div>
            </header>
            {!isTerminal(run.status) ? (
              <RunProgress testId="hh" runId={run.id} status={run.status} progress={hedges.progress[run.id]} stored={run.progress} startedAt={run.startedAt} unit="grid dates">
                <div className="live-placeholder">The histograms, the statistics table and the schedules appear here when the run finishes.</div>
              </RunProgress>
            ) : run.status === 'done' && run.metrics ? (
              <HestonHedgeResults run={run} all={hedges.runs} solves={solves.runs} />
            ) : (
              <div className="run-message error" role="alert" data-testid="hh-run-failed">
                <b>Run {run.status}.</b> {run.error?.message ?? 'No results were recorded.'}
              </div>
            )}
          </section>
        )}
      </div>
    </main>
  );
}
