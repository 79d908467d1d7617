import { S3ZipSyncError } from '../errors.js';
import type { Shard } from '../shard.js';

/** How many entries and bytes one invocation is given, and the most invocations at once. */
export interface ShardRule {
  entriesPerShard: number;
  bytesPerShard: number;
  maxShards: number;
}

/**
 * One shard per 50,000 files or 4 GiB of file bytes, whichever asks for more. Both are about a
 * third of what fits in Lambda's 15 minutes at the speeds measured on the embedded server (the
 * slowest we know: 10,000 small files in ~38 s of invocation, bench/results/lambda-cost.md; 2.11 GB
 * in 151 s, bench/results/2026-11-26-lambda.md), so a shard rarely needs its IncompleteSync retry,
 * and an archive one invocation can sync runs as one shard, paying for one central directory read.
 * At most 16: the Map's MaxConcurrency in examples/lambda/state-machine.asl.json.
 */
export const DEFAULT_SHARD_RULE: ShardRule = { entriesPerShard: 50_000, bytesPerShard: 4 * 1024 ** 3, maxShards: 16 };

export interface ShardPlan {
  count: number;
  shards: Shard[];
}

/**
 * count = min(maxShards, files, max(1, ⌈files / entriesPerShard⌉, ⌈bytes / bytesPerShard⌉)), and the
 * shards 0 … count−1 (never more shards than files: a shard of nothing still reads the directory).
 */
export function planShards(archive: { files: number; bytes: number }, rule: ShardRule): ShardPlan {
  for (const [name, value] of Object.entries(rule)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new S3ZipSyncError('INVALID_OPTION', `${name} must be a positive integer, got ${value}`, { option: name });
  }
  const wanted = Math.max(1, Math.ceil(archive.files / rule.entriesPerShard), Math.ceil(archive.bytes / rule.bytesPerShard));
  const count = Math.max(1, Math.min(wanted, rule.maxShards, archive.files));
  return { count, shards: Array.from({ length: count }, (_, index) => ({ index, count })) };
}
