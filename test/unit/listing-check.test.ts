import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createListingCheck } from '../../src/check/listing-check.js';
import { createHeadCheck } from '../../src/check/head-check.js';
import { S3ZipSyncError } from '../../src/errors.js';
import { sdkRequests } from '../../src/s3/session.js';
import { mockableClient, sdkError } from '../helpers/sdk-errors.js';

const BUCKET = 'my-bucket';

const objects = (keys: string[], size = 1) => keys.map((Key) => ({ Key, Size: size }));

describe('createListingCheck', () => {
  const s3 = mockClient(S3Client);
  const client = mockableClient();
  const bulk = (listBudget?: number) =>
    createListingCheck(
      { session: sdkRequests(client), bucket: BUCKET },
      { fallback: createHeadCheck({ session: sdkRequests(client), bucket: BUCKET }), ...(listBudget === undefined ? {} : { listBudget }) },
    );
  const listInputs = () => s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);

  beforeEach(() => s3.reset());
  afterEach(() => s3.reset());

  it('lists the keys’ common prefix page by page, then answers every key from the listing', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: objects(['s/d/a', 's/d/b']), IsTruncated: true, NextContinuationToken: 't1' })
      .resolvesOnce({ Contents: [{ Key: 's/d/c', Size: 7, ETag: '"e"' }], IsTruncated: false });
    const check = bulk();
    await check.start(['s/d/a', 's/d/c', 's/d/new']);
    assert.deepEqual(await check.check('s/d/a'), { size: 1 });
    assert.deepEqual(await check.check('s/d/c'), { size: 7, etag: '"e"' });
    assert.equal(await check.check('s/d/new'), null);
    assert.deepEqual(listInputs(), [
      { Bucket: BUCKET, Prefix: 's/d/', MaxKeys: 1000 },
      { Bucket: BUCKET, Prefix: 's/d/', MaxKeys: 1000, ContinuationToken: 't1' },
    ]);
    assert.equal(s3.commandCalls(HeadObjectCommand).length, 0);
    assert.deepEqual({ pages: check.stats.pages, listed: check.stats.listed, state: check.stats.state }, { pages: 2, listed: 3, state: 'complete' });
  });

  it('answers a listed key before the listing ends, and an absent one only after it', async () => {
    let releaseSecondPage!: () => void;
    const secondPage = new Promise<void>((resolve) => (releaseSecondPage = resolve));
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: objects(['k/a']), IsTruncated: true, NextContinuationToken: 't1' })
      .callsFakeOnce(async () => {
        await secondPage;
        return { Contents: objects(['k/b']), IsTruncated: false };
      });
    const check = bulk();
    await check.start(['k/a', 'k/b', 'k/c']);
    const order: string[] = [];
    const answers = ['k/a', 'k/b', 'k/c'].map((key) => check.check(key).then((answer) => order.push(key) && answer));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(order, ['k/a'], 'only the listed key is answered while the listing waits');
    releaseSecondPage();
    assert.deepEqual(await Promise.all(answers), [{ size: 1 }, { size: 1 }, null]);
  });

  it('peek: a listed key\'s answer at once, "absent" once the listing has ended, nothing while it may still come', async () => {
    let releaseSecondPage!: () => void;
    const secondPage = new Promise<void>((resolve) => (releaseSecondPage = resolve));
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'k/a', Size: 3, ETag: '"a"' }], IsTruncated: true, NextContinuationToken: 't1' })
      .callsFakeOnce(async () => {
        await secondPage;
        return { Contents: objects(['k/b']), IsTruncated: false };
      });
    const check = bulk();
    await check.start(['k/a', 'k/b', 'k/c']);
    assert.deepEqual(check.peek?.('k/a'), { size: 3, etag: '"a"' });
    assert.equal(check.peek?.('k/b'), undefined, 'not listed yet');
    assert.equal(check.peek?.('k/c'), undefined, 'may be on the next page');
    releaseSecondPage();
    assert.equal(await check.check('k/c'), null);
    assert.deepEqual(check.peek?.('k/b'), { size: 1 });
    assert.equal(check.peek?.('k/c'), null);
  });

  it('keeps only the archive’s keys: listed objects that are not asked about are not stored', async () => {
    s3.on(ListObjectsV2Command).resolvesOnce({ Contents: objects(['p/a', 'p/other-1', 'p/other-2']), IsTruncated: false });
    const check = bulk();
    await check.start(['p/a', 'p/b']);
    assert.equal(check.stats.listed, 3);
    assert.deepEqual(await check.check('p/a'), { size: 1 });
    assert.equal(await check.check('p/b'), null);
  });

  it('an empty prefix: one request, everything absent', async () => {
    s3.on(ListObjectsV2Command).resolvesOnce({ KeyCount: 0, IsTruncated: false });
    const check = bulk();
    await check.start(['x/1', 'x/2']);
    assert.equal(await check.check('x/1'), null);
    assert.equal(listInputs().length, 1);
  });

  it('a listing out of S3’s byte order (s3rver) may have skipped keys: unlisted keys are confirmed by HEAD', async () => {
    s3.on(ListObjectsV2Command).resolvesOnce({ Contents: objects(['o/b', 'o/a']), IsTruncated: false });
    s3.on(HeadObjectCommand).resolves({ ContentLength: 5 });
    const check = bulk();
    await check.start(['o/a', 'o/b', 'o/c']);
    assert.deepEqual(await check.check('o/a'), { size: 1 });
    assert.deepEqual(await check.check('o/c'), { size: 5, metadataKnown: true, gzipped: false, headers: { metadata: {} } });
    assert.deepEqual(
      s3.commandCalls(HeadObjectCommand).map((call) => call.args[0].input.Key),
      ['o/c'],
    );
    assert.match(check.describe(), /out of S3's key order/);
  });

  it('with a budget: stops listing once more objects than the budget were shown, and asks HEAD for the unlisted keys', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: objects(['b/a', 'b/x1', 'b/x2']), IsTruncated: true, NextContinuationToken: 't1' })
      .resolvesOnce({ Contents: objects(['b/x3', 'b/x4', 'b/x5']), IsTruncated: true, NextContinuationToken: 't2' })
      .resolves({ Contents: objects(['b/never']), IsTruncated: false });
    s3.on(HeadObjectCommand).rejects(sdkError('NotFound', 404));
    const check = bulk(4);
    await check.start(['b/a', 'b/z']);
    assert.deepEqual(await check.check('b/a'), { size: 1 }, 'a key the listing showed needs no HEAD');
    assert.equal(await check.check('b/z'), null);
    assert.equal(listInputs().length, 2, 'stopped after the page that went over the budget');
    assert.deepEqual(
      s3.commandCalls(HeadObjectCommand).map((call) => call.args[0].input.Key),
      ['b/z'],
    );
    assert.equal(check.stats.state, 'stopped');
    assert.match(check.describe(), /stopped \(more than 4 objects\), then HeadObject for 1 key$/);
  });

  it('the first page is the preflight: a missing bucket fails start() with BUCKET_NOT_FOUND', async () => {
    s3.on(ListObjectsV2Command).rejects(sdkError('NoSuchBucket', 404));
    const check = bulk();
    await assert.rejects(check.start(['a']), (error: unknown) => {
      assert.ok(error instanceof S3ZipSyncError);
      assert.equal(error.code, 'BUCKET_NOT_FOUND');
      assert.match(error.message, /my-bucket/);
      return true;
    });
  });

  it('a later page failing fails every key still waiting, with the listing named', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: objects(['f/a']), IsTruncated: true, NextContinuationToken: 't1' })
      .rejectsOnce(sdkError('InternalError', 500, 'We encountered an internal error'));
    const check = bulk();
    await check.start(['f/a', 'f/b']);
    assert.deepEqual(await check.check('f/a'), { size: 1 });
    await assert.rejects(check.check('f/b'), (error: unknown) => {
      assert.ok(error instanceof S3ZipSyncError);
      assert.equal(error.code, 'S3_ERROR');
      assert.match(error.message, /ListObjectsV2 of my-bucket\/f\/ failed/);
      return true;
    });
  });
});
