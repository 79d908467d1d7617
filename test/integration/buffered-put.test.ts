import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { syncZip } from '../../src/internal.js';
import { s3ErrorXml, startRecordingServer, xmlAnswer, type RecordingServer, type Responder } from '../helpers/recording-server.js';
import { rawZip } from '../helpers/zip-fixtures.js';

const EMPTY_LISTING = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>';

/** A stand-in S3 that knows no objects: listings are empty, HEADs 404, PUTs succeed. */
const emptyBucket: Responder = (request, response) => {
  if (request.method === 'GET') xmlAnswer(200, EMPTY_LISTING)(request, response);
  else if (request.method === 'HEAD') response.writeHead(404).end();
  else response.writeHead(200, { etag: '"0"' }).end();
};

describe('small entries go as one verified buffer (recording server)', () => {
  let server: RecordingServer;
  before(async () => {
    server = await startRecordingServer(emptyBucket);
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.queue.length = 0;
  });

  const sync = (zip: Buffer, extra: object = {}) =>
    syncZip({
      zip,
      bucket: 'b',
      prefix: 'p',
      strategy: 'head',
      clientOptions: { endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'AKIDBUFFERED', secretAccessKey: 's' } },
      ...extra,
    });
  const puts = () => server.requests.filter((request) => request.method === 'PUT');

  it('a corrupt small entry puts no request and no body byte on the wire; the good one carries checksum and metadata', async () => {
    const report = await sync(
      rawZip([
        { name: 'good.txt', data: 'hello world' },
        { name: 'bad.bin', data: Buffer.alloc(100_000, 7), crc32Override: 0x12345678 },
      ]),
      { s3Checksum: 'on' },
    );
    assert.deepEqual(report.failures.map((failure) => [failure.key, failure.code]), [['p/bad.bin', 'ENTRY_CORRUPT']]);
    assert.deepEqual(puts().map((request) => request.url), ['/b/p/good.txt']);
    const [good] = puts();
    assert.equal(good!.body.toString(), 'hello world');
    assert.equal(good!.headers['x-amz-checksum-crc32'], 'DUoRhQ==');
    assert.equal(good!.headers['x-amz-meta-s3zipsync-crc32'], '0d4a1185');
    assert.equal(report.requests.PutObject, 1);
  });

  it('a PUT that fails is sent again from the buffer, the same bytes, counted once per attempt', async () => {
    const data = Buffer.alloc(200_000, 3);
    let failures = 0;
    server.queue.push((request, response) => emptyBucket(request, response)); // the preflight listing
    server.queue.push((request, response) => emptyBucket(request, response)); // the HEAD
    for (let i = 0; i < 2; i++) {
      server.queue.push((request, response) => {
        failures++;
        xmlAnswer(500, s3ErrorXml('InternalError', 'We encountered an internal error'))(request, response);
      });
    }
    const report = await sync(rawZip([{ name: 'retry.bin', data }]));
    assert.equal(failures, 2);
    assert.equal(report.counts.new, 1, JSON.stringify(report.failures));
    assert.equal(puts().length, 3);
    for (const put of puts()) assert.deepEqual(put.body, data);
    assert.equal(report.requests.PutObject, 3);
  });
});
