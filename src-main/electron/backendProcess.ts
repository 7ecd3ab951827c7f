import { join } from 'node:path';
import { utilityProcess, type UtilityProcess } from 'electron';
import { type RpcResponse } from '../../src-shared/api/contract';
import { type FromBackend, type ToBackend } from '../backend/protocol';

/** What the window's preload receives for one call: the reply as JSON text (or its UTF-8 bytes), parsed there. */
export type ReplyPayload = string | Uint8Array;

export interface BackendProcess {
  /** Relay one call; resolves with the encoded reply (an error reply if the backend is gone). */
  call(method: unknown, args: unknown): Promise<ReplyPayload>;
  /** Let the backend read a path the user picked or dropped (files/policy.ts 'granted' mode); resolves once granted. */
  grant(path: string): Promise<void>;
  /** Pushed events, encoded, for every window. */
  onPush(listener: (payload: string) => void): void;
  /** Resolves once the backend has opened the store. */
  ready: Promise<void>;
  /** Ask the backend to cancel its jobs and close the store; resolves when it has exited. */
  shutdown(): Promise<void>;
}

const errorPayload = (id: number, code: string, message: string): string =>
  JSON.stringify({ id, ok: false, error: { type: 'internal', code, message } } satisfies RpcResponse);

/**
 * The workstation backend (src-main/backend/main.ts, bundled as out/main/backend.js) in an Electron
 * `utilityProcess`, as Actual Budget runs its server: the main process keeps only windows and relays calls
 * and events, so a long handler or a large reply never freezes a window. If the backend dies it is started
 * again, and calls in flight get an error reply saying so.
 */
export function startBackendProcess(opts: { dataDir: string; nativeBinding?: string }): BackendProcess {
  const pending = new Map<number, (p: ReplyPayload) => void>();
  const grants = new Map<number, () => void>();
  const pushListeners: Array<(payload: string) => void> = [];
  let next = 1;
  let child: UtilityProcess;
  let quitting = false;
  let exited: () => void = () => {};
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));

  const spawn = (): void => {
    const args = ['--data-dir', opts.dataDir, ...(opts.nativeBinding ? ['--native-binding', opts.nativeBinding] : [])];
    child = utilityProcess.fork(join(__dirname, 'backend.js'), args, { serviceName: 'Hedge Workstation backend', stdio: 'inherit' });
    child.on('message', (m: FromBackend) => {
      if (m.type === 'reply') {
        pending.get(m.id)?.(m.payload);
        pending.delete(m.id);
      } else if (m.type === 'granted') {
        grants.get(m.id)?.();
        grants.delete(m.id);
      } else if (m.type === 'push') pushListeners.forEach((l) => l(m.payload));
      else if (m.type === 'ready') markReady();
      else if (m.type === 'fatal') console.error(`backend failed: ${m.message}`);
    });
    child.on('exit', (code) => {
      for (const [id, resolve] of pending) resolve(errorPayload(id, 'BACKEND_EXITED', `the workstation backend stopped (code ${code}) before answering; it is restarting — try again`));
      pending.clear();
      // a restarted backend starts with no grants: the user picks the file again
      for (const done of grants.values()) done();
      grants.clear();
      if (quitting) exited();
      else spawn();
    });
  };
  spawn();

  return {
    call(method, args) {
      const id = next++;
      return new Promise<ReplyPayload>((resolve) => {
        pending.set(id, resolve);
        child.postMessage({ type: 'call', id, method: typeof method === 'string' ? method : String(method), args } satisfies ToBackend);
      });
    },
    grant(path) {
      const id = next++;
      return new Promise<void>((resolve) => {
        grants.set(id, resolve);
        child.postMessage({ type: 'grant', id, path } satisfies ToBackend);
      });
    },
    onPush(l) {
      pushListeners.push(l);
    },
    ready,
    shutdown() {
      quitting = true;
      return new Promise<void>((resolve) => {
        exited = resolve;
        child.postMessage({ type: 'shutdown' } satisfies ToBackend);
      });
    },
  };
}
