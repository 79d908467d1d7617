import yauzl from 'yauzl';
import type { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { S3ZipSyncError } from '../errors.js';
import { DEFLATED, STORED, ZSTANDARD, canDecode, unsupportedMethodMessage, zstdDecompressor } from './compression-methods.js';
import { entryPath, NAME_NORMALIZATIONS, type NameNormalization } from './entry-key.js';
import { unsafeEntryNameReason } from './entry-name.js';
import { decodeEntryName, NAME_ENCODINGS, type ExtraField, type NameEncoding } from './entry-name-decoding.js';
import { encryptionFlagNote, storedSizeMismatch } from './declared-sizes.js';
import { resolveLimits, type ArchiveLimits } from './limits.js';
import { localHeaderMismatch } from './local-header.js';
import { findOverlap } from './overlap.js';
import { corrupt, createVerifyStream, verifyWhole } from './verify-stream.js';
import { describeZipSource, openYauzl, type DirectoryPart, type OpenedZip, type ReadBytes, type ZipSource } from './zip-source.js';

export type { DirectoryPart, ZipSource } from './zip-source.js';
export type { NameEncoding } from './entry-name-decoding.js';
export type { NameNormalization } from './entry-key.js';

/** How entry names become archive paths; see entry-name-decoding.ts and entry-key.ts. */
export interface NameOptions {
  /** How names without the UTF-8 flag are read: `auto` (default) takes valid non-ASCII UTF-8 as UTF-8, else CP437. */
  nameEncoding: NameEncoding;
  /** `none` (default): keys are exactly the archive's names; `nfc`: Unicode NFC, so NFD names from macOS match NFC URLs. */
  normalizeNames: NameNormalization;
}

export const DEFAULT_NAME_OPTIONS: NameOptions = { nameEncoding: 'auto', normalizeNames: 'none' };

export type EntryKind = 'file' | 'directory' | 'symlink';

export interface ArchiveEntry {
  /** Path inside the archive, validated (no absolute path, `..`, backslash, NUL, empty segment). */
  readonly name: string;
  readonly kind: EntryKind;
  /** Uncompressed size declared by the central directory, in bytes. */
  readonly size: number;
  /** CRC32 of the uncompressed bytes, declared by the central directory. */
  readonly crc32: number;
}

export interface Archive {
  /** Every entry of the central directory, in archive order, already validated as a whole. */
  readonly entries: readonly ArchiveEntry[];
  /** The entry's bytes, verified against its declared size and CRC32 as they stream. */
  openEntry(entry: ArchiveEntry): Promise<Readable>;
  /**
   * A small entry's bytes whole, verified the same way, for entries that are sent from memory anyway.
   * Deflate is undone in one call: a zlib stream per entry costs ~0.7 ms of CPU for a 1–8 KB entry, the
   * one call ~0.05 ms (bench/results/2026-12-01-hot-path.md), and most entries of a site or symbol archive are small.
   */
  readEntry(entry: ArchiveEntry): Promise<Buffer>;
  /**
   * Says which entries will be read: a remote source's requests then stop at the edges of their
   * span, so two shards of one archive do not both fetch the block on their border.
   */
  focus(entries: readonly ArchiveEntry[]): void;
  /** Where the central directory's records lie, for a plan that splits them between shards. */
  readonly directory: ArchiveDirectory;
  close(): void;
}

export interface ArchiveDirectory {
  /** The offset of every record yauzl read, in order, then the end of the last. */
  readonly recordOffsets: readonly number[];
  /** The index of an entry's record (records of `./` have no entry). */
  recordOf(entry: ArchiveEntry): number;
  /** The ETag of the S3 object read (S3 sources only): what was learnt of its directory holds for that version only. */
  readonly etag?: string;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const MADE_BY_UNIX = 3;

const OPEN_OPTIONS: yauzl.Options = {
  lazyEntries: true,
  autoClose: false,
  // Names are decoded and validated by us (unsafeEntryNameReason) so every rejection has one wording.
  decodeStrings: false,
  // Off while the central directory is read (storedSizeMismatch words that check), on for reading data.
  validateEntrySizes: false,
};

/**
 * Opens a zip and reads its whole central directory before returning, so that an archive that is
 * invalid as a whole (unsafe or duplicate names, encryption, limits) is refused before any upload.
 */
export async function openArchive(
  source: ZipSource,
  limits: Partial<ArchiveLimits> = {},
  names: Partial<NameOptions> = {},
  part?: DirectoryPart,
  /** Called with the end record's entry count, before the central directory is read. */
  onEntryCount?: (count: number) => void,
): Promise<Archive> {
  const effective = resolveLimits(limits);
  const nameOptions = resolveNameOptions(names);
  const label = describeZipSource(source);
  let opened: OpenedZip;
  try {
    opened = await openYauzl(source, OPEN_OPTIONS, part);
  } catch (error) {
    throw error instanceof S3ZipSyncError ? error : openError(label, error);
  }
  const { zipfile, readBytes } = opened;
  const dataEnd = opened.dataEnd ?? Number.POSITIVE_INFINITY;
  const native = new Map<ArchiveEntry, yauzl.Entry>();
  try {
    if (zipfile.entryCount > effective.maxEntries) {
      throw new S3ZipSyncError(
        'LIMIT_EXCEEDED',
        `archive has ${zipfile.entryCount} entries, more than \`maxEntries\` ${effective.maxEntries}`,
        { option: 'maxEntries', limit: effective.maxEntries },
      );
    }
    onEntryCount?.(zipfile.entryCount);
    // yauzl starts reading records at the directory's offset; its typings call the field a boolean.
    const directoryOffset = (zipfile as unknown as { readEntryCursor: number }).readEntryCursor;
    const entries = await readCentralDirectory(zipfile, label);
    zipfile.validateEntrySizes = true;
    validateArchive(entries, effective, nameOptions, label, native);
    const recordOffsets = [directoryOffset];
    for (const raw of entries) recordOffsets.push(recordOffsets.at(-1)! + 46 + raw.fileNameLength + raw.extraFieldLength + raw.fileCommentLength);
    const recordIndex = new Map(entries.map((raw, index) => [raw, index]));
    const options = { nameEncoding: nameOptions.nameEncoding, dataEnd };
    return {
      entries: [...native.keys()],
      openEntry: (entry) => openVerifiedStream(zipfile, native, entry, options),
      readEntry: (entry) => readVerifiedEntry(zipfile, readBytes, native, entry, options),
      focus: (selected) => opened.addCuts?.(spanCuts(selected.map((entry) => nativeEntry(native, entry)), opened.cachedReadLimit ?? 0)),
      directory: {
        recordOffsets,
        recordOf: (entry) => recordIndex.get(nativeEntry(native, entry))!,
        ...(opened.etag !== undefined ? { etag: opened.etag } : {}),
      },
      close: () => zipfile.close(),
    };
  } catch (error) {
    zipfile.close();
    throw error;
  }
}

/** What a local header may hold beyond what its central record says: often longer timestamps. */
const LOCAL_EXTRA_SLACK = 1024;

/**
 * Where blocks should end, for reading `entries`: at the edges of their span, so a remote source
 * fetches none of the bytes before or after it (another shard's); and around the local header of
 * each entry too big to come from a block (`cachedReadLimit`), whose data is streamed by its own
 * requests, so reading its header does not fetch a whole block of that data as well.
 *
 * A local header's extra field is not known before it is read: the central one's length plus
 * LOCAL_EXTRA_SLACK is the longest it is taken to be. Past the span's estimated end, one more cut 64 KiB further
 * bounds what a wrong estimate costs to 64 KiB, not a block of the next shard's bytes.
 */
function spanCuts(entries: readonly yauzl.Entry[], cachedReadLimit: number): number[] {
  if (entries.length === 0) return [];
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  const cuts: number[] = [];
  for (const raw of entries) {
    const header = raw.relativeOffsetOfLocalHeader;
    const headerEnd = header + 30 + raw.fileNameLength + raw.extraFieldLength + LOCAL_EXTRA_SLACK;
    start = Math.min(start, header);
    end = Math.max(end, headerEnd + raw.compressedSize);
    if (raw.compressedSize > cachedReadLimit) {
      // Its data ends somewhere from (no local extra field) to (the estimate's): the next header is read from a block starting in that gap.
      const shortest = header + 30 + raw.fileNameLength + raw.compressedSize;
      cuts.push(header, headerEnd, shortest, headerEnd + raw.compressedSize);
    }
  }
  return [...cuts, start, end, end + 64 * 1024];
}

function readCentralDirectory(zipfile: yauzl.ZipFile, label: string): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zipfile.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zipfile.readEntry();
    });
    zipfile.once('end', () => resolve(entries));
    // A source that failed to read (S3) already says what happened; only yauzl's own errors mean an invalid zip.
    zipfile.once('error', (error: unknown) => reject(error instanceof S3ZipSyncError ? error : invalidArchive(label, error)));
    zipfile.readEntry();
  });
}

