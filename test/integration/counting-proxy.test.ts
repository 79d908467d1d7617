import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startCountingProxy, type CountingProxy } from '../../tools/s3-proxy/counting-proxy.js';
import { attachRequestCounter } from '../../src/internal.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';

const BUCKET = 'test-bucket';
const MiB = 1024 * 1024;

describe('bench counting proxy in front of s3rver', () => {
  let s3: TestS3;
  let proxy: CountingProxy;
  let client: S3Client;

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startCountingProxy(s3.endpoint);
    client = createS3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials });
  });
  after(async () => {
    client?.destroy();
    await proxy?.close();
    await s3?.close();
  });

  it('forwards signed requests unchanged and counts each one by operation, as the SDK sent them', async () => {
    const counter = attachRequestCounter(client);
    proxy.take();
    const small = randomBytes(3000);
    const big = randomBytes(11 * MiB);
    await assert.rejects(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'p/a.bin' })), { name: 'NotFound' });
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'p/a.bin', Body: Readable.from([small]), ContentLength: small.length }));
    await new Upload({ client, params: { Bucket: BUCKET, Key: 'p/big.bin', Body: Readable.from([big]) }, partSize: 5 * MiB, queueSize: 2 }).done();
    await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'p/a.bin' }));
    await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'p/' }));
    const tally = proxy.take();
    counter.detach();

    assert.deepEqual(tally.byOperation, counter.counts);
    assert.deepEqual(tally.byOperation, { HeadObject: 2, PutObject: 1, CreateMultipartUpload: 1, UploadPart: 3, CompleteMultipartUpload: 1, ListObjectsV2: 1 });
    assert.equal(tally.total, 9);
    assert.deepEqual(tally.errors, { 'HeadObject 404': 1 });
    // Bodies went through intact (read back from the server directly, not through the proxy).
    assert.equal(await objectSha256(s3.client, BUCKET, 'p/a.bin'), sha256(small));
    assert.equal(await objectSha256(s3.client, BUCKET, 'p/big.bin'), sha256(big));
  });

  it('starts a fresh tally on take()', async () => {
    proxy.take();
    await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'none/' }));
    assert.deepEqual(proxy.take(), { byOperation: { ListObjectsV2: 1 }, errors: {}, total: 1 });
    assert.deepEqual(proxy.take(), { byOperation: {}, errors: {}, total: 0 });
  });
});
