import { afterEach, describe, expect, it } from 'vitest';
import { type Workstation } from '../../src-main/workstation';
import { SOLVER_PRESETS } from '../../src-shared/bsde/config';
import { type BsdeMetrics, type BsdeProgress } from '../../src-shared/bsde/result';
import { type BookContent } from '../../src-shared/portfolio/book';
import { presetBook } from '../../src-shared/portfolio/presets';
import { openWorkstation } from '../helpers/host';
import { type Err, rpc } from '../helpers/rpc';

let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const { call, ok } = rpc(() => ws!);
const tinySolve = { scheme: 'osm', seed: 1, ...SOLVER_PRESETS.tiny.config, steps: 2, iterationsLast: 150, iterationsOther: 60, samplesT0: 8192 };
const book1 = (): BookContent => presetBook('B1', { assets: 2 });

describe('portfolio handlers', () => {
  it('seeds the presets B1-B4 as ready books, newest-first with B1 on top', async () => {
    ws = await openWorkstation();
    const list = await ok<Array<{ name: string; preset: string; assets: number; options: number }>>('portfolio-list', {});
    expect(list.map((b) => b.preset)).toEqual(['B1', 'B1', 'B2', 'B3', 'B3', 'B3', 'B4', 'B4', 'B4']);
    expect(list[0]).toMatchObject({ assets: 5, options: 1 });
    expect(list.find((b) => b.name.startsWith('B4 · case 1'))).toMatchObject({ assets: 10, options: 15 });
  });

  it('saves, edits in place while no run used the version, and versions once a run did; runs keep their version', async () => {
    ws = await openWorkstation();
    const created = await ok<{ bookId: string; version: number; action: string }>('portfolio-save', { bookId: null, baseVersion: null, book: { ...book1(), name: 'my book' } });
    expect(created).toMatchObject({ version: 1, action: 'created' });
    const { bookId } = created;
    const edited = { ...book1(), name: 'my book', rate: 0.01 };
    expect(await ok('portfolio-save', { bookId, baseVersion: 1, book: edited })).toMatchObject({ version: 1, action: 'updated' });
    expect(await ok('portfolio-save', { bookId, baseVersion: 1, book: edited })).toMatchObject({ version: 1, action: 'unchanged' });

    const { runId } = await ok<{ runId: string }>('bsde-solve', { bookId, ...tinySolve });
    await ws.jobs.idle();
    const v1 = await ok<{ runs: number; book: BookContent }>('portfolio-get', { bookId, version: 1 });
    expect(v1.runs).toBe(1);

    const edited2 = { ...edited, rate: 0.02 };
    expect(await ok('portfolio-save', { bookId, baseVersion: 1, book: edited2 })).toMatchObject({ version: 2, action: 'new-version' });
    const again = await ok<{ version: number; book: BookContent; runs: number }>('portfolio-get', { bookId, version: 1 });
    expect(again.book.rate).toBe(0.01);
    const latest = await ok<{ version: number; book: BookContent; runs: number; latestVersion: number }>('portfolio-get', { bookId });
    expect(latest).toMatchObject({ version: 2, latestVersion: 2, runs: 0 });
    expect(latest.book.rate).toBe(0.02);
    const run = await ok<{ config: { bookId: string; version: number; book: BookContent } }>('runs-get', { runId });
    expect(run.config).toMatchObject({ bookId, version: 1 });
    expect(run.config.book.rate).toBe(0.01);
    const versions = await ok<Array<{ version: number; runs: number }>>('portfolio-versions', { bookId });
    expect(versions).toEqual([expect.objectContaining({ version: 2, runs: 0 }), expect.objectContaining({ version: 1, runs: 1 })]);

    // Duplicate; a book with runs cannot be deleted until its runs are.
    const dup = await ok<{ bookId: string; version: number }>('portfolio-duplicate', { bookId, version: 1 });
    expect((await ok<{ book: BookContent }>('portfolio-get', { bookId: dup.bookId })).book.name).toBe('my book (copy)');
    expect(await call('portfolio-delete', { bookId })).toMatchObject({ ok: false, error: { code: 'BOOK_HAS_RUNS' } });
    await ok('runs-delete', { runIds: [runId] });
    expect(await ok('portfolio-delete', { bookId })).toEqual({ deleted: true });
    expect(await call('portfolio-get', { bookId })).toMatchObject({ ok: false, error: { code: 'BOOK_NOT_FOUND' } });
  }, 120_000);

  it.each([
    ['a correlation matrix that is not positive definite', (b: BookContent): void => {
      b.correlation = [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]];
      b.assets.push({ ...b.assets[0], name: 'S3' });
    }, /^book\.correlation\.\d\.\d$/, /not positive definite/],
    ['an option on an asset that does not exist', (b: BookContent): void => { b.options[0].assets = ['S1', 'S9']; }, 'book.options.0.assets.1', /asset "S9", which is not in the book/],
    ['a strike <= 0', (b: BookContent): void => { b.options[0].strike = 0; }, 'book.options.0.strike', /strike must be > 0/],
    ['an asymmetric correlation', (b: BookContent): void => { b.correlation[0][1] = 0.5; }, 'book.correlation.0.1', /symmetric/],
    ['a cash-or-nothing with u <= l', (b: BookContent): void => { b.options[0] = { ...b.options[0], payoff: 'cash-or-nothing', strike: 110, strike2: 90 }; }, 'book.options.0.strike2', /must be > lower bound/],
  ] as const)('rejects %s naming the cell, and saves nothing', async (_what, edit, field, message) => {
    ws = await openWorkstation();
    const before = (await ok<unknown[]>('portfolio-list', {})).length;
    const b = book1();
    edit(b);
    const r = await call('portfolio-save', { bookId: null, baseVersion: null, book: b });
    expect(r.ok).toBe(false);
    const err = (r as Err).error;
    expect(err.type).toBe('validation');
    const f = err.fields!.find((x) => (typeof field === 'string' ? x.field === field : field.test(x.field)));
    expect(f, JSON.stringify(err.fields)).toBeDefined();
    expect(f!.message).toMatch(message);
    expect((await ok<unknown[]>('portfolio-list', {})).length).toBe(before);
  });

  it('names the entries that break positive definiteness', async () => {
    ws = await openWorkstation();
    const b = presetBook('B1', { assets: 3 });
    b.correlation[0][2] = b.correlation[2][0] = -0.75;
    const r = (await call('portfolio-save', { bookId: null, baseVersion: null, book: b })) as Err;
    const fields = r.error.fields!.map((f) => f.field);
    expect(fields).toContain('book.correlation.0.2');
    expect(r.error.message).toMatch(/correlation\(S1, S3\) = -0\.75/);
  });
});

