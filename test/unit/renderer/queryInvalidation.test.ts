import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { type EventName, type Events } from '../../../src-shared/api/contract';
import { queryKeys } from '../../../src-renderer/app/queryKeys';
import { PROGRESS_REFETCH_MS, connectQueryInvalidation, invalidationsFor } from '../../../src-renderer/app/queryInvalidation';
import { type ConnectionState } from '../../../src-renderer/ipc/client';

function fakeSource() {
  const subs = new Map<string, Set<(p: unknown) => void>>();
  const states = new Set<(s: ConnectionState) => void>();
  let state: ConnectionState = { transport: 'browser', status: 'open', attempts: 0, retryAt: null, queued: 0, opens: 1 };
  return {
    subscribe<E extends EventName>(event: E, cb: (p: Events[E]) => void) {
      const set = subs.get(event) ?? new Set();
      set.add(cb as (p: unknown) => void);
      subs.set(event, set);
      return () => set.delete(cb as (p: unknown) => void);
    },
    onConnectionState(cb: (s: ConnectionState) => void) {
      states.add(cb);
      return () => states.delete(cb);
    },
    getConnectionState: () => state,
    push<E extends EventName>(event: E, p: Events[E]) {
      subs.get(event)?.forEach((cb) => cb(p));
    },
    setState(patch: Partial<ConnectionState>) {
      state = { ...state, ...patch };
      states.forEach((cb) => cb(state));
    },
  };
}

const stale = (client: QueryClient, key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated ?? null;

function seeded(): QueryClient {
  const client = new QueryClient();
  for (const key of [queryKeys.runs(['hedge']), queryKeys.runs(['qlbs', 'qlbs-sweep']), queryKeys.comparisons, queryKeys.experiment('g1'), queryKeys.pathSets, queryKeys.books, queryKeys.systemInfo]) {
    client.setQueryData(key, []);
  }
  return client;
}

describe('run events -> query invalidations (one map)', () => {
  it('a run created elsewhere (runs-changed) makes every run list, comparisons, experiments, path sets and books stale, not system info', () => {
    const client = seeded();
    const src = fakeSource();
    connectQueryInvalidation(client, src);
    src.push('runs-changed', { runIds: ['r1'] });
    expect(stale(client, queryKeys.runs(['hedge']))).toBe(true);
    expect(stale(client, queryKeys.runs(['qlbs', 'qlbs-sweep']))).toBe(true);
    expect(stale(client, queryKeys.comparisons)).toBe(true);
    expect(stale(client, queryKeys.experiment('g1'))).toBe(true);
    expect(stale(client, queryKeys.pathSets)).toBe(true);
    expect(stale(client, queryKeys.books)).toBe(true);
    expect(stale(client, queryKeys.systemInfo)).toBe(false);
  });

  it('finish, fail and cancel also mark the run itself stale', () => {
    for (const e of ['run-finished', 'run-failed', 'run-cancelled'] as const) {
      expect(invalidationsFor(e, { runId: 'r9' } as Events[typeof e])).toContainEqual(queryKeys.run('r9'));
    }
  });

  it('progress refetches the run lists at most every PROGRESS_REFETCH_MS', () => {
    const client = seeded();
    const src = fakeSource();
    let t = 10_000;
    connectQueryInvalidation(client, src, () => t);
    const progress = { runId: 'r1', done: 1, total: 10, etaMs: null, elapsedMs: 5 };
    src.push('run-progress', progress);
    expect(stale(client, queryKeys.runs(['hedge']))).toBe(true);
    client.setQueryData(queryKeys.runs(['hedge']), []);
    t += PROGRESS_REFETCH_MS - 1;
    src.push('run-progress', progress);
    expect(stale(client, queryKeys.runs(['hedge']))).toBe(false);
    t += 1;
    src.push('run-progress', progress);
    expect(stale(client, queryKeys.runs(['hedge']))).toBe(true);
  });

  it('system-changed replaces the system info; a reconnection makes everything stale', () => {
    const client = seeded();
    const src = fakeSource();
    connectQueryInvalidation(client, src);
    const info = { appVersion: 't', tensorBackend: 'wasm', backendNotes: [], dataDir: '/d', transport: 'browser', platform: 'x', cpus: 2 } as Events['system-changed'];
    src.push('system-changed', info);
    expect(client.getQueryData(queryKeys.systemInfo)).toEqual(info);
    src.setState({ status: 'reconnecting' });
    expect(stale(client, queryKeys.books)).toBe(false);
    src.setState({ status: 'open', opens: 2 });
    expect(stale(client, queryKeys.books)).toBe(true);
    expect(stale(client, queryKeys.systemInfo)).toBe(true);
  });

  it('cluster-changed replaces the Compute control\'s cluster state and leaves the run lists alone', () => {
    const client = seeded();
    const src = fakeSource();
    connectQueryInvalidation(client, src);
    const info: Events['cluster-changed'] = { compute: 'cluster', effective: 'cluster', where: 'redis://h:6379', fromEnv: false, hasPassword: true, tls: false, insecure: false, connecting: false, connected: true, workers: 2, waiting: 0, active: 1 };
    src.push('cluster-changed', info);
    expect(client.getQueryData(queryKeys.cluster)).toEqual(info);
    expect(stale(client, queryKeys.runs(['hedge']))).toBe(false);
  });
});
