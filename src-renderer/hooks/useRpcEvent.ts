import { useEffect, useEffectEvent } from 'react';
import { type EventName, type Events } from '../../src-shared/api/contract';
import { subscribe } from '../ipc/client';

/** Run `cb` on every pushed `event` while the component is mounted (always the latest `cb`). */
export function useRpcEvent<E extends EventName>(event: E, cb: (payload: Events[E]) => void): void {
  const onEvent = useEffectEvent(cb);
  useEffect(() => subscribe(event, (p) => onEvent(p)), [event]);
}
