import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { syncZip } from '../../src/index.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { BUFFERED_PUT_MAX_BYTES } from '../../src/upload/route.js';
import { startReverseProxy, type ProxyAction, type ProxiedRequest, type ReverseProxy } from '../../tools/s3-proxy/reverse-proxy.js';
import { objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { runCli } from '../helpers/run-cli.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'cond-bucket';
const MiB = 1024 * 1024;
/** Above the buffered-PUT limit: streamed from the zip in one PutObject. */
const STREAMED_BYTES = BUFFERED_PUT_MAX_BYTES + 188 * 1024;
const UPLOAD = { multipartThreshold: 5 * MiB, partSize: 5 * MiB };

interface Seen {
  operation: string;
  key: string;
  ifNoneMatch?: string;
  ifMatch?: string;
}

/** The writes as the server received them, with their conditional headers, through a proxy in front of it. */
describe('conditional writes: the headers each write carries', () => {
  let s3: TestS3;
  let proxy: ReverseProxy;
  let client: S3Client;
  let dir: string;
  const seen: Seen[] = [];
  /** Answers the next matching request with this instead of forwarding it (a 412 that s3rver never gives). */
  let inject: ((request: ProxiedRequest) => ProxyAction | undefined) | undefined;

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startReverseProxy(s3.endpoint, {
      plugins: [
        {
          onRequest(request) {
            const header = (name: string) => request.headers[name] as string | undefined;
            const key = decodeURIComponent(new URL(request.url, 'http://x').pathname.slice(`/${BUCKET}/`.length));
            seen.push({
              operation: request.operation,
              key,
              ...(header('if-none-match') ? { ifNoneMatch: header('if-none-match') } : {}),
              ...(header('if-match') ? { ifMatch: header('if-match') } : {}),
            });
            return inject?.(request);
          },
        },
      ],
    });
    client = createS3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials });
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-cond-'));
  });
  after(async () => {
    client?.destroy();
    await proxy?.stop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const writes = () => seen.filter((request) => ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload'].includes(request.operation));

  it('new keys go with If-None-Match: *, updated ones with If-Match: the ETag the check saw; parts and the upload start carry none', async () => {
    const small = randomBytes(1000);
    const streamed = randomBytes(STREAMED_BYTES);
    const big = randomBytes(6 * MiB);
    seen.length = 0;
    const first = await syncZip({
      zip: await makeZip([
        { name: 'small.bin', data: small },
        { name: 'streamed.bin', data: streamed },
        { name: 'big.bin', data: big },
        { name: 'page.html', data: '<p>hello</p>'.repeat(100) },
      ]),
      gzip: ['*.html'],
      bucket: BUCKET,
      prefix: 'p',
      client,
      upload: UPLOAD,
    });
    assert.deepEqual(first.counts, { new: 4, updated: 0, ignored: 0, failed: 0, conflict: 0, skipped: 0, notStarted: 0 });
    const firstWrites = writes();
    for (const write of firstWrites) {
      const expected = write.operation === 'PutObject' || write.operation === 'CompleteMultipartUpload' ? { ifNoneMatch: '*' } : {};
      assert.deepEqual({ ifNoneMatch: write.ifNoneMatch, ifMatch: write.ifMatch }, { ifMatch: undefined, ifNoneMatch: undefined, ...expected }, `${write.operation} ${write.key}`);
    }
    assert.deepEqual(firstWrites.filter((write) => write.operation === 'CompleteMultipartUpload').map((write) => write.key), ['p/big.bin']);

    const etags = new Map<string, string>();
    for (const key of ['p/small.bin', 'p/streamed.bin', 'p/big.bin']) {
      etags.set(key, (await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ETag ?? '');
    }
    seen.length = 0;
    const changed = { small: randomBytes(1001), streamed: randomBytes(STREAMED_BYTES + 1024), big: randomBytes(6 * MiB + 1) };
    const second = await syncZip({
      zip: await makeZip([
        { name: 'small.bin', data: changed.small },
        { name: 'streamed.bin', data: changed.streamed },
        { name: 'big.bin', data: changed.big },
      ]),
      bucket: BUCKET,
      prefix: 'p',
      client,
      upload: UPLOAD,
    });
    assert.equal(second.counts.updated, 3, JSON.stringify({ failures: second.failures, writes: writes().filter((w) => w.operation !== 'UploadPart') }));
    assert.equal(second.counts.conflict, 0);
    // The write that stored each key carried If-Match with that key's ETag: quoted on AWS and s3rver;
    // radosgw refuses the quoted one and the run sends it bare (see docs/conditional-writes.md).
    const storing = writes().filter((write) => write.operation === 'PutObject' || write.operation === 'CompleteMultipartUpload');
    for (const [key, etag] of etags) {
      const last = storing.filter((write) => write.key === key).at(-1);
      assert.ok(last?.ifMatch === etag || last?.ifMatch === etag.replaceAll('"', ''), `${key}: ${JSON.stringify(last)} vs ${etag}`);
      assert.equal(last?.ifNoneMatch, undefined);
    }
    assert.equal(await objectSha256(s3.client, BUCKET, 'p/small.bin'), sha256(changed.small));
    assert.equal(await objectSha256(s3.client, BUCKET, 'p/big.bin'), sha256(changed.big));
  });

  it('--no-conditional-writes sends neither header', async () => {
    const zip = join(dir, 'plain.zip');
    writeFileSync(zip, await makeZip([{ name: 'a.txt', data: 'a' }, { name: 'b.bin', data: randomBytes(6 * MiB) }]));
    seen.length = 0;
    const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'off', '--no-conditional-writes'], { ...s3.env, AWS_ENDPOINT_URL_S3: proxy.endpoint });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(writes().filter((write) => write.operation === 'PutObject').length, 2);
    assert.deepEqual(seen.filter((request) => request.ifMatch || request.ifNoneMatch), []);
  });

  it('AWS\'s 409 ConditionalRequestConflict (another write to the key under way) is a lost race too: a `Conflict`, never retried', async () => {
    const zip = join(dir, 'race409.zip');
    writeFileSync(zip, await makeZip([{ name: 'mine.txt', data: 'mine' }, { name: 'busy.txt', data: 'ours' }]));
    seen.length = 0;
    inject = (request) =>
      request.operation === 'PutObject' && request.url.includes('busy.txt')
        ? { respond: { status: 409, code: 'ConditionalRequestConflict', message: 'A conflicting conditional operation is currently in progress against this resource.' } }
        : undefined;
    try {
      const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'race409'], { ...s3.env, AWS_ENDPOINT_URL_S3: proxy.endpoint });
      assert.equal(run.code, 1, run.stderr);
      assert.ok(
        run.stdout
          .split('\n')
          .includes('Conflict race409/busy.txt: race409/busy.txt was being written by someone else at the same time; this version was not stored (409 ConditionalRequestConflict to If-None-Match: *)'),
        run.stdout,
      );
      assert.match(run.stdout, /^Summary: 1 new, 0 updated, 0 ignored, 0 failed, 1 conflict$/m);
      assert.equal(writes().filter((write) => write.key === 'race409/busy.txt').length, 1);
    } finally {
      inject = undefined;
    }
  });

  it('a 412 is one `Conflict` line (with its detail under --verbose), counted, exit status 1, never retried', async () => {
    const zip = join(dir, 'race.zip');
    writeFileSync(zip, await makeZip([{ name: 'mine.txt', data: 'mine' }, { name: 'taken.txt', data: 'ours' }]));
    seen.length = 0;
    inject = (request) =>
      request.operation === 'PutObject' && request.url.includes('taken.txt') ? { respond: { status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold' } } : undefined;
    try {
      const run = await runCli([zip, '--bucket', BUCKET, '--prefix', 'race', '--verbose'], { ...s3.env, AWS_ENDPOINT_URL_S3: proxy.endpoint });
      assert.equal(run.code, 1, run.stderr);
      const lines = run.stdout.split('\n');
      assert.ok(lines.includes('New! race/mine.txt (4 bytes)'), run.stdout);
      assert.ok(
        lines.includes('Conflict race/taken.txt: race/taken.txt was created by someone else since it was checked; their version was kept (412 to If-None-Match: *)'),
        run.stdout,
      );
      // How it was checked and that one attempt was sent, as for every other outcome.
      assert.equal(lines[lines.findIndex((line) => line.startsWith('Conflict race/taken.txt')) + 1]?.replace(/checked by [^;]+/, 'checked by …'), '  absent; checked by …; 1 attempt', run.stdout);
      assert.match(run.stdout, /^Summary: 1 new, 0 updated, 0 ignored, 0 failed, 1 conflict$/m);
      assert.equal(writes().filter((write) => write.key === 'race/taken.txt').length, 1);
      assert.equal(run.stderr, '');
    } finally {
      inject = undefined;
    }
  });
});
