import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isTerminal } from '../../../src-shared/api/runs';
import { type QlbsConfig } from '../../../src-shared/qlbs/config';
import { type ViewProps } from '../../app/views';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { appErrorOf, call } from '../../ipc/client';
import { forgetQlbsReads } from './QlbsCharts';
import { QlbsForm } from './QlbsForm';
import { QlbsRunPanel } from './QlbsRunPanel';
import { QlbsRunsGrid } from './QlbsRunsGrid';
import { QlbsSweepPanel } from './QlbsSweepPanel';
import { type QlbsAnyRun, type QlbsRun, type QlbsSweepRun, isQlbsRun, isQlbsSweep, useQlbsRuns } from './useQlbsRuns';
import styles from './qlbs.module.css';
import { cx } from '../../styles/cx';

type Tab = 'run' | 'sweeps';

/**
 * QLBS pricing and hedging: the run form (left); the selected run's prices and charts or the sweeps (top
 * right, two tabs); the stored QLBS runs and sweeps (bottom right).
 */
export function QlbsView({ connection }: ViewProps) {
  const { runs, loaded, error: runsError, progress, details, refresh } = useQlbsRuns(connection.opens);
  const [tab, setTab] = useState<Tab>('run');
  const [activeRunId, setActiveRunId] = useState<string | null>(null);
  const [sweepId, setSweepId] = useState<string | null>(null);
  const [justStarted, setJustStarted] = useState<string | null>(null);
  const [prefill, setPrefill] = useState<{ config: QlbsConfig; nonce: number } | null>(null);
  const [formConfig, setFormConfig] = useState<QlbsConfig | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const autoSelected = useRef(false);

  const byId = useMemo(() => new Map(runs.map((r) => [r.id, r])), [runs]);
  const singleRuns = useMemo(() => runs.filter(isQlbsRun), [runs]);
  const sweeps = useMemo(() => runs.filter(isQlbsSweep), [runs]);

  // On open: the latest finished run and the latest sweep.
  useEffect(() => {
    if (!loaded || autoSelected.current) return;
    autoSelected.current = true;
    const done = singleRuns.find((r) => r.status === 'done') ?? singleRuns[0];
    if (done && activeRunId === null) setActiveRunId(done.id);
    if (sweeps[0] && sweepId === null) setSweepId(sweeps[0].id);
  }, [loaded, singleRuns, sweeps, activeRunId, sweepId]);
  useEffect(() => {
    if (justStarted && byId.has(justStarted)) setJustStarted(null);
  }, [justStarted, byId]);


  const activeRun = activeRunId ? (byId.get(activeRunId) as QlbsRun | undefined) ?? null : null;
  const selectedExisting = selected.filter((id) => byId.has(id));

  const onStarted = useCallback(
    (runId: string) => {
      setJustStarted(runId);
      setActiveRunId(runId);
      setTab('run');
      refresh();
    },
    [refresh],
  );
  const onSweepSelect = useCallback(
    (id: string | null) => {
      setSweepId(id);
      refresh();
    },
    [refresh],
  );
  const activate = useCallback((r: QlbsAnyRun) => {
    if (r.kind === 'qlbs-sweep') {
      setSweepId(r.id);
      setTab('sweeps');
    } else {
      setActiveRunId(r.id);
      setTab('run');
    }
  }, []);

  const doDelete = async (): Promise<void> => {
    setConfirmDelete(false);
    const ids = selectedExisting;
    if (ids.length === 0) return;
    setActionError(null);
    try {
      await call('runs-delete', { runIds: ids });
      forgetQlbsReads(ids);
      if (activeRunId && ids.includes(activeRunId)) setActiveRunId(null);
      if (sweepId && ids.includes(sweepId)) setSweepId(null);
      setSelected([]);
    } catch (e) {
      setActionError(appErrorOf(e).message);
    } finally {
      refresh();
    }
  };

  return (
    <>
      <main className="app-main">
        <aside className="left-panel">
          <QlbsForm onStarted={onStarted} prefill={prefill} onConfigChange={setFormConfig} connected={connection.status === 'open'} />
        </aside>
        <div className="right-panel">
          <div className={styles.tabs} role="tablist">
            <button type="button" role="tab" aria-selected={tab === 'run'} className={cx(styles.tab, tab === 'run' && styles.active)} data-testid="qlbs-tab-run" onClick={() => setTab('run')}>
              Run result
            </button>
            <button type="button" role="tab" aria-selected={tab === 'sweeps'} className={cx(styles.tab, tab === 'sweeps' && styles.active)} data-testid="qlbs-tab-sweeps" onClick={() => setTab('sweeps')}>
              Sweeps{sweeps.some((s) => !isTerminal(s.status)) ? ' (running)' : ''}
            </button>
            <span className="spacer" />
            <span className={cx('muted', styles.tabsNote)}>QLBS: Halperin's Q-learner in the Black-Scholes world · prices in money</span>
          </div>
          <div className={cx('top-area', styles.top)}>
            {tab === 'run' ? (
              <QlbsRunPanel
                run={activeRun}
                missing={activeRunId !== null && !activeRun ? (activeRunId === justStarted ? 'starting' : 'gone') : null}
                progress={activeRunId ? progress[activeRunId] : undefined}
                onLoadIntoForm={(r) => setPrefill({ config: { ...r.config, label: r.label || undefined }, nonce: Date.now() })}
              />
            ) : (
              <QlbsSweepPanel
                sweeps={sweeps as QlbsSweepRun[]}
                selectedId={sweepId}
                onSelect={onSweepSelect}
                base={formConfig}
                progress={progress}
                details={details}
                connected={connection.status === 'open'}
              />
            )}
          </div>
          <section className={cx('panel', 'runs-panel', styles.runsPanel)}>
            <div className="toolbar">
              <span className="panel-title-inline">QLBS runs and sweeps</span>
              <span className="muted" data-testid="qlbs-runs-count">
                {runs.length} stored{selectedExisting.length > 0 ? ` · ${selectedExisting.length} selected` : ''}
              </span>
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
              <button type="button" className="small" onClick={refresh} title="Reload the list">
                Refresh
              </button>
              <button type="button" className="small danger" data-testid="qlbs-delete-button" disabled={selectedExisting.length === 0} onClick={() => setConfirmDelete(true)}>
                Delete selected
              </button>
            </div>
            <QlbsRunsGrid runs={runs} activeId={tab === 'run' ? activeRunId : sweepId} onActivate={activate} onSelectionChange={setSelected} />
          </section>
        </div>
      </main>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete QLBS runs"
          message={`Delete ${selectedExisting.length} selected run${selectedExisting.length === 1 ? '' : 's'} and ${selectedExisting.length === 1 ? 'its' : 'their'} stored arrays? This cannot be undone.`}
          confirmText="Delete"
          danger
          onConfirm={() => void doDelete()}
          onCancel={() => setConfirmDelete(false)}
        />
      )}
    </>
  );
}
