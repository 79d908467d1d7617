/**
 * The bench's own failures, apart from the library's error codes: a bench that finds a variant
 * answering wrongly before timing refuses to time it, since its timings would mean nothing.
 */
export class BenchError extends Error {
  override readonly name = 'BenchError';

  constructor(
    readonly code: 'SANITY_CHECK_FAILED',
    message: string,
  ) {
    super(message);
  }
}

export function isBenchError(error: unknown): error is BenchError {
  return error instanceof BenchError;
}
