import { setMaxListeners } from 'node:events';
import { asFirstPageOf, type EarlyFirstPage } from './early-first-page.js';
import { compareKeys, inByteOrder } from './key-order.js';
import type { KeyRange } from './key-ranges.js';
import { listedObject, listPrefix, type ListedObject, type ListedPage } from './list-prefix.js';
import type { ListEarly, ListObjectsV2Page, S3Transport } from './transport/transport.js';

/** How a ranged listing went, filled in as it goes (for the `Checks:` line). */
export interface RangedListingShape {
  /** Ranges planned. */
  planned: number;
  /** Ranges listed at once: 1 when the first page held everything, or after a fallback. */
  parallel: number;
  /** The first page came out of S3's byte order, so the rest was one sequential listing. */
  fellBack: boolean;
}

export interface ListKeyRangesOptions {
  /**
   * From `planKeyRanges`; a single range is `listPrefix` as it is. A function is called once the
   * first page has been asked for: sorting 100,000 keys takes longer than nothing, and the first page
   * does not depend on the ranges.
   */
  ranges: readonly KeyRange[] | (() => readonly KeyRange[]);
  /** As in `listPrefix`: no range asks for a page ahead once more than this many objects were listed. */
  readAheadUpTo?: number;
  shape?: RangedListingShape;
  /** See RANGES_HEAD_START_MS; 0 asks for every range at once. */
  headStartMs?: number;
  /** The first page, asked for early (early-first-page.ts): used when it can stand for this listing's. */
  firstPage?: EarlyFirstPage;
}

const MAX_KEYS = 1000;

/** Where a range's next request starts: after a key, or from a continuation token. */
type Start = { startAfter?: string } | { continuationToken: string };

/**
 * Where a listing goes on after a page: from its token, or after its last key when it has none (an
 * early first page standing for a narrower prefix); undefined when it cannot go on.
 */
function nextStart(page: ListObjectsV2Page): Start | undefined {
  if (page.NextContinuationToken) return { continuationToken: page.NextContinuationToken };
  const last = page.Contents.at(-1)?.Key;
  return last === undefined ? undefined : { startAfter: last };
}

/**
 * The early first page as this listing's, if it can be (see asFirstPageOf). One of a wider prefix
 * is waited for: asked for a central directory's read earlier, it is back sooner than a request
 * made now would be, and when it cannot stand for this listing's, the listing has lost that wait and
 * one request.
 */
async function adoptFirstPage(early: EarlyFirstPage | undefined, prefix: string): Promise<{ page: Promise<ListObjectsV2Page>; sent: Promise<void> } | undefined> {
  if (!early) return undefined;
  if (early.prefix === prefix) return { page: early.page, sent: early.sent };
  const page = await early.page.catch(() => undefined);
  const adopted = page && asFirstPageOf(page, early.prefix, prefix);
  return adopted ? { page: Promise.resolve(adopted), sent: Promise.resolve() } : undefined;
}

/** A range's bounds and the last key it saw. */
interface Cursor {
  startAfter?: string;
  last?: string;
  previous?: string;
  /** False once this range saw a key out of order or before its start. */
  inOrder: boolean;
}

/**
 * The first page's head start on the other ranges, from when its request is on its way (the client's
 * own start-up, a cold connection and a first signature, does not count). A server that answers
 * within it (loopback, a LAN) costs the ranges one short round trip, and an empty prefix (a first
 * sync) one request, as a single listing would; one that does not (S3 from elsewhere: 20–100 ms and
 * more a page) has the ranges asked for this soon after the first page instead of a round trip after it.
 * s3rver on loopback on this 2-core machine at load 4.7 answered an empty prefix's first page 2–52 ms
 * after it was written (10 processes; the cold first ones slowest); at 15 ms bench:peers' first sync
 * sent two more LISTs than before the ranges.
 */
export const RANGES_HEAD_START_MS = 30;

/** Calls `launch` once `headStartMs` have passed since `sent`, unless `first` settles before; resolves then. */
async function headStart(first: Promise<unknown>, sent: Promise<void>, headStartMs: number, launch: () => void): Promise<void> {
  if (headStartMs <= 0) return launch();
  const settled = first.then(
    () => 'first',
    () => 'first',
  );
  if ((await Promise.race([settled, sent.then(() => 'sent')])) === 'first') return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<string>((resolve) => (timer = setTimeout(resolve, headStartMs, 'elapsed')));
  if ((await Promise.race([settled, elapsed])) === 'elapsed') launch();
  clearTimeout(timer);
}

