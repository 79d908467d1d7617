import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { syncZip } from '../../src/index.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { startReverseProxy, type ProxyAction, type ProxiedRequest, type ReverseProxy } from '../../tools/s3-proxy/reverse-proxy.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { openMultipartUploads } from '../helpers/s3-state.js';
import { runCli } from '../helpers/run-cli.js';
import { onlyOn } from '../helpers/test-server.js';
import { makeZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'cond-race';

// s3rver ignores If-None-Match and If-Match, so only a server that honours them can show that a write
// racing another writer is refused (412) and reported, and that the other version is what stays.
describe('conditional writes against another writer (radosgw)', { skip: onlyOn('rgw', 'the server must answer 412 to a failed If-None-Match / If-Match') }, () => {
  let s3: TestS3;
  let proxy: ReverseProxy;
  let client: S3Client;
  let dir: string;
  /** Sees every request the sync sends (through the proxy); the other writer talks to the server directly. */
  let hook: ((request: ProxiedRequest) => ProxyAction | undefined) | undefined;

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    proxy = await startReverseProxy(s3.endpoint, { plugins: [{ onRequest: (request) => hook?.(request) }] });
    client = createS3Client({ endpoint: proxy.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials });
    dir = mkdtempSync(join(tmpdir(), 's3zipsync-race-'));
  });
  after(async () => {
    client?.destroy();
    await proxy?.stop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = async (key: string) => (await (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body?.transformToString()) ?? '';

  /** When the sync's PutObject of `key` arrives, the other writer stores `theirs` first (the PUT waits for it). */
  function otherWriterBefore(key: string, theirs: string): () => Promise<void> {
    let written: Promise<unknown> | undefined;
    hook = (request) => {
      if (written || request.operation !== 'PutObject' || !request.url.startsWith(`/${BUCKET}/${key}`)) return undefined;
      written = s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: theirs }));
      return { delayMs: 1500 };
    };
    return async () => {
      hook = undefined;
      assert.ok(written, `the sync never sent a PutObject of ${key}`);
      await written;
    };
  }

  it('New! onto a key created since the check: Conflict, and the other version stays', async () => {
    const done = otherWriterBefore('n/taken.txt', 'theirs');
    const report = await syncZip({ zip: await makeZip([{ name: 'taken.txt', data: 'ours!' }, { name: 'mine.txt', data: 'mine' }]), bucket: BUCKET, prefix: 'n', client });
    await done();
    assert.equal(report.counts.new, 1);
    assert.equal(report.counts.conflict, 1);
    assert.equal(report.complete, false);
    assert.deepEqual(report.failures.map((failure) => [failure.key, failure.code]), [['n/taken.txt', 'CONFLICT']]);
    assert.equal(await read('n/taken.txt'), 'theirs');
    assert.equal(await read('n/mine.txt'), 'mine');
  });

  it('Updated! onto a key changed since the check: Conflict, and the other version stays', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'u/page.txt', Body: 'old' }));
    const done = otherWriterBefore('u/page.txt', 'theirs, changed');
    const report = await syncZip({ zip: await makeZip([{ name: 'page.txt', data: 'ours, a new page' }]), bucket: BUCKET, prefix: 'u', client });
    await done();
    assert.equal(report.counts.conflict, 1, JSON.stringify(report.failures));
    assert.equal(report.counts.updated, 0);
    assert.equal(await read('u/page.txt'), 'theirs, changed');
  });

  it('an update nobody raced is stored, though radosgw refuses the quoted If-Match', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'q/page.txt', Body: 'old' }));
    const report = await syncZip({ zip: await makeZip([{ name: 'page.txt', data: 'new page' }]), bucket: BUCKET, prefix: 'q', client });
    assert.equal(report.counts.updated, 1, JSON.stringify(report.failures));
    assert.equal(await read('q/page.txt'), 'new page');
  });

  // radosgw 16.2 ignores both headers on CompleteMultipartUpload (docs/conditional-writes.md), so the
  // 412 AWS would give there is the proxy's; what is tested is that such an answer aborts the upload.
  it('a 412 to CompleteMultipartUpload is a Conflict, and the upload is aborted: none left open', async () => {
    const big = randomBytes(6 * 1024 * 1024);
    hook = (request) => (request.operation === 'CompleteMultipartUpload' ? { respond: { status: 412, code: 'PreconditionFailed' } } : undefined);
    try {
      const report = await syncZip({
        zip: await makeZip([{ name: 'big.bin', data: big }]),
        bucket: BUCKET,
        prefix: 'm',
        client,
        upload: { multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 },
      });
      assert.equal(report.counts.conflict, 1, JSON.stringify(report.failures));
      assert.match(report.failures[0]!.reason, /^m\/big\.bin was created by someone else since it was checked; their version was kept \(412 to If-None-Match: \*\)$/);
      assert.equal(report.requests.AbortMultipartUpload, 1);
    } finally {
      hook = undefined;
    }
    assert.deepEqual(await openMultipartUploads(s3.client, BUCKET), []);
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'm/')).keys()], []);
    // The same upload without the injected answer goes through: the test above failed for the 412 alone.
    const again = await syncZip({ zip: await makeZip([{ name: 'big.bin', data: big }]), bucket: BUCKET, prefix: 'm', client, upload: { multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 } });
    assert.equal(again.counts.new, 1);
    assert.equal(await objectSha256(s3.client, BUCKET, 'm/big.bin'), sha256(big));
  });

  it('two processes syncing different zips into one prefix: each key holds one version, every loser says Conflict', async (t) => {
    const KEYS = 200;
    const names = Array.from({ length: KEYS }, (_, i) => `file-${String(i).padStart(3, '0')}.txt`);
    // Different sizes, so the listing afterwards tells whose version each key holds.
    const versions = { a: (i: number) => `A${i}`, b: (i: number) => `BB${i}-` };
    for (const side of ['a', 'b'] as const) {
      writeFileSync(join(dir, `${side}.zip`), await makeZip(names.map((name, i) => ({ name, data: versions[side](i) }))));
    }
    // Both runs must have listed the (empty) prefix before either writes, so that both decide New! for
    // every key: every PUT that arrives within 8 s of the first one is held until that moment, so both
    // runs' first writes are released together, then they race key by key.
    let listings = 0;
    let releaseAt: number | undefined;
    let secondListingAt: number | undefined;
    hook = (request) => {
      if (request.operation === 'ListObjectsV2' && ++listings === 2) secondListingAt = Date.now();
      if (request.operation !== 'PutObject') return undefined;
      releaseAt ??= Date.now() + 8000;
      const wait = releaseAt - Date.now();
      return wait > 0 ? { delayMs: wait } : undefined;
    };
    const env = { ...s3.env, AWS_ENDPOINT_URL_S3: proxy.endpoint };
    const runs = await Promise.all(
      (['a', 'b'] as const).map((side) => runCli([join(dir, `${side}.zip`), '--bucket', BUCKET, '--prefix', 'race', '--strategy', 'bulk'], env)),
    );
    hook = undefined;
    assert.ok(secondListingAt !== undefined && releaseAt !== undefined && secondListingAt < releaseAt, 'the second run listed only after the writes were released: raise the hold');
    const outcomes = runs.map((run) => {
      const byKey = new Map<string, string>();
      for (const line of run.stdout.split('\n')) {
        const match = /^(New!|Updated!|Ignored|Conflict|Failed) (race\/[^ :]+)/.exec(line);
        if (match) byKey.set(match[2]!, match[1]!);
      }
      return byKey;
    });
    const stored = await listKeys(s3.client, BUCKET, 'race/');
    assert.equal(stored.size, KEYS);
    const conflicts = [0, 0];
    for (const [i, name] of names.entries()) {
      const key = `race/${name}`;
      const [a, b] = [outcomes[0]!.get(key), outcomes[1]!.get(key)];
      const holder = stored.get(key) === versions.a(i).length ? 0 : stored.get(key) === versions.b(i).length ? 1 : -1;
      assert.notEqual(holder, -1, `${key}: neither version (${stored.get(key)} bytes)`);
      assert.deepEqual([a, b].sort(), ['Conflict', 'New!'], `${key}: ${a} / ${b}`);
      assert.equal([a, b][holder], 'New!', `${key} holds the version of the run that said ${[a, b][holder]}`);
      conflicts[1 - holder]!++;
    }
    for (const [side, run] of runs.entries()) assert.equal(run.code, conflicts[side]! > 0 ? 1 : 0, run.stderr);
    t.diagnostic(`race of ${KEYS} keys: run A won ${conflicts[1]}, run B won ${conflicts[0]}; each loser reported Conflict, no key overwritten`);
  });
});
