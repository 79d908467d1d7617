import { S3ZipSyncError } from '../errors.js';

export interface ArchiveLimits {
  /** Largest uncompressed entry accepted, in bytes. */
  maxEntrySize: number;
  /** Most entries (files, directories, links) accepted in one archive. */
  maxEntries: number;
  /** Largest sum of uncompressed file sizes accepted, in bytes. */
  maxTotalSize: number;
}

const GiB = 1024 ** 3;

// Generous enough for symbol stores and build artifacts, small enough that a zip bomb with honest
// headers is refused before a single byte is uploaded (dishonest headers fail the size check while streaming).
export const DEFAULT_LIMITS: ArchiveLimits = {
  maxEntrySize: 5 * GiB,
  maxEntries: 1_000_000,
  maxTotalSize: 100 * GiB,
};

const LIMIT_NAMES: ReadonlyArray<keyof ArchiveLimits> = ['maxEntrySize', 'maxEntries', 'maxTotalSize'];

/** Defaults for what is unset; a limit that is not a non-negative integer would silently switch itself off. */
export function resolveLimits(limits: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const resolved = { ...DEFAULT_LIMITS };
  for (const name of LIMIT_NAMES) {
    const value = limits[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new S3ZipSyncError('INVALID_OPTION', `invalid \`${name}\`: ${String(value)} (expected a non-negative integer)`, { option: name });
    }
    resolved[name] = value;
  }
  return resolved;
}
