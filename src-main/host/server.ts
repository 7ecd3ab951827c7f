import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { rpcRequestSchema, type PushMessage, type RpcResponse } from '../../src-shared/api/contract';
import { type Workstation } from '../workstation';
import { dispatch } from './dispatch';
import { encodePush, encodeReply } from './reply';

/**
 * Browser mode: the renderer's static files and the handler table over a WebSocket, on 127.0.0.1 only.
 * The socket needs the per-launch token (in the page URL) and an Origin of this very server; anything
 * else is refused at the upgrade. Malformed messages get an error reply and never reach a handler.
 */
export interface HostOptions {
  port: number;
  staticDir: string;
  token?: string;
}

export interface Host {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const MAX_MESSAGE_BYTES = 1 << 20;

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startHost(ws: Workstation, opts: HostOptions): Promise<Host> {
  const token = opts.token ?? randomBytes(18).toString('base64url');
  const serveStatic = sirv(opts.staticDir, { single: true, dev: false, etag: true, gzip: false, brotli: false });
  const server: Server = createServer((req, res) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.end('method not allowed');
      return;
    }
    serveStatic(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const given = url.searchParams.get('token') ?? '';
    const ok = url.pathname === '/rpc' && sameToken(given, token) && origins.has(req.headers.origin ?? '');
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
  });

  /** Encode (bounded, never throws: see reply.ts) and send; a failed send is logged, never thrown. */
  const send = (client: WebSocket, msg: RpcResponse): void => {
    if (client.readyState !== client.OPEN) return;
    const text = encodeReply(msg);
    try {
      client.send(text, { binary: false }, (err) => err && console.error(`reply ${msg.id} was not delivered: ${err.message}`));
    } catch (e) {
      console.error(`reply ${msg.id} was not delivered: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  wss.on('connection', (client) => {
    client.on('message', (data, isBinary) => {
      void (async () => {
        let raw: unknown;
        try {
          if (isBinary) throw new Error('binary frames are not accepted');
          raw = JSON.parse(data.toString());
        } catch (e) {
          return send(client, { id: -1, ok: false, error: { type: 'protocol', code: 'MALFORMED', message: `malformed message: ${(e as Error).message}` } });
        }
        const env = rpcRequestSchema.safeParse(raw);
        if (!env.success) {
          const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
          return send(client, { id, ok: false, error: { type: 'protocol', code: 'MALFORMED', message: 'a request is { id, method, args }' } });
        }
        send(client, await dispatch(ws.handlers, env.data.id, env.data.method, env.data.args, { encoded: true }));
      })().catch((e) => console.error(`request failed outside its handler: ${e instanceof Error ? e.stack : String(e)}`));
    });
    client.on('error', () => client.terminate());
  });
  const unsubscribe = ws.subscribe((event, payload) => {
    const msg = encodePush({ event, payload } satisfies PushMessage);
    if (msg === null) return console.error(`event ${event} could not be encoded within the reply budget; dropped`);
    wss.clients.forEach((c) => {
      if (c.readyState !== c.OPEN) return;
      try {
        c.send(msg);
      } catch (e) {
        console.error(`event ${event} was not delivered: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  });

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      wss.clients.forEach((c) => c.terminate());
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
