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
