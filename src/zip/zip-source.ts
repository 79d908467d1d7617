import type { S3Client } from '@aws-sdk/client-s3';
import yauzl from 'yauzl';
import { S3ZipSyncError } from '../errors.js';
import { describeS3Error, s3ErrorInfo } from '../s3/s3-error.js';
import { directoryTrailer, END_RECORD_SEARCH, findDirectory, type DirectoryLocation } from './end-record.js';
import { FileReader } from './file-reader.js';
import { PADDING_SEARCH_LENGTH, zeroPaddingLength } from './trailing-padding.js';
import { DEFAULT_S3_READER, S3RandomAccessReader, validateReaderSettings, type S3Object, type S3ReaderSettings } from './s3-random-access-reader.js';

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

/**
 * Some consecutive records of an S3 zip's central directory, found by a plan that read the whole
 * directory (see directory-parts.ts), and the ETag of the object it read: a shard given one reads
 * only these records, and only of that very object.
 */
export interface DirectoryPart extends DirectoryLocation {
  etag: string;
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
export async function openYauzl(source: ZipSource, options: yauzl.Options, part?: DirectoryPart): Promise<OpenedZip> {
  if (part && !isS3ZipLocation(source)) {
    throw new S3ZipSyncError('INVALID_OPTION', `a part of the central directory is read from an s3 zip only, not ${describeZipSource(source)}`);
  }
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
  const object = { client, bucket: source.bucket, key: source.key, size, etag };
  if (part) return openPart(object, settings, part, options);
  return fromReaderAllowingPadding(async () => {
    const reader = new S3RandomAccessReader(object, settings);
    // Also below one block: a plan needs only the directory, and a sync of a small zip pays one more request at most.
    if (size > END_RECORD_SEARCH) await findDirectoryAhead(reader, size);
    return {
      reader,
      size,
      discard: async () => {},
      readBytes: (start, end) => reader.readBytes(start, end),
      addCuts: (offsets) => reader.addCuts(offsets),
      cachedReadLimit: reader.cachedReadLimit,
      etag,
    };
  }, options);
}

/**
 * Reads the zip's tail (exactly what yauzl reads first) and, from the end record in it, cuts the
 * blocks at the directory's start: yauzl then reads the directory in blocks that begin where it
 * does, not at the block boundary before it (up to a block of entry data fetched for nothing, by
 * every shard). An end record not found here is left to yauzl to refuse or find.
 */
async function findDirectoryAhead(reader: S3RandomAccessReader, size: number): Promise<void> {
  const tailStart = Math.max(0, size - END_RECORD_SEARCH);
  reader.addCuts([tailStart]);
  const directory = findDirectory(await reader.readBytes(tailStart, size), tailStart);
  if (!directory) return;
  // A cut inside the tail would drop the tail just read.
  reader.addCuts([directory.offset, directory.offset + directory.size].filter((offset) => offset < tailStart));
}

/** yauzl over a view of the zip whose directory is `part`'s records only (see directoryTrailer). */
async function openPart(object: S3Object, settings: S3ReaderSettings, part: DirectoryPart, options: yauzl.Options): Promise<OpenedZip> {
  const url = `s3://${object.bucket}/${object.key}`;
  if (part.etag !== object.etag) {
    throw new S3ZipSyncError('SOURCE_CHANGED', `zip ${url} was replaced since its directory was planned (etag ${part.etag} → ${object.etag}); plan again`);
  }
  const end = part.offset + part.size;
  if (end > object.size) {
    throw new S3ZipSyncError('INVALID_OPTION', `the directory part [${part.offset}, ${end}) lies outside ${url} (${object.size} bytes)`);
  }
  const reader = new S3RandomAccessReader(object, settings, { end, trailer: directoryTrailer(part, end) });
  reader.addCuts([part.offset]);
  const zipfile = await fromReader(reader, reader.size, options);
  return { zipfile, readBytes: (start, byteEnd) => reader.readBytes(start, byteEnd), addCuts: (offsets) => reader.addCuts(offsets), cachedReadLimit: reader.cachedReadLimit, etag: object.etag, dataEnd: end };
}

/** [start, end) of the zip in one Buffer, through the source's own reader (and its block cache). */
export type ReadBytes = (start: number, end: number) => Promise<Buffer>;

export interface OpenedZip {
  zipfile: yauzl.ZipFile;
  /** Where a small entry's stored bytes are read whole, without a stream (see Archive.readEntry). */
  readBytes: ReadBytes;
  /** Where the bytes to be read begin and end, so a remote reader's requests stop there (absent: nothing to gain). */
  addCuts?: (offsets: readonly number[]) => void;
  /** Reads up to this long come from blocks; longer ones have requests of their own. */
  cachedReadLimit?: number;
  /** The S3 object's ETag, which every read was pinned to. */
  etag?: string;
  /** Entries' data must end here: the end of the real bytes of a view (a directory part); else yauzl's own bound, the file size. */
  dataEnd?: number;
}

interface OpenedReader extends Omit<OpenedZip, 'zipfile'> {
  reader: yauzl.RandomAccessReader;
  size: number;
  /** Releases a reader yauzl refused (yauzl keeps its reference to it, so it never closes it itself). */
  discard(): Promise<void>;
}

async function fromReaderAllowingPadding(open: () => Promise<OpenedReader>, options: yauzl.Options): Promise<OpenedZip> {
  const first = await open();
  let padding: number;
  try {
    return { zipfile: await fromReader(first.reader, first.size, options), ...openedParts(first) };
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
    return { zipfile: await fromReader(second.reader, second.size - padding, options), ...openedParts(second) };
  } catch (error) {
    await second.discard();
    throw error;
  }
}

function openedParts({ reader: _reader, size: _size, discard: _discard, ...parts }: OpenedReader): Omit<OpenedZip, 'zipfile'> {
  return parts;
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
