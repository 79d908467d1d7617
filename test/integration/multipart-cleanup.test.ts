import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncZip } from '../../src/internal.js';
import { startFaultProxy, type FaultProxy } from '../../tools/s3-proxy/fault-proxy.js';
import { listKeys, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'multipart-bucket';
const MiB = 1024 * 1024;

// A failed multipart upload must never be left behind silently: it is aborted, and when the abort
// itself fails (s3rver has no AbortMultipartUpload) the entry says so with the upload id.
describe('failed multipart uploads', () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  let zip: Buffer;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startFaultProxy(s3.endpoint);
    const big = Buffer.alloc(17 * MiB, 7); // over the 16 MiB multipart threshold
    zip = await makeZip([{ name: 'small.txt', data: 'small' }, { name: 'big.bin', data: big, compress: false }]);
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
  });

  const sync = (prefix: string) =>
    syncZip({
      zip,
      bucket: BUCKET,
      prefix,
      clientOptions: { endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, maxAttempts: 1 },
    });

  it('reports an upload whose abort failed, naming the upload id and how to remove it', async () => {
    // The 405 is s3rver's own answer to AbortMultipartUpload; the rule gives it on servers that can abort too.
    proxy.setRules([
      { match: 'UploadPart', respond: { status: 500 } },
      { match: 'AbortMultipartUpload', respond: { status: 405, code: 'MethodNotAllowed' } },
    ]);
    const report = await sync('orphan');
    proxy.setRules([]);
    assert.equal(report.counts.new, 1);
    assert.equal(report.counts.failed, 1);
    const [failure] = report.failures;
    assert.equal(failure!.key, 'orphan/big.bin');
    assert.equal(failure!.code, 'MULTIPART_NOT_ABORTED');
    assert.match(failure!.reason, /^upload failed \(InternalError \(HTTP 500\).* and its multipart upload \S+ could not be aborted \(MethodNotAllowed \(HTTP 405\)/);
    assert.match(failure!.reason, /aws s3api abort-multipart-upload --bucket multipart-bucket --key orphan\/big\.bin --upload-id \S+/);
    assert.ok(proxy.stats().byOperation.AbortMultipartUpload! >= 1);
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'orphan/')).keys()], ['orphan/small.txt']);
  });

  it('treats an upload that is already gone (NoSuchUpload) as aborted and reports the original failure', async () => {
    proxy.setRules([
      { match: 'UploadPart', respond: { status: 500 } },
      { match: 'AbortMultipartUpload', respond: { status: 404, code: 'NoSuchUpload' } },
    ]);
    const report = await sync('gone');
    proxy.setRules([]);
    const [failure] = report.failures;
    assert.equal(failure!.code, 'S3_ERROR');
    assert.match(failure!.reason, /^upload failed: InternalError \(HTTP 500\)/, 'the part failure, not the abort, is reported');
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'gone/')).keys()], ['gone/small.txt']);
  });
});
