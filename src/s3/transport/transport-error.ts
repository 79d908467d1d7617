/**
 * An S3 error answer or a failure below HTTP, shaped like the SDK's errors (`name` is S3's code,
 * `$metadata.httpStatusCode` the status, `code` Node's network code), so s3-error.ts describes,
 * classifies and redacts both paths alike and callers keep one set of messages and codes.
 */
export class S3TransportError extends Error {
  override readonly name: string;
  readonly $metadata: { httpStatusCode?: number; requestId?: string; attempts?: number };
  readonly $fault: 'client' | 'server';
  /** Node's code for a network failure (`ECONNRESET`, …), as on the SDK's errors. */
  readonly code: string | undefined;
  /** Seconds S3 asked us to wait (Retry-After), for the retry strategy. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: { name: string; message: string; status?: number; requestId?: string; code?: string; retryAfterSeconds?: number; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = init.name;
    this.$metadata = {
      ...(init.status !== undefined ? { httpStatusCode: init.status } : {}),
      ...(init.requestId !== undefined ? { requestId: init.requestId } : {}),
    };
    this.$fault = init.status !== undefined && init.status < 500 ? 'client' : 'server';
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/**
 * An error answer without a body (any HEAD): the SDK names a 404 `NotFound` and everything else
 * `Unknown` with the message `UnknownError`; so do we, so that messages read the same on both paths.
 */
export function bodilessError(status: number): { name: string; message: string } {
  return status === 404 ? { name: 'NotFound', message: 'NotFound' } : { name: 'Unknown', message: 'UnknownError' };
}

export function isPreconditionFailed(error: unknown): boolean {
  return error instanceof S3TransportError && (error.$metadata.httpStatusCode === 412 || error.name === 'PreconditionFailed');
}
