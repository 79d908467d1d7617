import type { StorageHeaders } from '../../headers/object-headers.js';
/**
 * The few S3 operations on the hot path of a sync, behind one small interface, so that the checks,
 * the listing, deletion and single-PUT uploads do not care whether the SDK or the lean signed-HTTP
 * path sends them. Multipart uploads stay with lib-storage (through the SDK client).
 */
export interface S3Transport {
  /** `null` for a missing key (404): a miss is the common case of a first sync, not an exception. */
  headObject(input: { bucket: string; key: string }, signal?: AbortSignal): Promise<HeadObjectResult | null>;
  /** `attempts`: HTTP attempts it took (the transport retries a buffered body itself). */
  putObject(input: PutObjectInput, signal?: AbortSignal): Promise<{ etag?: string; attempts?: number }>;
  /**
   * `onNextContinuationToken`, when the path can: called with the page's NextContinuationToken as
   * soon as it is known, before the rest of the page is parsed, so the next page can be asked for
   * meanwhile (pages have to be asked for one after another). Never called for a failed page.
   * `onSent`: called once the request is on its way (written to its socket, where the path can tell;
   * else as it is handed to the SDK), so a caller can time the server's answer without the client's
   * own start-up.
   */
  listObjectsV2(input: ListObjectsV2Input, signal?: AbortSignal, early?: ListEarly): Promise<ListObjectsV2Page>;
  deleteObjects(input: { bucket: string; keys: readonly string[] }, signal?: AbortSignal): Promise<{ errors: DeleteObjectError[] }>;
  /** A listing of many pages is starting: be ready to parse them (list-page-parser.ts). */
  warmUpListing?(): void;
}

/** What a listing page's caller hears before the page itself. */
export interface ListEarly {
  onNextContinuationToken?(token: string): void;
  onSent?(): void;
}

/** Field names as the SDK's HeadObjectOutput, so code reading either answer is the same. */
export interface HeadObjectResult {
  ContentLength?: number;
  ETag?: string;
  ContentEncoding?: string;
  ContentType?: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  /** The Expires header as text (the SDK's ExpiresString). */
  ExpiresString?: string;
  StorageClass?: string;
  ServerSideEncryption?: string;
  Metadata?: Record<string, string>;
}

export interface PutObjectInput {
  bucket: string;
  key: string;
  /** The whole body: a retried attempt sends the same bytes again without re-reading the source. */
  body: Buffer;
  contentType?: string;
  contentEncoding?: string;
  metadata?: Record<string, string>;
  /** Cache-Control & co., storage class, encryption, ACL (the run's object-header options). */
  headers?: StorageHeaders;
  /** `x-amz-checksum-crc32`: base64 of the 4 big-endian bytes; S3 refuses a body that does not match. */
  checksumCrc32?: string;
  /** Conditional writes: `*` stores only if the key is absent; an ETag stores only over that version. A failed condition is a PreconditionFailed (412) error. */
  ifNoneMatch?: string;
  ifMatch?: string;
}

export interface ListObjectsV2Input {
  bucket: string;
  prefix?: string;
  maxKeys?: number;
  continuationToken?: string;
  startAfter?: string;
  delimiter?: string;
}

/** Field names as the SDK's ListObjectsV2Output (the subset we read). */
export interface ListObjectsV2Page {
  Contents: { Key: string; Size: number; ETag?: string }[];
  CommonPrefixes: { Prefix: string }[];
  IsTruncated: boolean;
  NextContinuationToken?: string;
  KeyCount?: number;
}

export interface DeleteObjectError {
  Key: string;
  Code?: string;
  Message?: string;
}

/** One HTTP attempt, retries included: what S3 bills and what the run's request counts show. */
export type AttemptListener = (operation: TransportOperation) => void;
export type TransportOperation = 'HeadObject' | 'PutObject' | 'ListObjectsV2' | 'DeleteObjects';
