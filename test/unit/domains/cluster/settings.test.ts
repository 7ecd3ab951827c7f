import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appError } from '../../../../src-shared/api/errors';
import { type HandlerTable } from '../../../../src-shared/api/handlers';
import { redisUrlProblem, redisUrlWithoutPassword } from '../../../../src-shared/cluster/contract';
import { type ClusterSettings } from '../../../../src-main/cluster/types';
import { clusterHandlers } from '../../../../src-main/domains/cluster/app';
import { ClusterControl } from '../../../../src-main/domains/cluster/control';
import { clusterFile, loadClusterSettings, saveClusterSettings } from '../../../../src-main/domains/cluster/settings';
import { dispatch } from '../../../../src-main/host/dispatch';
import { tempDir } from '../../../helpers/tmp';

const PASSWORD = 's3cr3t:pa@ss/word';
const URL_WITH_PASSWORD = `redis://hedge:${encodeURIComponent(PASSWORD)}@cluster.example:6380/2`;

/** A control over a fresh data folder; `connect` records what it was asked and refuses like a wrong password. */
function control(dataDir = tempDir('hw-cluster-'), env: NodeJS.ProcessEnv = {}) {
  const asked: ClusterSettings[] = [];
  const used: unknown[] = [];
  const events: unknown[] = [];
  const c = new ClusterControl({
    dataDir,
    env,
    jobs: { useCluster: (b) => used.push(b) },
    onChange: (info) => events.push(info),
    connect: async (s) => {
      asked.push(s);
      throw appError('conflict', 'CLUSTER_AUTH', `Redis at ${redisUrlWithoutPassword(s.redisUrl)} refused the password (WRONGPASS); check the user and password`);
    },
  });
  return { c, dataDir, asked, used, events };
}

describe('cluster settings file', () => {
  it('is written with mode 0600, also over an existing world-readable file', () => {
    const dir = tempDir('hw-cluster-');
    writeFileSync(clusterFile(dir), '{}', { mode: 0o644 });
    chmodSync(clusterFile(dir), 0o644);
    saveClusterSettings(dir, { redisUrl: URL_WITH_PASSWORD, insecure: false, compute: 'cluster' });
    expect(statSync(clusterFile(dir)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(clusterFile(dir), 'utf8'))).toEqual({ redisUrl: URL_WITH_PASSWORD, insecure: false, compute: 'cluster' });
    expect(loadClusterSettings(dir, {})).toEqual({ redisUrl: URL_WITH_PASSWORD, insecure: false, compute: 'cluster', fromEnv: false, problem: null });
  });

  it('tightens a file found readable by others when loading it', () => {
    const dir = tempDir('hw-cluster-');
    writeFileSync(clusterFile(dir), JSON.stringify({ redisUrl: URL_WITH_PASSWORD, insecure: false, compute: 'local' }));
    chmodSync(clusterFile(dir), 0o644);
    expect(loadClusterSettings(dir, {}).redisUrl).toBe(URL_WITH_PASSWORD);
    expect(statSync(clusterFile(dir)).mode & 0o777).toBe(0o600);
  });

  it('defaults to this machine, with HEDGE_CLUSTER_REDIS as the URL when none is saved', () => {
    const dir = tempDir('hw-cluster-');
    expect(loadClusterSettings(dir, {})).toEqual({ redisUrl: null, insecure: false, compute: 'local', fromEnv: false, problem: null });
    expect(loadClusterSettings(dir, { HEDGE_CLUSTER_REDIS: 'redis://10.0.0.5:6379' })).toMatchObject({ redisUrl: 'redis://10.0.0.5:6379', compute: 'local', fromEnv: true });
  });

  it('ignores a broken file and says how to fix it', () => {
    const dir = tempDir('hw-cluster-');
    writeFileSync(clusterFile(dir), '{ not json');
    const s = loadClusterSettings(dir, {});
    expect(s.compute).toBe('local');
    expect(s.problem).toContain('could not be read');
    expect(s.problem).toContain('choose Cluster again');
  });
});

describe('Redis URL rule', () => {
  it('accepts redis:// and rediss:// URLs with user, password, port and database', () => {
    for (const u of ['redis://localhost', 'redis://h:6379', 'rediss://user:pw@redis.example.com:6380/0', URL_WITH_PASSWORD]) expect(redisUrlProblem(u), u).toBeNull();
  });
  it('names what is wrong with the others', () => {
    expect(redisUrlProblem('')).toContain('is empty');
    expect(redisUrlProblem('localhost:6379')).toBe('must start with redis:// or rediss:// (TLS), e.g. redis://localhost:6379');
    expect(redisUrlProblem('http://h:6379')).toContain('not http://');
    expect(redisUrlProblem('redis://h:6379/queue')).toContain('database number');
    expect(redisUrlProblem('redis://h:99999')).toContain('is not a URL');
  });
  it('strips only the password for display', () => {
    expect(redisUrlWithoutPassword(URL_WITH_PASSWORD)).toBe('redis://hedge@cluster.example:6380/2');
  });
});

