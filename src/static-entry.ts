/**
 * The part of the internal entry point (src/internal.ts) that loads no AWS SDK, no zip reader and no
 * network code: error types, option defaults and choices. The CLI reads its flags' defaults and
 * choices from here, so that `--help`, `--version` and usage errors answer without loading the SDK
 * (test/integration/cli-start.test.ts holds it to that).
 */
export { S3ZipSyncError, isS3ZipSyncError, RUN_LEVEL_CODES, type ErrorCode } from './errors.js';
export { describeS3Error, redactSecrets } from './s3/s3-error.js';
export { endpointUrlMistake } from './s3/endpoint-url.js';
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_UPLOAD,
  DEFAULT_STALL_TIMEOUT_MS,
  RETRY_MODES,
  PACER_NAMES,
  DEFAULT_PACER,
  DEFAULT_STRATEGY,
  DEFAULT_MAX_DELETE,
  NAME_ENCODINGS,
  NAME_NORMALIZATIONS,
  type NameEncoding,
  type NameNormalization,
  type RetryMode,
  type PacerName,
} from './option-defaults.js';
export { COMPARE_MODES, type CompareMode } from './decide.js';
export { S3_CHECKSUM_MODES, type S3ChecksumMode } from './integrity/s3-checksum.js';
export { DEFAULT_LIMITS, type ArchiveLimits } from './zip/limits.js';
export type { SyncOptions } from './sync/options.js';
export type { SyncReport } from './report.js';
export type { ClientOptions } from './s3/create-client.js';
// The strategies themselves (check/) load no SDK either: they are handed a transport.
export { STRATEGY_NAMES, PER_KEY_STRATEGY_NAMES, type StrategyName } from './check/strategies.js';
export { SSE_MODES, type SseMode } from './headers/header-choices.js';
export { parseContentTypeRule, parseHeaderRule, parseMetadataPairs } from './headers/rule-text.js';
