import type { Argv } from 'yargs';
import type { ClientOptions } from '../../src/index.js';

export interface ClientFlags {
  region?: string;
  endpointUrl?: string;
  forcePathStyle?: boolean;
  profile?: string;
  maxAttempts: number;
}

/** Flags every command that talks to S3 shares. Unset flags fall back to the SDK's standard chain. */
export function withClientFlags(yargs: Argv) {
  return yargs
    .option('region', { type: 'string', describe: 'AWS region (default: AWS_REGION, then the profile)' })
    .option('endpoint-url', { type: 'string', describe: 'S3-compatible endpoint, e.g. http://localhost:4566 (default: AWS_ENDPOINT_URL_S3)' })
    .option('force-path-style', { type: 'boolean', describe: 'Address buckets as endpoint/bucket (LocalStack, MinIO)' })
    .option('profile', { type: 'string', describe: 'Named profile from ~/.aws/config (default: AWS_PROFILE)' })
    .option('max-attempts', { type: 'number', default: 3, describe: 'Attempts per S3 request, including the first' });
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
  };
}
