import type { EntryFilter } from '../filter/entry-filter.js';

/** What a listing gives the plan: keys, in pages or one by one. `inOrder` as in `ListedPage`. */
export type ListedKeys = AsyncIterable<{ objects: ReadonlyArray<{ key: string }>; inOrder?: boolean }>;

export interface DeletionPlanInput {
  /** Every object under `prefix`: `listPrefix(…)` pages, or the pages a bulk existence check already read. */
  listed: ListedKeys;
  /** Normalized: empty, or ending with `/`. */
  prefix: string;
  /** Target keys of the archive files that are synced (never deleted). */
  keep: ReadonlySet<string>;
  /** Applied to each key relative to the prefix: an excluded key is protected unless `deleteExcluded`. */
  filter: EntryFilter;
  /** Also delete keys the filter excludes (rclone's `--delete-excluded`). Default: they are kept, as aws-cli does. */
  deleteExcluded: boolean;
  /** More candidates than this and the plan is refused. */
  maxDelete: number;
}

export type DeletionPlan =
  | {
      refused: false;
      /** Keys to delete, in listing order. */
      keys: string[];
      listed: number;
      /** Keys under the prefix kept only because a filter excludes them. */
      protectedByFilter: number;
      /** False when the server listed keys out of S3's byte order, so some may not have been seen. */
      listingInOrder: boolean;
    }
  | { refused: true; candidates: number; maxDelete: number; listed: number };

/**
 * Which objects under the prefix are not in the archive and may go. Holds at most `maxDelete` keys
 * whatever the size of the listing: past the limit it only counts, so the refusal can say how many.
 */
export async function planDeletions(input: DeletionPlanInput): Promise<DeletionPlan> {
  // A set: a server that lists a key twice (s3rver's filesystem-order pages can) must not count it twice.
  const keys = new Set<string>();
  let candidates = 0;
  let listed = 0;
  let protectedByFilter = 0;
  let listingInOrder = true;
  for await (const page of input.listed) {
    if (page.inOrder === false) listingInOrder = false;
    for (const { key } of page.objects) {
      listed++;
      // A listing is asked for the prefix, but the plan does not trust that: only keys under it can go.
      if (!key.startsWith(input.prefix) || input.keep.has(key) || keys.has(key)) continue;
      if (!input.deleteExcluded && !input.filter.verdict(key.slice(input.prefix.length)).included) {
        protectedByFilter++;
        continue;
      }
      candidates++;
      if (candidates <= input.maxDelete) keys.add(key);
    }
  }
  if (candidates > input.maxDelete) return { refused: true, candidates, maxDelete: input.maxDelete, listed };
  return { refused: false, keys: [...keys], listed, protectedByFilter, listingInOrder };
}
