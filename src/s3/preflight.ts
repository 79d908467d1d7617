import { S3ZipSyncError } from '../errors.js';
import { describeAccess, type S3Access } from './connection.js';
import { describeS3Error, s3ErrorInfo } from './s3-error.js';
import type { S3Requests } from './session.js';

const INVALID_CREDENTIAL_ERRORS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);

const DNS_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/**
 * One request before any entry data is read, so a wrong bucket, credentials or endpoint is reported
 * once and clearly. ListObjectsV2 rather than HeadBucket: its error body tells a missing bucket
 * (NoSuchBucket), bad credentials (InvalidAccessKeyId, SignatureDoesNotMatch) and a policy denial
 * (AccessDenied) apart, where HeadBucket answers a bare 403 for both of the last two. It needs
 * s3:ListBucket, which every strategy needs anyway: without it S3 answers 403 for missing keys.
 */
export async function preflight(session: S3Requests, bucket: string, prefix: string, signal?: AbortSignal): Promise<void> {
  try {
    await session.transport.listObjectsV2({ bucket, prefix, maxKeys: 1 }, signal);
  } catch (error) {
    throw await listErrorToRunError(session.access, bucket, error);
  }
}

/** Names what a failed ListObjectsV2 says about the run as a whole: bucket, credentials, endpoint. */
export async function listErrorToRunError(access: S3Access, bucket: string, error: unknown): Promise<S3ZipSyncError> {
  const info = s3ErrorInfo(error);
  const detail = describeS3Error(error);
  if (info.network) {
    const endpoint = await describeAccess(access);
    if (DNS_ERRORS.has(info.name)) {
      return new S3ZipSyncError(
        'ENDPOINT_UNREACHABLE',
        `cannot resolve the host of S3 endpoint ${endpoint}: ${detail}; check the host name in \`endpoint\` (or AWS_ENDPOINT_URL_S3) and \`region\``,
        { cause: error, option: ['endpoint', 'region'] },
      );
    }
    return new S3ZipSyncError(
      'ENDPOINT_UNREACHABLE',
      `cannot reach S3 endpoint ${endpoint}: ${detail}; check \`endpoint\` (or AWS_ENDPOINT_URL_S3) and that the server is up and reachable`,
      { cause: error, option: 'endpoint' },
    );
  }
  if (info.name === 'NoSuchBucket' || info.status === 404) {
    const endpoint = await describeAccess(access);
    return new S3ZipSyncError(
      'BUCKET_NOT_FOUND',
      `bucket not found: ${bucket} at ${endpoint}; check the bucket name, \`region\` and \`endpoint\``,
      { cause: error, option: ['bucket', 'region', 'endpoint'] },
    );
  }
  if (info.name === 'CredentialsProviderError') {
    return new S3ZipSyncError(
      'INVALID_CREDENTIALS',
      `no AWS credentials found (${info.message || 'no provider had any'}); looked in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ` +
        `the profile (AWS_PROFILE or default) in ~/.aws/credentials and ~/.aws/config (incl. SSO and credential_process), ` +
        `a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE), and container or EC2 instance metadata`,
      { cause: error },
    );
  }
  if (INVALID_CREDENTIAL_ERRORS.has(info.name)) {
    return new S3ZipSyncError(
      'INVALID_CREDENTIALS',
      `invalid credentials for bucket ${bucket}: ${detail}; check AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and the session token`,
      { cause: error },
    );
  }
  if (info.name === 'AccessDenied' || info.status === 403) {
    return new S3ZipSyncError(
      'ACCESS_DENIED',
      `access denied to bucket ${bucket}: ${detail}; the credentials need s3:ListBucket on the bucket and s3:GetObject, s3:PutObject, s3:AbortMultipartUpload on its objects`,
      { cause: error },
    );
  }
  if (info.name === 'PermanentRedirect' || info.name === 'AuthorizationHeaderMalformed' || info.status === 301) {
    return new S3ZipSyncError('INVALID_OPTION', `bucket ${bucket} is in another region: ${detail}; set \`region\``, {
      cause: error,
      option: 'region',
    });
  }
  return new S3ZipSyncError('S3_ERROR', `cannot list bucket ${bucket}: ${detail}`, { cause: error });
}