export function emptyShape(): RangedListingShape {
  return { planned: 1, parallel: 1, fellBack: false };
}

/** The `Checks:` line's words for a ranged listing; empty for a plain one. */
export function describeShape(shape: RangedListingShape): string {
  if (shape.fellBack) return ', one listing: the server lists out of S3\'s byte order';
  return shape.parallel > 1 ? ` in ${shape.parallel} key ranges in parallel` : '';
}

/**
 * Every object under `prefix`, as `listPrefix` yields them, but with the prefix cut into key ranges
 * listed at once (ListObjectsV2 `StartAfter`): one listing must wait a round trip per 1,000 keys,
 * since each page needs the previous page's token, so a remote listing of 100,000 keys takes 100
 * round trips one after another; K ranges take about 1/K of that.
 *
 * The first page (range 0's, the run's bucket check) decides: if it is the whole listing, or the
 * server lists out of S3's byte order (s3rver; S3 directory buckets, which also ignore `StartAfter`,
 * so ranges would miss keys), the listing goes on as one from its token. The other ranges are asked
 * for once it has arrived or after its head start (RANGES_HEAD_START_MS), whichever comes first, and
 * hold their pages until it has decided. A range stops on its last key, or at the first page showing
 * a key past it; that page's keys beyond it are another range's. Pages come in the order they
 * arrive, so `inOrder` means each range was in order and within its bounds; it turns false for good
 * once one was not, and the last page tells the whole listing's.
 *
 * Requests: at most ⌈M/1000⌉ + K for M objects (each range's last page may be short). Memory: each
 * range asks for its next page when a page arrives, and for the one after only once the consumer has
 * taken that page, so it holds about two pages. Stopping the consumer, or `signal`, aborts every
 * request in flight; a range's failure is thrown to the consumer.
 */
