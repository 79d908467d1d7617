import type { HeadObjectResult } from '../s3/transport/transport.js';
import type { RemoteObject } from '../check/existence-check.js';
import type { StoredHeaders } from '../headers/header-differences.js';
import { RESERVED_METADATA_PREFIX } from '../headers/header-choices.js';

/**
 * User-metadata keys s3zipsync writes on every object it uploads (sent as `x-amz-meta-…`). Kept
 * short: S3 allows 2 KB of user metadata per object, and it is the caller's too.
 */
export const CRC32_METADATA_KEY = 's3zipsync-crc32';
/** Only on gzip-stored objects: the entry's size before compression (a listing shows the stored size). */
export const ORIGINAL_SIZE_METADATA_KEY = 's3zipsync-size';

export function crc32Hex(crc32: number): string {
  return (crc32 >>> 0).toString(16).padStart(8, '0');
}

/** The value of S3's `x-amz-checksum-crc32`: base64 of the checksum's 4 big-endian bytes. */
export function crc32Base64(crc32: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc32 >>> 0);
  return bytes.toString('base64');
}

export function metadataFor(entry: { size: number; crc32: number }, gzip: boolean): Record<string, string> {
  return {
    [CRC32_METADATA_KEY]: crc32Hex(entry.crc32),
    ...(gzip ? { [ORIGINAL_SIZE_METADATA_KEY]: String(entry.size) } : {}),
  };
}

/**
 * What a HeadObject answer says beyond the size. A value that does not parse is ignored, as if
 * absent: the object then counts as one without a stored checksum, which re-uploads it.
 */
/** A HeadObject answer, from the lean transport or the SDK (whose Expires is parsed into a Date). */
type HeadAnswer = HeadObjectResult & { Expires?: Date };

export function remoteFromHead(head: HeadAnswer): RemoteObject {
  const metadata = head.Metadata ?? {};
  const crcText = metadata[CRC32_METADATA_KEY];
  const sizeText = metadata[ORIGINAL_SIZE_METADATA_KEY];
  const crc32 = crcText !== undefined && /^[0-9a-f]{8}$/i.test(crcText) ? Number.parseInt(crcText, 16) : undefined;
  const originalSize = sizeText !== undefined && /^\d+$/.test(sizeText) ? Number(sizeText) : undefined;
  return {
    size: head.ContentLength ?? 0,
    ...(head.ETag ? { etag: head.ETag } : {}),
    metadataKnown: true,
    gzipped: head.ContentEncoding?.toLowerCase() === 'gzip',
    ...(crc32 !== undefined ? { crc32 } : {}),
    ...(originalSize !== undefined ? { originalSize } : {}),
    headers: storedHeaders(head),
  };
}

function storedHeaders(head: HeadAnswer): StoredHeaders {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(head.Metadata ?? {})) {
    if (!key.toLowerCase().startsWith(RESERVED_METADATA_PREFIX)) metadata[key.toLowerCase()] = value;
  }
  // The SDK parses Expires into a Date and drops a value it cannot parse; ExpiresString keeps the text.
  const expires = head.ExpiresString ?? (head.Expires && !Number.isNaN(head.Expires.getTime()) ? head.Expires.toUTCString() : undefined);
  const fields = {
    contentType: head.ContentType,
    cacheControl: head.CacheControl,
    contentDisposition: head.ContentDisposition,
    contentLanguage: head.ContentLanguage,
    expires,
    storageClass: head.StorageClass,
    sse: head.ServerSideEncryption,
  };
  return { metadata, ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) };
}
