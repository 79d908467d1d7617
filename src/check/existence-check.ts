import type { S3Requests } from '../s3/session.js';
import type { StoredHeaders } from '../headers/header-differences.js';

/** What S3 holds at a key. Absence is `null`, never an error. */
export interface RemoteObject {
  /** Stored bytes (for a gzip-stored object, the compressed size). */
  size: number;
  etag?: string;
  /** True when the fields below were read (HeadObject); a listing shows only size and ETag. */
  metadataKnown?: boolean;
  /** The zip CRC32 s3zipsync stored with the object; absent for objects other tools wrote. */
  crc32?: number;
  /** The entry's size before gzip, for objects stored with `gzip`. */
  originalSize?: number;
  /** Stored with `Content-Encoding: gzip`. */
  gzipped?: boolean;
  /** Content-Type, Cache-Control, user metadata, … as HeadObject answered them. */
  headers?: StoredHeaders;
}

/**
 * One way of asking S3 whether keys exist and at what size. Implementations answer `null` only
 * when S3 says the key is absent, and throw for anything else (denied, throttled, unreachable):
 * treating an error as "missing" would re-upload, and treating it as "present" would skip a file.
 */
export interface ExistenceCheck {
  readonly strategy: string;
  /**
   * Called once before any `check`, with every key the run will ask about. Resolves when the
   * strategy has talked to S3 successfully once, and throws the run-level error (missing bucket,
   * bad credentials, unreachable endpoint) otherwise, so that nothing is uploaded into a bad target.
   */
  start(keys: readonly string[], signal?: AbortSignal): Promise<void>;
  check(key: string, signal?: AbortSignal): Promise<RemoteObject | null>;
  /**
   * The answer `check` would give at once, when the strategy already has it without waiting or
   * asking (a listing that has shown the key, or shown its whole range); undefined otherwise. Lets
   * the run settle an unchanged entry without a promise: 100,000 of them cost a tenth of a
   * no-change run's CPU through `check`.
   */
  peek?(key: string): RemoteObject | null | undefined;
  /** What the strategy did; for `auto`, which path it took and why. */
  describe(): string;
}

export interface CheckTarget {
  /** The run's session (s3/session.ts): its one request path, and where requests go. */
  session: S3Requests;
  bucket: string;
  /** Folder the run syncs into (normalized, '' or ending in '/'): what `start` checks access to. */
  prefix?: string;
  /** Bounds the requests a per-key strategy has in flight; default: unbounded. */
  limit?: <T>(request: () => Promise<T>) => Promise<T>;
}

/** The `limit` of a target that sets none. */
export const run = <T>(request: () => Promise<T>): Promise<T> => request();
