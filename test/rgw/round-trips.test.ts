import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { syncZip, type SyncEvent } from '../../src/index.js';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { putObjects } from '../helpers/s3-state.js';
import { onlyOn } from '../helpers/test-server.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'round-trip-bucket';

describe('what the server stores comes back as written (radosgw)', { skip: onlyOn('rgw', 'round trips through a real S3 implementation') }, () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
  });
  after(async () => {
    await s3?.close();
  });

  it('--delete with 1,200 candidates: all deleted in DeleteObjects batches of at most 1,000', async () => {
    const stale = new Map<string, string>();
    for (let i = 0; i < 1200; i++) stale.set(`m/old/${String(i).padStart(4, '0')}.txt`, 'stale');
    await putObjects(s3.client, BUCKET, stale);
    const zip = await makeZip([{ name: 'index.html', data: '<h1>new</h1>' }, { name: 'old/0001.txt', data: 'stale' }]);
    const report = await syncZip({ zip, bucket: BUCKET, prefix: 'm', client: s3.client, delete: true, maxDelete: 1500 });
    assert.equal(report.counts.failed, 0);
    assert.equal(report.deletion?.deleted, 1199);
    assert.equal(report.deletion?.failed, 0);
    assert.equal(report.requests.DeleteObjects, 2);
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'm/')).keys()].sort(), ['m/index.html', 'm/old/0001.txt']);
  });

  it('--compare crc32: the CRC32 stored as metadata comes back, and a same-size change is caught by it', async () => {
    const files = (flip: boolean) => [{ name: 'a.txt', data: flip ? 'B-same-size' : 'A-same-size' }, { name: 'b.txt', data: 'unchanged' }];
    await syncZip({ zip: await makeZip(files(false)), bucket: BUCKET, prefix: 'crc', client: s3.client, compare: 'crc32' });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'crc/a.txt' }));
    assert.match(head.Metadata?.['s3zipsync-crc32'] ?? '', /^[0-9a-f]{8}$/);
    const events: SyncEvent[] = [];
    const changed = await syncZip({ zip: await makeZip(files(true)), bucket: BUCKET, prefix: 'crc', client: s3.client, compare: 'crc32', onEvent: (event) => events.push(event) });
    assert.deepEqual([changed.counts.updated, changed.counts.ignored], [1, 1]);
    const update = events.find((event) => event.type === 'entry' && event.action === 'updated');
    assert.equal(update?.type === 'entry' && update.action === 'updated' && update.because, 'crc32');
    const after = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'crc/a.txt' }));
    assert.notEqual(after.Metadata?.['s3zipsync-crc32'], head.Metadata?.['s3zipsync-crc32']);
  });

  it('--gzip: Content-Encoding gzip and the original size come back, the bytes gunzip to the entry, a re-run ignores it', async () => {
    const css = 'body { color: red; }\n'.repeat(500);
    const zip = await makeZip([{ name: 'site.css', data: css }]);
    const first = await syncZip({ zip, bucket: BUCKET, prefix: 'gz', client: s3.client, gzip: ['*.css'] });
    assert.equal(first.counts.new, 1);
    const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'gz/site.css' }));
    assert.equal(object.ContentEncoding, 'gzip');
    assert.equal(object.Metadata?.['s3zipsync-size'], String(css.length));
    const stored = Buffer.from(await object.Body!.transformToByteArray());
    assert.ok(stored.length < css.length, 'stored compressed');
    assert.equal(gunzipSync(stored).toString(), css);
    const again = await syncZip({ zip, bucket: BUCKET, prefix: 'gz', client: s3.client, gzip: ['*.css'] });
    assert.equal(again.counts.ignored, 1);
  });
});
