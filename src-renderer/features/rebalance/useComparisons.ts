import { useCallback, useEffect, useRef, useState } from 'react';
import { type HedgeComparison } from '../../../src-shared/bsde/hedge';
import { useRpcEvent } from '../../hooks/useRpcEvent';
import { appErrorOf, call } from '../../ipc/client';

/** Minimum spacing of refetches caused by run events (a comparison's cells finish in bursts). */
const THROTTLE_MS = 1000;

/**
 * A value fetched by `fetch`, refetched on every (re)connect and change of `key` (null: nothing to fetch), when
 * `refresh()` is called, and (throttled, never overlapping) on run events that `relevant` accepts.
 */
function useLive<T>(connectionOpens: number, key: string | null, fetch: () => Promise<T>, relevant: (runId: string) => boolean): { data: T | null; error: string | null; loading: boolean; refresh(): void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const inFlight = useRef(false);
  const again = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef(0);
  const f = useRef(key === null ? null : fetch);
  f.current = key === null ? null : fetch;
  const keyRef = useRef(key);
  keyRef.current = key;
  const rel = useRef(relevant);
  rel.current = relevant;
  const live = useRef(true);

  const refresh = useCallback(() => {
    const go = f.current;
    if (!go) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    last.current = Date.now();
    setLoading(true);
    const asked = keyRef.current;
    go()
      .then((d) => {
        if (!live.current || asked !== keyRef.current) return;
        setData(d);
        setError(null);
      })
      .catch((e) => live.current && asked === keyRef.current && setError(appErrorOf(e).message))
      .finally(() => {
        inFlight.current = false;
        if (live.current) setLoading(false);
        if (again.current) {
          again.current = false;
          refresh();
        }
      });
  }, []);

  const soon = useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, THROTTLE_MS - (Date.now() - last.current));
    timer.current = setTimeout(() => {
      timer.current = null;
      refresh();
    }, wait);
  }, [refresh]);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  useEffect(() => {
    setData(null);
    setError(null);
    if (connectionOpens > 0 && key !== null) refresh();
  }, [connectionOpens, key, refresh]);

  useRpcEvent('runs-changed', () => soon());
  useRpcEvent('run-finished', (e) => rel.current(e.runId) && soon());
  useRpcEvent('run-failed', (e) => rel.current(e.runId) && soon());
  useRpcEvent('run-cancelled', (e) => rel.current(e.runId) && soon());
  return { data, error, loading, refresh };
}

const anyRun = (): boolean => true;

/** Every stored comparison ('bsde-comparisons-list'), kept current while its runs finish. */
export function useComparisons(connectionOpens: number) {
  const fetch = useCallback(() => call('bsde-comparisons-list', {}), []);
  return useLive<HedgeComparison[]>(connectionOpens, 'all', fetch, anyRun);
}

/** One comparison ('bsde-compare-get'), refetched when one of its runs (cells or solves) ends. */
export function useComparison(connectionOpens: number, groupId: string | null) {
  const fetch = useCallback(() => call('bsde-compare-get', { groupId: groupId! }), [groupId]);
  const ids = useRef(new Set<string>());
  const state = useLive<HedgeComparison>(connectionOpens, groupId, fetch, (runId) => ids.current.has(runId));
  useEffect(() => {
    ids.current = new Set([...(state.data?.cells.map((c) => c.runId) ?? []), ...(state.data?.solveRunIds ?? [])]);
  }, [state.data]);
  return state;
}
