import { dispatch } from '../host/dispatch';
import { encodePush, encodeReply } from '../host/reply';
import { type Workstation } from '../workstation';
import { type FromBackend, type ToBackend } from './protocol';

/**
 * The workstation served over a message port (Electron's utilityProcess parentPort, or any port with the
 * same shape): each call is dispatched (validated, never throws) and its reply encoded within the reply
 * budget; pushed events are encoded once and posted. The browser-mode host (host/server.ts) serves the same
 * workstation over a WebSocket. Returns the handler of incoming messages and a function that unsubscribes.
 */
export function servePort(ws: Workstation, post: (m: FromBackend) => void, onShutdown: () => void): { onMessage(m: ToBackend): void; stop(): void } {
  const unsubscribe = ws.subscribe((event, payload) => {
    const text = encodePush({ event, payload });
    if (text === null) console.error(`event ${event} could not be encoded within the reply budget; dropped`);
    else post({ type: 'push', payload: text });
  });
  return {
    onMessage(m) {
      if (m?.type === 'shutdown') return onShutdown();
      if (m?.type === 'grant') {
        if (typeof m.path === 'string' && m.path !== '') ws.files.grant(m.path);
        return post({ type: 'granted', id: m.id });
      }
      if (m?.type !== 'call') return;
      const id = typeof m.id === 'number' ? m.id : -1;
      void dispatch(ws.handlers, id, typeof m.method === 'string' ? m.method : String(m.method), m.args, { encoded: true })
        .then((resp) => {
          const out = encodeReply(resp);
          post({ type: 'reply', id, payload: typeof out === 'string' ? out : new Uint8Array(out.buffer, out.byteOffset, out.byteLength) });
        })
        .catch((e) => console.error(`reply ${id} was not delivered: ${e instanceof Error ? e.message : String(e)}`));
    },
    stop: unsubscribe,
  };
}
