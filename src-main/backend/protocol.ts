/**
 * Messages between Electron's main process and the workstation backend running in a `utilityProcess`
 * (src-main/backend/main.ts). The main process only relays: requests go in as they came from the window,
 * replies and pushed events come back already encoded as JSON (bounded by the reply budget), and the
 * preload parses them in the renderer — so no reply is built, stringified or parsed on the main process.
 */
export type ToBackend =
  | { type: 'call'; id: number; method: string; args: unknown }
  /** A path the user picked in a native dialog or dropped on the window: the backend may read it (files/policy.ts). */
  | { type: 'grant'; id: number; path: string }
  | { type: 'shutdown' };

/** `payload`: JSON text, or its UTF-8 bytes when a read worker encoded it. */
export type FromBackend =
  | { type: 'ready' }
  | { type: 'reply'; id: number; payload: string | Uint8Array }
  | { type: 'granted'; id: number }
  | { type: 'push'; payload: string }
  | { type: 'fatal'; message: string };

/** The part of Electron's `process.parentPort` (a utility process's port to main) the backend uses. */
export interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}
