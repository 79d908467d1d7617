import type { StrategyName } from './check/strategies.js';
import type { UploadSettings } from './upload/upload-entry.js';

// The defaults and choices a caller shows before a run starts (the CLI's --help). They live in this
// module, which imports nothing at run time, so that showing them never loads the AWS SDK; the
// modules that use them re-export them from here.

/**
 * Requests in flight. With ~2 ms of client CPU per small upload, all included, one core is kept busy
 * only when enough round trips overlap: ~15 at 30 ms, ~50 at 100 ms. Against s3rver here 64 beat 16
 * by 14% in wall and 20% in client CPU, 128 was equal to 64 (`npm run bench:concurrency`, 5 rounds,
 * bench/results/2026-12-01-2core-amd-epyc.md). Buffered bodies: at most 64 × 1 MiB. The Lambda
 * handler keeps 16 (src/lambda/config.ts).
 */
export const DEFAULT_CONCURRENCY = 64;

const MiB = 1024 * 1024;
export const DEFAULT_UPLOAD: UploadSettings & { maxMultipartUploads: number } = {
  multipartThreshold: 16 * MiB,
  partSize: 8 * MiB,
  partConcurrency: 4,
  maxMultipartUploads: 2,
};

/**
 * How a run slows down when S3 answers 503 SlowDown (src/s3/throttle/): fewer requests in flight
 * (`window`, AIMD), fewer per second (`rate`, the SDK's adaptive CUBIC limiter), or `both`.
 */
export type PacerName = 'window' | 'rate' | 'both';
export const PACER_NAMES: readonly PacerName[] = ['window', 'rate', 'both'];
/** Chosen by `npm run bench:remote` (docs/reliability.md, "Throttling"). */
export const DEFAULT_PACER: PacerName = 'window';

export type RetryMode = 'standard' | 'adaptive';
export const RETRY_MODES: readonly RetryMode[] = ['standard', 'adaptive'];
/** Long enough for a slow S3 answer to a large PUT, short enough that a dead transfer does not hang a run. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

/** The strategies' names are the keys of `STRATEGIES` (src/check/strategies.ts, which loads no SDK). */
export const DEFAULT_STRATEGY: StrategyName = 'auto';

/**
 * rclone's `--max-delete` has no limit by default; ours (`maxDelete`) has one, because a wrong `prefix`
 * with `delete` would otherwise empty a folder without a question. 1,000 is one DeleteObjects request:
 * a deploy that replaces more states so with `maxDelete`.
 */
export const DEFAULT_MAX_DELETE = 1000;

/** How entry names without the UTF-8 flag are decoded (src/zip/entry-name-decoding.ts). */
export type NameEncoding = 'auto' | 'utf8' | 'cp437';
export const NAME_ENCODINGS: readonly NameEncoding[] = ['auto', 'utf8', 'cp437'];
/** Unicode normalization of keys (src/zip/entry-key.ts). */
export type NameNormalization = 'nfc' | 'none';
export const NAME_NORMALIZATIONS: readonly NameNormalization[] = ['nfc', 'none'];
