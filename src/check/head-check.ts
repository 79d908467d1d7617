import { S3ZipSyncError } from '../errors.js';
import { preflight } from '../s3/preflight.js';
import { describeS3Error, isNotFound, s3ErrorInfo } from '../s3/s3-error.js';
import { remoteFromHead } from '../integrity/object-metadata.js';
import { run, type CheckTarget, type ExistenceCheck, type RemoteObject } from './existence-check.js';

/** HeadObject per key: one request, no body; 404 means absent. Its answer carries the object's metadata too. */
export function createHeadCheck(target: CheckTarget): ExistenceCheck {
  const { session, bucket, prefix = '', limit = run } = target;
  const { transport } = session;
  let checked = 0;
  return {
    strategy: 'head',
    start: (_keys, signal) => preflight(session, bucket, prefix, signal),
    // Before any check (the run's start line) the count is not known yet: say what will be done.
    describe: () => (checked === 0 ? 'HeadObject per key' : `HeadObject for ${checked} key${checked === 1 ? '' : 's'}`),
    async check(key: string, signal?: AbortSignal): Promise<RemoteObject | null> {
      checked++;
      try {
        const head = await limit(() => transport.headObject({ bucket, key }, signal));
        return head ? remoteFromHead(head) : null;
      } catch (error) {
        // Only the SDK path throws for a missing key; the lean transport answers null.
        if (isNotFound(error)) return null;
        if (s3ErrorInfo(error).status === 403) {
          // HeadObject has no body, so S3 cannot say why; for a key that does not exist it answers
          // 403 instead of 404 whenever the caller lacks s3:ListBucket.
          throw new S3ZipSyncError(
            'ACCESS_DENIED',
            `access denied (HTTP 403) on HeadObject ${key}: if the key does not exist yet, S3 answers 403 instead of 404 when the credentials lack s3:ListBucket on bucket ${bucket}`,
            { cause: error },
          );
        }
        throw new S3ZipSyncError('S3_ERROR', `HeadObject failed: ${describeS3Error(error)}`, { cause: error });
      }
    },
  };
}
