import { type WireJob } from '../../src-main/jobs/protocol';
import { type ClusterBackend, type ClusterJobEvents } from '../../src-main/cluster/types';

/**
 * A scripted cluster backend for unit tests (no Redis): records what was submitted, cancelled and reattached;
 * its `refuse` decides which jobs it declines. The test drives each job's events by hand.
 */
export class ScriptedCluster implements ClusterBackend {
  submitted = new Map<string, { job: WireJob; events: ClusterJobEvents }>();
  reattached: string[] = [];
  cancelled: string[] = [];
  closed = 0;
  constructor(private readonly refuse: (job: WireJob) => string | null = () => null) {}
  refuses(job: WireJob): string | null {
    return this.refuse(job);
  }
  submit(runId: string, job: WireJob, events: ClusterJobEvents): Promise<void> {
    this.submitted.set(runId, { job, events });
    return Promise.resolve();
  }
  cancel(runId: string): Promise<void> {
    this.cancelled.push(runId);
    this.submitted.get(runId)?.events.cancelled();
    return Promise.resolve();
  }
  reattach(runId: string, events: ClusterJobEvents): Promise<void> {
    this.reattached.push(runId);
    this.submitted.set(runId, { job: { kind: '?', config: null }, events });
    return Promise.resolve();
  }
  status() {
    return Promise.resolve({ connected: true, workers: 1, waiting: 0, active: 0, where: 'fake' });
  }
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}
