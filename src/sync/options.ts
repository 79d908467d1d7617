import type { S3Client } from '@aws-sdk/client-s3';
import type { StrategyName } from '../check/strategies.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PACER, DEFAULT_STALL_TIMEOUT_MS, DEFAULT_STRATEGY, DEFAULT_UPLOAD, PACER_NAMES, type PacerName } from '../option-defaults.js';
import type { ClientOptions } from '../s3/create-client.js';
import type { RequestPath, SessionOptions } from '../s3/session.js';
import type { SharedListingOptions } from '../s3/shared-listing.js';
import { S3ZipSyncError } from '../errors.js';
import { compileEntryFilter, type EntryFilter, type FilterRule } from '../filter/entry-filter.js';
import { compileObjectHeaders, type HeaderPlan, type ObjectHeaderOptions } from '../headers/object-headers.js';
import { compileIntegrity, type IntegrityOptions, type IntegrityPlan } from '../integrity/integrity-plan.js';
import { resolveDeletion, type DeletionOptions, type DeletionSettings } from '../delete/deletion.js';
import type { SyncEvent } from '../report.js';
import { validateShard, type Shard } from '../shard.js';
import { normalizePrefix } from '../target-key.js';
import { checkListRanges } from '../s3/key-ranges.js';
import { endpointUrlMistake } from '../s3/endpoint-url.js';
import type { UploadSettings } from '../upload/upload-entry.js';
import type { ArchiveLimits } from '../zip/limits.js';
import type { NameOptions, ZipSource } from '../zip/open-archive.js';

export interface SyncOptions extends DeletionOptions, IntegrityOptions, ObjectHeaderOptions, Partial<NameOptions> {
  /** Path of a zip file, its bytes, or `{ bucket, key }` of a zip in S3 (read with ranged GETs, via `client` unless it has its own). */
  zip: ZipSource;
  bucket: string;
  /** Folder inside the bucket; `a` and `a/` are the same. */
  prefix?: string;
  /** A client of your own (Lambda: reuse one across invocations). Otherwise built from `clientOptions`. */
  client?: S3Client;
  clientOptions?: ClientOptions;
  /**
   * How the hot requests (checks, listings, PUTs of small entries, deletes) are sent. Default
   * `signed-http`: signed by the SDK's signer and sent over node:http with the client's credentials,
   * region, endpoint and retry strategy, at about a third of the SDK's CPU per request. `sdk`: every
   * request through `client.send`, so middleware or plugins added to a client of your own apply.
   */
  requestPath?: RequestPath;
  /**
   * How to ask S3 whether keys exist. Default `auto`: per-key HEAD for a few entries, otherwise one
   * listing of the keys' common prefix, falling back to HEAD when the prefix holds far more objects.
   */
  strategy?: StrategyName;
  /** Uploads (and per-key check requests) in flight at once; also the most entry streams open at once. */
  concurrency?: number;
  /**
   * How the run slows down when S3 answers 503 SlowDown or 429: `window` (default) lowers the
   * requests in flight, `rate` the requests per second (the SDK's adaptive limiter), `both` both.
   * Slow-downs are retried and never fail an entry unless nothing is answered for `stallTimeoutMs`.
   */
  pacer?: PacerName;
  /**
   * Listings (the `bulk`/`auto` check, the `delete` listing) are cut into at most this many key
   * ranges, split at the archive's keys in whole pages and read in parallel; 1 lists one page after
   * another. Default: one range per 1,000 keys, at most 16 and at most `concurrency` (docs/strategies.md).
   */
  listRanges?: number;
  /**
   * Default true: a new key is written with `If-None-Match: *` and an updated one with `If-Match`
   * set to the ETag the check saw, so a sync never overwrites what another writer stored since the
   * check (that entry is reported `conflict`). False for servers that refuse these headers.
   */
  conditionalWrites?: boolean;
  /** Decide and report, write nothing. */
  dryRun?: boolean;
  limits?: Partial<ArchiveLimits>;
  upload?: Partial<UploadLimits>;
  signal?: AbortSignal;
  onEvent?: (event: SyncEvent) => void;
  /** Include/exclude patterns on archive paths, in order; the last match wins. */
  filters?: FilterRule[];
  /** Leave out `__MACOSX/**`, `.DS_Store`, `Thumbs.db` (before `filters`, which can include them again). Default true. */
  excludeJunk?: boolean;
  /** Only this shard of the file entries (see shard.ts): n runs with shards 0..n-1 cover the archive once. */
  shard?: Shard;
  /**
   * Asked before each entry starts; false leaves it (and, normally, all after it) not started, counted in
   * `counts.notStarted`, with `complete: false`. Entries already started finish. A Lambda handler uses it
   * to stop before its time runs out.
   */
  shouldStartEntry?: () => boolean;
}

export type { RequestPath } from '../s3/session.js';

export type UploadLimits = UploadSettings & { maxMultipartUploads: number };

const MiB = 1024 * 1024;

export { DEFAULT_CONCURRENCY, DEFAULT_UPLOAD };

/**
 * The options of one run with every default filled in and every value checked: what syncZip reads
 * instead of SyncOptions. The archive's limits and name options are passed on as given: openArchive,
 * which owns them, fills in and checks their defaults.
 */
