import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { syncZip, STRATEGY_NAMES, type SyncEvent } from '../../src/internal.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { makeZip, rawZip } from '../helpers/zip-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { assertIfMatchLearning } from '../helpers/test-server.js';

const BUCKET = 'test-bucket';
const FILES = 20; // ≥ 16, so `auto` takes its listing path

/** Text-like files; `flip` changes one byte of one file without changing its size. */
function tree(flip?: string, grow?: string): Array<{ name: string; data: Buffer }> {
  return Array.from({ length: FILES }, (_, i) => {
    const name = `f/${String(i).padStart(2, '0')}.txt`;
    let data = Buffer.from(`line ${i}\n`.repeat(20 + i));
    if (name === flip) data = Buffer.concat([Buffer.from('X'), data.subarray(1)]);
    if (name === grow) data = Buffer.concat([data, Buffer.from('more\n')]);
    return { name, data };
  });
}

async function getBytes(s3: TestS3, key: string): Promise<{ body: Buffer; encoding?: string; type?: string }> {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const body = Buffer.from(await object.Body!.transformToByteArray());
  return { body, ...(object.ContentEncoding ? { encoding: object.ContentEncoding } : {}), ...(object.ContentType ? { type: object.ContentType } : {}) };
}

describe('--compare crc32 and --gzip against s3rver', () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
  });
  after(async () => {
    await s3?.close();
  });

  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: a same-size change is missed by size and caught by crc32, with HEADs only for same-size candidates`, async () => {
      const prefix = `same-size-${strategy}/`;
      const base = { bucket: BUCKET, prefix, client: s3.client, strategy };
      const first = await syncZip({ ...base, zip: await makeZip(tree()) });
      assert.equal(first.counts.new, FILES);

      const changed = await makeZip(tree('f/03.txt', 'f/07.txt'));
      const bySize = await syncZip({ ...base, zip: changed, dryRun: true });
      assert.equal(bySize.counts.updated, 1, 'size sees only the grown file');
      assert.equal(bySize.counts.ignored, FILES - 1);
      assert.equal(bySize.metadataChecks, 0);
      assert.equal(bySize.sameSizeChanges, 0);

      const events: SyncEvent[] = [];
      const byCrc = await syncZip({ ...base, zip: changed, compare: 'crc32', onEvent: (event) => events.push(event) });
      assert.equal(byCrc.counts.updated, 2);
      assert.equal(byCrc.counts.ignored, FILES - 2);
      assert.equal(byCrc.sameSizeChanges, 1);
      const flipped = events.find((event) => event.type === 'entry' && event.entry === 'f/03.txt');
      assert.equal(flipped?.type === 'entry' && flipped.action === 'updated' && flipped.because, 'crc32');
      // HeadObject answers carry metadata; listings do not, so they cost a HEAD per same-size candidate (19 of 20: f/07 grew).
      const expectedMetadataHeads = strategy === 'head' || (strategy === 'auto' && FILES < 16) ? 0 : FILES - 1;
      assert.equal(byCrc.metadataChecks, expectedMetadataHeads);
      const checkHeads = strategy === 'head' ? FILES : 0;
      // Each write sent again to learn radosgw's If-Match form follows one HeadObject.
      const relearned = (byCrc.requests.PutObject ?? 0) - 2;
      assertIfMatchLearning(relearned, 2, JSON.stringify(byCrc.requests));
      assert.equal(byCrc.requests.HeadObject ?? 0, checkHeads + expectedMetadataHeads + relearned, JSON.stringify(byCrc.requests));
      const stored = await getBytes(s3, `${prefix}f/03.txt`);
      assert.equal(stored.body[0], 'X'.charCodeAt(0), 'the flipped byte was uploaded');
      assert.equal(sha256(stored.body), sha256(tree('f/03.txt')[3]!.data));

      const again = await syncZip({ ...base, zip: changed, compare: 'crc32' });
      assert.equal(again.counts.ignored, FILES, 'converged');
    });
  }

  it('stores the zip CRC32 in metadata; objects without it are updated once under crc32, then ignored', async () => {
    const prefix = 'foreign/';
    const files = tree();
    await syncZip({ zip: await makeZip(files.slice(0, 2)), bucket: BUCKET, prefix, client: s3.client });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${prefix}f/00.txt` }));
    const { crc32 } = await import('node:zlib');
    assert.equal(head.Metadata?.['s3zipsync-crc32'], crc32(files[0]!.data).toString(16).padStart(8, '0'));
    // Another tool writes the same bytes without our metadata.
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}f/01.txt`, Body: files[1]!.data }));
    const events: SyncEvent[] = [];
    const run = await syncZip({ zip: await makeZip(files.slice(0, 2)), bucket: BUCKET, prefix, client: s3.client, compare: 'crc32', onEvent: (e) => events.push(e) });
    assert.equal(run.counts.updated, 1);
    assert.equal(run.sameSizeChanges, 0, 'a missing checksum is not a caught change');
    const updated = events.find((e) => e.type === 'entry' && e.action === 'updated');
    assert.equal(updated?.type === 'entry' && updated.action === 'updated' && updated.because, 'no-crc32');
    const rerun = await syncZip({ zip: await makeZip(files.slice(0, 2)), bucket: BUCKET, prefix, client: s3.client, compare: 'crc32' });
    assert.equal(rerun.counts.ignored, 2);
  });

  it('--s3-checksum on: the checksum header does not change the stored bytes on s3rver', async () => {
    const data = randomBytes(300_000);
    await syncZip({ zip: await makeZip([{ name: 'r.bin', data, compress: false }]), bucket: BUCKET, prefix: 'ck/', client: s3.client, s3Checksum: 'on' });
    assert.equal(await objectSha256(s3.client, BUCKET, 'ck/r.bin'), sha256(data));
  });

  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: --gzip stores matching entries gzip-encoded, with the original type, and compares the original size`, async () => {
      const prefix = `gz-${strategy}/`;
      const files = [...tree(), { name: 'keep.bin', data: Buffer.from('not gzipped\n') }];
      const base = { bucket: BUCKET, prefix, client: s3.client, strategy, gzip: ['*.txt'] };
      const first = await syncZip({ ...base, zip: await makeZip(files) });
      assert.equal(first.counts.new, FILES + 1);
      const sizes = await listKeys(s3.client, BUCKET, prefix);
      const text = await getBytes(s3, `${prefix}f/05.txt`);
      assert.equal(text.encoding, 'gzip');
      assert.equal(text.type, 'text/plain');
      assert.ok(text.body.length < files[5]!.data.length, 'stored compressed');
      assert.equal(sizes.get(`${prefix}f/05.txt`), text.body.length);
      assert.equal(sha256(gunzipSync(text.body)), sha256(files[5]!.data), 'gunzip gives the original bytes');
      const plain = await getBytes(s3, `${prefix}keep.bin`);
      assert.equal(plain.encoding, undefined);
      assert.equal(plain.body.toString(), 'not gzipped\n');

      const second = await syncZip({ ...base, zip: await makeZip(files) });
      assert.equal(second.counts.ignored, FILES + 1, 'the original size is compared, not the stored one');
      // A listing shows only the stored size: each present gzip entry costs one HEAD for its original size.
      assert.equal(second.metadataChecks, strategy === 'head' ? 0 : FILES);

      const flipped = [...tree('f/02.txt'), files[FILES]!];
      const third = await syncZip({ ...base, zip: await makeZip(flipped), compare: 'crc32' });
      assert.equal(third.counts.updated, 1);
      assert.equal(third.sameSizeChanges, 1);
      assert.equal(sha256(gunzipSync((await getBytes(s3, `${prefix}f/02.txt`)).body)), sha256(flipped[2]!.data));

      const withoutGzip = await syncZip({ ...base, gzip: [], zip: await makeZip(files.slice(0, 1)) });
      assert.equal(withoutGzip.counts.updated, 1, 'dropping --gzip stores the plain bytes again');
      assert.equal((await getBytes(s3, `${prefix}f/00.txt`)).encoding, undefined);
    });
  }

  it('--gzip: a multipart-sized entry is compressed while streaming and stored whole', async () => {
    const data = randomBytes(6 * 1024 * 1024); // incompressible: the gzip stream spans two 5 MiB parts
    const run = await syncZip({
      zip: await makeZip([{ name: 'big.dat', data, compress: false }]),
      bucket: BUCKET,
      prefix: 'gz-big/',
      client: s3.client,
      gzip: ['*.dat'],
      upload: { partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024 },
    });
    assert.equal(run.counts.new, 1);
    assert.equal(run.requests.UploadPart, 2, JSON.stringify(run.requests));
    assert.equal(sha256(gunzipSync((await getBytes(s3, 'gz-big/big.dat')).body)), sha256(data));
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'gz-big/big.dat' }));
    const { crc32 } = await import('node:zlib');
    assert.deepEqual(head.Metadata, { 's3zipsync-crc32': crc32(data).toString(16).padStart(8, '0'), 's3zipsync-size': String(data.length) });
    assert.equal(head.ContentEncoding, 'gzip');
  });

  it('--gzip: a corrupt entry fails and is never stored', async () => {
    const zip = rawZip([
      { name: 'ok.txt', data: 'fine\n' },
      { name: 'bad.txt', data: 'x'.repeat(5000), crc32Override: 0x12345678, compress: true },
    ]);
    const run = await syncZip({ zip, bucket: BUCKET, prefix: 'gz-bad/', client: s3.client, gzip: ['*.txt'] });
    assert.equal(run.counts.failed, 1);
    assert.match(run.failures[0]!.reason, /corrupt entry "bad.txt": crc32/);
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'gz-bad/')).keys()], ['gz-bad/ok.txt']);
  });

  it('CLI: --compare crc32 reports the same-size changes caught, in text and --json', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'integrity-'));
    const before = join(dir, 'before.zip');
    const afterZip = join(dir, 'after.zip');
    writeFileSync(before, await makeZip(tree()));
    writeFileSync(afterZip, await makeZip(tree('f/11.txt')));
    const args = ['--bucket', BUCKET, '--prefix', 'cli', '--no-progress'];
    assert.equal((await runCli([before, ...args], s3.env)).code, 0);
    const sizeRun = await runCli([afterZip, ...args], s3.env);
    assert.equal(sizeRun.code, 0);
    assert.match(sizeRun.stdout, /Summary: 0 new, 0 updated, 20 ignored/);
    const text = await runCli([afterZip, ...args, '--compare', 'crc32', '--dry-run'], s3.env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Updated! cli\/f\/11\.txt \(\d+ bytes, same size, crc32 changed\) \[dry run\]/);
    assert.match(text.stdout, /Compare crc32: same-size changes caught: 1; HeadObject for metadata a listing lacks: 20/);
    const json = await runCli([afterZip, ...args, '--compare', 'crc32', '--json'], s3.env);
    assert.equal(json.code, 0, json.stderr);
    const summary = JSON.parse(json.stdout.trim().split('\n').at(-1)!);
    assert.equal(summary.sameSizeChanges, 1);
    assert.equal(summary.compare, 'crc32');
    const gz = await runCli([afterZip, '--bucket', BUCKET, '--prefix', 'cli-gz', '--gzip', 'f/0*', '--gzip', '*1.txt', '--no-progress'], s3.env);
    assert.equal(gz.code, 0, gz.stderr);
    const encodings = await Promise.all(['f/05.txt', 'f/11.txt', 'f/12.txt'].map(async (name) => (await getBytes(s3, `cli-gz/${name}`)).encoding));
    assert.deepEqual(encodings, ['gzip', 'gzip', undefined], 'both repeated --gzip patterns apply, nothing else');
    const bad = await runCli([afterZip, ...args, '--compare', 'md5'], s3.env);
    assert.equal(bad.code, 2);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  });
});