describe('cluster handlers', () => {
  it('status never returns the password', async () => {
    const dir = tempDir('hw-cluster-');
    saveClusterSettings(dir, { redisUrl: URL_WITH_PASSWORD, insecure: false, compute: 'local' });
    const { c } = control(dir);
    const info = await c.status();
    expect(info).toMatchObject({ compute: 'local', effective: 'local', where: 'redis://hedge@cluster.example:6380/2', hasPassword: true, connected: false });
    const text = JSON.stringify(info);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(encodeURIComponent(PASSWORD));
    await c.close();
  });

  it('a bad URL is a field error naming the Redis URL and the value, and saves nothing', async () => {
    const { c, dataDir, asked } = control();
    const table = clusterHandlers({ cluster: c }) as unknown as HandlerTable;
    const r = await dispatch(table, 1, 'cluster-configure', { redisUrl: 'http://cluster:6379', compute: 'cluster' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_INPUT');
    expect(r.error.fields?.[0]).toMatchObject({ field: 'redisUrl', label: 'Redis URL', value: 'http://cluster:6379' });
    expect(r.error.fields?.[0]?.message).toBe('Redis URL must start with redis:// or rediss:// (TLS), not http://');
    expect(asked).toEqual([]);
    expect(existsSync(clusterFile(dataDir))).toBe(false);
    await c.close();
  });

  it('a refused connection comes back as the backend error on field redisUrl (without the password) and saves nothing', async () => {
    const { c, dataDir, used } = control();
    const table = clusterHandlers({ cluster: c }) as unknown as HandlerTable;
    const r = await dispatch(table, 1, 'cluster-configure', { redisUrl: 'redis://hedge@cluster.example:6380', password: PASSWORD, compute: 'cluster' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CLUSTER_AUTH');
    expect(r.error.fields?.[0]).toMatchObject({ field: 'redisUrl', value: 'redis://hedge@cluster.example:6380' });
    expect(JSON.stringify(r.error)).not.toContain(encodeURIComponent(PASSWORD));
    expect(existsSync(clusterFile(dataDir))).toBe(false);
    expect(used).toEqual([]);
    expect((await c.status()).compute).toBe('local');
    await c.close();
  });

  it('the password typed apart goes into the URL; left empty, the saved one for the same user@host:port is kept', async () => {
    const dir = tempDir('hw-cluster-');
    saveClusterSettings(dir, { redisUrl: URL_WITH_PASSWORD, insecure: false, compute: 'local' });
    const { c, asked } = control(dir);
    await expect(c.configure({ redisUrl: 'redis://hedge@cluster.example:6380/2', compute: 'cluster' })).rejects.toThrow(/refused the password/);
    await expect(c.configure({ redisUrl: 'redis://other@cluster.example:6380/2', compute: 'cluster' })).rejects.toThrow();
    await expect(c.configure({ redisUrl: 'redis://hedge@cluster.example:6380/2', password: 'new pw', compute: 'cluster' })).rejects.toThrow();
    expect(asked.map((s) => s.redisUrl)).toEqual([URL_WITH_PASSWORD, 'redis://other@cluster.example:6380/2', 'redis://hedge:new%20pw@cluster.example:6380/2']);
    await c.close();
  });

  it('choosing this machine saves the choice with mode 0600 and tells the job manager', async () => {
    const { c, dataDir, used, events } = control();
    const info = await c.configure({ redisUrl: URL_WITH_PASSWORD, compute: 'local' });
    expect(info).toMatchObject({ compute: 'local', effective: 'local', hasPassword: true });
    expect(used).toEqual([null]);
    expect(statSync(clusterFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(events.length).toBeGreaterThan(0);
    await c.close();
  });

  it('a saved compute "cluster" that cannot reconnect at start says so, and jobs stay on this machine', async () => {
    const dir = tempDir('hw-cluster-');
    saveClusterSettings(dir, { redisUrl: URL_WITH_PASSWORD, insecure: false, compute: 'cluster' });
    const { c, used } = control(dir);
    await c.resume();
    const info = await c.status();
    expect(info).toMatchObject({ compute: 'cluster', effective: 'local', connected: false, connecting: false });
    expect(info.error).toContain('could not reconnect to the cluster at redis://hedge@cluster.example:6380/2');
    expect(info.error).toContain('Jobs run on this machine');
    expect(info.error).not.toContain(encodeURIComponent(PASSWORD));
    expect(used).toEqual([]);
    await c.close();
  });
});
