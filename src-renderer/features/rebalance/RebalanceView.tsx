import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { isTerminal } from '../../../src-shared/api/runs';
import { SOLVER_PRESETS } from '../../../src-shared/bsde/config';
import { type ViewProps } from '../../app/views';
import { fmtPlain, fmtSig } from '../../app/format';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { forgetDistributions } from '../../hooks/useDistribution';
import { useRunsOf } from '../../hooks/useRuns';
import { appErrorOf, call } from '../../ipc/client';
import { CompareLauncher } from './CompareLauncher';
import { HestonHedgeSection } from './heston/HestonHedgeSection';
import { ComparisonDetail } from './ComparisonDetail';
import { ComparisonsList } from './ComparisonsList';
import { HedgeForm } from './HedgeForm';
import { HedgeRunPanel } from './HedgeRunPanel';
import { HedgeRunsGrid } from './HedgeRunsGrid';
import { useOpenSolveRequests } from './openSolve';
import { HEDGE_QUERY, SOLVE_QUERY, type SolveRun, solveSteps, solveTitle } from './runs';
import { useComparisons } from './useComparisons';
import styles from './rebalance.module.css';
import { cx } from '../../styles/cx';

type Mode = 'hedge' | 'compare' | 'heston';

/**
 * Rebalancing: hedge a solved book along simulated paths (delta or delta-gamma, network or closed-form Greeks,
 * R rebalancing dates), read the relative-PnL statistics and their convergence in R, replay a path's schedule
 * (grid, timeline, CSV orders), and run the source's comparisons on the preset books as grouped experiments.
 */
