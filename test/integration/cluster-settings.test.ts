import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterInfo } from '../../src-shared/cluster/contract';
import { type AnyRun } from '../../src-shared/api/runs';
import { startClusterWorker } from '../../src-main/cluster/worker';
import { clusterFile } from '../../src-main/domains/cluster/settings';
import { dispatch } from '../../src-main/host/dispatch';
import { createWorkstation, type Workstation } from '../../src-main/workstation';
import { SOURCE_WORKER, tempDir, testFilePolicy } from '../helpers/host';
import { freePort, startRedis } from '../helpers/redis';
import { startAclRedis, type AclRedis } from '../helpers/redisAcl';

/**
 * The Compute setting's handlers against a real redis-server (password-protected ACL user, the README's rule) and a
 * real worker (startClusterWorker, in this process): a wrong password, an unreachable port and (without the box) a
 * Redis that asks no password are refused with the
 * backend's error on the Redis URL field and nothing saved; the right password connects, the worker shows in the
 * status, a job goes to it and comes back into the store as a 'cluster' run; choosing this machine brings jobs back;
 * a restarted workstation reconnects the saved choice in the background.
 */

const open = (dataDir: string, resumeCluster = false): Promise<Workstation> =>
  createWorkstation({ dataDir, workerPath: SOURCE_WORKER, transport: 'browser', appVersion: 'test', probe: false, files: testFilePolicy(dataDir), resumeCluster, clusterQueue: QUEUE });

