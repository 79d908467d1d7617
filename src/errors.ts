/**
 * Every failure the library expects carries a stable `code`, so callers (the CLI, a Lambda handler)
 * can branch on it without parsing messages. Messages are one line, lower-case, and name the bad value.
 */
export type ErrorCode =
  | 'INVALID_ARCHIVE' // not a zip, truncated, or malformed structure
  | 'EMPTY_ARCHIVE' // a valid zip without a single file
  | 'UNSAFE_ENTRY_NAME' // absolute, `..`, backslash, empty, NUL
  | 'DUPLICATE_ENTRY'
  | 'ENCRYPTED_ENTRY'
  | 'UNSUPPORTED_ENTRY' // compression method we cannot stream
  | 'LIMIT_EXCEEDED' // max entry size, entry count, total size
  | 'ENTRY_CORRUPT' // bytes read disagree with the declared size or CRC32
  | 'BUCKET_NOT_FOUND'
  | 'ACCESS_DENIED'
  | 'INVALID_CREDENTIALS'
  | 'ENDPOINT_UNREACHABLE'
  | 'S3_ERROR'
  | 'MULTIPART_NOT_ABORTED' // an upload failed and its parts could not be removed: the user must act
  | 'INVALID_OPTION'
  | 'DELETE_LIMIT_EXCEEDED' // `delete` would remove more objects than `maxDelete` allows: nothing deleted
  | 'DELETE_REFUSED' // `delete` with an empty prefix (the whole bucket) without `deleteWholeBucket`
  | 'DELETE_FAILED' // one object that `delete` could not remove
  | 'SOURCE_CHANGED' // the zip in S3 was replaced while it was being read (its ETag changed)
  | 'CONFLICT' // a conditional write answered 412: another writer changed the key since the check; theirs was kept
  | 'ABORTED';

/** What an error is about, as data, so a caller need not parse the message. */
export interface ErrorDetails {
  cause?: unknown;
  /**
   * The option field(s) the message names (`maxEntrySize`, `region`, …): the message uses these exact
   * names, so the CLI can show its flag names instead.
   */
  option?: string | readonly string[];
  /** The limit that was exceeded. */
  limit?: number;
  /** The archive entry or S3 key concerned. */
  key?: string;
}

export class S3ZipSyncError extends Error {
  override readonly name = 'S3ZipSyncError';
  readonly code: ErrorCode;
  readonly options: readonly string[];
  readonly limit?: number;
  readonly key?: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, 'cause' in details ? { cause: details.cause } : undefined);
    this.code = code;
    this.options = details.option === undefined ? [] : typeof details.option === 'string' ? [details.option] : [...details.option];
    if (details.limit !== undefined) this.limit = details.limit;
    if (details.key !== undefined) this.key = details.key;
  }

  /** The first option the message names, if any. */
  get option(): string | undefined {
    return this.options[0];
  }
}

export function isS3ZipSyncError(error: unknown): error is S3ZipSyncError {
  return error instanceof S3ZipSyncError;
}

/** Errors that abort the whole run (as opposed to failing one entry). */
export const RUN_LEVEL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'INVALID_ARCHIVE',
  'EMPTY_ARCHIVE',
  'UNSAFE_ENTRY_NAME',
  'DUPLICATE_ENTRY',
  'ENCRYPTED_ENTRY',
  'UNSUPPORTED_ENTRY',
  'LIMIT_EXCEEDED',
  'BUCKET_NOT_FOUND',
  'ACCESS_DENIED',
  'INVALID_CREDENTIALS',
  'ENDPOINT_UNREACHABLE',
  'INVALID_OPTION',
  'DELETE_LIMIT_EXCEEDED',
  'DELETE_REFUSED',
  'SOURCE_CHANGED',
]);
