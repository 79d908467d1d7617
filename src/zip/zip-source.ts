import type { S3Client } from '@aws-sdk/client-s3';
import yauzl from 'yauzl';
import { S3ZipSyncError } from '../errors.js';
import { describeS3Error, s3ErrorInfo } from '../s3/s3-error.js';
import { FileReader } from './file-reader.js';
import { PADDING_SEARCH_LENGTH, zeroPaddingLength } from './trailing-padding.js';
import { DEFAULT_S3_READER, S3RandomAccessReader, validateReaderSettings, type S3ReaderSettings } from './s3-random-access-reader.js';

/** A zip stored in S3, read with ranged GETs: never downloaded whole, never written to disk. */
export interface S3ZipLocation {
  bucket: string;
  key: string;
  /** The client to read it with; syncZip uses its own client when this is absent. */
  client?: S3Client;
  reader?: Partial<S3ReaderSettings>;
}

/** A zip on disk (path), in memory (Buffer), or in S3. */
export type ZipSource = string | Buffer | S3ZipLocation;

export function isS3ZipLocation(source: ZipSource): source is S3ZipLocation {
  return typeof source === 'object' && !Buffer.isBuffer(source);
}

/** How messages name the archive: its path, `s3://bucket/key`, or `in-memory zip`. */
export function describeZipSource(source: ZipSource): string {
  if (typeof source === 'string') return source;
  if (Buffer.isBuffer(source)) return 'in-memory zip';
  return `s3://${source.bucket}/${source.key}`;
}

/** `s3://bucket/key.zip` → its location; anything else → undefined (a local path). */
export function parseS3Url(text: string): S3ZipLocation | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(text);
  if (!match) {
    if (text.startsWith('s3://')) {
      throw new S3ZipSyncError('INVALID_OPTION', `an s3 zip must be s3://bucket/key, got ${JSON.stringify(text)}`);
    }
    return undefined;
  }
  return { bucket: match[1]!, key: match[2]! };
}

/** The source with `client` filled in when it is an S3 location without one of its own (only then is one built). */
export async function withDefaultClient(source: ZipSource, client: () => Promise<S3Client>): Promise<ZipSource> {
  return isS3ZipLocation(source) && !source.client ? { ...source, client: await client() } : source;
}

/**
 * yauzl's ZipFile over the source. Errors are the raw ones (yauzl's, fs's) or S3ZipSyncError for S3.
 * An archive yauzl refuses is looked at once more for zero padding after its end record (see
 * trailing-padding.ts) and opened without it; well-formed archives never pay for that second look.
 */
export async function openYauzl(source: ZipSource, options: yauzl.Options): Promise<OpenedZip> {
  if (typeof source === 'string') {
    return fromReaderAllowingPadding(async () => {
      const { reader, size } = await FileReader.open(source);
      return { reader, size, discard: () => reader.discard(), readBytes: (start, end) => reader.readBytes(start, end) };
    }, options);
  }
  if (Buffer.isBuffer(source)) {
    const readBytes: ReadBytes = async (start, end) => source.subarray(start, end);
    try {
      return { zipfile: await yauzl.fromBufferPromise(source, options), readBytes };
    } catch (error) {
      const padding = zeroPaddingLength(source.subarray(Math.max(0, source.length - PADDING_SEARCH_LENGTH)));
      if (padding === 0) throw error;
      return { zipfile: await yauzl.fromBufferPromise(source.subarray(0, source.length - padding), options), readBytes };
    }
  }
  const { client } = source;
  if (!client) throw new S3ZipSyncError('INVALID_OPTION', `no s3 client given to read ${describeZipSource(source)}`);
  const settings = { ...DEFAULT_S3_READER, ...source.reader };
  validateReaderSettings(settings);
  const { size, etag } = await headZip(client, source);
  return fromReaderAllowingPadding(async () => {
    const reader = new S3RandomAccessReader({ client, bucket: source.bucket, key: source.key, size, etag }, settings);
    return { reader, size, discard: async () => {}, readBytes: (start, end) => reader.readBytes(start, end) };
  }, options);
}

/** [start, end) of the zip in one Buffer, through the source's own reader (and its block cache). */
export type ReadBytes = (start: number, end: number) => Promise<Buffer>;

export interface OpenedZip {
  zipfile: yauzl.ZipFile;
  /** Where a small entry's stored bytes are read whole, without a stream (see Archive.readEntry). */
  readBytes: ReadBytes;
}

interface OpenedReader {
  reader: yauzl.RandomAccessReader;
  size: number;
  /** Releases a reader yauzl refused (yauzl keeps its reference to it, so it never closes it itself). */
  discard(): Promise<void>;
  readBytes: ReadBytes;
}

async function fromReaderAllowingPadding(open: () => Promise<OpenedReader>, options: yauzl.Options): Promise<OpenedZip> {
  const first = await open();
  let padding: number;
  try {
    return { zipfile: await fromReader(first.reader, first.size, options), readBytes: first.readBytes };
  } catch (error) {
    try {
      // A reader that failed (S3 said no) has nothing to show; only yauzl's own refusals are worth a second look.
      if (error instanceof S3ZipSyncError) throw error;
      padding = zeroPaddingLength(await readRange(first.reader, Math.max(0, first.size - PADDING_SEARCH_LENGTH), first.size));
      if (padding === 0) throw error;
    } finally {
      await first.discard();
    }
  }
  // A fresh reader: the refused one still counts yauzl's reference and would never close.
  const second = await open();
  try {
    return { zipfile: await fromReader(second.reader, second.size - padding, options), readBytes: second.readBytes };
  } catch (error) {
    await second.discard();
    throw error;
  }
}

function fromReader(reader: yauzl.RandomAccessReader, size: number, options: yauzl.Options): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(reader, size, options, (error, zipfile) => (error ? reject(error) : resolve(zipfile)));
  });
}

async function readRange(reader: yauzl.RandomAccessReader, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of reader.createReadStream({ start, end })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function headZip(client: S3Client, source: S3ZipLocation): Promise<{ size: number; etag: string }> {
  const url = describeZipSource(source);
  try {
    const { HeadObjectCommand } = await import('../s3/sdk-commands.js');
    const head = await client.send(new HeadObjectCommand({ Bucket: source.bucket, Key: source.key }));
    if (head.ContentLength === undefined || !head.ETag) {
      throw new S3ZipSyncError('S3_ERROR', `no size or etag in the answer for ${url}`);
    }
    return { size: head.ContentLength, etag: head.ETag };
  } catch (error) {
    if (error instanceof S3ZipSyncError) throw error;
    const info = s3ErrorInfo(error);
    if (info.status === 404) throw new S3ZipSyncError('INVALID_OPTION', `zip not found: ${url}`);
    if (info.status === 403) {
      throw new S3ZipSyncError('ACCESS_DENIED', `access denied reading ${url} (needs s3:GetObject): ${describeS3Error(error)}`);
    }
    throw new S3ZipSyncError('S3_ERROR', `cannot read ${url}: ${describeS3Error(error)}`, { cause: error });
  }
}
