import { S3ZipSyncError } from '../errors.js';
import { compareKeys } from '../s3/key-order.js';
import { checkListRanges, LIST_PAGE_KEYS, planKeyRanges, rangeCountFor, type KeyRange } from '../s3/key-ranges.js';
import type { EarlyFirstPage } from '../s3/early-first-page.js';
import { describeShape, emptyShape, listKeyRanges } from '../s3/list-key-ranges.js';
import type { ListedPage } from '../s3/list-prefix.js';
import { listErrorToRunError } from '../s3/preflight.js';
import { describeS3Error } from '../s3/s3-error.js';
import type { SharedListing } from '../s3/shared-listing.js';
import { longestCommonPrefix } from './common-prefix.js';
import type { CheckTarget, ExistenceCheck, RemoteObject } from './existence-check.js';
import { ListingIndex } from './listing-index.js';

export interface ListingCheckOptions {
  /**
   * Stop the listing once it has shown more than this many objects without reaching its end, and
   * ask `fallback` for every key it has not shown yet. Default: list to the end. Not used with
   * `shared`, which is read to its end anyway.
   */
  listBudget?: number;
  /**
   * A listing of the whole prefix that another consumer drives (the deletion plan): the checks
   * observe its pages instead of listing themselves, so the run lists once.
   */
  shared?: SharedListing;
  /**
   * Per-key check for the keys a listing cannot settle: after a budget stop, and when the server
   * listed out of S3's byte order (its continuation may then have skipped keys, so "not listed" does
   * not prove "absent").
   */
  fallback: ExistenceCheck;
  /**
   * Key ranges listed in parallel (1: one sequential listing). Default: `chooseRangeCount` for the
   * run's keys. With `shared`, the shared listing's own setting applies.
   */
  listRanges?: number;
  /** The run's request concurrency, which bounds the default number of ranges. */
  concurrency?: number;
  /** The run prefix's first page, asked for while the archive was read (early-first-page.ts). */
  firstPage?: EarlyFirstPage;
}

/** What the listing strategies may list from, and how: passed on from the run's options. */
export interface ListingSources {
  /** A listing of the whole prefix that another consumer (the deletion plan) drives to its end. */
  listing?: SharedListing;
  /** See ListingCheckOptions.listRanges. */
  listRanges?: number;
  /** The run's request concurrency. */
  concurrency?: number;
  /** See ListingCheckOptions.firstPage. */
  firstPage?: EarlyFirstPage;
}

/** How a key was settled by the listing; `ask` hands it to the per-key fallback. */
type Settlement = { kind: 'found'; remote: RemoteObject } | { kind: 'absent' } | { kind: 'ask' } | { kind: 'error'; error: unknown };

/**
 * The `bulk` strategy: one paginated ListObjectsV2 over the longest common prefix of the run's keys,
 * ⌈M/1000⌉ requests for M objects under it, however many keys the archive has (or no request of its
 * own when it observes a `shared` listing).
 *
 * The listing streams through a ListingIndex (only the run's keys are kept). Checks are pipelined with
 * it: a key shown by the listing is answered at once, so its upload can start while the listing
 * goes on; a key is answered "absent" only when the listing has ended.
 */
