import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { S3ZipSyncError, type ErrorCode } from '../../src/errors.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { preflight } from '../../src/s3/preflight.js';
import { sdkRequests } from '../../src/s3/session.js';
import { sdkError, mockableClient } from '../helpers/sdk-errors.js';

const BUCKET = 'my-bucket';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

/** Runs preflight against a mocked rejection and returns the S3ZipSyncError it throws. */
async function preflightFailure(s3: ReturnType<typeof mockClient>, cause: Error): Promise<S3ZipSyncError> {
  s3.on(ListObjectsV2Command).rejects(cause);
  let thrown: unknown;
  await assert.rejects(
    preflight(sdkRequests(mockableClient()), BUCKET, 'prefix/').catch((error: unknown) => {
      thrown = error;
      throw error;
    }),
  );
  assert.ok(thrown instanceof S3ZipSyncError, `expected S3ZipSyncError, got ${String(thrown)}`);
  assert.equal(thrown.cause, cause);
  assert.ok(!/[\r\n]/.test(thrown.message), `message is not one line: ${JSON.stringify(thrown.message)}`);
  return thrown;
}

describe('preflight (mocked S3)', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterEach(() => s3.reset());
  after(() => s3.restore());

  it('succeeds with one ListObjectsV2 of MaxKeys 1 under the prefix', async () => {
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    await preflight(sdkRequests(mockableClient()), BUCKET, 'prefix/');
    const calls = s3.commandCalls(ListObjectsV2Command);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.args[0].input, { Bucket: BUCKET, Prefix: 'prefix/', MaxKeys: 1 });
  });

  it('NoSuchBucket → BUCKET_NOT_FOUND', async () => {
    const error = await preflightFailure(s3, sdkError('NoSuchBucket', 404, 'The specified bucket does not exist'));
    assert.equal(error.code, 'BUCKET_NOT_FOUND');
    assert.equal(error.message, `bucket not found: ${BUCKET} at https://s3.us-east-1.amazonaws.com; check the bucket name, \`region\` and \`endpoint\``);
  });

  it('bare 404 (no error code in the body) → BUCKET_NOT_FOUND', async () => {
    const error = await preflightFailure(s3, sdkError('NotFound', 404, 'UnknownError'));
    assert.equal(error.code, 'BUCKET_NOT_FOUND');
    assert.equal(error.message, `bucket not found: ${BUCKET} at https://s3.us-east-1.amazonaws.com; check the bucket name, \`region\` and \`endpoint\``);
  });

  for (const name of ['InvalidAccessKeyId', 'SignatureDoesNotMatch']) {
    it(`${name} (403) → INVALID_CREDENTIALS, not ACCESS_DENIED`, async () => {
      const error = await preflightFailure(s3, sdkError(name, 403, `${name} happened`));
      assert.equal(error.code, 'INVALID_CREDENTIALS');
      assert.match(error.message, new RegExp(`bucket ${BUCKET}`));
      assert.match(error.message, new RegExp(`${name} \\(HTTP 403\\)`));
    });
  }

  it('ExpiredToken (400) → INVALID_CREDENTIALS', async () => {
    const error = await preflightFailure(s3, sdkError('ExpiredToken', 400, 'The provided token has expired.'));
    assert.equal(error.code, 'INVALID_CREDENTIALS');
  });

  it('AccessDenied (403) → ACCESS_DENIED naming the bucket and the permissions needed', async () => {
    const error = await preflightFailure(s3, sdkError('AccessDenied', 403, 'Access Denied'));
    assert.equal(error.code, 'ACCESS_DENIED');
    assert.match(error.message, new RegExp(`access denied to bucket ${BUCKET}`));
    assert.match(error.message, /s3:ListBucket/);
  });

  it('bare 403 → ACCESS_DENIED', async () => {
    const error = await preflightFailure(s3, sdkError('Forbidden', 403, 'UnknownError'));
    assert.equal(error.code, 'ACCESS_DENIED');
  });

  it('PermanentRedirect (301) → INVALID_OPTION suggesting the region option', async () => {
    const error = await preflightFailure(s3, sdkError('PermanentRedirect', 301, 'The bucket is in this region: eu-west-1.'));
    assert.equal(error.code, 'INVALID_OPTION');
    assert.match(error.message, /`region`/);
    assert.equal((error as { option?: string }).option, 'region');
  });

  it('500 → S3_ERROR naming the bucket', async () => {
    const error = await preflightFailure(s3, sdkError('InternalError', 500, 'We encountered an internal error.'));
    assert.equal(error.code, 'S3_ERROR');
    assert.match(error.message, new RegExp(`cannot list bucket ${BUCKET}: InternalError \\(HTTP 500\\)`));
  });

  it('network error on a mocked client → ENDPOINT_UNREACHABLE', async () => {
    const error = await preflightFailure(s3, Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
    assert.equal(error.code, 'ENDPOINT_UNREACHABLE');
    // No endpoint configured: named from the region.
    assert.match(error.message, /^cannot reach S3 endpoint https:\/\/s3\.us-east-1\.amazonaws\.com: ECONNREFUSED/);
  });

  const echoing: Array<[string, number | undefined, string, ErrorCode]> = [
    ['InvalidAccessKeyId', 403, `The AWS Access Key Id ${KEY_ID} does not exist in our records.`, 'INVALID_CREDENTIALS'],
    ['SignatureDoesNotMatch', 403, `Credential=${KEY_ID}/20240101/us-east-1/s3/aws4_request signature mismatch`, 'INVALID_CREDENTIALS'],
    ['AccessDenied', 403, `User arn:aws:iam::123:user/x (key ${KEY_ID}) is not authorized`, 'ACCESS_DENIED'],
    ['NoSuchBucket', 404, `no bucket for ${KEY_ID}`, 'BUCKET_NOT_FOUND'],
    ['InternalError', 500, `oops ${KEY_ID}\nsecond line ${KEY_ID}`, 'S3_ERROR'],
    ['PermanentRedirect', 301, `redirect for ${KEY_ID}`, 'INVALID_OPTION'],
  ];
  for (const [name, status, message, code] of echoing) {
    it(`never puts the access key id in the message (${name} echoing it)`, async () => {
      const error = await preflightFailure(s3, sdkError(name, status, message, { AWSAccessKeyId: KEY_ID }));
      assert.equal(error.code, code);
      assert.ok(!error.message.includes(KEY_ID), error.message);
      assert.ok(!String(error).includes(KEY_ID), String(error));
    });
  }

  it('never puts the access key id in an ENDPOINT_UNREACHABLE message', async () => {
    const error = await preflightFailure(
      s3,
      Object.assign(new Error(`connect ECONNREFUSED while signing with ${KEY_ID}`), { code: 'ECONNREFUSED' }),
    );
    assert.equal(error.code, 'ENDPOINT_UNREACHABLE');
    assert.ok(!error.message.includes(KEY_ID), error.message);
  });
});

describe('preflight (real client, unreachable endpoint)', () => {
  it('ECONNREFUSED → ENDPOINT_UNREACHABLE naming the endpoint, without the key id', async () => {
    const client = createS3Client({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: KEY_ID, secretAccessKey: 'x' },
    });
    try {
      await assert.rejects(preflight(sdkRequests(client), BUCKET, ''), (error: unknown) => {
        assert.ok(error instanceof S3ZipSyncError, String(error));
        assert.equal(error.code, 'ENDPOINT_UNREACHABLE');
        assert.match(error.message, /^cannot reach S3 endpoint http:\/\/127\.0\.0\.1:9: ECONNREFUSED/);
        assert.ok(!error.message.includes(KEY_ID), error.message);
        assert.ok(!/[\r\n]/.test(error.message), error.message);
        return true;
      });
    } finally {
      client.destroy();
    }
  });
});
