import { useSyncExternalStore } from 'react';
import { type ConnectionState, getConnectionState, onConnectionState } from '../ipc/client';

/** The transport's connection state (re-renders on change). */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(onConnectionState, getConnectionState);
}