export interface ResolvedOptions {
  bucket: string;
  /** Normalized: '' or ending in '/'. */
  prefix: string;
  strategy: StrategyName;
  concurrency: number;
  dryRun: boolean;
  settings: UploadLimits;
  filter: EntryFilter;
  integrity: IntegrityPlan;
  headers: HeaderPlan;
  conditionalWrites: boolean;
  /** What the run's S3 session is built from (s3/session.ts). */
  session: SessionOptions;
  archive: { source: ZipSource; limits: Partial<ArchiveLimits>; names: Partial<NameOptions> };
  shard: Shard | undefined;
  /** Undefined without `delete`. */
  deletion: DeletionSettings | undefined;
  /** How the run's listings are cut into key ranges (the shared one and the strategies' own). */
  listing: SharedListingOptions;
  signal: AbortSignal | undefined;
  onEvent: ((event: SyncEvent) => void) | undefined;
  /** The caller's `shouldStartEntry`, true when there is none. */
  shouldStartEntry: () => boolean;
}

/** Throws INVALID_OPTION (or DELETE_REFUSED) before anything is read or written. */
export function resolveOptions(options: SyncOptions): ResolvedOptions {
  const settings = { ...DEFAULT_UPLOAD, ...options.upload };
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!options.bucket) throw new S3ZipSyncError('INVALID_OPTION', 'a bucket name is required: set `bucket`', { option: 'bucket' });
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new S3ZipSyncError('INVALID_OPTION', `\`concurrency\` must be a positive integer, got ${JSON.stringify(concurrency)}`, { option: 'concurrency' });
  }
  if (settings.partSize < 5 * MiB) {
    throw new S3ZipSyncError('INVALID_OPTION', `\`partSize\` must be at least 5 MiB (S3's minimum), got ${settings.partSize}`, { option: 'partSize', limit: 5 * MiB });
  }
  if (settings.multipartThreshold < settings.partSize) {
    throw new S3ZipSyncError('INVALID_OPTION', '`multipartThreshold` must be at least `partSize`', { option: ['multipartThreshold', 'partSize'] });
  }
  if (options.shard) {
    validateShard(options.shard);
    // A shard sees only its own uploads, so it cannot know that the whole archive is in place.
    if (options.delete) throw new S3ZipSyncError('INVALID_OPTION', '`delete` cannot be combined with `shard`: run the deletion once, unsharded, after every shard has completed', { option: ['delete', 'shard'] });
  }
  const pacer = options.pacer ?? DEFAULT_PACER;
  if (!PACER_NAMES.includes(pacer)) {
    throw new S3ZipSyncError('INVALID_OPTION', `\`pacer\` must be one of ${PACER_NAMES.join(', ')}, got ${JSON.stringify(pacer)}`, { option: 'pacer' });
  }
  checkListRanges(options.listRanges);
  checkClientOptions(options.clientOptions);
  const prefix = normalizePrefix(options.prefix);
  const deletion = resolveDeletion(options, prefix, options.bucket);
  const stallTimeoutMs = options.clientOptions?.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  return {
    bucket: options.bucket,
    prefix,
    strategy: options.strategy ?? DEFAULT_STRATEGY,
    concurrency,
    dryRun: options.dryRun ?? false,
    settings,
    filter: compileEntryFilter({ rules: options.filters ?? [], excludeJunk: options.excludeJunk ?? true }),
    integrity: compileIntegrity(options),
    headers: compileObjectHeaders(options),
    conditionalWrites: options.conditionalWrites ?? true,
    session: {
      client: options.client,
      clientOptions: { maxSockets: concurrency * 2, ...options.clientOptions },
      requestPath: options.requestPath ?? 'signed-http',
      maxSockets: concurrency * 2,
      pacer,
      maxInFlight: concurrency * 4,
      stallTimeoutMs,
    },
    archive: { source: options.zip, limits: options.limits ?? {}, names: { nameEncoding: options.nameEncoding, normalizeNames: options.normalizeNames } },
    shard: options.shard,
    deletion,
    listing: { concurrency, ...(options.listRanges !== undefined ? { listRanges: options.listRanges } : {}) },
    signal: options.signal,
    onEvent: options.onEvent,
    shouldStartEntry: () => options.shouldStartEntry?.() ?? true,
  };
}

/** What the SDK would accept silently (0 attempts runs as 1) or fail on at the first request (an endpoint without a scheme). */
function checkClientOptions(clientOptions: ClientOptions | undefined): void {
  if (!clientOptions) return;
  const { maxAttempts, stallTimeoutMs, endpoint } = clientOptions;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
    throw new S3ZipSyncError('INVALID_OPTION', `\`maxAttempts\` must be a whole number ≥ 1, got ${maxAttempts}`, { option: 'maxAttempts' });
  }
  if (stallTimeoutMs !== undefined && !(Number.isFinite(stallTimeoutMs) && stallTimeoutMs > 0)) {
    throw new S3ZipSyncError('INVALID_OPTION', `\`stallTimeoutMs\` must be a positive number of milliseconds, got ${stallTimeoutMs}`, { option: 'stallTimeoutMs' });
  }
  const mistake = endpoint === undefined ? undefined : endpointUrlMistake(endpoint);
  if (mistake) throw new S3ZipSyncError('INVALID_OPTION', `invalid \`endpoint\` ${JSON.stringify(endpoint)}: ${mistake}`, { option: 'endpoint' });
}