export function RebalanceView({ connection }: ViewProps) {
  const queryClient = useQueryClient();
  const solves = useRunsOf(connection.opens, SOLVE_QUERY);
  const hedges = useRunsOf(connection.opens, HEDGE_QUERY);
  const comparisons = useComparisons(connection.opens);
  const [mode, setMode] = useState<Mode>('hedge');
  // The shown solve, hedge run and comparison: the user's pick, else the newest when first available (adjusted
  // during render, React's pattern for state that follows props, instead of an effect and a second render).
  const [pickedSolveId, setSolveId] = useState<string | null>(null);
  const [pickedActiveId, setActiveId] = useState<string | null>(null);
  const [startedId, setStarting] = useState<string | null>(null);
  const [allSolves, setAllSolves] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [pickedGroupId, setGroupId] = useState<string | null>(null);

  useOpenSolveRequests((id) => {
    setSolveId(id);
    setAllSolves(false);
    setMode('hedge');
  });

  const doneSolves = useMemo(() => solves.runs.filter((s) => s.status === 'done' && s.metrics), [solves.runs]);
  const liveSolves = useMemo(() => solves.runs.filter((s) => !isTerminal(s.status)), [solves.runs]);
  const [exampleBusy, setExampleBusy] = useState(false);
  const [exampleError, setExampleError] = useState<string | null>(null);
  /** One click to a first solve: the seeded B1 European book with the tiny solver on N = 12 (R up to 12 fits). */
  const solveExample = async (): Promise<void> => {
    setExampleBusy(true);
    setExampleError(null);
    try {
      const books = await call('portfolio-list', {});
      const b1 = books.find((b) => b.preset === 'B1' && b.name.includes('European')) ?? books.find((b) => b.preset === 'B1');
      if (!b1) throw new Error('the preset book B1 is missing from the store; create it in the Portfolio tab (Presets)');
      await call('bsde-solve', { bookId: b1.bookId, scheme: 'osm', seed: 1, ...SOLVER_PRESETS.tiny.config, steps: 12 });
      solves.refresh();
    } catch (e) {
      setExampleError(appErrorOf(e).message);
    } finally {
      setExampleBusy(false);
    }
  };
  if (pickedSolveId === null && doneSolves.length) setSolveId(doneSolves[0].id);
  const solveId = pickedSolveId;
  const solve: SolveRun | undefined = solves.runs.find((s) => s.id === solveId);

  const shown = useMemo(() => (allSolves ? hedges.runs : hedges.runs.filter((r) => r.config.solveRunId === solveId)), [hedges.runs, allSolves, solveId]);
  /** A hedge run just started and not listed yet. */
  const starting = startedId !== null && !hedges.runs.some((r) => r.id === startedId) ? startedId : null;
  // The picked run while it belongs to the shown solve (or is starting); else the newest finished one of the shown runs.
  const picked = hedges.runs.find((r) => r.id === pickedActiveId) ?? null;
  const keepPicked = starting !== null || (picked !== null && (allSolves || picked.config.solveRunId === solveId));
  const fallbackId = shown.find((r) => r.status === 'done')?.id ?? shown[0]?.id ?? null;
  if (!keepPicked && pickedActiveId !== fallbackId) setActiveId(fallbackId);
  const activeId = keepPicked ? pickedActiveId : fallbackId;
  const active = hedges.runs.find((r) => r.id === activeId) ?? null;
  const newestGroupId = useMemo(() => (comparisons.data?.length ? [...comparisons.data].sort((a, b) => b.createdAt - a.createdAt)[0].groupId : null), [comparisons.data]);
  if (pickedGroupId === null && newestGroupId !== null) setGroupId(newestGroupId);
  const groupId = pickedGroupId ?? newestGroupId;


  const openRun = useCallback(
    (runId: string) => {
      const r = hedges.runs.find((x) => x.id === runId);
      if (r) setSolveId(r.config.solveRunId);
      setActiveId(runId);
      setMode('hedge');
    },
    [hedges.runs],
  );

  const deletable = selected.filter((id) => hedges.runs.some((r) => r.id === id));
  const remove = async (): Promise<void> => {
    setConfirmDelete(false);
    setActionError(null);
    try {
      await call('runs-delete', { runIds: deletable });
      forgetDistributions(queryClient, deletable);
      setSelected([]);
      hedges.refresh();
    } catch (e) {
      setActionError(appErrorOf(e).message);
    }
  };

  const m = solve?.metrics;
  return (
    <>
      <div className={cx('toolbar', styles.modes)} role="tablist">
        <button type="button" role="tab" aria-selected={mode === 'hedge'} className={cx(styles.mode, mode === 'hedge' && styles.active)} data-testid="rb-mode-hedge" onClick={() => setMode('hedge')}>
          Hedge runs
        </button>
        <button type="button" role="tab" aria-selected={mode === 'compare'} className={cx(styles.mode, mode === 'compare' && styles.active)} data-testid="rb-mode-compare" onClick={() => setMode('compare')}>
          Comparisons{comparisons.data?.length ? ` (${comparisons.data.length})` : ''}
        </button>
        <button type="button" role="tab" aria-selected={mode === 'heston'} className={cx(styles.mode, mode === 'heston' && styles.active)} data-testid="rb-mode-heston" onClick={() => setMode('heston')}>
          Heston
        </button>
        <span className={cx('muted', styles.modesNote)}>Hedger short the book, rebalancing at R equidistant dates; PnL relative to |V₀|.</span>
      </div>
      <main className={styles.main} hidden={mode !== 'hedge'} data-testid="rb-hedge-mode">
        <aside className={styles.left}>
          <section className={styles.solvePick} data-testid="rb-solve-picker">
            <div className="panel-title">Solved book</div>
            {solves.error && <div className={cx('inline-error', styles.pad)}>{solves.error}</div>}
            {!solves.loaded ? (
              <div className={cx('muted', styles.pad)}>Loading solve runs…</div>
            ) : doneSolves.length === 0 ? (
              <div className={styles.pad} data-testid="rb-no-solves">
                <p className="muted">No finished solve run yet. Solve a book in the Portfolio tab, or run a preset comparison, which solves and hedges in one action.</p>
                {liveSolves.length > 0 ? (
                  <p className="muted" data-testid="rb-solving">
                    Solving {liveSolves[0].label || 'a book'}: {liveSolves[0].status === 'queued' ? 'queued' : `${Math.round((100 * (solves.progress[liveSolves[0].id]?.done ?? liveSolves[0].progress.done)) / Math.max(1, solves.progress[liveSolves[0].id]?.total ?? liveSolves[0].progress.total))}%`} — it is picked here when it finishes.
                  </p>
                ) : (
                  <p>
                    <button type="button" data-testid="rb-solve-example" disabled={exampleBusy} onClick={() => void solveExample()}>
                      Solve the B1 example now
                    </button>{' '}
                    <span className="muted">B1 geometric call, d = 5, OSM, tiny preset on N = 12 (about 15 s on 2 cores)</span>
                  </p>
                )}
                {exampleError && <div className="inline-error">{exampleError}</div>}
                <button type="button" className="small" data-testid="rb-open-portfolio" onClick={() => (window.location.hash = '#portfolio')}>
                  Open Portfolio
                </button>{' '}
                <button type="button" className="small" onClick={() => setMode('compare')}>
                  Comparisons
                </button>
              </div>
            ) : (
              <div className={styles.pad}>
                <select className={cx(styles.select, styles.solveSelect)} data-testid="rb-solve-select" value={solveId ?? ''} onChange={(e) => setSolveId(e.target.value)}>
                  {!solve && <option value="">choose a solve run…</option>}
                  {doneSolves.map((s) => (
                    <option key={s.id} value={s.id}>
                      {solveTitle(s)}
                    </option>
                  ))}
                </select>
                {solve && m && (
                  <div className={cx('muted', styles.solveFacts)} data-testid="rb-solve-facts">
                    d = {m.d} assets · {m.J} option{m.J === 1 ? '' : 's'} · T = {fmtPlain(m.horizon)} y · N = {solveSteps(solve)} · book value {fmtSig(m.book.price, 5)} (money)
                  </div>
                )}
              </div>
            )}
          </section>
          {doneSolves.length > 0 && (
            <HedgeForm
              solve={solve?.status === 'done' ? solve : null}
              connected={connection.status === 'open'}
              onStarted={(id) => {
                setStarting(id);
                setActiveId(id);
                hedges.refresh();
              }}
            />
          )}
        </aside>
        <div className={styles.right}>
          <section className={cx('panel', styles.runsPanel)}>
            <div className="toolbar">
              <span className="panel-title-inline">Hedge runs</span>
              <span className="muted">{allSolves ? 'of every solve' : solve ? `of ${solve.config.book.name}` : ''}</span>
              <label className={styles.check}>
                <input type="checkbox" data-testid="rb-all-solves" checked={allSolves} onChange={(e) => setAllSolves(e.target.checked)} /> all solves
              </label>
              <span className="spacer" />
              {actionError && <span className="inline-error">{actionError}</span>}
              {hedges.error && <span className="inline-error">{hedges.error}</span>}
              <button type="button" className="small danger" data-testid="rb-delete" disabled={!deletable.length} onClick={() => setConfirmDelete(true)}>
                Delete{deletable.length ? ` (${deletable.length})` : ''}
              </button>
            </div>
            <HedgeRunsGrid runs={shown} activeId={activeId} onActivate={setActiveId} onSelectionChange={setSelected} />
          </section>
          <HedgeRunPanel
            key={active?.id ?? 'none'}
            run={active}
            starting={starting !== null}
            solve={active ? solves.runs.find((s) => s.id === active.config.solveRunId) : undefined}
            progress={active ? hedges.progress[active.id] : undefined}
            detail={active ? hedges.details[active.id] : undefined}
            siblings={hedges.runs}
          />
        </div>
      </main>
      <main className={styles.main} hidden={mode !== 'compare'} data-testid="rb-compare-mode">
        <aside className={styles.left}>
          <CompareLauncher
            connectionOpens={connection.opens}
            connected={connection.status === 'open'}
            solves={solves.runs}
            solveRunId={solveId}
            onStarted={(g) => {
              setGroupId(g);
              comparisons.refresh();
              solves.refresh();
              hedges.refresh();
            }}
          />
        </aside>
        <div className={styles.right}>
          <section className={cx('panel', styles.cmpListPanel)}>
            <div className="toolbar">
              <span className="panel-title-inline">Comparisons</span>
            </div>
            <ComparisonsList comparisons={comparisons.data} error={comparisons.error} activeId={groupId} onSelect={setGroupId} />
          </section>
          <section className={cx('panel', styles.cmpPanel)}>
            {groupId ? (
              <ComparisonDetail key={groupId} connectionOpens={connection.opens} groupId={groupId} solves={solves.runs} solveProgress={solves.progress} onOpenRun={openRun} />
            ) : (
              <div className="empty">Pick a comparison above, or start one on the left.</div>
            )}
          </section>
        </div>
      </main>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete hedge runs"
          message={`Delete ${deletable.length} hedge run${deletable.length === 1 ? '' : 's'} and their PnL samples? Runs still in progress must be cancelled first.`}
          confirmText="Delete"
          danger
          onConfirm={() => void remove()}
          onCancel={() => setConfirmDelete(false)}
        />
      )}
      {mode === 'heston' && <HestonHedgeSection connectionOpens={connection.opens} />}
    </>
  );
}
