import type { StorageHeaders } from '../../headers/object-headers.js';
import { HttpRequest, buildQueryString, extendedEncodeURIComponent } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RetryStrategyV2 } from '@smithy/types';
import { createHash, hash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { S3Connection } from '../connection.js';
import { noteEndpointUsed } from '../endpoint-used.js';
import { resolveBucketEndpoint, type BucketEndpoint } from './bucket-endpoint.js';
import { retryErrorType } from '../../upload/retry-entry.js';
import { inlineListPageParser, type ListPageParser } from './list-page-parser.js';
import { deleteRequestBody, parseDeleteResult, parseErrorBody, peekContinuationToken, TOKEN_PEEK_CHARS } from './s3-xml.js';
import { OneShotSha256 } from './one-shot-sha256.js';
import { S3TransportError, bodilessError } from './transport-error.js';
import { abortError, sleep } from '../../abortable.js';
import { isSlowDown } from '../throttle/slow-down.js';
import { ThrottleController } from '../throttle/throttle-controller.js';
import type { AttemptListener, HeadObjectResult, ListObjectsV2Input, ListObjectsV2Page, PutObjectInput, S3Transport, TransportOperation } from './transport.js';

export interface SignedHttpTransportOptions {
  /** Credentials (refreshed by the SDK's provider chain when they expire), region, endpoint rules and retry strategy. */
  connection: S3Connection;
  /** Sockets kept per host; ≥ the run's concurrency so connections are reused. */
  maxSockets?: number;
  /** Cut an attempt whose socket moves no byte either way for this long; the attempt is retried. */
  stallTimeoutMs?: number;
  /** The run's pacer, shared with its other request paths; default: one of the transport's own. */
  throttle?: ThrottleController;
  /** Listing pages are parsed by it (a thread of their own, see list-page-parser.ts); default: inline. */
  listPageParser?: ListPageParser;
}

export interface SignedHttpTransport extends S3Transport {
  /** Called once per HTTP attempt sent; returns the function that removes it. */
  addAttemptListener(listener: AttemptListener): () => void;
  destroy(): void;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** HTTP attempts it took, retries included. */
  attempts?: number;
}

interface Call {
  operation: TransportOperation;
  bucket: string;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST';
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Statuses that are an answer, not an error (a 404 HEAD). */
  accept?: (status: number) => boolean;
  /** Called as each attempt's request has been written to its socket. */
  onSent?: () => void;
}

const EMPTY = Buffer.alloc(0);

/**
 * S3 requests signed by the SDK's own signer (@smithy/signature-v4) and sent over node:http with a
 * keep-alive agent: about a quarter of the SDK client's CPU per request (see bench/results/
 * client-candidates.md). Endpoint rules run once per bucket; retries follow the SDK client's own
 * retry strategy and error classification; S3 XML answers are read with saxes (s3-xml.ts).
 */
export function createSignedHttpTransport(options: SignedHttpTransportOptions): SignedHttpTransport {
  const { connection } = options;
  const maxSockets = options.maxSockets ?? 64;
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const listPageParser = options.listPageParser ?? inlineListPageParser();
  const throttle = options.throttle ?? new ThrottleController({ stallTimeoutMs });
  const agents = { 'http:': new HttpAgent({ keepAlive: true, maxSockets }), 'https:': new HttpsAgent({ keepAlive: true, maxSockets }) };
  const listeners = new Set<AttemptListener>();
  const endpoints = new Map<string, Promise<BucketEndpoint>>();
  const signers = new Map<string, SignatureV4>();
  let retryStrategy: Promise<RetryStrategyV2> | undefined;

  function endpointOf(bucket: string): Promise<BucketEndpoint> {
    let endpoint = endpoints.get(bucket);
    if (!endpoint) {
      endpoint = resolveBucketEndpoint(connection, bucket);
      endpoint.catch(() => endpoints.delete(bucket));
      endpoints.set(bucket, endpoint);
    }
    return endpoint;
  }

  function signerFor(region: string): SignatureV4 {
    let signer = signers.get(region);
    if (!signer) {
      // The credential provider is memoized by the SDK and refreshes itself before expiry.
      signer = new SignatureV4({ credentials: connection.credentials, region, service: 's3', sha256: OneShotSha256, uriEscapePath: false, applyChecksum: true });
      signers.set(region, signer);
    }
    return signer;
  }

  async function attempt(call: Call, endpoint: BucketEndpoint, signal: AbortSignal | undefined): Promise<Answer> {
    const path = `${endpoint.basePath}/${call.key === undefined ? '' : call.key.split('/').map(extendedEncodeURIComponent).join('/')}`;
    const body = call.body ?? EMPTY;
    const headers: Record<string, string> = {
      host: endpoint.port ? `${endpoint.hostname}:${endpoint.port}` : endpoint.hostname,
      ...call.headers,
      ...(call.method === 'PUT' || call.method === 'POST' ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    };
    // Over TLS the body is protected in transit (and by its CRC32 checksum where sent); hashing it
    // for the signature would only cost CPU. Plain HTTP gets a signed payload, as the SDK does; the
    // signer takes a hash it finds in this header as the payload's, so node:crypto's one-shot hash
    // spares it a streaming hash object per request.
    headers['x-amz-content-sha256'] = endpoint.protocol === 'https:' ? 'UNSIGNED-PAYLOAD' : hash('sha256', body, 'hex');
    const signed = await signerFor(endpoint.signingRegion).sign(
      new HttpRequest({ method: call.method, protocol: endpoint.protocol, hostname: endpoint.hostname, ...(endpoint.port ? { port: endpoint.port } : {}), path, query: call.query ?? {}, headers, body }),
    );
    for (const listener of listeners) listener(call.operation);
    // Error messages name the server used; the bucket of a virtual-hosted name is not part of it.
    const host = endpoint.basePath === '' && endpoint.hostname.startsWith(`${call.bucket}.`) ? endpoint.hostname.slice(call.bucket.length + 1) : endpoint.hostname;
    noteEndpointUsed(connection, `${endpoint.protocol}//${host}${endpoint.port ? `:${endpoint.port}` : ''}`);
    const query = call.query ? buildQueryString(call.query) : '';
    return send(
      {
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: endpoint.port,
        method: call.method,
        path: query ? `${path}?${query}` : path,
        headers: signed.headers,
        agent: agents[endpoint.protocol],
        awaitsSentWrite: call.method === 'PUT' || call.method === 'POST',
      },
      body,
      stallTimeoutMs,
      signal,
      call.onSent,
    );
  }

  async function execute(call: Call, signal: AbortSignal | undefined): Promise<Answer> {
    retryStrategy ??= connection.retryStrategy();
    const strategy = await retryStrategy;
    let endpoint = await endpointOf(call.bucket);
    let token = await strategy.acquireInitialRetryToken(call.bucket);
    let redirected = false;
    // Slow-downs are the pacer's (throttle-controller.ts): they never spend the strategy's attempts or capacity.
    let slowDowns = 0;
    for (;;) {
      let error: S3TransportError;
      const permit = await throttle.acquire(signal);
      try {
        const answer = await attempt(call, endpoint, signal);
        if (answer.status < 300 || call.accept?.(answer.status)) {
          permit.done('answered');
          strategy.recordSuccess(token);
          return { ...answer, attempts: token.getRetryCount() + slowDowns + 1 };
        }
        const bucketRegion = headerOf(answer.headers, 'x-amz-bucket-region');
        if (!redirected && bucketRegion && bucketRegion !== endpoint.signingRegion && (answer.status === 301 || answer.status === 400)) {
          permit.done('answered');
          // followRegionRedirects, as the SDK client is configured: address the bucket in its own region.
          redirected = true;
          const moved = resolveBucketEndpoint(connection, call.bucket, bucketRegion);
          endpoints.set(call.bucket, moved);
          endpoint = await moved;
          continue;
        }
        error = errorFromAnswer(answer);
      } catch (failure) {
        permit.done('failed');
        if (signal?.aborted) throw failure;
        error = failure instanceof S3TransportError ? failure : networkError(failure);
      }
      if (isSlowDown(error)) {
        slowDowns++;
        if (await permit.slowedDown(slowDowns, signal, error)) continue;
        error.$metadata.attempts = token.getRetryCount() + slowDowns;
        throw error;
      }
      permit.done('answered');
      try {
        token = await strategy.refreshRetryTokenForRetry(token, {
          // The SDK's own classification (shared with the entry-level retries).
          errorType: retryErrorType(error) ?? 'CLIENT_ERROR',
          ...(error.retryAfterSeconds !== undefined ? { retryAfterHint: new Date(Date.now() + error.retryAfterSeconds * 1000) } : {}),
        });
      } catch {
        error.$metadata.attempts = token.getRetryCount() + slowDowns + 1;
        throw error;
      }
      await sleep(token.getRetryDelay(), signal);
    }
  }

  return {
    addAttemptListener(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    warmUpListing: () => listPageParser.warmUp(),
    destroy() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },

    async headObject({ bucket, key }, signal): Promise<HeadObjectResult | null> {
      const answer = await execute({ operation: 'HeadObject', bucket, key, method: 'HEAD', accept: (status) => status === 404 }, signal);
      if (answer.status === 404) return null;
      return headResult(answer.headers);
    },

    async putObject(input: PutObjectInput, signal) {
      const headers: Record<string, string> = {};
      if (input.contentType) headers['content-type'] = input.contentType;
      if (input.contentEncoding) headers['content-encoding'] = input.contentEncoding;
      Object.assign(headers, wireHeaders(input.headers));
      if (input.checksumCrc32) headers['x-amz-checksum-crc32'] = input.checksumCrc32;
      if (input.ifNoneMatch) headers['if-none-match'] = input.ifNoneMatch;
      if (input.ifMatch) headers['if-match'] = input.ifMatch;
      for (const [name, value] of Object.entries(input.metadata ?? {})) headers[`x-amz-meta-${name.toLowerCase()}`] = value;
      const answer = await execute({ operation: 'PutObject', bucket: input.bucket, key: input.key, method: 'PUT', headers, body: input.body }, signal);
      const etag = headerOf(answer.headers, 'etag');
      return { ...(etag ? { etag } : {}), ...(answer.attempts ? { attempts: answer.attempts } : {}) };
    },

    async listObjectsV2(input: ListObjectsV2Input, signal, early): Promise<ListObjectsV2Page> {
      const query: Record<string, string> = { 'list-type': '2' };
      if (input.prefix !== undefined) query.prefix = input.prefix;
      if (input.maxKeys !== undefined) query['max-keys'] = String(input.maxKeys);
      if (input.continuationToken !== undefined) query['continuation-token'] = input.continuationToken;
      if (input.startAfter !== undefined) query['start-after'] = input.startAfter;
      if (input.delimiter !== undefined) query.delimiter = input.delimiter;
      const answer = await execute({ operation: 'ListObjectsV2', bucket: input.bucket, method: 'GET', query, ...(early?.onSent ? { onSent: early.onSent } : {}) }, signal);
      const body = answer.body;
      // At most 4 UTF-8 bytes a character: these bytes hold every character peeked at, not the page.
      const token = early?.onNextContinuationToken ? peekContinuationToken(body.toString('utf8', 0, Math.min(body.length, 4 * TOKEN_PEEK_CHARS))) : undefined;
      if (token) early!.onNextContinuationToken!(token);
      // Parsed in a turn of the event loop of its own. Pages that arrive together would otherwise be
      // parsed one after another in one run of the microtask queue, ~10 ms each, before any of their
      // listings could ask for its next page (ranges listed in parallel lost a round trip to it); and
      // a request asked for early is signed and written before this page is parsed.
      await new Promise((resolve) => setImmediate(resolve));
      return listPageParser.parse(body);
    },

    async deleteObjects({ bucket, keys }, signal) {
      const body = deleteRequestBody(keys);
      // S3 refuses DeleteObjects without an integrity header; MD5 is the one every S3-compatible server knows.
      const headers = { 'content-type': 'application/xml', 'content-md5': createHash('md5').update(body).digest('base64') };
      const answer = await execute({ operation: 'DeleteObjects', bucket, method: 'POST', query: { delete: '' }, headers, body }, signal);
      return { errors: parseDeleteResult(answer.body.toString('utf8')) };
    },
  };
}

function headResult(headers: IncomingHttpHeaders): HeadObjectResult {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice('x-amz-meta-'.length)] = value;
  }
  const length = headerOf(headers, 'content-length');
  const etag = headerOf(headers, 'etag');
  const encoding = headerOf(headers, 'content-encoding');
  const type = headerOf(headers, 'content-type');
  const stored: Array<[keyof HeadObjectResult, string]> = [
    ['CacheControl', 'cache-control'],
    ['ContentDisposition', 'content-disposition'],
    ['ContentLanguage', 'content-language'],
    ['ExpiresString', 'expires'],
    ['StorageClass', 'x-amz-storage-class'],
    ['ServerSideEncryption', 'x-amz-server-side-encryption'],
  ];
  return {
    ...(length !== undefined ? { ContentLength: Number(length) } : {}),
    ...(etag ? { ETag: etag } : {}),
    ...(encoding ? { ContentEncoding: encoding } : {}),
    ...(type ? { ContentType: type } : {}),
    ...Object.fromEntries(stored.flatMap(([field, name]) => (headerOf(headers, name) === undefined ? [] : [[field, headerOf(headers, name)]]))),
    Metadata: metadata,
  };
}