const QUEUE = `it-cluster-settings-${process.pid}`;
const SMALL = { model: 'bsdh', option: 'european', strike: 1, sigma: 0.1, drift: 0, cost: 0.002, days: 30, steps: 30, paths: 1000, seed: 3 } as const;

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const t0 = Date.now();
  let v = await read();
  while (!ok(v)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

async function runToEnd(ws: Workstation, label: string): Promise<AnyRun & { compute?: string }> {
  const r = await dispatch(ws.handlers, 1, 'hedging-start', { ...SMALL, label });
  if (!r.ok) throw new Error(r.error.message);
  const { runId } = r.result as { runId: string };
  return until(`run ${label} to end`, async () => ws.runs.get(runId)!, (run) => run.status !== 'queued' && run.status !== 'running', 60_000);
}

describe('cluster handlers on a real Redis', () => {
  let redis: AclRedis;
  let dataDir: string;
  let ws: Workstation | null = null;
  let ws2: Workstation | null = null;
  let worker: { close(): Promise<void> } | null = null;
  const events: ClusterInfo[] = [];

  beforeAll(async () => {
    redis = await startAclRedis();
    dataDir = tempDir('hw-cluster-it-');
    ws = await open(dataDir);
    ws.subscribe((event, payload) => {
      if (event === 'cluster-changed') events.push(payload as ClusterInfo);
    });
  });
  afterAll(async () => {
    await worker?.close();
    await ws?.close();
    await ws2?.close();
    await redis?.stop();
  });

  it('a wrong password is refused with CLUSTER_AUTH on the Redis URL, and nothing is saved', async () => {
    const r = await dispatch(ws!.handlers, 1, 'cluster-configure', { redisUrl: `redis://hedge@127.0.0.1:${redis.port}`, password: 'not-the-password', compute: 'cluster' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CLUSTER_AUTH');
    expect(r.error.fields?.[0]).toMatchObject({ field: 'redisUrl', value: `redis://hedge@127.0.0.1:${redis.port}` });
    expect(r.error.message).not.toContain('not-the-password');
    expect(existsSync(clusterFile(dataDir))).toBe(false);
    const s = await ws!.cluster.status();
    expect(s).toMatchObject({ compute: 'local', effective: 'local', connected: false });
  });

  it('a port where nothing listens is refused with CLUSTER_UNREACHABLE', async () => {
    const port = await freePort();
    const r = await dispatch(ws!.handlers, 1, 'cluster-configure', { redisUrl: `redis://hedge:pw@127.0.0.1:${port}`, compute: 'cluster' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CLUSTER_UNREACHABLE');
    expect(r.error.fields?.[0]?.field).toBe('redisUrl');
    expect(existsSync(clusterFile(dataDir))).toBe(false);
  });

  it('a Redis that asks no password is refused (CLUSTER_INSECURE) unless "allow a Redis without a password" is ticked', async () => {
    const open = await startRedis({ password: null });
    const dir = tempDir('hw-cluster-open-');
    const w = await createWorkstation({ dataDir: dir, workerPath: SOURCE_WORKER, transport: 'browser', appVersion: 'test', probe: false, files: testFilePolicy(dir), clusterQueue: QUEUE });
    try {
      const refused = await dispatch(w.handlers, 1, 'cluster-configure', { redisUrl: `redis://127.0.0.1:${open.port}`, compute: 'cluster' });
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.error.code).toBe('CLUSTER_INSECURE');
      expect(refused.error.fields?.[0]?.field).toBe('redisUrl');
      expect(existsSync(clusterFile(dir))).toBe(false);
      const allowed = await dispatch(w.handlers, 2, 'cluster-configure', { redisUrl: `redis://127.0.0.1:${open.port}`, insecure: true, compute: 'cluster' });
      expect(allowed.ok, allowed.ok ? '' : allowed.error.message).toBe(true);
      expect((allowed as { result: ClusterInfo }).result).toMatchObject({ connected: true, insecure: true, hasPassword: false });
    } finally {
      await w.close();
      await open.stop();
    }
  });

  it('the right password connects; the status counts the worker and never shows the password', async () => {
    const r = await dispatch(ws!.handlers, 1, 'cluster-configure', { redisUrl: `redis://hedge@127.0.0.1:${redis.port}`, password: redis.password, compute: 'cluster' });
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    const info = (r as { result: ClusterInfo }).result;
    expect(info).toMatchObject({ compute: 'cluster', effective: 'cluster', connected: true, workers: 0, where: `redis://hedge@127.0.0.1:${redis.port}`, hasPassword: true });
    expect(statSync(clusterFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(events.some((e) => e.connected)).toBe(true);

    worker = await startClusterWorker({ redisUrl: redis.url, concurrency: 1, queue: QUEUE, name: 'it-w1', log: () => {} });
    const s = await until('the worker on the queue', () => ws!.cluster.status(), (x) => x.workers === 1);
    expect(s.connected).toBe(true);
    const st = await dispatch(ws!.handlers, 2, 'cluster-status', {});
    expect(st.ok).toBe(true);
    expect(JSON.stringify(st)).not.toContain(redis.password);
    expect(JSON.stringify(events)).not.toContain(redis.password);
  });

  it('a job then runs on the cluster and its result lands in the store; this machine again brings jobs back', async () => {
    const onCluster = await runToEnd(ws!, 'it cluster run');
    expect(onCluster.status).toBe('done');
    expect(onCluster.compute).toBe('cluster');
    expect(ws!.runs.getArray(onCluster.id, 'pnl')?.length).toBe(SMALL.paths);

    const r = await dispatch(ws!.handlers, 3, 'cluster-configure', { compute: 'local' });
    expect(r.ok).toBe(true);
    expect((r as { result: ClusterInfo }).result).toMatchObject({ compute: 'local', effective: 'local', hasPassword: true });
    const local = await runToEnd(ws!, 'it local run');
    expect(local.status).toBe('done');
    expect(local.compute).toBe('local');
    // Same seed, same engine: the same numbers on both (BSDH is deterministic per seed).
    expect(local.metrics).toEqual(onCluster.metrics);
  });

  it('a restarted workstation reconnects a saved compute "cluster" in the background', async () => {
    const again = await dispatch(ws!.handlers, 4, 'cluster-configure', { compute: 'cluster' });
    expect(again.ok, again.ok ? '' : again.error.message).toBe(true);
    await ws!.close();
    ws = null;
    ws2 = await open(dataDir, true);
    const s = await until('the background reconnect', () => ws2!.cluster.status(), (x) => x.connected && !x.connecting);
    expect(s).toMatchObject({ compute: 'cluster', effective: 'cluster', workers: 1 });
  });
});
