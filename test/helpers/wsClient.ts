import WebSocket from 'ws';
import { Worker } from 'node:worker_threads';

/** A client of the browser-mode host over its real WebSocket (token + Origin as the page sends them). */
export interface WsClient {
  /** One call: resolves with the reply envelope, its size in bytes and how long it took. */
  call<T = unknown>(method: string, args: unknown): Promise<{ reply: { id: number; ok: boolean; result?: T; error?: { type: string; code: string; message: string; fields?: Array<{ field: string; message: string }> } }; bytes: number; ms: number }>;
  /** One call whose reply is not parsed (a large page): its id is read from the head, its size counted. */
  callRaw(method: string, args: unknown): Promise<{ head: string; bytes: number; ms: number }>;
  close(): void;
}

export function connectWs(port: number, token: string): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const s = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`, { origin: `http://127.0.0.1:${port}`, maxPayload: 256 * 1024 * 1024, skipUTF8Validation: true });
    let next = 1;
    const waiting = new Map<number, (data: Buffer) => void>();
    s.on('message', (data: Buffer) => {
      const id = /^\{"id":(\d+),/.exec(data.subarray(0, 32).toString('latin1'));
      if (id) waiting.get(Number(id[1]))?.(data);
    });
    const send = (method: string, args: unknown): Promise<{ data: Buffer; ms: number }> => {
      const id = next++;
      const t0 = performance.now();
      return new Promise((res) => {
        waiting.set(id, (data) => {
          waiting.delete(id);
          res({ data, ms: performance.now() - t0 });
        });
        s.send(JSON.stringify({ id, method, args }));
      });
    };
    s.once('open', () =>
      resolve({
        async call(method, args) {
          const { data, ms } = await send(method, args);
          return { reply: JSON.parse(data.toString()), bytes: data.length, ms };
        },
        async callRaw(method, args) {
          const { data, ms } = await send(method, args);
          return { head: data.subarray(0, 200).toString(), bytes: data.length, ms };
        },
        close: () => s.close(),
      }),
    );
    s.once('error', reject);
  });
}

/**
 * Make calls from a client on another thread (as a browser would be: its receiving and parsing of large
 * replies does not run on the host's thread). Resolves with each reply's first 200 characters and size.
 */
export function callsFromAnotherThread(port: number, token: string, calls: Array<{ method: string; args: unknown }>): Promise<Array<{ head: string; bytes: number }>> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const WebSocket = require('ws');
    const { port, token, calls } = workerData;
    const s = new WebSocket('ws://127.0.0.1:' + port + '/rpc?token=' + token, { origin: 'http://127.0.0.1:' + port, maxPayload: 256 * 1024 * 1024 });
    const out = [];
    s.on('message', (data) => {
      JSON.parse(data.toString());
      out.push({ head: data.subarray(0, 200).toString(), bytes: data.length });
      if (out.length === calls.length) { s.close(); parentPort.postMessage(out); } else send(out.length);
    });
    const send = (i) => s.send(JSON.stringify({ id: i + 1, method: calls[i].method, args: calls[i].args }));
    s.once('open', () => send(0));
    s.once('error', (e) => { throw e; });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { port, token, calls } });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}
