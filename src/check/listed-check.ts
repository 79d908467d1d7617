import { S3ZipSyncError } from '../errors.js';
import type { ListedPage } from '../s3/list-prefix.js';
import { listErrorToRunError } from '../s3/preflight.js';
import { describeS3Error } from '../s3/s3-error.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ExistenceCheck } from './existence-check.js';
import type { ListingIndex } from './listing-index.js';

/**
 * Answers from a listing of the whole prefix that has already ended (the `--delete` listing), so a
 * mirror run lists once, not once to plan deletions and again to check. Keys the listing did not
 * show are absent, unless the server listed out of S3's byte order: then `fallback` confirms them.
 */
export function createListedCheck(strategy: string, index: ListingIndex, listingPrefix: string, fallback: ExistenceCheck): ExistenceCheck {
  let confirmed = 0;
  return {
    strategy,
    start: async () => {},
    async check(key, signal) {
      const remote = index.found.get(key);
      if (remote) return remote;
      if (index.inOrder) return null;
      confirmed++;
      return fallback.check(key, signal);
    },
    describe: () =>
      `${index.describe(listingPrefix)}, shared with --delete` +
      (confirmed ? `; out of S3's key order, so keys it did not show were confirmed: ${fallback.describe()}` : ''),
  };
}

/**
 * Feeds every page through `index` on its way to the consumer. The first page is the run's
 * preflight: its failure names the bucket, credentials or endpoint problem.
 */
export async function* indexPages(
  pages: AsyncGenerator<ListedPage>,
  index: ListingIndex,
  target: { client: S3Client; bucket: string; prefix: string },
): AsyncGenerator<ListedPage> {
  let first = true;
  try {
    for await (const page of pages) {
      first = false;
      index.take(page);
      yield page;
    }
  } catch (error) {
    if (first) throw await listErrorToRunError(target.client, target.bucket, error);
    throw new S3ZipSyncError('S3_ERROR', `ListObjectsV2 of ${target.bucket}/${target.prefix} failed: ${describeS3Error(error)}`, {
      cause: error,
    });
  }
}
