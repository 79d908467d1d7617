/**
 * A test-only HTTP reverse proxy that sits between an S3 client and an S3-compatible server (s3rver)
 * and injects faults: latency, S3-style error answers, dropped connections and stalled bodies.
 *
 * Plain forwarding keeps method, path, query and headers (Host included: the SigV4 signature covers
 * it) and streams bodies both ways without buffering. Only hop-by-hop headers are dropped; none of
 * them is covered by SigV4. Client connections are kept alive; upstream connections are not (one per
 * request) so that a server closing an idle pooled socket can never surface as a spurious error.
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

export type S3Operation =
  | 'HeadObject'
  | 'GetObject'
  | 'PutObject'
  | 'CopyObject'
  | 'ListObjectsV2'
  | 'DeleteObjects'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'HeadBucket'
  | 'Other';

export interface FaultRequestInfo {
  method: string;
  /** Path and query as received, e.g. `/bucket/key?x-id=GetObject`. */
  url: string;
  operation: S3Operation;
}

/** Extension: a request as received, kept when the proxy records (`startFaultProxy(target, { record: true })`). */
export interface RecordedRequest extends FaultRequestInfo {
  headers: IncomingHttpHeaders;
}

export interface FaultRule {
  /** An operation name, or a predicate; rules are tried in order and the first match applies. */
  match: S3Operation | ((req: FaultRequestInfo) => boolean);
  /** Added before anything else happens to the request (latency). */
  delayMs?: number;
  /**
   * Answer with an S3-style XML error instead of forwarding (the request is never seen upstream).
   * `code` defaults from the status (503 → ServiceUnavailable, 500 → InternalError, …). HEAD answers
   * carry no body, as with real S3, so the SDK names such errors from the status alone.
   * `times` limits how many requests get it; once used up the whole rule stops matching and later
   * rules (or plain forwarding) apply.
   */
  respond?: { status: number; code?: string; message?: string; times?: number };
  /**
   * Destroy the client socket: `before-response` without forwarding anything upstream (the client
   * sees ECONNRESET / socket hang up), `mid-body` after the first half of the response body has been
   * flushed to the socket (the client sees the headers, half the bytes, then a premature close). For
   * a response without a body, `mid-body` drops the socket right after the headers.
   */
  resetConnection?: 'before-response' | 'mid-body';
  /** Send the first half of the response body, pause this long, then send the rest. */
  stallMidBodyMs?: number;
  /** Extension: apply this rule to at most this many requests, then stop matching. */
  times?: number;
}

export interface FaultProxyStats {
  /** Requests received (each counted once, whatever happened to it). */
  requests: number;
  byOperation: Record<string, number>;
  /** Requests a rule with any effect (delay, respond, reset, stall) was applied to. */
  faultsInjected: number;
  /** Extension: client TCP connections accepted (shows whether keep-alive is in use). */
  connections: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Replace the active rules (and their `times` counters); the first matching rule applies. */
  setRules(rules: FaultRule[]): void;
  /** A snapshot; counters are cumulative since start. */
  stats(): FaultProxyStats;
  /** Extension: every request received since start (or the last call), with its headers; empty unless recording. */
  takeRecorded(): RecordedRequest[];
  /** Close the server and destroy every open socket, client side and upstream. */
  stop(): Promise<void>;
}

