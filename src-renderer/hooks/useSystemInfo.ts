import { useQuery } from '@tanstack/react-query';
import { type SystemInfo } from '../../src-shared/api/contract';
import { queryKeys } from '../app/queryKeys';
import { appErrorOf, call } from '../ipc/client';

/** SystemInfo from 'system-info' in the query cache; 'system-changed' replaces it (app/queryInvalidation.ts). */
export function useSystemInfo(_connectionOpens: number): { info: SystemInfo | null; error: string | null } {
  const q = useQuery({ queryKey: queryKeys.systemInfo, queryFn: () => call('system-info', {}) });
  return { info: q.data ?? null, error: q.error ? appErrorOf(q.error).message : null };
}
