import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, needsMetadata } from '../../src/decide.js';
import { S3ZipSyncError } from '../../src/errors.js';
import { headerDifferences } from '../../src/headers/header-differences.js';
import { compileObjectHeaders } from '../../src/headers/object-headers.js';
import { parseContentTypeRule, parseHeaderRule, parseMetadataPairs } from '../../src/headers/rule-text.js';
import { remoteFromHead } from '../../src/integrity/object-metadata.js';

const invalid = (message: string) => (error: unknown) => error instanceof S3ZipSyncError && error.code === 'INVALID_OPTION' && error.message.includes(message);

describe('compileObjectHeaders', () => {
  it('without options: only the guessed Content-Type', async () => {
    const plan = compileObjectHeaders({});
    assert.deepEqual((await plan.headersFor('a/b.css')), { contentType: 'text/css', metadata: {} });
    assert.deepEqual((await plan.headersFor('blob')), { contentType: 'application/octet-stream', metadata: {} });
  });

  it('precedence: guessed < contentType < contentTypeFor < headerFor, each list in order, last match wins', async () => {
    const plan = compileObjectHeaders({
      contentType: 'text/plain',
      contentTypeFor: [{ pattern: '*.dat', contentType: 'text/csv' }],
      cacheControl: 'max-age=300',
      headerFor: [
        { pattern: '*.html', header: 'Cache-Control', value: 'no-cache' },
        { pattern: 'assets/**', header: 'cache-control', value: 'max-age=31536000, immutable' },
        { pattern: '*.dat', header: 'Content-Type', value: 'application/x-dat' },
        { pattern: 'x/*', header: 'X-Amz-Meta-Owner', value: 'ops' },
        { pattern: 'cold/**', header: 'x-amz-storage-class', value: 'GLACIER_IR' },
        { pattern: 'old/**', header: 'Expires', value: '2020-01-01' },
      ],
      metadata: { Team: 'web' },
    });
    assert.deepEqual((await plan.headersFor('readme.md')), { contentType: 'text/plain', cacheControl: 'max-age=300', metadata: { team: 'web' } });
    assert.equal((await plan.headersFor('deep/page.html')).cacheControl, 'no-cache');
    assert.equal((await plan.headersFor('assets/page.html')).cacheControl, 'max-age=31536000, immutable');
    assert.equal((await plan.headersFor('t.dat')).contentType, 'application/x-dat');
    assert.deepEqual((await plan.headersFor('x/y')).metadata, { team: 'web', owner: 'ops' });
    assert.deepEqual((await plan.headersFor('y')).metadata, { team: 'web' }, 'a rule on one entry does not leak into the next');
    assert.equal((await plan.headersFor('cold/a')).storageClass, 'GLACIER_IR');
    assert.equal((await plan.headersFor('old/a')).expires, 'Wed, 01 Jan 2020 00:00:00 GMT');
  });

  it('storage, encryption and ACL pass through; Expires becomes an HTTP date', async () => {
    const headers = await compileObjectHeaders({ storageClass: 'STANDARD_IA', sse: 'aws:kms', sseKmsKeyId: 'alias/k', acl: 'private', expires: new Date(0) }).headersFor('a');
    assert.deepEqual(headers, { contentType: 'application/octet-stream', metadata: {}, storageClass: 'STANDARD_IA', sse: 'aws:kms', sseKmsKeyId: 'alias/k', acl: 'private', expires: 'Thu, 01 Jan 1970 00:00:00 GMT' });
  });

  for (const [options, message] of [
    [{ metadata: { 'S3ZipSync-CRC32': '1' } }, 'is reserved'],
    [{ metadata: { 'a b': '1' } }, 'must be letters, digits'],
    [{ cacheControl: 'a\nb' }, '`cacheControl` must be printable ASCII on one line'],
    [{ contentDisposition: 'naïve' }, '`contentDisposition` must be printable ASCII'],
    [{ storageClass: 'CHEAP' }, '`storageClass` must be one of'],
    [{ sse: 'des' }, '`sse` must be one of AES256, aws:kms'],
    [{ sse: 'AES256', sseKmsKeyId: 'k' }, '`sseKmsKeyId` needs `sse` "aws:kms", got "AES256"'],
    [{ acl: 'everyone' }, '`acl` must be one of'],
    [{ expires: 'soon' }, '`expires` must be a date'],
    [{ headerFor: [{ pattern: '*', header: 'Content-Encoding', value: 'br' }] }, 'cannot be set per pattern'],
    [{ headerFor: [{ pattern: '*', header: 'x-amz-meta-s3zipsync-size', value: '1' }] }, 'is reserved'],
    [{ headerFor: [{ pattern: '/abs', header: 'Cache-Control', value: '1' }] }, 'never start with "/"'],
    [{ contentTypeFor: [{ pattern: '', contentType: 'x' }] }, 'empty `contentTypeFor` pattern'],
  ] as const) {
    it(`refuses ${JSON.stringify(options)}`, () => {
      assert.throws(() => compileObjectHeaders(options as never), invalid(message));
    });
  }
});

