import type { UploadSettings } from './upload-entry.js';

/**
 * Entries up to this size are read whole, and their CRC32 checked, before their PutObject starts:
 * a corrupt entry then sends nothing, and a failed PUT is sent again from memory by the transport
 * without re-opening the zip. At the default concurrency of 64 that holds at most 32 MiB. Below the
 * 1 MiB the issue suggested, so that bodies of a MiB or more keep streaming (their memory stays flat).
 */
export const BUFFERED_PUT_MAX_BYTES = 512 * 1024;

/**
 * How an entry is sent:
 * - `buffered`: read whole and verified, then one PutObject of a Buffer (entries ≤ BUFFERED_PUT_MAX_BYTES);
 * - `put`: one PutObject of the plain bytes, streamed from the zip;
 * - `multipart`: lib-storage multipart upload, a part in memory at a time per part slot;
 * - `gzip`: compressed while streaming; the compressed size is unknown up front, so lib-storage
 *   buffers up to a part and sends one PutObject or a multipart upload.
 */
export type UploadRoute = 'buffered' | 'put' | 'multipart' | 'gzip';

/** The one rule for which path an entry takes. */
export function uploadRoute(size: number, gzip: boolean, settings: UploadSettings): UploadRoute {
  if (gzip) return 'gzip';
  if (size >= settings.multipartThreshold) return 'multipart';
  return size <= BUFFERED_PUT_MAX_BYTES ? 'buffered' : 'put';
}

/**
 * Whether the upload takes one of the few multipart slots (they bound memory: each holds up to
 * partConcurrency parts). A gzip upload buffers up to a part of compressed bytes, so one larger than
 * a part counts as multipart.
 */
export function holdsPartBuffers(route: UploadRoute, size: number, settings: UploadSettings): boolean {
  return route === 'multipart' || (route === 'gzip' && size > settings.partSize);
}
