import { connectionOf, isCustomEndpoint, type S3Access } from '../s3/connection.js';
import { S3ZipSyncError } from '../errors.js';

export type S3ChecksumMode = 'auto' | 'on' | 'off';
export const S3_CHECKSUM_MODES: readonly S3ChecksumMode[] = ['auto', 'on', 'off'];

/**
 * Whether single PutObject requests carry `x-amz-checksum-crc32` (the zip's CRC32), so that S3
 * itself refuses bytes that do not match. `auto` sends it only to AWS (no custom endpoint): some
 * S3-compatible servers reject or mishandle checksum headers, and s3rver ignores them anyway.
 */
export function resolveS3Checksum(mode: S3ChecksumMode, access: S3Access): boolean {
  if (!S3_CHECKSUM_MODES.includes(mode)) {
    throw new S3ZipSyncError('INVALID_OPTION', `unknown s3 checksum mode ${JSON.stringify(mode)}: expected one of ${S3_CHECKSUM_MODES.join(', ')}`);
  }
  if (mode !== 'auto') return mode === 'on';
  return !isCustomEndpoint(connectionOf(access));
}
