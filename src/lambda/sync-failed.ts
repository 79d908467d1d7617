import type { ErrorCode } from '../errors.js';
import type { HandlerResult } from './handler.js';

/**
 * A failure no retry fixes (a broken or replaced zip, a corrupt entry, a missing object or bucket),
 * thrown so that Lambda reports the invocation as failed. Named `S3ZipSync.<code>`: Lambda reports
 * an error's name as its type, which Step Functions uses as the error name, so a Retry on
 * `IncompleteSync` does not match it and a Catch can match the code itself.
 */
export class SyncFailedError extends Error {
  override readonly name: string;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The sync handler's whole result, when it was the one that failed (the plan handler has none). */
    readonly result?: HandlerResult,
  ) {
    super(message);
    this.name = `S3ZipSync.${code}`;
  }
}
