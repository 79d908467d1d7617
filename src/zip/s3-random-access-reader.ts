import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { S3ZipSyncError } from '../errors.js';
import { describeS3Error, s3ErrorInfo } from '../s3/s3-error.js';
import { BlockCache, yieldSlices } from './block-cache.js';
import { END_RECORD_SEARCH } from './end-record.js';

const MiB = 1024 * 1024;

export interface S3ReaderSettings {
  /**
   * Bytes one GET fetches for small reads: the zip's tail, the central directory, local headers and
   * entries no longer than this. Neighbouring small entries share a block, hence a request.
   */
  blockSize: number;
  /** Blocks kept in memory, least recently used dropped first: at most blockSize × cachedBlocks bytes. */
  cachedBlocks: number;
  /** Longer reads (big entries) stream through GETs of this many bytes each, never held whole. */
  streamChunkSize: number;
}

export const DEFAULT_S3_READER: S3ReaderSettings = { blockSize: 2 * MiB, cachedBlocks: 8, streamChunkSize: 8 * MiB };

const MIN_BLOCK_SIZE = 64 * 1024;
const MIN_CACHED_BLOCKS = 4;

/**
 * Blocks of at least 64 KiB and a cache of at least 4 of them: yauzl's first read (the last 65,557
 * bytes) then spans at most 3 blocks, so no single read can evict its own blocks.
 */
export function validateReaderSettings(settings: S3ReaderSettings): void {
  const { blockSize, cachedBlocks, streamChunkSize } = settings;
  if (!Number.isInteger(blockSize) || blockSize < MIN_BLOCK_SIZE) {
    throw new S3ZipSyncError('INVALID_OPTION', `reader block size must be an integer of at least ${MIN_BLOCK_SIZE} bytes, got ${blockSize}`);
  }
  if (!Number.isInteger(cachedBlocks) || cachedBlocks < MIN_CACHED_BLOCKS) {
    throw new S3ZipSyncError('INVALID_OPTION', `reader cached blocks must be an integer of at least ${MIN_CACHED_BLOCKS}, got ${cachedBlocks}`);
  }
  if (!Number.isInteger(streamChunkSize) || streamChunkSize < MIN_BLOCK_SIZE) {
    throw new S3ZipSyncError('INVALID_OPTION', `reader stream chunk size must be an integer of at least ${MIN_BLOCK_SIZE} bytes, got ${streamChunkSize}`);
  }
}

export interface S3Object {
  client: S3Client;
  bucket: string;
  key: string;
  size: number;
  /** Pinned: every GET carries If-Match, so an archive replaced mid-run fails loudly instead of mixing two zips. */
  etag: string;
}

/**
 * The object as yauzl is shown it: its bytes up to `end`, then `trailer` instead of the rest. A
 * shard given its part of the central directory sees a zip whose directory is that part (see
 * directoryTrailer); no request ever reads past `end`.
 */
export interface ReaderView {
  end: number;
  trailer: Buffer;
}

/**
 * yauzl's random-access reader over ranged GetObject calls. yauzl reads the central directory in
 * many small reads (46 bytes, then each name): they are served from the block cache, so the whole
 * directory costs ⌈its size / blockSize⌉ GETs or fewer.
 */
export class S3RandomAccessReader extends yauzl.RandomAccessReader {
  private readonly cache: BlockCache;
  /** Once the archive is seen replaced, every later read fails at once, without another request. */
  private replaced: S3ZipSyncError | undefined;
  /** The size yauzl is given: the object's, or the view's. */
  readonly size: number;

  constructor(
    private readonly object: S3Object,
    private readonly settings: S3ReaderSettings = DEFAULT_S3_READER,
    private readonly view?: ReaderView,
  ) {
    super();
    validateReaderSettings(settings);
    if (view && !(Number.isSafeInteger(view.end) && view.end >= 0 && view.end <= object.size)) {
      throw new S3ZipSyncError('INVALID_OPTION', `a view of s3://${object.bucket}/${object.key} ends at ${view.end}, outside its ${object.size} bytes`);
    }
    this.size = view ? view.end + view.trailer.length : object.size;
    this.cache = new BlockCache(this.size, settings.blockSize, settings.cachedBlocks, (start, end) => this.fetch(start, end));
    if (view) this.cache.addCuts([view.end]);
  }

