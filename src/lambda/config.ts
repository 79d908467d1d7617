import { DEFAULT_STRATEGY, STRATEGY_NAMES, type StrategyName } from '../check/strategies.js';
import { COMPARE_MODES } from '../decide.js';
import { S3ZipSyncError } from '../errors.js';
import { compileObjectHeaders, SSE_MODES, type ObjectHeaderOptions, type SseMode } from '../headers/object-headers.js';
import { parseContentTypeRule, parseHeaderRule, parseMetadataPairs } from '../headers/rule-text.js';
import type { IntegrityOptions } from '../integrity/integrity-plan.js';
import { S3_CHECKSUM_MODES } from '../integrity/s3-checksum.js';
import { NAME_ENCODINGS, NAME_NORMALIZATIONS, type NameEncoding, type NameNormalization } from '../option-defaults.js';
import { DEFAULT_SHARD_RULE, type ShardRule } from './shard-plan.js';

/**
 * Below the CLI's 64: a function of up to 1,769 MB has one vCPU, which ~16 small requests in flight
 * keep busy at in-region round trips, and little memory (buffered bodies: 16 × 1 MiB at most).
 */
export const LAMBDA_DEFAULT_CONCURRENCY = 16;

export interface LambdaConfig {
  targetBucket: string;
  /** `TARGET_PREFIX`, placeholders not yet filled in (see targetPrefixFor). */
  targetPrefix: string;
  strategy: StrategyName;
  concurrency: number;
  /** Stop starting entries when less than this much time remains. */
  deadlineMarginMs: number;
  /** Abort entries still in flight (cleanly: multipart uploads are aborted) when less than this remains. */
  abortMarginMs: number;
  /** Throw when an archive is incomplete, so Lambda's async retry or a Step Functions Retry runs it again. */
  failOnIncomplete: boolean;
  /** `COMPARE` (size|crc32), `GZIP` (comma-separated globs), `S3_CHECKSUM` (auto|on|off): as the CLI flags. */
  integrity: IntegrityOptions;
  /**
   * `CACHE_CONTROL`, `CONTENT_DISPOSITION`, `CONTENT_LANGUAGE`, `EXPIRES`, `CONTENT_TYPE`, `STORAGE_CLASS`,
   * `SSE`, `SSE_KMS_KEY_ID`, `ACL`, `COMPARE_HEADERS`; and one rule per line (values hold commas) in
   * `CONTENT_TYPE_FOR` (GLOB=TYPE), `HEADER_FOR` (GLOB:Header: value), `METADATA` (key=value): as the CLI flags.
   */
  headers: ObjectHeaderOptions;
  /** `CONDITIONAL_WRITES` (default true): false for servers that refuse If-None-Match / If-Match. */
  conditionalWrites: boolean;
  /** `NAME_ENCODING` (auto|utf8|cp437) and `NORMALIZE_NAMES` (none|nfc): as the options `nameEncoding` and `normalizeNames`. */
  names: { nameEncoding: NameEncoding; normalizeNames: NameNormalization };
}

export const DEFAULT_TARGET_PREFIX = '{stem}/';
const PLACEHOLDERS = new Set(['{stem}', '{name}']);

/** The handler's settings from its environment variables; one clear error naming the bad variable. */
export function readLambdaConfig(env: Record<string, string | undefined>): LambdaConfig {
  const targetBucket = env.TARGET_BUCKET?.trim();
  if (!targetBucket) throw invalid('TARGET_BUCKET is not set: name the bucket the archives are synced into');
  const targetPrefix = env.TARGET_PREFIX ?? DEFAULT_TARGET_PREFIX;
  for (const placeholder of targetPrefix.match(/\{[^}]*\}/g) ?? []) {
    if (!PLACEHOLDERS.has(placeholder)) {
      throw invalid(`TARGET_PREFIX has an unknown placeholder ${placeholder}: use {stem} or {name}`);
    }
  }
  const strategy = (env.STRATEGY ?? DEFAULT_STRATEGY) as StrategyName;
  if (!STRATEGY_NAMES.includes(strategy)) throw invalid(`STRATEGY must be one of ${STRATEGY_NAMES.join(', ')}, got ${JSON.stringify(env.STRATEGY)}`);
  const deadlineMarginMs = integer(env, 'DEADLINE_MARGIN_MS', 30_000, 0);
  const abortMarginMs = integer(env, 'ABORT_MARGIN_MS', 5_000, 0);
  if (abortMarginMs > deadlineMarginMs) {
    throw invalid(`ABORT_MARGIN_MS (${abortMarginMs}) must not exceed DEADLINE_MARGIN_MS (${deadlineMarginMs})`);
  }
  return {
    targetBucket,
    targetPrefix,
    strategy,
    concurrency: integer(env, 'CONCURRENCY', LAMBDA_DEFAULT_CONCURRENCY, 1),
    deadlineMarginMs,
    abortMarginMs,
    failOnIncomplete: flag(env, 'FAIL_ON_INCOMPLETE'),
    conditionalWrites: flag(env, 'CONDITIONAL_WRITES', true),
    integrity: {
      compare: oneOf(env, 'COMPARE', COMPARE_MODES, 'size'),
      gzip: (env.GZIP ?? '').split(',').map((glob) => glob.trim()).filter(Boolean),
      s3Checksum: oneOf(env, 'S3_CHECKSUM', S3_CHECKSUM_MODES, 'auto'),
    },
    headers: readHeaderOptions(env),
    names: readNameOptions(env),
  };
}

