import type { UploadSettings } from './upload-entry.js';

/**
 * How an entry is sent:
 * - `put`: one PutObject of the plain bytes;
 * - `multipart`: lib-storage multipart upload, a part in memory at a time per part slot;
 * - `gzip`: compressed while streaming; the compressed size is unknown up front, so lib-storage
 *   buffers up to a part and sends one PutObject or a multipart upload.
 */
export type UploadRoute = 'put' | 'multipart' | 'gzip';

/** The one rule for which path an entry takes. */
export function uploadRoute(size: number, gzip: boolean, settings: UploadSettings): UploadRoute {
  if (gzip) return 'gzip';
  return size >= settings.multipartThreshold ? 'multipart' : 'put';
}

/**
 * Whether the upload takes one of the few multipart slots (they bound memory: each holds up to
 * partConcurrency parts). A gzip upload buffers up to a part of compressed bytes, so one larger than
 * a part counts as multipart.
 */
export function holdsPartBuffers(route: UploadRoute, size: number, settings: UploadSettings): boolean {
  return route === 'multipart' || (route === 'gzip' && size > settings.partSize);
}
