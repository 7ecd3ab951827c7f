import WebSocket from 'ws';

/** A client of the browser-mode host over its real WebSocket (token + Origin as the page sends them). */
export interface WsClient {
  /** One call: resolves with the reply envelope, its size in bytes and how long it took. */
  call<T = unknown>(method: string, args: unknown): Promise<{ reply: { id: number; ok: boolean; result?: T; error?: { type: string; code: string; message: string; fields?: Array<{ field: string; message: string }> } }; bytes: number; ms: number }>;
  close(): void;
}

export function connectWs(port: number, token: string): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const s = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`, { origin: `http://127.0.0.1:${port}`, maxPayload: 256 * 1024 * 1024 });
    let next = 1;
    const waiting = new Map<number, (text: string) => void>();
    s.on('message', (data) => {
      const text = data.toString();
      const m = JSON.parse(text) as { id?: number };
      if (typeof m.id === 'number') waiting.get(m.id)?.(text);
    });
    s.once('open', () =>
      resolve({
        call(method, args) {
          const id = next++;
          const t0 = performance.now();
          return new Promise((res) => {
            waiting.set(id, (text) => {
              waiting.delete(id);
              res({ reply: JSON.parse(text), bytes: Buffer.byteLength(text), ms: performance.now() - t0 });
            });
            s.send(JSON.stringify({ id, method, args }));
          });
        },
        close: () => s.close(),
      }),
    );
    s.once('error', reject);
  });
}
