import { connectionOf, type S3Access } from '../s3/connection.js';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { isS3ZipSyncError } from '../errors.js';
import { untilAborted } from '../abortable.js';
import { isSlowDown } from '../s3/throttle/slow-down.js';
import type { ThrottleController } from '../s3/throttle/throttle-controller.js';

/** The SDK's own classification of a failure, which its retry strategies take as input. */
export type RetryErrorType = 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';

/** The part of the SDK's RetryStrategyV2 that an entry-level retry needs (standard and adaptive both have it). */
interface RetryToken {
  getRetryDelay(): number;
}
interface EntryRetryStrategy {
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, errorInfo: { errorType: RetryErrorType; error: unknown }): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}

/**
 * How the SDK would classify an entry's failure, or null when it must not be retried at all.
 *
 * Only S3_ERROR wraps an SDK or network error; our other codes are final: a corrupt entry stays
 * corrupt, an abort is the user's wish, and a multipart upload we could not abort must not be
 * followed by a second one.
 */
export function retryErrorType(error: unknown): RetryErrorType | null {
  if (isS3ZipSyncError(error) && error.code !== 'S3_ERROR') return null;
  const cause = isS3ZipSyncError(error) ? error.cause : error;
  if (cause === undefined || cause === null || typeof cause !== 'object') return null;
  const sdkError = cause as Parameters<typeof isTransientError>[0];
  if (isThrottlingError(sdkError)) return 'THROTTLING';
  if (isTransientError(sdkError)) return 'TRANSIENT';
  if (isServerError(sdkError)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}

/**
 * Runs `attempt` until it succeeds, retrying what the client's own retry strategy would retry.
 *
 * The SDK never retries a request whose body is a stream (PutObject straight from the zip): the
 * bytes are gone. An entry can be read again, so we retry the whole entry, with the client's
 * strategy deciding: the same `maxAttempts`, backoff with jitter, retry-capacity budget and (in
 * adaptive mode) client-side rate limiting as every other request of the run. `attempt` must open
 * a fresh body each time.
 *
 * A slow-down (503 SlowDown, 429, …) is the run's pacer's to handle (`throttle`): the entry is tried
 * again after its backoff, spending none of the strategy's attempts or capacity.
 */
export async function withEntryRetries<T>(
  access: S3Access,
  attempt: (attemptNumber: number) => Promise<T>,
  signal?: AbortSignal,
  throttle?: ThrottleController,
): Promise<T> {
  const strategy = await entryRetryStrategy(access);
  if (!strategy && !throttle) return attempt(1);
  let token = strategy ? await untilAborted(strategy.acquireInitialRetryToken('s3zipsync:entry'), signal) : undefined;
  let slowDowns = 0;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      const result = await attempt(attemptNumber);
      if (token) strategy!.recordSuccess(token);
      return result;
    } catch (error) {
      const errorType = retryErrorType(error);
      if (errorType === null || signal?.aborted) throw error;
      if (throttle && isSlowDown(isS3ZipSyncError(error) ? error.cause : error)) {
        slowDowns++;
        if (await throttle.mayRetryAfterSlowDown(slowDowns, signal, isS3ZipSyncError(error) ? error.cause : error)) continue;
        throw error;
      }
      if (!strategy || !token) throw error;
      try {
        // Throws once attempts or retry capacity are used up, or for a non-retryable error type;
        // otherwise it has already waited the backoff delay.
        // The strategy's backoff sleep cannot be interrupted; an abort must not wait for it.
        token = await untilAborted(strategy.refreshRetryTokenForRetry(token, { errorType, error }), signal);
      } catch {
        throw error;
      }
    }
  }
}

async function entryRetryStrategy(access: S3Access): Promise<EntryRetryStrategy | undefined> {
  const strategy = (await connectionOf(access).retryStrategy?.()) as Partial<EntryRetryStrategy> | undefined;
  return typeof strategy?.acquireInitialRetryToken === 'function' && typeof strategy.refreshRetryTokenForRetry === 'function'
    ? (strategy as EntryRetryStrategy)
    : undefined;
}
