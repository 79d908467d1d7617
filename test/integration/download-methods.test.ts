import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { createS3Client } from '../../src/s3/create-client.js';
import { deletePrefix, uniqueRunPrefix } from '../../bench/s3-prefix.js';
import { createMethods } from '../../bench/suites/download/methods.js';
import {
  createFixtures,
  formatFixtureSize,
  formatRejection,
  sanityCheckMethods,
  textLikeData,
} from '../../bench/suites/download/fixtures.js';
import type { DownloadMethod, Fixture } from '../../bench/suites/download/types.js';
import { listKeys, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';

const BUCKET = 'download-bench';
const SIZE = 300 * 1024;
const FIRST_RANGE = 64 * 1024;

/** Wrong on purpose: hashes the bytes as stored, so a gzip fixture comes back still compressed. */
const storedBytesMethod: DownloadMethod = {
  name: 'stored-bytes',
  family: 'whole',
  async download(target) {
    const response = await target.client.send(new GetObjectCommand({ Bucket: target.bucket, Key: target.key }));
    const bytes = Buffer.from(await response.Body!.transformToByteArray());
    return { bytes: bytes.length, sha256: sha256(bytes) };
  },
};

describe('download bench: methods and fixtures', () => {
  let s3: TestS3;
  let prefix: string;
  let fixtures: Fixture[];

  before(async () => {
    s3 = await startTestS3([BUCKET]);
    prefix = uniqueRunPrefix('', 'download');
    fixtures = await createFixtures(s3.client, BUCKET, prefix, [SIZE]);
  });
  after(async () => {
    if (s3) {
      const { leftover } = await deletePrefix(s3.client, BUCKET, prefix);
      assert.equal(leftover, 0);
      assert.equal((await listKeys(s3.client, BUCKET)).size, 0);
      await s3.close();
    }
  });

  it('uploads a plain and a gzip fixture per size, stored about as large as asked', () => {
    assert.deepEqual(
      fixtures.map((fixture) => fixture.name),
      ['300KB plain', '300KB gzip'],
    );
    const [plain, gzipped] = fixtures as [Fixture, Fixture];
    assert.equal(plain.target.storedBytes, SIZE);
    assert.equal(plain.target.decodedBytes, SIZE);
    assert.equal(gzipped.target.decodedBytes, Math.round(SIZE * 4.5));
    assert.ok(Math.abs(gzipped.target.storedBytes - SIZE) < SIZE * 0.2, `stored ${gzipped.target.storedBytes} bytes`);
    assert.equal(gzipped.target.gzipped, true);
  });

  it('stores the gzip fixture with its content headers', async () => {
    const gzipped = fixtures[1]!;
    const response = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: gzipped.target.key }));
    await response.Body!.transformToByteArray();
    assert.equal(response.ContentEncoding, 'gzip');
    assert.equal(response.ContentType, 'text/plain');
  });

  it('every method returns the decoded bytes of both fixtures', async () => {
    const methods = createMethods({ parallel: 4, firstRangeBytes: FIRST_RANGE });
    assert.deepEqual(
      methods.map((method) => method.name),
      ['whole', 'chunks-512', 'chunks-1024', 'chunks-natural', 'gunzip', 'fetch-whole', 'fetch-stream', 'ranged-4'],
    );
    for (const method of methods) {
      for (const fixture of fixtures) {
        const got = await method.download(fixture.target);
        assert.deepEqual(
          got,
          { bytes: fixture.target.decodedBytes, sha256: fixture.target.decodedSha256 },
          `${method.name} on ${fixture.name}`,
        );
      }
    }
  });

  it('selects variants by family', () => {
    const names = createMethods({ families: ['ranged-parallel', 'chunks'], parallel: 8 }).map((method) => method.name);
    assert.deepEqual(names, ['chunks-512', 'chunks-1024', 'chunks-natural', 'ranged-8']);
  });

  it('ranged-4 splits what follows the first range into four range requests', async () => {
    const ranges: string[] = [];
    const client = createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials });
    client.middlewareStack.add(
      (next) => async (args) => {
        const range = (args.request as { headers?: Record<string, string> }).headers?.range;
        if (range) ranges.push(range);
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    try {
      const [ranged] = createMethods({ families: ['ranged-parallel'], parallel: 4, firstRangeBytes: FIRST_RANGE });
      for (const fixture of fixtures) {
        ranges.length = 0;
        const got = await ranged!.download({ ...fixture.target, client });
        assert.equal(got.sha256, fixture.target.decodedSha256);
        assert.equal(ranges.length, 5, `${fixture.name}: ${ranges.join(', ')}`);
        assert.equal(ranges[0], `bytes=0-${FIRST_RANGE - 1}`);
        assert.match(ranges.at(-1)!, new RegExp(`-${fixture.target.storedBytes - 1}$`));
      }
    } finally {
      client.destroy();
    }
  });

  it('handles objects smaller than the first range, and of one byte', async () => {
    const tiny = await createFixtures(s3.client, BUCKET, prefix, [1, 1000]);
    const methods = createMethods({});
    const { ok, rejected } = await sanityCheckMethods(methods, tiny);
    assert.deepEqual(rejected.map(formatRejection), []);
    assert.equal(ok.length, methods.length);
  });

  it('rejects a method that returns wrong bytes, naming it and the fixture, and keeps the others', async () => {
    const methods = [...createMethods({ families: ['whole', 'gunzip'] }), storedBytesMethod];
    const { ok, rejected } = await sanityCheckMethods(methods, fixtures);
    assert.deepEqual(
      ok.map((method) => method.name),
      ['whole', 'gunzip'],
    );
    // Right on the plain fixture, where stored and decoded bytes are the same, wrong on the gzip one.
    assert.equal(rejected.length, 1);
    const [rejection] = rejected;
    assert.equal(rejection!.method, 'stored-bytes');
    assert.equal(rejection!.fixture, '300KB gzip');
    assert.match(formatRejection(rejection!), /^method stored-bytes on fixture "300KB gzip": returned \d+ bytes .* expected 1382400 bytes/);
  });

  it('counts a method that throws as wrong, with its message', async () => {
    const failing: DownloadMethod = {
      name: 'always-fails',
      family: 'whole',
      download: async () => {
        throw new Error('no route to bucket');
      },
    };
    const { ok, rejected } = await sanityCheckMethods([failing], fixtures.slice(0, 1));
    assert.deepEqual(ok, []);
    assert.deepEqual(rejected, [{ method: 'always-fails', fixture: '300KB plain', problem: 'failed: no route to bucket' }]);
  });

  it('a method that fails mid-body frees its socket: with one socket, later downloads still run', async () => {
    // gzip magic, then garbage: every method fails while decoding, after the body started to flow.
    const corruptKey = `${prefix}corrupt.gz`;
    const corrupt = Buffer.concat([Buffer.from([0x1f, 0x8b]), textLikeData(SIZE, 5)]);
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: corruptKey, Body: corrupt, ContentLength: corrupt.length }));
    const client = createS3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials, maxSockets: 1 });
    try {
      const corruptTarget = { ...fixtures[1]!.target, client, key: corruptKey, storedBytes: corrupt.length };
      const missingTarget = { ...fixtures[1]!.target, client, key: `${prefix}missing` };
      for (const method of createMethods({ firstRangeBytes: FIRST_RANGE })) {
        await assert.rejects(method.download(corruptTarget), Error, `${method.name} on corrupt gzip`);
        await assert.rejects(method.download(missingTarget), Error, `${method.name} on a missing key`);
        // A body left unread would hold the only socket and this download would never start.
        const got = await method.download({ ...fixtures[1]!.target, client });
        assert.equal(got.sha256, fixtures[1]!.target.decodedSha256, method.name);
      }
    } finally {
      client.destroy();
    }
  });
});

