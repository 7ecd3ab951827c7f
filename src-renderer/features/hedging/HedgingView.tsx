import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type HedgeConfig, type HedgeRunConfig, isTrainedModel } from '../../../src-shared/hedging/config';
import { type RunSummary } from '../../../src-shared/api/runs';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { type ViewProps } from '../../app/views';
import { HedgeForm } from './HedgeForm';
import { ComparisonPanel } from './ComparisonPanel';
import { TrainedRunPanel } from './TrainedRunPanel';
import { ActiveRunPanel } from '../runs/ActiveRunPanel';
import { CompareView } from '../runs/CompareView';
import { RunsGrid } from '../runs/RunsGrid';
import { forgetDistributions } from '../../hooks/useDistribution';
import { useRuns } from '../../hooks/useRuns';
import { appErrorOf, call } from '../../ipc/client';
import { initialRun, listedRuns, resumeLinks } from './runSelection';

const MAX_COMPARE = 12;

/** The most recently finished run that has results (the example run on a fresh data directory). */
export function HedgingView({ connection }: ViewProps) {
  const queryClient = useQueryClient();
  const { runs, loaded, error: runsError, progress, refresh } = useRuns(connection.opens);
  const [activeRunId, setActiveRunId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [compareIds, setCompareIds] = useState<string[] | null>(null);
  /** A comparison of the four hedgers ('hedging-compare') shown together. */
  const [comparisonGroup, setComparisonGroup] = useState<string | null>(null);
  const [prefill, setPrefill] = useState<{ config: HedgeConfig; nonce: number } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  /** Experiment runs are listed in the Experiments tab; here only when asked for. */
  const [showExperimentRuns, setShowExperimentRuns] = useState(false);
  const listed = useMemo(() => listedRuns(runs, showExperimentRuns), [runs, showExperimentRuns]);
  const hiddenExperimentRuns = runs.length - listed.length;
  const autoSelected = useRef(false);
  /** A run just started from the form, until the list shows it (the panel says "Starting run…" meanwhile). */
  const [justStarted, setJustStarted] = useState<string | null>(null);

  // On open (and after a reload): the run still running if there is one, else the most recent finished.
  useEffect(() => {
    if (!loaded || autoSelected.current) return;
    autoSelected.current = true;
    if (activeRunId === null) setActiveRunId(initialRun(listed)?.id ?? null);
  }, [loaded, listed, activeRunId]);

  const byId = useMemo(() => new Map(runs.map((r) => [r.id, r])), [runs]);
  const activeRun = activeRunId ? (byId.get(activeRunId) ?? null) : null;
  useEffect(() => {
    if (justStarted && byId.has(justStarted)) setJustStarted(null);
  }, [justStarted, byId]);
  const compareRuns = useMemo(
    () => (compareIds ? compareIds.map((id) => byId.get(id)).filter((r): r is RunSummary => !!r) : []),
    [compareIds, byId],
  );
  const selectedExisting = selected.filter((id) => byId.has(id));

  const activate = useCallback((runId: string) => {
    setActiveRunId(runId);
    setCompareIds(null);
    setComparisonGroup(null);
  }, []);

  const onCompared = useCallback(
    (groupId: string, runIds: string[]) => {
      setActiveRunId(runIds[runIds.length - 1] ?? null);
      setCompareIds(null);
      setComparisonGroup(groupId);
      refresh();
    },
    [refresh],
  );
  const comparisonRuns = useMemo(() => (comparisonGroup ? runs.filter((r) => r.groupId === comparisonGroup) : []), [runs, comparisonGroup]);
  /** The comparison the active run belongs to (not an experiment: those have their own view). */
  const activeGroup =
    activeRun && activeRun.groupId && !(activeRun.config as HedgeRunConfig).experimentSlot && runs.some((r) => r.groupId === activeRun.groupId && r.id !== activeRun.id)
      ? activeRun.groupId
      : null;

  const onStarted = useCallback(
    (runId: string) => {
      setJustStarted(runId);
      activate(runId);
      refresh();
    },
    [activate, refresh],
  );

  const doDelete = async (): Promise<void> => {
    setConfirmDelete(false);
    const ids = selectedExisting;
    if (ids.length === 0) return;
    setActionError(null);
    try {
      await call('runs-delete', { runIds: ids });
      forgetDistributions(queryClient, ids);
      if (activeRunId && ids.includes(activeRunId)) setActiveRunId(null);
      if (compareIds && compareIds.some((id) => ids.includes(id))) setCompareIds(null);
      setSelected([]);
    } catch (e) {
      setActionError(appErrorOf(e).message);
    } finally {
      refresh();
    }
  };

  const canCompare = selectedExisting.length >= 2 && selectedExisting.length <= MAX_COMPARE;

  return (
    <>
      <main className="app-main">
        <aside className="left-panel">
          <HedgeForm onStarted={onStarted} onCompared={onCompared} prefill={prefill} connected={connection.status === 'open'} />
        </aside>
        <div className="right-panel">
          <div className="top-area">
            {compareIds ? (
              <CompareView runs={compareRuns} onClose={() => setCompareIds(null)} onActivate={activate} />
            ) : comparisonGroup ? (
              <ComparisonPanel groupId={comparisonGroup} runs={comparisonRuns} progress={progress} onActivate={activate} onClose={() => setComparisonGroup(null)} />
            ) : activeRun && isTrainedModel(activeRun.model) ? (
              <TrainedRunPanel
                run={activeRun}
                progress={progress[activeRun.id]}
                onLoadIntoForm={(r) => setPrefill({ config: { ...r.config, label: r.label || undefined }, nonce: Date.now() })}
                onStarted={onStarted}
                links={resumeLinks(runs, activeRun)}
                onOpenRun={activate}
                onShowComparison={activeGroup ? () => setComparisonGroup(activeGroup) : undefined}
              />
            ) : (
              <ActiveRunPanel
                run={activeRun}
                missing={activeRunId !== null && !activeRun ? (activeRunId === justStarted ? 'starting' : 'gone') : null}
                progress={activeRunId ? progress[activeRunId] : undefined}
                onLoadIntoForm={(r) => setPrefill({ config: { ...r.config, label: r.label || undefined }, nonce: Date.now() })}
              />
            )}
          </div>
          <section className="panel runs-panel">
            <div className="toolbar">
              <span className="panel-title-inline">Runs</span>
              <span className="muted" data-testid="runs-count">
                {runs.length} stored{hiddenExperimentRuns > 0 ? ` · ${hiddenExperimentRuns} experiment runs hidden` : ''}
                {selectedExisting.length > 0 ? ` · ${selectedExisting.length} selected` : ''}
              </span>
              <label className="muted" title="Runs made by experiment presets (Experiments tab) are left out of this list unless ticked">
                <input type="checkbox" data-testid="show-experiment-runs" checked={showExperimentRuns} onChange={(e) => setShowExperimentRuns(e.target.checked)} /> show experiment runs
              </label>
              {runsError && (
                <span className="inline-error" role="alert">
                  {runsError}
                </span>
              )}
              {actionError && (
                <span className="inline-error" role="alert">
                  {actionError}
                </span>
              )}
              <span className="spacer" />
              <button type="button" className="small" onClick={refresh} title="Reload the runs list">
                Refresh
              </button>
              <button
                type="button"
                className="small primary"
                data-testid="compare-button"
                disabled={!canCompare}
                title={selectedExisting.length > MAX_COMPARE ? `At most ${MAX_COMPARE} runs` : 'Tick two or more runs'}
                onClick={() => setCompareIds(selectedExisting)}
              >
                Compare selected{selectedExisting.length >= 2 ? ` (${selectedExisting.length})` : ''}
              </button>
              <button
                type="button"
                className="small danger"
                data-testid="delete-button"
                disabled={selectedExisting.length === 0}
                onClick={() => setConfirmDelete(true)}
              >
                Delete selected
              </button>
            </div>
            <RunsGrid runs={listed} activeRunId={compareIds ? null : activeRunId} onActivate={activate} onSelectionChange={setSelected} />
          </section>
        </div>
      </main>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete runs"
          message={
            selectedExisting.length === 1
              ? 'Delete 1 selected run and its stored PnL sample? This cannot be undone.'
              : `Delete ${selectedExisting.length} selected runs and their stored PnL samples? This cannot be undone.`
          }
          confirmText="Delete"
          danger
          onConfirm={() => void doDelete()}
          onCancel={() => setConfirmDelete(false)}
        />
      )}
    </>
  );
}
