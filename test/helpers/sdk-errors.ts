import { S3Client } from '@aws-sdk/client-s3';
import { silenceSdkNodeVersionWarning } from '../../src/s3/sdk-node-warning.js';

/** An error shaped like the SDK's service errors: `name` is the S3 code, `$metadata` the HTTP status. */
export function sdkError(name: string, status: number | undefined, message = name, extra: object = {}): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: status === undefined ? {} : { httpStatusCode: status, requestId: 'req-1', attempts: 1 },
    ...extra,
  });
}

/** A client for aws-sdk-client-mock: never sends anything, so any credentials do. */
export function mockableClient(): S3Client {
  // A bare S3Client, unlike createS3Client's, would print the SDK's Node-version warning into the test output.
  silenceSdkNodeVersionWarning();
  return new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
}
