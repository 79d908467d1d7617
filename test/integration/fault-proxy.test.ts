import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/s3/create-client.js';
import { startFaultProxy, type FaultProxy, type FaultProxyStats } from '../../tools/s3-proxy/fault-proxy.js';
import { objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';

const BUCKET = 'test-bucket';
const MiB = 1024 * 1024;

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

async function readAll(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Counter increases since an earlier snapshot. */
function delta(now: FaultProxyStats, then: FaultProxyStats) {
  const byOperation: Record<string, number> = {};
  for (const [operation, count] of Object.entries(now.byOperation)) {
    const grown = count - (then.byOperation[operation] ?? 0);
    if (grown > 0) byOperation[operation] = grown;
  }
  return {
    requests: now.requests - then.requests,
    faultsInjected: now.faultsInjected - then.faultsInjected,
    connections: now.connections - then.connections,
    byOperation,
  };
}

/** A network failure: no HTTP status reached the SDK. */
function assertNetworkError(error: unknown): true {
  const e = error as SdkError;
  assert.equal(e.$metadata?.httpStatusCode, undefined, `no HTTP status expected, got ${JSON.stringify(e.$metadata)}`);
  assert.match(`${e.code ?? ''} ${e.name ?? ''} ${e.message ?? ''}`, /ECONNRESET|EPIPE|socket hang up|aborted|premature close/i);
  return true;
}

describe('fault proxy forwarding (echo upstream)', () => {
  it('keeps method, path, query, Host and end-to-end headers; streams a chunked body; drops hop-by-hop headers', async () => {
    let seen: { method?: string; url?: string; headers?: IncomingHttpHeaders; body?: Buffer } = {};
    const echo = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) };
      res.writeHead(207, { 'x-amz-request-id': 'ECHO', 'x-custom': 'kept' });
      res.write('partial ');
      res.end('answer');
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const port = (echo.address() as { port: number }).port;
    const proxy = await startFaultProxy(`http://127.0.0.1:${port}`);
    try {
      const payload = randomBytes(200_000);
      const response = await new Promise<{ status?: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const req = httpRequest(`${proxy.endpoint}/bucket/some/key?partNumber=2&uploadId=u%2B1`, {
          method: 'PUT',
          headers: { host: 'bucket-host.example:9999', 'x-amz-date': '20250101T000000Z', authorization: 'AWS4-HMAC-SHA256 sig', 'keep-alive': 'timeout=1' },
          agent: false,
        });
        req.on('error', reject);
        req.on('response', async (res) => {
          const chunks: Buffer[] = [];
          for await (const chunk of res) chunks.push(chunk as Buffer);
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) });
        });
        // No content-length: sent chunked, in two writes.
        req.write(payload.subarray(0, 100_000));
        req.end(payload.subarray(100_000));
      });
      assert.equal(seen.method, 'PUT');
      assert.equal(seen.url, '/bucket/some/key?partNumber=2&uploadId=u%2B1');
      assert.equal(seen.headers?.host, 'bucket-host.example:9999');
      assert.equal(seen.headers?.['x-amz-date'], '20250101T000000Z');
      assert.equal(seen.headers?.authorization, 'AWS4-HMAC-SHA256 sig');
      assert.equal(seen.headers?.['keep-alive'], undefined, 'hop-by-hop header dropped');
      assert.ok(seen.body?.equals(payload), 'request body forwarded intact');
      assert.equal(response.status, 207);
      assert.equal(response.headers['x-custom'], 'kept');
      assert.equal(response.body.toString(), 'partial answer');
      assert.deepEqual(proxy.stats().byOperation, { UploadPart: 1 });
    } finally {
      await proxy.stop();
      echo.close();
      echo.closeAllConnections();
    }
  });
});

