import { S3ZipSyncError } from '../errors.js';

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

/**
 * Archive keys per range. A range costs up to one request more than its share of pages, and ranges
 * of fewer keys pay it without gaining: 20,000 keys in 16 ranges (1,250 each: two pages per range, 32
 * requests instead of 24) took 0.41–0.52× one listing, in 8 ranges (2,500 each) 0.35–0.40×. So one
 * range per 2,500 keys, and one listing below 5,000 keys.
 */
export const KEYS_PER_LIST_RANGE = 2500;

/**
 * How many key ranges to list in parallel for `keyCount` archive keys: one below 5,000 keys, then one
 * per 2,500 keys, at most 16 and at most the run's concurrency.
 */
export function chooseRangeCount(keyCount: number, concurrency = Number.POSITIVE_INFINITY): number {
  if (keyCount < 2 * KEYS_PER_LIST_RANGE) return 1;
  return Math.max(1, Math.min(MAX_LIST_RANGES, Math.floor(concurrency), Math.floor(keyCount / KEYS_PER_LIST_RANGE)));
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

/** A UTF-16 unit from which JavaScript's string order and UTF-8 byte order can differ. */
const SURROGATE_OR_ABOVE = /[\uD800-\uFFFF]/;

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
 * Cuts the listing of `prefix` into at most `count` ranges holding about as many of the run's keys
 * each: split keys at the quantiles of the keys in byte order. Only the archive's keys are known before
 * listing, so objects it does not name fall wherever they sort; fewer distinct keys than `count` give
 * fewer ranges. Pure.
 */
export function planKeyRanges(keys: Iterable<string>, count: number, prefix = ''): KeyRange[] {
  const sorted = sortKeysByBytes(keys, prefix);
  const ranges = Math.max(1, Math.min(Math.floor(count), sorted.length));
  const splits: string[] = [];
  for (let i = 1; i < ranges; i++) {
    const split = sorted[Math.ceil((i * sorted.length) / ranges) - 1]!;
    if (split !== splits.at(-1)) splits.push(split);
  }
  return [...splits, undefined].map((last, i) => ({
    ...(i > 0 ? { startAfter: splits[i - 1]! } : {}),
    ...(last === undefined ? {} : { last }),
  }));
}
