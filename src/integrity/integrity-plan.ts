import type { S3Access } from '../s3/connection.js';
import { COMPARE_MODES, type CompareMode } from '../decide.js';
import { S3ZipSyncError } from '../errors.js';
import { compileGlob } from '../filter/entry-filter.js';
import { crc32Base64, metadataFor } from './object-metadata.js';
import { resolveS3Checksum, type S3ChecksumMode } from './s3-checksum.js';

export interface IntegrityOptions {
  /** `size` (default): an entry of the stored size is `Ignored`. `crc32`: its stored CRC32 must match the zip's too. */
  compare?: CompareMode;
  /** Globs (as in `filters`) of entries to store gzip-compressed with `Content-Encoding: gzip`. */
  gzip?: readonly string[];
  /** Send the zip's CRC32 as S3's `x-amz-checksum-crc32` on single PutObjects. Default `auto`: AWS only. */
  s3Checksum?: S3ChecksumMode;
}

export interface IntegrityPlan {
  readonly compare: CompareMode;
  gzips(entryName: string): boolean;
  /** Metadata, checksum and encoding of one entry's upload request. */
  uploadFields(entry: { size: number; crc32: number }, gzip: boolean, access: S3Access): { metadata: Record<string, string>; checksumCrc32?: string; gzip: boolean };
}

export function compileIntegrity(options: IntegrityOptions): IntegrityPlan {
  const compare = options.compare ?? 'size';
  if (!COMPARE_MODES.includes(compare)) {
    throw new S3ZipSyncError('INVALID_OPTION', `unknown compare mode ${JSON.stringify(compare)}: expected one of ${COMPARE_MODES.join(', ')}`);
  }
  const s3Checksum = options.s3Checksum ?? 'auto';
  const matchers = (options.gzip ?? []).map((pattern) => compileGlob(pattern, 'gzip'));
  let sendChecksum: boolean | undefined;
  return {
    compare,
    gzips: (entryName) => matchers.some((matches) => matches(entryName)),
    uploadFields(entry, gzip, access) {
      sendChecksum ??= resolveS3Checksum(s3Checksum, access);
      // The stored bytes of a gzip object are not the entry's, so the zip's CRC32 cannot be S3's checksum.
      const checksum = sendChecksum && !gzip ? { checksumCrc32: crc32Base64(entry.crc32) } : {};
      return { metadata: metadataFor(entry, gzip), gzip, ...checksum };
    },
  };
}