export function createListingCheck(target: CheckTarget, options: ListingCheckOptions): ExistenceCheck & { readonly stats: ListingStats } {
  const { session, bucket } = target;
  const { shared } = options;
  checkListRanges(options.listRanges);
  const shape = shared?.shape ?? emptyShape();
  const budget = shared ? Number.POSITIVE_INFINITY : (options.listBudget ?? Number.POSITIVE_INFINITY);
  const wanted = new Set<string>();
  const index = new ListingIndex(wanted);
  const waiting = new Map<string, Array<(settlement: Settlement) => void>>();
  const stats: ListingStats = { listingPrefix: '', pages: 0, listed: 0, state: 'listing', inOrder: true, askedFallback: 0 };
  let failure: unknown;
  // Key ranges a ranged listing has shown in full: their keys it did not show are absent already.
  const completed: KeyRange[] = [];
  const inCompletedRange = (key: string) =>
    completed.some((range) => (range.startAfter === undefined || compareKeys(key, range.startAfter) > 0) && (range.last === undefined || compareKeys(key, range.last) <= 0));

  const settlementOf = (key: string): Settlement | undefined => {
    const remote = index.found.get(key);
    if (remote) return { kind: 'found', remote };
    if (stats.state === 'failed') return { kind: 'error', error: failure };
    if (inCompletedRange(key)) return { kind: 'absent' };
    if (stats.state === 'stopped') return { kind: 'ask' };
    if (stats.state === 'complete') return stats.inOrder ? { kind: 'absent' } : { kind: 'ask' };
    return undefined;
  };

  const settleWaiting = () => {
    for (const [key, resolvers] of waiting) {
      const settlement = settlementOf(key);
      if (!settlement) continue;
      waiting.delete(key);
      for (const resolve of resolvers) resolve(settlement);
    }
  };

  const answerWaiting = (key: string, remote: RemoteObject) => {
    const resolvers = waiting.get(key);
    if (!resolvers) return;
    waiting.delete(key);
    for (const resolve of resolvers) resolve({ kind: 'found', remote });
  };

  const takePage = (page: ListedPage) => {
    index.take(page, answerWaiting);
    Object.assign(stats, { pages: index.pages, listed: index.listed, inOrder: index.inOrder });
    if (page.completed?.length) {
      completed.push(...page.completed);
      settleWaiting();
    }
  };

  const listRest = async (pages: AsyncGenerator<ListedPage>) => {
    try {
      for (;;) {
        if (stats.listed > budget) {
          stats.state = 'stopped';
          await pages.return(undefined);
          break;
        }
        const next = await pages.next();
        if (next.done) {
          stats.state = 'complete';
          break;
        }
        takePage(next.value);
      }
    } catch (error) {
      failure = new S3ZipSyncError('S3_ERROR', `ListObjectsV2 of ${bucket}/${stats.listingPrefix} failed: ${describeS3Error(error)}`, {
        cause: error,
      });
      stats.state = 'failed';
    }
    settleWaiting();
  };

  const observeShared = (listing: SharedListing) =>
    new Promise<void>((firstPage, failed) => {
      stats.listingPrefix = listing.prefix;
      listing.observe({
        page(page) {
          takePage(page);
          firstPage();
        },
        end() {
          stats.state = 'complete';
          settleWaiting();
          firstPage();
        },
        fail(error) {
          failure = error;
          stats.state = 'failed';
          settleWaiting();
          failed(error);
        },
      });
    });

  return {
    strategy: 'bulk',
    stats,
    async start(keys, signal) {
      for (const key of keys) wanted.add(key);
      // Resolves with the shared listing's first page: its errors are then the run's bucket check.
      if (shared) return observeShared(shared);
      stats.listingPrefix = longestCommonPrefix(keys);
      const count = rangeCountFor(options.listRanges, keys.length, options.concurrency);
      const ranges = count > 1 ? () => planKeyRanges(keys, count, stats.listingPrefix, LIST_PAGE_KEYS) : [{}];
      // Past the budget the listing stops (listRest): no page is asked for ahead of that.
      const pages = listKeyRanges(session.transport, bucket, stats.listingPrefix, signal, {
        ranges,
        readAheadUpTo: budget,
        shape,
        ...(options.firstPage ? { firstPage: options.firstPage } : {}),
      });
      // The first page doubles as the preflight: its errors say what is wrong with the target.
      let first: IteratorResult<ListedPage>;
      try {
        first = await pages.next();
      } catch (error) {
        stats.state = 'failed';
        failure = await listErrorToRunError(session.access, bucket, error);
        throw failure;
      }
      if (first.done) stats.state = 'complete';
      else {
        takePage(first.value);
        void listRest(pages);
      }
    },
    peek(key) {
      const remote = index.found.get(key);
      if (remote) return remote;
      return settlementOf(key)?.kind === 'absent' ? null : undefined;
    },
    async check(key, signal) {
      const settlement =
        settlementOf(key) ??
        (await new Promise<Settlement>((resolve) => {
          const resolvers = waiting.get(key);
          if (resolvers) resolvers.push(resolve);
          else waiting.set(key, [resolve]);
        }));
      switch (settlement.kind) {
        case 'found':
          return settlement.remote;
        case 'absent':
          return null;
        case 'error':
          throw settlement.error;
        case 'ask':
          stats.askedFallback++;
          return options.fallback.check(key, signal);
      }
    },
    describe() {
      const listing = index.describe(stats.listingPrefix) + describeShape(shape) + (shared ? ', shared with the deletion' : '');
      if (stats.state === 'stopped') {
        return `${listing}, stopped (more than ${budget} objects), then ${options.fallback.describe()}`;
      }
      if (stats.askedFallback > 0) {
        return `${listing}, out of S3's key order, so keys it did not show were confirmed: ${options.fallback.describe()}`;
      }
      return listing;
    },
  };
}

export interface ListingStats {
  /** What the listing asked for: the longest common prefix of the run's keys. */
  listingPrefix: string;
  pages: number;
  /** Objects shown by the listing, wanted or not. */
  listed: number;
  state: 'listing' | 'complete' | 'stopped' | 'failed';
  /** False once the server listed a key out of S3's byte order. */
  inOrder: boolean;
  /** Keys handed to the per-key fallback. */
  askedFallback: number;
}
