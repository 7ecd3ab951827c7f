import { describe, expect, it } from 'vitest';
import { decodeResult, encodePush, encodeReply, EncodedResult, REPLY_BUDGET_BYTES } from '../../../src-main/host/reply';

describe('bounded replies (issue 13 item 1)', () => {
  it('encodes a reply as JSON and splices a pre-encoded result in as it is', () => {
    expect(JSON.parse(encodeReply({ id: 3, ok: true, result: { a: [1, 2] } }).toString())).toEqual({ id: 3, ok: true, result: { a: [1, 2] } });
    expect(encodeReply({ id: 4, ok: true, result: new EncodedResult('{"x":0.1}') }).toString()).toBe('{"id":4,"ok":true,"result":{"x":0.1}}');
    expect(JSON.parse(encodeReply({ id: 5, ok: true, result: new EncodedResult('"' + 'z'.repeat(1000) + '"') }, 1000).toString())).toMatchObject({ id: 5, ok: false, error: { code: 'REPLY_TOO_LARGE' } });
    expect(decodeResult({ id: 4, ok: true, result: new EncodedResult('[1,2.5]') })).toEqual({ id: 4, ok: true, result: [1, 2.5] });
  });

  it('turns a reply over the budget into an error reply naming the limit and how to ask for less', () => {
    const big = { id: 7, ok: true as const, result: 'x'.repeat(2000) };
    const out = JSON.parse(encodeReply(big, 1000).toString());
    expect(out).toMatchObject({ id: 7, ok: false, error: { type: 'validation', code: 'REPLY_TOO_LARGE' } });
    expect(out.error.message).toMatch(/over the 0\.0 MiB limit/);
    expect(out.error.message).toMatch(/page with offset and limit/);
    // multi-byte text: the UTF-8 size counts, not the string length (600 chars x 3 bytes > 1000)
    expect(JSON.parse(encodeReply({ id: 8, ok: true, result: '€'.repeat(600) }, 1000).toString())).toMatchObject({ ok: false, error: { code: 'REPLY_TOO_LARGE' } });
    expect(JSON.parse(encodeReply({ id: 9, ok: true, result: 'e'.repeat(600) }, 1000).toString())).toMatchObject({ ok: true });
    expect(REPLY_BUDGET_BYTES).toBe(32 * 1024 * 1024);
  });

  it('turns a result that cannot be encoded (BigInt, a cycle) into an error reply to the same id, never a throw', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const result of [{ n: 10n }, cyclic]) {
      const out = JSON.parse(encodeReply({ id: 11, ok: true, result }).toString());
      expect(out).toMatchObject({ id: 11, ok: false, error: { type: 'internal', code: 'REPLY_ENCODE_FAILED' } });
    }
    expect(encodePush({ event: 'x', payload: 1n })).toBeNull();
    expect(encodePush({ event: 'x', payload: 'y'.repeat(100) }, 50)).toBeNull();
    expect(encodePush({ event: 'x', payload: 1 })).toBe('{"event":"x","payload":1}');
  });
});
