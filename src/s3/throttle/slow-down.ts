import { isThrottlingError } from '@smithy/core/retry';

/**
 * Whether S3 asked us to slow down rather than refused: `503 SlowDown`, any other 503 (a HEAD's 503
 * has no body to name it; AWS documents `503 ServiceUnavailable` as "reduce your request rate" too),
 * 429, and the SDK's throttling codes (`RequestLimitExceeded`, `Throttling`, … from other
 * S3-compatible servers). Such an answer slows the whole run down; it never counts against the
 * retries meant for a failing server.
 */
export function isSlowDown(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; status?: number };
  const status = e.$metadata?.httpStatusCode ?? e.status;
  if (status === 503 || status === 429) return true;
  return isThrottlingError(e as Parameters<typeof isThrottlingError>[0]);
}

/** Whether a failure is an answer from the server (any HTTP status), as opposed to a network error or an abort. */
export function isServerAnswer(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as { $metadata?: { httpStatusCode?: number }; status?: number };
  return typeof (e.$metadata?.httpStatusCode ?? e.status) === 'number';
}
