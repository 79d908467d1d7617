import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { PutObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { decide, needsMetadata } from '../../src/decide.js';
import { crc32Base64, metadataFor } from '../../src/integrity/object-metadata.js';
import { resolveS3Checksum } from '../../src/integrity/s3-checksum.js';
import { compileIntegrity } from '../../src/integrity/integrity-plan.js';
import { createS3Client, syncZip } from '../../src/internal.js';
import { makeZip } from '../helpers/zip-fixtures.js';
import { sdkError } from '../helpers/sdk-errors.js';

const entry = { size: 10, crc32: 0xaabbccdd };

describe('decide with compare modes', () => {
  it('size: same size is ignored whatever the crc32', () => {
    assert.deepEqual(decide(entry, { size: 10, metadataKnown: true, crc32: 1 }), { action: 'ignored' });
  });
  it('crc32: same size and same crc32 → ignored; different crc32 → updated because crc32', () => {
    assert.deepEqual(decide(entry, { size: 10, metadataKnown: true, crc32: 0xaabbccdd }, { compare: 'crc32' }), { action: 'ignored' });
    assert.deepEqual(decide(entry, { size: 10, metadataKnown: true, crc32: 1 }, { compare: 'crc32' }), { action: 'updated', remoteSize: 10, because: 'crc32' });
  });
  it('crc32: a size change decides without the checksum', () => {
    assert.deepEqual(decide(entry, { size: 9 }, { compare: 'crc32' }), { action: 'updated', remoteSize: 9 });
  });
  it('crc32: an object without a stored crc32 (another tool wrote it) → updated because no-crc32', () => {
    assert.deepEqual(decide(entry, { size: 10, metadataKnown: true }, { compare: 'crc32' }), { action: 'updated', remoteSize: 10, because: 'no-crc32' });
  });
  it('gzip: the original size is compared, and a change of encoding is an update', () => {
    const stored = { size: 4, metadataKnown: true, gzipped: true, originalSize: 10, crc32: 0xaabbccdd };
    assert.deepEqual(decide(entry, stored, { gzip: true, compare: 'crc32' }), { action: 'ignored' });
    assert.deepEqual(decide(entry, stored, { gzip: false }), { action: 'updated', remoteSize: 10, because: 'encoding' });
  });
  it('needsMetadata: only present same-size candidates under crc32, and every present gzip entry, when a listing answered', () => {
    assert.equal(needsMetadata(entry, null, { compare: 'crc32', gzip: true }), false);
    assert.equal(needsMetadata(entry, { size: 10 }, { compare: 'crc32' }), true);
    assert.equal(needsMetadata(entry, { size: 11 }, { compare: 'crc32' }), false);
    assert.equal(needsMetadata(entry, { size: 10 }, { compare: 'size' }), false);
    assert.equal(needsMetadata(entry, { size: 3 }, { gzip: true }), true);
    assert.equal(needsMetadata(entry, { size: 10, metadataKnown: true }, { compare: 'crc32', gzip: true }), false);
  });
});

describe('checksum values', () => {
  it('x-amz-checksum-crc32 is base64 of the 4 big-endian CRC bytes', () => {
    assert.equal(crc32Base64(crc32('hello world')), 'DUoRhQ==');
    assert.equal(crc32Base64(0), 'AAAAAA==');
    assert.equal(crc32Base64(0xffffffff), '/////w==');
  });
  it('metadata: 8 lower-case hex digits; the original size only for gzip', () => {
    assert.deepEqual(metadataFor({ size: 5, crc32: 0xabc }, false), { 's3zipsync-crc32': '00000abc' });
    assert.deepEqual(metadataFor({ size: 5, crc32: 0xabc }, true), { 's3zipsync-crc32': '00000abc', 's3zipsync-size': '5' });
  });
  it('s3 checksum auto: on for AWS, off for a custom endpoint; on/off as told', () => {
    const aws = createS3Client({ region: 'us-east-1' });
    const custom = createS3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    assert.equal(resolveS3Checksum('auto', aws), true);
    assert.equal(resolveS3Checksum('auto', custom), false);
    assert.equal(resolveS3Checksum('on', custom), true);
    assert.equal(resolveS3Checksum('off', aws), false);
    aws.destroy();
    custom.destroy();
  });
  it('refuses unknown modes and empty gzip patterns with INVALID_OPTION', () => {
    assert.throws(() => compileIntegrity({ compare: 'md5' as never }), { code: 'INVALID_OPTION', message: 'unknown compare mode "md5": expected one of size, crc32' });
    assert.throws(() => compileIntegrity({ gzip: [''] }), { code: 'INVALID_OPTION', message: 'empty gzip pattern: ""' });
  });
});

describe('syncZip sends the zip CRC32 to AWS (mocked: s3rver ignores the header)', () => {
  it('PutObject carries ChecksumCRC32 and the metadata; a gzip entry carries no checksum', async () => {
    const client = createS3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const s3 = mockClient(client);
    s3.on(ListObjectsV2Command).resolves({});
    s3.on(HeadObjectCommand).rejects(sdkError('NotFound', 404));
    s3.on(PutObjectCommand).resolves({});
    const data = Buffer.from('hello world');
    const report = await syncZip({ zip: await makeZip([{ name: 'a.txt', data }]), bucket: 'b', client, strategy: 'head', requestPath: 'sdk' });
    assert.equal(report.counts.new, 1);
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    assert.equal(input.ChecksumCRC32, 'DUoRhQ==');
    assert.deepEqual(input.Metadata, { 's3zipsync-crc32': '0d4a1185' });
    s3.restore();
    client.destroy();
  });
});
