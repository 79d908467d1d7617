import type { UploadSettings } from './upload-entry.js';

/**
 * Entries up to this size are read whole, and their CRC32 checked, before their PutObject starts:
 * a corrupt entry then sends nothing, and a failed PUT is sent again from memory by the transport
 * without re-opening the zip. Chosen by measurement (`npm run bench:buffered-threshold`, 400 entries
 * of 64 KiB–2 MiB, bench/results/buffered-threshold.md): 1 MiB took 0.90–0.92× the wall and 0.80–0.83×
 * the CPU of 512 KiB at the same peak RSS (two runs); 2 MiB was no faster than 1 MiB and held 40 MiB more. At the default concurrency of 64
 * the buffers hold at most 64 MiB (16 MiB in Lambda); larger entries stream, their memory flat.
 */
export const BUFFERED_PUT_MAX_BYTES = 1024 * 1024;

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
