import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dispatch } from '../../src-main/host/dispatch';
import { startHost, type Host } from '../../src-main/host/server';
import { FilePolicy } from '../../src-main/files/policy';
import { seeded, type Rng } from '../../src-main/engine/stochastic/rng';
import { type Workstation } from '../../src-main/workstation';
import { requestSchemas } from '../../src-shared/api/contract';
import { openWorkstation } from '../helpers/host';
import { tempDir } from '../helpers/tmp';

/**
 * Issue 13 item 6: a bounded, seeded fuzz over every method of the handler table. 2,000 messages from
 * `seeded(13)`: 1,800 over the browser-mode WebSocket (random JSON values, values nested 4,000+ levels deep,
 * huge and tiny numbers, wrong types, boundary strings: empty, 5,000 characters, NUL, `.`, `..`, `/`,
 * `/etc/shadow`) and 200 straight into dispatch with what Electron's IPC can carry and JSON cannot (BigInt,
 * Map, Date, typed arrays). Asserts: no reply is an `internal` error, no message quotes the data folder's
 * absolute path, and afterwards the host still answers `system-info` on a fresh connection.
 * Before the fix, deep nesting, BigInt, upload names `.`/`..`/NUL and `orderbook-inspect {path: "/"}` all
 * came back `internal`.
 */

const SEED = 13;
const WS_MESSAGES = 1800;
const IPC_MESSAGES = 200;

const methods = Object.keys(requestSchemas);
/** Every top-level field name of every request schema, plus some that none has. */
const FIELDS = [
  ...new Set(
    methods.flatMap((m) => {
      const s = requestSchemas[m as keyof typeof requestSchemas] as unknown as { shape?: Record<string, unknown>; def?: { options?: Array<{ shape?: Record<string, unknown> }> } };
      return [...Object.keys(s.shape ?? {}), ...(s.def?.options ?? []).flatMap((o) => Object.keys(o.shape ?? {}))];
    }),
  ),
  'model', 'epochs', 'trainPaths', 'testPaths', 'allowLong', 'constructor', '__proto__', 'toString', '', 'x'.repeat(300),
];

const STRINGS = ['', ' ', 'a'.repeat(5000), '\u0000', 'a\u0000b', '.', '..', '/', '/etc/shadow', '/etc/passwd', '../../../../etc/passwd', '/proc/self/environ', '~', 'C:\\Windows\\win.ini', '💥'.repeat(50), '<img src=x onerror=alert(1)>', 'null', 'NaN', '1e999', '-0', 'bsdh', 'train', 'test', 'median', '00000000-0000-0000-0000-000000000000', 'abcdefgh'];
const NUMBERS = [0, -0, 1, -1, 2, 0.5, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -(2 ** 31), 2 ** 31, 1e21, 1e9, 123456789, 3.7, 1e-12, 100_000, 2000, 15836];

const pick = <T,>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)];
const int = (rng: Rng, n: number): number => Math.floor(rng.uniform() * n);

/**
 * Values nested 4,000-8,000 levels deep. JSON.stringify recurses (it overflows the test's stack at such
 * depths), so a deep value is kept as its JSON text behind a placeholder string that {@link encode} splices in.
 */
const deepTexts: string[] = [];
function deep(rng: Rng): unknown {
  const levels = 4000 + int(rng, 4000);
  const asArray = rng.uniform() < 0.5;
  const key = JSON.stringify(pick(rng, FIELDS));
  const text = asArray ? `${'['.repeat(levels)}${pick(rng, NUMBERS)}${']'.repeat(levels)}` : `${`{${key}:`.repeat(levels)}${pick(rng, NUMBERS)}${'}'.repeat(levels)}`;
  deepTexts.push(text);
  return `\u0001deep:${deepTexts.length - 1}\u0001`;
}
const encode = (msg: unknown): string => JSON.stringify(msg).replace(/"\\u0001deep:(\d+)\\u0001"/g, (_, k: string) => deepTexts[Number(k)]);

function value(rng: Rng, depth = 0): unknown {
  const r = rng.uniform();
  if (r < 0.25) return pick(rng, NUMBERS);
  if (r < 0.45) return pick(rng, STRINGS);
  if (r < 0.52) return rng.uniform() < 0.5;
  if (r < 0.57) return null;
  if (r < 0.6) return deep(rng);
  if (r < 0.62) return Array.from({ length: 20_000 }, () => rng.uniform());
  if (depth > 3) return pick(rng, NUMBERS);
  if (r < 0.8) return Array.from({ length: int(rng, 5) }, () => value(rng, depth + 1));
  return object(rng, depth + 1);
}

function object(rng: Rng, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = int(rng, 6);
  for (let i = 0; i < n; i++) Object.defineProperty(o, pick(rng, FIELDS), { value: value(rng, depth), enumerable: true, configurable: true, writable: true });
  return o;
}

function args(rng: Rng): unknown {
  const r = rng.uniform();
  if (r < 0.75) return object(rng);
  if (r < 0.85) return deep(rng);
  return value(rng);
}

/** What Electron's structured clone can carry and JSON cannot. */
function ipcOnly(rng: Rng): unknown {
  const odd = pick<() => unknown>(rng, [() => 10n ** 30n, () => new Map([[1, 2]]), () => new Date(0), () => new Float64Array(3), () => new Set([1]), () => 1n]);
  const o = object(rng);
  o[pick(rng, FIELDS) || 'x'] = odd();
  return rng.uniform() < 0.2 ? odd() : o;
}

let ws: Workstation;
let host: Host;
let dataDir: string;
beforeAll(async () => {
  dataDir = tempDir('hw-fuzz-');
  ws = await openWorkstation({ dataDir, files: new FilePolicy({ mode: 'roots', dataDir, home: false }) });
  const staticDir = join(dataDir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>fuzz</title>');
  host = await startHost(ws, { port: 0, staticDir });
});
afterAll(async () => {
  await host?.close();
  await ws?.close();
});

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const c = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
    c.once('open', () => resolve(c));
    c.once('error', reject);
  });
}

