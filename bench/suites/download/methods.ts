import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash, type Hash } from 'node:crypto';
import { Readable, Writable, pipeline } from 'node:stream';
import { pipeline as pipelinePromise } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip, gunzipSync } from 'node:zlib';
import { METHOD_FAMILIES, type DownloadMethod, type DownloadOutput, type DownloadTarget, type MethodFamily } from './types.js';

export interface MethodOptions {
  /** Families to build variants of; all when omitted. */
  families?: MethodFamily[];
  /** Concurrent range requests of `ranged-<N>` after the first range. */
  parallel?: number;
  /** Size of the first range request of `ranged-<N>`; tests lower it so small objects still split. */
  firstRangeBytes?: number;
}

const DEFAULT_PARALLEL = 4;
const DEFAULT_FIRST_RANGE_BYTES = 1024 * 1024;
const PRESIGN_EXPIRES_SECONDS = 300;
// Re-signed well before expiry so a long run never fetches with a URL S3 would refuse mid-sample.
const PRESIGN_REUSE_MS = 240_000;

/** The variants of the selected families, in the order of METHOD_FAMILIES. */
export function createMethods(options: MethodOptions = {}): DownloadMethod[] {
  const parallel = options.parallel ?? DEFAULT_PARALLEL;
  if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`parallel must be a whole number ≥ 1, got ${parallel}`);
  const firstRangeBytes = options.firstRangeBytes ?? DEFAULT_FIRST_RANGE_BYTES;
  if (!Number.isInteger(firstRangeBytes) || firstRangeBytes < 1) throw new Error(`firstRangeBytes must be a whole number ≥ 1, got ${firstRangeBytes}`);
  const selected = new Set(options.families ?? METHOD_FAMILIES);
  const presign = createPresignCache();

  const byFamily: Record<MethodFamily, DownloadMethod[]> = {
    whole: [{ name: 'whole', family: 'whole', download: downloadWhole }],
    chunks: [
      { name: 'chunks-512', family: 'chunks', download: (target) => downloadChunks(target, 512) },
      { name: 'chunks-1024', family: 'chunks', download: (target) => downloadChunks(target, 1024) },
      { name: 'chunks-natural', family: 'chunks', download: (target) => downloadChunks(target, undefined) },
    ],
    gunzip: [{ name: 'gunzip', family: 'gunzip', download: downloadGunzip }],
    'presigned-fetch': [
      { name: 'fetch-whole', family: 'presigned-fetch', download: async (target) => fetchWhole(await presign(target)) },
      { name: 'fetch-stream', family: 'presigned-fetch', download: async (target) => fetchStream(await presign(target)) },
    ],
    'ranged-parallel': [
      {
        name: `ranged-${parallel}`,
        family: 'ranged-parallel',
        download: (target) => downloadRanged(target, parallel, firstRangeBytes),
      },
    ],
  };
  return METHOD_FAMILIES.filter((family) => selected.has(family)).flatMap((family) => byFamily[family]);
}

// ---------------------------------------------------------------------------------------------
// The one place that decides whether bytes are gzip: by their magic number, never by headers or by
// trying to gunzip. Headers cannot be trusted both ways: undici's fetch already decoded a
// `Content-Encoding: gzip` body, while the SDK hands the stored bytes over untouched.

export function startsWithGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Bytes held in memory, decoded at once when they are gzip. */
export function gunzipIfGzip(bytes: Uint8Array): Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return startsWithGzipMagic(buffer) ? gunzipSync(buffer) : buffer;
}

/**
 * A stream of the decoded bytes: `source` itself when its first bytes are not gzip, else `source`
 * piped through a streaming gunzip. Peeking reads only what `source` has buffered or next delivers
 * and puts it back, so the plain path adds no stage that the measurement would include.
 * Destroying the result destroys `source` too, so a caller that gives up early frees its socket.
 */
export async function decodeIfGzip(source: Readable): Promise<Readable> {
  const head = await peek(source, 2);
  let stream = source;
  if (head.ended) {
    // Too late to unshift: the whole body fitted in the peek (at most one byte).
    stream = Readable.from(head.bytes.length > 0 ? [head.bytes] : []);
  } else if (head.bytes.length > 0) {
    source.unshift(head.bytes);
  }
  if (!startsWithGzipMagic(head.bytes)) return stream;
  // pipeline() destroys every stage when any one fails or is destroyed early; the callback is
  // required by its signature, and the error itself reaches the caller through the gunzip stream.
  return pipeline(stream, createGunzip(), () => {});
}

