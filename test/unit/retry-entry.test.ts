import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/s3/create-client.js';
import { S3ZipSyncError } from '../../src/errors.js';
import { retryErrorType, withEntryRetries } from '../../src/upload/retry-entry.js';
import { sdkError } from '../helpers/sdk-errors.js';

const wrapped = (cause: unknown) => new S3ZipSyncError('S3_ERROR', 'upload failed', { cause });
const networkError = (code: string) => Object.assign(new Error(code), { code });

function client(maxAttempts: number, retryMode: 'standard' | 'adaptive' = 'standard'): S3Client {
  return createS3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts, retryMode });
}

describe('retryErrorType', () => {
  const cases: Array<[string, unknown, string | null]> = [
    ['500 InternalError', wrapped(sdkError('InternalError', 500)), 'TRANSIENT'],
    ['503 SlowDown', wrapped(sdkError('SlowDown', 503)), 'THROTTLING'],
    ['429', wrapped(sdkError('TooManyRequests', 429)), 'THROTTLING'],
    ['408 RequestTimeout', wrapped(sdkError('RequestTimeout', 408)), 'TRANSIENT'],
    ['socket timeout (stall)', wrapped(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })), 'TRANSIENT'],
    ['connection reset', wrapped(networkError('ECONNRESET')), 'TRANSIENT'],
    ['broken pipe', wrapped(networkError('EPIPE')), 'TRANSIENT'],
    ['501 NotImplemented', wrapped(sdkError('NotImplemented', 501)), 'SERVER_ERROR'],
    ['403 AccessDenied', wrapped(sdkError('AccessDenied', 403)), 'CLIENT_ERROR'],
    ['400 InvalidRequest', wrapped(sdkError('InvalidRequest', 400)), 'CLIENT_ERROR'],
    ['corrupt entry', new S3ZipSyncError('ENTRY_CORRUPT', 'corrupt entry "a"'), null],
    ['aborted', new S3ZipSyncError('ABORTED', 'upload of a aborted'), null],
    ['multipart not aborted', new S3ZipSyncError('MULTIPART_NOT_ABORTED', 'x', { cause: sdkError('InternalError', 500) }), null],
    ['S3_ERROR without a cause', new S3ZipSyncError('S3_ERROR', 'x'), null],
  ];
  for (const [label, error, expected] of cases) {
    it(`${label} → ${expected ?? 'never retried'}`, () => assert.equal(retryErrorType(error), expected));
  }
});

describe('withEntryRetries', () => {
  it('retries a transient failure with a fresh attempt until it succeeds', async () => {
    const seen: number[] = [];
    const result = await withEntryRetries(client(3), async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw wrapped(sdkError('InternalError', 500));
      return 'stored';
    });
    assert.equal(result, 'stored');
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('stops at maxAttempts and throws the last failure', async () => {
    let attempts = 0;
    const failure = wrapped(networkError('ECONNRESET'));
    await assert.rejects(
      withEntryRetries(client(2), async () => {
        attempts++;
        throw failure;
      }),
      (error) => error === failure,
    );
    assert.equal(attempts, 2);
  });

  it('never retries a corrupt entry, a 403 or a 400', async () => {
    for (const error of [
      new S3ZipSyncError('ENTRY_CORRUPT', 'corrupt entry "a"'),
      wrapped(sdkError('AccessDenied', 403)),
      wrapped(sdkError('InvalidRequest', 400)),
    ]) {
      let attempts = 0;
      await assert.rejects(
        withEntryRetries(client(5), async () => {
          attempts++;
          throw error;
        }),
      );
      assert.equal(attempts, 1, error.message);
    }
  });

  it('maxAttempts 1 means one attempt', async () => {
    let attempts = 0;
    await assert.rejects(withEntryRetries(client(1), async () => {
      attempts++;
      throw wrapped(sdkError('InternalError', 500));
    }));
    assert.equal(attempts, 1);
  });

  it('works with the adaptive strategy (throttling is retried)', async () => {
    let attempts = 0;
    await withEntryRetries(client(3, 'adaptive'), async () => {
      if (++attempts === 1) throw wrapped(sdkError('SlowDown', 503));
    });
    assert.equal(attempts, 2);
  });

  it('an abort during the backoff wait ends it at once, without another attempt', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const started = Date.now();
    // The SDK's jitter draws from Math.random: pin it so the wait is ~500 ms, not anywhere from 0.
    const random = Math.random;
    Math.random = () => 0.99;
    const run = withEntryRetries(
      client(5),
      async () => {
        attempts++;
        // Throttling backs off from 500 ms: long enough to abort inside the wait.
        setTimeout(() => controller.abort(), 20);
        throw wrapped(sdkError('SlowDown', 503));
      },
      controller.signal,
    );
    try {
      await assert.rejects(run);
    } finally {
      Math.random = random;
    }
    assert.equal(attempts, 1);
    assert.ok(Date.now() - started < 400, 'did not sit out the backoff');
  });
});