  /** Blocks end at these offsets (see BlockCache.addCuts): where the bytes someone needs begin and end. */
  addCuts(offsets: readonly number[]): void {
    this.cache.addCuts(offsets);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (error: Error | null, bytesRead?: number) => void): void {
    if (!this.cached(length)) {
      super.read(buffer, offset, length, position, callback);
      return;
    }
    this.cache.readInto(buffer, offset, position, position + length, callback);
  }

  /** [start, end) in one Buffer: from cached blocks when small enough, else one ranged GET. */
  async readBytes(start: number, end: number): Promise<Buffer> {
    if (!this.cached(end - start)) return this.fetch(start, end);
    const slices = await this.cache.read(start, end);
    return slices.length === 1 ? slices[0]! : Buffer.concat(slices);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const chunks = this.cached(end - start) ? this.cache.read(start, end) : undefined;
    // The stream reports the failure when read; a stream destroyed unread must not leave it unhandled.
    chunks?.catch(() => {});
    return Readable.from(chunks ? yieldSlices(chunks) : this.stream(start, end), { objectMode: false });
  }

  /** Small reads share cached blocks; the end-record search is one of them, whatever the block size. */
  get cachedReadLimit(): number {
    return Math.max(this.settings.blockSize, END_RECORD_SEARCH);
  }

  private cached(length: number): boolean {
    return length <= this.cachedReadLimit;
  }

  override close(callback: (error: Error | null) => void): void {
    this.cache.clear();
    setImmediate(() => callback(null));
  }

  /** Consecutive GETs of streamChunkSize bytes, each body passed on as it arrives (back-pressured). */
  private async *stream(start: number, end: number): AsyncGenerator<Buffer> {
    for (let at = start; at < end; at += this.settings.streamChunkSize) {
      const chunkEnd = Math.min(at + this.settings.streamChunkSize, end);
      if (this.view && chunkEnd > this.view.end) {
        yield await this.fetch(at, chunkEnd);
        continue;
      }
      const body = await this.get(at, chunkEnd);
      let received = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        received += chunk.length;
        yield chunk;
      }
      if (received !== chunkEnd - at) throw this.shortRead(at, chunkEnd, received);
    }
  }

  private async fetch(start: number, end: number): Promise<Buffer> {
    const view = this.view;
    if (!view || end <= view.end) return this.fetchObject(start, end);
    const trailer = view.trailer.subarray(Math.max(start, view.end) - view.end, end - view.end);
    return start < view.end ? Buffer.concat([await this.fetchObject(start, view.end), trailer]) : trailer;
  }

  private async fetchObject(start: number, end: number): Promise<Buffer> {
    const body = await this.get(start, end);
    const bytes = Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    if (bytes.length !== end - start) throw this.shortRead(start, end, bytes.length);
    return bytes;
  }

  private async get(start: number, end: number): Promise<unknown> {
    const { client, bucket, key, etag } = this.object;
    if (this.replaced) throw this.replaced;
    try {
      const { GetObjectCommand } = await import('../s3/sdk-commands.js');
      const response = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}`, IfMatch: etag }),
      );
      // Some S3-compatible servers ignore If-Match; the ETag of the answer is checked as well.
      if (response.ETag !== undefined && response.ETag !== etag) {
        (response.Body as Readable | undefined)?.destroy?.();
        throw this.changed(response.ETag);
      }
      return response.Body;
    } catch (error) {
      if (error instanceof S3ZipSyncError) throw error;
      const info = s3ErrorInfo(error);
      if (info.status === 412 || info.name === 'PreconditionFailed') throw this.changed(undefined);
      throw new S3ZipSyncError('S3_ERROR', `cannot read ${this.url()} bytes ${start}-${end - 1}: ${describeS3Error(error)}`, {
        cause: error,
      });
    }
  }

  private changed(etag: string | undefined): S3ZipSyncError {
    const now = etag ? ` (etag ${this.object.etag} → ${etag})` : ` (etag ${this.object.etag} no longer matches)`;
    this.replaced ??= new S3ZipSyncError('SOURCE_CHANGED', `zip ${this.url()} was replaced while being read${now}; run again`);
    return this.replaced;
  }

  private shortRead(start: number, end: number, received: number): S3ZipSyncError {
    return new S3ZipSyncError('S3_ERROR', `short read of ${this.url()} bytes ${start}-${end - 1}: got ${received} of ${end - start}`);
  }

  private url(): string {
    return `s3://${this.object.bucket}/${this.object.key}`;
  }
}