type Reply = { id: number; ok: boolean; result?: unknown; error?: { type: string; code: string; message: string } };

describe('seeded fuzz over every method', () => {
  it(`${WS_MESSAGES + IPC_MESSAGES} messages: no internal error, no absolute data path in a message, the host lives`, async () => {
    const rng = seeded(SEED);
    const client = await connect();
    const pending = new Map<number, (r: Reply) => void>();
    client.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Reply & { event?: string };
      if (msg.event) return;
      pending.get(msg.id)?.(msg);
      pending.delete(msg.id);
    });
    const send = (id: number, text: string): Promise<Reply> =>
      new Promise((resolve) => {
        pending.set(id, resolve);
        client.send(text);
      });

    const internal: Array<{ method: string; message: string }> = [];
    const leaks: string[] = [];
    const counts = { ok: 0, validation: 0, other: 0, tooBig: 0 };
    const check = (method: string, r: Reply): void => {
      if (r.ok) return void counts.ok++;
      if (r.error?.type === 'internal') internal.push({ method, message: r.error.message.slice(0, 200) });
      else if (r.error?.type === 'validation') counts.validation++;
      else counts.other++;
      if (r.error?.message.includes(dataDir)) leaks.push(`${method}: ${r.error.message.slice(0, 200)}`);
    };

    for (let i = 0; i < WS_MESSAGES; i++) {
      const method = i < methods.length ? methods[i] : pick(rng, methods);
      const a = args(rng);
      const text = encode({ id: i + 1, method, args: a });
      // The socket takes at most 1 MB a message; bigger ones are refused by the transport (not a handler).
      if (text.length > 1 << 20) {
        counts.tooBig++;
        continue;
      }
      check(method, await send(i + 1, text));
    }
    for (let i = 0; i < IPC_MESSAGES; i++) {
      const method = pick(rng, methods);
      const a = ipcOnly(rng);
      // Deep values arrive as real nested objects over IPC.
      check(method, (await dispatch(ws.handlers, i, method, i % 10 === 0 ? { x: JSON.parse(deepTexts[i % deepTexts.length]) , y: 1n } : a)) as Reply);
    }
    client.close();

    console.log(`fuzz seed ${SEED}: ${WS_MESSAGES - counts.tooBig} over WebSocket (${counts.tooBig} over 1 MB skipped), ${IPC_MESSAGES} IPC-only values; ${counts.ok} ok, ${counts.validation} validation, ${counts.other} other, ${internal.length} internal`);
    expect(internal).toEqual([]);
    expect(leaks).toEqual([]);
    expect(counts.validation).toBeGreaterThan(1000);

    const fresh = await connect();
    const t0 = performance.now();
    const info = await new Promise<Reply>((resolve) => {
      fresh.once('message', (d) => resolve(JSON.parse(d.toString())));
      fresh.send(JSON.stringify({ id: 1, method: 'system-info', args: {} }));
    });
    fresh.close();
    expect(info.ok).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  }, 120_000);
});

describe('the inputs the probe found returning internal errors', () => {
  const call = async (method: string, a: unknown) => (await dispatch(ws.handlers, 1, method, a)) as Reply & { error?: { fields?: Array<{ field: string }> } };
  it('values nested 5,000 levels deep are a validation error naming the limit', async () => {
    let v: unknown = 1;
    for (let i = 0; i < 5000; i++) v = [v];
    for (const a of [v, { runIds: v }, { kind: v }]) {
      const r = await call('runs-list', a);
      expect(r.error).toMatchObject({ type: 'validation', code: 'INVALID_INPUT' });
      expect(r.error?.message).toMatch(/nested more than 64 levels deep/);
    }
  });
  it('a BigInt is a validation error naming the field', async () => {
    const r = await call('hedging-start', { model: 'bsdh', paths: 10n });
    expect(r.error).toMatchObject({ type: 'validation', code: 'INVALID_INPUT' });
    expect(r.error?.fields?.[0].field).toBe('paths');
    expect(r.error?.message).toMatch(/BigInt/);
  });
  it.each(['.', '..', 'a\u0000b', 'line\nbreak'])('upload name %j is a validation error on name', async (name) => {
    const r = await call('orderbook-upload', { name, dataBase64: 'YWJj' });
    expect(r.error).toMatchObject({ type: 'validation' });
    expect(r.error?.fields?.[0].field).toBe('name');
    expect(r.error?.message).not.toContain(dataDir);
  });
  it('orderbook-inspect {path: "/"} is refused by the file policy, not an internal error', async () => {
    const r = await call('orderbook-inspect', { path: '/' });
    expect(r.error).toMatchObject({ type: 'validation', code: 'FILE_NOT_ALLOWED' });
  });
});
