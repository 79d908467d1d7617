import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createHeadCheck } from '../../src/check/head-check.js';
import { S3ZipSyncError } from '../../src/errors.js';
import { sdkRequests } from '../../src/s3/session.js';
import { sdkError, mockableClient } from '../helpers/sdk-errors.js';

const BUCKET = 'my-bucket';

describe('createHeadCheck', () => {
  const s3 = mockClient(S3Client);
  let check: ReturnType<typeof createHeadCheck>;

  beforeEach(() => {
    s3.reset();
    check = createHeadCheck({ session: sdkRequests(mockableClient()), bucket: BUCKET });
  });
  afterEach(() => s3.reset());

  it('is named head', () => {
    assert.equal(check.strategy, 'head');
  });

  it('describes itself before any check (the -v start line) without a count of 0, then with the count', async () => {
    assert.equal(check.describe(), 'HeadObject per key');
    s3.on(HeadObjectCommand).resolves({ ContentLength: 1 });
    await check.check('a.txt');
    assert.equal(check.describe(), 'HeadObject for 1 key');
    await check.check('b.txt');
    assert.equal(check.describe(), 'HeadObject for 2 keys');
  });

  it('present → size (and etag) from HeadObject, one request with Bucket and Key', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 1234, ETag: '"e1"' });
    assert.deepEqual(await check.check('dir/a.txt'), { size: 1234, etag: '"e1"', metadataKnown: true, gzipped: false, headers: { metadata: {} } });
    const calls = s3.commandCalls(HeadObjectCommand);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.args[0].input, { Bucket: BUCKET, Key: 'dir/a.txt' });
  });

  it('reads the stored crc32, the original size and the gzip encoding; ignores malformed values', async () => {
    s3.on(HeadObjectCommand)
      .resolvesOnce({ ContentLength: 40, ContentEncoding: 'gzip', Metadata: { 's3zipsync-crc32': '0d4a1185', 's3zipsync-size': '110' } })
      .resolvesOnce({ ContentLength: 11, Metadata: { 's3zipsync-crc32': 'nothex!!', 's3zipsync-size': '-1' } });
    assert.deepEqual(await check.check('a'), { size: 40, metadataKnown: true, gzipped: true, crc32: 0x0d4a1185, originalSize: 110, headers: { metadata: {} } });
    assert.deepEqual(await check.check('b'), { size: 11, metadataKnown: true, gzipped: false, headers: { metadata: {} } });
  });

  it('present 0-byte object → size 0, not null', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 0 });
    assert.deepEqual(await check.check('empty'), { size: 0, metadataKnown: true, gzipped: false, headers: { metadata: {} } });
  });

  it('absent (404 NotFound shaped like the SDK) → null', async () => {
    const notFound = sdkError('NotFound', 404, 'UnknownError');
    s3.on(HeadObjectCommand).rejects(notFound);
    // The mock must hand our error over unchanged, or this test proves nothing.
    await assert.rejects(mockableClient().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'x' })), (e: unknown) => e === notFound);
    assert.equal(await check.check('missing.txt'), null);
  });

  it('absent (NoSuchKey without status) → null', async () => {
    s3.on(HeadObjectCommand).rejects(sdkError('NoSuchKey', undefined));
    assert.equal(await check.check('missing.txt'), null);
  });

  it('403 → ACCESS_DENIED mentioning s3:ListBucket, the key and the bucket', async () => {
    const denied = sdkError('Forbidden', 403, 'UnknownError');
    s3.on(HeadObjectCommand).rejects(denied);
    await assert.rejects(check.check('dir/a.txt'), (error: unknown) => {
      assert.ok(error instanceof S3ZipSyncError);
      assert.equal(error.code, 'ACCESS_DENIED');
      assert.match(error.message, /s3:ListBucket/);
      assert.match(error.message, /dir\/a\.txt/);
      assert.match(error.message, new RegExp(BUCKET));
      assert.equal(error.cause, denied);
      return true;
    });
  });

  it('500 → S3_ERROR, never null', async () => {
    s3.on(HeadObjectCommand).rejects(sdkError('InternalError', 500, 'We encountered an internal error.'));
    await assert.rejects(check.check('a.txt'), (error: unknown) => {
      assert.ok(error instanceof S3ZipSyncError);
      assert.equal(error.code, 'S3_ERROR');
      assert.match(error.message, /HeadObject failed: InternalError \(HTTP 500\): We encountered an internal error\./);
      return true;
    });
  });

  it('503 SlowDown → S3_ERROR, never null', async () => {
    s3.on(HeadObjectCommand).rejects(sdkError('SlowDown', 503));
    await assert.rejects(check.check('a.txt'), { code: 'S3_ERROR' });
  });

  it('network error (ECONNRESET) → rejects with S3_ERROR naming the code', async () => {
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await assert.rejects(check.check('a.txt'), (error: unknown) => {
      assert.ok(error instanceof S3ZipSyncError);
      assert.equal(error.code, 'S3_ERROR');
      assert.match(error.message, /ECONNRESET/);
      return true;
    });
  });

  it('passes the abort signal to the SDK', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 1 });
    const controller = new AbortController();
    await check.check('a.txt', controller.signal);
    // The stub's typings only declare the command; send(command, options) still records both.
    const args = s3.commandCalls(HeadObjectCommand)[0]!.args as unknown[];
    const options = args[1] as { abortSignal?: AbortSignal } | undefined;
    assert.equal(options?.abortSignal, controller.signal);
  });
});

