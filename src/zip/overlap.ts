/** Where an entry's local header and data lie in the archive, as the central directory declares. */
export interface EntrySpan {
  name: string;
  /** Offset of the local file header. */
  offset: number;
  /** Bytes the entry occupies at least: the 30-byte local header, its name and the compressed data. */
  minLength: number;
}

/**
 * The first two entries whose byte ranges in the archive overlap, or null.
 *
 * Honest writers lay entries out one after another. Overlapping entries are how a few KiB of
 * "non-recursive" zip bomb expand to gigabytes (every entry re-inflates the same block), and how
 * an archive shows different files to different readers. yauzl does not look for it.
 */
export function findOverlap(spans: readonly EntrySpan[]): [EntrySpan, EntrySpan] | null {
  const sorted = [...spans].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.offset < previous.offset + previous.minLength) return [previous, current];
  }
  return null;
}
