import { describe, expect, it } from 'vitest';
import { toAppError } from '../../../src-shared/api/errors';
import { DEFAULT_HEDGE_CONFIG } from '../../../src-shared/hedging/config';
import { DEFAULT_QLBS_CONFIG } from '../../../src-shared/qlbs/config';
import { clusterError, parseRedisUrl, redact } from '../../../src-main/cluster/connection';
import { CANCELLED_REASON, checkPayload, decodeResult, encodeResult, failureMessage, failureOf, isCancelledReason, refusalOf } from '../../../src-main/cluster/payload';

const RUN = '0b7f3c1e-1111-4222-8333-444455556666';
const payload = (kind: string, config: unknown, extra: Record<string, unknown> = {}) => ({ runId: RUN, kind, config, v: 1, ...extra });

describe('Redis URL', () => {
  it('parses host, port, db, user, password and TLS; `where` never has the password', () => {
    const t = parseRedisUrl('rediss://alice:p%40ss%3Aword@redis.example.com:6380/2');
    expect(t).toMatchObject({ host: 'redis.example.com', port: 6380, db: 2, username: 'alice', password: 'p@ss:word', tls: true });
    expect(t.where).toBe('rediss://alice@redis.example.com:6380/2');
    expect(parseRedisUrl('redis://:secret@127.0.0.1')).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, password: 'secret', tls: false, where: 'redis://127.0.0.1' });
    expect(parseRedisUrl('redis://[::1]:7000')).toMatchObject({ host: '::1', port: 7000 });
  });

  it('refuses what is not a Redis URL, naming the problem and hiding the password', () => {
    for (const [url, why] of [
      ['http://h:1', /scheme http is neither redis nor rediss/],
      ['redis://:pw@h:1/99', /database "99" is not a number 0–15/],
      ['not a url', /not a URL/],
    ] as const) {
      const e = toAppError((() => { try { parseRedisUrl(url); } catch (x) { return x; } })());
      expect(e.code).toBe('CLUSTER_URL');
      expect(e.message).toMatch(why);
      expect(e.message).toMatch(/redis:\/\/\[user:password@\]host:port/);
    }
    expect(redact('redis://u:hunter2@h:1')).toBe('redis://u:***@h:1');
  });

  it('maps ioredis errors onto codes with what to do', () => {
    const t = parseRedisUrl('redis://:pw@db.local:6379');
    const cases: Array<[unknown, string, RegExp]> = [
      [new Error('WRONGPASS invalid username-password pair or user is disabled.'), 'CLUSTER_AUTH', /check the password/],
      [new Error('NOAUTH Authentication required.'), 'CLUSTER_AUTH', /needs a password/],
      [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'CLUSTER_UNREACHABLE', /start redis-server there/],
      [Object.assign(new Error('getaddrinfo ENOTFOUND db.local'), { code: 'ENOTFOUND' }), 'CLUSTER_UNREACHABLE', /was not found/],
      [Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'CLUSTER_TLS', /NODE_EXTRA_CA_CERTS/],
      [Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'CLUSTER_UNREACHABLE', /firewall/],
    ];
    for (const [err, code, re] of cases) {
      const e = clusterError(err, t).appError;
      expect(e.code).toBe(code);
      expect(e.message).toMatch(re);
      expect(e.message).not.toContain(':pw@');
    }
  });
});

describe('cluster payloads', () => {
  it('accepts a valid config of a kind the cluster runs, with the handlers schemas (hedge with its experiment slot)', () => {
    expect(checkPayload(payload('hedge', { ...DEFAULT_HEDGE_CONFIG, experimentSlot: 'conv:K1:bsdh' }))).toMatchObject({ ok: true });
    expect(checkPayload(payload('qlbs', DEFAULT_QLBS_CONFIG))).toMatchObject({ ok: true });
  });

  it('rejects bad payloads with the reason', () => {
    const reason = (x: unknown): string => {
      const r = checkPayload(x);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason(payload('hedge', { ...DEFAULT_HEDGE_CONFIG, paths: 1 }))).toMatch(/invalid hedge config — config\.paths: paths must be >= 2/);
    expect(reason(payload('hedge', { ...DEFAULT_HEDGE_CONFIG, extra: 1 }))).toMatch(/invalid hedge config/);
    expect(reason(payload('qlbs', { ...DEFAULT_QLBS_CONFIG, seed: -1 }))).toMatch(/invalid qlbs config — config\.seed/);
    expect(reason(payload('hedge', DEFAULT_HEDGE_CONFIG, { v: 2 }))).toMatch(/payload version 2 is not 1/);
    expect(reason(payload('rm -rf', {}))).toMatch(/no job kind "rm -rf"/);
    expect(reason(payload('toString', {}))).toMatch(/no job kind/);
    expect(reason(payload('hedge', DEFAULT_HEDGE_CONFIG, { runId: '../../x' }))).toMatch(/is not a run id/);
    expect(reason(null)).toMatch(/no payload/);
    expect(reason(payload('orderbook-import', {}))).toMatch(/do not run on the cluster: an order-book import reads files on this machine/);
  });

  it('refuses kinds that read the local store, with the reason', () => {
    expect(refusalOf({ kind: 'hedge', config: DEFAULT_HEDGE_CONFIG })).toBeNull();
    expect(refusalOf({ kind: 'bsde-solve', config: {} })).toBeNull();
    expect(refusalOf({ kind: 'hedge', config: { ...DEFAULT_HEDGE_CONFIG, data: { kind: 'paths', datasetId: 'x' } } })).toMatch(/trains on an order-book path set stored on this machine/);
    expect(refusalOf({ kind: 'hedge', config: { ...DEFAULT_HEDGE_CONFIG, evaluation: { runId: RUN, epoch: 1, sourceLabel: 'a' } } })).toMatch(/evaluates the stored weights of run .* which live in the local store/);
    expect(refusalOf({ kind: 'hedge', config: { ...DEFAULT_HEDGE_CONFIG, resume: { runId: RUN, epoch: 1 } } })).toMatch(/continues run .* from a checkpoint kept in the local store/);
    for (const kind of ['orderbook-import', 'orderbook-paths', 'bsde-hedge', 'heston-hedge']) expect(refusalOf({ kind, config: {} })).toMatch(/this machine/);
  });

  it('carries results bit for bit and failures as AppErrors', () => {
    const pnl = new Float64Array([0.1, -0, Number.MIN_VALUE, 1 / 3, NaN]);
    const w = new Float32Array([1.5, -2.25]);
    const back = decodeResult(JSON.parse(JSON.stringify(encodeResult({ wallMs: 5, metrics: { a: 1 }, arrays: { pnl, w0: w } }))));
    expect(back.wallMs).toBe(5);
    expect(back.metrics).toEqual({ a: 1 });
    const got = back.arrays.pnl as Float64Array;
    expect(got).toBeInstanceOf(Float64Array);
    expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(pnl.buffer))).toBe(true);
    expect(back.arrays.w0).toBeInstanceOf(Float32Array);
    expect(() => decodeResult({ v: 9, data: '' })).toThrow(/unknown format/);
    const err = { type: 'job' as const, code: 'JOB_FAILED', message: 'boom: x' };
    expect(failureOf(failureMessage(err))).toEqual(err);
    expect(failureOf('job stalled more than allowable limit')).toMatchObject({ code: 'CLUSTER_JOB_FAILED', message: 'the cluster job failed: job stalled more than allowable limit' });
    expect(isCancelledReason(CANCELLED_REASON)).toBe(true);
    expect(isCancelledReason(failureMessage(err))).toBe(false);
  });
});
