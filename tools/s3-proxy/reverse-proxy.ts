/**
 * An HTTP reverse proxy in front of an S3-compatible server, shared by the bench (request counts of
 * every tool, whatever SDK it uses) and the tests (injected faults). What it does beyond forwarding
 * comes from plugins: each sees every request with its S3 operation and may ask for an action
 * (latency, an S3-style error answer, a dropped connection, a stalled body); the counting and fault
 * plugins live in counting-proxy.ts and fault-proxy.ts.
 *
 * Plain forwarding keeps method, path, query and headers (Host included: the SigV4 signature covers
 * it) and streams bodies both ways without buffering. Only hop-by-hop headers are dropped; none of
 * them is covered by SigV4. Client connections are kept alive.
 *
 * Only path-style URLs (`/bucket/key`) are classified; use `forcePathStyle: true` on the client.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyS3Request } from './classify-s3-request.js';

export interface ProxiedRequest {
  method: string;
  /** Path and query as received, e.g. `/bucket/key?x-id=GetObject`. */
  url: string;
  /** The S3 operation, as classify-s3-request.ts names it (`HeadObject`, `UploadPart`, …). */
  operation: string;
  /** As received (what the server is sent too); plugins read them, never change them. */
  headers: Readonly<IncomingHttpHeaders>;
}

/** What a plugin may ask the proxy to do to one request instead of forwarding it plainly. */
export interface ProxyAction {
  /** Added before anything else happens to the request (latency). */
  delayMs?: number;
  /**
   * Answer with an S3-style XML error instead of forwarding (the request is never seen upstream).
   * `code` defaults from the status (503 → ServiceUnavailable, 500 → InternalError, …). HEAD answers
   * carry no body, as with real S3, so the SDK names such errors from the status alone.
   */
  respond?: { status: number; code?: string; message?: string };
  /**
   * Destroy the client socket: `before-response` without forwarding anything upstream (the client
   * sees ECONNRESET / socket hang up), `mid-body` after the first half of the response body has been
   * flushed to the socket (the client sees the headers, half the bytes, then a premature close). For
   * a response without a body, `mid-body` drops the socket right after the headers.
   */
  resetConnection?: 'before-response' | 'mid-body';
  /** Send the first half of the response body, pause this long, then send the rest. */
  stallMidBodyMs?: number;
}

export interface ProxyPlugin {
  /**
   * Sees every request, in plugin order. The actions returned are merged field by field, an earlier
   * plugin's field winning: a latency plugin's delay and a throttle plugin's 503 then both apply.
   */
  onRequest?(request: ProxiedRequest): ProxyAction | undefined;
  /** The status the client was answered with, forwarded or injected. */
  onResponse?(request: ProxiedRequest, status: number): void;
  /** The upstream server could not be reached or failed mid-answer. */
  onUpstreamError?(request: ProxiedRequest): void;
}

export interface ReverseProxyOptions {
  plugins: ProxyPlugin[];
  /**
   * Pool upstream connections. Off by default, one connection per request, so that a server closing
   * an idle pooled socket can never surface as a spurious error in a fault test; the bench turns it
   * on so that the proxy adds no connection set-up to the tools it times.
   */
  upstreamKeepAlive?: boolean;
}

export interface ReverseProxy {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Client TCP connections accepted since start (shows whether keep-alive is in use). */
  connections(): number;
  /** Close the server and destroy every open socket, client side and upstream. */
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);
/** Request side: `expect` too, since this server has already answered `100 Continue` to the client. */
const DROP_FROM_REQUEST = new Set([...HOP_BY_HOP, 'expect']);
/** Response side: framing is re-done by this server (chunked when there is no content-length). */
const DROP_FROM_RESPONSE = new Set([...HOP_BY_HOP, 'transfer-encoding']);

function copyHeaders(headers: IncomingHttpHeaders, drop: Set<string>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !drop.has(name)) out[name] = value;
  }
  return out;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'InvalidRequest',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  409: 'OperationAborted',
  500: 'InternalError',
  501: 'NotImplemented',
  503: 'ServiceUnavailable',
};

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

