import { S3ZipSyncError } from '../errors.js';
import { SURROGATE_OR_ABOVE } from './key-order.js';

/**
 * A slice of a prefix's listing: the keys after `startAfter` (from the prefix's start without it) up
 * to and including `last` (to the prefix's end without it). The ranges of a plan cover every key under
 * the prefix exactly once, keys the archive does not name included (`delete` needs them).
 */
export interface KeyRange {
  startAfter?: string;
  last?: string;
}

/**
 * Ranges per listing, at most: each holds a request open. Measured (bench/list-ranges.ts, radosgw
 * behind a proxy adding 20 ms per request and 80 ms per ListObjectsV2, a loaded 2-core machine;
 * bench/results/2026-12-06-list-ranges.md, run 2), 100,000 keys against one listing, medians: 4
 * ranges 0.31–0.32×, 8 ranges 0.25–0.37×, 12 ranges 0.26–0.34×, 16 ranges 0.26–0.27×. From 8 ranges
 * the gateway's own listing speed (21–35 pages/s there) was the limit, so 8 and 16 could not be told
 * apart; 16 bounds what a server that is not the limit (S3) is asked at once.
 */
export const MAX_LIST_RANGES = 16;

/** Keys in a full ListObjectsV2 page: ranges are cut in whole pages of the archive's keys. */
export const LIST_PAGE_KEYS = 1000;

/**
 * How many key ranges to list in parallel for `keyCount` archive keys: one when a page holds them all,
 * else one per page of keys, at most 16 and at most the run's concurrency. `planKeyRanges` then cuts
 * them in whole pages, so a range costs no request of its own when the bucket holds the archive's keys
 * (the request a range adds in the measurement above was its last, short page).
 */
export function chooseRangeCount(keyCount: number, concurrency = Number.POSITIVE_INFINITY): number {
  if (keyCount <= LIST_PAGE_KEYS) return 1;
  return Math.max(1, Math.min(MAX_LIST_RANGES, Math.floor(concurrency), Math.ceil(keyCount / LIST_PAGE_KEYS)));
}

/** Throws INVALID_OPTION unless `listRanges` is unset or a positive integer. */
export function checkListRanges(listRanges: number | undefined): void {
  if (listRanges !== undefined && !(Number.isInteger(listRanges) && listRanges >= 1)) {
    throw new S3ZipSyncError('INVALID_OPTION', `\`listRanges\` must be a positive integer, got ${listRanges}`, { option: 'listRanges' });
  }
}

/** The caller's `listRanges`, or the default for this many keys. */
export function rangeCountFor(listRanges: number | undefined, keyCount: number, concurrency?: number): number {
  checkListRanges(listRanges);
  return listRanges ?? chooseRangeCount(keyCount, concurrency);
}

/**
 * The keys under `prefix`, once each, in S3's UTF-8 byte order: JavaScript's string order compares
 * UTF-16 units, which sorts a key with a character past U+FFFF before one with U+E000–U+FFFF. Below
 * U+D800 the two orders agree, so keys without such units take the native sort (100,000 keys: tens
 * of milliseconds instead of hundreds with a Buffer per key).
 */
export function sortKeysByBytes(keys: Iterable<string>, prefix = ''): string[] {
  const under: string[] = [];
  for (const key of new Set(keys)) if (key.startsWith(prefix)) under.push(key);
  if (!under.some((key) => SURROGATE_OR_ABOVE.test(key))) return under.sort();
  const encoded = under.map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }));
  encoded.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  return encoded.map((entry) => entry.key);
}

/**
 * Cuts the listing of `prefix` into at most `count` ranges holding the same number of the run's keys,
 * a multiple of `pageKeys` (the last range holds the rest): with `pageKeys` = 1,000, a range of a
 * bucket that holds just the archive's keys ends on a full page, and `listKeyRanges` asks for nothing
 * after it. Only the archive's keys are known before listing, so objects it does not name fall
 * wherever they sort; fewer distinct keys give fewer ranges. Pure.
 */
export function planKeyRanges(keys: Iterable<string>, count: number, prefix = '', pageKeys = 1): KeyRange[] {
  const sorted = sortKeysByBytes(keys, prefix);
  const perRange = pageKeys * Math.max(1, Math.ceil(sorted.length / (Math.max(1, Math.floor(count)) * pageKeys)));
  const splits: string[] = [];
  for (let end = perRange; end < sorted.length; end += perRange) splits.push(sorted[end - 1]!);
  return [...splits, undefined].map((last, i) => ({
    ...(i > 0 ? { startAfter: splits[i - 1]! } : {}),
    ...(last === undefined ? {} : { last }),
  }));
}
