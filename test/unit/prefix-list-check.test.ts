import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createPrefixListCheck } from '../../src/check/prefix-list-check.js';
import { S3ZipSyncError } from '../../src/errors.js';
import { sdkRequests } from '../../src/s3/session.js';
import { sdkError, mockableClient } from '../helpers/sdk-errors.js';

const BUCKET = 'my-bucket';

describe('createPrefixListCheck', () => {
  const s3 = mockClient(S3Client);
  let check: ReturnType<typeof createPrefixListCheck>;

  const inputs = () => s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);

  beforeEach(() => {
    s3.reset();
    check = createPrefixListCheck({ session: sdkRequests(mockableClient()), bucket: BUCKET });
  });
  afterEach(() => s3.reset());

  it('is named list', () => {
    assert.equal(check.strategy, 'list');
  });

  it('exact key present → its size, from one MaxKeys=1 request with Prefix=key', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'dir/a.txt', Size: 42, ETag: '"e"' }],
      IsTruncated: true,
      NextContinuationToken: 'tok',
    });
    assert.deepEqual(await check.check('dir/a.txt'), { size: 42, etag: '"e"' });
    assert.deepEqual(inputs(), [{ Bucket: BUCKET, Prefix: 'dir/a.txt', MaxKeys: 1 }]);
  });

  it('exact key present with 0 bytes → size 0, not null', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'empty', Size: 0 }], IsTruncated: false });
    assert.deepEqual(await check.check('empty'), { size: 0 });
  });

  it('prefix collision: a.txt.bak is not a.txt → null', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'a.txt.bak', Size: 9 }], IsTruncated: false, KeyCount: 1 });
    assert.equal(await check.check('a.txt'), null);
    assert.deepEqual(inputs(), [{ Bucket: BUCKET, Prefix: 'a.txt', MaxKeys: 1 }]);
  });

  it('unsorted listing (s3rver): first page truncated without the key → restarts with MaxKeys 1000 and finds it', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'p/file/child', Size: 1 }], IsTruncated: true, NextContinuationToken: 'token-1' })
      .resolvesOnce({ Contents: [{ Key: 'p/file/child', Size: 1 }, { Key: 'p/file', Size: 77 }], IsTruncated: false });
    assert.deepEqual(await check.check('p/file'), { size: 77 });
    // s3rver's continuation tokens skip keys when it lists unsorted, so the second request starts
    // the listing over with full pages instead of following token-1.
    assert.deepEqual(inputs(), [
      { Bucket: BUCKET, Prefix: 'p/file', MaxKeys: 1 },
      { Bucket: BUCKET, Prefix: 'p/file', MaxKeys: 1000 },
    ]);
  });

  it('after the restart, follows continuation tokens of full pages until the key is found', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'p/file/a' }], IsTruncated: true, NextContinuationToken: 'small' })
      .resolvesOnce({ Contents: [{ Key: 'p/file/a' }, { Key: 'p/file/b' }], IsTruncated: true, NextContinuationToken: 't1' })
      .resolvesOnce({ Contents: [{ Key: 'p/file/c' }, { Key: 'p/file', Size: 5, ETag: '"x"' }], IsTruncated: false });
    assert.deepEqual(await check.check('p/file'), { size: 5, etag: '"x"' });
    assert.deepEqual(inputs(), [
      { Bucket: BUCKET, Prefix: 'p/file', MaxKeys: 1 },
      { Bucket: BUCKET, Prefix: 'p/file', MaxKeys: 1000 },
      { Bucket: BUCKET, Prefix: 'p/file', MaxKeys: 1000, ContinuationToken: 't1' },
    ]);
  });

  it('follows every truncated page, then answers null when the key never appears', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'k/1' }], IsTruncated: true, NextContinuationToken: 't0' })
      .resolvesOnce({ Contents: [{ Key: 'k/1' }], IsTruncated: true, NextContinuationToken: 't1' })
      .resolvesOnce({ Contents: [{ Key: 'k/2' }], IsTruncated: true, NextContinuationToken: 't2' })
      .resolvesOnce({ Contents: [{ Key: 'k/3' }], IsTruncated: false });
    assert.equal(await check.check('k'), null);
    assert.deepEqual(
      inputs().map((input) => [input.MaxKeys, input.ContinuationToken]),
      [
        [1, undefined],
        [1000, undefined],
        [1000, 't1'],
        [1000, 't2'],
      ],
    );
  });

  it('a truncated page without a continuation token ends the search with null instead of looping', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'k/1' }], IsTruncated: true, NextContinuationToken: 't0' })
      .resolves({ Contents: [{ Key: 'k/1' }], IsTruncated: true });
    assert.equal(await check.check('k'), null);
    assert.equal(inputs().length, 2);
  });

  it('absent with an empty listing → null', async () => {
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0, IsTruncated: false });
    assert.equal(await check.check('missing.txt'), null);
    assert.equal(inputs().length, 1);
  });

  it('absent with an empty Contents array → null', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false });
    assert.equal(await check.check('missing.txt'), null);
  });

  for (const [name, status] of [
    ['AccessDenied', 403],
    ['InternalError', 500],
  ] as const) {
    it(`${status} ${name} → rejects with S3_ERROR, never null`, async () => {
      const cause = sdkError(name, status, `${name} message`);
      s3.on(ListObjectsV2Command).rejects(cause);
      await assert.rejects(check.check('a.txt'), (error: unknown) => {
        assert.ok(error instanceof S3ZipSyncError);
        assert.equal(error.code, 'S3_ERROR');
        assert.match(error.message, new RegExp(`^ListObjectsV2 failed: ${name} \\(HTTP ${status}\\)`));
        assert.equal(error.cause, cause);
        return true;
      });
    });
  }

  it('an error on a later page rejects too, never null', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'p/x' }], IsTruncated: true, NextContinuationToken: 't' })
      .rejectsOnce(sdkError('InternalError', 500));
    await assert.rejects(check.check('p'), { code: 'S3_ERROR' });
    assert.equal(inputs().length, 2);
    s3.reset();
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'p/x' }], IsTruncated: true, NextContinuationToken: 't' })
      .resolvesOnce({ Contents: [{ Key: 'p/x' }], IsTruncated: true, NextContinuationToken: 't1' })
      .rejectsOnce(sdkError('InternalError', 500));
    await assert.rejects(check.check('p'), { code: 'S3_ERROR' });
  });

  it('NoSuchKey-like 404 from the listing is an error, not absence', async () => {
    s3.on(ListObjectsV2Command).rejects(sdkError('NoSuchBucket', 404));
    await assert.rejects(check.check('a.txt'), { code: 'S3_ERROR' });
  });
});
