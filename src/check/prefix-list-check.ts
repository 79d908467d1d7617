import { S3ZipSyncError } from '../errors.js';
import { preflight } from '../s3/preflight.js';
import { describeS3Error } from '../s3/s3-error.js';
import { run, type CheckTarget, type ExistenceCheck, type RemoteObject } from './existence-check.js';

/**
 * ListObjectsV2 with `Prefix=key` per key, matching the exact key only (`a.txt` is not `a.txt.bak`).
 *
 * On AWS the exact key sorts first among the keys that start with it, so one `MaxKeys=1` request
 * answers whenever no other key starts with it, which is the common case. Some S3-compatible servers
 * (s3rver) list in filesystem order and their continuation tokens then skip keys, so when that first
 * page is truncated without the key, the listing restarts with full pages of 1000 and only then
 * follows continuation tokens. Cost: 1 request, or 2 + ⌈n/1000⌉ − 1 when n other keys start with the key.
 */
export function createPrefixListCheck(target: CheckTarget): ExistenceCheck {
  const { session, bucket, prefix = '', limit = run } = target;
  const { transport } = session;
  let checked = 0;
  return {
    strategy: 'list',
    start: (_keys, signal) => preflight(session, bucket, prefix, signal),
    describe: () => (checked === 0 ? 'ListObjectsV2 with Prefix=key per key' : `ListObjectsV2 with Prefix=key for ${checked} key${checked === 1 ? '' : 's'}`),
    async check(key: string, signal?: AbortSignal): Promise<RemoteObject | null> {
      checked++;
      let continuationToken: string | undefined;
      let maxKeys = 1;
      let restarted = false;
      try {
        for (;;) {
          const request = { bucket, prefix: key, maxKeys, ...(continuationToken ? { continuationToken } : {}) };
          const page = await limit(() => transport.listObjectsV2(request, signal));
          const match = page.Contents.find((object) => object.Key === key);
          if (match) return { size: match.Size, ...(match.ETag ? { etag: match.ETag } : {}) };
          if (!page.IsTruncated || !page.NextContinuationToken) return null;
          if (!restarted) {
            restarted = true;
            maxKeys = 1000;
            continue;
          }
          continuationToken = page.NextContinuationToken;
        }
      } catch (error) {
        throw new S3ZipSyncError('S3_ERROR', `ListObjectsV2 failed: ${describeS3Error(error)}`, { cause: error });
      }
    },
  };
}