type BodyFault = { kind: 'reset' } | { kind: 'stall'; ms: number };

/** Two plugins' actions on one request as one: each field from the first that sets it. */
export function mergeActions(first: ProxyAction, second: ProxyAction): ProxyAction {
  const merged: ProxyAction = { ...first };
  for (const [field, value] of Object.entries(second) as [keyof ProxyAction, ProxyAction[keyof ProxyAction]][]) {
    if (merged[field] === undefined && value !== undefined) (merged as Record<string, unknown>)[field] = value;
  }
  return merged;
}

export async function startReverseProxy(target: string, options: ReverseProxyOptions): Promise<ReverseProxy> {
  const upstream = new URL(target);
  if (upstream.protocol !== 'http:') throw new Error(`S3 proxy: only http targets are supported, got ${target}`);
  const upstreamAgent = new Agent(options.upstreamKeepAlive ? { keepAlive: true, maxSockets: 256 } : { keepAlive: false });
  const { plugins } = options;
  const sockets = new Set<Socket>();
  const stopping = new AbortController();
  // Every delayed request waits on this signal: many at once is expected, not a leak.
  setMaxListeners(0, stopping.signal);
  let connections = 0;

  function actionFor(request: ProxiedRequest): ProxyAction | undefined {
    let action: ProxyAction | undefined;
    for (const plugin of plugins) {
      const asked = plugin.onRequest?.(request);
      if (asked) action = action ? mergeActions(action, asked) : asked;
    }
    return action;
  }
  const answered = (request: ProxiedRequest, status: number) => {
    for (const plugin of plugins) plugin.onResponse?.(request, status);
  };
  const upstreamFailed = (request: ProxiedRequest) => {
    for (const plugin of plugins) plugin.onUpstreamError?.(request);
  };

  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => {});
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const request: ProxiedRequest = { method, url, operation: classifyS3Request(method, url, req.headers), headers: req.headers };
    const action = actionFor(request);

    let clientGone = false;
    res.on('close', () => {
      if (!res.writableFinished) clientGone = true;
    });

    if (action?.delayMs) {
      try {
        await sleep(action.delayMs, undefined, { signal: stopping.signal });
      } catch {
        return; // stopping
      }
      if (clientGone) return;
    }
    if (action?.resetConnection === 'before-response') {
      req.socket.resetAndDestroy();
      return;
    }
    const bodyFault: BodyFault | undefined =
      action?.resetConnection === 'mid-body'
        ? { kind: 'reset' }
        : action?.stallMidBodyMs
          ? { kind: 'stall', ms: action.stallMidBodyMs }
          : undefined;

    if (action?.respond) {
      req.resume();
      await finished(req).catch(() => {});
      if (clientGone) return;
      const { status } = action.respond;
      const code = action.respond.code ?? DEFAULT_CODES[status] ?? (status >= 500 ? 'InternalError' : 'InvalidRequest');
      const message = action.respond.message ?? `Injected by the fault proxy (${code})`;
      const requestId = randomBytes(8).toString('hex').toUpperCase();
      const body =
        method === 'HEAD'
          ? Buffer.alloc(0)
          : Buffer.from(
              `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
                `<Resource>${xmlEscape(url.split('?')[0] ?? url)}</Resource><RequestId>${requestId}</RequestId></Error>`,
            );
      const headers: OutgoingHttpHeaders = { 'content-type': 'application/xml', 'content-length': body.length, 'x-amz-request-id': requestId };
      answered(request, status);
      await deliver(req, res, status, headers, body, bodyFault, () => clientGone);
      return;
    }

    await forward(request, req, res, bodyFault, () => clientGone);
  }

  function forward(request: ProxiedRequest, req: IncomingMessage, res: ServerResponse, bodyFault: BodyFault | undefined, gone: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const upstreamReq = httpRequest({
        protocol: 'http:',
        hostname: upstream.hostname,
        port: upstream.port || 80,
        method: req.method,
        path: req.url,
        headers: copyHeaders(req.headers, DROP_FROM_REQUEST),
        agent: upstreamAgent,
      });
      res.on('close', () => {
        if (!res.writableFinished) upstreamReq.destroy();
      });
      upstreamReq.on('error', (error) => {
        if (gone() || res.writableEnded) return resolve();
        upstreamFailed(request);
        if (res.headersSent) {
          res.destroy();
          return resolve();
        }
        const body = Buffer.from(`S3 proxy: upstream request failed: ${error.message}\n`);
        res.writeHead(502, { 'content-type': 'text/plain', 'content-length': body.length });
        res.end(body);
        resolve();
      });
      upstreamReq.on('response', (upstreamRes) => {
        const status = upstreamRes.statusCode ?? 502;
        answered(request, status);
        const headers = copyHeaders(upstreamRes.headers, DROP_FROM_RESPONSE);
        deliver(req, res, status, headers, upstreamRes, bodyFault, gone).then(resolve, () => {
          upstreamReq.destroy();
          res.destroy();
          resolve();
        });
      });
      pipeline(req, upstreamReq, (error) => {
        if (error) upstreamReq.destroy();
      });
    });
  }

  async function deliver(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: OutgoingHttpHeaders,
    body: IncomingMessage | Buffer,
    fault: BodyFault | undefined,
    gone: () => boolean,
  ): Promise<void> {
    const noBody = req.method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
    if (!fault) {
      res.writeHead(status, headers);
      if (Buffer.isBuffer(body)) {
        res.end(body);
        return;
      }
      await new Promise<void>((resolve) => pipeline(body, res, () => resolve()));
      return;
    }

    // Faulted delivery: the body length must be known to find its middle.
    let chunks: AsyncIterable<Buffer> | Buffer[];
    let total: number;
    const declared = Number(headers['content-length']);
    if (noBody) {
      chunks = [];
      total = 0;
    } else if (Buffer.isBuffer(body)) {
      chunks = [body];
      total = body.length;
    } else if (Number.isSafeInteger(declared) && declared >= 0) {
      chunks = body;
      total = declared;
    } else {
      const all: Buffer[] = [];
      for await (const chunk of body) all.push(chunk as Buffer);
      const buffered = Buffer.concat(all);
      headers['content-length'] = buffered.length;
      chunks = [buffered];
      total = buffered.length;
    }
    const half = Math.floor(total / 2);
    res.writeHead(status, headers);

    let sent = 0;
    let triggered = false;
    const trigger = async (): Promise<boolean> => {
      triggered = true;
      if (fault.kind === 'reset') {
        req.socket.destroy();
        if (!Buffer.isBuffer(body)) body.destroy();
        return false;
      }
      try {
        await sleep(fault.ms, undefined, { signal: stopping.signal });
      } catch {
        return false;
      }
      return !gone();
    };

    for await (const chunk of chunks) {
      let rest = chunk;
      if (!triggered && sent + rest.length >= half && half > 0) {
        const head = rest.subarray(0, half - sent);
        if (head.length > 0) await write(res, head);
        sent += head.length;
        rest = rest.subarray(head.length);
        if (!(await trigger())) return;
      }
      if (rest.length > 0) {
        await write(res, rest);
        sent += rest.length;
      }
    }
    if (!triggered) {
      // No body (or none where its middle was expected): apply the fault after the headers.
      res.flushHeaders();
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!(await trigger())) return;
    }
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('S3 proxy: no TCP address');

  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    connections: () => connections,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        upstreamAgent.destroy();
      });
      return stopped;
    },
  };
}

/** Write a chunk and wait until it has been handed to the socket (or fail if the client went away). */
function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onClose = (): void => reject(new Error('client connection closed'));
    res.once('close', onClose);
    res.write(chunk, (error) => {
      res.off('close', onClose);
      if (error) reject(error);
      else resolve();
    });
  });
}