describe('download bench: text-like data', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = textLikeData(200_000, 7);
    assert.ok(a.equals(textLikeData(200_000, 7)));
    assert.ok(!a.equals(textLikeData(200_000, 8)));
    assert.equal(textLikeData(0, 1).length, 0);
    assert.equal(textLikeData(12_345, 1).length, 12_345);
  });

  it('looks like text: printable words, spaces and newlines', () => {
    const text = textLikeData(100_000, 3).toString('latin1');
    assert.match(text, /^[a-z \n]+$/);
    assert.ok(text.split('\n').length > 1000);
  });

  for (const bytes of [1024 * 1024, 4 * 1024 * 1024]) {
    it(`gzips about 4.5× (±20%) at ${formatFixtureSize(bytes)}`, () => {
      const data = textLikeData(bytes, 11);
      const ratio = data.length / gzipSync(data).length;
      assert.ok(ratio > 4.5 / 1.2 && ratio < 4.5 * 1.2, `ratio ${ratio.toFixed(2)}`);
    });
  }

  it('names sizes in whole MB, else KB, else bytes', () => {
    assert.equal(formatFixtureSize(18 * 1024 * 1024), '18MB');
    assert.equal(formatFixtureSize(300 * 1024), '300KB');
    assert.equal(formatFixtureSize(1536 * 1024), '1536KB');
    assert.equal(formatFixtureSize(1000), '1000B');
  });
});
