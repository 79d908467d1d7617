import type { S3Client } from '@aws-sdk/client-s3';
import { sdkTransport } from './transport/sdk-transport.js';
import type { ListObjectsV2Page, S3Transport } from './transport/transport.js';

/** One object as a listing shows it. Listings carry no user metadata. */
export interface ListedObject {
  key: string;
  size: number;
  etag?: string;
}

export interface ListedPage {
  objects: ListedObject[];
  /**
   * True while every key so far came in S3's UTF-8 byte order. AWS general-purpose buckets always
   * list in that order; s3rver lists in filesystem order, and since its continuation token is
   * "start after the last key returned", a listing out of order may have skipped keys.
   */
  inOrder: boolean;
}

export interface ListPrefixOptions {
  /**
   * The consumer stops once more than this many objects were listed: no page is requested ahead
   * beyond that point, so stopping there costs no request. Default: the consumer reads every page.
   */
  readAheadUpTo?: number;
}

/**
 * Every object under `prefix`, one page (up to 1,000 keys) at a time, so that a caller can stream a
 * listing of millions of keys without holding it. Stops early when the consumer breaks out of the loop.
 *
 * The next page is requested as soon as a page has arrived, before the consumer handles it: pages
 * must be asked for one after another (each needs the previous one's token), so the consumer's work
 * and the server's work on the next page overlap instead of adding up.
 */
export async function* listPrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
  transport: S3Transport = sdkTransport(client),
  options: ListPrefixOptions = {},
): AsyncGenerator<ListedPage> {
  const readAheadUpTo = options.readAheadUpTo ?? Number.POSITIVE_INFINITY;
  // A page asked for ahead is cancelled if the consumer stops before reading it.
  const abandoned = new AbortController();
  const requestSignal = signal ? AbortSignal.any([signal, abandoned.signal]) : abandoned.signal;
  const request = (continuationToken: string | undefined) => {
    const page = transport.listObjectsV2({ bucket, prefix, maxKeys: 1000, ...(continuationToken ? { continuationToken } : {}) }, requestSignal);
    // Its failure is thrown where it is awaited; a page read ahead and then abandoned fails unseen.
    page.catch(() => {});
    return page;
  };
  let previousKey: Buffer | undefined;
  let inOrder = true;
  let listed = 0;
  let next: Promise<ListObjectsV2Page> | undefined = request(undefined);
  try {
    while (next) {
      const page = await next;
      next = undefined;
      const continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      listed += page.Contents.length;
      if (continuationToken && listed <= readAheadUpTo) next = request(continuationToken);
      const objects: ListedObject[] = [];
      for (const object of page.Contents) {
        const keyBytes = Buffer.from(object.Key, 'utf8');
        if (previousKey && Buffer.compare(previousKey, keyBytes) >= 0) inOrder = false;
        previousKey = keyBytes;
        objects.push({ key: object.Key, size: object.Size, ...(object.ETag ? { etag: object.ETag } : {}) });
      }
      yield { objects, inOrder };
      if (continuationToken && !next) next = request(continuationToken);
    }
  } finally {
    if (next) abandoned.abort();
  }
}