function resolveNameOptions(names: Partial<NameOptions>): NameOptions {
  const resolved = { ...DEFAULT_NAME_OPTIONS, ...stripUndefined(names) };
  if (!NAME_ENCODINGS.includes(resolved.nameEncoding)) {
    throw new S3ZipSyncError('INVALID_OPTION', `invalid nameEncoding: ${JSON.stringify(resolved.nameEncoding)} (expected ${NAME_ENCODINGS.join(', ')})`);
  }
  if (!NAME_NORMALIZATIONS.includes(resolved.normalizeNames)) {
    throw new S3ZipSyncError('INVALID_OPTION', `invalid normalizeNames: ${JSON.stringify(resolved.normalizeNames)} (expected ${NAME_NORMALIZATIONS.join(', ')})`);
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

function validateArchive(
  entries: yauzl.Entry[],
  limits: ArchiveLimits,
  names: NameOptions,
  label: string,
  out: Map<ArchiveEntry, yauzl.Entry>,
): void {
  // Path → the decoded name it came from, so a duplicate made by `./` or normalization names both.
  const seen = new Map<string, string>();
  let totalSize = 0;
  for (const raw of entries) {
    const decoded = decodeEntryName(raw.fileNameRaw, raw.generalPurposeBitFlag, raw.extraFields, names.nameEncoding).name;
    const name = entryPath(decoded, names.normalizeNames);
    // The archive's own root folder (`./`): no file, no key.
    if (name === null) continue;
    // Checked on the path the key is made of: that is what a later mirror to disk would write.
    const unsafe = unsafeEntryNameReason(name);
    if (unsafe) throw new S3ZipSyncError('UNSAFE_ENTRY_NAME', unsafe);
    const earlier = seen.get(name);
    if (earlier !== undefined) throw duplicate(name, earlier, decoded, names.normalizeNames);
    seen.set(name, decoded);

    const kind = entryKind(raw, name);
    if (kind === 'file') {
      if (raw.isEncrypted()) {
        throw new S3ZipSyncError('ENCRYPTED_ENTRY', `encrypted entry is not supported: ${JSON.stringify(name)}${encryptionFlagNote(raw)}`);
      }
      if (!canDecode(raw.compressionMethod)) {
        throw new S3ZipSyncError('UNSUPPORTED_ENTRY', unsupportedMethodMessage(raw.compressionMethod, name));
      }
      if (raw.uncompressedSize > limits.maxEntrySize) {
        throw new S3ZipSyncError(
          'LIMIT_EXCEEDED',
          `entry ${JSON.stringify(name)} is ${raw.uncompressedSize} bytes, more than \`maxEntrySize\` ${limits.maxEntrySize}`,
          { option: 'maxEntrySize', limit: limits.maxEntrySize, key: name },
        );
      }
      totalSize += raw.uncompressedSize;
      if (totalSize > limits.maxTotalSize) {
        throw new S3ZipSyncError(
          'LIMIT_EXCEEDED',
          `archive holds more than \`maxTotalSize\` ${limits.maxTotalSize} bytes of files`,
          { option: 'maxTotalSize', limit: limits.maxTotalSize },
        );
      }
    }
    const sizes = storedSizeMismatch(raw, name);
    if (sizes) throw new S3ZipSyncError('INVALID_ARCHIVE', `not a valid zip archive (${label}): ${sizes}`);
    out.set({ name, kind, size: raw.uncompressedSize, crc32: raw.crc32 }, raw);
  }
  const overlap = findOverlap(
    [...out].map(([entry, raw]) => ({ name: entry.name, offset: raw.relativeOffsetOfLocalHeader, minLength: 30 + raw.fileNameLength + raw.compressedSize })),
  );
  if (overlap) {
    throw new S3ZipSyncError(
      'INVALID_ARCHIVE',
      `entries ${JSON.stringify(overlap[0].name)} and ${JSON.stringify(overlap[1].name)} overlap in the archive (a zip bomb trick); refusing it`,
    );
  }
}

function duplicate(name: string, earlier: string, later: string, normalization: NameNormalization): S3ZipSyncError {
  if (earlier === later) return new S3ZipSyncError('DUPLICATE_ENTRY', `duplicate entry name: ${JSON.stringify(name)}`);
  const how = normalization === 'nfc' ? 'after dropping a leading "./" and NFC normalization' : 'after dropping a leading "./"';
  return new S3ZipSyncError(
    'DUPLICATE_ENTRY',
    `duplicate entry name: ${JSON.stringify(earlier)} and ${JSON.stringify(later)} are both ${JSON.stringify(name)} ${how}`,
  );
}

function entryKind(raw: yauzl.Entry, name: string): EntryKind {
  const madeByUnix = raw.versionMadeBy >> 8 === MADE_BY_UNIX;
  const mode = (raw.externalFileAttributes >>> 16) & S_IFMT;
  if (name.endsWith('/') || (madeByUnix && mode === S_IFDIR)) return 'directory';
  if (madeByUnix && mode === S_IFLNK) return 'symlink';
  return 'file';
}

/** How entries are read: names decoded as the directory's were, data ending by `dataEnd`. */
interface ReadOptions {
  nameEncoding: NameEncoding;
  dataEnd: number;
}

async function openVerifiedStream(
  zipfile: yauzl.ZipFile,
  native: Map<ArchiveEntry, yauzl.Entry>,
  entry: ArchiveEntry,
  options: ReadOptions,
): Promise<Readable> {
  const raw = nativeEntry(native, entry);
  let source: Readable;
  try {
    await checkLocalHeader(zipfile, raw, entry, options);
    source = await openDecodedStream(zipfile, raw);
  } catch (error) {
    throw readError(entry, error);
  }
  const verify = createVerifyStream(entry.name, entry.size, entry.crc32);
  // yauzl (and zlib) report truncated or oversized data as plain errors; give them our code on the way out.
  source.once('error', (error) => {
    verify.destroy(
      error instanceof S3ZipSyncError
        ? error
        : new S3ZipSyncError('ENTRY_CORRUPT', `corrupt entry ${JSON.stringify(entry.name)}: ${messageOf(error)}`),
    );
  });
  // A consumer that gives up (aborted upload) must release the entry's reads too.
  verify.once('close', () => source.destroy());
  source.pipe(verify);
  return verify;
}

async function readVerifiedEntry(
  zipfile: yauzl.ZipFile,
  readBytes: ReadBytes,
  native: Map<ArchiveEntry, yauzl.Entry>,
  entry: ArchiveEntry,
  options: ReadOptions,
): Promise<Buffer> {
  const raw = nativeEntry(native, entry);
  // Deflate never needs more than a few bytes per 64 KiB over the plain size; a declared compressed
  // size beyond that (a hostile directory) is not read into memory but streamed, where the declared
  // plain size stops it.
  const plausible = raw.compressedSize <= entry.size + (entry.size >>> 10) + 1024;
  if ((raw.compressionMethod !== STORED && raw.compressionMethod !== DEFLATED) || !plausible) {
    return collect(await openVerifiedStream(zipfile, native, entry, options));
  }
  let stored: Buffer;
  try {
    // yauzl has checked that the data lies inside the file; the bytes are read as one range.
    const { fileDataStart } = await checkLocalHeader(zipfile, raw, entry, options);
    stored = await readBytes(fileDataStart, fileDataStart + raw.compressedSize);
  } catch (error) {
    throw readError(entry, error);
  }
  let bytes = stored;
  if (raw.compressionMethod === DEFLATED) {
    try {
      // One byte more than declared is enough to tell an entry that inflates past its size (a bomb).
      bytes = inflateRawSync(stored, { maxOutputLength: entry.size + 1 });
    } catch (error) {
      const tooLong = (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
      throw corrupt(entry.name, tooLong ? `more than the declared ${entry.size} bytes` : messageOf(error));
    }
  }
  verifyWhole(entry.name, entry.size, entry.crc32, bytes);
  return bytes;
}

function nativeEntry(native: Map<ArchiveEntry, yauzl.Entry>, entry: ArchiveEntry): yauzl.Entry {
  const raw = native.get(entry);
  if (!raw) throw new Error(`entry does not belong to this archive: ${entry.name}`);
  return raw;
}

/**
 * Reads the entry's local header, refusing one that disagrees with the central directory, or data
 * running past `dataEnd`: in a view of one directory part, what lies beyond is not the archive's.
 */
async function checkLocalHeader(zipfile: yauzl.ZipFile, raw: yauzl.Entry, entry: ArchiveEntry, { nameEncoding, dataEnd }: ReadOptions): Promise<yauzl.LocalFileHeader> {
  const local = await zipfile.readLocalFileHeaderPromise(raw);
  if (local.fileDataStart + raw.compressedSize > dataEnd) {
    throw new S3ZipSyncError('ENTRY_CORRUPT', `the data of entry ${JSON.stringify(entry.name)} runs past the central directory`);
  }
  const localFields = localExtraFields(local.extraField);
  const localName = decodedOrNull(local.fileName, local.generalPurposeBitFlag, localFields, nameEncoding, raw.fileNameRaw);
  const strictName = decodedOrNull(local.fileName, local.generalPurposeBitFlag, localFields, nameEncoding);
  const mismatch = localHeaderMismatch(
    { ...raw, fileName: raw.fileNameRaw, decodedName: decodedOrNull(raw.fileNameRaw, raw.generalPurposeBitFlag, raw.extraFields, nameEncoding) },
    { ...local, decodedName: localName, ...(strictName === localName ? {} : { strictName }) },
  );
  if (mismatch) {
    throw new S3ZipSyncError('ENTRY_CORRUPT', `local header of entry ${JSON.stringify(entry.name)} disagrees with the central directory: ${mismatch}`);
  }
  return local;
}

function readError(entry: ArchiveEntry, error: unknown): S3ZipSyncError {
  if (error instanceof S3ZipSyncError) return error;
  return new S3ZipSyncError('ENTRY_CORRUPT', `cannot read entry ${JSON.stringify(entry.name)}: ${messageOf(error)}`, { cause: error });
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Stored and deflated entries as yauzl streams them; Zstandard through Node's decoder (canDecode said it has one). */
async function openDecodedStream(zipfile: yauzl.ZipFile, raw: yauzl.Entry): Promise<Readable> {
  if (raw.compressionMethod === STORED || raw.compressionMethod === DEFLATED) return zipfile.openReadStreamPromise(raw);
  const createDecoder = raw.compressionMethod === ZSTANDARD ? zstdDecompressor() : undefined;
  if (!createDecoder) throw new Error(`no decoder for compression method ${raw.compressionMethod}`);
  const compressed = await zipfile.openReadStreamPromise(raw, { decodeFileData: false });
  const decoder = createDecoder();
  // The verify stream behind checks the declared size as bytes arrive, so a bomb stops at its declared size.
  compressed.once('error', (error) => decoder.destroy(error));
  decoder.once('close', () => compressed.destroy());
  return compressed.pipe(decoder);
}

/** The name a header decodes to, or null when it does not decode (which is then a mismatch). */
function decodedOrNull(raw: Buffer, flags: number, extraFields: readonly ExtraField[], nameEncoding: NameEncoding, centralName?: Buffer): string | null {
  try {
    return decodeEntryName(raw, flags, extraFields, nameEncoding, centralName).name;
  } catch {
    return null;
  }
}

function localExtraFields(buffer: Buffer): ExtraField[] {
  try {
    return yauzl.parseExtraFields(buffer);
  } catch {
    return [];
  }
}

function openError(label: string, error: unknown): S3ZipSyncError {
  const code = (error as { code?: unknown })?.code;
  if (code === 'ENOENT') return new S3ZipSyncError('INVALID_OPTION', `zip file not found: ${label}`);
  if (code === 'EISDIR') return new S3ZipSyncError('INVALID_OPTION', `not a file: ${label}`);
  if (code === 'EACCES') return new S3ZipSyncError('INVALID_OPTION', `permission denied reading ${label}`);
  return invalidArchive(label, error);
}

function invalidArchive(label: string, error: unknown): S3ZipSyncError {
  return new S3ZipSyncError('INVALID_ARCHIVE', `not a valid zip archive (${label}): ${messageOf(error)}`, {
    cause: error,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
