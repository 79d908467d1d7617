import { S3ZipSyncError } from './errors.js';
import type { DirectoryPart } from './zip/zip-source.js';

/** Shard `index` of `count` (0-based): one of `count` disjoint parts that together hold every file entry. */
export interface Shard {
  index: number;
  count: number;
  /**
   * The shard's records of the central directory, from a plan that read all of it (see
   * directory-parts.ts): the shard reads only those and syncs their files. Without it (an index and
   * a count only, as the CLI's `--shard i/n` gives), the shard reads the whole directory and takes
   * its share by entriesOfShard.
   */
  directory?: DirectoryPart;
}

/**
 * Each entry weighs its bytes plus this much: a file costs a request's round trip whatever its size,
 * about what 64 KiB of data costs to move (10,000 small files took ~38 s, 2.11 GB ~151 s, on the
 * embedded server: bench/results/lambda-cost.md, bench/results/2026-11-26-lambda.md). Without it, an
 * archive of one large file and many small ones put all the small ones in one shard.
 */
export const ENTRY_WEIGHT_BYTES = 64 * 1024;

/**
 * The entries of one shard, in archive order.
 *
 * Shards are contiguous runs of the archive, cut where the running total weight (bytes plus
 * ENTRY_WEIGHT_BYTES per entry) crosses a multiple of total / count: each shard reads one region of
 * the zip (neighbouring entries share ranged GETs) and gets about the same work, however sizes are
 * spread. An entry belongs to the shard its middle falls in, so every entry lands in exactly one
 * shard. Depends only on the archive, so n independent invocations agree without talking to each other.
 */
export function entriesOfShard<T extends { size: number }>(entries: readonly T[], shard: Shard): T[] {
  validateShard(shard);
  if (shard.count === 1) return [...entries];
  const shards = shardOfEach(entries, shard.count);
  return entries.filter((_, i) => shards[i] === shard.index);
}

/** The shard of each entry, as entriesOfShard assigns them: never decreasing along the archive. */
export function shardOfEach(entries: readonly { size: number }[], count: number): number[] {
  const weight = (entry: { size: number }) => entry.size + ENTRY_WEIGHT_BYTES;
  const total = entries.reduce((sum, entry) => sum + weight(entry), 0);
  let before = 0;
  return entries.map((entry) => {
    const middle = before + weight(entry) / 2;
    before += weight(entry);
    return Math.min(Math.floor((middle * count) / total), count - 1);
  });
}

export function validateShard(shard: Shard): void {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1) {
    throw new S3ZipSyncError('INVALID_OPTION', `shard count must be a positive integer, got ${count}`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new S3ZipSyncError('INVALID_OPTION', `shard index must be an integer from 0 to ${count - 1}, got ${index}`);
  }
  const { directory } = shard;
  if (directory === undefined) return;
  const counts = [directory.offset, directory.size, directory.entries];
  if (!counts.every((value) => Number.isSafeInteger(value) && value >= 0) || typeof directory.etag !== 'string' || directory.etag === '') {
    throw new S3ZipSyncError('INVALID_OPTION', `a shard's directory is { offset, size, entries, etag }, non-negative integers and an etag, got ${JSON.stringify(directory)}`);
  }
}

/** `2/8` → { index: 2, count: 8 }. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new S3ZipSyncError('INVALID_OPTION', `a shard is written i/n (e.g. 0/4), got ${JSON.stringify(text)}`);
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  validateShard(shard);
  return shard;
}
