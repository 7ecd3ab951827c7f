import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../ipc/client';
import { useRpcEvent } from './useRpcEvent';

export interface RunCount {
  /** Runs in the store, every kind and status (null until the first answer). */
  runs: number | null;
  /** Of which queued or running. */
  active: number;
}

/**
 * The number of stored runs, from the store's own count ('runs-count'), not from the length of whichever
 * lists the open tabs happen to hold. Fetched on every (re)connect and on every event that can change it
 * (created, deleted, finished, failed, cancelled); refetches never overlap.
 */
export function useRunCount(connectionOpens: number): RunCount {
  const [count, setCount] = useState<RunCount>({ runs: null, active: 0 });
  const inFlight = useRef(false);
  const again = useRef(false);

  const refresh = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    call('runs-count', {})
      .then((c) => setCount(c))
      .catch(() => undefined)
      .finally(() => {
        inFlight.current = false;
        if (again.current) {
          again.current = false;
          refresh();
        }
      });
  }, []);

  useEffect(() => {
    if (connectionOpens > 0) refresh();
  }, [connectionOpens, refresh]);
  useRpcEvent('runs-changed', refresh);
  useRpcEvent('run-finished', refresh);
  useRpcEvent('run-failed', refresh);
  useRpcEvent('run-cancelled', refresh);
  return count;
}
