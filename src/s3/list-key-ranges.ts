import { setMaxListeners } from 'node:events';
import type { S3Access } from './connection.js';
import type { KeyRange } from './key-ranges.js';
import { listPrefix, type ListedObject, type ListedPage } from './list-prefix.js';
import { sdkTransport } from './transport/sdk-transport.js';
import type { ListObjectsV2Page, S3Transport } from './transport/transport.js';

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
}

const MAX_KEYS = 1000;

/** Where a range's next request starts: after a key, or from a continuation token. */
type Start = { startAfter?: string } | { continuationToken: string };

/** A range's bounds and the last key it saw, all as UTF-8 bytes (S3's order). */
interface Cursor {
  startAfter?: Buffer;
  last?: Buffer;
  previous?: Buffer;
  /** False once this range saw a key out of order or before its start. */
  inOrder: boolean;
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
 * The first page (the run's bucket check) is read alone: if it is the whole listing, that is one
 * request; if the server lists out of S3's byte order (s3rver; S3 directory buckets, which also
 * ignore `StartAfter`), ranges would miss keys, so the listing goes on as one from its token. Otherwise
 * the ranges the first page has not covered start together. A range stops at the first page showing a
 * key past its end; that page's keys beyond it are another range's. Pages come in the order they
 * arrive, so `inOrder` means each range was in order and within its bounds; it turns false for good
 * once one was not, and the last page tells the whole listing's.
 *
 * Requests: at most ⌈M/1000⌉ + K for M objects (each range's last page may be short). Memory: each
 * range asks for its next page when a page arrives, and for the one after only once the consumer has
 * taken that page, so it holds about two pages. Stopping the consumer, or `signal`, aborts every
 * request in flight; a range's failure is thrown to the consumer.
 */
export async function* listKeyRanges(
  client: S3Access,
  bucket: string,
  prefix: string,
  signal: AbortSignal | undefined,
  transport: S3Transport = sdkTransport(client),
  options: ListKeyRangesOptions,
): AsyncGenerator<ListedPage> {
  const readAheadUpTo = options.readAheadUpTo ?? Number.POSITIVE_INFINITY;
  const shape = options.shape ?? emptyShape();
  Object.assign(shape, emptyShape());
  if (typeof options.ranges !== 'function' && options.ranges.length <= 1) {
    yield* listPrefix(client, bucket, prefix, signal, transport, options.readAheadUpTo === undefined ? {} : { readAheadUpTo });
    return;
  }

  const stop = new AbortController();
  const requestSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  // Each request in flight listens on it: up to two per range, more than Node's default warning allows.
  setMaxListeners(0, requestSignal);
  let inOrder = true;
  let listed = 0;
  const request = (start: Start): Promise<ListObjectsV2Page> => {
    const page = transport.listObjectsV2({ bucket, prefix, maxKeys: MAX_KEYS, ...start }, requestSignal);
    // Thrown where it is awaited; a page asked for ahead and then abandoned fails unseen.
    page.catch(() => {});
    return page;
  };

  /** The page's objects within the range; `end` once the range has nothing more to list. */
  const sift = (page: ListObjectsV2Page, cursor: Cursor): { objects: ListedObject[]; end: boolean } => {
    const objects: ListedObject[] = [];
    let beyond = false;
    for (const object of page.Contents) {
      const bytes = Buffer.from(object.Key, 'utf8');
      if (cursor.previous && Buffer.compare(cursor.previous, bytes) >= 0) cursor.inOrder = false;
      cursor.previous = bytes;
      if (cursor.startAfter && Buffer.compare(bytes, cursor.startAfter) <= 0) {
        // The server ignored StartAfter or lists out of order: another range has (or should have) it.
        cursor.inOrder = false;
        continue;
      }
      if (cursor.last && Buffer.compare(bytes, cursor.last) > 0) {
        beyond = true;
        continue;
      }
      objects.push({ key: object.Key, size: object.Size, ...(object.ETag ? { etag: object.ETag } : {}) });
    }
    listed += objects.length;
    if (!cursor.inOrder) inOrder = false;
    return { objects, end: beyond || !page.IsTruncated || !page.NextContinuationToken };
  };

  /**
   * One range, page by page; its next page is asked for as soon as a page arrives, within the budget.
   * Its last page names the range when the range was in order throughout.
   */
  async function* readRange(start: Start, cursor: Cursor, range?: KeyRange): AsyncGenerator<ListedPage> {
    let pending: Promise<ListObjectsV2Page> | undefined = request(start);
    while (pending) {
      const page: ListObjectsV2Page = await pending;
      const { objects, end } = sift(page, cursor);
      const token = end ? undefined : page.NextContinuationToken;
      pending = token && listed <= readAheadUpTo ? request({ continuationToken: token }) : undefined;
      yield { objects, inOrder, ...(end && range && cursor.inOrder ? { completed: [range] } : {}) };
      if (token && !pending) pending = request({ continuationToken: token });
    }
  }

  try {
    const firstPage = request({});
    const ranges = typeof options.ranges === 'function' ? options.ranges() : options.ranges;
    shape.planned = Math.max(1, ranges.length);
    const first = await firstPage;
    const firstCursor: Cursor = { inOrder: true };
    const { objects, end } = sift(first, firstCursor);
    if (end) {
      yield { objects, inOrder };
      return;
    }
    const token = first.NextContinuationToken!;
    if (!inOrder || listed > readAheadUpTo || ranges.length <= 1) {
      // Out of order, ranges would miss keys; past the budget the consumer is about to stop anyway;
      // or there was one range to list after all.
      shape.fellBack = !inOrder;
      const rest = readRange({ continuationToken: token }, firstCursor);
      yield { objects, inOrder };
      for await (const page of rest) yield { objects: page.objects, inOrder };
      return;
    }
    // The ranges the first page has not wholly covered; the one it ends in goes on from its token.
    const lastSeen = firstCursor.previous;
    const lastKey = first.Contents.at(-1)?.Key;
    const open = lastSeen ? ranges.filter((range) => range.last === undefined || Buffer.compare(Buffer.from(range.last, 'utf8'), lastSeen) > 0) : ranges;
    const readers = open.map((range, i) => {
      const last = range.last === undefined ? {} : { last: Buffer.from(range.last, 'utf8') };
      if (i === 0) {
        const from = lastKey === undefined ? {} : { startAfter: lastKey };
        return readRange({ continuationToken: token }, { ...last, ...(lastSeen ? { previous: lastSeen } : {}), inOrder: true }, { ...range, ...from });
      }
      const startAfter = Buffer.from(range.startAfter!, 'utf8');
      return readRange({ startAfter: range.startAfter! }, { ...last, startAfter, inOrder: true }, range);
    });
    shape.parallel = readers.length;
    const waiting = new Map<AsyncGenerator<ListedPage>, Promise<{ reader: AsyncGenerator<ListedPage>; result: IteratorResult<ListedPage> }>>();
    const advance = (reader: AsyncGenerator<ListedPage>) => {
      const next = reader.next().then((result) => ({ reader, result }));
      // Raced below; once the consumer stops, the ones left fail unseen.
      next.catch(() => {});
      waiting.set(reader, next);
    };
    // Every range asks for its first page before the consumer handles the first one.
    for (const reader of readers) advance(reader);
    // Every key up to the first page's last one has been shown.
    yield { objects, inOrder, ...(lastKey === undefined ? {} : { completed: [{ last: lastKey }] }) };
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
    // Whatever is still in flight belongs to a listing nobody reads any more.
    stop.abort();
  }
}
