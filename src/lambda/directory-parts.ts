import { shardOfEach } from '../shard.js';
import type { DirectoryLocation } from '../zip/end-record.js';

/**
 * Each shard's run of central-directory records: the plan reads the whole directory once, and each
 * shard then reads only its run (about 1/count of it) instead of all of it again.
 *
 * Files go to shards as entriesOfShard assigns them (by weight, in archive order), which never
 * decreases along the directory, so each shard's files are consecutive records. Shard k's run starts
 * at the record of its first file (shard 0's at the first record) and ends where shard k+1's starts:
 * records without a file to sync (folders, junk, symlinks, `./`) go with the files before them, and
 * every record is in exactly one run. A shard with no files gets an empty run.
 *
 * `recordOffsets` are every record's offset, then the directory's end; `files` the files to sync, in
 * archive order, each with its record's index.
 */
export function directoryParts(
  recordOffsets: readonly number[],
  files: ReadonlyArray<{ record: number; size: number }>,
  count: number,
): DirectoryLocation[] {
  const records = recordOffsets.length - 1;
  const shards = shardOfEach(files, count);
  const starts = [0];
  let file = 0;
  for (let shard = 1; shard < count; shard++) {
    while (file < files.length && shards[file]! < shard) file++;
    starts.push(file < files.length ? files[file]!.record : records);
  }
  starts.push(records);
  return Array.from({ length: count }, (_, shard) => {
    const first = starts[shard]!;
    const end = starts[shard + 1]!;
    return { offset: recordOffsets[first]!, size: recordOffsets[end]! - recordOffsets[first]!, entries: end - first };
  });
}
