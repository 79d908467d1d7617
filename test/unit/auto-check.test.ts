import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AUTO_LIST_BUDGET_PER_KEY, AUTO_PER_KEY_BELOW, createAutoCheck } from '../../src/check/auto-check.js';
import { sdkRequests } from '../../src/s3/session.js';
import { mockableClient, sdkError } from '../helpers/sdk-errors.js';

const BUCKET = 'my-bucket';
const keys = (count: number) => Array.from({ length: count }, (_, i) => `site/f-${String(i).padStart(4, '0')}`);

describe('createAutoCheck', () => {
  const s3 = mockClient(S3Client);
  const auto = () => createAutoCheck({ session: sdkRequests(mockableClient()), bucket: BUCKET, prefix: 'site/' });
  const heads = () => s3.commandCalls(HeadObjectCommand).length;
  const lists = () => s3.commandCalls(ListObjectsV2Command).length;

  beforeEach(() => s3.reset());
  afterEach(() => s3.reset());

  it(`fewer than ${AUTO_PER_KEY_BELOW} keys: a one-key preflight listing of the prefix, then HeadObject per key`, async () => {
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0, IsTruncated: false });
    s3.on(HeadObjectCommand).rejects(sdkError('NotFound', 404));
    const check = auto();
    const few = keys(AUTO_PER_KEY_BELOW - 1);
    await check.start(few);
    for (const key of few) assert.equal(await check.check(key), null);
    assert.deepEqual(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input, { Bucket: BUCKET, Prefix: 'site/', MaxKeys: 1 });
    assert.equal(lists(), 1);
    assert.equal(heads(), few.length);
    assert.match(check.describe(), /^per-key \(15 keys < 16\): HeadObject for 15 keys$/);
  });

  it('more keys and a prefix holding about as many objects: the listing answers everything, no HEAD', async () => {
    const many = keys(40);
    s3.on(ListObjectsV2Command).resolves({ Contents: many.slice(0, 30).map((Key) => ({ Key, Size: 3 })), IsTruncated: false });
    const check = auto();
    await check.start(many);
    const answers = await Promise.all(many.map((key) => check.check(key)));
    assert.equal(answers.filter((answer) => answer?.size === 3).length, 30);
    assert.equal(answers.filter((answer) => answer === null).length, 10);
    assert.equal(lists(), 1);
    assert.equal(heads(), 0);
    assert.match(check.describe(), /^bulk listing \(40 keys\): ListObjectsV2 of "site\/f-00": 30 objects in 1 page$/);
  });

  it(`a prefix holding more than ${AUTO_LIST_BUDGET_PER_KEY}× the keys: the listing stops, unlisted keys go per key`, async () => {
    const many = keys(20);
    // 1,000 other objects on the first page: over the budget of 20 × 10 = 200.
    const others = Array.from({ length: 999 }, (_, i) => ({ Key: `site/f-00-other-${i}`, Size: 1 }));
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: many[0]!, Size: 9 }, ...others],
      IsTruncated: true,
      NextContinuationToken: 'more',
    });
    s3.on(HeadObjectCommand).rejects(sdkError('NotFound', 404));
    const check = auto();
    await check.start(many);
    const answers = await Promise.all(many.map((key) => check.check(key)));
    assert.deepEqual(answers[0], { size: 9 });
    assert.equal(answers.slice(1).every((answer) => answer === null), true);
    assert.equal(lists(), 1);
    assert.equal(heads(), 19);
    assert.match(check.describe(), /stopped \(more than 200 objects\), then HeadObject for 19 keys/);
  });
});