/** The object-header options by their HTTP names, as PutObject sends them (the SDK's mapping, sdk-params.ts). */
function wireHeaders(options: StorageHeaders | undefined): Record<string, string> {
  if (!options) return {};
  const wire: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) wire[name] = value;
  };
  set('cache-control', options.cacheControl);
  set('content-disposition', options.contentDisposition);
  set('content-language', options.contentLanguage);
  set('expires', options.expires === undefined ? undefined : new Date(options.expires).toUTCString());
  set('x-amz-storage-class', options.storageClass);
  set('x-amz-server-side-encryption', options.sse);
  set('x-amz-server-side-encryption-aws-kms-key-id', options.sseKmsKeyId);
  set('x-amz-acl', options.acl);
  return wire;
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorFromAnswer(answer: Answer): S3TransportError {
  const parsed = answer.body.length > 0 ? parseErrorBody(answer.body.toString('utf8')) : {};
  const fallback = bodilessError(answer.status);
  const name = parsed.code ?? fallback.name;
  const requestId = parsed.requestId ?? headerOf(answer.headers, 'x-amz-request-id');
  const retryAfter = Number(headerOf(answer.headers, 'retry-after'));
  return new S3TransportError({
    name,
    message: parsed.message ?? (parsed.code ? name : fallback.message),
    status: answer.status,
    ...(requestId ? { requestId } : {}),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
  });
}

