/**
 * A read-pool task module for tests of cancelling reads (test/integration/read-pool-cancel.test.ts): spins the
 * CPU for `args.ms` milliseconds (bounded by the wall clock), then answers like src-main/reads/worker.ts with
 * `{ value, ms, thread }` encoded as JSON.
 */
import { threadId } from 'node:worker_threads';

export default function slowRead(req: { task: string; args: { ms: number; value?: number } }): { ok: true; json: Uint8Array; deps: null } {
  const end = Date.now() + req.args.ms;
  let x = 0;
  while (Date.now() < end) x = Math.sqrt(x + 1);
  const json = new TextEncoder().encode(JSON.stringify({ value: req.args.value ?? 0, ms: req.args.ms, thread: threadId, x: x > 0 }));
  return { ok: true, json, deps: null };
}
