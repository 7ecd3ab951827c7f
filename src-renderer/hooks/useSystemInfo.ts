import { useEffect, useState } from 'react';
import { type SystemInfo } from '../../src-shared/api/contract';
import { call } from '../ipc/client';
import { useRpcEvent } from './useRpcEvent';

/** SystemInfo from 'system-info', kept current by 'system-changed'; refetched after each (re)connect. */
export function useSystemInfo(connectionOpens: number): { info: SystemInfo | null; error: string | null } {
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (connectionOpens === 0) return;
    let live = true;
    call('system-info', {})
      .then((i) => {
        if (live) {
          setInfo(i);
          setError(null);
        }
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [connectionOpens]);
  useRpcEvent('system-changed', (i) => setInfo(i));
  return { info, error };
}