/**
 * `NAME_ENCODING` and `NORMALIZE_NAMES`: read by the sync and by the plan alike, because two names
 * are duplicates or not according to them, and the plan is where duplicates across shards are found.
 */
export function readNameOptions(env: Record<string, string | undefined>): LambdaConfig['names'] {
  return {
    nameEncoding: oneOf(env, 'NAME_ENCODING', NAME_ENCODINGS, 'auto'),
    normalizeNames: oneOf(env, 'NORMALIZE_NAMES', NAME_NORMALIZATIONS, 'none'),
  };
}

function readHeaderOptions(env: Record<string, string | undefined>): ObjectHeaderOptions {
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const lines = (name: string) => (env[name] ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
  const options: ObjectHeaderOptions = {};
  const fields = {
    cacheControl: text('CACHE_CONTROL'),
    contentDisposition: text('CONTENT_DISPOSITION'),
    contentLanguage: text('CONTENT_LANGUAGE'),
    expires: text('EXPIRES'),
    contentType: text('CONTENT_TYPE'),
    storageClass: text('STORAGE_CLASS'),
    sseKmsKeyId: text('SSE_KMS_KEY_ID'),
    acl: text('ACL'),
  };
  for (const [field, value] of Object.entries(fields)) if (value !== undefined) (options as Record<string, string>)[field] = value;
  if (text('SSE') !== undefined) options.sse = oneOf(env, 'SSE', SSE_MODES, 'AES256') as SseMode;
  const contentTypeFor = lines('CONTENT_TYPE_FOR').map((line) => parseContentTypeRule(line, 'CONTENT_TYPE_FOR'));
  if (contentTypeFor.length) options.contentTypeFor = contentTypeFor;
  const headerFor = lines('HEADER_FOR').map((line) => parseHeaderRule(line, 'HEADER_FOR'));
  if (headerFor.length) options.headerFor = headerFor;
  const metadata = lines('METADATA');
  if (metadata.length) options.metadata = parseMetadataPairs(metadata, 'METADATA');
  if (flag(env, 'COMPARE_HEADERS')) options.compareHeaders = true;
  // Checked now, at cold start, rather than failing every invocation later.
  compileObjectHeaders(options);
  return options;
}

/**
 * The target prefix for one archive. `{stem}` is the whole key without `.zip`
 * (`incoming/build-42.zip` → `incoming/build-42`), so archives of the same name in different folders
 * never share a prefix; `{name}` is only the file name without `.zip` (`build-42`).
 */
export function targetPrefixFor(template: string, key: string): string {
  const stem = key.replace(/\.zip$/i, '');
  const name = stem.slice(stem.lastIndexOf('/') + 1);
  return template.replaceAll('{stem}', stem).replaceAll('{name}', name);
}

/**
 * The plan function's rule: `SHARD_ENTRIES`, `SHARD_BYTES` and `MAX_SHARDS` (the event's `maxShards`,
 * set by the workflow next to the Map's MaxConcurrency, wins over `MAX_SHARDS`).
 */
export function readShardRule(env: Record<string, string | undefined>, maxShards?: number): ShardRule {
  return {
    entriesPerShard: integer(env, 'SHARD_ENTRIES', DEFAULT_SHARD_RULE.entriesPerShard, 1),
    bytesPerShard: integer(env, 'SHARD_BYTES', DEFAULT_SHARD_RULE.bytesPerShard, 1),
    maxShards: maxShards ?? integer(env, 'MAX_SHARDS', DEFAULT_SHARD_RULE.maxShards, 1),
  };
}

function oneOf<T extends string>(env: Record<string, string | undefined>, name: string, values: readonly T[], fallback: T): T {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  if (!(values as readonly string[]).includes(text)) throw invalid(`${name} must be one of ${values.join(', ')}, got ${JSON.stringify(text)}`);
  return text as T;
}

function integer(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw invalid(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  return value;
}

function flag(env: Record<string, string | undefined>, name: string, fallback = false): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (text === undefined || text === '') return fallback;
  if (text === 'false' || text === '0') return false;
  if (text === 'true' || text === '1') return true;
  throw invalid(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

function invalid(message: string): S3ZipSyncError {
  return new S3ZipSyncError('INVALID_OPTION', message);
}
