import { dispatch } from '../../src-main/host/dispatch';
import { type Workstation } from '../../src-main/workstation';

/** A handler reply as dispatch returns it. */
export type Ok<T> = { ok: true; result: T };
export type Err = { ok: false; error: { type: string; code: string; message: string; fields?: Array<{ field: string; message: string; value: unknown }> } };

/** `call` returns the envelope; `ok` returns the result or throws with the handler's message. */
export function rpc(ws: () => Workstation) {
  const call = async <T = unknown>(method: string, args: unknown) => (await dispatch(ws().handlers, 1, method, args)) as Ok<T> | Err;
  const ok = async <T = unknown>(method: string, args: unknown): Promise<T> => {
    const r = await call<T>(method, args);
    if (!r.ok) throw new Error(`${method} failed: ${r.error.message}`);
    return r.result;
  };
  return { call, ok };
}