async function peek(stream: Readable, bytes: number): Promise<{ bytes: Buffer; ended: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      parts.push(chunk);
      length += chunk.length;
      continue;
    }
    if (stream.readableEnded) return { bytes: Buffer.concat(parts), ended: true };
    if (stream.errored) throw stream.errored;
    if (stream.destroyed) throw new Error('body closed before its first bytes arrived');
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        stream.off('readable', done).off('end', done).off('close', done).off('error', failed);
        resolve();
      };
      const failed = (error: Error) => {
        stream.off('readable', done).off('end', done).off('close', done).off('error', failed);
        reject(error);
      };
      stream.on('readable', done).on('end', done).on('close', done).on('error', failed);
    });
  }
  return { bytes: Buffer.concat(parts), ended: false };
}

// ---------------------------------------------------------------------------------------------

function output(hash: Hash, bytes: number): DownloadOutput {
  return { bytes, sha256: hash.digest('hex') };
}

function hashOf(bytes: Buffer): DownloadOutput {
  return output(createHash('sha256').update(bytes), bytes.length);
}

/**
 * Runs `use` on a GetObject body and makes sure the body is over afterwards, also on error: an
 * unread body holds its socket, which would make later requests of the run open new connections.
 */
async function withObject<T>(
  target: DownloadTarget,
  range: string | undefined,
  use: (body: Readable & { transformToByteArray(): Promise<Uint8Array> }, response: GetObjectCommandOutput) => Promise<T>,
): Promise<T> {
  const response = await target.client.send(
    new GetObjectCommand({ Bucket: target.bucket, Key: target.key, ...(range ? { Range: range } : {}) }),
  );
  const body = response.Body as unknown;
  if (!(body instanceof Readable)) {
    // Outside Node the SDK hands over a web stream or a Blob; this bench runs in Node only.
    await (body as { cancel?: () => Promise<void> } | undefined)?.cancel?.().catch(() => {});
    throw new Error(`GetObject ${target.key}: expected a Node stream as body`);
  }
  try {
    return await use(body as Readable & { transformToByteArray(): Promise<Uint8Array> }, response);
  } finally {
    if (!body.readableEnded && !body.destroyed) body.destroy();
  }
}

async function downloadWhole(target: DownloadTarget): Promise<DownloadOutput> {
  const stored = await withObject(target, undefined, (body) => body.transformToByteArray());
  return hashOf(gunzipIfGzip(stored));
}

/**
 * Hashes the decoded stream in pieces of exactly `pieceBytes` (the last one shorter), carrying the
 * remainder across stream chunks like botocore's `iter_chunks(512)`; `undefined` takes chunks as
 * they come.
 */
async function downloadChunks(target: DownloadTarget, pieceBytes: number | undefined): Promise<DownloadOutput> {
  return withObject(target, undefined, async (body) => {
    const decoded = await decodeIfGzip(body);
    try {
      return pieceBytes === undefined ? await hashNaturalChunks(decoded) : await hashPieces(decoded, pieceBytes);
    } finally {
      if (!decoded.readableEnded && !decoded.destroyed) decoded.destroy();
    }
  });
}

async function hashNaturalChunks(stream: Readable): Promise<DownloadOutput> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return output(hash, bytes);
}

async function hashPieces(stream: Readable, pieceBytes: number): Promise<DownloadOutput> {
  const hash = createHash('sha256');
  const carry = Buffer.allocUnsafe(pieceBytes);
  let carried = 0;
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    let offset = 0;
    if (carried > 0) {
      const taken = chunk.copy(carry, carried, 0, Math.min(chunk.length, pieceBytes - carried));
      carried += taken;
      offset = taken;
      if (carried < pieceBytes) continue;
      hash.update(carry);
      carried = 0;
    }
    for (; offset + pieceBytes <= chunk.length; offset += pieceBytes) hash.update(chunk.subarray(offset, offset + pieceBytes));
    // Copied because the piece must outlive the chunk it came from.
    carried = chunk.copy(carry, 0, offset);
  }
  if (carried > 0) hash.update(carry.subarray(0, carried));
  return output(hash, bytes);
}

/** Like Python's `gzip.GzipFile(fileobj=body)`: a stream pipeline ending in a hashing sink. */
async function downloadGunzip(target: DownloadTarget): Promise<DownloadOutput> {
  return withObject(target, undefined, async (body) => {
    const decoded = await decodeIfGzip(body);
    const sink = hashingSink();
    await pipelinePromise(decoded, sink.stream);
    return sink.result();
  });
}

function hashingSink(): { stream: Writable; result(): DownloadOutput } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback();
    },
  });
  return { stream, result: () => output(hash, bytes) };
}

// ---------------------------------------------------------------------------------------------

