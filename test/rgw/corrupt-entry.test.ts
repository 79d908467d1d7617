import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { syncZip } from '../../src/index.js';
import { listKeys, objectSha256, sha256, startTestS3, type TestS3 } from '../helpers/local-s3.js';
import { openMultipartUploads, putObjects } from '../helpers/s3-state.js';
import { onlyOn } from '../helpers/test-server.js';
import { rawZip } from '../helpers/zip-fixtures.js';

const BUCKET = 'corrupt-bucket';
const MiB = 1024 * 1024;
const UPLOAD = { multipartThreshold: 5 * MiB, partSize: 5 * MiB };

// s3rver keeps whatever part of a PutObject body arrived before the client cut the request; S3 (and
// radosgw) store nothing of a body shorter than its Content-Length, so only here can "a corrupt entry
// leaves the old object untouched" be shown end to end.
describe('a corrupt entry leaves no object, and an existing object untouched (radosgw)', { skip: onlyOn('rgw', 'the server must discard a PutObject body cut short') }, () => {
  let s3: TestS3;
  before(async () => {
    s3 = await startTestS3([BUCKET]);
  });
  after(async () => {
    await s3?.close();
  });

  it('single PutObject and multipart: the old bytes stay, a new key never appears, no upload stays open', async () => {
    const old = new Map<string, Buffer>([
      ['c/page.html', Buffer.from('<p>old page</p>')],
      ['c/movie.bin', randomBytes(MiB)],
    ]);
    await putObjects(s3.client, BUCKET, old);
    const report = await syncZip({
      // Every corrupt entry differs in size from the stored object, so each is an update when checked.
      zip: rawZip([
        { name: 'ok.txt', data: 'fine' },
        { name: 'page.html', data: randomBytes(2 * MiB), crc32Override: 0x12345678 },
        { name: 'movie.bin', data: randomBytes(7 * MiB), crc32Override: 0x12345678 },
        { name: 'fresh-small.bin', data: randomBytes(MiB), crc32Override: 0x12345678 },
        { name: 'fresh-big.bin', data: randomBytes(6 * MiB), crc32Override: 0x12345678 },
      ]),
      bucket: BUCKET,
      prefix: 'c',
      client: s3.client,
      upload: UPLOAD,
    });
    assert.equal(report.counts.new, 1);
    assert.deepEqual(
      report.failures.map((f) => [f.key, f.code]).sort(),
      [['c/fresh-big.bin', 'ENTRY_CORRUPT'], ['c/fresh-small.bin', 'ENTRY_CORRUPT'], ['c/movie.bin', 'ENTRY_CORRUPT'], ['c/page.html', 'ENTRY_CORRUPT']],
    );
    assert.ok((report.requests.CreateMultipartUpload ?? 0) >= 2, 'the big entries went multipart');
    assert.equal(report.requests.CompleteMultipartUpload ?? 0, 0);
    for (const [key, bytes] of old) assert.equal(await objectSha256(s3.client, BUCKET, key), sha256(bytes), `${key} still holds its old bytes`);
    assert.deepEqual([...(await listKeys(s3.client, BUCKET, 'c/')).keys()].sort(), ['c/movie.bin', 'c/ok.txt', 'c/page.html']);
    assert.deepEqual(await openMultipartUploads(s3.client, BUCKET), []);
  });
});
