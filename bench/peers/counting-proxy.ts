import { Agent, createServer, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream';
import { classifyS3Request } from './classify-request.js';

export interface RequestTally {
  /** Requests by S3 operation, as the server saw them (retries included). */
  byOperation: Record<string, number>;
  /** Answers with a status ≥ 400, by `operation status` (e.g. `HeadObject 404`). */
  errors: Record<string, number>;
  total: number;
}

export interface CountingProxy {
  endpoint: string;
  /** Starts a new tally and returns the previous one. */
  take(): RequestTally;
  close(): Promise<void>;
}

// Hop-by-hop headers are per connection; none of them is covered by a SigV4 signature. `expect` is
// answered by this proxy's own server (100 Continue) and never signed by botocore or the JS SDK.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'expect']);

/**
 * A reverse proxy in front of the S3 server that counts every request it forwards. Method, path,
 * query and headers (Host included, since SigV4 signs it) pass through unchanged and bodies are
 * streamed both ways, so a tool behaves as it would against the server itself, only observed.
 */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let tally = emptyTally();
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const operation = classifyS3Request(req.method ?? 'GET', req.url ?? '/', req.headers);
    const counted = tally;
    counted.byOperation[operation] = (counted.byOperation[operation] ?? 0) + 1;
    counted.total++;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    if (req.headers['transfer-encoding'] && req.headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
    const upstreamReq = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
      (upstreamRes) => {
        const status = upstreamRes.statusCode ?? 502;
        if (status >= 400) counted.errors[`${operation} ${status}`] = (counted.errors[`${operation} ${status}`] ?? 0) + 1;
        const responseHeaders: OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(upstreamRes.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) responseHeaders[name] = value;
        res.writeHead(status, upstreamRes.statusMessage, responseHeaders);
        pipeline(upstreamRes, res, () => {});
      },
    );
    upstreamReq.on('error', () => {
      counted.errors[`${operation} proxy-error`] = (counted.errors[`${operation} proxy-error`] ?? 0) + 1;
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    pipeline(req, upstreamReq, () => {});
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take() {
      const previous = tally;
      tally = emptyTally();
      return previous;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function emptyTally(): RequestTally {
  return { byOperation: {}, errors: {}, total: 0 };
}
