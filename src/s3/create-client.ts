import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3ZipSyncError } from '../errors.js';
import { describeAccess } from './connection.js';
import { endpointUrlMistake } from './endpoint-url.js';
import { silenceSdkNodeVersionWarning } from './sdk-node-warning.js';
import { silentLogger } from './silent-logger.js';

export interface ClientOptions {
  /** e.g. `us-east-1`; falls back to the SDK's chain (AWS_REGION, profile). */
  region?: string;
  /** An S3-compatible endpoint (LocalStack, MinIO, s3rver); falls back to AWS_ENDPOINT_URL_S3 via the SDK. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** SDK attempts per request (including the first). */
  maxAttempts?: number;
  /** Sockets kept per host; should be ≥ the sync concurrency so connections are reused, not re-opened. */
  maxSockets?: number;
  credentials?: S3ClientConfig['credentials'];
  /** Named profile from the shared config files; falls back to AWS_PROFILE via the SDK. */
  profile?: string;
  /** SDK retry mode: `standard` (default) or `adaptive` (adds client-side rate limiting after throttling). */
  retryMode?: RetryMode;
  /** Cut a request whose socket moves no byte either way for this long (stalled upload or download body). */
  stallTimeoutMs?: number;
}

import { DEFAULT_STALL_TIMEOUT_MS, RETRY_MODES, type RetryMode } from '../option-defaults.js';
export { DEFAULT_STALL_TIMEOUT_MS, RETRY_MODES, type RetryMode };

/**
 * An S3 client configured for both AWS and S3-compatible servers.
 *
 * Checksums are computed only when an operation requires them. Since SDK 3.729 the default sends
 * streamed bodies as `aws-chunked` with a trailing CRC32, which several S3-compatible servers (s3rver
 * among them) store verbatim, framing included. Our own integrity check is the zip's CRC32, verified
 * on every byte we read before the last byte is released to the upload (see verify-stream.ts), so the
 * request checksum adds nothing we rely on and breaks servers we must support.
 */
export function createS3Client(options: ClientOptions = {}): S3Client {
  const mistake = options.endpoint === undefined ? undefined : endpointUrlMistake(options.endpoint);
  if (mistake) throw new S3ZipSyncError('INVALID_OPTION', `invalid \`endpoint\` ${JSON.stringify(options.endpoint)}: ${mistake}`, { option: 'endpoint' });
  const maxSockets = options.maxSockets ?? 64;
  silenceSdkNodeVersionWarning();
  return new S3Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: options.retryMode ?? 'standard',
    followRegionRedirects: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    logger: silentLogger,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 10_000,
      // The handler's requestTimeout only covers the wait for response headers (and only warns by
      // default); socketTimeout is an inactivity timer that stays armed while either body streams,
      // so a body that stops moving mid-transfer fails the attempt with a retryable TimeoutError.
      socketTimeout: options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    }),
  });
}

/** A human-readable name of where the client's requests go, for error messages. Never includes credentials. */
export function describeEndpoint(client: S3Client): Promise<string> {
  return describeAccess(client);
}