function networkError(failure: unknown): S3TransportError {
  const e = failure as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : (code ?? 'Error');
  return new S3TransportError({ name, message: typeof e.message === 'string' ? e.message : String(failure), ...(code ? { code } : {}), cause: failure });
}

interface Target {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number | undefined;
  method: string;
  path: string;
  headers: Record<string, string>;
  agent: HttpAgent;
  /**
   * A write whose request has entirely left is not cut on abort: S3 may already have applied it,
   * so its answer is awaited (bounded by the stall timeout) and the caller reports what S3 holds.
   */
  awaitsSentWrite: boolean;
}

function send(target: Target, body: Buffer | string, stallTimeoutMs: number, signal: AbortSignal | undefined, onSent?: () => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)({
      protocol: target.protocol,
      hostname: target.hostname,
      ...(target.port ? { port: target.port } : {}),
      method: target.method,
      path: target.path,
      headers: target.headers,
      agent: target.agent,
    });
    const onAbort = () => {
      if (target.awaitsSentWrite && request.writableFinished) return;
      request.destroy(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    // An inactivity timer, armed while either body moves: a stalled transfer fails this attempt
    // with a retryable TimeoutError, as the SDK's socketTimeout does.
    request.setTimeout(stallTimeoutMs, () =>
      request.destroy(new S3TransportError({ name: 'TimeoutError', code: 'TimeoutError', message: `no data moved for ${stallTimeoutMs} ms` })),
    );
    request.once('error', (error) => {
      done();
      reject(error);
    });
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', (error) => {
        done();
        reject(error);
      });
      response.once('end', () => {
        done();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
      });
    });
    if (onSent) request.once('finish', onSent);
    request.end(body);
  });
}
