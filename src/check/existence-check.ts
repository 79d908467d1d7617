import type { S3Client } from '@aws-sdk/client-s3';

/** What S3 holds at a key. Absence is `null`, never an error. */
export interface RemoteObject {
  size: number;
  etag?: string;
}

/**
 * One way of asking S3 whether a key exists and at what size. Implementations answer `null` only
 * when S3 says the key is absent, and throw for anything else (denied, throttled, unreachable):
 * treating an error as "missing" would re-upload, and treating it as "present" would skip a file.
 */
export interface ExistenceCheck {
  readonly strategy: string;
  check(key: string, signal?: AbortSignal): Promise<RemoteObject | null>;
}

export interface CheckTarget {
  client: S3Client;
  bucket: string;
}
