import { toAppError, type AppError } from '../../src-shared/api/errors';
import { type RpcResponse } from '../../src-shared/api/contract';

/**
 * Replies are bounded: no reply (or pushed event) may be larger than REPLY_BUDGET_BYTES once encoded, and a
 * failure to encode one never escapes — it becomes an error reply to the same request id.
 *
 * Why a budget: V8 cannot build a string longer than ~512 MiB, and a reply of hundreds of MiB freezes the
 * host while it is stringified and the renderer while it is parsed. Handlers that can return large arrays
 * page them (orderbook-paths-get pages by cells, see PATHS_PAGE_MAX_CELLS) and stay well under the budget;
 * the budget is the last line of defence for any handler that does not.
 */
export const REPLY_BUDGET_BYTES = 32 * 1024 * 1024;

/**
 * A handler result that is already JSON, as UTF-8 bytes (encoded off the request thread by a read worker).
 * The transports splice the bytes into the reply as they are — no string is built, measured or re-encoded
 * on the thread that serves requests; in-process callers get it parsed.
 */
export class EncodedResult {
  readonly json: Buffer;
  constructor(json: Uint8Array | string) {
    this.json = typeof json === 'string' ? Buffer.from(json, 'utf8') : Buffer.from(json.buffer, json.byteOffset, json.byteLength);
  }
  get bytes(): number {
    return this.json.length;
  }
}

/** Byte size in MiB with one decimal, for messages. */
export const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

function errorReply(id: number, error: AppError): string {
  return JSON.stringify({ id, ok: false, error });
}

const tooLarge = (id: number, bytes: number, budget: number): string =>
  errorReply(id, {
    type: 'validation',
    code: 'REPLY_TOO_LARGE',
    message: `the reply would be ${mib(bytes)}, over the ${mib(budget)} limit of one reply; ask for less at once (page with offset and limit, or compare fewer runs)`,
  });

/**
 * Encode one reply as the payload of a JSON text frame (a string, or UTF-8 bytes when the result came
 * pre-encoded). Never throws: a result that cannot be encoded (BigInt, a cycle, a string beyond V8's limit)
 * or that is larger than `budget` bytes becomes `{ ok: false }` with an error naming the limit and what to do.
 */
export function encodeReply(resp: RpcResponse, budget: number = REPLY_BUDGET_BYTES): string | Buffer {
  if (resp.ok && resp.result instanceof EncodedResult) {
    const head = Buffer.from(`{"id":${resp.id},"ok":true,"result":`);
    const size = head.length + resp.result.bytes + 1;
    if (size > budget) return tooLarge(resp.id, size, budget);
    return Buffer.concat([head, resp.result.json, Buffer.from('}')], size);
  }
  let text: string;
  try {
    text = JSON.stringify(resp);
  } catch (e) {
    return errorReply(resp.id, {
      type: 'internal',
      code: 'REPLY_ENCODE_FAILED',
      message: `the reply could not be encoded (${toAppError(e).message}); ask for less (a smaller page or fewer runs) and report this if it persists`,
    });
  }
  // A UTF-16 length is a lower bound of the UTF-8 size, and at most a third of it; measure only near the limit.
  if (text.length > budget / 3) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > budget) return tooLarge(resp.id, bytes, budget);
  }
  return text;
}

/** Encode a pushed event; null when it cannot be encoded or is over the budget (the caller logs and drops it). */
export function encodePush(msg: unknown, budget: number = REPLY_BUDGET_BYTES): string | null {
  try {
    const text = JSON.stringify(msg);
    return Buffer.byteLength(text, 'utf8') > budget ? null : text;
  } catch {
    return null;
  }
}

/** For in-process callers (Electron IPC, tests): an EncodedResult parsed back into the value it encodes. */
export function decodeResult(resp: RpcResponse): RpcResponse {
  if (!resp.ok || !(resp.result instanceof EncodedResult)) return resp;
  try {
    return { id: resp.id, ok: true, result: JSON.parse(resp.result.json.toString('utf8')) };
  } catch (e) {
    return { id: resp.id, ok: false, error: { type: 'internal', code: 'REPLY_DECODE_FAILED', message: `the reply could not be decoded: ${toAppError(e).message}` } };
  }
}
