import {
  type EventName,
  type Events,
  type Method,
  type PreloadApi,
  type PushMessage,
  type Req,
  type Res,
  type RpcResponse,
} from '../../src-shared/api/contract';
import { type AppError, isAppError, toAppError } from '../../src-shared/api/errors';

/**
 * The renderer's one way to reach the main process.
 *
 * `call('runs-get', { runId })` is typed from the contract: the arguments are `Req<M>`, the result `Res<M>`.
 * It rejects with an {@link RpcError} that carries the {@link AppError} the handler threw (or a `protocol`
 * AppError when the connection broke). `subscribe('run-progress', cb)` delivers pushed events.
 *
 * Two transports behind the same functions:
 * - electron: `window.workstation` (the preload's {@link PreloadApi}); always connected.
 * - browser: a WebSocket to `ws://<host>/rpc?token=<token from the page URL>`, sending `{ id, method, args }`
 *   and receiving `{ id, ok, result | error }` or pushes `{ event, payload }`. Calls made while the socket is
 *   down wait in a queue; a dropped socket reconnects with exponential backoff (250 ms doubling to 10 s,
 *   with jitter). Calls already sent when the socket drops are rejected (`CONNECTION_LOST`): they may or may
 *   not have run, and resending a `hedging-start` could start a run twice.
 */

declare global {
  interface Window {
    workstation?: PreloadApi;
  }
}

/** An Error a failed `call` rejects with; `.appError` is what crossed the boundary. */
export class RpcError extends Error {
  readonly appError: AppError;
  readonly method: string;
  constructor(method: string, appError: AppError) {
    super(appError.message);
    this.name = 'RpcError';
    this.method = method;
    this.appError = appError;
  }
}

/** The AppError behind anything a `call` rejected with. */
export function appErrorOf(e: unknown): AppError {
  return e instanceof RpcError ? e.appError : toAppError(e);
}

/** What to show for a failed `call`: the messages of its invalid fields joined by '; ', or else its message. */
export function appErrorText(e: unknown): string {
  const err = appErrorOf(e);
  return err.fields?.length ? err.fields.map((f) => f.message).join('; ') : err.message;
}

export type TransportKind = 'electron' | 'browser';
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'no-token';

export interface ConnectionState {
  transport: TransportKind;
  status: ConnectionStatus;
  /** Failed attempts since the last successful connection. */
  attempts: number;
  /** When the next reconnect attempt happens (epoch ms), while reconnecting. */
  retryAt: number | null;
  /** Calls waiting for the connection. */
  queued: number;
  /** Times the socket opened (1 after the first connection; more after reconnects). */
  opens: number;
}

interface Transport {
  readonly kind: TransportKind;
  send(method: string, args: unknown): Promise<RpcResponse>;
}

type PushListener = (msg: PushMessage) => void;
type StateListener = (s: ConnectionState) => void;

const pushListeners = new Set<PushListener>();
const stateListeners = new Set<StateListener>();
let state: ConnectionState = { transport: 'browser', status: 'connecting', attempts: 0, retryAt: null, queued: 0, opens: 0 };

function setState(patch: Partial<ConnectionState>): void {
  state = { ...state, ...patch };
  for (const l of stateListeners) l(state);
}

function dispatchPush(msg: PushMessage): void {
  for (const l of pushListeners) {
    try {
      l(msg);
    } catch (e) {
      console.error('event listener failed', msg.event, e);
    }
  }
}

const protocolError = (code: string, message: string): AppError => ({ type: 'protocol', code, message });

/** Electron: the preload bridge. */
function electronTransport(api: PreloadApi): Transport {
  api.on(dispatchPush);
  setState({ transport: 'electron', status: 'open', opens: 1 });
  return { kind: 'electron', send: (method, args) => api.invoke(method, args) };
}