describe('rule text', () => {
  it('GLOB:Header: value keeps commas and colons of the value', () => {
    assert.deepEqual(parseHeaderRule('assets/**:Cache-Control: max-age=31536000, immutable', 'f'), { pattern: 'assets/**', header: 'Cache-Control', value: 'max-age=31536000, immutable' });
    assert.deepEqual(parseHeaderRule('*.ics:Content-Disposition: attachment; filename="a:b.ics"', 'f'), { pattern: '*.ics', header: 'Content-Disposition', value: 'attachment; filename="a:b.ics"' });
    assert.throws(() => parseHeaderRule('*.html=no-cache', 'HEADER_FOR'), invalid('HEADER_FOR wants GLOB:Header: value'));
  });
  it('GLOB=TYPE and key=value', () => {
    assert.deepEqual(parseContentTypeRule('*.wasm=application/wasm', 'f'), { pattern: '*.wasm', contentType: 'application/wasm' });
    assert.deepEqual(parseMetadataPairs(['a=1', 'B=x=y'], 'f'), { a: '1', b: 'x=y' });
    assert.throws(() => parseMetadataPairs(['a=1', 'A=2'], '--metadata'), invalid('--metadata: key "A" is given twice'));
    assert.throws(() => parseMetadataPairs(['=1'], '--metadata'), invalid('--metadata wants key=value'));
  });
});

const wanted = await compileObjectHeaders({ cacheControl: 'no-cache', metadata: { team: 'web' }, expires: '2030-01-01T00:00:00Z' }).headersFor('index.html');

describe('headerDifferences and decide with headers', () => {
  const stored = { contentType: 'text/html', cacheControl: 'no-cache', metadata: { team: 'web' }, expires: 'Tue, 01 Jan 2030 00:00:00 GMT' };

  it('equal headers differ in nothing; each field is compared', () => {
    assert.deepEqual(headerDifferences(wanted, stored), []);
    assert.deepEqual(headerDifferences(wanted, { ...stored, cacheControl: 'max-age=1' }), ['Cache-Control']);
    assert.deepEqual(headerDifferences(wanted, { ...stored, contentType: 'text/plain', metadata: {} }), ['Content-Type', 'x-amz-meta-*']);
    assert.deepEqual(headerDifferences(wanted, { ...stored, expires: '2030-01-02T00:00:00Z' }), ['Expires']);
    assert.deepEqual(headerDifferences(wanted, { ...stored, contentLanguage: 'en' }), ['Content-Language'], 'a header no option sets is removed');
  });

  it('storage class and encryption count only when asked for; STANDARD is the absent class', () => {
    assert.deepEqual(headerDifferences(wanted, { ...stored, storageClass: 'GLACIER', sse: 'aws:kms' }), []);
    const standard = { ...wanted, storageClass: 'STANDARD', sse: 'AES256' as const };
    assert.deepEqual(headerDifferences(standard, { ...stored, sse: 'AES256' }), []);
    assert.deepEqual(headerDifferences(standard, { ...stored, storageClass: 'STANDARD_IA' }), ['x-amz-storage-class', 'x-amz-server-side-encryption']);
  });

  it('HeadObject answers become stored headers without our own metadata', () => {
    const remote = remoteFromHead({ ContentLength: 5, ContentType: 'text/html', CacheControl: 'no-cache', Metadata: { 's3zipsync-crc32': '00000001', team: 'web' }, ExpiresString: 'Tue, 01 Jan 2030 00:00:00 GMT' });
    assert.deepEqual(remote.headers, stored);
  });

  it('decide: same size and bytes, other headers → updated because headers; size or CRC changes decide first', () => {
    const remote = { size: 5, metadataKnown: true, crc32: 7, gzipped: false, headers: { ...stored, cacheControl: 'max-age=1' } };
    assert.deepEqual(decide({ size: 5, crc32: 7 }, remote, { headers: wanted }), { action: 'updated', remoteSize: 5, because: 'headers', changedHeaders: ['Cache-Control'] });
    assert.deepEqual(decide({ size: 5, crc32: 7 }, remote, {}), { action: 'ignored' }, 'without compareHeaders only the bytes count');
    assert.deepEqual(decide({ size: 5, crc32: 8 }, remote, { compare: 'crc32', headers: wanted }), { action: 'updated', remoteSize: 5, because: 'crc32' });
    assert.deepEqual(decide({ size: 6 }, remote, { headers: wanted }), { action: 'updated', remoteSize: 5 });
  });

  it('needsMetadata: a HEAD for each same-size candidate a listing found, none for a size change', () => {
    assert.equal(needsMetadata({ size: 5 }, { size: 5 }, { headers: wanted }), true);
    assert.equal(needsMetadata({ size: 5 }, { size: 6 }, { headers: wanted }), false);
    assert.equal(needsMetadata({ size: 5 }, { size: 5 }, {}), false);
  });
});
