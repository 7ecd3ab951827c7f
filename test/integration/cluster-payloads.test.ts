import { afterEach, describe, expect, it } from 'vitest';
import { SOLVER_PRESETS } from '../../src-shared/bsde/config';
import { DEFAULT_HEDGE_CONFIG } from '../../src-shared/hedging/config';
import { H1_CLAIM, H1_MARKET } from '../../src-shared/heston/types';
import { presetBook } from '../../src-shared/portfolio/presets';
import { DEFAULT_QLBS_CONFIG } from '../../src-shared/qlbs/config';
import { checkPayload, refusalOf } from '../../src-main/cluster/payload';
import { type ClusterBackend, type ClusterJobEvents } from '../../src-main/cluster/types';
import { type WireJob } from '../../src-main/jobs/protocol';
import { type Workstation } from '../../src-main/workstation';
import { openWorkstation } from '../helpers/host';
import { rpc } from '../helpers/rpc';

/**
 * What the app's handlers send to the cluster is what a cluster worker accepts: every job a handler submits while
 * a backend is set (a capturing one here, no Redis) passes the worker's payload validation (checkPayload, the
 * handlers' own schemas), so no kind is rejected on the worker for a key the app adds.
 */
class Capture implements ClusterBackend {
  jobs: Array<{ runId: string; job: WireJob }> = [];
  refuses = (job: WireJob) => refusalOf(job);
  submit(runId: string, job: WireJob, _events: ClusterJobEvents) {
    this.jobs.push({ runId, job });
    return Promise.resolve();
  }
  cancel() {
    return Promise.resolve();
  }
  reattach() {
    return Promise.resolve();
  }
  status() {
    return Promise.resolve({ connected: true, workers: 0, waiting: 0, active: 0, where: 'capture' });
  }
  close() {
    return Promise.resolve();
  }
}

let ws: Workstation | null = null;
afterEach(async () => {
  ws?.jobs.useCluster(null); // the captured runs never end: detach them so close() does not wait for them
  await ws?.close();
  ws = null;
});

describe('cluster payloads from the real handlers', () => {
  it('every job the handlers send to the cluster passes the worker validation', async () => {
    ws = await openWorkstation();
    const cap = new Capture();
    ws.jobs.useCluster(cap);
    const { ok } = rpc(() => ws!);
    await ok('hedging-start', { ...DEFAULT_HEDGE_CONFIG, paths: 1000 });
    await ok('hedging-compare', { ...DEFAULT_HEDGE_CONFIG, model: 'mlp', paths: 1000, epochs: 2 });
    await ok('hedging-experiment', { id: 'E3', scale: 'quick', seed: 5, strikes: [1] });
    await ok('hedging-experiment', { id: 'E1', scale: 'quick', seed: 5, strikes: [1.2], criterion: 'es', esLevel: 0.9 });
    await ok('qlbs-start', DEFAULT_QLBS_CONFIG);
    await ok('qlbs-sweep', { base: { ...DEFAULT_QLBS_CONFIG, label: undefined }, param: 'mu', values: [0, 0.1], repeats: 1 });
    await ok('semistatic-mc-start', { n: 10, delay: 2, sigma: 1.3, ratio2: 0.7, mu: 0.1, paths: 10_000, seed: 3 });
    const saved = await ok<{ bookId: string }>('portfolio-save', { bookId: null, baseVersion: null, book: { ...presetBook('B1', { assets: 2 }), name: 'payload book' } });
    await ok('bsde-solve', { bookId: saved.bookId, scheme: 'osm', seed: 1, ...SOLVER_PRESETS.tiny.config });
    await ok('heston-solve', { market: H1_MARKET, claim: H1_CLAIM, scheme: 'osm', solver: 'quick', steps: 12, seed: 3 });

    const kinds = new Set(cap.jobs.map((j) => j.job.kind));
    expect([...kinds].sort()).toEqual(['bsde-solve', 'hedge', 'heston-solve', 'qlbs', 'qlbs-sweep', 'semistatic']);
    for (const { runId, job } of cap.jobs) {
      const check = checkPayload({ runId, kind: job.kind, config: job.config, v: 1 });
      expect(check.ok ? 'ok' : `${job.kind}: ${check.reason}`).toBe('ok');
      expect(ws.runs.get(runId)!.compute).toBe('cluster');
    }
  }, 60_000);
});
