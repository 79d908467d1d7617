/**
 * The internal entry point: what the CLI (bin/), the bench and the tests use beyond the public
 * index. Not part of the package's exports and not covered by semver; library users import
 * from 's3zipsync' (src/index.ts).
 */
export { syncZip } from './sync/sync-zip.js';
export { DEFAULT_CONCURRENCY, DEFAULT_UPLOAD, type SyncOptions } from './sync/options.js';
export type { SyncReport, SyncEvent, SyncCounts, EntryOutcome, DeleteOutcome, DeletionSummary } from './report.js';
export { S3ZipSyncError, isS3ZipSyncError, RUN_LEVEL_CODES, type ErrorCode } from './errors.js';
export { createS3Client, describeEndpoint, type ClientOptions } from './s3/create-client.js';
export { DEFAULT_STALL_TIMEOUT_MS, RETRY_MODES, type RetryMode } from './s3/create-client.js';
export { preflight } from './s3/preflight.js';
export { attachRequestCounter, totalRequests, type RequestCounts } from './s3/request-counter.js';
export { describeS3Error, redactSecrets } from './s3/s3-error.js';
export {
  createExistenceCheck,
  DEFAULT_STRATEGY,
  PER_KEY_STRATEGIES,
  PER_KEY_STRATEGY_NAMES,
  STRATEGIES,
  STRATEGY_NAMES,
  type PerKeyStrategyName,
  type StrategyName,
} from './check/strategies.js';
export { AUTO_LIST_BUDGET_PER_KEY, AUTO_PER_KEY_BELOW } from './check/auto-check.js';
export { longestCommonPrefix } from './check/common-prefix.js';
export { listPrefix, type ListedObject, type ListedPage } from './s3/list-prefix.js';
export { checkListRanges, chooseRangeCount, LIST_PAGE_KEYS, MAX_LIST_RANGES, planKeyRanges, type KeyRange } from './s3/key-ranges.js';
export { listKeyRanges, type RangedListingShape } from './s3/list-key-ranges.js';
export { SharedListing, type SharedListingOptions } from './s3/shared-listing.js';
export { sdkRequests, type S3Requests } from './s3/session.js';
export type { CheckSources } from './check/strategies.js';
export type { ExistenceCheck, RemoteObject, CheckTarget } from './check/existence-check.js';
export { decide, needsMetadata, COMPARE_MODES, type CompareMode, type Decision, type DecisionPolicy, type SameSizeReason } from './decide.js';
export { S3_CHECKSUM_MODES, type S3ChecksumMode } from './integrity/s3-checksum.js';
export { CRC32_METADATA_KEY, ORIGINAL_SIZE_METADATA_KEY, crc32Base64 } from './integrity/object-metadata.js';
export type { IntegrityOptions } from './integrity/integrity-plan.js';
export { normalizePrefix, targetKey } from './target-key.js';
export {
  openArchive,
  DEFAULT_NAME_OPTIONS,
  type Archive,
  type ArchiveEntry,
  type NameEncoding,
  type NameNormalization,
  type NameOptions,
  type ZipSource,
} from './zip/open-archive.js';
export { NAME_ENCODINGS } from './zip/entry-name-decoding.js';
export { NAME_NORMALIZATIONS } from './zip/entry-key.js';
export { DEFAULT_LIMITS, type ArchiveLimits } from './zip/limits.js';
export { unsafeEntryNameReason } from './zip/entry-name.js';
export { compileEntryFilter, JUNK_PATTERNS, type FilterRule, type EntryFilter } from './filter/entry-filter.js';
export { DEFAULT_MAX_DELETE, type DeletionOptions } from './delete/deletion.js';
export { planDeletions, type DeletionPlan, type ListedKeys } from './delete/plan-deletions.js';
export { deleteObjects, MAX_DELETE_BATCH } from './delete/delete-objects.js';
export { parseS3Url, type S3ZipLocation } from './zip/zip-source.js';
export { DEFAULT_S3_READER, type S3ReaderSettings } from './zip/s3-random-access-reader.js';
export { entriesOfShard, parseShard, type Shard } from './shard.js';
export {
  compileObjectHeaders,
  CANNED_ACLS,
  RESERVED_METADATA_PREFIX,
  RULE_HEADERS,
  SSE_MODES,
  STORAGE_CLASSES,
  type ContentTypeRule,
  type HeaderPlan,
  type HeaderRule,
  type ObjectHeaderOptions,
  type ObjectHeaders,
  type SseMode,
} from './headers/object-headers.js';
export { parseContentTypeRule, parseHeaderRule, parseMetadataPairs } from './headers/rule-text.js';
export { headerDifferences, type StoredHeaders } from './headers/header-differences.js';
