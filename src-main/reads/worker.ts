import { workerData } from 'piscina';
import { toAppError, type AppError } from '../../src-shared/api/errors';
import { REPLY_BUDGET_BYTES, mib } from '../host/reply';
import { movable } from '../jobs/pool';
import { openReadOnly, type Db } from '../store/db';
import { READ_TASKS, type ReadTask } from './tasks';

/** A read worker's answer: the result already encoded as JSON in UTF-8 (the request thread only forwards the bytes). */
export type ReadOutcome = { ok: true; json: Uint8Array; deps: string[] | null } | { ok: false; error: AppError };

export interface ReadRequest {
  task: ReadTask;
  args: unknown;
}

let db: Db | null = null;
const connection = (): Db => (db ??= openReadOnly({ file: (workerData as { dbFile: string }).dbFile, nativeBinding: (workerData as { nativeBinding?: string }).nativeBinding }));

/**
 * Piscina task module of the read pool (see reads/pool.ts): run one read on this worker's read-only
 * connection and encode its result, within the reply budget. Never throws: failures come back as AppErrors.
 */
export default function runRead(req: ReadRequest): ReadOutcome {
  try {
    const read = READ_TASKS[req.task] as (db: Db, args: unknown) => { result: unknown; deps: string[] | null };
    if (!read) throw new Error(`no read task "${req.task}"`);
    const { result, deps } = read(connection(), req.args);
    const json = Buffer.from(JSON.stringify(result), 'utf8');
    const bytes = json.length;
    if (bytes > REPLY_BUDGET_BYTES) {
      return {
        ok: false,
        error: { type: 'validation', code: 'REPLY_TOO_LARGE', message: `the reply would be ${mib(bytes)}, over the ${mib(REPLY_BUDGET_BYTES)} limit of one reply; ask for less at once` },
      };
    }
    // moved, not copied, to the request thread (a small Buffer sits in Node's shared pool: copy it out first)
    const own = json.byteOffset === 0 && json.buffer.byteLength === bytes ? new Uint8Array(json.buffer, 0, bytes) : new Uint8Array(json);
    return movable<ReadOutcome>({ ok: true, json: own, deps }, [own.buffer]);
  } catch (e) {
    if (e instanceof RangeError && /string length/i.test(e.message)) {
      // V8's longest string (~512 MiB) is far over the budget: say so, not "internal"
      return { ok: false, error: { type: 'validation', code: 'REPLY_TOO_LARGE', message: `the reply would be over the ${mib(REPLY_BUDGET_BYTES)} limit of one reply; ask for less at once` } };
    }
    return { ok: false, error: toAppError(e) };
  }
}
