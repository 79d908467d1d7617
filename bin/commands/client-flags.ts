import type { Argv } from 'yargs';
import { S3ZipSyncError, DEFAULT_STALL_TIMEOUT_MS, RETRY_MODES, type ClientOptions, type RetryMode } from '../../src/static-entry.js';

export interface ClientFlags {
  region?: string;
  endpointUrl?: string;
  forcePathStyle?: boolean;
  profile?: string;
  maxAttempts: number;
  retryMode: RetryMode;
  stallTimeout: number;
}

/** Flags every command that talks to S3 shares. Unset flags fall back to the SDK's standard chain. */
export function withClientFlags(yargs: Argv) {
  return yargs
    .option('region', { type: 'string', describe: 'AWS region (default: AWS_REGION, then the profile)' })
    .option('endpoint-url', { type: 'string', describe: 'S3-compatible endpoint, e.g. http://localhost:4566 (default: AWS_ENDPOINT_URL_S3)' })
    .option('force-path-style', { type: 'boolean', describe: 'Address buckets as endpoint/bucket (LocalStack, MinIO)' })
    .option('profile', { type: 'string', describe: 'Named profile from ~/.aws/config (default: AWS_PROFILE)' })
    .option('max-attempts', { type: 'number', default: 3, describe: 'Attempts per S3 request (and per entry upload), including the first' })
    .option('retry-mode', { choices: RETRY_MODES, default: 'standard' as RetryMode, describe: 'SDK retry mode for failing requests; throttling is handled by --pacer' })
    .option('stall-timeout', { type: 'number', default: DEFAULT_STALL_TIMEOUT_MS / 1000, describe: 'Seconds without a byte moving before a request is cut and retried' });
}

export function clientOptionsFrom(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): ClientOptions {
  // The SDK would read these itself, but then the client cannot tell which endpoint it talks to,
  // and messages such as "cannot reach S3 endpoint …" would name AWS instead.
  const endpoint = flags.endpointUrl || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  return {
    ...(flags.region ? { region: flags.region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(flags.forcePathStyle !== undefined ? { forcePathStyle: flags.forcePathStyle } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    maxAttempts: flags.maxAttempts,
    retryMode: flags.retryMode,
    stallTimeoutMs: stallTimeoutMs(flags.stallTimeout),
  };
}

function stallTimeoutMs(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new S3ZipSyncError('INVALID_OPTION', `invalid --stall-timeout: ${String(seconds)} (expected a positive number of seconds)`);
  }
  return Math.round(seconds * 1000);
}
