import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AUTO_LIST_BUDGET_PER_KEY, syncZip, type StrategyName } from '../../src/internal.js';
import { makeZip } from '../helpers/zip-fixtures.js';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';

const BUCKET = 'scale-bucket';

const files = (count: number, folder: string, tag = '') =>
  Array.from({ length: count }, (_, i) => ({ name: `${folder}f-${String(i).padStart(5, '0')}.txt`, data: `${tag}${folder}${i}\n` }));

describe('bulk and auto strategies against s3rver', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
  });
  after(async () => {
    await s3?.close();
  });

  const sync = async (zip: Buffer, prefix: string, strategy: StrategyName) =>
    syncZip({ zip, bucket: BUCKET, prefix, client: s3.client, strategy });

  it('bulk lists more than 1,000 keys in key ranges of whole pages: a no-change re-sync of 2,100 entries costs 3 LIST requests, at once, and nothing else', async () => {
    const zip = await makeZip(files(2100, 'many/'));
    const first = await sync(zip, 'paging', 'bulk');
    assert.equal(first.counts.new, 2100);
    assert.deepEqual({ put: first.requests.PutObject, total: first.totalRequests - first.requests.ListObjectsV2! }, { put: 2100, total: 2100 });
    // The first page of an empty prefix is the preflight too; the other two key ranges are asked for
    // only if it takes longer than its head start (30 ms), as it may on a loaded machine.
    assert.ok([1, 3].includes(first.requests.ListObjectsV2!), `${first.requests.ListObjectsV2} ListObjectsV2`);

    const again = await sync(zip, 'paging', 'bulk');
    assert.equal(again.counts.ignored, 2100);
    assert.deepEqual(again.requests, { ListObjectsV2: 3 });
    assert.match(again.strategyDetail, /^ListObjectsV2 of "paging\/many\/f-0": 2100 objects in 3 pages in 3 key ranges in parallel$/);
  });

  it('lists only the archive keys’ common prefix, not everything else under the target prefix', async () => {
    await sync(await makeZip(files(1200, 'other/')), 'narrow', 'bulk');
    const zip = await makeZip(files(30, 'docs/'));
    await sync(zip, 'narrow', 'bulk');

    const again = await sync(zip, 'narrow', 'bulk');
    assert.equal(again.counts.ignored, 30);
    assert.deepEqual(again.requests, { ListObjectsV2: 1 }, 'the 1,200 objects under narrow/other/ are never listed');
    assert.match(again.strategyDetail, /"narrow\/docs\/f-000"/);
  });

  it(`auto takes the listing when the prefix holds about as many objects as the archive: no HEAD`, async () => {
    const zip = await makeZip(files(40, 'a/'));
    const first = await sync(zip, 'auto-small', 'auto');
    assert.equal(first.counts.new, 40);
    assert.deepEqual({ list: first.requests.ListObjectsV2, head: first.requests.HeadObject }, { list: 1, head: undefined });

    const again = await sync(zip, 'auto-small', 'auto');
    assert.equal(again.counts.ignored, 40);
    assert.deepEqual(again.requests, { ListObjectsV2: 1 });
    assert.match(again.strategyDetail, /^bulk listing \(40 keys\)/);
  });

  it(`auto goes per key when the prefix holds more than ${AUTO_LIST_BUDGET_PER_KEY}× the archive’s objects: one LIST page, then HEADs`, async () => {
    // 1,100 objects under crowded/other/ and an archive of 20 entries at crowded/ level, so the
    // keys' common prefix (crowded/) covers the crowd: budget 20 × 10 = 200 objects, one page shows 1,000.
    await sync(await makeZip(files(1100, 'other/')), 'crowded', 'bulk');
    const archive = [...files(19, ''), { name: 'z-last.txt', data: 'z\n' }];
    const zip = await makeZip(archive);
    const first = await sync(zip, 'crowded', 'auto');
    assert.equal(first.counts.new, 20);
    assert.equal(first.requests.ListObjectsV2, 1, 'stopped after the first page');
    assert.equal(first.requests.HeadObject, 20, 'none of the new keys was on that page, so each is asked by HEAD');
    assert.match(first.strategyDetail, /^bulk listing \(20 keys\): .*stopped \(more than 200 objects\), then HeadObject for 20 keys$/);

    const again = await sync(zip, 'crowded', 'auto');
    assert.equal(again.counts.ignored, 20);
    assert.equal(again.requests.ListObjectsV2, 1);
    const listedOnFirstPage = 20 - (again.requests.HeadObject ?? 0);
    assert.ok(listedOnFirstPage >= 0 && listedOnFirstPage <= 20);
    assert.equal(again.totalRequests, 1 + (again.requests.HeadObject ?? 0), 'nothing but one LIST and the HEADs');
    assert.equal((await listKeys(s3.client, BUCKET, 'crowded/')).size, 1120, 'the crowd is untouched');
  });

  it('auto with fewer than 16 entries: one-key preflight listing, then HEAD per entry', async () => {
    const zip = await makeZip(files(3, 'tiny/'));
    const first = await sync(zip, 'few', 'auto');
    assert.deepEqual(first.requests, { ListObjectsV2: 1, HeadObject: 3, PutObject: 3 });
    assert.match(first.strategyDetail, /^per-key \(3 keys < 16\)/);
  });
});

describe('--delete with a listing strategy lists the prefix once', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
  });
  after(async () => {
    await s3?.close();
  });

  it('the mirror listing answers the checks too: one LIST page, no HEAD, no second listing', async () => {
    const zip = await makeZip(files(30, 'site/'));
    await syncZip({ zip, bucket: BUCKET, prefix: 'mirror', client: s3.client, strategy: 'bulk' });
    await syncZip({ zip: await makeZip(files(5, 'stale/')), bucket: BUCKET, prefix: 'mirror', client: s3.client, strategy: 'bulk' });

    const report = await syncZip({ zip, bucket: BUCKET, prefix: 'mirror', client: s3.client, strategy: 'auto', delete: true });
    assert.equal(report.counts.ignored, 30);
    assert.equal(report.deletion?.deleted, 5);
    // DeleteObjects may be sent twice: s3rver races removing a folder that a batch empties (see README).
    const { DeleteObjects: deletes = 0, ...others } = report.requests;
    assert.deepEqual(others, { ListObjectsV2: 1 });
    assert.ok(deletes >= 1 && deletes <= 2, `DeleteObjects ${deletes}`);
    assert.match(report.strategyDetail, /^bulk listing \(a listing the deletion needs anyway\): ListObjectsV2 of "mirror\/": 35 objects in 1 page, shared with the deletion$/);
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'mirror/')).keys()].sort(), files(30, 'site/').map((f) => `mirror/${f.name}`).sort());
  });

  it('a missing bucket is named by the shared listing’s first page, before anything is written', async () => {
    await assert.rejects(
      syncZip({ zip: await makeZip(files(20, 'x/')), bucket: 'no-such-bucket', prefix: 'p', client: s3.client, strategy: 'auto', delete: true }),
      { name: 'S3ZipSyncError', code: 'BUCKET_NOT_FOUND' },
    );
  });
});