export async function* listKeyRanges(
  transport: S3Transport,
  bucket: string,
  prefix: string,
  signal: AbortSignal | undefined,
  options: ListKeyRangesOptions,
): AsyncGenerator<ListedPage> {
  const readAheadUpTo = options.readAheadUpTo ?? Number.POSITIVE_INFINITY;
  const shape = options.shape ?? emptyShape();
  Object.assign(shape, emptyShape());
  if (typeof options.ranges !== 'function' && options.ranges.length <= 1) {
    yield* listPrefix(transport, bucket, prefix, signal, options.readAheadUpTo === undefined ? {} : { readAheadUpTo });
    return;
  }

  const stop = new AbortController();
  const requestSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  // Each request in flight listens on it: up to two per range, more than Node's default warning allows.
  setMaxListeners(0, requestSignal);
  let inOrder = true;
  let listed = 0;
  const request = (start: Start, requestOnly: AbortSignal = requestSignal, early?: ListEarly): Promise<ListObjectsV2Page> => {
    const page = transport.listObjectsV2({ bucket, prefix, maxKeys: MAX_KEYS, ...start }, requestOnly, early);
    // Thrown where it is awaited; a page asked for ahead and then abandoned fails unseen.
    page.catch(() => {});
    return page;
  };

  /** The page's objects within the range; `end` once the range has nothing more to list. */
  const sift = (page: ListObjectsV2Page, cursor: Cursor): { objects: ListedObject[]; end: boolean } => {
    const objects: ListedObject[] = [];
    let beyond = false;
    let reachedLast = false;
    for (const object of page.Contents) {
      const key = object.Key;
      if (cursor.previous !== undefined && compareKeys(cursor.previous, key) >= 0) cursor.inOrder = false;
      cursor.previous = key;
      if (cursor.startAfter !== undefined && compareKeys(key, cursor.startAfter) <= 0) {
        // The server ignored StartAfter or lists out of order: another range has (or should have) it.
        cursor.inOrder = false;
        continue;
      }
      const toLast = cursor.last === undefined ? -1 : compareKeys(key, cursor.last);
      if (toLast > 0) {
        beyond = true;
        continue;
      }
      // Keys come in order within a range: past its last key there is nothing more of it to ask for.
      if (toLast === 0) reachedLast = true;
      objects.push(listedObject(object));
    }
    listed += objects.length;
    if (!cursor.inOrder) inOrder = false;
    return { objects, end: beyond || (reachedLast && cursor.inOrder) || !page.IsTruncated || nextStart(page) === undefined };
  };

  /**
   * One range, page by page, from its first page (already asked for); its next page is asked for as
   * soon as a page arrives, within the budget. Its last page names the range when the range was in
   * order throughout. With `judged`, it asks for no second page before that settles; once `dropped`
   * is aborted it stops without a look at what arrives.
   */
  async function* readRange(firstPage: Promise<ListObjectsV2Page>, cursor: Cursor, range: KeyRange, dropped = requestSignal, judged?: Promise<void>): AsyncGenerator<ListedPage> {
    let pending: Promise<ListObjectsV2Page> | undefined = firstPage;
    while (pending) {
      const page: ListObjectsV2Page = await pending;
      if (judged) {
        await judged;
        judged = undefined;
      }
      if (dropped.aborted) return;
      const { objects, end } = sift(page, cursor);
      const next = end ? undefined : nextStart(page);
      pending = next && listed <= readAheadUpTo ? request(next, dropped) : undefined;
      yield { objects, inOrder, ...(end && cursor.inOrder ? { completed: [range] } : {}) };
      if (next && !pending) pending = request(next, dropped);
    }
  }

  const waiting = new Map<AsyncGenerator<ListedPage>, Promise<{ reader: AsyncGenerator<ListedPage>; result: IteratorResult<ListedPage> }>>();
  const advance = (reader: AsyncGenerator<ListedPage>) => {
    const next = reader.next().then((result) => ({ reader, result }));
    // Raced below; once the consumer stops, the ones left fail unseen.
    next.catch(() => {});
    waiting.set(reader, next);
  };

  let releaseRanges = () => {};
  try {
    const adopted = await adoptFirstPage(options.firstPage, prefix);
    let sent!: () => void;
    const firstSent = adopted?.sent ?? new Promise<void>((resolve) => (sent = resolve));
    const firstPage = adopted?.page ?? request({}, requestSignal, { onSent: () => sent() });
    // Awaited below; when it fails before then, the failure is thrown there.
    firstPage.catch(() => {});
    // Pages are about to come several at a time.
    transport.warmUpListing?.();
    const ranges = typeof options.ranges === 'function' ? options.ranges() : options.ranges;
    shape.planned = Math.max(1, ranges.length);
    // The other ranges start beside the first page rather than after it, each asking for its next
    // page as its pages arrive: waiting for the first page would add a round trip to every remote
    // listing. They go no further until the first page shows the server lists in S3's byte order; on
    // a server that does not, their first pages are dropped, asked for in vain.
    const early = new AbortController();
    const earlySignal = AbortSignal.any([requestSignal, early.signal]);
    // As requestSignal: one listener per range's request in flight, 16 ranges at most.
    setMaxListeners(0, earlySignal);
    const judged = new Promise<void>((resolve) => (releaseRanges = resolve));
    let launched = false;
    const launchOthers = () => {
      if (launched) return;
      launched = true;
      for (const range of ranges.slice(1)) {
        const cursor: Cursor = { inOrder: true, startAfter: range.startAfter!, ...(range.last === undefined ? {} : { last: range.last }) };
        advance(readRange(request({ startAfter: range.startAfter! }, earlySignal), cursor, range, earlySignal, judged));
      }
    };
    if (ranges.length > 1) await headStart(firstPage, firstSent, options.headStartMs ?? RANGES_HEAD_START_MS, launchOthers);
    const first = await firstPage;
    const whole = !first.IsTruncated || nextStart(first) === undefined;
    if (whole || !inByteOrder(first) || first.Contents.length > readAheadUpTo || ranges.length <= 1) {
      // The whole listing; out of order, where ranges would miss keys; past the budget, where the
      // consumer is about to stop anyway; or one range after all: one sequential listing.
      early.abort();
      releaseRanges();
      waiting.clear();
      inOrder = true;
      listed = 0;
      const firstCursor: Cursor = { inOrder: true };
      const { objects, end } = sift(first, firstCursor);
      shape.fellBack = !inOrder;
      yield { objects, inOrder };
      if (end) return;
      for await (const page of readRange(request(nextStart(first)!), firstCursor, {})) yield { objects: page.objects, inOrder };
      return;
    }
    launchOthers();
    releaseRanges();
    const range0 = ranges[0]!;
    advance(readRange(Promise.resolve(first), { inOrder: true, ...(range0.last === undefined ? {} : { last: range0.last }) }, range0));
    shape.parallel = ranges.length;
    while (waiting.size > 0) {
      const { reader, result } = await Promise.race(waiting.values());
      if (result.done) {
        waiting.delete(reader);
        continue;
      }
      // The flag as it is now: another range may have turned it since this page arrived.
      yield { ...result.value, inOrder };
      advance(reader);
    }
  } finally {
    releaseRanges();
    // Whatever is still in flight belongs to a listing nobody reads any more.
    stop.abort();
  }
}
