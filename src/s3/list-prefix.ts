import { compareKeys } from './key-order.js';
import type { KeyRange } from './key-ranges.js';
import type { ListObjectsV2Page, S3Transport } from './transport/transport.js';

/** One object as a listing shows it. Listings carry no user metadata. */
export interface ListedObject {
  key: string;
  size: number;
  etag?: string;
}

/** A page's object as a listing shows it; one of two shapes, so code reading many stays fast. */
export function listedObject(content: ListObjectsV2Page['Contents'][number]): ListedObject {
  return content.ETag ? { key: content.Key, size: content.Size, etag: content.ETag } : { key: content.Key, size: content.Size };
}

export interface ListedPage {
  objects: ListedObject[];
  /**
   * True while every key so far came in S3's UTF-8 byte order. AWS general-purpose buckets always
   * list in that order; s3rver lists in filesystem order, and since its continuation token is
   * "start after the last key returned", a listing out of order may have skipped keys.
   */
  inOrder: boolean;
  /**
   * Key ranges this listing has now shown in full, in order and within their bounds (a ranged
   * listing, see list-key-ranges.ts): a key in one of them that was not shown is absent, before the
   * whole listing ends.
   */
  completed?: readonly KeyRange[];
}

export interface ListPrefixOptions {
  /**
   * The consumer stops once more than this many objects were listed: no page is requested ahead
   * beyond that point, so stopping there costs no request. Default: the consumer reads every page.
   */
  readAheadUpTo?: number;
}

/** A page asked for, and the next one when it was asked for early, from this one's token. */
interface Pending {
  token: string | undefined;
  page: Promise<ListObjectsV2Page>;
  abort: AbortController;
  listedBefore: number;
  /** The page being awaited may ask for its successor early; one asked for ahead waits its turn. */
  awaited: boolean;
  toldToken?: string;
  early?: Pending;
}

const MAX_KEYS = 1000;

/**
 * Every object under `prefix`, one page (up to 1,000 keys) at a time, so that a caller can stream a
 * listing of millions of keys without holding it. Stops early when the consumer breaks out of the loop.
 *
 * Pages must be asked for one after another (each needs the previous one's token), so the gap
 * between two is on the critical path. The next page is asked for as soon as its token is known:
 * where the request path can, before the page it comes in has been parsed (S3 writes the token
 * before the objects), else once the page has arrived, but always before the consumer handles it.
 * At most one page is asked for ahead of the one awaited, so memory stays at about two pages.
 */
export async function* listPrefix(
  transport: S3Transport,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
  options: ListPrefixOptions = {},
): AsyncGenerator<ListedPage> {
  const readAheadUpTo = options.readAheadUpTo ?? Number.POSITIVE_INFINITY;
  const askEarly = (pending: Pending) => {
    // Only where no stop can come before it: the budget still allows a whole page after this one.
    if (pending.toldToken && !pending.early && pending.listedBefore + MAX_KEYS <= readAheadUpTo) {
      pending.early = request(pending.toldToken, pending.listedBefore + MAX_KEYS, false);
    }
  };
  const request = (token: string | undefined, listedBefore: number, awaited: boolean): Pending => {
    // Each page can be cancelled on its own: one asked for ahead is, if the consumer stops first.
    const abort = new AbortController();
    const pending = { token, abort, listedBefore, awaited } as Pending;
    pending.page = transport.listObjectsV2(
      { bucket, prefix, maxKeys: MAX_KEYS, ...(token ? { continuationToken: token } : {}) },
      signal ? AbortSignal.any([signal, abort.signal]) : abort.signal,
      {
        onNextContinuationToken: (next) => {
          pending.toldToken = next;
          if (pending.awaited) askEarly(pending);
        },
      },
    );
    // Its failure is thrown where it is awaited; a page read ahead and then abandoned fails unseen.
    pending.page.catch(() => {});
    return pending;
  };
  const abandon = (pending: Pending | undefined) => {
    for (let at = pending; at; at = at.early) at.abort.abort();
  };
  let previousKey: string | undefined;
  let inOrder = true;
  let listed = 0;
  let current: Pending | undefined = request(undefined, 0, true);
  let next: Pending | undefined;
  try {
    while (current) {
      const page = await current.page;
      const token = page.IsTruncated ? page.NextContinuationToken : undefined;
      listed += page.Contents.length;
      next = undefined;
      if (current.early) {
        // The early token is the page's own: anything else would be another listing's page.
        if (current.early.token === token) next = current.early;
        else abandon(current.early);
      }
      if (!next && token && listed <= readAheadUpTo) next = request(token, listed, false);
      const objects: ListedObject[] = [];
      for (const object of page.Contents) {
        if (previousKey !== undefined && compareKeys(previousKey, object.Key) >= 0) inOrder = false;
        previousKey = object.Key;
        objects.push(listedObject(object));
      }
      yield { objects, inOrder };
      if (token && !next) next = request(token, listed, false);
      current = next;
      next = undefined;
      if (current) {
        current.awaited = true;
        askEarly(current);
      }
    }
  } finally {
    abandon(next);
    abandon(current);
  }
}
