import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHandler, type HandlerResult } from '../../src/lambda/handler.js';
import type { LogLine } from '../../src/lambda/log.js';
import { createS3Client } from '../../src/s3/create-client.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { makeZip, type ZipFileSpec } from '../helpers/zip-fixtures.js';

const INCOMING = 'incoming';
const TARGET = 'extracted';

function files(count: number, seed: number): ZipFileSpec[] {
  return Array.from({ length: count }, (_, i) => ({ name: `dir${i % 3}/file-${i}.txt`, data: `file ${i} of run ${seed}\n`.repeat(1 + (i % 40)) }));
}

function s3Event(key: string) {
  // As S3 sends it: URL-encoded, `+` for a space.
  const encoded = encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
  return { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: INCOMING }, object: { key: encoded } } }] };
}

describe('lambda handler against s3rver', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3([INCOMING, TARGET]);
  });
  after(async () => {
    await s3?.close();
  });

  function handlerWith(env: Record<string, string> = {}) {
    const lines: LogLine[] = [];
    const handler = createHandler({
      client: s3.client,
      env: { TARGET_BUCKET: TARGET, TARGET_PREFIX: 'out/{stem}/', ...env },
      log: (line) => lines.push(JSON.parse(JSON.stringify(line)) as LogLine),
    });
    return { handler, lines };
  }

  it('syncs a zip named by an S3 event, and a second event finds every file Ignored', async () => {
    const specs = files(40, 1);
    const key = 'uploads/build 42.zip';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: await makeZip(specs) }));
    const { handler, lines } = handlerWith();

    const first = await handler({ Records: [...s3Event(key).Records, ...s3Event('uploads/readme.txt').Records] });
    assert.equal(first.complete, true);
    assert.equal(first.archives.length, 1);
    const archive = first.archives[0]!;
    assert.deepEqual(archive.source, { bucket: INCOMING, key });
    assert.deepEqual(archive.target, { bucket: TARGET, prefix: 'out/uploads/build 42/' });
    assert.deepEqual(archive.report?.counts, { new: 40, updated: 0, ignored: 0, failed: 0, conflict: 0, skipped: 0, notStarted: 0 });
    assert.equal(archive.remaining, 0);
    assert.deepEqual(first.skipped, [{ reason: 'not a .zip key', bucket: INCOMING, key: 'uploads/readme.txt' }]);
    const stored = await listKeys(s3.client, TARGET, 'out/uploads/build 42/');
    assert.equal(stored.size, 40);
    const sample = specs[7]!;
    assert.equal(await objectSha256(s3.client, TARGET, `out/uploads/build 42/${sample.name}`), sha256(sample.data));

    assert.ok(lines.some((line) => line.message === 'skipped' && line.key === 'uploads/readme.txt'));
    assert.equal(lines.filter((line) => line.message === 'entry' && line.action === 'new').length, 40);
    const summary = lines.at(-1)!;
    assert.equal(summary.message, 'summary');
    assert.equal(summary.complete, true);

    const second = await handler(s3Event(key));
    assert.deepEqual(second.archives[0]!.report?.counts, { new: 0, updated: 0, ignored: 40, failed: 0, conflict: 0, skipped: 0, notStarted: 0 });
    assert.equal(second.archives[0]!.report?.requests.PutObject, undefined);
    assert.equal(second.complete, true);
  });

  it('COMPARE=crc32 and GZIP from the environment: a same-size change is caught, matching entries are stored gzipped', async () => {
    const key = 'integrity/site.zip';
    const put = async (body: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: await makeZip([{ name: 'a.txt', data: body }, { name: 'b.sym', data: 'symbols\n'.repeat(200) }]) }));
    const { handler } = handlerWith({ COMPARE: 'crc32', GZIP: '*.sym' });
    await put('version 1\n');
    await handler(s3Event(key));
    await put('version 2\n'); // same size, other bytes
    const second = await handler(s3Event(key));
    const report = second.archives[0]!.report!;
    assert.deepEqual(report.counts, { new: 0, updated: 1, ignored: 1, failed: 0, conflict: 0, skipped: 0, notStarted: 0 });
    assert.equal(report.sameSizeChanges, 1);
    assert.equal(await objectSha256(s3.client, TARGET, 'out/integrity/site/a.txt'), sha256('version 2\n'));
    const stored = await listKeys(s3.client, TARGET, 'out/integrity/site/');
    assert.ok(stored.get('out/integrity/site/b.sym')! < 'symbols\n'.length * 200, 'b.sym is stored compressed');
  });

  it('stops starting entries near the deadline, reports what remains, and the next invocation finishes', async () => {
    const specs = files(60, 2);
    const key = 'deadline/big.zip';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: await makeZip(specs) }));
    const event = { Records: [{ eventSource: 'aws:sqs', messageId: 'msg-1', body: JSON.stringify(s3Event(key)) }] };
    // Plenty of time for the first 25 questions, then 10 s left: below the 30 s margin.
    let asked = 0;
    const runningOut = { getRemainingTimeInMillis: () => (asked++ < 25 ? 600_000 : 10_000) };
    const { handler } = handlerWith({ FAIL_ON_INCOMPLETE: 'true', CONCURRENCY: '4' });

    const error = await handler(event, runningOut).then(
      () => assert.fail('an incomplete run must throw with FAIL_ON_INCOMPLETE'),
      (caught: unknown) => caught as { name: string; message: string; result: HandlerResult },
    );
    assert.equal(error.name, 'IncompleteSync');
    assert.equal(error.message, `incomplete, run again to finish: s3://${INCOMING}/${key}`);
    const first = error.result.archives[0]!;
    assert.equal(first.complete, false);
    const counts = first.report!.counts;
    assert.ok(counts.new > 0 && counts.notStarted > 0, JSON.stringify(counts));
    assert.equal(counts.new + counts.notStarted, 60);
    assert.equal(first.remaining, counts.notStarted);
    assert.deepEqual(error.result.batchItemFailures, [{ itemIdentifier: 'msg-1' }]);
    // Nothing half-written: exactly the entries reported new are in the target.
    assert.equal((await listKeys(s3.client, TARGET, 'out/deadline/big/')).size, counts.new);

    const plenty = { getRemainingTimeInMillis: () => 600_000 };
    const second = await handler(event, plenty);
    assert.equal(second.complete, true);
    assert.deepEqual(second.archives[0]!.report!.counts, { new: counts.notStarted, updated: 0, ignored: counts.new, failed: 0, conflict: 0, skipped: 0, notStarted: 0 });
    assert.deepEqual(second.batchItemFailures, []);
    assert.equal((await listKeys(s3.client, TARGET, 'out/deadline/big/')).size, 60);
  });

  it('past the abort margin, uploads in flight are aborted mid-body, and a retry finishes with the right bytes', async () => {
    // Entries 6–9 are 10 MB, stored: their data streams in GETs of 8 MiB. Once uploads have begun,
    // reads of the zip beyond its first 8 MiB are held back for 6 s, so these four uploads (concurrency 4)
    // are mid-body when the abort margin is reached, 3 s into the run.
    const specs = files(30, 3).map((spec, i) => (i >= 6 && i < 10 ? { ...spec, data: randomBytes(10 * 1024 * 1024), compress: false } : spec));
    const key = 'abort/slow.zip';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: await makeZip(specs) }));
    const client = createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials });
    let stalling = true;
    let uploading = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand') uploading = true;
        const range = /^bytes=(\d+)-/.exec((args.input as { Range?: string }).Range ?? '');
        if (stalling && uploading && range && Number(range[1]) >= 8 * 1024 * 1024) await sleep(6_000);
        return next(args);
      },
      { step: 'initialize', name: 'stallLateSourceReads' },
    );
    try {
      const handler = createHandler({
        client,
        env: { TARGET_BUCKET: TARGET, TARGET_PREFIX: 'out/{stem}/', CONCURRENCY: '4', DEADLINE_MARGIN_MS: '5000', ABORT_MARGIN_MS: '5000' },
        log: () => {},
      });
      const first = (await handler({ bucket: INCOMING, key }, { getRemainingTimeInMillis: () => 8_000 })).archives[0]!;
      const counts = first.report!.counts;
      assert.equal(first.complete, false);
      assert.deepEqual(counts, { new: 6, updated: 0, ignored: 0, failed: 4, conflict: 0, skipped: 0, notStarted: 20 });
      assert.deepEqual(first.report!.failures.map((failure) => failure.code), ['ABORTED', 'ABORTED', 'ABORTED', 'ABORTED']);
      assert.equal(first.remaining, 24);
      // S3 stores nothing of a PutObject cut short of its Content-Length. s3rver, unlike S3, keeps the
      // bytes it received: such a leftover is shorter than the entry, so the next run replaces it.
      const stored = await listKeys(s3.client, TARGET, 'out/abort/slow/');
      const leftovers = specs.slice(6, 10).filter((spec) => stored.has(`out/abort/slow/${spec.name}`));
      for (const spec of leftovers) assert.ok(stored.get(`out/abort/slow/${spec.name}`)! < spec.data.length, `${spec.name} is truncated`);
      assert.equal(stored.size, 6 + leftovers.length, 'nothing else was written');

      stalling = false;
      const second = (await handler({ bucket: INCOMING, key })).archives[0]!;
      assert.equal(second.complete, true);
      assert.deepEqual(second.report!.counts, { new: 24 - leftovers.length, updated: leftovers.length, ignored: 6, failed: 0, conflict: 0, skipped: 0, notStarted: 0 });
      for (const spec of specs.slice(6, 10)) {
        assert.equal(await objectSha256(s3.client, TARGET, `out/abort/slow/${spec.name}`), sha256(spec.data), spec.name);
      }
      assert.equal((await listKeys(s3.client, TARGET, 'out/abort/slow/')).size, 30);
    } finally {
      client.destroy();
    }
  });

  it('a broken archive is reported with its code and not handed back for redelivery', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: 'broken.zip', Body: 'not a zip at all, just text '.repeat(10) }));
    const { handler, lines } = handlerWith();
    const result = await handler({ Records: [{ eventSource: 'aws:sqs', messageId: 'msg-2', body: JSON.stringify(s3Event('broken.zip')) }] });
    assert.equal(result.complete, false);
    assert.equal(result.archives[0]!.error?.code, 'INVALID_ARCHIVE');
    assert.match(result.archives[0]!.error!.message, /^not a valid zip archive \(s3:\/\/incoming\/broken\.zip\)/);
    assert.deepEqual(result.batchItemFailures, []);
    assert.ok(lines.some((line) => line.level === 'error' && line.message === 'archive failed'));
  });

  it('NORMALIZE_NAMES=nfc stores an NFD name from macOS under its NFC key, as --normalize-names does', async () => {
    const nfd = 'cafe\u0301.txt';
    await s3.client.send(new PutObjectCommand({ Bucket: INCOMING, Key: 'names.zip', Body: await makeZip([{ name: nfd, data: 'menu' }]) }));
    assert.equal((await handlerWith().handler(s3Event('names.zip'))).complete, true);
    assert.deepEqual([...(await listKeys(s3.client, TARGET, 'out/names/')).keys()], [`out/names/${nfd}`], 'without it the key keeps the name as archived');
    assert.equal((await handlerWith({ TARGET_PREFIX: 'nfc/', NORMALIZE_NAMES: 'nfc' }).handler(s3Event('names.zip'))).complete, true);
    assert.deepEqual([...(await listKeys(s3.client, TARGET, 'nfc/')).keys()], [`nfc/${nfd.normalize('NFC')}`]);
  });
});
