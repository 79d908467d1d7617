// The public library: what `import { … } from 's3zipsync'` gives. Each name is in the README's
// library section. The CLI, bench and tests use src/internal.ts for the rest.
export { syncZip } from './sync/sync-zip.js';
export { DEFAULT_CONCURRENCY, type SyncOptions } from './sync/options.js';
export type { SyncReport, SyncEvent, SyncCounts, EntryOutcome, DeleteOutcome, DeletionSummary } from './report.js';
export { S3ZipSyncError, isS3ZipSyncError, RUN_LEVEL_CODES, type ErrorCode } from './errors.js';
export { createS3Client, type ClientOptions } from './s3/create-client.js';
export { STRATEGY_NAMES, DEFAULT_STRATEGY, type StrategyName } from './check/strategies.js';
export { COMPARE_MODES, type CompareMode } from './decide.js';
export type { NameEncoding, NameNormalization } from './option-defaults.js';
export { DEFAULT_LIMITS, type ArchiveLimits } from './zip/limits.js';
export type { FilterRule } from './filter/entry-filter.js';
export type { ZipSource } from './zip/open-archive.js';
export type { S3ZipLocation } from './zip/zip-source.js';
export type { Shard } from './shard.js';
export { DEFAULT_MAX_DELETE } from './delete/deletion.js';
export type { ContentTypeRule, HeaderRule, ObjectHeaderOptions, SseMode } from './headers/object-headers.js';