describe('fault proxy in front of s3rver', () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  let client: S3Client;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startFaultProxy(s3.endpoint);
    client = createS3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, maxAttempts: 1 });
  });
  beforeEach(() => proxy.setRules([]));
  after(async () => {
    client?.destroy();
    await proxy?.stop();
    await s3?.close();
  });

  it('forwards PutObject, GetObject, HeadObject and ListObjectsV2 with identical bytes, and counts them', async () => {
    const data = randomBytes(3 * MiB);
    const key = 'plain/three-mb.bin';
    const start = proxy.stats();

    const put = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: data }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const bytes = await readAll(got.Body);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const list = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'plain/' }));

    assert.equal(bytes.length, data.length);
    assert.ok(bytes.equals(data), 'GetObject through the proxy returns the bytes put through it');
    // What the server stored, read without the proxy: the upload was not altered on the way.
    assert.equal(await objectSha256(s3.client, BUCKET, key), sha256(data));
    assert.equal(head.ContentLength, data.length);
    assert.equal(head.ETag, put.ETag);
    assert.deepEqual(list.Contents?.map((o) => [o.Key, o.Size]), [[key, data.length]]);

    const counted = delta(proxy.stats(), start);
    assert.deepEqual(counted.byOperation, { PutObject: 1, GetObject: 1, HeadObject: 1, ListObjectsV2: 1 });
    assert.equal(counted.requests, 4);
    assert.equal(counted.faultsInjected, 0);
  });

  it('keeps client connections alive across requests', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'keepalive/a', Body: 'a' }));
    const start = proxy.stats();
    for (let i = 0; i < 10; i++) await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'keepalive/a' }));
    const counted = delta(proxy.stats(), start);
    assert.equal(counted.byOperation.HeadObject, 10);
    // Without keep-alive every request would open its own connection (10).
    assert.ok(counted.connections <= 1, `new client connections: ${counted.connections}`);
  });

  it('classifies multipart, batch delete and bucket operations sent by the SDK', async () => {
    const key = 'multipart/object.bin';
    const part = randomBytes(64 * 1024);
    const start = proxy.stats();

    const created = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const uploaded = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: created.UploadId, PartNumber: 1, Body: part }));
    await client.send(
      new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: uploaded.ETag }] } }),
    );
    const abandoned = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: `${key}.abandoned` }));
    // s3rver 3.x does not implement AbortMultipartUpload and answers 405; the request still went through.
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: `${key}.abandoned`, UploadId: abandoned.UploadId })).catch((error: SdkError) => {
      assert.equal(error.$metadata?.httpStatusCode, 405, `unexpected AbortMultipartUpload failure: ${error.name}`);
    });
    await client.send(new HeadBucketCommand({ Bucket: BUCKET }));
    assert.equal(await objectSha256(s3.client, BUCKET, key), sha256(part), 'the multipart upload completed');
    const deleted = await client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: key }] } }));
    assert.deepEqual(deleted.Deleted?.map((d) => d.Key), [key]);

    assert.deepEqual(delta(proxy.stats(), start).byOperation, {
      CreateMultipartUpload: 2,
      UploadPart: 1,
      CompleteMultipartUpload: 1,
      AbortMultipartUpload: 1,
      HeadBucket: 1,
      DeleteObjects: 1,
    });
  });

  it('delays only the matched operation: HeadObject +50 ms, ListObjectsV2 unaffected', async (t) => {
    const key = 'latency/object.txt';
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'latency' }));
    const head = () => client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const list = () => client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'latency/' }));
    const delayRule = [{ match: 'HeadObject' as const, delayMs: 50 }];
    await head();
    await list();

    // Interleaved so that both sets see the same machine load.
    const samples = { head: [] as number[], list: [] as number[], delayedHead: [] as number[], listDuringDelay: [] as number[] };
    const start = proxy.stats();
    for (let i = 0; i < 11; i++) {
      proxy.setRules([]);
      samples.head.push(await timed(head));
      samples.list.push(await timed(list));
      proxy.setRules(delayRule);
      samples.delayedHead.push(await timed(head));
      samples.listDuringDelay.push(await timed(list));
    }
    proxy.setRules([]);
    const m = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, Math.round(median(values))]));
    const report = JSON.stringify(m);
    t.diagnostic(`median ms: ${report}`);

    // The proxy sleeps 50 ms before forwarding, so no delayed call can be faster (1 ms timer slack).
    assert.ok(Math.min(...samples.delayedHead) >= 49, `every delayed HeadObject ≥ 49 ms: ${samples.delayedHead.map(Math.round).join(',')}`);
    assert.ok(median(samples.delayedHead) - median(samples.head) >= 30, `HeadObject slower by ~50 ms: ${report}`);
    assert.ok(median(samples.listDuringDelay) - median(samples.list) < 30, `ListObjectsV2 not delayed: ${report}`);
    const counted = delta(proxy.stats(), start);
    assert.equal(counted.faultsInjected, 11, 'only the 11 delayed HeadObject calls matched');
    assert.deepEqual(counted.byOperation, { HeadObject: 22, ListObjectsV2: 22 });
  });

  it('answers SlowDown twice (times: 2), without forwarding, then passes requests through', async () => {
    proxy.setRules([{ match: 'PutObject', respond: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.', times: 2 } }]);
    const start = proxy.stats();
    const outcomes: Array<{ name?: string; status?: number } | 'ok'> = [];
    for (let i = 1; i <= 3; i++) {
      try {
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `slowdown/${i}`, Body: randomBytes(1024) }));
        outcomes.push('ok');
      } catch (error) {
        const e = error as SdkError;
        outcomes.push({ name: e.name, status: e.$metadata?.httpStatusCode });
      }
    }
    assert.deepEqual(outcomes, [{ name: 'SlowDown', status: 503 }, { name: 'SlowDown', status: 503 }, 'ok']);
    const stored = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'slowdown/' }));
    assert.deepEqual(stored.Contents?.map((o) => o.Key), ['slowdown/3'], 'the refused uploads never reached the server');
    const counted = delta(proxy.stats(), start);
    assert.equal(counted.faultsInjected, 2);
    assert.equal(counted.byOperation.PutObject, 3);
  });

  it('carries the S3 error message, and a HEAD error has only its status', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'errors/x', Body: 'x' }));
    proxy.setRules([
      { match: 'GetObject', respond: { status: 500, code: 'InternalError', message: 'We encountered an internal error.' } },
      { match: 'HeadObject', respond: { status: 503 } },
    ]);
    await assert.rejects(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'errors/x' })), (error: SdkError) => {
      assert.equal(error.name, 'InternalError');
      assert.equal(error.message, 'We encountered an internal error.');
      assert.equal(error.$metadata?.httpStatusCode, 500);
      return true;
    });
    await assert.rejects(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'errors/x' })), (error: SdkError) => {
      assert.equal(error.$metadata?.httpStatusCode, 503);
      return true;
    });
  });

  it('applies the first matching rule; a predicate can target one key', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'predicate/hit', Body: 'hit' }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'predicate/miss', Body: 'miss' }));
    proxy.setRules([
      { match: ({ operation, url }) => operation === 'GetObject' && url.startsWith(`/${BUCKET}/predicate/hit`), respond: { status: 404, code: 'NoSuchKey' } },
      { match: 'GetObject', respond: { status: 500, code: 'InternalError' }, times: 1 },
    ]);
    const nameOf = (key: string) =>
      client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })).then(
        async (got) => (await readAll(got.Body)).toString(),
        (error: SdkError) => error.name,
      );
    assert.equal(await nameOf('predicate/hit'), 'NoSuchKey');
    assert.equal(await nameOf('predicate/miss'), 'InternalError');
    assert.equal(await nameOf('predicate/miss'), 'miss', 'rule-level times: 1 is used up');
    assert.equal(await nameOf('predicate/hit'), 'NoSuchKey', 'the first rule has no limit');
  });

  it('resetConnection before-response: a network error, nothing forwarded; the client recovers', async () => {
    proxy.setRules([{ match: 'PutObject', resetConnection: 'before-response' }]);
    const start = proxy.stats();
    await assert.rejects(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reset/before', Body: 'never stored' })), assertNetworkError);
    assert.equal(delta(proxy.stats(), start).faultsInjected, 1);

    proxy.setRules([]);
    const direct = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'reset/' }));
    assert.equal(direct.KeyCount, 0, 'the reset request never reached the server');
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reset/after', Body: 'stored' }));
    assert.equal(await objectSha256(s3.client, BUCKET, 'reset/after'), sha256('stored'));
  });

  it('resetConnection mid-body: headers and half of the body arrive, then the stream fails', async () => {
    const data = randomBytes(3 * MiB);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reset/mid.bin', Body: data }));
    proxy.setRules([{ match: 'GetObject', resetConnection: 'mid-body' }]);

    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reset/mid.bin' }));
    assert.equal(got.ContentLength, data.length, 'headers arrive intact');
    let received = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of got.Body as Readable) received += (chunk as Buffer).length;
      })(),
      assertNetworkError,
    );
    assert.equal(received, Math.floor(data.length / 2), 'exactly the first half was delivered');

    // A buffered (non-streaming) response fails as a whole.
    proxy.setRules([{ match: 'ListObjectsV2', resetConnection: 'mid-body' }]);
    await assert.rejects(client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'reset/' })), assertNetworkError);
  });

  it('stallMidBodyMs: the body pauses half-way, then completes with identical bytes', async () => {
    const data = randomBytes(3 * MiB);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'stall/object.bin', Body: data }));
    proxy.setRules([{ match: 'GetObject', stallMidBodyMs: 400 }]);

    const started = performance.now();
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'stall/object.bin' }));
    let halfAt = 0;
    let received = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of got.Body as Readable) {
      chunks.push(chunk as Buffer);
      received += (chunk as Buffer).length;
      if (!halfAt && received >= data.length / 2) halfAt = performance.now();
    }
    const finishedAt = performance.now();
    assert.ok(Buffer.concat(chunks).equals(data), 'bytes identical after the stall');
    assert.ok(finishedAt - started >= 399, `took ${Math.round(finishedAt - started)} ms, stall is 400 ms`);
    // The pause sits after the first half: the rest arrives at least ~400 ms after the half mark.
    // Client-side, the first half is seen only when the event loop gets to it: on a loaded machine that
    // eats into the pause it measures (392 ms seen in CI). Half the stall still places the pause between the halves.
    assert.ok(finishedAt - halfAt >= 200, `second half came ${Math.round(finishedAt - halfAt)} ms after the first`);
  });

  it('stop() ends stalled requests and closes every socket', { timeout: 30_000 }, async () => {
    const own = await startFaultProxy(s3.endpoint);
    const ownClient = createS3Client({ endpoint: own.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, maxAttempts: 1 });
    try {
      await ownClient.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'stop/object.bin', Body: randomBytes(256 * 1024) }));
      own.setRules([
        { match: 'GetObject', stallMidBodyMs: 600_000 },
        { match: 'HeadObject', delayMs: 600_000 },
      ]);
      const got = await ownClient.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'stop/object.bin' }));
      const reading = readAll(got.Body).then(
        () => 'completed',
        () => 'failed',
      );
      const heading = ownClient.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'stop/object.bin' })).then(
        () => 'completed',
        () => 'failed',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await own.stop();
      assert.deepEqual(await Promise.all([reading, heading]), ['failed', 'failed']);
      await own.stop(); // idempotent
    } finally {
      ownClient.destroy();
      await own.stop();
    }
  });
});
