import { unsafeEntryNameReason } from './entry-name.js';

/** The fields both headers of an entry carry (yauzl's Entry and LocalFileHeader have them). */
export interface HeaderFields {
  fileName: Buffer;
  /** The name the header's bytes and extra fields decode to (null: they do not decode). */
  decodedName?: string | null;
  /**
   * Local header only, when its Unicode Path field was taken by the CRC of the central name: the name
   * a reader that checks that CRC against the local name alone sees instead (null: no name).
   */
  strictName?: string | null;
  generalPurposeBitFlag: number;
  compressionMethod: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
}

const DATA_DESCRIPTOR = 0x8;
const ZIP64_MARKER = 0xffffffff;

/**
 * Why an entry's local header disagrees with its central-directory header, or null.
 *
 * We read names, sizes and CRC from the central directory only; a streaming extractor reads the
 * local headers. An archive whose two headers disagree shows different files to the two kinds of
 * reader (a classic way to smuggle `../x` past a scanner), so the entry is not trusted.
 */
export function localHeaderMismatch(central: HeaderFields, local: HeaderFields): string | null {
  if (!namesAgree(central, local)) return `name ${JSON.stringify(local.decodedName ?? local.fileName.toString('utf8'))}`;
  // Such a reader writes the placeholder name instead: a different file, but never outside its target.
  if (local.strictName !== undefined && (local.strictName === null || unsafeEntryNameReason(local.strictName))) {
    return `name ${JSON.stringify(local.strictName ?? local.fileName.toString('utf8'))} (without its Unicode Path field)`;
  }
  if (central.compressionMethod !== local.compressionMethod) return `compression method ${local.compressionMethod}`;
  // With a data descriptor the local header may leave CRC and sizes zero: nothing to compare.
  if (local.generalPurposeBitFlag & DATA_DESCRIPTOR) return null;
  if (local.crc32 >>> 0 !== central.crc32 >>> 0) return `crc32 ${hex(local.crc32)}`;
  // Zip64 entries keep their sizes in an extra field; the marker itself says nothing.
  if (local.compressedSize !== ZIP64_MARKER && local.compressedSize !== central.compressedSize) {
    return `compressed size ${local.compressedSize}`;
  }
  if (local.uncompressedSize !== ZIP64_MARKER && local.uncompressedSize !== central.uncompressedSize) {
    return `size ${local.uncompressedSize}`;
  }
  return null;
}

/**
 * What matters is the name each kind of reader sees. Where both headers were decoded, the decoded
 * names decide: the raw bytes may differ while both decode to the same name, and equal bytes may
 * decode differently (a Unicode Path field in one header only). Without decoded names, the bytes.
 */
function namesAgree(central: HeaderFields, local: HeaderFields): boolean {
  if (central.decodedName === undefined || local.decodedName === undefined) return central.fileName.equals(local.fileName);
  if (central.decodedName === null || local.decodedName === null) return central.decodedName === local.decodedName && central.fileName.equals(local.fileName);
  return central.decodedName === local.decodedName;
}

function hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
