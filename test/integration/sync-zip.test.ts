import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import yazl from 'yazl';
import { syncZip, type SyncEvent } from '../../src/internal.js';
import { BUFFERED_PUT_MAX_BYTES } from '../../src/upload/route.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { assertIfMatchLearning } from '../helpers/test-server.js';

const BUCKET = 'test-bucket';
const MiB = 1024 * 1024;

function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(files)) zip.addBuffer(Buffer.from(data), name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

function patterned(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

describe('syncZip against s3rver', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
  });
  after(async () => {
    await s3?.close();
  });

  for (const strategy of ['head', 'list', 'bulk', 'auto'] as const) {
    it(`${strategy}: new, then ignored, then only the changed entry updated, with identical bytes`, async () => {
      const prefix = `${strategy}-run`;
      const files: Record<string, Buffer | string> = {
        'a.txt': 'alpha\n',
        'dir/b.json': JSON.stringify({ b: 1 }),
        'dir/sub/c.bin': patterned(300_000, 1),
        'empty.txt': '',
        'big/large.bin': patterned(17 * MiB, 2), // multipart (threshold 16 MiB)
      };
      const client = s3.client;
      const first = await syncZip({ zip: await zipOf(files), bucket: BUCKET, prefix, client, strategy });
      assert.deepEqual(first.counts, { new: 5, updated: 0, ignored: 0, failed: 0, conflict: 0, skipped: 0, notStarted: 0 });
      assert.equal(first.complete, true);
      assert.ok((first.requests.UploadPart ?? 0) >= 3, `multipart used: ${JSON.stringify(first.requests)}`);
      const stored = await listKeys(client, BUCKET, `${prefix}/`);
      assert.deepEqual([...stored.keys()].sort(), Object.keys(files).map((name) => `${prefix}/${name}`).sort());
      for (const [name, data] of Object.entries(files)) {
        assert.equal(await objectSha256(client, BUCKET, `${prefix}/${name}`), sha256(data), `bytes of ${name}`);
      }

      const second = await syncZip({ zip: await zipOf(files), bucket: BUCKET, prefix: `${prefix}/`, client, strategy });
      assert.deepEqual(second.counts, { new: 0, updated: 0, ignored: 5, failed: 0, conflict: 0, skipped: 0, notStarted: 0 });
      assert.equal(second.requests.PutObject, undefined);
      assert.equal(second.bytesUploaded, 0);

      const changed = { ...files, 'dir/b.json': JSON.stringify({ b: 12345 }) };
      const events: SyncEvent[] = [];
      const third = await syncZip({ zip: await zipOf(changed), bucket: BUCKET, prefix, client, strategy, onEvent: (e) => events.push(e) });
      assert.deepEqual(third.counts, { new: 0, updated: 1, ignored: 4, failed: 0, conflict: 0, skipped: 0, notStarted: 0 });
      const updated = events.filter((e) => e.type === 'entry' && e.action === 'updated');
      assert.deepEqual(updated.map((e) => e.type === 'entry' && e.key), [`${prefix}/dir/b.json`]);
      assert.equal(await objectSha256(client, BUCKET, `${prefix}/dir/b.json`), sha256(changed['dir/b.json']!));
      assertIfMatchLearning((third.requests.PutObject ?? 0) - 1, 1, JSON.stringify(third.requests));
    });
  }

  it('list strategy matches the exact key on a server that lists in filesystem order', async () => {
    // s3rver returns `p/file/child` before `p/file`, and `a.txt.bak` must not count as `a.txt`.
    for (const key of ['collide/a.txt.bak', 'collide/p/file/child', 'collide/p/file', 'collide/p/file.bak']) {
      await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'xx' }));
    }
    const zip = await zipOf({ 'a.txt': 'xx', 'p/file': 'xx', 'p/file.b': 'xx' });
    const report = await syncZip({ zip, bucket: BUCKET, prefix: 'collide', client: s3.client, strategy: 'list' });
    assert.equal(report.counts.new, 2, 'a.txt and p/file.b are absent');
    assert.equal(report.counts.ignored, 1, 'p/file exists with the same size');
  });

  it('dry run decides but writes nothing', async () => {
    const zip = await zipOf({ 'x.txt': 'x', 'y.txt': 'yy' });
    const report = await syncZip({ zip, bucket: BUCKET, prefix: 'dry', client: s3.client, dryRun: true });
    assert.equal(report.counts.new, 2);
    assert.equal(report.bytesUploaded, 0);
    assert.equal((await listKeys(s3.client, BUCKET, 'dry/')).size, 0);
    assert.deepEqual(Object.keys(report.requests).sort(), ['HeadObject', 'ListObjectsV2']);
  });

  it('counts every HTTP request by operation', async () => {
    const zip = await zipOf({ 'one.txt': '1', 'two.txt': '22', 'three.txt': '333' });
    const report = await syncZip({ zip, bucket: BUCKET, prefix: 'counted', client: s3.client, strategy: 'head' });
    assert.deepEqual(report.requests, { ListObjectsV2: 1, HeadObject: 3, PutObject: 3 });
    assert.equal(report.totalRequests, 7);
  });

  it('a client built with the SDK defaults would corrupt streamed bodies; ours stores them byte-identical', async () => {
    // Guards the reason createS3Client sets requestChecksumCalculation: if a future SDK or server
    // stops framing streamed bodies as aws-chunked, this documents it instead of silently passing.
    // Larger than BUFFERED_PUT_MAX_BYTES, so its PutObject body is streamed from the zip.
    const data = patterned(BUFFERED_PUT_MAX_BYTES + 100_000, 3);
    const zip = await zipOf({ 'stream.bin': data });
    const defaults = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const withDefaults = await syncZip({ zip, bucket: BUCKET, prefix: 'sdk-defaults', client: defaults });
    defaults.destroy();
    await syncZip({ zip, bucket: BUCKET, prefix: 'ours', clientOptions: { endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials } });
    assert.equal(await objectSha256(s3.client, BUCKET, 'ours/stream.bin'), sha256(data));
    if (s3.kind === 's3rver') {
      assert.notEqual(await objectSha256(s3.client, BUCKET, 'sdk-defaults/stream.bin'), sha256(data), 'SDK defaults store aws-chunked framing on s3rver');
    } else {
      // radosgw 16.2 refuses aws-chunked bodies with trailers outright.
      assert.deepEqual(withDefaults.failures.map((f) => f.key), ['sdk-defaults/stream.bin'], JSON.stringify(withDefaults.failures));
      assert.match(withDefaults.failures[0]!.reason, /MissingContentLength|HTTP 411/);
    }
  });

  it('fails run-level problems before writing anything', async () => {
    const zip = await zipOf({ 'a.txt': 'a' });
    await assert.rejects(syncZip({ zip, bucket: 'no-such-bucket', client: s3.client }), { code: 'BUCKET_NOT_FOUND' });
    await assert.rejects(syncZip({ zip: Buffer.from('not a zip at all'), bucket: BUCKET, prefix: 'nz', client: s3.client }), { code: 'INVALID_ARCHIVE' });
    await assert.rejects(syncZip({ zip, bucket: BUCKET, client: s3.client, concurrency: 0 }), { code: 'INVALID_OPTION' });
  });

  it('a throwing onEvent rejects the run only after every entry has settled', async () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`e${i}.txt`, `entry ${i}`]));
    const boom = new Error('callback bug');
    let entries = 0;
    await assert.rejects(
      syncZip({
        zip: await zipOf(files),
        bucket: BUCKET,
        prefix: 'throwing-callback',
        client: s3.client,
        onEvent: (event) => {
          if (event.type === 'entry' && ++entries === 1) throw boom;
        },
      }),
      (error) => error === boom,
    );
    assert.equal(entries, 20, 'every entry was still reported');
    assert.equal((await listKeys(s3.client, BUCKET, 'throwing-callback/')).size, 20);
  });

  it('an aborted run stops starting entries and reports it', async () => {
    const controller = new AbortController();
    const files = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}.txt`, `file ${i}`]));
    let seen = 0;
    const report = await syncZip({
      zip: await zipOf(files),
      bucket: BUCKET,
      prefix: 'aborted',
      client: s3.client,
      concurrency: 2,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'entry' && ++seen === 3) controller.abort();
      },
    });
    assert.equal(report.aborted, true);
    assert.equal(report.complete, false);
    assert.ok(report.counts.notStarted > 0, JSON.stringify(report.counts));
    const done = report.counts.new + report.counts.failed + report.counts.notStarted;
    assert.equal(done, 50, 'every entry is accounted for');
    assert.equal((await listKeys(s3.client, BUCKET, 'aborted/')).size, report.counts.new);
  });
});
