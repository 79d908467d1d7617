import { S3ZipSyncError } from '../errors.js';
import type { EntryFilter } from '../filter/entry-filter.js';
import { entriesOfShard, type Shard } from '../shard.js';
import type { ArchiveEntry } from '../zip/open-archive.js';

export interface Selection {
  /** The file entries this run syncs (this shard's share of the included files). */
  files: ArchiveEntry[];
  /** Every included file entry of the archive, whatever the shard: what `delete` must keep. */
  archiveFiles: ArchiveEntry[];
  /** File entries an include/exclude or junk rule leaves out, with the rule that did. */
  excluded: Array<{ entry: ArchiveEntry; rule: string }>;
  /**
   * Symlink entries the run skips: reported only by the first shard when every shard sees the same
   * ones, by each shard when each sees only its part of the directory.
   */
  skippedSymlinks: ArchiveEntry[];
}

/**
 * Which entries a run syncs: pure, from the archive's entries, the filter and the shard. Throws
 * EMPTY_ARCHIVE when there is nothing to sync, because succeeding silently would hide a broken
 * build step or a wrong pattern (with `delete` it would empty the prefix). A shard given its part of
 * the directory has only that part's entries, all of them its own; a part without files is no
 * error (the plan that made it saw the whole archive).
 */
export function selectEntries(entries: readonly ArchiveEntry[], filter: EntryFilter, shard?: Shard): Selection {
  const part = shard?.directory !== undefined;
  if (!part && !entries.some((entry) => entry.kind === 'file')) {
    throw new S3ZipSyncError('EMPTY_ARCHIVE', 'archive contains no files');
  }
  const excluded: Selection['excluded'] = [];
  const included = entries.filter((entry) => {
    if (entry.kind !== 'file') return true;
    const verdict = filter.verdict(entry.name);
    if (!verdict.included) excluded.push({ entry, rule: verdict.rule ?? '' });
    return verdict.included;
  });
  const archiveFiles = included.filter((entry) => entry.kind === 'file');
  if (!part && archiveFiles.length === 0) {
    throw new S3ZipSyncError('EMPTY_ARCHIVE', `all ${excluded.length} files of the archive are excluded by the include/exclude rules`);
  }
  return {
    files: shard && !part ? entriesOfShard(archiveFiles, shard) : archiveFiles,
    archiveFiles,
    excluded,
    skippedSymlinks: part || (shard?.index ?? 0) === 0 ? included.filter((entry) => entry.kind === 'symlink') : [],
  };
}
