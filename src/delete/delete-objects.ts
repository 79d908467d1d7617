import type { S3Transport } from '../s3/transport/transport.js';
import { describeS3Error, redactSecrets } from '../s3/s3-error.js';

/** S3's limit of keys per DeleteObjects request. */
export const MAX_DELETE_BATCH = 1000;

export type DeleteResult = { key: string; deleted: true } | { key: string; deleted: false; reason: string };

export interface DeleteObjectsInput {
  /** The run's request path (its session's). */
  transport: S3Transport;
  bucket: string;
  keys: readonly string[];
  /** Keys per request, at most 1,000. */
  batchSize?: number;
  /** Whole-batch attempts on top of the SDK's own retries (see below). */
  batchAttempts?: number;
  signal?: AbortSignal;
  /** Called once per key: deleted, or failed with a reason. Keys never sent (aborted) get no call. */
  onResult: (result: DeleteResult) => void;
}

/**
 * Deletes `keys` with DeleteObjects, one batch after the other, and reports every key's fate.
 * Quiet mode: S3 then lists only the keys it failed to delete, so the answer stays small and every
 * key it does not name was deleted.
 *
 * A batch whose request fails as a whole (after the SDK's retries) is sent again, up to
 * `batchAttempts` times: deleting a key that is already gone succeeds, so a repeat is safe. s3rver
 * needs it: it deletes a batch's keys in parallel and, when several of them empty one folder, races
 * on removing that folder and answers 500 after deleting only some keys. A batch that still fails
 * reports each of its keys as failed with the error; nothing is dropped silently.
 */
export async function deleteObjects(input: DeleteObjectsInput): Promise<{ deleted: number; failed: number; notSent: number }> {
  const batchSize = input.batchSize ?? MAX_DELETE_BATCH;
  const batchAttempts = input.batchAttempts ?? 3;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_DELETE_BATCH) {
    throw new RangeError(`batch size must be 1…${MAX_DELETE_BATCH}, got ${batchSize}`);
  }
  let deleted = 0;
  let failed = 0;
  for (let start = 0; start < input.keys.length; start += batchSize) {
    if (input.signal?.aborted) return { deleted, failed, notSent: input.keys.length - start };
    const batch = input.keys.slice(start, start + batchSize);
    const errors = await deleteBatch(input, batch, batchAttempts);
    for (const key of batch) {
      const reason = errors instanceof Map ? errors.get(key) : errors.reason;
      if (reason === undefined) {
        deleted++;
        input.onResult({ key, deleted: true });
      } else {
        failed++;
        input.onResult({ key, deleted: false, reason });
      }
    }
  }
  return { deleted, failed, notSent: 0 };
}

/** Per-key reasons from S3's answer, or one reason for the whole batch when the request failed. */
async function deleteBatch(input: DeleteObjectsInput, batch: string[], attempts: number): Promise<Map<string, string> | { reason: string }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const answer = await input.transport.deleteObjects({ bucket: input.bucket, keys: batch }, input.signal);
      const errors = new Map<string, string>();
      for (const error of answer.errors) {
        errors.set(error.Key, redactSecrets(`${error.Code ?? 'Error'}${error.Message ? `: ${error.Message}` : ''}`));
      }
      return errors;
    } catch (error) {
      lastError = error;
      if (input.signal?.aborted) break;
    }
  }
  return { reason: `DeleteObjects failed: ${describeS3Error(lastError)}` };
}
