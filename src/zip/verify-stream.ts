import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { S3ZipSyncError } from '../errors.js';

/**
 * Passes bytes through while checking them against the size and CRC32 the central directory declares.
 *
 * The last chunk is held back until the check passes: the upload declares its Content-Length, so a
 * server never receives the final byte of a corrupt entry and cannot store it.
 */
export function createVerifyStream(entryName: string, expectedSize: number, expectedCrc32: number): Transform {
  let bytes = 0;
  let crc = 0;
  let heldBack: Buffer | null = null;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      // An empty chunk must not displace the held-back one, or the real last bytes would go out unchecked.
      if (chunk.length === 0) return callback();
      bytes += chunk.length;
      if (bytes > expectedSize) {
        callback(corrupt(entryName, `more than the declared ${expectedSize} bytes`));
        return;
      }
      crc = crc32(chunk, crc);
      const previous = heldBack;
      heldBack = chunk;
      callback(null, previous ?? undefined);
    },
    flush(callback: TransformCallback) {
      if (bytes !== expectedSize) {
        callback(corrupt(entryName, `${bytes} bytes read, ${expectedSize} declared`));
      } else if (crc >>> 0 !== expectedCrc32 >>> 0) {
        callback(corrupt(entryName, `crc32 ${hex(crc)} read, ${hex(expectedCrc32)} declared`));
      } else {
        callback(null, heldBack ?? undefined);
      }
    },
  });
}

/** The same checks on an entry read whole: throws ENTRY_CORRUPT in the stream's words. */
export function verifyWhole(entryName: string, expectedSize: number, expectedCrc32: number, bytes: Buffer): void {
  if (bytes.length > expectedSize) throw corrupt(entryName, `more than the declared ${expectedSize} bytes`);
  if (bytes.length !== expectedSize) throw corrupt(entryName, `${bytes.length} bytes read, ${expectedSize} declared`);
  const crc = crc32(bytes);
  if (crc >>> 0 !== expectedCrc32 >>> 0) throw corrupt(entryName, `crc32 ${hex(crc)} read, ${hex(expectedCrc32)} declared`);
}

export function corrupt(entryName: string, detail: string): S3ZipSyncError {
  return new S3ZipSyncError('ENTRY_CORRUPT', `corrupt entry ${JSON.stringify(entryName)}: ${detail}`);
}

function hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