/** Which S3 operation a path-style request is; `headers` tell CopyObject from PutObject. */
export function classifyS3Operation(method: string, url: string, headers: IncomingHttpHeaders = {}): S3Operation {
  const queryAt = url.indexOf('?');
  const path = queryAt >= 0 ? url.slice(0, queryAt) : url;
  const query = new URLSearchParams(queryAt >= 0 ? url.slice(queryAt + 1) : '');
  const rest = path.replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  const bucket = slash >= 0 ? rest.slice(0, slash) : rest;
  const hasKey = slash >= 0 && slash < rest.length - 1;
  if (!bucket) return 'Other';
  switch (method.toUpperCase()) {
    case 'HEAD':
      return hasKey ? 'HeadObject' : 'HeadBucket';
    case 'GET':
      if (query.get('list-type') === '2') return 'ListObjectsV2';
      return hasKey ? 'GetObject' : 'Other';
    case 'PUT':
      if (hasKey && query.has('partNumber') && query.has('uploadId')) return 'UploadPart';
      if (hasKey && headers['x-amz-copy-source'] !== undefined) return 'CopyObject';
      return hasKey ? 'PutObject' : 'Other';
    case 'POST':
      if (query.has('uploads')) return 'CreateMultipartUpload';
      if (query.has('uploadId')) return 'CompleteMultipartUpload';
      if (query.has('delete')) return 'DeleteObjects';
      return 'Other';
    case 'DELETE':
      return query.has('uploadId') ? 'AbortMultipartUpload' : 'Other';
    default:
      return 'Other';
  }
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

interface ActiveRule {
  rule: FaultRule;
  used: number;
}

function hasEffect(rule: FaultRule): boolean {
  return (rule.delayMs ?? 0) > 0 || rule.respond !== undefined || rule.resetConnection !== undefined || (rule.stallMidBodyMs ?? 0) > 0;
}

function limitOf(rule: FaultRule): number {
  return Math.min(rule.times ?? Infinity, rule.respond?.times ?? Infinity);
}

export async function startFaultProxy(target: string, options: { record?: boolean } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  if (upstream.protocol !== 'http:') throw new Error(`fault proxy: only http targets are supported, got ${target}`);
  const upstreamAgent = new Agent({ keepAlive: false });
  const sockets = new Set<Socket>();
  const stopping = new AbortController();
  // Every delayed request waits on this signal: many at once is expected, not a leak.
  setMaxListeners(0, stopping.signal);
  let rules: ActiveRule[] = [];
  const counters = { requests: 0, faultsInjected: 0, connections: 0 };
  const byOperation: Record<string, number> = {};
  let recorded: RecordedRequest[] = [];

  function pickRule(info: FaultRequestInfo): FaultRule | undefined {
    for (const active of rules) {
      if (active.used >= limitOf(active.rule)) continue;
      const { match } = active.rule;
      if (typeof match === 'string' ? match === info.operation : match(info)) {
        active.used++;
        return active.rule;
      }
    }
    return undefined;
  }

  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket: Socket) => {
    counters.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => {});
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const operation = classifyS3Operation(method, url, req.headers);
    if (options.record) recorded.push({ method, url, operation, headers: { ...req.headers } });
    counters.requests++;
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    const rule = pickRule({ method, url, operation });
    if (rule && hasEffect(rule)) counters.faultsInjected++;

    let clientGone = false;
    res.on('close', () => {
      if (!res.writableFinished) clientGone = true;
    });

    if (rule?.delayMs) {
      try {
        await sleep(rule.delayMs, undefined, { signal: stopping.signal });
      } catch {
        return; // stopping
      }
      if (clientGone) return;
    }
    if (rule?.resetConnection === 'before-response') {
      req.socket.resetAndDestroy();
      return;
    }
    const bodyFault: BodyFault | undefined =
      rule?.resetConnection === 'mid-body'
        ? { kind: 'reset' }
        : rule?.stallMidBodyMs
          ? { kind: 'stall', ms: rule.stallMidBodyMs }
          : undefined;

    if (rule?.respond) {
      req.resume();
      await finished(req).catch(() => {});
      if (clientGone) return;
      const { status } = rule.respond;
      const code = rule.respond.code ?? DEFAULT_CODES[status] ?? (status >= 500 ? 'InternalError' : 'InvalidRequest');
      const message = rule.respond.message ?? `Injected by the fault proxy (${code})`;
      const requestId = randomBytes(8).toString('hex').toUpperCase();
      const body =
        method === 'HEAD'
          ? Buffer.alloc(0)
          : Buffer.from(
              `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
                `<Resource>${xmlEscape(url.split('?')[0] ?? url)}</Resource><RequestId>${requestId}</RequestId></Error>`,
            );
      const headers: OutgoingHttpHeaders = { 'content-type': 'application/xml', 'content-length': body.length, 'x-amz-request-id': requestId };
      await deliver(req, res, status, headers, body, bodyFault, () => clientGone);
      return;
    }

    await forward(req, res, bodyFault, () => clientGone);
  }

  function forward(req: IncomingMessage, res: ServerResponse, bodyFault: BodyFault | undefined, gone: () => boolean): Promise<void> {
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
        if (res.headersSent) {
          res.destroy();
          return resolve();
        }
        const body = Buffer.from(`fault proxy: upstream request failed: ${error.message}\n`);
        res.writeHead(502, { 'content-type': 'text/plain', 'content-length': body.length });
        res.end(body);
        resolve();
      });
      upstreamReq.on('response', (upstreamRes) => {
        const headers = copyHeaders(upstreamRes.headers, DROP_FROM_RESPONSE);
        deliver(req, res, upstreamRes.statusCode ?? 502, headers, upstreamRes, bodyFault, gone).then(resolve, () => {
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
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no TCP address');

  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    setRules(next) {
      rules = next.map((rule) => ({ rule, used: 0 }));
    },
    stats() {
      return { ...counters, byOperation: { ...byOperation } };
    },
    takeRecorded() {
      const taken = recorded;
      recorded = [];
      return taken;
    },
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
