import assert from 'node:assert/strict';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createS3Client, syncZip, type SyncEvent, type SyncReport } from '../../src/internal.js';
import { BUFFERED_PUT_MAX_BYTES } from '../../src/upload/route.js';
import { startFaultProxy, type FaultProxy, type FaultRequestInfo, type FaultRule } from '../../tools/s3-proxy/fault-proxy.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { multipartLedger, type MultipartLedger } from '../helpers/multipart-ledger.js';
import { runCli } from '../helpers/run-cli.js';
import { makeZip, rawZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'faults-bucket';
const MiB = 1024 * 1024;
/** Above the buffered-PUT limit, so the body streams from the zip in one PutObject; more than the socket buffers hold. */
const STREAMED = BUFFERED_PUT_MAX_BYTES + MiB;
// Small parts so that one entry is a 3-part multipart upload without making the suite slow.
const UPLOAD = { partSize: 5 * MiB, multipartThreshold: 5 * MiB };

/** Deterministic bytes that deflate cannot shrink much. */
function noise(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const FILES: Record<string, Buffer> = {};
for (let i = 0; i < 24; i++) FILES[`f/${String(i).padStart(2, '0')}.txt`] = Buffer.from(`line ${i}\n`.repeat(1 + i * 120));
FILES['big/put.bin'] = noise(STREAMED, 1);
FILES['big/multipart.bin'] = noise(6 * MiB, 2); // two parts
const ENTRY_NAMES = Object.keys(FILES);

// CreateMultipartUpload is left alone: the proxy cannot tell whether an upload it never forwarded
// exists, so the multipart ledger could not check that none is left behind.
const isWrite = (req: FaultRequestInfo) => ['PutObject', 'UploadPart', 'CompleteMultipartUpload'].includes(req.operation);
/**
 * `match` for at most `perKey` requests to each key: a burst then stays within every entry's retry
 * budget whatever the timing. Under adaptive retries the client's rate limiter can hold the other
 * entries back while one entry retries, so a plain burst of 8 could all land on one key's 4 attempts.
 */
const atMostPerKey = (match: (req: FaultRequestInfo) => boolean, perKey: number) => {
  const seen = new Map<string, number>();
  return (req: FaultRequestInfo) => {
    if (!match(req)) return false;
    const path = new URL(req.url, 'http://x').pathname;
    const count = seen.get(path) ?? 0;
    if (count >= perKey) return false;
    seen.set(path, count + 1);
    return true;
  };
};
// Listings of one entry's key (strategy list), not the run's preflight listing of the prefix.
const isEntryListing = (req: FaultRequestInfo) => req.operation === 'ListObjectsV2' && /prefix=s\d+%2F(f|big)%2F/.test(req.url);

interface Scenario {
  name: string;
  rules: FaultRule[];
  strategy?: 'head' | 'list';
  retryMode?: 'standard' | 'adaptive';
  stallTimeoutMs?: number;
  maxAttempts?: number;
  /** The run must store everything (the faults are within the retry budget). */
  completes: boolean;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'bursts of 500 InternalError on checks and writes',
    rules: [
      { match: 'HeadObject', respond: { status: 500, times: 4 } },
      { match: isWrite, respond: { status: 500, times: 8 } },
    ],
    maxAttempts: 4,
    completes: true,
  },
  {
    name: 'bursts of 503 SlowDown, adaptive retry mode',
    rules: [
      { match: atMostPerKey((req) => req.operation === 'HeadObject', 2), respond: { status: 503, code: 'SlowDown', times: 4 } },
      { match: atMostPerKey(isWrite, 2), respond: { status: 503, code: 'SlowDown', times: 8 } },
    ],
    retryMode: 'adaptive',
    maxAttempts: 4,
    completes: true,
  },
  {
    name: 'connections reset mid-request (before any response)',
    rules: [
      { match: 'HeadObject', resetConnection: 'before-response', times: 3 },
      { match: isWrite, resetConnection: 'before-response', times: 6 },
    ],
    maxAttempts: 4,
    completes: true,
  },
  {
    name: 'connections reset mid-body (listings and upload answers)',
    strategy: 'list',
    rules: [
      { match: isEntryListing, resetConnection: 'mid-body', times: 4 },
      { match: 'PutObject', resetConnection: 'mid-body', times: 3 },
    ],
    maxAttempts: 4,
    completes: true,
  },
  {
    name: 'responses stalling mid-body, cut by the stall timeout',
    strategy: 'list',
    rules: [
      { match: 'ListObjectsV2', stallMidBodyMs: 4_000, times: 1 },
      { match: isEntryListing, stallMidBodyMs: 4_000, times: 3 },
    ],
    stallTimeoutMs: 1_000,
    maxAttempts: 4,
    completes: true,
  },
  {
    name: 'uploads stalling (server stops reading the body), cut by the stall timeout',
    rules: [
      { match: (req) => req.operation === 'PutObject' && req.url.includes('big/put.bin'), delayMs: 4_000, times: 1 },
      { match: 'PutObject', delayMs: 4_000, times: 1 },
      { match: 'UploadPart', delayMs: 4_000, times: 1 },
    ],
    stallTimeoutMs: 1_000,
    maxAttempts: 4,
    completes: true,
  },
  {
    name: 'added latency on every request',
    rules: [{ match: () => true, delayMs: 40 }],
    completes: true,
  },
  {
    name: 'faults beyond the retry budget (every write answers 500)',
    rules: [{ match: isWrite, respond: { status: 500 } }],
    maxAttempts: 2,
    completes: false,
  },
];

describe('faults on the wire: every entry ends byte-identical in S3 or reported failed', () => {
  let s3: TestS3;
  let proxy: FaultProxy;
  let zip: Buffer;
  let dir: string;
  const ledger: MultipartLedger = multipartLedger();

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startFaultProxy(s3.endpoint);
    zip = await makeZip(ENTRY_NAMES.map((name) => ({ name, data: FILES[name]!, compress: !name.startsWith('big/') })));
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-faults-'));
  });
  after(async () => {
    await proxy?.stop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function sync(prefix: string, scenario: Partial<Scenario> = {}) {
    const events: Extract<SyncEvent, { type: 'entry' }>[] = [];
    const report = await syncZip({
      zip,
      bucket: BUCKET,
      prefix,
      strategy: scenario.strategy ?? 'head',
      upload: UPLOAD,
      clientOptions: {
        endpoint: proxy.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: s3.credentials,
        maxAttempts: scenario.maxAttempts ?? 3,
        retryMode: scenario.retryMode ?? 'standard',
        stallTimeoutMs: scenario.stallTimeoutMs ?? 30_000,
      },
      onEvent: (event) => {
        if (event.type === 'entry') events.push(event);
      },
    });
    return { report, events };
  }

  /** The promise of the issue, checked against what s3rver holds and what the proxy saw. */
  async function assertNothingHalfWritten(prefix: string, report: SyncReport, events: Extract<SyncEvent, { type: 'entry' }>[]) {
    assert.equal(events.length, ENTRY_NAMES.length, 'every entry has an outcome');
    const stored = await listKeys(s3.client, BUCKET, `${prefix}/`);
    for (const key of stored.keys()) {
      const name = key.slice(prefix.length + 1);
      assert.ok(FILES[name], `unexpected object ${key}`);
      assert.equal(await objectSha256(s3.client, BUCKET, key), sha256(FILES[name]!), `${key} is byte-identical`);
    }
    for (const event of events) {
      if (event.action === 'new' || event.action === 'updated') assert.ok(stored.has(event.key), `${event.key} reported stored and is`);
    }
    assert.equal(report.counts.failed, report.failures.length);
    assert.deepEqual(ledger.leftBehind(), [], 'no multipart upload left without completion or abort');
    assert.equal(ledger.creates(), ledger.uploadIds().size, 'every created multipart upload was seen through to the end');
  }

  for (const [index, scenario] of SCENARIOS.entries()) {
    it(scenario.name, async () => {
      const prefix = `s${index}`;
      ledger.reset();
      proxy.setRules([ledger.rule, ...scenario.rules]);
      const injectedBefore = proxy.stats().faultsInjected;
      const first = await sync(prefix, scenario);
      proxy.setRules([ledger.rule]);
      assert.ok(proxy.stats().faultsInjected > injectedBefore, 'the faults were injected');
      await assertNothingHalfWritten(prefix, first.report, first.events);
      if (scenario.completes) {
        assert.deepEqual(first.report.failures, []);
        assert.equal(first.report.counts.new, ENTRY_NAMES.length);
      } else {
        assert.equal(first.report.complete, false);
        assert.ok(first.report.counts.failed > 0);
        for (const failure of first.report.failures) assert.match(failure.reason, /InternalError \(HTTP 500\)/);
      }

      // A re-run without faults converges: what failed is stored, then everything is Ignored.
      ledger.reset();
      const second = await sync(prefix);
      await assertNothingHalfWritten(prefix, second.report, second.events);
      assert.equal(second.report.complete, true, JSON.stringify(second.report.failures));
      assert.equal(second.report.counts.new, first.report.counts.failed);
      assert.equal(second.report.counts.ignored, first.report.counts.new);
      if (!scenario.completes) {
        const third = await sync(prefix);
        assert.equal(third.report.counts.ignored, ENTRY_NAMES.length);
        assert.equal(third.report.totalRequests, ENTRY_NAMES.length + 1, 'one check per entry plus the preflight, nothing written');
      }
    });
  }

  it('an entry whose upload keeps failing is retried exactly --max-attempts times, reported Failed, exit 1 (real CLI)', async () => {
    const zipPath = join(dir, 'cli.zip');
    writeFileSync(zipPath, zip);
    const target = (req: FaultRequestInfo) => req.operation === 'PutObject' && req.url.includes('/cli/f/03.txt');
    let attempts = 0;
    proxy.setRules([
      {
        match: (req) => {
          if (target(req)) attempts++;
          return false;
        },
      },
      { match: target, respond: { status: 500 } },
    ]);
    const run = await runCli(
      [zipPath, '--bucket', BUCKET, '--prefix', 'cli', '--endpoint-url', proxy.endpoint, '--force-path-style', '--max-attempts', '3', '--part-size', '5MiB'],
      s3.env,
    );
    proxy.setRules([]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(attempts, 3, 'one attempt plus two entry-level retries');
    assert.match(run.stdout, /^Failed cli\/f\/03\.txt: upload failed: InternalError \(HTTP 500\)/m);
    assert.doesNotMatch(run.stdout, /^(New!|Updated!) cli\/f\/03\.txt/m);
    assert.match(run.stdout, /^Summary: 25 new, 0 updated, 0 ignored, 1 failed$/m);
    const stored = await listKeys(s3.client, BUCKET, 'cli/');
    assert.equal(stored.has('cli/f/03.txt'), false);
    assert.equal(stored.size, 25);
  });

  it('a corrupt entry is not retried, and its multipart upload is aborted, never completed', async () => {
    const corrupt = rawZip([
      { name: 'ok.txt', data: 'fine' },
      { name: 'put-bad.bin', data: noise(STREAMED, 4), crc32Override: 0x12345678 },
      { name: 'multipart-bad.bin', data: noise(6 * MiB, 5), crc32Override: 0x12345678 },
    ]);
    ledger.reset();
    proxy.setRules([ledger.rule]);
    const putsBefore = proxy.stats().byOperation.PutObject ?? 0;
    const report = await syncZip({
      zip: corrupt,
      bucket: BUCKET,
      prefix: 'corrupt',
      upload: UPLOAD,
      clientOptions: { endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials },
    });
    proxy.setRules([]);
    // s3rver stores whatever part of a PutObject body arrived before the client gave up (S3 answers
    // IncompleteBody and stores nothing), so only the multipart side is checked on it; the PutObject
    // side is checked on the wire in the next test.
    assert.ok((await listKeys(s3.client, BUCKET, 'corrupt/')).has('corrupt/ok.txt'));
    assert.equal((await listKeys(s3.client, BUCKET, 'corrupt/')).has('corrupt/multipart-bad.bin'), false);
    const byKey = Object.fromEntries(report.failures.map((f) => [f.key, f]));
    assert.equal(byKey['corrupt/put-bad.bin']?.code, 'ENTRY_CORRUPT');
    assert.match(byKey['corrupt/put-bad.bin']!.reason, /crc32 [0-9a-f]{8} read, 12345678 declared/);
    if (s3.kind === 's3rver') {
      // s3rver cannot abort (405): the entry says so, with the upload id; what matters is that it was never completed.
      assert.match(byKey['corrupt/multipart-bad.bin']!.reason, /^corrupt entry "multipart-bad\.bin": crc32 [0-9a-f]{8} read, 12345678 declared and its multipart upload \S+ could not be aborted/);
    } else {
      // radosgw aborts the upload, and like S3 stores nothing of a PutObject whose body was cut short.
      assert.match(byKey['corrupt/multipart-bad.bin']!.reason, /^corrupt entry "multipart-bad\.bin": crc32 [0-9a-f]{8} read, 12345678 declared$/);
      assert.equal((await listKeys(s3.client, BUCKET, 'corrupt/')).has('corrupt/put-bad.bin'), false);
    }
    assert.equal(ledger.completed().size, 0, 'no CompleteMultipartUpload was sent');
    assert.equal(ledger.aborted().size, 1);
    assert.equal((proxy.stats().byOperation.PutObject ?? 0) - putsBefore, 2, 'one PutObject each for ok.txt and put-bad.bin: a corrupt entry is not retried');
  });

  it('the PutObject of a corrupt entry never delivers its declared Content-Length, so an S3 that honours it stores nothing', async () => {
    // A minimal S3 stand-in that records, per PutObject, the declared length and the bytes that arrived.
    const puts = new Map<string, { declared: number; received: number; complete: boolean }>();
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>');
      } else if (req.method === 'HEAD') {
        res.writeHead(404).end();
      } else if (req.method === 'PUT') {
        const put = { declared: Number(req.headers['content-length']), received: 0, complete: false };
        puts.set(url.pathname, put);
        req.on('data', (chunk: Buffer) => (put.received += chunk.length));
        req.on('end', () => {
          put.complete = true;
          res.writeHead(200, { etag: '"0"' }).end();
        });
        req.on('error', () => {});
      } else {
        res.writeHead(501).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      const report = await syncZip({
        zip: rawZip([
          { name: 'ok.bin', data: noise(STREAMED, 6) },
          { name: 'bad.bin', data: noise(STREAMED, 7), crc32Override: 0x12345678 },
          { name: 'short.bin', data: noise(STREAMED, 8), compress: true, sizeOverride: STREAMED + 100 },
        ]),
        bucket: BUCKET,
        prefix: 'wire',
        clientOptions: { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials },
      });
      assert.deepEqual(report.failures.map((f) => [f.key, f.code]).sort(), [['wire/bad.bin', 'ENTRY_CORRUPT'], ['wire/short.bin', 'ENTRY_CORRUPT']]);
      // Wait for the server side to see the aborted requests close.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(puts.get(`/${BUCKET}/wire/ok.bin`), { declared: STREAMED, received: STREAMED, complete: true });
      for (const key of ['bad.bin', 'short.bin']) {
        const put = puts.get(`/${BUCKET}/wire/${key}`)!;
        assert.equal(put.complete, false, `${key}: the request body never completed`);
        assert.ok(put.received < put.declared, `${key}: ${put.received} of ${put.declared} bytes arrived`);
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a download body that stalls mid-transfer is cut by the stall timeout', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'stall/get.bin', Body: noise(MiB, 3) }));
    const client = createS3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, stallTimeoutMs: 1_000, maxAttempts: 1 });
    proxy.setRules([{ match: 'GetObject', stallMidBodyMs: 10_000, times: 1 }]);
    const started = Date.now();
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'stall/get.bin' }));
      await assert.rejects(
        (async () => {
          for await (const _chunk of object.Body as Readable);
        })(),
        (error: Error) => error.name === 'TimeoutError' && /timed out after 1000 ms of inactivity/.test(error.message),
      );
      assert.ok(Date.now() - started < 8_000, 'cut long before the stall ends');
    } finally {
      proxy.setRules([]);
      client.destroy();
    }
  });
});
