import { Buffer } from 'node:buffer';
import { crc32, deflateRawSync } from 'node:zlib';
import yazl from 'yazl';

export interface ZipFileSpec {
  /** A name ending in `/` becomes an empty directory entry. */
  name: string;
  data: Buffer | string;
  compress?: boolean;
  /** Unix mode, e.g. 0o120777 with data = link target for a symlink. */
  mode?: number;
}

/** An ordinary archive, written by yazl (which refuses hostile names, hence rawZip). */
export function makeZip(files: ZipFileSpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  // A fixed mtime keeps fixtures byte-identical between runs.
  const mtime = new Date('2024-01-01T00:00:00Z');
  for (const file of files) {
    if (file.name.endsWith('/')) {
      zip.addEmptyDirectory(file.name, { mtime, ...(file.mode === undefined ? {} : { mode: file.mode }) });
      continue;
    }
    const data = typeof file.data === 'string' ? Buffer.from(file.data) : file.data;
    zip.addBuffer(data, file.name, {
      mtime,
      compress: file.compress ?? true,
      ...(file.mode === undefined ? {} : { mode: file.mode }),
    });
  }
  zip.end();
  return collect(zip.outputStream);
}

/** A valid archive with no entries at all. */
export function emptyZip(): Promise<Buffer> {
  return makeZip([]);
}

/** Long enough to be searched for an end-of-central-directory record, and has none. */
export const NOT_A_ZIP: Buffer = Buffer.from('this is a plain text file, not a zip archive\n'.repeat(4));

/** The first `length` bytes of `buf`, as a copy. */
export function truncate(buf: Buffer, length: number): Buffer {
  return Buffer.from(buf.subarray(0, length));
}

export interface RawEntry {
  /** A string is written as UTF-8 (general purpose bit 11); a Buffer is written as is. */
  name: string | Buffer;
  data?: Buffer | string;
  /** Deflate the data (method 8); otherwise it is stored (method 0). */
  compress?: boolean;
  /** Compression method written in the headers, whatever was actually done to the data. */
  method?: number;
  /** Extra general purpose bits, OR-ed into the ones rawZip sets itself. */
  flags?: number;
  /**
   * Set bit 0 and prefix the data with a 12-byte (fake) traditional encryption header, so the sizes
   * stay consistent the way a real ZipCrypto entry's are and only the flag itself can be objected to.
   */
  encrypted?: boolean;
  /** CRC32 declared in both headers instead of the real one. */
  crc32Override?: number;
  /**
   * Uncompressed size declared in both headers instead of the real one. For a stored entry the
   * compressed size is declared the same, because yauzl rejects a stored entry whose two sizes differ
   * as a malformed archive before the lie can be noticed while streaming.
   */
  sizeOverride?: number;
  /** Unix mode (e.g. 0o120777): sets "made by unix" and the mode in the external attributes. */
  unixMode?: number;
  versionMadeBy?: number;
  externalAttributes?: number;
  /** Extra field bytes of the central-directory header (see unicodePathField). */
  centralExtra?: Buffer;
  /** Extra field bytes of the local header. */
  localExtra?: Buffer;
  /** Raw name written in the local header instead of `name`. */
  localName?: Buffer;
  /** Already-compressed data to write as is (with `method`), e.g. Zstandard frames; `data` is what it decodes to. */
  compressedBody?: Buffer;
}

export interface RawZipOptions {
  /** Entry count declared in the end-of-central-directory record instead of the real one. */
  declaredEntryCount?: number;
  /** Bytes after the end-of-central-directory record (bsdtar's zero padding, or junk). */
  trailing?: Buffer;
}

/** An Info-ZIP Unicode Path extra field (0x7075) for `rawName`, naming it `unicodeName`; `crc` overrides the name's CRC. */
export function unicodePathField(rawName: Buffer, unicodeName: string, crc: number = crc32(rawName)): Buffer {
  const name = Buffer.from(unicodeName, 'utf8');
  const field = Buffer.alloc(4 + 5 + name.length);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + name.length, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(crc >>> 0, 5);
  name.copy(field, 9);
  return field;
}

export const UNIX_SYMLINK_MODE = 0o120777;
const MADE_BY_UNIX = 3 << 8;
const VERSION = 20;
const UTF8_FLAG = 0x800;
const ENCRYPTED_FLAG = 0x1;
// 2024-01-01 00:00:00 in MS-DOS format.
const DOS_TIME = 0;
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;

/** Assembles an archive by hand so tests can build what no well-behaved writer would produce. */
export function rawZip(entries: RawEntry[], options: RawZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : entry.name;
    const plain = typeof entry.data === 'string' ? Buffer.from(entry.data) : (entry.data ?? Buffer.alloc(0));
    let body = entry.compressedBody ?? (entry.compress ? deflateRawSync(plain) : plain);
    if (entry.encrypted) body = Buffer.concat([Buffer.alloc(12, 0xa5), body]);

    const flags =
      (typeof entry.name === 'string' ? UTF8_FLAG : 0) | (entry.encrypted ? ENCRYPTED_FLAG : 0) | (entry.flags ?? 0);
    const method = entry.method ?? (entry.compress ? 8 : 0);
    const crc = entry.crc32Override ?? crc32(plain);
    const size = entry.sizeOverride ?? plain.length;
    const compressedSize =
      entry.sizeOverride !== undefined && !entry.compress ? entry.sizeOverride + (entry.encrypted ? 12 : 0) : body.length;
    const versionMadeBy = entry.versionMadeBy ?? (entry.unixMode !== undefined ? MADE_BY_UNIX | VERSION : VERSION);
    const externalAttributes = entry.externalAttributes ?? (entry.unixMode !== undefined ? (entry.unixMode << 16) >>> 0 : 0);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressedSize, 18);
    local.writeUInt32LE(size, 22);
    const localName = entry.localName ?? name;
    const localExtra = entry.localExtra ?? Buffer.alloc(0);
    const centralExtra = entry.centralExtra ?? Buffer.alloc(0);
    local.writeUInt16LE(localName.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    locals.push(local, localName, localExtra, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(versionMadeBy, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressedSize, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(centralExtra.length, 30);
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number start
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(externalAttributes, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, centralExtra);

    offset += local.length + localName.length + localExtra.length + body.length;
  }

  const centralDirectory = Buffer.concat(centrals);
  const count = options.declaredEntryCount ?? entries.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, centralDirectory, end, options.trailing ?? Buffer.alloc(0)]);
}

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
  });
}