/** Browser mode: one WebSocket, reconnecting, with a queue of calls not yet sent. */
function webSocketTransport(): Transport {
  const token = new URLSearchParams(location.search).get('token');
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc?token=${encodeURIComponent(token ?? '')}`;
  let ws: WebSocket | null = null;
  let nextId = 1;
  /** Every call not yet answered; `sent` once its frame went out on the current socket. */
  const pending = new Map<number, { resolve: (r: RpcResponse) => void; sent: boolean }>();
  const queue: Array<{ id: number; frame: string }> = [];

  setState({ transport: 'browser' });
  if (!token) {
    setState({ status: 'no-token' });
  }

  const flush = (): void => {
    while (ws && ws.readyState === WebSocket.OPEN && queue.length > 0) {
      const item = queue.shift()!;
      ws.send(item.frame);
      const p = pending.get(item.id);
      if (p) p.sent = true;
    }
    setState({ queued: queue.length });
  };

  const scheduleReconnect = (): void => {
    const attempts = state.attempts + 1;
    const base = Math.min(10_000, 250 * 2 ** Math.min(attempts - 1, 6));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    setState({ status: 'reconnecting', attempts, retryAt: Date.now() + delay });
    setTimeout(connect, delay);
  };

  function connect(): void {
    if (state.status !== 'reconnecting') setState({ status: 'connecting' });
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (e) {
      console.error('WebSocket failed to open', e);
      scheduleReconnect();
      return;
    }
    ws = socket;
    socket.onopen = () => {
      setState({ status: 'open', attempts: 0, retryAt: null, opens: state.opens + 1 });
      flush();
    };
    socket.onmessage = (ev: MessageEvent) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        console.error('unparseable message from host', ev.data);
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      if ('event' in msg) {
        dispatchPush(msg as PushMessage);
        return;
      }
      const res = msg as RpcResponse;
      const p = pending.get(res.id);
      if (p) {
        pending.delete(res.id);
        p.resolve(res);
      }
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      ws = null;
      // Calls already sent cannot be known to have run or not: fail them rather than resend.
      for (const [id, p] of pending) {
        if (!p.sent) continue;
        pending.delete(id);
        p.resolve({
          id,
          ok: false,
          error: protocolError('CONNECTION_LOST', 'Connection to the workstation host was lost; try again.'),
        });
      }
      scheduleReconnect();
    };
    socket.onerror = () => {
      // onclose follows and does the work.
    };
  }

  if (token) connect();

  return {
    kind: 'browser',
    send(method, args) {
      const id = nextId++;
      return new Promise<RpcResponse>((resolve) => {
        if (!token) {
          resolve({
            id,
            ok: false,
            error: protocolError('NO_TOKEN', 'The page address has no ?token=...; open the address the host printed.'),
          });
          return;
        }
        const frame = JSON.stringify({ id, method, args });
        if (ws && ws.readyState === WebSocket.OPEN) {
          pending.set(id, { resolve, sent: true });
          ws.send(frame);
        } else {
          pending.set(id, { resolve, sent: false });
          queue.push({ id, frame });
          setState({ queued: queue.length });
        }
      });
    },
  };
}

let transport: Transport | null = null;
function getTransport(): Transport {
  if (!transport) transport = window.workstation ? electronTransport(window.workstation) : webSocketTransport();
  return transport;
}

/** Call a handler of the contract. Resolves with its result; rejects with an {@link RpcError}. */
export async function call<M extends Method>(method: M, args: Req<M>): Promise<Res<M>> {
  const res = await getTransport().send(method, args);
  if (res.ok) return res.result as Res<M>;
  throw new RpcError(method, isAppError(res.error) ? res.error : protocolError('BAD_RESPONSE', 'malformed error from host'));
}

/** Listen to one pushed event; returns the unsubscribe function. */
export function subscribe<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void {
  getTransport();
  const listener: PushListener = (msg) => {
    if (msg.event === event) cb(msg.payload as Events[E]);
  };
  pushListeners.add(listener);
  return () => {
    pushListeners.delete(listener);
  };
}

/** Current connection state (transport, open/reconnecting, queue length). */
export function getConnectionState(): ConnectionState {
  getTransport();
  return state;
}

/** Listen to connection state changes; returns the unsubscribe function. */
export function onConnectionState(cb: StateListener): () => void {
  getTransport();
  stateListeners.add(cb);
  return () => {
    stateListeners.delete(cb);
  };
}