describe('bsde handlers', () => {
  it.each([
    ['maturity beyond the grid', { horizon: 0.5 }, 'book.options.0.maturity', /beyond the time grid/],
    ['exercise dates off the grid', { steps: 5 }, 'book.options.0.exerciseDates', /off the time grid/],
    ['sizes that would exceed memory', { batch: 16384, width: 512, depth: 4, steps: 500 }, /^(batch|steps|width)$/, /tensor memory/],
  ] as const)('rejects %s naming the cell, and starts no run', async (_what, patch, field, message) => {
    ws = await openWorkstation();
    const b = presetBook('B1', { assets: 2, exerciseDates: 4 });
    const { bookId } = await ok<{ bookId: string }>('portfolio-save', { bookId: null, baseVersion: null, book: b });
    const r = await call('bsde-solve', { bookId, ...tinySolve, steps: 4, ...patch });
    expect(r.ok).toBe(false);
    const err = (r as Err).error;
    expect(err.type).toBe('validation');
    const f = err.fields!.find((x) => (typeof field === 'string' ? x.field === field : field.test(x.field)));
    expect(f, JSON.stringify(err.fields)).toBeDefined();
    expect(f!.message).toMatch(message);
    expect(ws.runs.list('bsde-solve')).toHaveLength(0);
  });

  it('rejects solver settings out of range through the schema', async () => {
    ws = await openWorkstation();
    const { bookId } = await ok<{ bookId: string }>('portfolio-preset', { preset: 'B1', assets: 1 });
    const r = (await call('bsde-solve', { bookId, ...tinySolve, width: 0, scheme: 'euler' })) as Err;
    expect(r.error.fields!.map((f) => f.field).sort()).toEqual(['scheme', 'width']);
    expect(ws.runs.list('bsde-solve')).toHaveLength(0);
  });

  it('solves a tiny B1 in a worker with live per-step progress, stores metrics and networks, and evaluates them', async () => {
    ws = await openWorkstation();
    const preset = await ok<{ bookId: string; version: number; created: boolean }>('portfolio-preset', { preset: 'B1', assets: 1 });
    expect((await ok<{ created: boolean }>('portfolio-preset', { preset: 'B1', assets: 1 })).created).toBe(false);
    const details: BsdeProgress[] = [];
    ws.subscribe((e, p) => {
      if (e === 'run-progress' && (p as { detail?: BsdeProgress }).detail) details.push((p as { detail: BsdeProgress }).detail);
    });
    const { runId } = await ok<{ runId: string }>('bsde-solve', { bookId: preset.bookId, ...tinySolve, steps: 3 });
    await ws.jobs.idle();
    const run = ws.runs.get(runId)!;
    expect(run.status, JSON.stringify(run.error)).toBe('done');
    expect(run.kind).toBe('bsde-solve');
    expect(run.backend).toMatch(/wasm|cpu|tfjs/);
    const m = run.metrics as BsdeMetrics;
    expect(m.options[0].reference?.method).toBe('closed form');
    expect(Number.isFinite(m.options[0].errors!.price)).toBe(true);
    expect(m.options[0].errors!.price).toBeLessThan(0.05);
    expect(m.book.price).toBeCloseTo(m.options[0].price, 12);
    expect(m.losses.map((l) => l.n)).toEqual([2, 1, 0]);
    const weights = ws.runs.getArray(runId, 'weights');
    expect(weights).toBeInstanceOf(Float32Array);
    expect(weights!.length).toBe(m.solution.offsets.length * (m.solution.offsets[1]?.c ?? weights!.length / m.solution.offsets.length));
    expect(new Set(details.map((d) => d.step))).toEqual(new Set([1, 2, 3]));
    expect(details.some((d) => d.lossZ !== null && d.lossY !== null)).toBe(true);
    const g = await ok<{ options: Array<{ price: number; delta: number[]; gamma: number[][] }> }>('bsde-evaluate', { runId, n: 0, spots: [100] });
    expect(g.options[0].price).toBe(m.options[0].price);
    const mid = await ok<{ options: Array<{ price: number; delta: number[] }> }>('bsde-evaluate', { runId, n: 1, spots: [100] });
    expect(mid.options[0].price).toBeGreaterThan(5);
    expect(mid.options[0].delta[0]).toBeGreaterThan(0.3);
    const bad = (await call('bsde-evaluate', { runId, n: 9, spots: [100, 100] })) as Err;
    expect(bad.error.fields!.map((f) => f.field).sort()).toEqual(['n', 'spots']);
  }, 120_000);
});
