import { useEffect, useState } from 'react';
import { type PnlDistribution } from '../../src-shared/api/runs';
import { appErrorOf, call } from '../ipc/client';

/** Finished runs' samples never change, so distributions are cached by the run ids they cover. */
const cache = new Map<string, PnlDistribution>();
const MAX_CACHED = 40;

export interface DistributionState {
  data: PnlDistribution | null;
  loading: boolean;
  error: string | null;
}

/** 'runs-distribution' for `runIds` (null = nothing to fetch). */
export function useDistribution(runIds: string[] | null, bins?: number): DistributionState {
  const key = runIds && runIds.length > 0 ? `${runIds.join(',')}|${bins ?? ''}` : null;
  const [state, setState] = useState<DistributionState>(() => ({
    data: key ? (cache.get(key) ?? null) : null,
    loading: false,
    error: null,
  }));

  useEffect(() => {
    if (!key || !runIds) {
      setState({ data: null, loading: false, error: null });
      return;
    }
    const hit = cache.get(key);
    if (hit) {
      setState({ data: hit, loading: false, error: null });
      return;
    }
    let live = true;
    setState({ data: null, loading: true, error: null });
    call('runs-distribution', bins ? { runIds, bins } : { runIds })
      .then((d) => {
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
        cache.set(key, d);
        if (live) setState({ data: d, loading: false, error: null });
      })
      .catch((e) => live && setState({ data: null, loading: false, error: appErrorOf(e).message }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` captures runIds and bins
  }, [key]);

  return state;
}

/** Forget cached distributions of deleted runs. */
export function forgetDistributions(runIds: string[]): void {
  for (const k of [...cache.keys()]) if (runIds.some((id) => k.includes(id))) cache.delete(k);
}
