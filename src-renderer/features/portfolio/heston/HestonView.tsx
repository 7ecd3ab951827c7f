import { type ReactNode, useState } from 'react';
import { HestonForm } from './HestonForm';
import { HestonPanel } from './HestonPanel';
import { useHestonRuns } from './useHestonRuns';
import portfolio from '../portfolio.module.css';
import styles from './heston.module.css';

/**
 * The Portfolio tab with the market "Heston (one asset)": the market, claim and solve form on the left, the
 * Heston solve runs and their results (beside the PDE reference) on the right.
 */
export function HestonView({ connectionOpens, connected, marketChoice }: { connectionOpens: number; connected: boolean; marketChoice: ReactNode }) {
  const { runs, progress, refresh } = useHestonRuns(connectionOpens);
  const [runId, setRunId] = useState<string | null>(null);
  const [starting, setStarting] = useState<string | null>(null);
  const pendingStart = starting !== null && !runs.some((r) => r.id === starting);
  const shownRunId = (runId && runs.some((r) => r.id === runId)) || pendingStart ? runId : (runs.find((r) => r.status === 'done')?.id ?? runs[0]?.id ?? null);
  return (
    <main className={portfolio.main} data-testid="heston-view">
      <aside className={portfolio.left}>
        {marketChoice}
        <div className={styles.formWrap}>
          <HestonForm
            connected={connected}
            onStarted={(id) => {
              setStarting(id);
              setRunId(id);
              refresh();
            }}
          />
        </div>
      </aside>
      <div className={portfolio.right}>
        <HestonPanel runs={runs} runId={shownRunId} onSelect={setRunId} progress={progress} starting={pendingStart} />
      </div>
    </main>
  );
}
