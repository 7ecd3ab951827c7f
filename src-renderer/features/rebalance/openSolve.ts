import { useEffect, useRef } from 'react';

/**
 * Other views ask the Rebalancing view to open a solve run ("Hedge along paths" on a finished solve in the
 * Portfolio view): the request is kept until the view takes it (it mounts on its first visit) and also sent
 * as a window event (when it is already mounted); the address hash switches the tab.
 */
const EVENT = 'rebalance-open-solve';
let pending: string | null = null;

export function openSolveInRebalancing(solveRunId: string): void {
  pending = solveRunId;
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: solveRunId }));
  window.location.hash = '#rebalance';
}

/** Calls `onOpen` with every solve run id other views ask to open (and one asked before mounting). */
export function useOpenSolveRequests(onOpen: (solveRunId: string) => void): void {
  const cb = useRef(onOpen);
  cb.current = onOpen;
  useEffect(() => {
    const take = (): void => {
      if (pending === null) return;
      const id = pending;
      pending = null;
      cb.current(id);
    };
    take();
    window.addEventListener(EVENT, take);
    return () => window.removeEventListener(EVENT, take);
  }, []);
}
