import type { ListObjectsV2Page } from './transport/transport.js';

/** A UTF-16 unit from which JavaScript's string order and UTF-8 byte order can differ. */
export const SURROGATE_OR_ABOVE = /[\uD800-\uFFFF]/;

/**
 * S3's order of two keys, their UTF-8 bytes: negative, zero or positive. JavaScript compares strings
 * by UTF-16 units, which agree with it below U+D800, so only keys holding such a unit are encoded: a
 * listing compares every key it shows, and a Buffer per key was a tenth of a no-change run's CPU.
 */
export function compareKeys(a: string, b: string): number {
  if (SURROGATE_OR_ABOVE.test(a) || SURROGATE_OR_ABOVE.test(b)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A page's keys strictly increasing in UTF-8 byte order, as S3 lists. */
export function inByteOrder(page: ListObjectsV2Page): boolean {
  let previous: string | undefined;
  for (const object of page.Contents) {
    if (previous !== undefined && compareKeys(previous, object.Key) >= 0) return false;
    previous = object.Key;
  }
  return true;
}
