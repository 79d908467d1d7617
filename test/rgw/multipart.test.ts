import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { syncZip } from '../../src/index.js';
import { startFaultProxy, type FaultProxy } from '../../tools/s3-proxy/fault-proxy.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { multipartLedger } from '../helpers/multipart-ledger.js';
import { runCliOnceReady } from '../helpers/run-cli.js';
import { openMultipartUploads } from '../helpers/s3-state.js';
import { onlyOn } from '../helpers/test-server.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'multipart-bucket';
const MiB = 1024 * 1024;
// Parts of 5 MiB (radosgw's smallest) keep the uploads multipart without 16 MiB entries.
const UPLOAD = { multipartThreshold: 5 * MiB, partSize: 5 * MiB };

// s3rver answers ListMultipartUploads with 501 and cannot abort (405), so "nothing left behind" can
// only be read from a server's own listing here.
describe('no multipart upload is left behind, as the server lists them (radosgw)', { skip: onlyOn('rgw', 'ListMultipartUploads and AbortMultipartUpload must work') }, () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  let dir: string;
  const big = (seed: number) => Buffer.alloc(17 * MiB, seed); // over the CLI's 16 MiB multipart threshold
  const small = Array.from({ length: 4 }, (_, i) => ({ name: `small/${i}.txt`, data: `small ${i}\n`.repeat(20) }));

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startFaultProxy(s3.endpoint);
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-rgw-multipart-'));
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGINT with two multipart uploads in flight: exit 130, both aborted, ListMultipartUploads empty', async () => {
    const zipPath = join(dir, 'big.zip');
    writeFileSync(zipPath, await makeZip([...small, { name: 'big/1.bin', data: big(1) }, { name: 'big/2.bin', data: big(2) }]));
    const ledger = multipartLedger();
    proxy.setRules([ledger.rule, { match: 'UploadPart', delayMs: 30_000 }]); // parts stay in flight until the signal
    const { code, stdout, stderr } = await runCliOnceReady(
      [zipPath, '--bucket', BUCKET, '--prefix', 'sigint', '--endpoint-url', proxy.endpoint, '--force-path-style'],
      s3.env,
      () => ledger.uploadIds().size >= 2,
      'two multipart uploads started',
      async (child) => {
        assert.equal((await openMultipartUploads(s3.client, BUCKET)).length, 2, 'the server lists both uploads while they are in flight');
        child.kill('SIGINT');
      },
    );
    proxy.setRules([]);

    assert.equal(code, 130, stderr);
    for (const key of ['sigint/big/1.bin', 'sigint/big/2.bin']) assert.ok(stdout.includes(`Failed ${key}: aborted\n`), stdout);
    assert.deepEqual(await openMultipartUploads(s3.client, BUCKET), []);
    assert.equal((await listKeys(s3.client, BUCKET, 'sigint/big/')).size, 0);
  });

  it('a multipart upload whose part fails is aborted: the entry fails, ListMultipartUploads empty', async () => {
    proxy.setRules([{ match: 'UploadPart', respond: { status: 500, times: 1 } }]);
    const report = await syncZip({
      zip: await makeZip([{ name: 'ok.txt', data: 'fine' }, { name: 'big.bin', data: big(3), compress: false }]),
      bucket: BUCKET,
      prefix: 'failed-part',
      upload: UPLOAD,
      clientOptions: { endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, maxAttempts: 1 },
    });
    proxy.setRules([]);
    assert.equal(report.counts.new, 1);
    assert.deepEqual(report.failures.map((f) => [f.key, f.code]), [['failed-part/big.bin', 'S3_ERROR']]);
    assert.match(report.failures[0]!.reason, /InternalError \(HTTP 500\)/);
    assert.doesNotMatch(report.failures[0]!.reason, /could not be aborted/);
    assert.deepEqual(await openMultipartUploads(s3.client, BUCKET), []);
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'failed-part/')).keys()], ['failed-part/ok.txt']);
  });

  it('a multipart object has the -N ETag S3 gives it, its bytes are whole, and a second run ignores it', async () => {
    const data = Buffer.concat([big(4), Buffer.alloc(1234, 5)]); // 17 MiB + 1234 B in 5 MiB parts: 4 parts
    const zip = await makeZip([{ name: 'video.bin', data, compress: false }]);
    const first = await syncZip({ zip, bucket: BUCKET, prefix: 'etag', client: s3.client, upload: UPLOAD });
    assert.equal(first.counts.new, 1);
    assert.equal(first.requests.CompleteMultipartUpload, 1);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'etag/video.bin' }));
    assert.match(head.ETag ?? '', /^"[0-9a-f]{32}-4"$/);
    assert.equal(head.ContentLength, data.length);
    assert.equal(await objectSha256(s3.client, BUCKET, 'etag/video.bin'), sha256(data));
    const second = await syncZip({ zip, bucket: BUCKET, prefix: 'etag', client: s3.client, upload: UPLOAD, compare: 'crc32' });
    assert.equal(second.counts.ignored, 1, 'the -N ETag is not mistaken for a content hash');
    assert.deepEqual(await openMultipartUploads(s3.client, BUCKET), []);
  });
});
