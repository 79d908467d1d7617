import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { RetryErrorType } from '@smithy/types';

/** The SDK's own classification, so the lean path retries exactly what the SDK would retry. */
export function retryErrorType(error: unknown): RetryErrorType {
  const e = error as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(e)) return 'THROTTLING';
  if (isTransientError(e)) return 'TRANSIENT';
  if (isServerError(e)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}
