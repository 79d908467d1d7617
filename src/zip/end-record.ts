/**
 * The end-of-central-directory records, read and written without yauzl: reading tells a reader where
 * the directory lies before yauzl asks for it (so it is fetched by its exact range); writing makes
 * the end of a zip that holds only some of the directory's records (one shard's part).
 */

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const EOCD_LENGTH = 22;
const ZIP64_LOCATOR_LENGTH = 20;
const ZIP64_EOCD_LENGTH = 56;
const MAX_COMMENT = 0xffff;

/** What yauzl reads first, at most: the end record behind a comment of any length, and the zip64 locator before it. */
export const END_RECORD_SEARCH = ZIP64_LOCATOR_LENGTH + EOCD_LENGTH + MAX_COMMENT;

/** Where the central directory lies, as the end records declare it. */
export interface DirectoryLocation {
  offset: number;
  size: number;
  /** Records in the directory. */
  entries: number;
}

/**
 * The directory declared by the end records found in `tail` (the file's last bytes, starting at
 * `tailStart`), searched as yauzl searches (backwards, the first signature whose comment length
 * fits), or undefined when they are not all in `tail` or do not parse. Only a hint: yauzl reads the
 * same records again and is the judge of the archive.
 */
export function findDirectory(tail: Buffer, tailStart: number): DirectoryLocation | undefined {
  for (let i = tail.length - EOCD_LENGTH; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== EOCD_SIGNATURE) continue;
    if (tail.readUInt16LE(i + 20) !== tail.length - i - EOCD_LENGTH) return undefined;
    const locator = i - ZIP64_LOCATOR_LENGTH;
    if (locator >= 0 && tail.readUInt32LE(locator) === ZIP64_LOCATOR_SIGNATURE) {
      const record = Number(tail.readBigUInt64LE(locator + 8)) - tailStart;
      if (record < 0 || record + ZIP64_EOCD_LENGTH > tail.length || tail.readUInt32LE(record) !== ZIP64_EOCD_SIGNATURE) return undefined;
      return {
        entries: Number(tail.readBigUInt64LE(record + 32)),
        size: Number(tail.readBigUInt64LE(record + 40)),
        offset: Number(tail.readBigUInt64LE(record + 48)),
      };
    }
    return { entries: tail.readUInt16LE(i + 10), size: tail.readUInt32LE(i + 12), offset: tail.readUInt32LE(i + 16) };
  }
  return undefined;
}

/**
 * The bytes to put at `at` so that a zip reader sees a directory of just `directory`'s records: a
 * zip64 end record (whatever the sizes: yauzl takes a zip64 locator when there is one, so one form
 * serves every archive), its locator and the end record, after 65,535 zero bytes. The zeros make the
 * trailer at least as long as yauzl's first read, so that read never reaches the real bytes before it.
 */
export function directoryTrailer(directory: DirectoryLocation, at: number): Buffer {
  const trailer = Buffer.alloc(MAX_COMMENT + ZIP64_EOCD_LENGTH + ZIP64_LOCATOR_LENGTH + EOCD_LENGTH);
  let position = MAX_COMMENT;
  const record = position;
  trailer.writeUInt32LE(ZIP64_EOCD_SIGNATURE, position);
  trailer.writeBigUInt64LE(BigInt(ZIP64_EOCD_LENGTH - 12), position + 4);
  trailer.writeUInt16LE(45, position + 12);
  trailer.writeUInt16LE(45, position + 14);
  trailer.writeBigUInt64LE(BigInt(directory.entries), position + 24);
  trailer.writeBigUInt64LE(BigInt(directory.entries), position + 32);
  trailer.writeBigUInt64LE(BigInt(directory.size), position + 40);
  trailer.writeBigUInt64LE(BigInt(directory.offset), position + 48);
  position += ZIP64_EOCD_LENGTH;
  trailer.writeUInt32LE(ZIP64_LOCATOR_SIGNATURE, position);
  trailer.writeBigUInt64LE(BigInt(at + record), position + 8);
  trailer.writeUInt32LE(1, position + 16);
  position += ZIP64_LOCATOR_LENGTH;
  trailer.writeUInt32LE(EOCD_SIGNATURE, position);
  trailer.writeUInt16LE(0xffff, position + 8);
  trailer.writeUInt16LE(0xffff, position + 10);
  trailer.writeUInt32LE(0xffffffff, position + 12);
  trailer.writeUInt32LE(0xffffffff, position + 16);
  return trailer;
}
