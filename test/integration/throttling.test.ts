import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client, syncZip, type SyncReport } from '../../src/internal.js';
import { createHandler } from '../../src/lambda/handler.js';
import { BUFFERED_PUT_MAX_BYTES } from '../../src/upload/route.js';
import { startFaultProxy, type FaultProxy, type FaultRequestInfo } from '../../tools/s3-proxy/fault-proxy.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'throttle-bucket';
const INCOMING = 'throttle-incoming';
const MiB = 1024 * 1024;
const FILES = new Map<string, Buffer>();
for (let i = 0; i < 300; i++) FILES.set(`small/${String(i).padStart(3, '0')}.txt`, Buffer.from(`entry ${i}\n`.repeat(1 + (i % 40))));
// One streamed PUT (its body cannot be re-sent by the SDK: the entry-level retry asks the pacer) and one multipart upload.
FILES.set('big/streamed.bin', Buffer.alloc(BUFFERED_PUT_MAX_BYTES + MiB, 7));
FILES.set('big/multipart.bin', Buffer.alloc(11 * MiB, 9));

const WRITES = new Set(['PutObject', 'UploadPart', 'CreateMultipartUpload', 'CompleteMultipartUpload']);

/** A token bucket per request class, as S3 throttles a prefix: over the rate, 503 SlowDown. */
function overRate(classOf: (req: FaultRequestInfo) => string | undefined, perSecond: number, burst: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let answered = 0;
  const match = (req: FaultRequestInfo) => {
    const name = classOf(req);
    if (!name) return false;
    const now = performance.now();
    const bucket = buckets.get(name) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    buckets.set(name, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens--;
      return false;
    }
    answered++;
    return true;
  };
  return { match, answered: () => answered };
}

describe('throttling: S3 asking to slow down never fails an entry', () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  let zip: Buffer;

  before(async () => {
    s3 = await startTestS3([BUCKET, INCOMING]);
    proxy = await startFaultProxy(s3.endpoint);
    zip = await makeZip([...FILES].map(([name, data]) => ({ name, data })));
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
  });

  const sync = (prefix: string, stallTimeoutMs: number, strategy: 'head' | 'auto' = 'head') =>
    syncZip({
      zip,
      bucket: BUCKET,
      prefix,
      strategy,
      upload: { partSize: 5 * MiB, multipartThreshold: 10 * MiB },
      clientOptions: {
        endpoint: proxy.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: s3.credentials,
        // No retries at all for a failing server: every slow-down must be handled by the pacer.
        maxAttempts: 1,
        stallTimeoutMs,
      },
    });

  async function assertAllStored(prefix: string, report: SyncReport) {
    assert.deepEqual(report.failures, []);
    assert.equal(report.counts.new, FILES.size);
    assert.equal(report.complete, true);
    const stored = await listKeys(s3.client, BUCKET, `${prefix}/`);
    assert.equal(stored.size, FILES.size);
    for (const name of ['small/000.txt', 'small/299.txt', 'big/streamed.bin', 'big/multipart.bin']) {
      assert.equal(await objectSha256(s3.client, BUCKET, `${prefix}/${name}`), sha256(FILES.get(name)!), name);
    }
  }

  it('writes and checks over the rate: 0 failed, every 503 counted in the report', async () => {
    const writes = overRate((req) => (WRITES.has(req.operation) ? 'write' : undefined), 80, 5);
    const heads = overRate((req) => (req.operation === 'HeadObject' ? 'head' : undefined), 150, 5);
    proxy.setRules([
      { match: writes.match, respond: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' } },
      { match: heads.match, respond: { status: 503 } },
    ]);
    const report = await sync('over-rate', 30_000);
    proxy.setRules([]);
    assert.ok(writes.answered() > 0 && heads.answered() > 0, 'the proxy throttled writes and checks');
    await assertAllStored('over-rate', report);
    assert.equal(report.throttling.slowDowns, writes.answered() + heads.answered(), 'the report counts every slow-down');
    assert.equal(report.throttling.gaveUp, 0);
    assert.equal(report.throttling.pacer, 'window');
    assert.ok(report.throttling.inFlightLimit !== undefined && report.throttling.settledRate !== undefined);
  });

  it('the Lambda handler: a throttled archive completes, and its summary log line says how often S3 asked to slow down', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: 'drop/site.zip', Body: zip }));
    const client = createS3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, maxAttempts: 1 });
    const lines: Array<Record<string, unknown>> = [];
    const handler = createHandler({ client, env: { TARGET_BUCKET: BUCKET, TARGET_PREFIX: 'lambda/' }, log: (line) => lines.push(JSON.parse(JSON.stringify(line))) });
    const writes = overRate((req) => (WRITES.has(req.operation) ? 'write' : undefined), 80, 5);
    proxy.setRules([{ match: writes.match, respond: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' } }]);
    try {
      const result = await handler({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: INCOMING }, object: { key: 'drop/site.zip' } } }] });
      assert.equal(result.complete, true, JSON.stringify(result.archives[0]?.error ?? result.archives[0]?.report?.failures));
    } finally {
      proxy.setRules([]);
      client.destroy();
    }
    assert.ok(writes.answered() > 0, `the proxy throttled the writes: ${JSON.stringify(lines.at(-1))}`);
    const summary = lines.at(-1) as { message: string; archives: Array<{ throttling?: { slowDowns: number; gaveUp: number } }> };
    assert.equal(summary.message, 'summary');
    assert.equal(summary.archives[0]?.throttling?.slowDowns, writes.answered());
    assert.equal(summary.archives[0]?.throttling?.gaveUp, 0);
  });

  it('a server that answers nothing but 503 for the stall timeout fails the entries it holds, and the run ends', async () => {
    proxy.setRules([{ match: (req) => WRITES.has(req.operation) && req.url.includes('/always-503/'), respond: { status: 503, code: 'SlowDown' } }]);
    const report = await sync('always-503', 1_500);
    proxy.setRules([]);
    assert.equal(report.complete, false);
    assert.ok(report.counts.failed > 0);
    assert.ok(report.throttling.gaveUp > 0);
    for (const failure of report.failures) assert.match(failure.reason, /SlowDown/);
  });
});
