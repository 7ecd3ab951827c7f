import { describe, expect, it } from 'vitest';
import { takeClusterFlags } from '../../../src-main/cli/common';
import { checkClusterForm } from '../../../src-renderer/features/cluster/ClusterDialog';
import { clusterStateText } from '../../../src-renderer/features/cluster/useCluster';
import { type ClusterInfo } from '../../../src-shared/cluster/contract';

describe('CLI --cluster and --insecure', () => {
  it('are taken out of the arguments anywhere, in both spellings', () => {
    expect(takeClusterFlags(['experiment', 'E1', '--cluster', 'redis://:pw@h:6379', '--quick'])).toEqual({
      cluster: { redisUrl: 'redis://:pw@h:6379', insecure: false },
      rest: ['experiment', 'E1', '--quick'],
    });
    expect(takeClusterFlags(['hedge', '--insecure', '--cluster=rediss://h:6380', '--json'])).toEqual({
      cluster: { redisUrl: 'rediss://h:6380', insecure: true },
      rest: ['hedge', '--json'],
    });
    expect(takeClusterFlags(['hedge', '--paths', '1000'])).toEqual({ cluster: null, rest: ['hedge', '--paths', '1000'] });
  });
});

describe('the Redis dialog check', () => {
  it('names the Redis URL field and what is wrong, as the handler does', () => {
    expect(checkClusterForm({ redisUrl: 'localhost:6379', password: '', insecure: false })).toEqual({
      config: null,
      errors: { redisUrl: 'redisUrl must start with redis:// or rediss:// (TLS), e.g. redis://localhost:6379' },
    });
  });
  it('sends the password apart from the URL only when one is typed', () => {
    expect(checkClusterForm({ redisUrl: ' redis://u@h:6379 ', password: '', insecure: true }).config).toEqual({ redisUrl: 'redis://u@h:6379', insecure: true, compute: 'cluster' });
    expect(checkClusterForm({ redisUrl: 'redis://u@h:6379', password: 'pw', insecure: false }).config).toEqual({ redisUrl: 'redis://u@h:6379', password: 'pw', insecure: false, compute: 'cluster' });
  });
});

describe('the Compute control state line', () => {
  const base: ClusterInfo = { compute: 'cluster', effective: 'cluster', where: 'redis://h:6379', fromEnv: false, hasPassword: true, tls: false, insecure: false, connecting: false, connected: true, workers: 2, waiting: 3, active: 1 };
  it('counts workers and jobs while connected, and says when jobs run here instead', () => {
    expect(clusterStateText(base)).toBe('2 workers · 3 waiting · 1 active');
    expect(clusterStateText({ ...base, workers: 1 })).toBe('1 worker · 3 waiting · 1 active');
    expect(clusterStateText({ ...base, effective: 'local', connected: false })).toBe('not connected: jobs run here');
    expect(clusterStateText({ ...base, compute: 'local', effective: 'local' })).toBe('this machine');
  });
});
