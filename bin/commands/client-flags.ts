import type { Argv } from 'yargs';
import { DEFAULT_STALL_TIMEOUT_MS, RETRY_MODES, S3ZipSyncError, endpointUrlMistake, type ClientOptions, type RetryMode } from '../../src/static-entry.js';
import { parseCount, parseSeconds } from '../parse-count.js';

export interface ClientFlags {
  region?: string;
  endpointUrl?: string;
  forcePathStyle?: boolean;
  profile?: string;
  /** Strings, parsed by clientOptionsFrom so that a refusal quotes what was typed. */
  maxAttempts: string;
  retryMode: RetryMode;
  stallTimeout: string;
}

/** Flags every command that talks to S3 shares. Unset flags fall back to the SDK's standard chain. */
export function withClientFlags(yargs: Argv) {
  return yargs
    .option('region', { type: 'string', describe: 'AWS region (default: AWS_REGION, then the profile)' })
    .option('endpoint-url', { type: 'string', describe: 'S3-compatible endpoint, e.g. http://localhost:4566 (default: AWS_ENDPOINT_URL_S3)' })
    .option('force-path-style', { type: 'boolean', describe: 'Address buckets as endpoint/bucket (LocalStack, MinIO)' })
    .option('profile', { type: 'string', describe: 'Named profile from ~/.aws/config (default: AWS_PROFILE)' })
    .option('max-attempts', { type: 'string', default: '3', describe: 'Attempts per S3 request (and per entry upload), including the first' })
    .option('retry-mode', { choices: RETRY_MODES, default: 'standard' as RetryMode, describe: 'SDK retry mode for failing requests; throttling is handled by --pacer' })
    .option('stall-timeout', { type: 'string', default: String(DEFAULT_STALL_TIMEOUT_MS / 1000), describe: 'Seconds without a byte moving before a request is cut and retried' });
}

export function clientOptionsFrom(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): ClientOptions {
  // The SDK would read these itself, but then the client cannot tell which endpoint it talks to,
  // and messages such as "cannot reach S3 endpoint …" would name AWS instead.
  const [endpoint, from] = flags.endpointUrl
    ? [flags.endpointUrl, '--endpoint-url']
    : env.AWS_ENDPOINT_URL_S3
      ? [env.AWS_ENDPOINT_URL_S3, 'AWS_ENDPOINT_URL_S3']
      : [env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL'];
  // Named as it was given, flag or variable: the library's message would always say --endpoint-url.
  const mistake = endpoint ? endpointUrlMistake(endpoint) : undefined;
  if (mistake) throw new S3ZipSyncError('INVALID_OPTION', `invalid ${from} ${JSON.stringify(endpoint)}: ${mistake}`);
  return {
    ...(flags.region ? { region: flags.region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(flags.forcePathStyle !== undefined ? { forcePathStyle: flags.forcePathStyle } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    maxAttempts: parseCount(flags.maxAttempts, 'max-attempts', 1),
    retryMode: flags.retryMode,
    // At least 1 ms: 0.0001 is positive as typed, and must not become "no timeout".
    stallTimeoutMs: Math.max(1, Math.round(parseSeconds(flags.stallTimeout, 'stall-timeout') * 1000)),
  };
}
