import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError, isAppError } from '../../src-shared/api/errors';
import { type SignatureData } from '../../src-shared/orderbook/contract';
import { dispatch } from '../../src-main/host/dispatch';
import { type EncodedResult } from '../../src-main/host/reply';
import { ReadPool } from '../../src-main/reads/pool';
import { type Workstation } from '../../src-main/workstation';
import { ROOT, openWorkstation } from '../helpers/host';
import { tempDir } from '../helpers/tmp';

/**
 * Cancelling reads on the read pool (src-main/reads/pool.ts): a cancelled read answers at once with a
 * 'cancelled' AppError, a read nobody waits for any more is aborted on its worker (piscina AbortSignal: the
 * worker thread ends, so its CPU stops), a read shared by two requests keeps going for the other, a newer read
 * of the same readId supersedes the older, and the pool answers the next read. The slow reads come from
 * test/helpers/slowReadTask.ts (spins the CPU for `ms`); the last test goes through the real handlers
 * ('orderbook-signature' with a readId, then 'reads-cancel').
 */

const TASK = join(ROOT, 'test', 'helpers', 'slowReadTask.ts');
let pool: ReadPool;
beforeAll(() => {
  pool = new ReadPool({ dbFile: join(tempDir('hw-readpool-'), 'unused.db'), taskFile: TASK, maxThreads: 1, stillValid: () => true });
});
afterAll(async () => {
  await pool?.close();
});

type Slow = { value: number; ms: number; thread: number };
const slow = (ms: number, value = 0, readId?: string): Promise<Slow> =>
  pool.run('orderbook-signature' as never, { ms, value } as never, { readId }).then((r) => JSON.parse((r as unknown as EncodedResult).json.toString('utf8')) as Slow);
async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    const err = (e as { appError?: AppError }).appError ?? e;
    if (isAppError(err)) return err;
    throw e;
  }
  throw new Error('expected the read to be cancelled');
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Wait (at most `ms`) until the pool has started its worker and the task runs on it. */
async function running(ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (pool.stats.threads === 0 && Date.now() < end) await sleep(20);
  await sleep(300); // the task is posted as soon as the worker is up; give it time to start spinning
}

describe('cancelling reads', () => {
  it('a running read is answered "cancelled" at once, its worker stops using the CPU, and the pool answers the next read', async () => {
    await slow(10); // the worker is up (tsx compiles the task module on the first read)
    const t0 = Date.now();
    const p = slow(20_000, 1, 'chart-a');
    await running();
    const s0 = process.cpuUsage();
    await sleep(500);
    const spin = process.cpuUsage(s0);
    console.log(`CPU in 0.5 s while the read spins (nice +10, shared machine): ${((spin.user + spin.system) / 1e6).toFixed(3)} s`);
    expect(pool.stats.inFlight).toBe(1);
    expect(pool.cancel('chart-a')).toBe(1);
    const err = await rejection(p);
    expect(err).toMatchObject({ type: 'cancelled', code: 'READ_CANCELLED' });
    expect(Date.now() - t0).toBeLessThan(15_000); // not the 20 s the read would have taken
    expect(pool.stats.inFlight).toBe(0);
    // the aborted read's thread is gone: over the next 1.5 s the process uses little CPU (a spinning read uses ~1 core)
    await sleep(300);
    const c0 = process.cpuUsage();
    await sleep(1500);
    const c = process.cpuUsage(c0);
    const cpuSeconds = (c.user + c.system) / 1e6;
    console.log(`CPU in the 1.5 s after cancelling a spinning read: ${cpuSeconds.toFixed(3)} s`);
    expect(cpuSeconds).toBeLessThan(0.75);
    // still usable: the next read answers, on a new worker
    expect(await slow(50, 7)).toMatchObject({ value: 7, ms: 50 });
    expect(pool.cancel('chart-a')).toBe(0); // nothing waiting any more
  });

  it('a read shared by two requests keeps going for the one not cancelled', async () => {
    const a = slow(1500, 2, 'window-1');
    const b = slow(1500, 2, 'window-2'); // same arguments: shares the read in flight
    expect(pool.stats.inFlight).toBe(1);
    pool.cancel('window-1');
    expect((await rejection(a)).type).toBe('cancelled');
    expect(await b).toMatchObject({ value: 2 });
  });

  it('a newer read of the same readId supersedes the older; a queued read is dropped when cancelled', async () => {
    const old = slow(20_000, 3, 'profile-x');
    await running();
    const newer = slow(100, 4, 'profile-x'); // other arguments, same place on the screen
    const err = await rejection(old);
    expect(err).toMatchObject({ type: 'cancelled', code: 'READ_CANCELLED' });
    expect(err.message).toMatch(/replaced by a newer one/);
    expect(await newer).toMatchObject({ value: 4 });
    // one thread: the first read runs, the second waits in the queue and is dropped from it
    const first = slow(1500, 5, 'q-1');
    const queued = slow(1500, 6, 'q-2');
    await running();
    pool.cancel('q-2');
    expect((await rejection(queued)).type).toBe('cancelled');
    expect(await first).toMatchObject({ value: 5 });
  });
});

describe("the order-book analysis reads through 'reads-cancel'", () => {
  let ws: Workstation;
  beforeAll(async () => {
    ws = await openWorkstation({ dataDir: tempDir('hw-readcancel-') });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('a cancelled signature plot answers "cancelled", and the same read then answers in full', async () => {
    const imp = await dispatch(ws.handlers, 1, 'orderbook-import', { path: join(ROOT, 'resources', 'samples', 'orderbook', 'book_train.parquet') });
    if (!imp.ok) throw new Error(imp.error.message);
    await ws.jobs.idle();
    const datasetId = (ws.runs.get((imp.result as { runId: string }).runId)!.metrics as { datasetId: string }).datasetId;
    const args = { datasetId, stockId: 0, readId: 'sig-test-1' };
    const pending = dispatch(ws.handlers, 2, 'orderbook-signature', args);
    const cancel = await dispatch(ws.handlers, 3, 'reads-cancel', { readId: 'sig-test-1' });
    expect(cancel).toMatchObject({ ok: true, result: { cancelled: 1 } });
    const r = await pending;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ type: 'cancelled', code: 'READ_CANCELLED' });
    const again = await dispatch(ws.handlers, 4, 'orderbook-signature', args);
    expect(again.ok, again.ok ? '' : again.error.message).toBe(true);
    expect((again as { result: SignatureData }).result.sessions).toBe(24);
    const bad = await dispatch(ws.handlers, 5, 'reads-cancel', { readId: 'no spaces allowed' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.fields?.[0].field).toBe('readId');
  });
});