/** Presigning is not what is measured: one URL per client and object, re-signed before it expires. */
function createPresignCache(): (target: DownloadTarget) => Promise<string> {
  const byClient = new WeakMap<S3Client, Map<string, { url: string; signedAt: number }>>();
  return async (target) => {
    let urls = byClient.get(target.client);
    if (!urls) {
      urls = new Map();
      byClient.set(target.client, urls);
    }
    const id = `${target.bucket}\0${target.key}`;
    const cached = urls.get(id);
    if (cached && Date.now() - cached.signedAt < PRESIGN_REUSE_MS) return cached.url;
    const signedAt = Date.now();
    const url = await getSignedUrl(target.client, new GetObjectCommand({ Bucket: target.bucket, Key: target.key }), {
      expiresIn: PRESIGN_EXPIRES_SECONDS,
    });
    urls.set(id, { url, signedAt });
    return url;
  };
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) {
    const detail = (await response.text().catch(() => '')).slice(0, 200);
    throw new Error(`presigned GET answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
  }
  return response;
}

async function fetchWhole(url: string): Promise<DownloadOutput> {
  const response = await fetchOk(url);
  return hashOf(gunzipIfGzip(new Uint8Array(await response.arrayBuffer())));
}

async function fetchStream(url: string): Promise<DownloadOutput> {
  const response = await fetchOk(url);
  if (!response.body) return hashOf(Buffer.alloc(0));
  // Destroying this Node view cancels the web stream, which releases the connection.
  const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  try {
    const decoded = await decodeIfGzip(body);
    try {
      return await hashNaturalChunks(decoded);
    } finally {
      if (!decoded.readableEnded && !decoded.destroyed) decoded.destroy();
    }
  } finally {
    if (!body.readableEnded && !body.destroyed) body.destroy();
  }
}

// ---------------------------------------------------------------------------------------------

interface RangePart {
  start: number;
  /** Inclusive, as in the Range header. */
  end: number;
  total: number;
  bytes: Uint8Array;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

async function getRange(target: DownloadTarget, start: number, end: number): Promise<RangePart> {
  return withObject(target, `bytes=${start}-${end}`, async (body, response) => {
    const bytes = await body.transformToByteArray();
    const match = CONTENT_RANGE.exec(response.ContentRange ?? '');
    if (!match) throw new Error(`range ${start}-${end} of ${target.key}: no usable Content-Range in the answer (${response.ContentRange ?? 'none'})`);
    const part = { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]), bytes };
    if (part.start !== start) throw new Error(`range ${start}-${end} of ${target.key}: answer starts at ${part.start}`);
    if (bytes.length !== part.end - part.start + 1) {
      throw new Error(`range ${start}-${end} of ${target.key}: got ${bytes.length} bytes, Content-Range says ${part.end - part.start + 1}`);
    }
    return part;
  });
}

/**
 * The first range reveals the object's size (so no HEAD is needed); the rest is split into
 * `parallel` equal ranges fetched at once and joined in order before decoding.
 */
async function downloadRanged(target: DownloadTarget, parallel: number, firstRangeBytes: number): Promise<DownloadOutput> {
  let first: RangePart;
  try {
    first = await getRange(target, 0, firstRangeBytes - 1);
  } catch (error) {
    // S3 refuses any range of an empty object with 416; nothing else answers 416 to `bytes=0-…`.
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416) return hashOf(Buffer.alloc(0));
    throw error;
  }
  const total = first.total;
  const expectedFirst = Math.min(firstRangeBytes, total);
  if (first.bytes.length !== expectedFirst) throw new Error(`first range of ${target.key}: got ${first.bytes.length} bytes, expected ${expectedFirst}`);

  const remaining = total - first.bytes.length;
  const parts: RangePart[] = [first];
  if (remaining > 0) {
    const partBytes = Math.ceil(remaining / parallel);
    const ranges: Array<{ start: number; end: number }> = [];
    for (let start = first.bytes.length; start < total; start += partBytes) ranges.push({ start, end: Math.min(start + partBytes, total) - 1 });
    // allSettled, not all: a failed part must not leave its siblings downloading into the next sample.
    const settled = await Promise.allSettled(ranges.map(({ start, end }) => getRange(target, start, end)));
    for (const [index, result] of settled.entries()) {
      if (result.status === 'rejected') throw result.reason;
      const range = ranges[index]!;
      const part = result.value;
      if (part.total !== total) throw new Error(`range ${range.start}-${range.end} of ${target.key}: object size changed from ${total} to ${part.total}`);
      if (part.bytes.length !== range.end - range.start + 1) {
        throw new Error(`range ${range.start}-${range.end} of ${target.key}: got ${part.bytes.length} bytes, expected ${range.end - range.start + 1}`);
      }
      parts.push(part);
    }
  }
  const stored = Buffer.concat(parts.map((part) => part.bytes), total);
  return hashOf(gunzipIfGzip(stored));
}
