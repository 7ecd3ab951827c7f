import { useEffect, useSyncExternalStore } from 'react';
import { type EpochRecord, type HedgeEpochDetail } from '../../../src-shared/hedging/config';
import { call, subscribe } from '../../ipc/client';

/**
 * Live training state of every trained run this window has seen: the per-epoch records (training loss,
 * entropic loss and ES90 on the live test paths) and the latest epoch's histogram, fed by the 'run-progress'
 * events a training job pushes once per epoch (`HedgeEpochDetail`). A run opened mid-training first loads
 * what its last checkpoint recorded ('hedging-history'), then follows the events.
 */
export interface TrainingLive {
  history: EpochRecord[];
  last: HedgeEpochDetail | null;
  loaded: boolean;
}

const EMPTY: TrainingLive = { history: [], last: null, loaded: false };
const store = new Map<string, TrainingLive>();
const listeners = new Set<() => void>();
const requested = new Set<string>();
let version = 0;
let subscribed = false;

function emit(): void {
  version++;
  listeners.forEach((l) => l());
}

function merge(history: EpochRecord[], more: EpochRecord[]): EpochRecord[] {
  const byEpoch = new Map(history.map((h) => [h.epoch, h]));
  for (const h of more) byEpoch.set(h.epoch, h);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

function ensureSubscribed(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('run-progress', (ev) => {
    const d = ev.detail as HedgeEpochDetail | undefined;
    if (!d || d.kind !== 'hedge-epoch') return;
    const cur = store.get(ev.runId) ?? EMPTY;
    store.set(ev.runId, { history: merge(cur.history, [d.record]), last: d, loaded: cur.loaded });
    emit();
  });
}

/** Load a run's recorded history once (again when `refreshKey` changes, e.g. after it finished). */
function load(runId: string, refreshKey: string): void {
  const key = `${runId}|${refreshKey}`;
  if (requested.has(key)) return;
  requested.add(key);
  call('hedging-history', { runId })
    .then((r) => {
      const cur = store.get(runId) ?? EMPTY;
      store.set(runId, { history: merge(r.history, cur.history), last: cur.last ?? r.last, loaded: true });
      emit();
    })
    .catch(() => {
      const cur = store.get(runId) ?? EMPTY;
      store.set(runId, { ...cur, loaded: true });
      emit();
    });
}

const subscribeStore = (l: () => void): (() => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** Live training state of several runs (stable identity until something changes). */
export function useTrainingLive(runIds: string[], refreshKey = ''): Record<string, TrainingLive> {
  ensureSubscribed();
  const ids = runIds.join(',');
  useEffect(() => {
    for (const id of ids ? ids.split(',') : []) load(id, refreshKey);
  }, [ids, refreshKey]);
  useSyncExternalStore(subscribeStore, () => version);
  const out: Record<string, TrainingLive> = {};
  for (const id of runIds) out[id] = store.get(id) ?? EMPTY;
  return out;
}
