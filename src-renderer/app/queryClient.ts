import { QueryClient } from '@tanstack/react-query';

/**
 * The renderer's one query cache. Data is fresh until an event says otherwise (staleTime Infinity): the host
 * pushes every change it makes or notices (runs-changed, run-finished, …) and queryInvalidation.ts turns
 * those into invalidations, so no view polls and no view refetches on focus. Failed reads are not retried
 * blindly: calls already wait for the connection, and an AppError (bad input, missing run) will not heal.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false, retry: false },
      mutations: { retry: false },
    },
  });
}
