/**
 * Every server-state query key of the renderer, in one place, so the invalidation module (queryInvalidation.ts)
 * and the hooks agree. Keys are arrays; invalidating a prefix (e.g. `['runs']`) refetches every list under it.
 */
export const queryKeys = {
  /** Run lists: `['runs', ...kinds]` (one query per set of kinds a view shows). */
  runsAll: ['runs'] as const,
  runs: (kinds: readonly string[]) => ['runs', ...kinds] as const,
  /** The store's count of runs (status bar), under the run lists' prefix so the same events refetch it. */
  runCount: ['runs', '#count'] as const,
  /** One stored run with its arrays. */
  run: (runId: string) => ['run', runId] as const,
  /** Rebalancing comparisons (groups of hedge runs). */
  comparisons: ['comparisons'] as const,
  /** Order-book data sets and path sets. */
  orderbookAll: ['orderbook'] as const,
  datasets: ['orderbook', 'datasets'] as const,
  pathSets: ['orderbook', 'path-sets'] as const,
  /** Deep hedging experiments (groups of runs): the list, and one experiment's detail under it. */
  experimentsAll: ['hedging', 'experiments'] as const,
  experiment: (groupId: string) => ['hedging', 'experiments', groupId] as const,
  /** Portfolio books (the list shows each book's run count). */
  books: ['portfolio', 'books'] as const,
  systemInfo: ['system-info'] as const,
  /** Where jobs compute (this machine or the cluster) and the cluster's state; 'cluster-changed' replaces it. */
  cluster: ['cluster'] as const,
};
