import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { S3ZipSyncError } from '../errors.js';
import { describeS3Error } from '../s3/s3-error.js';
import type { CheckTarget, ExistenceCheck, RemoteObject } from './existence-check.js';

/**
 * ListObjectsV2 with `Prefix=key` per key, matching the exact key only (`a.txt` is not `a.txt.bak`).
 *
 * On AWS the exact key sorts first among keys that start with it, so the first page of one key
 * answers. Some S3-compatible servers (s3rver) list in filesystem order, so when the first page is
 * truncated without the key, the remaining pages are read with full-size pages until it is found.
 * Worst case: 1 + ⌈n/1000⌉ requests for a key that is a prefix of n other keys.
 */
export function createListCheck({ client, bucket }: CheckTarget): ExistenceCheck {
  return {
    strategy: 'list',
    async check(key: string, signal?: AbortSignal): Promise<RemoteObject | null> {
      let continuationToken: string | undefined;
      let maxKeys = 1;
      try {
        for (;;) {
          const page = await client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: key,
              MaxKeys: maxKeys,
              ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
            }),
            { abortSignal: signal },
          );
          const match = page.Contents?.find((object) => object.Key === key);
          if (match) return { size: match.Size ?? 0, ...(match.ETag ? { etag: match.ETag } : {}) };
          if (!page.IsTruncated || !page.NextContinuationToken) return null;
          continuationToken = page.NextContinuationToken;
          maxKeys = 1000;
        }
      } catch (error) {
        throw new S3ZipSyncError('S3_ERROR', `ListObjectsV2 failed: ${describeS3Error(error)}`, { cause: error });
      }
    },
  };
}
