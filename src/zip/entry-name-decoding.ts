import { isUtf8 } from 'node:buffer';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { S3ZipSyncError } from '../errors.js';

/** How names without the UTF-8 flag (general purpose bit 11) are read. */
import { NAME_ENCODINGS, type NameEncoding } from '../option-defaults.js';
export { NAME_ENCODINGS, type NameEncoding };

/** Where a decoded name came from, for messages and tests. */
export type NameSource = 'utf8-flag' | 'unicode-path-field' | 'utf8' | 'cp437';

export interface DecodedName {
  name: string;
  source: NameSource;
}

export interface ExtraField {
  id: number;
  data: Buffer;
}

const UTF8_FLAG = 0x800;
const UNICODE_PATH_FIELD = 0x7075;

/**
 * The name an entry's maker meant, from its raw header bytes.
 *
 * 1. An Info-ZIP Unicode Path extra field (0x7075, version 1, non-empty) whose CRC matches the raw
 *    name: its UTF-8 name. It comes first, as in yauzl and Info-ZIP: a writer that added the field
 *    meant it, even when it also set the UTF-8 flag over raw bytes that are no usable name.
 *    A CRC mismatch means a tool renamed the entry without updating the field, so the field is stale.
 * 2. The UTF-8 flag: the bytes are UTF-8 (and must be valid).
 * 3. Otherwise `encoding` decides. `auto` reads bytes that are valid UTF-8 and not plain ASCII as
 *    UTF-8: macOS Archive Utility, `ditto` and Info-ZIP `zip` on Linux write UTF-8 without the flag,
 *    and a CP437 name (accented letters are single bytes ≥ 0x80) is almost never valid multi-byte UTF-8.
 *    Anything else is CP437, the format's default.
 *
 * `centralName` is given for a local header: libarchive writes there an ASCII placeholder name and a
 * field carrying the CRC of the central directory's name, so a field matching either names the file.
 */
export function decodeEntryName(
  raw: Buffer,
  generalPurposeBitFlag: number,
  extraFields: readonly ExtraField[],
  encoding: NameEncoding,
  centralName?: Buffer,
): DecodedName {
  const unicodePath = unicodePathName(raw, extraFields, centralName);
  if (unicodePath !== undefined) return { name: unicodePath, source: 'unicode-path-field' };
  if (generalPurposeBitFlag & UTF8_FLAG) {
    // Decoding would silently turn the bad bytes into U+FFFD, so two different names could collide.
    if (!isUtf8(raw)) throw badName(`entry name flagged utf-8 is not valid utf-8: ${JSON.stringify(raw.toString('utf8'))}`);
    return { name: raw.toString('utf8'), source: 'utf8-flag' };
  }
  if (encoding === 'cp437') return { name: cp437(raw), source: 'cp437' };
  if (encoding === 'utf8') {
    if (!isUtf8(raw)) throw badName(`entry name is not valid utf-8 (nameEncoding 'utf8'): ${JSON.stringify(cp437(raw))}`);
    return { name: raw.toString('utf8'), source: 'utf8' };
  }
  if (!isAscii(raw) && isUtf8(raw)) return { name: raw.toString('utf8'), source: 'utf8' };
  return { name: cp437(raw), source: 'cp437' };
}

/** The UTF-8 name of a current Unicode Path field, or undefined when there is none (or it is stale). */
function unicodePathName(raw: Buffer, extraFields: readonly ExtraField[], centralName: Buffer | undefined): string | undefined {
  for (const field of extraFields) {
    if (field.id !== UNICODE_PATH_FIELD) continue;
    // Version 1 is the only one defined; "changes may not be backward compatible" says the spec.
    // An empty name is no name: skipped, as yauzl does, for a later field or the raw name.
    if (field.data.length < 6 || field.data.readUInt8(0) !== 1) continue;
    const crc = field.data.readUInt32LE(1);
    if (crc !== crc32(raw) >>> 0 && (centralName === undefined || crc !== crc32(centralName) >>> 0)) continue;
    const name = field.data.subarray(5);
    if (!isUtf8(name)) throw badName(`unicode path extra field holds invalid utf-8 for entry ${JSON.stringify(cp437(raw))}`);
    return name.toString('utf8');
  }
  return undefined;
}

function cp437(raw: Buffer): string {
  // yauzl's decoder: with flags 0 and no extra fields it is a plain CP437 table lookup.
  return yauzl.getFileNameLowLevel(0, raw, [], true);
}

function isAscii(raw: Buffer): boolean {
  return raw.every((byte) => byte < 0x80);
}

function badName(message: string): S3ZipSyncError {
  return new S3ZipSyncError('UNSAFE_ENTRY_NAME', message);
}
